// Sample events, models and checks shared by machines/*.test.ts and
// tests/workflows/. Test code only: the application never imports this file.
import { createHash } from 'node:crypto'
import { type AnyMachineSnapshot, type AnyStateMachine, type EventFromLogic, type InputFrom, transition } from 'xstate'
import { type StatePath, getSimplePaths } from 'xstate/graph'
import type { BoardDeterminationEvent, DeterminationDecision, DeterminationFactors } from '../../machines/board-determination'
import type { CaseEvent } from '../../machines/case'
import { DUTIES } from '../../machines/duties'
import type { DutyAnswers } from '../../machines/duty-answers'
import type { DutyReviewContext, DutyReviewEvent } from '../../machines/duty-review'
import type { ReportLifecycleContext, ReportLifecycleEvent, SignOff } from '../../machines/report-lifecycle'
import { applyEvent, initialSnapshot, persistSnapshot, restoreSnapshot } from '../../machines/replay'
import { BODIES, OFFICER_ROLES } from '../../machines/roles'
import { type AnswerVariant, DRAFT_A, DRAFT_B, DRAFT_C, otherVariants, sampleAnswers, variantAnswers } from './sample-answers'

export { DRAFT_A, DRAFT_B, DRAFT_C }
export const AT = '2013-02-20T15:00:00Z'
export const LATER = '2013-02-21T09:30:00Z'
export const EXCEPTION_CASE = 'case-exception-1'
const NUL = '\u0000'

/** Deep equality of plain data (what snapshots hold): key order does not matter, undefined keys do. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return (
    ka.length === kb.length &&
    ka.every(
      (k) => Object.prototype.hasOwnProperty.call(b, k) && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  )
}

/** Mulberry32: a small seeded PRNG, so a failing random history can be run again. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// ── Duty review ──────────────────────────────────────────────────────────────

function answerVariantOf(context: DutyReviewContext): AnswerVariant | null {
  if (context.answers === null) return null
  const sha = context.currentDraftSha256 ?? DRAFT_A
  for (const v of ['first', 'revised', 'adverse', 'notEstablished'] as const) {
    if (sameData(context.answers, variantAnswers(context.dutyNumber, v, sha))) return v
  }
  return 'revised'
}

/**
 * Answers every rule refuses: nonsense, answers about a draft that is never the
 * current one, and for duty 12 an auditor's confirmation about another document.
 * Offered to the model in every state: a correct machine refuses them, so they
 * add no path; a machine that takes one is caught by the properties of
 * tests/support/duty-rules.ts.
 */
function refusedAnswers(context: DutyReviewContext): DutyAnswers[] {
  const current = context.currentDraftSha256 ?? DRAFT_A
  const refused: DutyAnswers[] = [{ nonsense: true } as unknown as DutyAnswers]
  if (context.dutyNumber === 6 || context.dutyNumber === 10 || context.dutyNumber === 12) {
    refused.push(variantAnswers(context.dutyNumber, 'first', DRAFT_C))
  }
  if (context.dutyNumber === 12) {
    const onCurrent = sampleAnswers(12, { draftSha256: current })
    refused.push({ ...onCurrent, internalAuditor: { ...onCurrent.internalAuditor, documentSha256: DRAFT_C } })
  }
  if (context.dutyNumber === 7) refused.push(sampleAnswers(7, { established: false, referenceDocument: undefined }))
  return refused
}

/**
 * Concrete events for the duty model. Each is offered so that the graph has no
 * cycle (drafts only move A → B, one change of answer on the first draft, one
 * withdrawal), which keeps the simple paths few enough to walk them all; the
 * random histories cover repetition. Events every rule refuses are offered too
 * (see refusedAnswers): they cost nothing while the machine is right.
 */
