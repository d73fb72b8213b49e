// Reads of reported matters for their recipients: the inbox, one case with its
// steps, its thread (notes, questions, answers), its files and its access log.
// Who may see what is decided by machines/case.ts (`recipientBodiesOf`) and
// app/utils/permissions.server.ts; these functions only read.
import { sql } from 'kysely'
import { CASE_MACHINE_ID, type CaseContext, caseAwaitsBodies, caseWaitsFor, recipientBodiesOf } from '../../machines/case'
import { statePath } from '../../machines/primitives'
import type { Body } from '../../machines/roles'
import { instanceId } from '../ids'
import { determinationProgress } from './determinations'
import type { CaseMessageKind } from '../schema'
import { loadInstance, parseSnapshot, trustedSnapshots } from '../workflow-record'
import type { Executor } from './executor'
import { type RecordReader, storedStateValue } from './workflows'

export interface CaseRow {
  caseId: string
  instanceId: string
  reportId: string | null
  version: number
  /** The state as a dotted path (`routed`, `underReview`, …). */
  path: string
  context: CaseContext
}

export interface InboxRow extends CaseRow {
  /** The bodies the viewer receives it as. */
  bodies: Body[]
  waitsFor: string
  since: string
  /** It waits for one of the viewer's bodies: an acknowledgement, or the recipients' decision. */
  awaitsViewer: boolean
  report: { id: string; form: '10-Q' | '10-K'; fiscalYear: number; fiscalQuarter: number | null } | null
}

export interface InboxFilter {
  /** A state of the case machine (its top-level name). */
  state?: string
  body?: Body
}

/** Every case in the record, each from its sealed snapshot (or rebuilt from its events). */
export async function listAllCases(db: Executor, reader: RecordReader): Promise<CaseRow[]> {
  const cached = await db
    .selectFrom('workflow_instance as i')
    .innerJoin('workflow_snapshot as s', 's.instance_id', 'i.id')
    .select(['i.id as instance_id', 'i.report_id', 's.version', 's.state', 's.status', 's.snapshot', 's.seal'])
    .where('i.machine_id', '=', CASE_MACHINE_ID)
    .execute()
  const rows = await trustedSnapshots(db, reader.lookup, reader.key, cached)
  return rows.map((r) => {
    const context = parseSnapshot<{ context: CaseContext }>(r.instance_id, r.snapshot).context
    return {
      caseId: context.caseId,
      instanceId: r.instance_id,
      reportId: r.report_id,
      version: r.version,
      path: statePath(storedStateValue(r.state)),
      context,
    }
  })
}

/**
 * The cases routed to the viewer's bodies (never those about the viewer, nor
 * those the viewer reported), newest first, with what each waits for and since when.
 */
export async function listInbox(
  db: Executor,
  reader: RecordReader,
  viewer: { userId: string; bodies: readonly Body[] },
  filter: InboxFilter = {},
): Promise<InboxRow[]> {
  const reports = new Map(
    (await db.selectFrom('periodic_report').select(['id', 'form', 'fiscal_year', 'fiscal_quarter']).execute()).map((r) => [r.id, r]),
  )
  const out: InboxRow[] = []
  for (const row of await listAllCases(db, reader)) {
    const bodies = recipientBodiesOf(row.context, viewer)
    if (bodies.length === 0) continue
    if (filter.body && !bodies.includes(filter.body)) continue
    if (filter.state && row.path.split('.')[0] !== filter.state) continue
    const snapshot = { value: row.path, context: row.context }
    const report = row.reportId ? reports.get(row.reportId) : undefined
    out.push({
      ...row,
      bodies,
      ...caseWaitsFor(snapshot),
      awaitsViewer: caseAwaitsBodies(snapshot, bodies),
      report: report ? { id: report.id, form: report.form, fiscalYear: report.fiscal_year, fiscalQuarter: report.fiscal_quarter } : null,
    })
  }
  return out.sort((a, b) => b.context.reportedAt.localeCompare(a.context.reportedAt) || b.caseId.localeCompare(a.caseId))
}

/** Where a page of the inbox starts: just after this case, in the inbox's order (newest first, then by id). */
export interface InboxCursor {
  reportedAt: string
  caseId: string
}

export interface InboxPage {
  rows: InboxRow[]
  /** Every matter the filters let through, on every page. */
  total: number
  /** Of those, the ones waiting for one of the viewer's bodies. */
  awaitingViewer: number
  /** Where the next page starts, or null on the last one. */
  next: InboxCursor | null
}

export const INBOX_PAGE_SIZE = 50

