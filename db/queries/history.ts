// The history timeline: every event of the record, newest first, filtered by
// report, person, duty, kind of event and date range, a page at a time by keyset.
// Each filter combination is served by an index (migration 010; the plan is
// checked on 100,000 events in tests/db/history-plan.test.ts).
import type { Executor } from './executor'

export interface TimelineFilters {
  /** Events of the workflows of one periodic report (its lifecycle, duties, cases). */
  reportId?: string
  /** Events one person took (the actor); the app's own events have none. */
  actorUserId?: string
  /** Events of the workflows of one duty: the officers' reviews of it and the cases raised under it. */
  dutyNumber?: number
  /** One kind of event, e.g. 'duty.sign'. */
  eventType?: string
  /** First UTC calendar day included, 'YYYY-MM-DD'. */
  fromDate?: string
  /** Last UTC calendar day included, 'YYYY-MM-DD'. */
  toDate?: string
}

/** Where a page ends: the last row's (recorded_at, sequence), the timeline's order. */
export interface TimelineCursor {
  recordedAt: string
  sequence: number
}

export interface TimelinePage {
  /** Rows a page, 1 to TIMELINE_MAX_LIMIT; TIMELINE_DEFAULT_LIMIT when absent. */
  limit?: number
  /** The next page starts after this row (older than it); the first page when absent. */
  cursor?: TimelineCursor | null
}

export const TIMELINE_DEFAULT_LIMIT = 50
export const TIMELINE_MAX_LIMIT = 200

/**
 * One event, ready for a page. The record stores events, not the states between
 * them: a state before and after an event is the UI's to replay when it shows one.
 */
export interface TimelineRow {
  sequence: number
  /** When the record took it, ISO 8601 UTC (server time). */
  recordedAt: string
  eventType: string
  /** Null for the events the app sends on its own account (role 'system'). */
  actorUserId: string | null
  actorName: string | null
  /** The role the actor acted in at that moment, as the chain recorded it. */
  actorRole: string
  workflow: {
    id: string
    machineId: string
    reportId: string | null
    dutyNumber: number | null
    officerUserId: string | null
    caseId: string | null
  }
}

export interface TimelineResult {
  rows: TimelineRow[]
  /** The cursor of the next (older) page, or null when this page is the last. */
  nextCursor: TimelineCursor | null
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

function checkDate(value: string, what: string): string {
  if (!DATE.test(value) || new Date(`${value}T00:00:00.000Z`).toISOString().slice(0, 10) !== value) {
    throw new RangeError(`Invalid ${what}: '${value}' is not a calendar date 'YYYY-MM-DD'`)
  }
  return value
}

function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10)
}

/** A cursor as a URL parameter: '<recorded_at>~<sequence>'. */
export function formatTimelineCursor(cursor: TimelineCursor): string {
  return `${cursor.recordedAt}~${cursor.sequence}`
}

/** A cursor from a URL parameter, or null when it is not one (a page answers 400). */
export function parseTimelineCursor(value: string): TimelineCursor | null {
  const match = /^(.+)~([1-9]\d{0,15})$/.exec(value)
  if (!match || !INSTANT.test(match[1]!)) return null
  const sequence = Number(match[2])
  return Number.isSafeInteger(sequence) ? { recordedAt: match[1]!, sequence } : null
}

/**
 * A page of the timeline, newest first: ordered by (recorded_at, sequence)
 * descending — the time the record took each event, the chain's sequence
 * breaking ties — so that the cursor is unique and every filter's index gives the
 * order as it is walked. Filters combine with AND. Routes validate their input
 * (dates, limit) before calling; a bad one here is a programming error and throws.
 */
export async function listTimeline(db: Executor, filters: TimelineFilters, page: TimelinePage = {}): Promise<TimelineResult> {
  const limit = page.limit ?? TIMELINE_DEFAULT_LIMIT
  const rows = await timelineQuery(db, filters, page).execute()
  const pageRows = rows.slice(0, limit).map((r): TimelineRow => ({
    sequence: r.sequence,
    recordedAt: r.recorded_at,
    eventType: r.event_type,
    actorUserId: r.actor_user_id,
    actorName: r.full_name,
    actorRole: r.actor_role,
    workflow: {
      id: r.instance_id,
      machineId: r.machine_id,
      reportId: r.report_id,
      dutyNumber: r.duty_number,
      officerUserId: r.officer_user_id,
      caseId: r.case_id,
    },
  }))
  const last = pageRows.at(-1)
  return {
    rows: pageRows,
    nextCursor: rows.length > limit && last ? { recordedAt: last.recordedAt, sequence: last.sequence } : null,
  }
}

