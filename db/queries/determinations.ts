// Reads of the Board's determinations (duty 5): one by its case, those about one
// person (for the prior violations the record holds), the directors' signatures,
// who sits on the Board on a day, and the notices a person has still to acknowledge.
import { BOARD_DETERMINATION_MACHINE_ID, type BoardDeterminationContext, determinationWaitsFor } from '../../machines/board-determination'
import type { CaseContext } from '../../machines/case'
import { type PriorViolation, priorViolationsOf } from '../../machines/prior-violations'
import { statePath } from '../../machines/primitives'
import { instanceId } from '../ids'
import { loadInstance, trustedSnapshots } from '../workflow-record'
import type { Executor } from './executor'
import { type RecordReader, storedStateValue } from './workflows'

export interface FoundDetermination {
  caseId: string
  instanceId: string
  reportId: string | null
  version: number
  /** The machine version that recorded it (older ones hold no signatures nor acknowledgement). */
  machineVersion: number
  path: string
  snapshot: { value: unknown; context: BoardDeterminationContext; can: (event: unknown) => boolean }
  context: BoardDeterminationContext
}

/** The determination of a referred case, or undefined before its first step. */
export async function findDetermination(db: Executor, reader: RecordReader, caseId: string): Promise<FoundDetermination | undefined> {
  const id = instanceId.determination(caseId)
  const instance = await loadInstance(db, reader.lookup, id, reader.key)
  if (!instance || instance.machineId !== BOARD_DETERMINATION_MACHINE_ID) return undefined
  const snapshot = instance.snapshot as unknown as FoundDetermination['snapshot']
  return {
    caseId,
    instanceId: id,
    reportId: instance.reportId,
    version: instance.version,
    machineVersion: instance.machineVersion,
    path: statePath(snapshot.value),
    snapshot,
    context: withDefaults(snapshot.context),
  }
}

/** For a matter referred to the Board, where its determination stands (for the matter's "waits for"); undefined otherwise. */
export async function determinationProgress(
  db: Executor,
  reader: RecordReader,
  found: { caseId: string; path: string },
): Promise<{ waitsFor: string; since: string | null } | undefined> {
  if (found.path !== 'referredForDetermination') return undefined
  const determination = await findDetermination(db, reader, found.caseId)
  return determination ? determinationWaitsFor({ value: determination.snapshot.value, context: determination.context }) : undefined
}

/** A version 1 or 2 context read as version 3's: no signatures, no acknowledgement. */
function withDefaults(context: BoardDeterminationContext): BoardDeterminationContext {
  return { ...context, signatures: context.signatures ?? [], noticeAcknowledgedAt: context.noticeAcknowledgedAt ?? null }
}

export interface DeterminationRow {
  caseId: string
  instanceId: string
  path: string
  context: BoardDeterminationContext
}

/** Every determination about one person, each from its sealed snapshot (or rebuilt from its events). */
export async function listDeterminationsAbout(db: Executor, reader: RecordReader, subjectUserId: string): Promise<DeterminationRow[]> {
  const cached = await db
    .selectFrom('workflow_instance as i')
    .innerJoin('workflow_snapshot as s', 's.instance_id', 'i.id')
    .select(['i.id as instance_id', 's.version', 's.state', 's.status', 's.snapshot', 's.seal'])
    .where('i.machine_id', '=', BOARD_DETERMINATION_MACHINE_ID)
    // The generated, indexed column of migration 005 (what the chain hashed as the subject's subjectUserId).
    .where('i.subject_user_id', '=', subjectUserId)
    .execute()
  const rows = await trustedSnapshots(db, reader.lookup, reader.key, cached)
  return rows.map((r) => {
    const context = withDefaults((JSON.parse(r.snapshot) as { context: BoardDeterminationContext }).context)
    return { caseId: context.caseId, instanceId: r.instance_id, path: statePath(storedStateValue(r.state)), context }
  })
}

/** The notices given to this person that they have not acknowledged yet (their dashboard). */
export async function listNoticesAwaitingAcknowledgement(db: Executor, reader: RecordReader, userId: string) {
  return (await listDeterminationsAbout(db, reader, userId))
    .filter((d) => d.path === 'noticeGiven' && d.context.subject.userId === userId)
    .map((d) => ({ caseId: d.caseId, givenAt: d.context.notice?.at ?? '' }))
    .sort((a, b) => a.givenAt.localeCompare(b.givenAt))
}

