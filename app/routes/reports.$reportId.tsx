import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, isRouteErrorResponse, useLoaderData, useRouteError } from '@remix-run/react'
import { listPeople } from '../../db/queries/people'
import { listMaterialInformation } from '../../db/queries/reports'
import {
  findReportLifecycle,
  initialDutySnapshot,
  listCaseInstances,
  listDutyInstances,
  storedStateValue,
} from '../../db/queries/workflows'
import { describeCaseState } from '../../machines/case'
import { DUTIES, type DutyNumber } from '../../machines/duties'
import { statePath } from '../../machines/primitives'
import { REPORT_STATE_LABELS, describeReportState } from '../../machines/report-lifecycle'
import { OFFICER_ROLES, OFFICER_TITLES, type OfficerRole } from '../../machines/roles'
import { getDb } from '../utils/db.server'
import { getRecord } from '../utils/workflow.server'
import { describePeriod, formatAmount, formatCalendarDate, formatInstantUtc, reportTitle } from '../utils/format'
import { describeDutyState, dutyStateLabel, notStartedWords } from '../../machines/duty-review'
import { requireReportReader, visibleCases } from '../utils/permissions.server'
import { requireReport } from '../utils/report-params.server'

const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })

/** What one cell of the officers' grid says: the state, or for a signed or locked duty what was signed and when. */
function cellLabel(path: string, signature: { at: string; withException: boolean } | null): string {
  if (!signature) return dutyStateLabel(path)
  return `Signed ${shortDate.format(new Date(signature.at))}${signature.withException ? ' with exception' : ''}`
}

/** The duty's words up to the end of their first sentence, or about a line of them. */
function firstLine(text: string): string {
  const sentence = /^.{20,160}?[.;:](?=\s|$)/.exec(text)?.[0]
  if (sentence && sentence.length < text.length) return sentence
  if (text.length <= 120) return text
  return `${text.slice(0, 120).replace(/\s+\S*$/, '')}…`
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reader = await requireReportReader(request)
  const db = await getDb()
  const report = await requireReport(db, params.reportId)
  const record = await getRecord()
  const lifecycle = await findReportLifecycle(db, record, report)
  const instances = await listDutyInstances(db, record, report.id)
  const draftSha = report.draft?.sha256 ?? null

  // One officer's twelve duties, each from its cached snapshot or, before its first event, its initial state.
  const dutiesOf = (userId: string, role: OfficerRole) =>
    DUTIES.map((duty) => {
      const row = instances.find((i) => i.officerUserId === userId && i.dutyNumber === duty.number)
      const snapshot = row ? { value: storedStateValue(row.state), context: row.context } : initialDutySnapshot(duty.number, role, draftSha)
      const path = statePath(snapshot.value)
      return {
        number: duty.number as DutyNumber,
        title: duty.title,
        text: duty.text,
        path,
        stateLabel: dutyStateLabel(path),
        waitingFor: path === 'notStarted' ? notStartedWords(OFFICER_TITLES[role], duty.number) : describeDutyState(snapshot),
        signed: snapshot.context.signature !== null,
        withException: snapshot.context.exception !== null,
        // A locked duty keeps the signature it was locked with: the grid says what was signed, not only "Locked".
        cellLabel: cellLabel(path, snapshot.context.signature),
        excerpt: firstLine(duty.text),
      }
    })

  const mine = reader.officerRole ? dutiesOf(reader.user.id, reader.officerRole) : null
  const everyone = reader.readsAllOfficers
    ? (await listPeople(db, report.company_id))
        .flatMap((p) => OFFICER_ROLES.filter((r) => p.roles.includes(r)).map((role) => ({ person: p, role })))
        .sort((a, b) => OFFICER_ROLES.indexOf(a.role) - OFFICER_ROLES.indexOf(b.role))
        .map(({ person, role }) => {
          const duties = dutiesOf(person.id, role)
          return {
            userId: person.id,
            name: person.name,
            role,
            roleTitle: OFFICER_TITLES[role],
            signed: duties.filter((d) => d.signed).length,
            duties: duties.map((d) => ({ number: d.number, cellLabel: d.cellLabel, path: d.path })),
          }
        })
    : null

  const items = (await listMaterialInformation(db, report.id)).map((item) => ({
    id: item.id,
    title: item.title,
    description: item.description,
    source: item.source,
    sourceDate: item.source_date ? formatCalendarDate(item.source_date) : null,
    amounts: item.amounts.map((a) => ({ label: a.label, text: formatAmount(a.value, a.unit) })),
  }))
  const cases = visibleCases(reader.user, await listCaseInstances(db, record, report.id)).map((c) => ({
    caseId: c.context.caseId,
    duty: c.context.duty,
    summary: c.context.summary,
    reportedAt: formatInstantUtc(c.context.reportedAt),
    state: c.path,
    description: describeCaseState({ value: storedStateValue(c.state), context: c.context }),
  }))

  const top = lifecycle.path.split('.')[0] ?? ''
  return {
    report: {
      id: report.id,
      form: report.form,
      companyName: report.company_name,
      heading: reportTitle(report),
      period: describePeriod(report),
    },
    draft: report.draft
      ? {
          id: report.draft.id,
          version: report.draft.version,
          sha256: report.draft.sha256,
          fileName: report.draft.fileName,
          uploadedAt: formatInstantUtc(report.draft.uploadedAt),
        }
      : null,
    lifecycle: { state: top, stateLabel: REPORT_STATE_LABELS[top] ?? top, description: describeReportState(lifecycle) },
    officerTitle: reader.officerRole ? OFFICER_TITLES[reader.officerRole] : null,
    mine,
    everyone,
    items,
    cases,
  }
}

