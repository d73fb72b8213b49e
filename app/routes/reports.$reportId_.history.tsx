import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { DownloadLink } from '../components/download-link'
import { listReportActSignatures, listReportSignOffRows } from '../../db/queries/history'
import { listPeople } from '../../db/queries/people'
import { listDutyInstances, storedStateValue } from '../../db/queries/workflows'
import { DUTIES } from '../../machines/duties'
import { dutyStateLabel } from '../../machines/duty-review'
import { statePath } from '../../machines/primitives'
import { OFFICER_ROLES, OFFICER_TITLES } from '../../machines/roles'
import { getDb } from '../utils/db.server'
import { describePeriod, formatInstantUtc } from '../utils/format'
import { requireHistoryReader } from '../utils/permissions.server'
import { requireReport } from '../utils/report-params.server'
import { getRecord } from '../utils/workflow.server'

// The report matrix (issue 10): officers × the twelve duties, each cell what was
// signed and when — not "Locked" — with or without exception, marked when earlier
// sign-offs of the duty were reopened, and a link to the sign-off's detail. The
// Audit Committee, the Chairman and the Disclosure Committee see every officer;
// an officer only their own row.

export const meta: MetaFunction = () => [{ title: 'Sign-off history — Code of Ethics attestations' }]

const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reader = await requireHistoryReader(request)
  const db = await getDb()
  const report = await requireReport(db, params.reportId)
  const record = await getRecord()
  const own = reader.ownOnly ?? undefined
  const instances = await listDutyInstances(db, record, report.id, own ? { officerUserId: own } : {})
  const signOffs = await listReportSignOffRows(db, report.id, own)
  const people = (await listPeople(db, report.company_id))
    .flatMap((p) => OFFICER_ROLES.filter((r) => p.roles.includes(r)).map((role) => ({ person: p, role })))
    .filter(({ person }) => own === undefined || person.id === own)
    .sort((a, b) => OFFICER_ROLES.indexOf(a.role) - OFFICER_ROLES.indexOf(b.role))

  const officers = people.map(({ person, role }) => ({
    userId: person.id,
    name: person.name,
    roleTitle: OFFICER_TITLES[role],
    cells: DUTIES.map((duty) => {
      const instance = instances.find((i) => i.officerUserId === person.id && i.dutyNumber === duty.number)
      const path = instance ? statePath(storedStateValue(instance.state)) : 'notStarted'
      const mine = signOffs.filter((s) => s.officer_user_id === person.id && s.duty_number === duty.number)
      const currentId = instance?.context.signature?.signatureId ?? null
      const current = mine.find((s) => s.id === currentId) ?? null
      const shown = current ?? mine.at(-1) ?? null
      const reopened = mine.filter((s) => s.id !== currentId).length
      const words = current
        ? `Signed ${shortDate.format(new Date(current.signed_at))}${current.meaning === 'attested_with_exception' ? ' with exception' : ''}`
        : dutyStateLabel(path)
      return {
        dutyNumber: duty.number,
        path,
        tone: current ? (current.meaning === 'attested_with_exception' ? 'exception' : 'signed') : path.split('.')[0]!,
        words,
        locked: path === 'locked',
        reopened,
        signOffId: shown?.id ?? null,
      }
    }),
  }))

  const acts =
    reader.ownOnly === null
      ? (await listReportActSignatures(db, report.id)).map((a) => ({
          id: a.id,
          who: a.printed_name,
          meaning: a.meaning_text,
          at: formatInstantUtc(a.signed_at),
        }))
      : []

  return {
    report: {
      id: report.id,
      companyName: report.company_name,
      heading:
        report.form === '10-K'
          ? `Form 10-K for fiscal year ${report.fiscal_year}`
          : `Form 10-Q for quarter ${report.fiscal_quarter} of fiscal ${report.fiscal_year}`,
      period: describePeriod(report),
    },
    ownOnly: reader.ownOnly !== null,
    duties: DUTIES.map((d) => ({ number: d.number, title: d.title })),
    officers,
    acts,
  }
}

