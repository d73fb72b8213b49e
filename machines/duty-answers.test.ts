import { expect, test } from 'vitest'
import { DRAFT_A, DRAFT_B, sampleAnswers, variantAnswers } from '../tests/support/sample-answers'
import { DUTIES, type DutyNumber } from './duties'
import {
  adverseFinding,
  answersDraftSha256,
  answersDraftSha256s,
  exceptionCaseDuties,
  exceptionCaseDutyFor,
  isExceptionCaseDuty,
  parseDutyAnswers,
} from './duty-answers'

test('every duty has a schema that accepts its sample answers and refuses an empty answer', () => {
  for (const { number } of DUTIES) {
    for (const variant of ['first', 'revised', 'adverse', 'notEstablished'] as const) {
      expect(parseDutyAnswers(number, variantAnswers(number, variant)).success, `duty ${number} ${variant}`).toBe(true)
    }
    expect(parseDutyAnswers(number, {}).success, `duty ${number} {}`).toBe(false)
  }
})

test('duties 1–4: each matter is a case, or the officer states there is none beyond those reported', () => {
  expect(parseDutyAnswers(1, { items: [] }).success).toBe(false)
  expect(parseDutyAnswers(1, { items: [], noneBeyondReported: false }).success).toBe(false)
  expect(parseDutyAnswers(1, { items: [{ summary: 'Canamex purchase' }] }).success).toBe(false)
  expect(parseDutyAnswers(1, { items: [{ summary: '  ', caseId: 'c1' }] }).success).toBe(false)
  const twice = { summary: 'x', caseId: 'c1', category: 'fraud' }
  expect(parseDutyAnswers(2, { items: [twice, twice] }).success).toBe(false)
  expect(parseDutyAnswers(3, { items: [{ summary: 'x', caseId: 'c1', category: 'fraud' }] }).success).toBe(false)
  expect(parseDutyAnswers(4, { items: [{ summary: 'x', caseId: 'c1', category: 'securities_law_violation' }] }).success).toBe(true)
})

test('duty 5 needs the acknowledgement to be true', () => {
  expect(parseDutyAnswers(5, { acknowledgesBoardDetermination: false }).success).toBe(false)
})

test('duty 6 names the reviewed draft by its SHA-256 and explains a finding of inaccuracy', () => {
  expect(parseDutyAnswers(6, { draftSha256: 'A'.repeat(64), accurateAndComplete: true, comments: '' }).success).toBe(false)
  expect(parseDutyAnswers(6, { draftSha256: DRAFT_A, accurateAndComplete: false, comments: ' ' }).success).toBe(false)
  expect(answersDraftSha256(sampleAnswers(6))).toBe(DRAFT_A)
  expect(answersDraftSha256(sampleAnswers(7))).toBeNull()
})

test('duties 7–9 may be "not established", which is not operating; established ones name their document; unknown fields are refused', () => {
  const answer = sampleAnswers(7)
  expect(parseDutyAnswers(8, { ...answer, established: false, operatingEffectively: false }).success).toBe(true)
  expect(parseDutyAnswers(8, { ...answer, established: false, operatingEffectively: false, referenceDocument: undefined }).success).toBe(
    true,
  )
  expect(parseDutyAnswers(8, { ...answer, established: false, operatingEffectively: true }).success).toBe(false)
  expect(parseDutyAnswers(8, { ...answer, referenceDocument: undefined }).success).toBe(false)
  expect(parseDutyAnswers(9, { ...answer, extra: 1 }).success).toBe(false)
})

test('written text holding the NUL character is refused, in every duty that takes text', () => {
  expect(parseDutyAnswers(1, { items: [{ summary: 'Canamex\u0000', caseId: 'c1' }] }).success).toBe(false)
  expect(parseDutyAnswers(1, { items: [{ summary: 'Canamex', caseId: 'c\u0000' }] }).success).toBe(false)
  expect(parseDutyAnswers(6, sampleAnswers(6, { comments: 'x\u0000' })).success).toBe(false)
  expect(parseDutyAnswers(7, sampleAnswers(7, { referenceDocument: { title: 'APM', identifier: 'APM\u0000' } })).success).toBe(false)
  expect(parseDutyAnswers(11, sampleAnswers(11, { summary: '\u0000' })).success).toBe(false)
  const answer = sampleAnswers(12)
  expect(parseDutyAnswers(12, { ...answer, internalAuditor: { ...answer.internalAuditor, confirmedBy: 'IA\u0000' } }).success).toBe(false)
})