export default function ReportPage() {
  const { report, draft, lifecycle, officerTitle, mine, everyone, items, cases } = useLoaderData<typeof loader>()
  const signedCount = mine?.filter((d) => d.signed).length ?? 0
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li aria-current="page">{report.heading}</li>
        </ol>
      </nav>
      <header className="ow-page-head">
        <p className="ow-eyebrow">{report.companyName}</p>
        <h1>{report.heading}</h1>
      </header>

      <dl className="ow-facts">
        <div>
          <dt>Period</dt>
          <dd>{report.period}</dd>
        </div>
        <div>
          <dt>Current draft</dt>
          <dd>
            {draft ? (
              <>
                Draft {draft.version}:{' '}
                <a href={`/reports/${report.id}/drafts/${draft.id}`} download={draft.fileName}>
                  {draft.fileName}
                </a>{' '}
                <span className="ow-muted">(registered {draft.uploadedAt})</span>
                <br />
                SHA-256 <code className="ow-hash">{draft.sha256}</code>
              </>
            ) : (
              'None registered yet'
            )}
          </dd>
        </div>
        <div>
          <dt>Where it stands</dt>
          <dd>
            <span className={`ow-state-badge ow-report-${lifecycle.state}`}>{lifecycle.stateLabel}</span>{' '}
            <span id="report-state">{lifecycle.description}</span>
            <br />
            <Link to={`/reports/${report.id}/filing`}>Review and filing: the committees, approval for filing, the SEC</Link>
            <br />
            <Link to={`/reports/${report.id}/history`}>Sign-off history: who signed what, when, on which draft</Link>
          </dd>
        </div>
      </dl>

      {mine ? (
        <section aria-labelledby="my-duties-title" className="ow-panel">
          <h2 id="my-duties-title">Your duties as {officerTitle}</h2>
          <div className="ow-progress-line">
            <label htmlFor="my-progress" id="my-progress-label">
              <strong>
                {signedCount} of {mine.length}
              </strong>{' '}
              signed
            </label>
            <progress id="my-progress" max={mine.length} value={signedCount} />
          </div>
          <ol className="ow-duty-list">
            {mine.map((d) => (
              <li key={d.number} className="ow-duty-item">
                <div className="ow-duty-item-head">
                  <h3>
                    <Link to={`/reports/${report.id}/duties/${d.number}`}>
                      Duty {d.number}: {d.title}
                    </Link>
                  </h3>
                  <span className={`ow-state-badge ow-state-${d.path.replaceAll('.', '-')}`}>{d.cellLabel}</span>
                </div>
                <p className="ow-waiting">{d.waitingFor}</p>
                {/* Native disclosure: the first line, the full words on opening (and on the duty page). */}
                <details className="ow-duty-words">
                  <summary>
                    <span className="visually-hidden">The duty’s words: </span>
                    {d.excerpt}
                  </summary>
                  <blockquote className="ow-duty-text">{d.text}</blockquote>
                </details>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {everyone ? (
        <section aria-labelledby="everyone-title" className="ow-panel">
          <h2 id="everyone-title">Every officer’s sign-offs</h2>
          <p className="hint">Read-only: each officer answers and signs their own duties.</p>
          <div className="ow-table-scroll">
            <table className="ow-sign-off-grid">
              <caption className="visually-hidden">State of each duty for each certifying officer</caption>
              <thead>
                <tr>
                  <th scope="col">Duty</th>
                  {everyone.map((o) => (
                    <th scope="col" key={o.userId}>
                      {o.name}
                      <br />
                      <span className="ow-muted">
                        {o.roleTitle} · {o.signed} of 12 signed
                      </span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {DUTIES.map((duty, i) => (
                  <tr key={duty.number}>
                    <th scope="row">
                      {duty.number}. {duty.title}
                    </th>
                    {everyone.map((o) => {
                      const d = o.duties[i]!
                      return (
                        <td key={o.userId}>
                          <span className={`ow-state-badge ow-state-${d.path.replaceAll('.', '-')}`}>{d.cellLabel}</span>
                        </td>
                      )
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="items-title" className="ow-panel">
        <h2 id="items-title">Material information known for this report</h2>
        {items.length === 0 ? (
          <p>None recorded.</p>
        ) : (
          <ul className="ow-item-list">
            {items.map((item) => (
              <li key={item.id}>
                <h3>{item.title}</h3>
                <p>{item.description}</p>
                {item.amounts.length ? (
                  <table className="ow-amounts">
                    <caption className="visually-hidden">Figures of “{item.title}”</caption>
                    <tbody>
                      {item.amounts.map((a) => (
                        <tr key={a.label}>
                          <th scope="row">{a.label}</th>
                          <td className="ow-amount">{a.text}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : null}
                <p className="hint">
                  Source: {item.source}
                  {item.sourceDate ? `, ${item.sourceDate}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="cases-title" className="ow-panel">
        <h2 id="cases-title">Cases reported for this report</h2>
        {cases.length === 0 ? (
          <p>No case you can see.</p>
        ) : (
          <div className="ow-table-scroll">
            <table className="ow-cases">
              <caption className="visually-hidden">Matters reported under duties 1 to 4, and where each stands</caption>
              <thead>
                <tr>
                  <th scope="col">Case</th>
                  <th scope="col">Duty</th>
                  <th scope="col">Matter</th>
                  <th scope="col">Where it stands</th>
                </tr>
              </thead>
              <tbody>
                {cases.map((c) => (
                  <tr key={c.caseId}>
                    <th scope="row">
                      <Link to={`/cases/${c.caseId}`}>
                        <code>{c.caseId}</code>
                      </Link>
                    </th>
                    <td>{c.duty}</td>
                    <td>
                      {c.summary}
                      <br />
                      <span className="ow-muted">Reported {c.reportedAt}</span>
                    </td>
                    <td>{c.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.report.heading} · ${data.report.companyName}` : 'Periodic report' },
]

export function ErrorBoundary() {
  const error = useRouteError()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const detail = isRouteErrorResponse(error) && typeof error.data === 'string' ? error.data : 'Something went wrong; nothing was changed.'
  return (
    <section aria-labelledby="error-title" className="ow-panel">
      <h1 id="error-title">{status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Something went wrong'}</h1>
      <p>{detail}</p>
      <p>
        <Link to="/">Back to the periodic reports</Link>
      </p>
    </section>
  )
}