export function dutyReviewModelEvents(snapshot: { context: DutyReviewContext }): DutyReviewEvent[] {
  const c = snapshot.context
  const current = c.currentDraftSha256
  const events: DutyReviewEvent[] = [
    { type: 'duty.start' },
    { type: 'duty.raiseException', explanation: 'The Audit Committee flagged IT access controls.', caseId: EXCEPTION_CASE },
    { type: 'duty.exceptionAcknowledged', caseId: EXCEPTION_CASE },
    { type: 'duty.confirm' },
    { type: 'duty.sign', at: AT, signatureId: `signature-${current?.[0] ?? 'none'}`, draftSha256: current },
    { type: 'duty.reportApproved' },
    { type: 'duty.lock' },
    // Refused by every rule:
    { type: 'duty.exceptionAcknowledged', caseId: 'case-other' },
    { type: 'duty.raiseException', explanation: `IT access controls${NUL}`, caseId: EXCEPTION_CASE },
    ...refusedAnswers(c).map((answers): DutyReviewEvent => ({ type: 'duty.answer', answers })),
  ]
  // A signature about another draft (duties 6, 10, 12; the others are signed about no draft in particular).
  if (c.boundToDraft) events.push({ type: 'duty.sign', at: AT, signatureId: 'signature-stale', draftSha256: DRAFT_C })
  const variant = answerVariantOf(c)
  if (variant === null) events.push({ type: 'duty.answer', answers: variantAnswers(c.dutyNumber, 'first', current ?? DRAFT_A) })
  if (variant === 'first' && current !== DRAFT_B) {
    for (const v of otherVariants(c.dutyNumber)) {
      events.push({ type: 'duty.answer', answers: variantAnswers(c.dutyNumber, v, current ?? DRAFT_A) })
    }
  }
  if (current !== DRAFT_B) {
    events.push({ type: 'duty.newDraft', draftSha256: DRAFT_B })
    events.push({ type: 'duty.reopen', reason: 'newDraft', at: LATER, draftSha256: DRAFT_B })
  }
  if (c.lastReopen === null) events.push({ type: 'duty.reopen', reason: 'withdrawn', at: LATER })
  return events
}

/** Events for random histories: valid ones, repeated ones and ones every guard must refuse. */
export function dutyReviewRandomEvents(snapshot: { context: DutyReviewContext }): DutyReviewEvent[] {
  const c = snapshot.context
  const drafts = [DRAFT_A, DRAFT_B, DRAFT_C]
  const other = drafts.find((d) => d !== c.currentDraftSha256) ?? DRAFT_A
  return [
    ...dutyReviewModelEvents(snapshot),
    ...drafts.flatMap((d): DutyReviewEvent[] => [
      { type: 'duty.newDraft', draftSha256: d },
      { type: 'duty.reopen', reason: 'newDraft', at: LATER, draftSha256: d },
      { type: 'duty.sign', at: AT, signatureId: 'signature-x', draftSha256: d },
    ]),
    ...(['first', 'revised', 'adverse', 'notEstablished'] as const).flatMap((v): DutyReviewEvent[] => [
      { type: 'duty.answer', answers: variantAnswers(c.dutyNumber, v, c.currentDraftSha256 ?? DRAFT_A) },
      { type: 'duty.answer', answers: variantAnswers(c.dutyNumber, v, other) },
    ]),
    { type: 'duty.reopen', reason: 'withdrawn', at: AT },
    { type: 'duty.raiseException', explanation: '   ', caseId: EXCEPTION_CASE },
    { type: 'duty.raiseException', explanation: 'Second thoughts.', caseId: 'case-exception-2' },
    { type: 'duty.raiseException', explanation: 'Second thoughts.', caseId: `case${NUL}` },
    { type: 'duty.sign', at: '2013-02-20 15:00', signatureId: 'signature-x', draftSha256: c.currentDraftSha256 },
    { type: 'duty.sign', at: AT, signatureId: 'signature-y', draftSha256: null },
  ]
}

// ── Report lifecycle ─────────────────────────────────────────────────────────

/** A sign-off for every officer and duty; bound-to-draft duties on `draftSha256`. */
export function completeSignOffs(draftSha256: string | null): SignOff[] {
  return OFFICER_ROLES.flatMap((officerRole) =>
    DUTIES.map((d) => ({ officerRole, dutyNumber: d.number, draftSha256: d.boundToDraft ? draftSha256 : null })),
  )
}

export const ACCESSION = '0000719413-13-000012'