/** The directors' signatures of a determination, in the order they signed. */
export async function listDeterminationSignatures(db: Executor, caseId: string) {
  return db
    .selectFrom('signature')
    .select(['id', 'signer_user_id', 'printed_name', 'title', 'signed_at', 'signed_at_local', 'meaning_text', 'note', 'workflow_sequence'])
    .where('workflow_instance_id', '=', instanceId.determination(caseId))
    .where('act', '=', 'board_determination')
    .orderBy('workflow_sequence')
    .execute()
}

/** The directors of the company on a day (a calendar date), by name. */
export async function listDirectorsOn(db: Executor, day: string) {
  return db
    .selectFrom('user as u')
    .innerJoin('membership as m', 'm.user_id', 'u.id')
    .select(['u.id', 'u.full_name', 'u.title'])
    .where('m.role', '=', 'director')
    .where('u.deactivated_at', 'is', null)
    .where('m.effective_from', '<=', day)
    .where((eb) => eb.or([eb('m.effective_to', 'is', null), eb('m.effective_to', '>', day)]))
    .orderBy('u.full_name')
    .distinct()
    .execute()
}

/** Whether a person sits on the Board on a day. */
export async function isDirectorOn(db: Executor, userId: string, day: string): Promise<boolean> {
  return (await listDirectorsOn(db, day)).some((d) => d.id === userId)
}

/** The company as an act's manifestation names it, for an act on no report. */
export async function findCompanyActFacts(db: Executor) {
  const company = await db
    .selectFrom('company')
    .select(['id', 'name', 'ticker', 'time_zone'])
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst()
  if (!company) return null
  return { companyId: company.id, company: { name: company.name, ticker: company.ticker, timeZone: company.time_zone } }
}

/**
 * The earlier violations of the individual a referred case is about, as the
 * record holds them (machines/prior-violations.ts): what the Board's page shows
 * before the determination is recorded, from trusted snapshots only. The command
 * (db/commands/determination.ts) finds them again inside its transaction.
 */
export async function listPriorViolationsFor(
  db: Executor,
  reader: RecordReader,
  referred: { caseId: string; context: Pick<CaseContext, 'subject' | 'referral'> },
): Promise<PriorViolation[]> {
  const c = referred.context
  if (c.subject.kind === 'none' || !c.referral) return []
  const about = await listDeterminationsAbout(db, reader, c.subject.userId)
  return priorViolationsOf(
    c.subject.userId,
    about.map((d) => d.context),
    { caseId: referred.caseId, before: c.referral.at },
  )
}

/**
 * What the written notice to the individual states, and nothing of the case
 * behind it (no matter, reporter, notes, messages or files): the determination
 * and its actions, when it was decided and the notice given, the directors who
 * signed it, the individual's acknowledgement. Undefined until a notice is given.
 */
export async function findNoticeFacts(db: Executor, reader: RecordReader, caseId: string) {
  const found = await findDetermination(db, reader, caseId)
  if (!found || !found.context.notice || !found.context.decision) return undefined
  const c = found.context
  const decided = found.context.decision
  const individual = await db.selectFrom('user').select(['full_name', 'title']).where('id', '=', c.subject.userId).executeTakeFirst()
  const company = await findCompanyActFacts(db)
  const signatures = await listDeterminationSignatures(db, caseId)
  const { decidedAt, ...decision } = decided
  return {
    found,
    caseId,
    company: company?.company ?? null,
    individual: { userId: c.subject.userId, name: individual?.full_name ?? c.subject.userId, title: individual?.title ?? '' },
    decision,
    decidedAt,
    notice: c.notice,
    acknowledgedAt: c.noticeAcknowledgedAt,
    closedAt: c.closedAt,
    signatures: signatures.map((s) => ({
      id: s.id,
      name: s.printed_name,
      title: s.title,
      signedAt: s.signed_at,
      signedAtLocal: s.signed_at_local,
    })),
  }
}
export type NoticeFacts = NonNullable<Awaited<ReturnType<typeof findNoticeFacts>>>
