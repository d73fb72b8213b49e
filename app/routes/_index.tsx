import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { initialTransition } from 'xstate'
import { filerCategoryAmong, getInstalledCompany, listFilerCategories } from '../../db/queries/company'
import { listDashboardReports, type DashboardReportRow } from '../../db/queries/dashboard'
import { DUTIES } from '../../machines/duties'
import { deadlineWords, filingDeadline, filingTimeliness, isOverdue, type FilerCategory } from '../../machines/filing-deadline'
import { statePath } from '../../machines/primitives'
import { REPORT_STATE_LABELS, describeReportState, reportLifecycleMachine, reportProgress } from '../../machines/report-lifecycle'
import { OFFICER_ROLES } from '../../machines/roles'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { requireUser } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { getRecord } from '../utils/workflow.server'
import {
  REPORT_ADMIN_ROLES,
  REPORT_READER_ROLES,
  officerRolesOf,
  readsWaiverRegister,
  receivingBodiesOf,
} from '../utils/permissions.server'
import { countCasesAwaiting } from '../../db/queries/cases'
import { listNoticesAwaitingAcknowledgement } from '../../db/queries/determinations'
import { formatCalendarDate, formName } from '../utils/format'

// Cards a page: a quarter's worth of years; older reports behind a plain "Older reports" link
// (keyset: `after` names the last report of the page before), so 20 years of reports are
// not read and drawn on every visit (issue 13).
const DASHBOARD_PAGE_SIZE = 12
const REPORT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/

