import { expect, test } from 'vitest'
import {
  BOARD_DETERMINATION_MACHINE_VERSION,
  type BoardDeterminationEvent,
  type BoardDeterminationInput,
  boardDeterminationMachine,
  DETERMINATION_STATE_LABELS,
  describeDeterminationState,
  determinationWaitsFor,
} from './board-determination'
import {
  AT,
  LATER,
  REVISED_FACTORS,
  SAMPLE_DECISIONS,
  SAMPLE_FACTORS,
  DIRECTOR_A,
  DIRECTOR_B,
  checkEverySimplePath,
  signatureIdOf,
  determinationModelEvents,
  determinationRandomEvents,
  leafStateIds,
} from '../tests/support/machine-models'
import { replay } from './replay'

const chairman = { kind: 'director' as const, userId: 'user-chairman', isChairman: true }
const input: BoardDeterminationInput = {
  caseId: 'case-4',
  subject: { kind: 'officer', role: 'cfo', userId: 'user-cfo' },
  reporter: { role: 'cao', userId: 'user-controller' },
}
const at = (events: BoardDeterminationEvent[], i = input) => replay(boardDeterminationMachine, i, events)

const factors: BoardDeterminationEvent = { type: 'determination.recordFactors', factors: SAMPLE_FACTORS, at: AT }
const decide = (i: number, signerUserId = DIRECTOR_A): BoardDeterminationEvent => ({
  type: 'determination.decide',
  decision: SAMPLE_DECISIONS[i]!,
  at: LATER,
  signatureId: signatureIdOf(`decide-${signerUserId}`),
  signerUserId,
})
const sign = (signerUserId: string): BoardDeterminationEvent => ({
  type: 'determination.sign',
  at: LATER,
  signatureId: signatureIdOf(`sign-${signerUserId}`),
  signerUserId,
})
const acknowledge = (byUserId: string): BoardDeterminationEvent => ({ type: 'determination.acknowledgeNotice', byUserId, at: LATER })
const notice: BoardDeterminationEvent = {
  type: 'determination.giveNotice',
  text: 'The Board has determined that there has been a violation.',
  at: LATER,
}
const close: BoardDeterminationEvent = { type: 'determination.close', at: LATER }

test('every simple path of the board-determination model replays to the same snapshot', () => {
  const result = checkEverySimplePath(boardDeterminationMachine, input, determinationModelEvents as never)
  expect(result.failures).toEqual([])
  expect([...result.reached].sort()).toEqual(leafStateIds(boardDeterminationMachine).sort())
})

test('the machine is named and versioned for the registry', () => {
  expect(boardDeterminationMachine.id).toBe('board-determination')
  expect(BOARD_DETERMINATION_MACHINE_VERSION).toBe(3)
})

test('the Board receives the matter without its subject', () => {
  expect(at([]).context.routing).toEqual({ recipients: ['board'], excludedUserIds: ['user-cfo'] })
  expect(at([], { ...input, subject: chairman }).context.routing.excludedUserIds).toEqual(['user-chairman'])
})

test('a determination is about an individual', () => {
  expect(() => replay(boardDeterminationMachine, { ...input, subject: { kind: 'none' } as never }, [])).toThrow()
})

test('the Board decides only after the five factors are recorded', () => {
  expect(at([]).can(decide(0))).toBe(false)
  const weighed = at([factors])
  expect(weighed.context.factors).toEqual({ ...SAMPLE_FACTORS, recordedAt: AT })
  const { intent: _omitted, ...withoutIntent } = SAMPLE_FACTORS
  expect(at([]).can({ type: 'determination.recordFactors', factors: withoutIntent as never, at: AT })).toBe(false)
  expect(weighed.can({ type: 'determination.recordFactors', factors: REVISED_FACTORS, at: LATER })).toBe(true)
})

test('a violation needs one or more of the five actions; a suspension says with or without pay and benefits', () => {
  const weighed = at([factors])
  const violation = (extra: object): BoardDeterminationEvent => ({
    type: 'determination.decide',
    decision: { violation: true, decidedBy: 'board', rationale: 'Repeated.', ...extra } as never,
    at: LATER,
    signatureId: signatureIdOf('violation'),
    signerUserId: DIRECTOR_A,
  })
  expect(weighed.can(violation({ actions: [] }))).toBe(false)
  expect(weighed.can(violation({ actions: ['censure', 'censure'] }))).toBe(false)
  expect(weighed.can(violation({ actions: ['fine'] }))).toBe(false)
  expect(weighed.can(violation({ actions: ['suspension'] }))).toBe(false)
  expect(weighed.can(violation({ actions: ['termination'], suspension: { withPay: true, withBenefits: true } }))).toBe(false)
  expect(weighed.can(violation({ actions: ['demotion_or_reassignment', 'termination'] }))).toBe(true)
  expect(weighed.can(decide(0))).toBe(true)
})

test('written notice to the individual comes before closing, and nothing moves after', () => {
  expect(at([factors, decide(1)]).can(close)).toBe(false)
  expect(at([factors, decide(1)]).can({ ...notice, text: '' } as BoardDeterminationEvent)).toBe(false)
  expect(describeDeterminationState(at([factors, decide(0)]))).toMatch(/no violation was determined/)
  const closed = at([factors, decide(2), notice, close])
  expect(closed.status).toBe('done')
  expect(closed.context.decision).toEqual({ ...SAMPLE_DECISIONS[2], decidedAt: LATER })
  for (const event of determinationRandomEvents(closed)) expect(closed.can(event), event.type).toBe(false)
})