export const SIGNATURE_DC = 'd'.repeat(64)
export const SIGNATURE_AC = 'a'.repeat(64)
export const SIGNATURE_CEO = 'c'.repeat(64)
export const SIGNATURE_CFO = 'f'.repeat(64)
/** The FY2012 10-K's due date (Friday, March 1, 2013) and a Form 12b-25 the next business day. */
export const DUE_DATE = '2013-03-01'
export const LATE_NOTICE: Extract<ReportLifecycleEvent, { type: 'report.notifyLateFiling' }> = {
  type: 'report.notifyLateFiling',
  dueDate: DUE_DATE,
  notifiedOn: '2013-03-04',
  narrative: 'The audit of the Canamex investment is not complete.',
  at: '2013-03-04T16:00:00Z',
}

export function reportModelEvents(snapshot: { context: ReportLifecycleContext }): ReportLifecycleEvent[] {
  const c = snapshot.context
  const current = c.currentDraft?.sha256 ?? null
  const facts = { signOffs: completeSignOffs(current), openBlockingCases: 0, at: AT }
  const events: ReportLifecycleEvent[] = [
    { type: 'report.beginCertification' },
    { type: 'report.submitForReview', ...facts },
    { type: 'report.disclosureCommitteeApprove', at: AT, signatureId: SIGNATURE_DC },
    { type: 'report.auditCommitteeReview', at: LATER, signatureId: SIGNATURE_AC },
    { type: 'report.approveForFiling', officerRole: 'ceo', signatureId: SIGNATURE_CEO, ...facts },
    { type: 'report.file', filedAt: '2013-02-22T21:05:00Z', accessionNumber: ACCESSION, draftSha256: current ?? DRAFT_A },
    { type: 'report.lock' },
  ]
  // Kept few, so the simple paths stay few (the unit tests take the other orders):
  // the CFO approves after the CEO; one send back, one withdrawal, each only on
  // the first draft; a 12b-25 only while drafting.
  if (c.approvalsForFiling.ceo !== null) {
    events.push({ type: 'report.approveForFiling', officerRole: 'cfo', signatureId: SIGNATURE_CFO, ...facts })
  }
  const firstRound = c.lastSendBack === null && c.lastReopen === null && current === DRAFT_A
  if (firstRound) {
    events.push({ type: 'report.sendBack', body: 'audit_committee', reason: 'Explain the Canamex item.', dutyNumbers: [1, 6], at: LATER })
    events.push({ type: 'report.reopenCertification', cause: 'signOffWithdrawn', officerRole: 'cfo', dutyNumber: 3, at: LATER })
  }
  if (c.lateFilingNotice === null && current === null) events.push(LATE_NOTICE)
  if (current === null) events.push({ type: 'report.registerDraft', sha256: DRAFT_A, at: AT })
  if (current === DRAFT_A) events.push({ type: 'report.registerDraft', sha256: DRAFT_B, at: LATER })
  return events
}

export function reportRandomEvents(snapshot: { context: ReportLifecycleContext }): ReportLifecycleEvent[] {
  const current = snapshot.context.currentDraft?.sha256 ?? null
  const stale = current === DRAFT_A ? DRAFT_B : DRAFT_A
  const complete = completeSignOffs(current)
  const approval = { type: 'report.approveForFiling', officerRole: 'ceo', signatureId: SIGNATURE_CEO } as const
  return [
    ...reportModelEvents(snapshot),
    ...[DRAFT_A, DRAFT_B, DRAFT_C].map((sha256): ReportLifecycleEvent => ({ type: 'report.registerDraft', sha256, at: LATER })),
    { type: 'report.submitForReview', signOffs: complete.slice(1), openBlockingCases: 0, at: AT },
    { type: 'report.submitForReview', signOffs: complete, openBlockingCases: 1, at: AT },
    { type: 'report.submitForReview', signOffs: completeSignOffs(stale), openBlockingCases: 0, at: AT },
    { ...approval, signOffs: complete.slice(0, -1), openBlockingCases: 0, at: AT },
    { ...approval, signOffs: complete, openBlockingCases: 2, at: AT },
    { type: 'report.file', filedAt: AT, accessionNumber: '719413-13-12', draftSha256: current ?? DRAFT_A },
    { type: 'report.file', filedAt: AT, accessionNumber: ACCESSION, draftSha256: stale },
    { type: 'report.disclosureCommitteeApprove', at: 'yesterday', signatureId: SIGNATURE_DC },
    { type: 'report.sendBack', body: 'disclosure_committee', reason: ' ', dutyNumbers: [6], at: LATER },
    { type: 'report.sendBack', body: 'disclosure_committee', reason: 'Why?', dutyNumbers: [], at: LATER },
    { ...LATE_NOTICE, notifiedOn: '2013-03-05', at: '2013-03-05T16:00:00Z' },
  ]
}

