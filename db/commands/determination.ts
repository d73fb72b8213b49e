// The Board's determination (duty 5) of a case referred to it: the factors with
// the prior violations found in the record, the decision signed by each director
// who takes it, the written notice, the individual's acknowledgement, the close.
// Each command is one transaction of the record's write path.
import {
  type BoardDeterminationContext,
  type BoardDeterminationEvent,
  type DeterminationDecision,
  type DeterminationFactors,
} from '../../machines/board-determination'
import type { CaseContext } from '../../machines/case'
import { type PriorViolation, priorViolationsOf } from '../../machines/prior-violations'
import { CommandRefusedError, NotFoundError } from '../errors'
import { instanceId } from '../ids'
import { findCompanyActFacts, isDirectorOn, listDeterminationsAbout } from '../queries/determinations'
import { findUserRecord } from '../queries/people'
import { findReportActFacts } from '../queries/review'
import { actManifestationHash, buildActManifestation, insertSignature, type ActManifestation } from '../sign-off'
import type { Actor, AppendResult, WorkflowRecord, WriteUnit } from '../workflow-record'
import { iso } from './shared'

/** The factors a director weighs; the prior violations are never typed, they are found. */
export type WeighedFactors = Omit<DeterminationFactors, 'priorViolations' | 'priorViolationCaseIds'>

const DIRECTOR_ROLE = 'director'

async function requireReferredCase(unit: WriteUnit, caseId: string) {
  const referred = await unit.load(instanceId.case(caseId))
  if (!referred) throw new NotFoundError('case', caseId)
  if (referred.snapshot.value !== 'referredForDetermination') {
    throw new CommandRefusedError('case_not_referred', `case ${caseId} is in ${JSON.stringify(referred.snapshot.value)}`, { caseId })
  }
  return { referred, context: (referred.snapshot as unknown as { context: CaseContext }).context }
}
/** The referred case, loaded once per command and handed to each check and step. */
type ReferredCase = Awaited<ReturnType<typeof requireReferredCase>>

/** Appends one step of the determination; its first step starts the workflow from the referred case. */
async function appendStep(
  unit: WriteUnit,
  { referred, context: c }: ReferredCase,
  request: { caseId: string; event: BoardDeterminationEvent; expectedVersion: number; actor: Actor; at: Date },
): Promise<AppendResult> {
  return unit.append({
    instance: {
      id: instanceId.determination(request.caseId),
      machineId: 'board-determination',
      reportId: referred.reportId,
      subject: { caseId: request.caseId, subjectUserId: c.subject.kind === 'none' ? null : c.subject.userId },
      input: { caseId: request.caseId, subject: c.subject, reporter: c.reporter },
    },
    expectedVersion: request.expectedVersion,
    event: request.event,
    actor: request.actor,
    recordedAt: request.at,
  })
}

/**
 * A director takes part: they sit on the Board on the day, and they are not the
 * individual the matter is about (the machine refuses that too; here it is said first).
 */
async function requireDirector(unit: WriteUnit, { context: c }: ReferredCase, caseId: string, userId: string, at: Date) {
  if (c.subject.kind !== 'none' && c.subject.userId === userId) {
    throw new CommandRefusedError('subject_takes_no_part', `${userId} is the subject of ${caseId}`, { caseId })
  }
  if (!(await isDirectorOn(unit.trx, userId, iso(at).slice(0, 10)))) {
    throw new CommandRefusedError('not_a_director', `${userId} is not a director on ${iso(at).slice(0, 10)}`, { caseId })
  }
  const user = await findUserRecord(unit.trx, userId, at)
  if (!user) throw new NotFoundError('person', userId)
  return { userId: user.id, printedName: user.full_name, title: user.title }
}

/**
 * The earlier violations of the individual the record holds (machines/prior-violations.ts):
 * the Board's determinations that a violation occurred, decided before this matter was referred.
 */