test('what a referred matter waits for follows its determination, to "nothing more" once closed, never saying the outcome', () => {
  expect(determinationWaitsFor(at([])).waitsFor).toMatch(/facts and factors to be recorded/)
  expect(determinationWaitsFor(at([factors])).waitsFor).toMatch(/its decision and signatures/)
  const decided = determinationWaitsFor(at([factors, decide(0)]))
  expect(decided).toEqual({ waitsFor: 'written notice to the individual of the Board’s determination', since: LATER })
  expect(determinationWaitsFor(at([factors, decide(1), notice])).waitsFor).toMatch(/acknowledgement of the written notice/)
  const closed = determinationWaitsFor(at([factors, decide(2), notice, close]))
  expect(closed.waitsFor).toBe('nothing more: the Board has made its determination and closed it')
  expect(closed.since).not.toBeNull()
  for (const events of [
    [factors, decide(0)],
    [factors, decide(2), notice, close],
  ])
    expect(determinationWaitsFor(at(events)).waitsFor).not.toMatch(/violation/)
})

test('written text holding the NUL character is refused; every state has a label', () => {
  const weighed = at([factors])
  expect(
    weighed.can({ ...decide(0), decision: { ...SAMPLE_DECISIONS[0]!, rationale: 'Disclosed\u0000' } } as BoardDeterminationEvent),
  ).toBe(false)
  const other = { ...SAMPLE_FACTORS, otherRelevantInformation: 'A second contract\u0000' }
  expect(at([]).can({ type: 'determination.recordFactors', factors: other, at: AT })).toBe(false)
  expect(at([factors, decide(1)]).can({ ...notice, text: 'Notice\u0000' })).toBe(false)
  for (const key of Object.keys(boardDeterminationMachine.root.states))
    expect(DETERMINATION_STATE_LABELS[key], key).toMatch(/^[A-Z][a-z ]+$/)
})

test('each director who takes the decision signs it once; the subject never takes part', () => {
  const weighed = at([factors])
  // The subject (here the CFO) may not decide about themselves, nor sign.
  expect(weighed.can(decide(1, 'user-cfo'))).toBe(false)
  const decided = at([factors, decide(1)])
  expect(decided.context.signatures).toEqual([{ signatureId: signatureIdOf(`decide-${DIRECTOR_A}`), signerUserId: DIRECTOR_A, at: LATER }])
  expect(decided.can(sign('user-cfo'))).toBe(false)
  expect(decided.can(sign(DIRECTOR_A))).toBe(false)
  expect(decided.can({ type: 'determination.sign', at: LATER, signatureId: 'not-a-hash', signerUserId: DIRECTOR_B })).toBe(false)
  const cosigned = at([factors, decide(1), sign(DIRECTOR_B)])
  expect(cosigned.context.signatures.map((s) => s.signerUserId)).toEqual([DIRECTOR_A, DIRECTOR_B])
  expect(cosigned.can(sign(DIRECTOR_B))).toBe(false)
  // No signature once the notice has gone out.
  expect(at([factors, decide(1), notice]).can(sign(DIRECTOR_B))).toBe(false)
  // A director who is the subject is left out of the Board and may not sign either.
  const aboutChairman = { ...input, subject: { kind: 'director' as const, userId: DIRECTOR_A, isChairman: true } }
  expect(at([factors], aboutChairman).can(decide(1, DIRECTOR_A))).toBe(false)
  expect(at([factors], aboutChairman).can(decide(1, DIRECTOR_B))).toBe(true)
  expect(at([factors, decide(1, DIRECTOR_B)], aboutChairman).can(sign(DIRECTOR_A))).toBe(false)
})

test('only the individual acknowledges receipt of the notice, once it is given', () => {
  const given = at([factors, decide(1), notice])
  expect(at([factors, decide(1)]).can(acknowledge('user-cfo'))).toBe(false)
  for (const other of [DIRECTOR_A, DIRECTOR_B, 'user-cao', 'user-admin']) expect(given.can(acknowledge(other)), other).toBe(false)
  const acknowledged = at([factors, decide(1), notice, acknowledge('user-cfo')])
  expect(acknowledged.value).toBe('noticeAcknowledged')
  expect(acknowledged.context.noticeAcknowledgedAt).toBe(LATER)
  expect(acknowledged.can(acknowledge('user-cfo'))).toBe(false)
  expect(at([factors, decide(1), notice, acknowledge('user-cfo'), close]).status).toBe('done')
})

test('prior violations follow what was found: yes exactly when earlier cases are named', () => {
  const typed = { ...SAMPLE_FACTORS, priorViolations: true }
  expect(at([]).can({ type: 'determination.recordFactors', factors: typed, at: AT })).toBe(false)
  const named = { ...SAMPLE_FACTORS, priorViolations: false, priorViolationCaseIds: ['case-2009'] }
  expect(at([]).can({ type: 'determination.recordFactors', factors: named, at: AT })).toBe(false)
  expect(at([]).can({ type: 'determination.recordFactors', factors: { ...named, priorViolations: true }, at: AT })).toBe(true)
})

test('a matter reported by an employee, a director or through the anonymous channel starts the Board’s workflow', () => {
  for (const reporter of [
    { kind: 'employee' as const, userId: 'user-employee' },
    { kind: 'director' as const, userId: 'user-audit-member' },
    { kind: 'anonymous' as const },
    { role: 'cao' as const, userId: 'user-cao' },
  ]) {
    const opened = at([], { ...input, reporter })
    expect(opened.value).toBe('opened')
    expect(opened.context.reporter).toEqual(reporter)
    expect(opened.context.routing).toEqual({ recipients: ['board'], excludedUserIds: ['user-cfo'] })
  }
  expect(() => at([], { ...input, reporter: { kind: 'stranger' } as never })).toThrow()
})