// ── Cases ────────────────────────────────────────────────────────────────────

export function caseModelEvents(): CaseEvent[] {
  return [
    { type: 'case.route', at: AT },
    ...BODIES.map((body): CaseEvent => ({ type: 'case.acknowledge', body, at: LATER })),
    { type: 'case.resolve', outcome: 'no_violation', note: 'No violation found.', at: LATER },
    { type: 'case.resolve', outcome: 'disclosed', note: 'Disclosed in Note 17.', at: LATER },
    { type: 'case.resolve', outcome: 'remediated', note: 'Control redesigned.', at: LATER },
    { type: 'case.refer', violationOfCodes: true, note: 'A violation of the Code.', at: LATER },
    { type: 'case.refer', violationOfCodes: false, note: 'A violation of law.', at: LATER },
  ]
}

export function caseRandomEvents(): CaseEvent[] {
  return [
    ...caseModelEvents(),
    { type: 'case.route', at: 'not a time' },
    { type: 'case.acknowledge', body: 'nobody' as never, at: AT },
    { type: 'case.resolve', outcome: 'no_violation', note: '', at: AT },
  ]
}

// ── Board determinations ─────────────────────────────────────────────────────

export const SAMPLE_FACTORS: DeterminationFactors = {
  natureAndSeverity: { description: 'Undisclosed interest in a supplier.', severity: 'serious' },
  occurrence: 'single',
  intent: 'inadvertent',
  advisedBeforehand: false,
  priorViolations: false,
  priorViolationCaseIds: [],
}
export const REVISED_FACTORS: DeterminationFactors = {
  ...SAMPLE_FACTORS,
  occurrence: 'repeated',
  priorViolations: true,
  priorViolationCaseIds: ['case-2009-earlier'],
  otherRelevantInformation: 'A second contract found.',
}

export const SAMPLE_DECISIONS: DeterminationDecision[] = [
  { violation: false, decidedBy: 'board', rationale: 'The interest was disclosed in time.' },
  { violation: true, decidedBy: 'board', rationale: 'Repeated.', actions: ['written_notice_of_violation', 'censure'] },
  {
    violation: true,
    decidedBy: 'board_designee',
    rationale: 'Serious.',
    actions: ['suspension'],
    suspension: { withPay: false, withBenefits: true },
  },
]

/** The directors of the models: the first decides and signs, the second signs too. */
export const DIRECTOR_A = 'user-chairman'
export const DIRECTOR_B = 'user-audit-chair'
export const signatureIdOf = (label: string) => createHash('sha256').update(label).digest('hex')

interface DeterminationModelContext {
  factors: unknown
  subject: { userId: string }
}

/**
 * Concrete events for the determination model: the factors (then revised once),
 * each sample decision signed by one director, a second director's signature, the
 * notice, the individual's acknowledgement and the close; and the steps the
 * machine must refuse in every state, which add no path while it is right: the
 * subject deciding or signing about themselves, a director signing twice, someone
 * other than the subject acknowledging the notice.
 */
export function determinationModelEvents(snapshot: { context: DeterminationModelContext }): BoardDeterminationEvent[] {
  const factors = snapshot.context.factors === null ? SAMPLE_FACTORS : REVISED_FACTORS
  const subject = snapshot.context.subject.userId
  return [
    { type: 'determination.recordFactors', factors, at: AT },
    ...SAMPLE_DECISIONS.map((decision, i): BoardDeterminationEvent => ({
      type: 'determination.decide',
      decision,
      at: LATER,
      signatureId: signatureIdOf(`decide-${i}`),
      signerUserId: DIRECTOR_A,
    })),
    { type: 'determination.sign', at: LATER, signatureId: signatureIdOf('sign-b'), signerUserId: DIRECTOR_B },
    { type: 'determination.giveNotice', text: 'The Board has determined that there has been a violation.', at: LATER },
    { type: 'determination.acknowledgeNotice', byUserId: subject, at: LATER },
    { type: 'determination.close', at: LATER },
    // Refused by every rule:
    { type: 'determination.decide', decision: SAMPLE_DECISIONS[1]!, at: LATER, signatureId: signatureIdOf('self'), signerUserId: subject },
    { type: 'determination.sign', at: LATER, signatureId: signatureIdOf('self-sign'), signerUserId: subject },
    { type: 'determination.sign', at: LATER, signatureId: signatureIdOf('sign-a-again'), signerUserId: DIRECTOR_A },
    { type: 'determination.acknowledgeNotice', byUserId: DIRECTOR_A, at: LATER },
  ]
}