export async function findPriorViolations(unit: Pick<WriteUnit, 'trx' | 'lookup' | 'key'>, caseId: string): Promise<PriorViolation[]> {
  const referred = await unit.trx
    .selectFrom('workflow_snapshot')
    .select('snapshot')
    .where('instance_id', '=', instanceId.case(caseId))
    .executeTakeFirst()
  const c = referred ? (JSON.parse(referred.snapshot) as { context: CaseContext }).context : undefined
  return c ? priorViolationsAbout(unit, caseId, c) : []
}

async function priorViolationsAbout(unit: Pick<WriteUnit, 'trx' | 'lookup' | 'key'>, caseId: string, c: CaseContext) {
  if (c.subject.kind === 'none' || !c.referral) return []
  const about = await listDeterminationsAbout(unit.trx, unit, c.subject.userId)
  return priorViolationsOf(
    c.subject.userId,
    about.map((d) => d.context),
    { caseId, before: c.referral.at },
  )
}

/** What each director signs: the determination as it stands, factors and decision. */
async function manifestationOf(
  unit: WriteUnit,
  request: { caseId: string; reportId: string | null; context: Pick<BoardDeterminationContext, 'subject'> },
  decided: { factors: DeterminationFactors; decision: DeterminationDecision },
  signer: ActManifestation['signer'],
  note: string | null,
  at: Date,
): Promise<ActManifestation> {
  const reportFacts = request.reportId ? await findReportActFacts(unit.trx, request.reportId) : null
  const facts = reportFacts ?? (await findCompanyActFacts(unit.trx))
  if (!facts || (request.reportId && !reportFacts)) throw new NotFoundError('periodic_report', request.reportId ?? 'company')
  const individual = await findUserRecord(unit.trx, request.context.subject.userId, at)
  return buildActManifestation({
    company: facts.company,
    act: 'board_determination',
    capacity: 'board',
    report: reportFacts?.report ?? null,
    draft: reportFacts?.draft ?? null,
    subject: {
      determinationId: instanceId.determination(request.caseId),
      caseId: request.caseId,
      individual: {
        userId: request.context.subject.userId,
        printedName: individual?.full_name ?? request.context.subject.userId,
        title: individual?.title ?? '',
      },
      factors: decided.factors,
      decision: decided.decision,
    },
    signer,
    note,
    at,
  })
}

/**
 * The Board's determination, recorded and signed by the first director who takes
 * it: the factors (prior violations found in the record), the decision, and that
 * director's signature bound to the decide event, in one transaction.
 */
export async function recordDetermination(
  record: WorkflowRecord,
  request: {
    caseId: string
    factors: WeighedFactors
    decision: DeterminationDecision
    signerUserId: string
    note?: string | null
    expectedVersion: number
    at?: Date
  },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const referredCase = await requireReferredCase(unit, request.caseId)
    const { referred, context: c } = referredCase
    const signer = await requireDirector(unit, referredCase, request.caseId, request.signerUserId, at)
    if (c.subject.kind === 'none') throw new CommandRefusedError('case_not_referred', `case ${request.caseId} is about no one`)
    const priors = await priorViolationsAbout(unit, request.caseId, c)
    const factors: DeterminationFactors = {
      ...request.factors,
      priorViolations: priors.length > 0,
      priorViolationCaseIds: priors.map((p) => p.caseId),
    }
    const actor = { userId: signer.userId, role: DIRECTOR_ROLE }
    const weighed = await appendStep(unit, referredCase, {
      caseId: request.caseId,
      event: { type: 'determination.recordFactors', factors, at: iso(at) },
      expectedVersion: request.expectedVersion,
      actor,
      at,
    })
    const manifestation = await manifestationOf(
      unit,
      { caseId: request.caseId, reportId: referred.reportId, context: { subject: c.subject } },
      { factors, decision: request.decision },
      signer,
      request.note ?? null,
      at,
    )
    const signatureId = actManifestationHash(manifestation)
    const decided = await appendStep(unit, referredCase, {
      caseId: request.caseId,
      event: { type: 'determination.decide', decision: request.decision, at: iso(at), signatureId, signerUserId: signer.userId },
      expectedVersion: weighed.version,
      actor,
      at,
    })
    await insertSignature(unit.trx, manifestation, {
      workflowInstanceId: instanceId.determination(request.caseId),
      workflowSequence: decided.sequence,
    })
    return { signatureId, manifestation, priorViolations: priors }
  })
}