test('every draft an answer names: the draft, and each auditor confirmation’s document', () => {
  expect(answersDraftSha256s(sampleAnswers(6))).toEqual([DRAFT_A])
  expect(answersDraftSha256s(sampleAnswers(10, { draftSha256: DRAFT_B }))).toEqual([DRAFT_B])
  const answer = sampleAnswers(12)
  expect(answersDraftSha256s({ ...answer, independentAuditors: { ...answer.independentAuditors, documentSha256: DRAFT_B } })).toEqual([
    DRAFT_A,
    DRAFT_A,
    DRAFT_B,
  ])
  expect(answersDraftSha256s(sampleAnswers(7))).toEqual([])
  expect(answersDraftSha256s(null as never)).toEqual([])
})

test('the case of an exception: its own duty for 1–4, a duty 2 matter for 7–9 and 11', () => {
  const rule = Object.fromEntries(DUTIES.map((d) => [d.number, exceptionCaseDuties(d.number)]))
  expect(rule).toEqual({ 1: [1], 2: [2], 3: [3], 4: [4], 5: [4, 3], 6: [1, 2], 7: [2], 8: [2], 9: [2], 10: [1, 2], 11: [2], 12: [1, 2] })
  for (const n of [7, 8, 9] as DutyNumber[]) {
    expect(exceptionCaseDutyFor(n)).toBe(2)
    expect(isExceptionCaseDuty(n, 2)).toBe(true)
    expect(isExceptionCaseDuty(n, 1)).toBe(false)
  }
  expect(isExceptionCaseDuty(3, 4)).toBe(false)
  expect(isExceptionCaseDuty(1, 5)).toBe(false)
})

test('duty 10 needs senior management, division heads and accounting staff to have attended', () => {
  const answer = sampleAnswers(10)
  if (!('meetings' in answer)) throw new Error('duty 10 sample')
  const meeting = answer.meetings[0]!
  const withoutDivisionHeads = { ...meeting, attendees: meeting.attendees.filter((a) => a.group !== 'division_head') }
  expect(parseDutyAnswers(10, { ...answer, meetings: [withoutDivisionHeads] }).success).toBe(false)
  expect(parseDutyAnswers(10, { ...answer, meetings: [] }).success).toBe(false)
  expect(parseDutyAnswers(10, { ...answer, meetings: [{ ...meeting, heldOn: '2013-02-30' }] }).success).toBe(false)
})

test('duty 11: a weakness needs its control-deficiency case', () => {
  expect(parseDutyAnswers(11, { consultedOn: '2013-02-19', weaknessesIdentified: true, summary: 'IT access' }).success).toBe(false)
})

test('duty 12: both auditors confirm, and a known misstatement cannot be confirmed', () => {
  const answer = sampleAnswers(12)
  if (!('internalAuditor' in answer)) throw new Error('duty 12 sample')
  expect(parseDutyAnswers(12, { ...answer, independentAuditors: undefined }).success).toBe(false)
  expect(parseDutyAnswers(12, { ...answer, internalAuditor: { ...answer.internalAuditor, noMaterialMisstatements: false } }).success).toBe(
    false,
  )
  expect(
    parseDutyAnswers(12, { ...answer, internalAuditor: { ...answer.internalAuditor, confirmedAt: '2013-02-19T17:00:00+01:00' } }).success,
  ).toBe(false)
})

test('an adverse answer is a finding that needs an exception', () => {
  for (const { number } of DUTIES) {
    expect(adverseFinding(variantAnswers(number, 'first')), `duty ${number}`).toBeNull()
    expect(adverseFinding(variantAnswers(number, 'revised')), `duty ${number}`).toBeNull()
  }
  for (const n of [6, 7, 8, 9, 12] as const) expect(adverseFinding(variantAnswers(n, 'adverse'))).not.toBeNull()
  expect(adverseFinding(variantAnswers(11, 'adverse'))).toMatch(/Audit Committee/)
  for (const n of [7, 8, 9] as const)
    expect(adverseFinding(variantAnswers(n, 'notEstablished'))).toBe('the answer says they are not established for the period')
})
