import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { INBOX_PAGE_SIZE, type InboxCursor, listInboxPage } from '../../db/queries/cases'
import { CASE_STATE_WORDS, caseStateWords } from '../../machines/case'
import { BODY_NAMES, type Body } from '../../machines/roles'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { UserText } from '../components/user-text'
import { requireUser } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { CASE_DUTY_WORDS } from '../utils/duty-forms'
import { formatInstantUtc, shortReportLabel } from '../utils/format'
import { receivingBodiesOf } from '../utils/permissions.server'
import { getRecord } from '../utils/workflow.server'

// The inbox of the bodies that receive reported matters (duties 1–4, and the
// Board once a matter is referred to it): the cases routed to the viewer's bodies,
// never one about the viewer, newest first. Filters are plain GET parameters, and
// so is the page: `after` names the last matter of the page before (keyset), so the
// "Next" link works without script and a matter reported meanwhile shifts nothing.

const STATES = Object.keys(CASE_STATE_WORDS) as [string, ...string[]]

// The last matter of the previous page: when it was reported (UTC, as the case records it) and its id.
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z)~([A-Za-z0-9][A-Za-z0-9._-]{0,199})$/
const cursorParam = (c: InboxCursor) => `${c.reportedAt}~${c.caseId}`

const badRequest = (message: string) => new Response(message, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

/** The filters of the address: each one absent, empty (all), or one of the values offered. */
function filterSchema(bodies: Body[]) {
  const blankIsAll = (v: unknown) => (v === '' || v === null ? undefined : v)
  return z.object({
    state: z.preprocess(
      blankIsAll,
      z.enum(STATES, { error: `The state filter must be one of: ${STATES.map((s) => CASE_STATE_WORDS[s]).join(', ')}.` }).optional(),
    ),
    body: z.preprocess(
      blankIsAll,
      z
        .enum(bodies as [Body, ...Body[]], {
          error: `You receive matters as ${bodies.map((b) => BODY_NAMES[b]).join(' and ')}: the body filter must be one of those.`,
        })
        .optional(),
    ),
    after: z.preprocess(
      blankIsAll,
      z
        .string()
        .regex(CURSOR, { error: 'The page address is not one this inbox gives: go back to the newest matters.' })
        .transform((v): InboxCursor => {
          const [, reportedAt = '', caseId = ''] = CURSOR.exec(v)!
          return { reportedAt, caseId }
        })
        .optional(),
    ),
  })
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const bodies = receivingBodiesOf(user.roles)
  if (bodies.length === 0) {
    throw new Response(
      'This inbox is for the members of the bodies that receive reported matters: the Disclosure Committee, the Audit Committee, the Chairman of the Board, the CEO and the Board of Directors.',
      { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } },
    )
  }
  const url = new URL(request.url)
  const parsed = filterSchema(bodies).safeParse({
    state: url.searchParams.get('state'),
    body: url.searchParams.get('body'),
    after: url.searchParams.get('after'),
  })
  if (!parsed.success) throw badRequest(`Nothing is shown: ${parsed.error.issues.map((i) => i.message).join(' ')}`)
  const { after, ...filter } = parsed.data
  const db = await getDb()
  const page = await listInboxPage(db, await getRecord(), { userId: user.id, bodies }, filter, { after })
  // The filters stay in the page links; empty ones are left out, as the form would send them.
  const pageAddress = (cursor: InboxCursor | null) => {
    const q = new URLSearchParams()
    if (filter.state) q.set('state', filter.state)
    if (filter.body) q.set('body', filter.body)
    if (cursor) q.set('after', cursorParam(cursor))
    const query = q.toString()
    return query ? `/cases?${query}` : '/cases'
  }
  return {
    bodies: bodies.map((b) => ({ value: b, label: BODY_NAMES[b] })),
    filter: { state: filter.state ?? '', body: filter.body ?? '' },
    total: page.total,
    awaiting: page.awaitingViewer,
    pageSize: INBOX_PAGE_SIZE,
    firstPage: after ? pageAddress(null) : null,
    nextPage: page.next ? pageAddress(page.next) : null,
    cases: page.rows.map((r) => ({
      caseId: r.caseId,
      duty: r.context.duty,
      kind: CASE_DUTY_WORDS[r.context.duty],
      summary: r.context.summary,
      reportedAt: formatInstantUtc(r.context.reportedAt),
      report: r.report
        ? shortReportLabel({ form: r.report.form, fiscal_year: r.report.fiscalYear, fiscal_quarter: r.report.fiscalQuarter })
        : null,
      receivedAs: r.bodies.map((b) => BODY_NAMES[b]).join(', '),
      state: r.path,
      stateWords: caseStateWords(r.path),
      waitsFor: r.waitsFor,
      since: formatInstantUtc(r.since),
      awaitsYou: r.awaitsViewer,
    })),
  }
}