const CATEGORY_NAMES: Record<FilerCategory, string> = {
  large_accelerated: 'large accelerated filer',
  accelerated: 'accelerated filer',
  non_accelerated: 'non-accelerated filer',
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = await getDb()
  const company = await getInstalledCompany(db)
  if (!company) throw new Response('No company has been set up yet: run `npm start` once to seed the demo company.', { status: 503 })
  // The Code of Ethics binds each officer to all twelve duties: an officer sees
  // their own twelve; everyone else sees the three officers' thirty-six.
  const isOfficer = officerRolesOf(user.roles).length > 0
  const dutiesDue = isOfficer ? DUTIES.length : DUTIES.length * OFFICER_ROLES.length
  // The server's clock, as a UTC calendar day: never the browser's.
  const today = new Date().toISOString().slice(0, 10)
  const after = new URL(request.url).searchParams.get('after') || null
  const notOurs = () =>
    new Response('Nothing is shown: the page address is not one this list gives. Go back to the newest reports.', {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  if (after !== null && !REPORT_ID.test(after)) throw notOurs()
  let pageIds: readonly string[] = []
  const rows = await listDashboardReports(db, await getRecord(), company.id, {
    ...(isOfficer ? { officerUserId: user.id } : {}),
    countSignedOf: (ids) => {
      const start = after === null ? 0 : ids.indexOf(after) + 1
      pageIds = start === 0 && after !== null ? [] : ids.slice(start, start + DASHBOARD_PAGE_SIZE)
      return pageIds
    },
  })
  if (after !== null && pageIds.length === 0 && !rows.some((r) => r.id === after)) throw notOurs()
  // One query for every card's category rather than one a card (issue 13: 77 reports on the 20-year record).
  const categories = await listFilerCategories(db, company.id)
  // Every report's standing counts in the summary (an overdue report on another page is named); only the page's
  // cards are drawn, so only theirs are written out in words (issue 13: 77 reports on the 20-year record).
  const all = rows.map((row) => ({ row, ...standingOf(row, filerCategoryAmong(categories, row.period_end), today) }))
  const onPage = new Set(pageIds)
  const reports = all.filter(({ row }) => onPage.has(row.id)).map((report) => toCard(report, today, dutiesDue))
  const lastOnPage = reports.at(-1)
  const hasOlder = lastOnPage !== undefined && all.at(-1)?.row.id !== lastOnPage.id
  return {
    totals: { reports: all.length, overdue: all.filter((r) => r.overdue).length, filed: all.filter((r) => r.filedOn).length },
    overdueElsewhere: all.filter((r) => r.overdue && !onPage.has(r.row.id)).map((r) => ({ id: r.row.id, heading: headingOf(r.row) })),
    newestPage: after !== null ? '/' : null,
    olderPage: hasOlder ? `/?after=${encodeURIComponent(lastOnPage.id)}` : null,
    company: { name: company.name, ticker: company.ticker, exchange: company.exchange },
    today,
    isOfficer,
    // Report pages are the officers' and the reviewing bodies' (app/utils/permissions.server.ts): no link where it would be a 403.
    canOpenReports: isOfficer || user.roles.some((role) => REPORT_READER_ROLES.includes(role)),
    canAdminister: user.roles.some((role) => REPORT_ADMIN_ROLES.includes(role)),
    isAdministrator: user.roles.includes('administrator'),
    // The waiver register (/waivers): linked only for those who may open it.
    readsWaivers: readsWaiverRegister(user.roles),
    reports,
    // Reported matters waiting for one of the viewer's receiving bodies (the inbox, /cases).
    mattersAwaiting: await countCasesAwaiting(db, await getRecord(), { userId: user.id, bodies: receivingBodiesOf(user.roles) }),
    // The Board's written notices addressed to the viewer that wait for their acknowledgement (/notices/<case id>).
    noticesAwaiting: await listNoticesAwaitingAcknowledgement(db, await getRecord(), user.id),
  }
}

// A deadline depends only on its form, period and category: worked out once a process (the
// holidays of each year included) rather than for every card of every request (issue 13).
const deadlines = new Map<string, ReturnType<typeof filingDeadline>>()
function deadlineOf(form: DashboardReportRow['form'], periodEnd: string, category: FilerCategory) {
  const key = `${form}|${periodEnd}|${category}`
  let deadline = deadlines.get(key)
  if (!deadline) deadlines.set(key, (deadline = filingDeadline({ form, periodEnd, category })))
  return deadline
}

/** What the summary counts of a report: its deadline, its filing, whether it is overdue. */
function standingOf(row: DashboardReportRow, category: FilerCategory | null, today: string) {
  // The deadline follows the filer category in force for the period (General
  // Instruction A of Forms 10-K and 10-Q), moved past weekends and holidays (Rule 0-3).
  const deadline = category ? deadlineOf(row.form, row.period_end, category) : null
  const lifecycle = row.lifecycle ?? initialTransition(reportLifecycleMachine, { form: row.form })[0]
  const filing = lifecycle.context.filing
  // The filing date is the UTC calendar day of the recorded filing instant, as every date here.
  const filedOn = filing ? filing.filedAt.slice(0, 10) : null
  // A Form 12b-25 recorded on the report extends its due date (Rule 12b-25(b)); without one there is no extension.
  const extendedDueDate = reportProgress(lifecycle.context).lateFilingNotice?.extendedDueDate ?? null
  const overdue = deadline && !filing ? isOverdue(extendedDueDate ?? deadline.dueDate, today) : false
  return { deadline, lifecycle, filing, filedOn, extendedDueDate, overdue }
}

function headingOf(row: DashboardReportRow) {
  return `Form ${formName(row)}${row.amendment_number > 1 ? ` No. ${row.amendment_number}` : ''} · ${row.form === '10-K' ? `Fiscal year ${row.fiscal_year}` : `Q${row.fiscal_quarter} ${row.fiscal_year}`}`
}

function toCard(
  { row, deadline, lifecycle, filing, filedOn, extendedDueDate, overdue }: { row: DashboardReportRow } & ReturnType<typeof standingOf>,
  today: string,
  dutiesDue: number,
) {
  return {
    id: row.id,
    form: row.form,
    heading: headingOf(row),
    period:
      row.form === '10-K'
        ? `Annual report for the fiscal year ended ${formatCalendarDate(row.period_end)}`
        : `Quarterly report for quarter ${row.fiscal_quarter} of fiscal ${row.fiscal_year}, ended ${formatCalendarDate(row.period_end)}`,
    draftVersion: row.draft_version,
    due: deadline
      ? {
          date: deadline.dueDate,
          daysAfterPeriodEnd: deadline.daysAfterPeriodEnd,
          category: CATEGORY_NAMES[deadline.category],
          movedFrom: deadline.skipped.length > 0 ? { date: deadline.nominalDate, holiday: deadline.skipped[0]!.holiday ?? null } : null,
        }
      : null,
    filing:
      filing && filedOn
        ? {
            filedOn,
            accessionNumber: filing.accessionNumber,
            late: deadline ? filingTimeliness({ dueDate: deadline.dueDate, extendedDueDate, filedOn }) === 'late' : false,
          }
        : null,
    // "Due in 12 days", "Overdue by 3 days", or, a year and more past, the deadline named rather than counted.
    deadlineWords: deadline ? deadlineWords({ dueDate: deadline.dueDate, today, filedOn, extendedDueDate }) : null,
    overdue,
    progress: row.signed_duties === null ? null : { signed: Math.min(row.signed_duties, dutiesDue), due: dutiesDue },
    state: {
      label: REPORT_STATE_LABELS[statePath(lifecycle.value).split('.')[0]!] ?? 'Unknown',
      description: describeReportState(lifecycle),
    },
  }
}

type Card = Awaited<ReturnType<typeof loader>>['reports'][number]

export default function Dashboard() {
  const {
    company,
    today,
    isOfficer,
    canOpenReports,
    canAdminister,
    isAdministrator,
    readsWaivers,
    reports,
    mattersAwaiting,
    noticesAwaiting,
    totals,
    overdueElsewhere,
    newestPage,
    olderPage,
  } = useLoaderData<typeof loader>()
  const { overdue, filed } = totals
  return (
    <>
      <div className="page-head">
        <div>
          <h1>
            {company.name}{' '}
            <span className="ticker">
              ({company.exchange}: {company.ticker})
            </span>
          </h1>
          <p className="page-lede">
            Periodic reports to the SEC, their due dates, and the officers&rsquo; sign-offs of the twelve duties of the Code of Ethics.
          </p>
        </div>
        {canAdminister ? (
          <div className="page-head-actions">
            <Link to="/admin/reports/new" className="primary-button">
              New periodic report
            </Link>
            {isAdministrator ? <Link to="/admin/committee-signers">Who signs for the committees</Link> : null}
            {isAdministrator ? <Link to="/admin/outbox">Outbox</Link> : null}
            {isAdministrator ? <Link to="/admin/people">People, titles and roles</Link> : null}
          </div>
        ) : null}
      </div>
      {mattersAwaiting > 0 ? (
        <p className="ow-notice" role="note">
          <Link to="/cases">{mattersAwaiting === 1 ? '1 matter awaits you' : `${mattersAwaiting} matters await you`}</Link>: reported under
          the Code of Ethics to a body you belong to.
        </p>
      ) : null}
      {noticesAwaiting.map((n) => (
        <p className="ow-notice" role="note" key={n.caseId}>
          <Link to={`/notices/${n.caseId}`}>A notice from the Board of Directors awaits your acknowledgement</Link>.
        </p>
      ))}
      {readsWaivers ? (
        <p className="hint">
          <Link to="/waivers">Waivers of the code</Link>: each waiver granted to a certifying officer and its Form 8-K disclosure.
        </p>
      ) : null}
      <section aria-labelledby="reports-title">
        <div className="section-head">
          <h2 id="reports-title">Periodic reports</h2>
          <p className="summary">
            {plural(totals.reports, 'report')}
            {overdue > 0 ? (
              <>
                {' '}
                · <strong className="text-warn">{overdue} overdue</strong>
              </>
            ) : null}
            {filed > 0 ? <> · {filed} filed</> : null} · days counted to {formatWeekdayDate(today)} (UTC)
          </p>
        </div>
        {overdueElsewhere.length > 0 ? (
          <p className="ow-notice" role="note">
            Overdue, on another page:{' '}
            {overdueElsewhere.map((r, i) => (
              <span key={r.id}>
                {i > 0 ? ', ' : null}
                <Link to={`/reports/${r.id}`}>{r.heading}</Link>
              </span>
            ))}
            .
          </p>
        ) : null}
        {reports.length === 0 ? (
          <p className="empty-state">No periodic reports yet.{canAdminister ? ' Create the first one to start its certification.' : ''}</p>
        ) : (
          <ul className="report-list">
            {reports.map((report) => (
              <ReportCard key={report.id} report={report} isOfficer={isOfficer} canOpen={canOpenReports} canAdminister={canAdminister} />
            ))}
          </ul>
        )}
        {newestPage || olderPage ? (
          <nav aria-label="Pages of periodic reports" className="ow-pager">
            {newestPage ? <Link to={newestPage}>Newest reports</Link> : null}
            {newestPage && olderPage ? ' · ' : null}
            {olderPage ? (
              <Link to={olderPage} rel="next">
                Older reports
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </>
  )
}

function ReportCard({
  report,
  isOfficer,
  canOpen,
  canAdminister,
}: {
  report: Card
  isOfficer: boolean
  canOpen: boolean
  canAdminister: boolean
}) {
  return (
    <li className={`report-card${report.overdue ? ' is-overdue' : ''}${report.filing ? ' is-filed' : ''}`}>
      <div className="report-card-head">
        <h3>{canOpen ? <Link to={`/reports/${report.id}`}>{report.heading}</Link> : report.heading}</h3>
        <span className="state-badge">{report.state.label}</span>
      </div>
      <p className="report-period">
        {report.period}
        {report.draftVersion ? ` · draft ${report.draftVersion}` : ' · no draft yet'}
      </p>
      <dl className="report-facts">
        <div>
          <dt>SEC due date</dt>
          <dd>
            {report.due ? (
              <>
                <span className="fact-main">{formatWeekdayDate(report.due.date)}</span>
                <span className="fact-note">
                  {report.due.daysAfterPeriodEnd} days after the period end, as a {report.due.category}
                  {report.due.movedFrom
                    ? `; day ${report.due.daysAfterPeriodEnd} falls on ${formatWeekdayDate(report.due.movedFrom.date)}${report.due.movedFrom.holiday ? ` (${report.due.movedFrom.holiday})` : ''}, so the next business day`
                    : ''}
                </span>
              </>
            ) : (
              <span className="fact-note">Unknown: no filer category is in force for this period.</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{report.filing ? 'Filed' : 'Time left'}</dt>
          <dd>
            <TimeLeft report={report} />
          </dd>
        </div>
        <div>
          <dt>{isOfficer ? 'Your sign-offs' : 'Officers’ sign-offs'}</dt>
          <dd>
            {report.progress ? (
              <>
                <span className="fact-main">
                  {report.progress.signed} of {report.progress.due} duties signed
                </span>
                <progress className="sign-off-progress" max={report.progress.due} value={report.progress.signed} aria-hidden="true" />
              </>
            ) : null}
          </dd>
        </div>
      </dl>
      <p className="report-state">{report.state.description}</p>
      {canOpen || canAdminister ? (
        <p className="report-actions">
          {canOpen ? <Link to={`/reports/${report.id}`}>Open the report</Link> : null}
          <Link to={`/reports/${report.id}/filing`}>Review and filing</Link>
          {canAdminister ? <Link to={`/admin/reports/${report.id}/drafts`}>Drafts and certification</Link> : null}
        </p>
      ) : null}
    </li>
  )
}

function TimeLeft({ report }: { report: Card }) {
  if (report.filing) {
    return (
      <>
        <span className="fact-main">
          Filed {formatWeekdayDate(report.filing.filedOn)}
          {report.filing.late ? <strong className="overdue-badge">Late</strong> : null}
        </span>
        <span className="fact-note">
          {report.deadlineWords ?? 'Filed'} · accession <span className="nowrap">{report.filing.accessionNumber}</span>
        </span>
      </>
    )
  }
  if (report.deadlineWords === null) return <span className="fact-note">Unknown</span>
  if (report.overdue) {
    // Marked in words, not colour alone (WCAG 1.4.1).
    return (
      <span className="fact-main">
        <strong className="overdue-badge">Late</strong> <span>{report.deadlineWords}</span>
      </span>
    )
  }
  return <span className="fact-main">{report.deadlineWords}</span>
}

function plural(n: number, word: string) {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`
}

// Due dates are read with their weekday: a deadline moved off a weekend only makes sense that way.
const weekdayDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeZone: 'UTC' })
function formatWeekdayDate(date: string) {
  return weekdayDate.format(new Date(`${date}T00:00:00Z`))
}

export const meta: MetaFunction<typeof loader> = ({ data, error }) =>
  error ? errorMeta(error) : [{ title: data ? `Periodic reports · ${data.company.name}` : 'Periodic reports' }]

export const ErrorBoundary = RouteErrorBoundary
