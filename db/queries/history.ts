// The history timeline: every event of the record, newest first, filtered by
// report, person, duty, kind of event and date range, a page at a time by keyset.
// Each filter combination is served by an index (migration 010; the plan is
// checked on 100,000 events in tests/db/history-plan.test.ts).
import { sql } from 'kysely'
import { KEPT_ROWS_MACHINE_ID } from '../../machines/kept-rows'
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
 * One event, ready for a page: who acted with the title and roles they held that
 * day (title_assignment, membership: migration 016), and the workflow's state
 * before and after it (workflow_event_state, derived by replay and checked by
 * `npm run verify`).
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
  /** The title the actor held on the event's UTC day; null for the app, or a day before any dated title. */
  actorTitle: string | null
  /** Every role the actor held that day, sorted. */
  actorRolesThen: string[]
  /** The event's place in its workflow's history, from 1. */
  instanceVersion: number
  /** The workflow's state value before the event; null for its first event (the machine's initial state, from `input`). */
  stateBefore: unknown
  /** The state value the event led to; undefined when the derived row is missing (verify names it). */
  stateAfter: unknown
  workflow: {
    id: string
    machineId: string
    machineVersion: number
    /** The machine's input, for the initial state before a workflow's first event. */
    input: unknown
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
    actorTitle: r.actor_title,
    instanceVersion: r.instance_version,
    actorRolesThen: r.actor_roles ? r.actor_roles.split(',').sort() : [],
    stateBefore: r.state_before === null ? null : (JSON.parse(r.state_before) as unknown),
    stateAfter: r.state_after === null ? undefined : (JSON.parse(r.state_after) as unknown),
    workflow: {
      id: r.instance_id,
      machineId: r.machine_id,
      machineVersion: r.machine_version,
      input: JSON.parse(r.input) as unknown,
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
        'e.instance_version',
        'e.recorded_at',
        'e.event_type',
        'e.actor_user_id',
        'e.actor_role',
        'u.full_name',
        'i.id as instance_id',
        'i.machine_id',
        'i.machine_version',
        'i.input',
        'i.report_id',
        'i.duty_number',
        'i.officer_user_id',
        'i.case_id',
      ])
      // What held on the event's day, and the states around it: looked up per row of the page by primary key or index.
      .select((eb) => [
        eb
          .selectFrom('title_assignment as t')
          .select('t.title')
          .whereRef('t.user_id', '=', 'e.actor_user_id')
          .where('t.effective_from', '<=', sql<string>`substr(e.recorded_at, 1, 10)`)
          .where((w) => w.or([w('t.effective_to', 'is', null), w('t.effective_to', '>', sql<string>`substr(e.recorded_at, 1, 10)`)]))
          .orderBy('t.effective_from', 'desc')
          .limit(1)
          .as('actor_title'),
        eb
          .selectFrom('membership as m')
          .select(sql<string>`group_concat(m.role, ',')`.as('roles'))
          .whereRef('m.user_id', '=', 'e.actor_user_id')
          .where('m.effective_from', '<=', sql<string>`substr(e.recorded_at, 1, 10)`)
          .where((w) => w.or([w('m.effective_to', 'is', null), w('m.effective_to', '>', sql<string>`substr(e.recorded_at, 1, 10)`)]))
          .as('actor_roles'),
        eb.selectFrom('workflow_event_state as sa').select('sa.state_value').whereRef('sa.sequence', '=', 'e.sequence').as('state_after'),
        eb
          .selectFrom('workflow_event as p')
          .innerJoin('workflow_event_state as sb', 'sb.sequence', 'p.sequence')
          .select('sb.state_value')
          .whereRef('p.instance_id', '=', 'e.instance_id')
          .where('p.instance_version', '=', sql<number>`e.instance_version - 1`)
          .as('state_before'),
      ])
      // The events that bind the thread and the registers to the chain say nothing a history reader may read (ADR 025).
      .where('i.machine_id', '!=', KEPT_ROWS_MACHINE_ID)
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

// ── Across periods: exceptions over time (issue 10).

/** How many duty exceptions each officer raised on each report (`duty.raiseException` events); one officer's when `officerUserId` is set. */
export async function countExceptionsByReport(db: Executor, officerUserId?: string) {
  return db
    .selectFrom('workflow_event as e')
    .innerJoin('workflow_instance as i', 'i.id', 'e.instance_id')
    .select(['i.report_id', 'i.officer_user_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('e.event_type', '=', 'duty.raiseException')
    .$if(officerUserId !== undefined, (qb) => qb.where('i.officer_user_id', '=', officerUserId!))
    .groupBy(['i.report_id', 'i.officer_user_id'])
    .execute()
}