export default function ReportHistoryPage() {
  const { report, ownOnly, duties, officers, acts } = useLoaderData<typeof loader>()
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb ow-no-print">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li>
            <Link to={`/reports/${report.id}`}>{report.heading}</Link>
          </li>
          <li aria-current="page">Sign-off history</li>
        </ol>
      </nav>
      <header className="ow-page-head">
        <p className="ow-eyebrow">{report.companyName}</p>
        <h1>Sign-off history: {report.heading}</h1>
        <p>{report.period}</p>
        {ownOnly ? <p className="hint">You see your own sign-offs only.</p> : null}
      </header>
      <p className="ow-no-print">
        <Link to={`/history?report=${encodeURIComponent(report.id)}`}>Every event of this report, in order</Link>
        {' · '}
        <Link to="/history/verify">Check the record now</Link>
      </p>
      <section aria-labelledby="exports-title" className="ow-panel ow-no-print">
        <h2 id="exports-title">Downloads</h2>
        <ul>
          {ownOnly ? null : (
            <>
              <li>
                <DownloadLink href={`/reports/${report.id}/packet.pdf`} fileName={`certification-packet-${report.id}.pdf`}>
                  Download the certification packet (PDF)
                </DownloadLink>
              </li>
              <li>
                <DownloadLink href={`/reports/${report.id}/bundle.json`} fileName={`evidence-bundle-${report.id}.json`}>
                  Download the evidence bundle (JSON)
                </DownloadLink>{' '}
                <span className="ow-muted">— an outside auditor checks it with no database: npm run verify -- &lt;file&gt;</span>
              </li>
            </>
          )}
          <li>
            <DownloadLink href={`/history/csv?report=${encodeURIComponent(report.id)}`} fileName={`history-events-${report.id}.csv`}>
              Download the events as CSV
            </DownloadLink>
            {ownOnly ? <span className="ow-muted"> (the events you took)</span> : null}
          </li>
        </ul>
      </section>
      <section aria-labelledby="matrix-title" className="ow-panel ow-print-page">
        <h2 id="matrix-title">Who signed what</h2>
        <div className="ow-table-scroll">
          <table className="ow-history-matrix">
            <caption>
              Each cell: what the officer signed and when, or where the duty stands. “Reopened” marks a duty signed before and reopened
              (withdrawn, a newer draft, or sent back by a committee).
            </caption>
            <thead>
              <tr>
                <th scope="col">Duty</th>
                {officers.map((o) => (
                  <th scope="col" key={o.userId}>
                    {o.name}
                    <br />
                    <span className="ow-muted">{o.roleTitle}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {duties.map((duty, i) => (
                <tr key={duty.number}>
                  <th scope="row">
                    {duty.number}. {duty.title}
                  </th>
                  {officers.map((o) => {
                    const cell = o.cells[i]!
                    return (
                      <td key={o.userId} className={`ow-cell-${cell.tone}`} data-duty={duty.number} data-officer={o.userId}>
                        {cell.signOffId ? <Link to={`/history/sign-offs/${cell.signOffId}`}>{cell.words}</Link> : cell.words}
                        {cell.locked ? <span className="ow-muted"> (locked)</span> : null}
                        {cell.reopened > 0 ? (
                          <>
                            <br />
                            <span className="ow-reopened">Reopened {cell.reopened === 1 ? 'once' : `${cell.reopened} times`} before</span>
                          </>
                        ) : null}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {acts.length > 0 ? (
        <section aria-labelledby="acts-title" className="ow-panel">
          <h2 id="acts-title">The committees’ steps and the approvals for filing</h2>
          <ul>
            {acts.map((a) => (
              <li key={a.id}>
                <Link to={`/history/sign-offs/${a.id}`}>
                  {a.who}: {a.meaning}
                </Link>{' '}
                <span className="ow-muted">({a.at})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}