export function determinationRandomEvents(snapshot: { context: DeterminationModelContext }): BoardDeterminationEvent[] {
  const signed = { at: AT, signatureId: signatureIdOf('random'), signerUserId: DIRECTOR_B }
  return [
    ...determinationModelEvents(snapshot),
    { type: 'determination.recordFactors', factors: SAMPLE_FACTORS, at: LATER },
    // Prior violations typed "yes" with none found: refused.
    { type: 'determination.recordFactors', factors: { ...SAMPLE_FACTORS, priorViolations: true }, at: LATER },
    { type: 'determination.decide', decision: { violation: true, decidedBy: 'board', rationale: 'x', actions: [] }, ...signed },
    {
      type: 'determination.decide',
      decision: { violation: true, decidedBy: 'board', rationale: 'x', actions: ['suspension'] },
      ...signed,
    },
    { type: 'determination.decide', decision: SAMPLE_DECISIONS[0]!, ...signed, signatureId: 'not-a-hash' },
    { type: 'determination.giveNotice', text: ' ', at: AT },
  ]
}

// ── Malformed events ─────────────────────────────────────────────────────────

const JUNK = {
  at: null,
  answers: null,
  body: 42,
  sha256: 7,
  signOffs: 'all',
  openBlockingCases: '0',
  decision: null,
  factors: [],
  text: null,
  caseId: null,
  draftSha256: 'x',
  explanation: null,
  reason: 'bored',
  outcome: null,
  note: null,
  violationOfCodes: 'yes',
  filedAt: 3,
  accessionNumber: null,
  signatureId: null,
}

/** For each event type the machine knows: one with wrong-typed fields, one with an unknown field. */
export function malformedEvents(machine: AnyStateMachine): Array<{ type: string }> {
  // xstate.* are the machine's own events (a parallel state's done event), never sent from outside.
  return machine.events
    .filter((type: string) => !type.startsWith('xstate.'))
    .flatMap((type: string) => [
      { type, ...JUNK },
      { type, unexpected: true },
    ])
}

// ── Checks ───────────────────────────────────────────────────────────────────

export interface PathCheck {
  paths: number
  longest: number
  /** Atomic state nodes (ids) some path ends in. */
  reached: Set<string>
  failures: string[]
}

/**
 * xstate/graph serialises a snapshot at every step of every path: caching the
 * (lossless) serialisation per snapshot object makes walking every simple path
 * of a duty's model seconds instead of minutes.
 */
function cachedSerializer() {
  const cache = new WeakMap<object, string>()
  return (snapshot: AnyMachineSnapshot) => {
    let key = cache.get(snapshot)
    if (key === undefined) {
      key = JSON.stringify({ value: snapshot.value, context: snapshot.context })
      cache.set(snapshot, key)
    }
    return key
  }
}

export type ModelPath = StatePath<AnyMachineSnapshot, { type: string }>

/** Every simple path of the model: each path's steps are the events the machine took, with the snapshot after each. */
export function modelPaths<M extends AnyStateMachine>(
  machine: M,
  input: InputFrom<M>,
  events: (snapshot: AnyMachineSnapshot) => Array<EventFromLogic<M>>,
): ModelPath[] {
  return getSimplePaths(machine, { input, events: events as never, serializeState: cachedSerializer() as never }) as never
}

/**
 * Replays each path's events from the initial state as the db layer will
 * (initialTransition, then `can` and `transition` for each event, as `replay`
 * does): the end must equal the path's state in value, context and status, also
 * after a persist → JSON → restore round trip. This checks replay and the
 * snapshot cache, not the rules (tests/support/duty-rules.ts does). Every prefix
 * of a simple path is itself one of the paths, so the replays share their
 * prefixes in a trie: one transition per path, not per step.
 */