/** The statement listTimeline runs (one row more than the page, to know whether another follows); tests read its plan. */
export function timelineQuery(db: Executor, filters: TimelineFilters, page: TimelinePage = {}) {
  const limit = page.limit ?? TIMELINE_DEFAULT_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > TIMELINE_MAX_LIMIT) {
    throw new RangeError(`Invalid limit: ${String(limit)} (1 to ${TIMELINE_MAX_LIMIT})`)
  }
  const from = filters.fromDate === undefined ? undefined : checkDate(filters.fromDate, 'fromDate')
  const to = filters.toDate === undefined ? undefined : checkDate(filters.toDate, 'toDate')
  const cursor = page.cursor ?? null

  // How SQLite serves it (tests/db/history-plan.test.ts): a filter on the person or
  // the kind of event, or a date range, walks that index of workflow_event (010) in
  // the timeline's order and stops after a page, looking each event's workflow up by
  // id; a filter on the workflow alone (report, duty) starts from workflow_instance's
  // index, reaches each instance's events by (instance_id, instance_version), and
  // sorts that report's or duty's events.
  return (
    db
      .selectFrom('workflow_event as e')
      .innerJoin('workflow_instance as i', 'i.id', 'e.instance_id')
      .leftJoin('user as u', 'u.id', 'e.actor_user_id')
      .select([
        'e.sequence',
        'e.recorded_at',
        'e.event_type',
        'e.actor_user_id',
        'e.actor_role',
        'u.full_name',
        'i.id as instance_id',
        'i.machine_id',
        'i.report_id',
        'i.duty_number',
        'i.officer_user_id',
        'i.case_id',
      ])
      .$if(filters.reportId !== undefined, (qb) => qb.where('i.report_id', '=', filters.reportId!))
      .$if(filters.dutyNumber !== undefined, (qb) => qb.where('i.duty_number', '=', filters.dutyNumber!))
      .$if(filters.actorUserId !== undefined, (qb) => qb.where('e.actor_user_id', '=', filters.actorUserId!))
      .$if(filters.eventType !== undefined, (qb) => qb.where('e.event_type', '=', filters.eventType!))
      // ISO 8601 instants compare as text in time order; a bare date sorts before every instant of its day.
      .$if(from !== undefined, (qb) => qb.where('e.recorded_at', '>=', from!))
      .$if(to !== undefined, (qb) => qb.where('e.recorded_at', '<', dayAfter(to!)))
      // (recorded_at, sequence) < cursor, written so that `recorded_at <= ?` is an index range.
      .$if(cursor !== null, (qb) =>
        qb
          .where('e.recorded_at', '<=', cursor!.recordedAt)
          .where((eb) => eb.or([eb('e.recorded_at', '<', cursor!.recordedAt), eb('e.sequence', '<', cursor!.sequence)])),
      )
      .orderBy('e.recorded_at', 'desc')
      .orderBy('e.sequence', 'desc')
      .limit(limit + 1)
  )
}

// ── The history pages: the report matrix, a sign-off's detail (issue 10).

/** Every sign-off row of one report, oldest first (an officer's own when `officerUserId` is set). */
export async function listReportSignOffRows(db: Executor, reportId: string, officerUserId?: string) {
  return db
    .selectFrom('sign_off')
    .select(['id', 'duty_number', 'officer_user_id', 'officer_role', 'meaning', 'signed_at', 'workflow_instance_id', 'workflow_sequence'])
    .where('report_id', '=', reportId)
    .$if(officerUserId !== undefined, (qb) => qb.where('officer_user_id', '=', officerUserId!))
    .orderBy('workflow_sequence')
    .execute()
}

/** One officer's sign-off with its draft's file name, or undefined. */
export async function findSignOffRow(db: Executor, id: string) {
  return db
    .selectFrom('sign_off as s')
    .leftJoin('report_draft as d', 'd.id', 's.draft_id')
    .selectAll('s')
    .select(['d.file_name as draft_file_name', 'd.version as draft_version'])
    .where('s.id', '=', id)
    .executeTakeFirst()
}

/** One signature of an act (a committee's step, an approval for filing, a Board determination), or undefined. */
export async function findActSignatureRow(db: Executor, id: string) {
  return db.selectFrom('signature').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Every signature of an act on one report, oldest first. */
export async function listReportActSignatures(db: Executor, reportId: string) {
  return db
    .selectFrom('signature')
    .select(['id', 'act', 'capacity', 'printed_name', 'signer_user_id', 'signed_at', 'meaning_text', 'workflow_sequence'])
    .where('report_id', '=', reportId)
    .orderBy('workflow_sequence')
    .execute()
}

/** The reopenings of one duty workflow (withdrawn, a newer draft, sent back), oldest first. */
export async function listReopenings(db: Executor, workflowInstanceId: string) {
  const rows = await db
    .selectFrom('workflow_event')
    .select(['sequence', 'recorded_at', 'event'])
    .where('instance_id', '=', workflowInstanceId)
    .where('event_type', '=', 'duty.reopen')
    .orderBy('sequence')
    .execute()
  return rows.map((r) => ({
    sequence: r.sequence,
    recordedAt: r.recorded_at,
    reason: (JSON.parse(r.event) as { reason?: string }).reason ?? 'unknown',
  }))
}

/** An officer's latest sign-off of each duty of a report, with what it manifests (for comparing periods). */
export async function listLatestSignOffsOf(db: Executor, reportId: string, officerUserId: string) {
  const rows = await db
    .selectFrom('sign_off')
    .select(['id', 'duty_number', 'signed_at', 'meaning_text', 'manifestation', 'workflow_sequence'])
    .where('report_id', '=', reportId)
    .where('officer_user_id', '=', officerUserId)
    .orderBy('workflow_sequence', 'desc')
    .execute()
  const latest = new Map<number, (typeof rows)[number]>()
  for (const r of rows) if (!latest.has(r.duty_number)) latest.set(r.duty_number, r)
  return latest
}
