import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { getInstalledCompany } from '../../db/queries/company'
import { formatTimelineCursor, listTimeline } from '../../db/queries/history'
import { listPeople } from '../../db/queries/people'
import { EVENT_KINDS, eventWords } from '../../machines/event-words'
import { getDb } from '../utils/db.server'
import { formatInstantUtc, shortReportLabel, upperFirst } from '../utils/format'
import { requireHistoryReader, seesCaseIds } from '../utils/permissions.server'
import { readTimelineQuery } from '../utils/timeline-params.server'
import { timelineWords } from '../utils/timeline-words'

// The timeline (issue 10): every event of the record, newest first, filtered by
// report, person, duty, kind of event and dates (GET parameters, validated:
// 400 on a bad one), a page at a time by keyset. Who acted, in which role at the
// time (as the chain recorded it) with the title and roles they held that day
// (migration 016), when in UTC and in company time, and the workflow's state
// before and after, and the kind of event, in words (machines/state-words.ts,
// machines/event-words.ts). An officer sees the events they took only.

export const meta: MetaFunction = () => [{ title: 'History — Code of Ethics attestations' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const reader = await requireHistoryReader(request)
  const url = new URL(request.url)
  const query = readTimelineQuery(url, reader)
  const db = await getDb()
  const company = await getInstalledCompany(db)
  const timeZone = company?.time_zone ?? 'UTC'
  const local = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'long', timeZone })
  const page = await listTimeline(db, query.filters, { limit: query.limit, cursor: query.cursor })
  const showCases = seesCaseIds(reader)
  const reports = await db
    .selectFrom('periodic_report')
    .select(['id', 'form', 'fiscal_year', 'fiscal_quarter'])
    .orderBy('period_end', 'desc')
    .execute()
  const people = reader.ownOnly === null && company ? await listPeople(db, company.id) : []
  const search = new URLSearchParams(query.params)
  const next = page.nextCursor ? new URLSearchParams({ ...query.params, after: formatTimelineCursor(page.nextCursor) }) : null
  const reportLabel = new Map(reports.map((r) => [r.id, shortReportLabel(r)]))
  return {
    ownOnly: reader.ownOnly !== null,
    params: query.params,
    reports: [...reportLabel].map(([id, label]) => ({ id, label })),
    people: people.map((p) => ({ id: p.id, name: p.name })),
    kinds: EVENT_KINDS.map((value) => ({ value, words: upperFirst(eventWords(value)) })),
    rows: page.rows.map((r) => ({
      sequence: r.sequence,
      utc: formatInstantUtc(r.recordedAt),
      local: local.format(new Date(r.recordedAt)),
      kind: upperFirst(eventWords(r.eventType)),
      who: r.actorName ?? 'The app',
      ...timelineWords(r),
      reportId: r.workflow.reportId,
      report: r.workflow.reportId ? (reportLabel.get(r.workflow.reportId) ?? r.workflow.reportId) : null,
      duty: r.workflow.dutyNumber,
      caseId: showCases ? r.workflow.caseId : null,
      aboutCase: r.workflow.caseId !== null,
    })),
    csvHref: `/history/csv${search.size ? `?${search.toString()}` : ''}`,
    nextHref: next ? `/history?${next.toString()}` : null,
    firstHref: query.cursor ? `/history${search.size ? `?${search.toString()}` : ''}` : null,
  }
}

export default function TimelinePage() {
  const d = useLoaderData<typeof loader>()
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li aria-current="page">History</li>
        </ol>
      </nav>
      <header className="ow-page-head">
        <h1>History of the record</h1>
        {d.ownOnly ? <p className="hint">You see the events you took only.</p> : null}
      </header>
      <Form method="get" className="ow-panel ow-filters" aria-label="Filter the history">
        <label>
          Report{' '}
          <select name="report" defaultValue={d.params.report ?? ''}>
            <option value="">Every report</option>
            {d.reports.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        {d.ownOnly ? null : (
          <label>
            Person{' '}
            <select name="person" defaultValue={d.params.person ?? ''}>
              <option value="">Everyone</option>
              {d.people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Duty{' '}
          <select name="duty" defaultValue={d.params.duty ?? ''}>
            <option value="">Every duty</option>
            {Array.from({ length: 12 }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                Duty {n}
              </option>
            ))}
          </select>
        </label>
        {/* Labelled by id, not by wrapping: the label's text is then its own words, not every choice's. */}
        <span>
          <label htmlFor="timeline-kind">Kind of event</label>{' '}
          <select id="timeline-kind" name="kind" defaultValue={d.params.kind ?? ''}>
            <option value="">Every kind</option>
            {d.kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.words}
              </option>
            ))}
          </select>
        </span>
        <label>
          From <input type="date" name="from" defaultValue={d.params.from ?? ''} />
        </label>
        <label>
          To <input type="date" name="to" defaultValue={d.params.to ?? ''} />
        </label>
        <button type="submit">Show</button>
      </Form>
      <p>
        <Link to="/history/compare">Across periods: exceptions and cases over time, and an officer’s answers compared</Link>
      </p>
      <p>
        <a href={d.csvHref} download="history-events.csv">
          Download these events as CSV
        </a>
      </p>
      <section aria-labelledby="events-title" className="ow-panel">
        <h2 id="events-title">Events, newest first</h2>
        {d.rows.length === 0 ? (
          <p>No event matches these filters.</p>
        ) : (
          <div className="ow-table-scroll">
            <table className="ow-timeline">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">When (UTC)</th>
                  <th scope="col">Company time</th>
                  <th scope="col">Who, in which capacity then</th>
                  <th scope="col">What</th>
                  <th scope="col">From → to</th>
                  <th scope="col">About</th>
                </tr>
              </thead>
              <tbody>
                {d.rows.map((r) => (
                  <tr key={r.sequence}>
                    <td>{r.sequence}</td>
                    <td>{r.utc}</td>
                    <td>{r.local}</td>
                    <td>
                      {r.who}
                      {r.title ? `, ${r.title}` : null}
                      <br />
                      <span className="hint">
                        acting as {r.role}
                        {r.rolesThen.length ? `; held then: ${r.rolesThen.join(', ')}` : null}
                      </span>
                    </td>
                    <td>{r.kind}</td>
                    <td>
                      {r.from === r.to ? (
                        <>{r.to} (unchanged)</>
                      ) : (
                        <>
                          {r.from} → {r.to}
                        </>
                      )}
                    </td>
                    <td>
                      {r.reportId ? <Link to={`/reports/${r.reportId}/history`}>{r.report}</Link> : null}
                      {r.duty ? `, duty ${r.duty}` : null}
                      {r.caseId ? (
                        <>
                          , <Link to={`/cases/${r.caseId}`}>case {r.caseId}</Link>
                        </>
                      ) : r.aboutCase ? (
                        ', a reported matter'
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p>
          {d.firstHref ? <Link to={d.firstHref}>First page</Link> : null}
          {d.firstHref && d.nextHref ? ' · ' : null}
          {d.nextHref ? <Link to={d.nextHref}>Older events</Link> : null}
        </p>
      </section>
    </>
  )
}
