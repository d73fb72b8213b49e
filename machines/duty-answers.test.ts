import { expect, test } from 'vitest'
import { DUTIES } from './duties'
import { adverseFinding, answersDraftSha256, parseDutyAnswers } from './duty-answers'
import { DRAFT_A, sampleAnswers } from './test-support'

test('every duty has a schema that accepts its sample answers and refuses an empty answer', () => {
  for (const { number } of DUTIES) {
    for (const variant of ['first', 'revised', 'adverse'] as const) {
      expect(parseDutyAnswers(number, sampleAnswers(number, DRAFT_A, variant)).success, `duty ${number} ${variant}`).toBe(true)
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
  expect(answersDraftSha256(sampleAnswers(6, DRAFT_A))).toBe(DRAFT_A)
  expect(answersDraftSha256(sampleAnswers(7, DRAFT_A))).toBeNull()
})

test('duties 7–9 must be established; unknown fields are refused', () => {
  const answer = sampleAnswers(7, DRAFT_A)
  expect(parseDutyAnswers(8, { ...answer, established: false }).success).toBe(false)
  expect(parseDutyAnswers(9, { ...answer, extra: 1 }).success).toBe(false)
})

test('duty 10 needs senior management, division heads and accounting staff to have attended', () => {
  const answer = sampleAnswers(10, DRAFT_A)
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
  const answer = sampleAnswers(12, DRAFT_A)
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
    expect(adverseFinding(sampleAnswers(number, DRAFT_A, 'first')), `duty ${number}`).toBeNull()
  }
  for (const n of [6, 7, 8, 9, 12] as const) expect(adverseFinding(sampleAnswers(n, DRAFT_A, 'adverse'))).not.toBeNull()
  expect(adverseFinding(sampleAnswers(11, DRAFT_A, 'revised'))).toMatch(/Audit Committee/)
})
