import { expect, test } from 'vitest'
import {
  BOARD_DETERMINATION_MACHINE_VERSION,
  type BoardDeterminationEvent,
  type BoardDeterminationInput,
  boardDeterminationMachine,
  DETERMINATION_STATE_LABELS,
  describeDeterminationState,
} from './board-determination'
import {
  AT,
  LATER,
  REVISED_FACTORS,
  SAMPLE_DECISIONS,
  SAMPLE_FACTORS,
  checkEverySimplePath,
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
const decide = (i: number): BoardDeterminationEvent => ({ type: 'determination.decide', decision: SAMPLE_DECISIONS[i]!, at: LATER })
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
  expect(BOARD_DETERMINATION_MACHINE_VERSION).toBe(2)
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