export function checkReplayOfPaths<M extends AnyStateMachine>(machine: M, input: InputFrom<M>, paths: readonly ModelPath[]): PathCheck {
  const result: PathCheck = { paths: paths.length, longest: 0, reached: new Set(), failures: [] }
  type Node = { snapshot: AnyMachineSnapshot | Error; next: Map<string, Node> }
  const root: Node = { snapshot: initialSnapshot(machine, input) as AnyMachineSnapshot, next: new Map() }
  for (const path of paths) {
    const pathEvents = path.steps.slice(1).map((s) => s.event as EventFromLogic<M>)
    const end = path.state
    const label = pathEvents.map((e) => e.type).join(' → ') || '(initial)'
    result.longest = Math.max(result.longest, pathEvents.length)
    for (const node of end._nodes) if (node.type === 'atomic' || node.type === 'final') result.reached.add(node.id)
    let node = root
    pathEvents.forEach((event, index) => {
      const key = JSON.stringify(event)
      let child = node.next.get(key)
      if (!child) {
        let snapshot: AnyMachineSnapshot | Error
        try {
          snapshot =
            node.snapshot instanceof Error
              ? node.snapshot
              : (applyEvent(machine, node.snapshot as never, event, index) as AnyMachineSnapshot)
        } catch (error) {
          snapshot = error as Error
        }
        child = { snapshot, next: new Map() }
        node.next.set(key, child)
      }
      node = child
    })
    if (node.snapshot instanceof Error) {
      result.failures.push(`${node.snapshot.message} on ${label}`)
      continue
    }
    const replayed = node.snapshot
    const restored = restoreSnapshot(machine, JSON.parse(JSON.stringify(persistSnapshot(machine, replayed as never)))) as AnyMachineSnapshot
    for (const [name, s] of [
      ['replay', replayed],
      ['restored', restored],
    ] as const) {
      if (!sameData(s.value, end.value) || !sameData(s.context, end.context) || s.status !== end.status) {
        result.failures.push(`${name} differs from the model at the end of ${label}`)
      }
    }
  }
  return result
}

/** modelPaths, then checkReplayOfPaths. */
export function checkEverySimplePath<M extends AnyStateMachine>(
  machine: M,
  input: InputFrom<M>,
  events: (snapshot: AnyMachineSnapshot) => Array<EventFromLogic<M>>,
): PathCheck {
  return checkReplayOfPaths(machine, input, modelPaths(machine, input, events))
}

/** The atomic and final state nodes of a machine, by id. */
export function leafStateIds(machine: AnyStateMachine): string[] {
  const out: string[] = []
  const walk = (node: AnyStateMachine['root']) => {
    const children = Object.values(node.states)
    if (children.length === 0) out.push(node.id)
    children.forEach(walk)
  }
  walk(machine.root)
  return out
}

/**
 * Generates a long history at random from `candidates`, keeping only the events
 * the machine allows, and checks on the way that a refused event changes nothing.
 */
export function randomHistory<M extends AnyStateMachine>(
  machine: M,
  input: InputFrom<M>,
  candidates: (snapshot: AnyMachineSnapshot) => Array<EventFromLogic<M>>,
  {
    seed,
    attempts,
    holdBack = () => false,
  }: {
    seed: number
    attempts: number
    /** Events that end the workflow (lock, close): offered only in the last tenth, so histories run long. */
    holdBack?: (event: EventFromLogic<M>) => boolean
  },
) {
  const random = seededRandom(seed)
  let snapshot = initialSnapshot(machine, input) as AnyMachineSnapshot
  const kept: Array<EventFromLogic<M>> = []
  const refusedButChanged: string[] = []
  for (let i = 0; i < attempts && snapshot.status === 'active'; i++) {
    const endgame = i >= attempts * 0.9
    const options = candidates(snapshot).filter((e) => endgame || !holdBack(e))
    const event = options[Math.floor(random() * options.length)]!
    const [next] = transition(machine, snapshot as never, event) as [AnyMachineSnapshot, unknown]
    if (snapshot.can(event)) {
      kept.push(event)
      snapshot = next
    } else if (!sameData(next.value, snapshot.value) || !sameData(next.context, snapshot.context)) {
      refusedButChanged.push(event.type)
    }
  }
  return { snapshot, events: kept, refusedButChanged }
}
