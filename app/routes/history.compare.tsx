import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { listLatestSignOffsOf } from '../../db/queries/history'
import { listPeople } from '../../db/queries/people'
import { DUTIES } from '../../machines/duties'
import { OFFICER_ROLES } from '../../machines/roles'
import { compareAnswers, pathWords, valueWords } from '../utils/compare-answers'
import { getDb } from '../utils/db.server'
import { formatInstantUtc, shortReportLabel } from '../utils/format'
import { OVER_TIME_PERIODS, exceptionsAndCasesOverTime } from '../utils/over-time.server'
import { exceptionWordsKeptFrom, requireHistoryReader, requireOwnHistory, type SignedException } from '../utils/permissions.server'
import { getRecord } from '../utils/workflow.server'

// Across periods (issue 10): exceptions and cases over time, report by report
// (app/utils/over-time.server.ts); and one officer's signed answers, duty by duty,
// between two reports — what changed, what was added, what disappeared. An
// officer sees and compares only their own.

export const meta: MetaFunction = () => [{ title: 'Across periods — Code of Ethics attestations' }]

const id = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9._:/-]+$/, 'not an id')
const CompareSchema = z.strictObject({ officer: id.optional(), from: id.optional(), to: id.optional(), upTo: id.optional() })
const bad = (message: string) => new Response(message, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

export async function loader({ request }: LoaderFunctionArgs) {
  const reader = await requireHistoryReader(request)
  const raw = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ''))
  const parsed = CompareSchema.safeParse(raw)
  if (!parsed.success) throw bad(`The comparison is not valid: ${parsed.error.issues[0]!.message}.`)
  const officer = parsed.data.officer ?? reader.ownOnly ?? undefined
  if (officer) await requireOwnHistory(request, reader, officer)
  const db = await getDb()
  const reports = await db
    .selectFrom('periodic_report')
    .select(['id', 'form', 'fiscal_year', 'fiscal_quarter', 'company_id'])
    .orderBy('period_end')
    .execute()
  const label = shortReportLabel
  const officers = reports[0]
    ? (await listPeople(db, reports[0].company_id))
        .filter((p) => OFFICER_ROLES.some((r) => p.roles.includes(r)))
        .filter((p) => reader.ownOnly === null || p.id === reader.ownOnly)
    : []
  const from = reports.find((r) => r.id === parsed.data.from)
  const to = reports.find((r) => r.id === parsed.data.to)
  if ((parsed.data.from && !from) || (parsed.data.to && !to)) throw bad('There is no such report to compare.')
  if (officer && !officers.some((o) => o.id === officer)) throw bad('There is no such certifying officer.')
  let duties: Array<{
    number: number
    title: string
    before: { id: string; at: string } | null
    after: { id: string; at: string } | null
    changes: ReturnType<typeof compareAnswers>
    /** An exception of this duty is about a matter concerning the reader: its answers are kept from them. */
    keptFromReader: boolean
  }> | null = null
  if (officer && from && to) {
    const [a, b] = await Promise.all([listLatestSignOffsOf(db, from.id, officer), listLatestSignOffsOf(db, to.id, officer)])
    const keptFrom = await exceptionWordsKeptFrom(db, reader, officer)
    duties = DUTIES.map((duty) => {
      const x = a.get(duty.number)
      const y = b.get(duty.number)
      const signed = (row: typeof x) => (row ? (JSON.parse(row.manifestation) as SignedException & { answers: unknown }) : undefined)
      const keptFromReader = [signed(x), signed(y)].some((m) => m !== undefined && keptFrom(m))
      return {
        number: duty.number,
        title: duty.title,
        before: x ? { id: x.id, at: formatInstantUtc(x.signed_at) } : null,
        after: y ? { id: y.id, at: formatInstantUtc(y.signed_at) } : null,
        changes: x && y && !keptFromReader ? compareAnswers(signed(x)!.answers, signed(y)!.answers) : [],
        keptFromReader,
      }
    })
  }
  const officerNames = officers.map((o) => ({ id: o.id, name: o.name }))
  const overTime = await exceptionsAndCasesOverTime(db, await getRecord(), reader, officerNames, parsed.data.upTo)
  if (!overTime) throw bad('There is no such report to show the periods up to.')
  const kept = Object.fromEntries(Object.entries({ officer: parsed.data.officer, from: from?.id, to: to?.id }).filter(([, v]) => v))
  const windowHref = (upTo: string | null) => `/history/compare?${new URLSearchParams({ ...kept, ...(upTo ? { upTo } : {}) }).toString()}`
  return {
    overTime: overTime.rows,
    periods: OVER_TIME_PERIODS,
    earlierHref: overTime.earlier ? windowHref(overTime.earlier) : null,
    latestHref: overTime.latest ? null : windowHref(null),
    params: { officer: officer ?? '', from: from?.id ?? '', to: to?.id ?? '' },
    reports: reports.map((r) => ({ id: r.id, label: label(r) })),
    officers: officers.map((o) => ({ id: o.id, name: o.name })),
    fromLabel: from ? label(from) : '',
    toLabel: to ? label(to) : '',
    duties,
  }
}