/** A further director who took the decision signs it, before the notice goes out. */
export async function signDetermination(
  record: WorkflowRecord,
  request: { caseId: string; signerUserId: string; note?: string | null; expectedVersion: number; at?: Date },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const referredCase = await requireReferredCase(unit, request.caseId)
    const signer = await requireDirector(unit, referredCase, request.caseId, request.signerUserId, at)
    const determination = await unit.load(instanceId.determination(request.caseId))
    if (!determination) throw new NotFoundError('workflow', instanceId.determination(request.caseId))
    const context = (determination.snapshot as unknown as { context: BoardDeterminationContext }).context
    if (context.signatures?.some((s) => s.signerUserId === signer.userId)) {
      throw new CommandRefusedError('already_signed', `${signer.userId} signed ${request.caseId} already`, { caseId: request.caseId })
    }
    if (!context.factors || !context.decision) throw new CommandRefusedError('case_not_referred', `${request.caseId} is not decided`)
    const { recordedAt: _r, ...factors } = context.factors
    const { decidedAt: _d, ...decision } = context.decision
    const manifestation = await manifestationOf(
      unit,
      { caseId: request.caseId, reportId: determination.reportId, context },
      { factors, decision: decision as DeterminationDecision },
      signer,
      request.note ?? null,
      at,
    )
    const signatureId = actManifestationHash(manifestation)
    const signed = await appendStep(unit, referredCase, {
      caseId: request.caseId,
      event: { type: 'determination.sign', at: iso(at), signatureId, signerUserId: signer.userId },
      expectedVersion: request.expectedVersion,
      actor: { userId: signer.userId, role: DIRECTOR_ROLE },
      at,
    })
    await insertSignature(unit.trx, manifestation, {
      workflowInstanceId: instanceId.determination(request.caseId),
      workflowSequence: signed.sequence,
    })
    return { signatureId, manifestation }
  })
}

/** The written notice to the individual, given by a director for the Board. */
export async function giveDeterminationNotice(
  record: WorkflowRecord,
  request: { caseId: string; directorUserId: string; text: string; expectedVersion: number; at?: Date },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const referredCase = await requireReferredCase(unit, request.caseId)
    const director = await requireDirector(unit, referredCase, request.caseId, request.directorUserId, at)
    return appendStep(unit, referredCase, {
      caseId: request.caseId,
      event: { type: 'determination.giveNotice', text: request.text, at: iso(at) },
      expectedVersion: request.expectedVersion,
      actor: { userId: director.userId, role: DIRECTOR_ROLE },
      at,
    })
  })
}

/** The individual acknowledges receipt of the notice: they, and no one else. */
export async function acknowledgeDeterminationNotice(
  record: WorkflowRecord,
  request: { caseId: string; userId: string; expectedVersion: number; at?: Date },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const referredCase = await requireReferredCase(unit, request.caseId)
    const c = referredCase.context
    if (c.subject.kind === 'none' || c.subject.userId !== request.userId) {
      throw new CommandRefusedError('not_notice_addressee', `${request.userId} is not the individual of ${request.caseId}`, {
        caseId: request.caseId,
      })
    }
    return appendStep(unit, referredCase, {
      caseId: request.caseId,
      event: { type: 'determination.acknowledgeNotice', byUserId: request.userId, at: iso(at) },
      expectedVersion: request.expectedVersion,
      actor: { userId: request.userId, role: 'notice_addressee' },
      at,
    })
  })
}

/** The Board closes its determination. */
export async function closeDetermination(
  record: WorkflowRecord,
  request: { caseId: string; directorUserId: string; expectedVersion: number; at?: Date },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const referredCase = await requireReferredCase(unit, request.caseId)
    const director = await requireDirector(unit, referredCase, request.caseId, request.directorUserId, at)
    return appendStep(unit, referredCase, {
      caseId: request.caseId,
      event: { type: 'determination.close', at: iso(at) },
      expectedVersion: request.expectedVersion,
      actor: { userId: director.userId, role: DIRECTOR_ROLE },
      at,
    })
  })
}
