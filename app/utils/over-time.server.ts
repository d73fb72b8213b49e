import { listAllCases } from '../../db/queries/cases'
import { countExceptionsByReport } from '../../db/queries/history'
import type { Executor } from '../../db/queries/executor'
import type { RecordReader } from '../../db/queries/workflows'
import { shortReportLabel } from './format'
import { canSeeCase, type HistoryReader } from './permissions.server'

// Exceptions and cases over time (issue 10, "Across periods"): one row per
// periodic report in period order, the duty exceptions each officer raised on it
// and the reported matters raised on it — opened, resolved, referred to the Board,
// still open. Only cases the reader may see count (docs/decisions/013: never one
// about them; the Chairman and the Disclosure Committee only those routed to
// their bodies or reported by them); an officer counts their own exceptions and
// the matters they reported. Each number links to the timeline filtered to it.

export interface OverTimeRow {
  reportId: string | null
  label: string
  exceptions: { officerId: string; count: number; href: string }[]
  cases: Record<'opened' | 'resolved' | 'referred' | 'open', { count: number; href: string }>
}

const CLOSED = { resolved: 'case.resolve', referred: 'case.refer' } as const

/** How many periods the table shows at once: three years of a company's reports. */
export const OVER_TIME_PERIODS = 12

/**
 * The window of the table (issue 13): the `size` periods up to `upTo` (the latest
 * when none), in period order, and where the earlier ones start. A twenty-year record
 * drew ≈ 80 rows and 600 links on every comparison, 0.14× the framework's floor.
 * Undefined when `upTo` names no report.
 */
export function periodWindow<T extends { id: string }>(
  reports: readonly T[],
  upTo: string | undefined,
  size = OVER_TIME_PERIODS,
): { shown: T[]; earlier: string | null; latest: boolean } | undefined {
  const end = upTo === undefined ? reports.length : reports.findIndex((r) => r.id === upTo) + 1
  if (end === 0) return undefined
  const start = Math.max(0, end - size)
  return { shown: reports.slice(start, end), earlier: start > 0 ? reports[start - 1]!.id : null, latest: end === reports.length }
}

export interface OverTimeTable {
  rows: OverTimeRow[]
  /** The `upTo` of the window before this one, or null when this one starts at the first report. */
  earlier: string | null
  /** Whether this window ends at the latest report. */
  latest: boolean
}

export async function exceptionsAndCasesOverTime(
  db: Executor,
  record: RecordReader,
  reader: HistoryReader,
  officers: readonly { id: string; name: string }[],
  upTo?: string,
): Promise<OverTimeTable | undefined> {
  const all = await db
    .selectFrom('periodic_report')
    .select(['id', 'form', 'fiscal_year', 'fiscal_quarter', 'amendment_number'])
    .orderBy('period_end')
    .orderBy('amendment_number')
    .execute()
  const window = periodWindow(all, upTo)
  if (!window) return undefined
  const reports = window.shown
  const exceptions = await countExceptionsByReport(db, reader.ownOnly ?? undefined)
  const cases = (await listAllCases(db, record)).filter((c) =>
    reader.ownOnly !== null
      ? 'userId' in c.context.reporter && c.context.reporter.userId === reader.ownOnly
      : canSeeCase(reader.user, c.context),
  )
  const timeline = (params: Record<string, string>) => `/history?${new URLSearchParams(params).toString()}`
  const rowFor = (reportId: string | null, label: string): OverTimeRow => {
    const mine = cases.filter((c) => c.reportId === reportId)
    const scope: Record<string, string> = reportId ? { report: reportId } : {}
    const stateOf = (c: (typeof mine)[number]) => c.path.split('.')[0]
    const count = (kind: keyof OverTimeRow['cases']) =>
      kind === 'opened'
        ? mine.length
        : kind === 'resolved'
          ? mine.filter((c) => stateOf(c) === 'resolved').length
          : kind === 'referred'
            ? mine.filter((c) => stateOf(c) === 'referredForDetermination').length
            : mine.filter((c) => stateOf(c) !== 'resolved' && stateOf(c) !== 'referredForDetermination').length
    return {
      reportId,
      label,
      exceptions: officers.map((o) => ({
        officerId: o.id,
        count: exceptions.find((e) => e.report_id === reportId && e.officer_user_id === o.id)?.n ?? 0,
        href: timeline({ ...scope, person: o.id, kind: 'duty.raiseException' }),
      })),
      cases: {
        opened: { count: count('opened'), href: timeline({ ...scope, kind: 'case.route' }) },
        resolved: { count: count('resolved'), href: timeline({ ...scope, kind: CLOSED.resolved }) },
        referred: { count: count('referred'), href: timeline({ ...scope, kind: CLOSED.referred }) },
        // Still with their recipients: the inbox is where they are worked on.
        open: { count: count('open'), href: reader.ownOnly === null ? '/cases' : '/cases/mine' },
      },
    }
  }
  const rows = reports.map((r) =>
    rowFor(r.id, `${shortReportLabel(r)}${r.amendment_number > 0 ? ` (amendment No. ${r.amendment_number})` : ''}`),
  )
  // Matters tied to no report (a code violation of 2009, say) are counted too, in a row of their own, with the latest periods.
  if (window.latest && cases.some((c) => c.reportId === null)) rows.push(rowFor(null, 'Not tied to a periodic report'))
  return { rows, earlier: window.earlier, latest: window.latest }
}