type OverTimeRows = ReturnType<typeof useLoaderData<typeof loader>>['overTime']

/** One row per report: each officer's exceptions, then the matters raised on it; every number links to what it counts. */
function OverTime({
  rows,
  officers,
  earlierHref,
  latestHref,
  periods,
}: {
  rows: OverTimeRows
  officers: { id: string; name: string }[]
  earlierHref: string | null
  latestHref: string | null
  periods: number
}) {
  // Plain links: a <Link> resolves its address through the router on every render (issue 13's
  // profile), and these only open the timeline.
  const counted = (c: { count: number; href: string }, what: string) => (
    <a href={c.href} aria-label={`${c.count} ${what}`}>
      {c.count}
    </a>
  )
  return (
    <section aria-labelledby="over-time-title" className="ow-panel">
      <h2 id="over-time-title">Exceptions and cases over time</h2>
      <p className="hint">
        Duty exceptions each officer raised, and the reported matters raised on each report that you may see, {periods} periods at a time.
      </p>
      <div className="ow-table-scroll">
        <table className="ow-over-time">
          <thead>
            <tr>
              <th scope="col" rowSpan={2}>
                Periodic report
              </th>
              {officers.length ? (
                <th scope="colgroup" colSpan={officers.length}>
                  Exceptions raised by
                </th>
              ) : null}
              <th scope="colgroup" colSpan={4}>
                Reported matters
              </th>
            </tr>
            <tr>
              {officers.map((o) => (
                <th key={o.id} scope="col">
                  {o.name}
                </th>
              ))}
              <th scope="col">Opened</th>
              <th scope="col">Resolved</th>
              <th scope="col">Referred to the Board</th>
              <th scope="col">Still open</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.reportId ?? 'none'} data-report={r.reportId ?? ''}>
                <th scope="row">{r.label}</th>
                {r.exceptions.map((e) => (
                  <td key={e.officerId}>
                    {counted(e, `exceptions raised by ${officers.find((o) => o.id === e.officerId)?.name ?? ''} on ${r.label}`)}
                  </td>
                ))}
                <td>{counted(r.cases.opened, `matters opened on ${r.label}`)}</td>
                <td>{counted(r.cases.resolved, `matters resolved on ${r.label}`)}</td>
                <td>{counted(r.cases.referred, `matters referred to the Board on ${r.label}`)}</td>
                <td>{counted(r.cases.open, `matters still open on ${r.label}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {earlierHref || latestHref ? (
        <p>
          {earlierHref ? <a href={earlierHref}>Earlier periods</a> : null}
          {earlierHref && latestHref ? ' · ' : null}
          {latestHref ? <a href={latestHref}>The latest periods</a> : null}
        </p>
      ) : null}
    </section>
  )
}

const KIND_WORDS = { changed: 'Changed', added: 'Added', removed: 'No longer there' } as const

export default function ComparePage() {
  const d = useLoaderData<typeof loader>()
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb ow-no-print">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li>
            <Link to="/history">History</Link>
          </li>
          <li aria-current="page">Across periods</li>
        </ol>
      </nav>
      <header className="ow-page-head">
        <h1>Across periods</h1>
      </header>
      <OverTime rows={d.overTime} officers={d.officers} earlierHref={d.earlierHref} latestHref={d.latestHref} periods={d.periods} />
      <h2 id="compare-title">Compare an officer’s answers between two periods</h2>
      <Form method="get" className="ow-panel ow-filters" aria-labelledby="compare-title">
        <label>
          Officer{' '}
          <select name="officer" defaultValue={d.params.officer}>
            {d.officers.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Earlier report{' '}
          <select name="from" defaultValue={d.params.from}>
            {d.reports.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Later report{' '}
          <select name="to" defaultValue={d.params.to}>
            {d.reports.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Compare</button>
      </Form>
      {d.duties ? (
        <section aria-labelledby="changes-title" className="ow-panel">
          <h2 id="changes-title">
            {d.fromLabel} → {d.toLabel}
          </h2>
          <ol className="ow-compare">
            {d.duties.map((duty) => (
              <li key={duty.number} data-duty={duty.number}>
                <h3>
                  Duty {duty.number}. {duty.title}
                </h3>
                {duty.keptFromReader ? (
                  <p className="ow-kept-from-reader">
                    Kept from you: an exception of this duty is about a reported matter that concerns you, and a matter is never shown to
                    the person it is about.
                  </p>
                ) : !duty.before || !duty.after ? (
                  <p>
                    {duty.before ? '' : `Not signed in ${d.fromLabel}. `}
                    {duty.after ? '' : `Not signed in ${d.toLabel}.`}
                  </p>
                ) : duty.changes.length === 0 ? (
                  <p>The same answers in both.</p>
                ) : (
                  <ul>
                    {duty.changes.map((c, i) => (
                      <li key={i}>
                        <strong>{KIND_WORDS[c.kind]}</strong> {pathWords(c.path)}:{' '}
                        {c.before !== null ? <del>{valueWords(c.before)}</del> : null}
                        {c.before !== null && c.after !== null ? ' → ' : null}
                        {c.after !== null ? <ins>{valueWords(c.after)}</ins> : null}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  )
}
