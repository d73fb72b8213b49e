import { Readable } from 'node:stream'
import { stringify } from 'csv-stringify'
import { type TimelineCursor, type TimelineFilters, TIMELINE_MAX_LIMIT, listTimeline } from '../../db/queries/history'
import type { Executor } from '../../db/queries/executor'
import { eventWords } from '../../machines/event-words'
import { timelineWords } from './timeline-words'

// The events behind a filtered timeline as CSV, one row per event, streamed a
// page at a time (never the whole file in memory). Formulas are escaped: a cell
// starting with =, +, -, @ cannot run in a spreadsheet. `event` is the kind as
// stored (for a spreadsheet's filter), `what_happened` the same in words.

export const TIMELINE_CSV_COLUMNS = [
  'sequence',
  'recorded_at_utc',
  'recorded_at_company_time',
  'event',
  'what_happened',
  'person',
  'person_id',
  'role_at_the_time',
  'title_at_the_time',
  'roles_held_at_the_time',
  'state_before',
  'state_after',
  'report',
  'duty',
  'officer',
  'case',
  'workflow',
] as const

/** `showCases` false: a case's id is left out (the reader may not see every case; the case page decides). */
export function timelineCsv(db: Executor, filters: TimelineFilters, timeZone: string, showCases: boolean): Readable {
  const local = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'long', timeZone })
  const csv = stringify({ header: true, columns: [...TIMELINE_CSV_COLUMNS], escape_formulas: true })
  async function* rows() {
    let cursor: TimelineCursor | null = null
    do {
      const page = await listTimeline(db, filters, { limit: TIMELINE_MAX_LIMIT, cursor })
      for (const r of page.rows) {
        const words = timelineWords(r)
        yield {
          sequence: r.sequence,
          recorded_at_utc: r.recordedAt,
          recorded_at_company_time: local.format(new Date(r.recordedAt)),
          event: r.eventType,
          what_happened: eventWords(r.eventType),
          person: r.actorName ?? '',
          person_id: r.actorUserId ?? '',
          role_at_the_time: r.actorRole,
          title_at_the_time: words.title ?? '',
          roles_held_at_the_time: words.rolesThen.join('; '),
          state_before: words.from,
          state_after: words.to,
          report: r.workflow.reportId ?? '',
          duty: r.workflow.dutyNumber ?? '',
          officer: r.workflow.officerUserId ?? '',
          case: showCases ? (r.workflow.caseId ?? '') : r.workflow.caseId ? 'a reported matter' : '',
          workflow: showCases || !r.workflow.caseId ? r.workflow.id : '',
        }
      }
      cursor = page.nextCursor
    } while (cursor)
  }
  const source = Readable.from(rows())
  source.on('error', (error) => csv.destroy(error))
  return source.pipe(csv)
}