export default function Inbox() {
  const { bodies, filter, cases, total, awaiting, pageSize, firstPage, nextPage } = useLoaderData<typeof loader>()
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li aria-current="page">Reported matters</li>
        </ol>
      </nav>
      <header className="ow-page-head">
        <p className="ow-eyebrow">Received as {bodies.map((b) => b.label).join(', ')}</p>
        <h1>Reported matters</h1>
      </header>
      <p className="hint">
        Matters brought to your bodies under duties 1 to 4 of the Code of Ethics, newest first. A matter about you is never shown to you.
      </p>

      <Form method="get" className="ow-panel ow-filters" aria-labelledby="filter-title">
        <h2 id="filter-title">Show</h2>
        <div className="field">
          <label htmlFor="filter-state">State</label>
          <select id="filter-state" name="state" defaultValue={filter.state}>
            <option value="">Every state</option>
            {Object.entries(CASE_STATE_WORDS).map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-body">Received as</label>
          <select id="filter-body" name="body" defaultValue={filter.body}>
            <option value="">Any of your bodies</option>
            {bodies.map((b) => (
              <option key={b.value} value={b.value}>
                {b.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="ow-secondary-button">
          Show these matters
        </button>
      </Form>

      <section aria-labelledby="inbox-title" className="ow-panel">
        <h2 id="inbox-title">
          {total === 1 ? 'One matter' : `${total} matters`}
          {awaiting > 0 ? `, ${awaiting} waiting for you` : ''}
        </h2>
        {total > pageSize || firstPage ? (
          <p className="ow-muted">
            {pageSize} a page, newest first{firstPage ? '; this page continues from the one before' : ''}.
          </p>
        ) : null}
        {cases.length === 0 ? (
          <p>No matter here{filter.state || filter.body ? ' with these filters' : ''}.</p>
        ) : (
          <div className="ow-table-scroll">
            <table className="ow-cases ow-inbox">
              <caption className="visually-hidden">Reported matters received by your bodies, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Matter</th>
                  <th scope="col">Duty and kind</th>
                  <th scope="col">Received as</th>
                  <th scope="col">State</th>
                  <th scope="col">Waits for</th>
                </tr>
              </thead>
              <tbody>
                {cases.map((c) => (
                  <tr key={c.caseId} data-case-id={c.caseId}>
                    <th scope="row">
                      <Link to={`/cases/${c.caseId}`}>
                        <UserText>{c.summary.length > 140 ? `${c.summary.slice(0, 140).replace(/\s+\S*$/, '')}…` : c.summary}</UserText>
                      </Link>
                      <br />
                      <span className="ow-muted">
                        <code>{c.caseId}</code> · reported {c.reportedAt}
                        {c.report ? ` · ${c.report}` : ''}
                      </span>
                    </th>
                    <td>
                      Duty {c.duty}: {c.kind}
                    </td>
                    <td>{c.receivedAs}</td>
                    <td>
                      <span className={`ow-state-badge ow-case-${c.state}`}>{c.stateWords}</span>
                    </td>
                    <td>
                      {c.awaitsYou ? <strong>Waits for you: </strong> : null}
                      {c.waitsFor}
                      <br />
                      <span className="ow-muted">since {c.since}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {firstPage || nextPage ? (
          <nav aria-label="Pages of reported matters" className="ow-pager">
            {firstPage ? <Link to={firstPage}>Newest matters</Link> : null}
            {firstPage && nextPage ? ' · ' : null}
            {nextPage ? (
              <Link to={nextPage} rel="next">
                Older matters
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ error }) => (error ? errorMeta(error) : [{ title: 'Reported matters' }])

export const ErrorBoundary = RouteErrorBoundary