const afterCursor = (row: InboxRow, cursor: InboxCursor) =>
  row.context.reportedAt < cursor.reportedAt || (row.context.reportedAt === cursor.reportedAt && row.caseId < cursor.caseId)

/**
 * One page of the inbox, by keyset: the matters after `after` (none: from the
 * newest), at most `size`. A matter reported meanwhile lands on the first page and
 * moves no other across a page's edge, as an offset would. Who receives a matter
 * and when it was reported are in its sealed snapshot, not in a column a query
 * could trust, so the whole inbox is still read and checked (each seal once a
 * process, ../workflow-record.ts); what the page saves is the rendering and the
 * payload of every matter (issue 13: ≈ 1,800 cases cost 0.03× the baseline).
 */
export async function listInboxPage(
  db: Executor,
  reader: RecordReader,
  viewer: { userId: string; bodies: readonly Body[] },
  filter: InboxFilter = {},
  page: { after?: InboxCursor; size?: number } = {},
): Promise<InboxPage> {
  const size = page.size ?? INBOX_PAGE_SIZE
  const all = await listInbox(db, reader, viewer, filter)
  const after = page.after
  const start = after ? all.findIndex((r) => afterCursor(r, after)) : 0
  const rows = start < 0 ? [] : all.slice(start, start + size)
  const last = rows.at(-1)
  // A matter with the Board says where its determination stands: read for the page's rows only.
  for (const row of rows) {
    const progress = await determinationProgress(db, reader, row)
    if (progress) Object.assign(row, caseWaitsFor({ value: row.path, context: row.context }, progress))
  }
  return {
    rows,
    total: all.length,
    awaitingViewer: all.filter((r) => r.awaitsViewer).length,
    next: last && start + size < all.length ? { reportedAt: last.context.reportedAt, caseId: last.caseId } : null,
  }
}

/** How many cases wait for one of the viewer's bodies now (the dashboard's "N matters await you"). */
export async function countCasesAwaiting(db: Executor, reader: RecordReader, viewer: { userId: string; bodies: readonly Body[] }) {
  if (viewer.bodies.length === 0) return 0
  // The inbox's own tests, without its rows: no report names, no sort (issue 13).
  let awaiting = 0
  for (const row of await listAllCases(db, reader)) {
    const bodies = recipientBodiesOf(row.context, viewer)
    if (bodies.length > 0 && caseAwaitsBodies({ value: row.path, context: row.context }, bodies)) awaiting++
  }
  return awaiting
}

/** One case by its id, or undefined when the record holds no such case. */
export async function findCase(db: Executor, reader: RecordReader, caseId: string) {
  const id = instanceId.case(caseId)
  const instance = await loadInstance(db, reader.lookup, id, reader.key)
  if (!instance || instance.machineId !== CASE_MACHINE_ID) return undefined
  const snapshot = instance.snapshot as unknown as { value: unknown; context: CaseContext; can: (e: unknown) => boolean }
  const report = instance.reportId
    ? await db
        .selectFrom('periodic_report')
        .select(['id', 'form', 'fiscal_year', 'fiscal_quarter', 'period_end'])
        .where('id', '=', instance.reportId)
        .executeTakeFirst()
    : undefined
  return {
    caseId,
    instanceId: id,
    version: instance.version,
    snapshot,
    context: snapshot.context,
    path: statePath(snapshot.value),
    report: report ?? null,
  }
}
export type FoundCase = NonNullable<Awaited<ReturnType<typeof findCase>>>

/** The case's workflow events with who took each step and the role they acted in, oldest first. */
export async function listCaseSteps(db: Executor, caseId: string) {
  const rows = await db
    .selectFrom('workflow_event as e')
    .leftJoin('user as u', 'u.id', 'e.actor_user_id')
    .select(['e.sequence', 'e.event_type', 'e.event', 'e.actor_user_id', 'e.actor_role', 'e.recorded_at', 'u.full_name', 'u.title'])
    // The title held on the day of the step (migration 016), today's when the register has none for it.
    .select((eb) =>
      eb
        .selectFrom('title_assignment as t')
        .select('t.title')
        .whereRef('t.user_id', '=', 'e.actor_user_id')
        .where('t.effective_from', '<=', sql<string>`substr(e.recorded_at, 1, 10)`)
        .where((w) => w.or([w('t.effective_to', 'is', null), w('t.effective_to', '>', sql<string>`substr(e.recorded_at, 1, 10)`)]))
        .orderBy('t.effective_from', 'desc')
        .limit(1)
        .as('title_then'),
    )
    .where('e.instance_id', '=', instanceId.case(caseId))
    .orderBy('e.instance_version')
    .execute()
  return rows.map((r) => ({
    sequence: r.sequence,
    type: r.event_type,
    event: JSON.parse(r.event) as Record<string, unknown>,
    actor: r.actor_user_id
      ? { userId: r.actor_user_id, name: r.full_name ?? r.actor_user_id, title: r.title_then ?? r.title ?? '', role: r.actor_role }
      : null,
    recordedAt: r.recorded_at,
  }))
}

/** The case's thread, oldest first: with `includeNotes` false (the reporter's view), questions and answers only. */
export async function listCaseMessages(db: Executor, caseId: string, options: { includeNotes: boolean }) {
  const kinds: CaseMessageKind[] = options.includeNotes ? ['note', 'question', 'answer'] : ['question', 'answer']
  return db
    .selectFrom('case_message as m')
    .innerJoin('user as u', 'u.id', 'm.author_user_id')
    .select([
      'm.id',
      'm.kind',
      'm.reply_to',
      'm.author_capacity',
      'm.body',
      'm.written_at',
      'u.full_name as author_name',
      'u.title as author_title',
    ])
    .where('m.case_instance_id', '=', instanceId.case(caseId))
    .where('m.kind', 'in', kinds)
    .orderBy('m.written_at')
    .orderBy('m.id')
    .execute()
}

/** A question of this case, if `questionId` is one. */
export async function findCaseQuestion(db: Executor, caseId: string, questionId: string) {
  return db
    .selectFrom('case_message')
    .select(['id', 'body'])
    .where('case_instance_id', '=', instanceId.case(caseId))
    .where('kind', '=', 'question')
    .where('id', '=', questionId)
    .executeTakeFirst()
}

/** The files attached to the case, oldest first. */
export async function listCaseAttachments(db: Executor, caseId: string) {
  return db
    .selectFrom('case_attachment as a')
    .innerJoin('user as u', 'u.id', 'a.uploaded_by')
    .select(['a.id', 'a.sha256', 'a.size_bytes', 'a.file_name', 'a.uploaded_at', 'a.message_id', 'u.full_name as uploaded_by_name'])
    .where('a.case_instance_id', '=', instanceId.case(caseId))
    .orderBy('a.uploaded_at')
    .orderBy('a.id')
    .execute()
}

export async function findCaseAttachment(db: Executor, caseId: string, attachmentId: string) {
  return db
    .selectFrom('case_attachment')
    .select(['id', 'sha256', 'size_bytes', 'file_name'])
    .where('case_instance_id', '=', instanceId.case(caseId))
    .where('id', '=', attachmentId)
    .executeTakeFirst()
}

/** Every opening of the case page, newest first, with who opened it. */
export async function listCaseAccess(db: Executor, caseId: string) {
  return db
    .selectFrom('case_access_log as l')
    .innerJoin('user as u', 'u.id', 'l.user_id')
    .select(['l.id', 'l.user_id', 'l.capacity', 'l.opened_at', 'u.full_name', 'u.title'])
    .where('l.case_instance_id', '=', instanceId.case(caseId))
    .orderBy('l.id', 'desc')
    .execute()
}

/**
 * The reported matters about a person (each case's subject, never shown what it
 * says: machines/routing.ts `excludedUserIds`), served by the subject column's
 * index (migration 005).
 */
export async function listCaseIdsAbout(db: Executor, userId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('workflow_instance')
    .select('case_id')
    .where('subject_user_id', '=', userId)
    .where('machine_id', '=', CASE_MACHINE_ID)
    .execute()
  return new Set(rows.flatMap((r) => (r.case_id === null ? [] : [r.case_id])))
}

/**
 * Of the matters about a person, those an export holds the officers' words about:
 * the cases an exception cites (`duty.raiseException`, whose explanation is the
 * case's summary), on one report's duties or, with null, on any. An export holds
 * other matters as their outcome or as links only (ADR 018).
 */
export async function listCitedCaseIdsAbout(db: Executor, userId: string, reportId: string | null): Promise<Set<string>> {
  const about = await listCaseIdsAbout(db, userId)
  if (about.size === 0) return about
  const cited = await db
    .selectFrom('workflow_event as e')
    .innerJoin('workflow_instance as i', 'i.id', 'e.instance_id')
    .select(sql<string | null>`json_extract(e.event, '$.caseId')`.as('case_id'))
    .where('e.event_type', '=', 'duty.raiseException')
    .$if(reportId !== null, (qb) => qb.where('i.report_id', '=', reportId!))
    .execute()
  const held = new Set(cited.flatMap((r) => (r.case_id === null ? [] : [r.case_id])))
  return new Set([...about].filter((id) => held.has(id)))
}
