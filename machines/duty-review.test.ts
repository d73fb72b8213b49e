import { createActor } from 'xstate'
import { describe, expect, test } from 'vitest'
import { DUTIES, type DutyNumber, dutyByNumber } from './duties'
import { dutyRuleViolations } from '../tests/support/duty-rules'
import {
  AT,
  DRAFT_A,
  DRAFT_B,
  DRAFT_C,
  EXCEPTION_CASE,
  LATER,
  type ModelPath,
  checkReplayOfPaths,
  dutyReviewModelEvents,
  dutyReviewRandomEvents,
  leafStateIds,
  malformedEvents,
  modelPaths,
} from '../tests/support/machine-models'
import { type AnswerVariant, sampleAnswers, variantAnswers } from '../tests/support/sample-answers'
import {
  DUTY_REVIEW_MACHINE_VERSION,
  DUTY_STATE_LABELS,
  type DutyReviewEvent,
  describeDutyState,
  answerEvents,
  dutyAllowedActions,
  dutyEventForNewDraft,
  dutyReviewMachine,
  dutyStateLabel,
} from './duty-review'
import { initialSnapshot, persistSnapshot, replay, restoreSnapshot } from './replay'
import { dutyReviewMachine as dutyReviewMachineV1 } from './v1/duty-review'

const input = (dutyNumber: DutyNumber, currentDraftSha256: string | null = DRAFT_A) => ({
  dutyNumber,
  officerRole: 'cfo' as const,
  currentDraftSha256,
})

const start: DutyReviewEvent = { type: 'duty.start' }
const answer = (n: DutyNumber, sha: string = DRAFT_A, variant: AnswerVariant = 'first'): DutyReviewEvent => ({
  type: 'duty.answer',
  answers: variantAnswers(n, variant, sha),
})
const raise: DutyReviewEvent = { type: 'duty.raiseException', explanation: 'IT access controls are weak.', caseId: EXCEPTION_CASE }
const acknowledged: DutyReviewEvent = { type: 'duty.exceptionAcknowledged', caseId: EXCEPTION_CASE }
const confirm: DutyReviewEvent = { type: 'duty.confirm' }
const sign = (sha: string | null = DRAFT_A): DutyReviewEvent => ({ type: 'duty.sign', at: AT, signatureId: 'sig-1', draftSha256: sha })
const withdraw: DutyReviewEvent = { type: 'duty.reopen', reason: 'withdrawn', at: LATER }
const reopenFor = (sha: string): DutyReviewEvent => ({ type: 'duty.reopen', reason: 'newDraft', at: LATER, draftSha256: sha })

const at = (n: DutyNumber, events: DutyReviewEvent[], draft: string | null = DRAFT_A) => replay(dutyReviewMachine, input(n, draft), events)

// Walked once per duty, for both checks below.
const pathsOf = new Map<DutyNumber, ModelPath[]>()
const paths = (n: DutyNumber) => {
  if (!pathsOf.has(n)) pathsOf.set(n, modelPaths(dutyReviewMachine, input(n), dutyReviewModelEvents as never))
  return pathsOf.get(n)!
}

describe('every simple path of the duty-review model keeps the rules of the Code (tests/support/duty-rules.ts)', () => {
  for (const { number, title } of DUTIES) {
    test(`duty ${number} (${title})`, () => {
      const violations = dutyRuleViolations(paths(number), {
        dutyNumber: number,
        draftSha256: DRAFT_A,
        everyEvent: (s) => [...dutyReviewRandomEvents(s as never), ...malformedEvents(dutyReviewMachine)],
      })
      expect(violations.slice(0, 5)).toEqual([])
    })
  }
})

describe('every simple path of the duty-review model replays, and restores, to the same snapshot', () => {
  for (const { number, title } of DUTIES) {
    test(`duty ${number} (${title})`, () => {
      const result = checkReplayOfPaths(dutyReviewMachine, input(number), paths(number))
      expect(result.failures).toEqual([])
      expect([...result.reached].sort()).toEqual(leafStateIds(dutyReviewMachine).sort())
      expect(result.paths).toBeGreaterThan(100)
    })
  }
})

test('the machine is named and versioned for the registry', () => {
  expect(dutyReviewMachine.id).toBe('duty-review')
  expect(DUTY_REVIEW_MACHINE_VERSION).toBe(3)
})

test('invalid input fails loudly', () => {
  expect(() => initialSnapshot(dutyReviewMachine, { dutyNumber: 13 as DutyNumber, officerRole: 'cfo', currentDraftSha256: null })).toThrow()
  expect(() => initialSnapshot(dutyReviewMachine, { dutyNumber: 6, officerRole: 'cfo', currentDraftSha256: 'abc' })).toThrow()
})

describe('forbidden moves are refused', () => {
  test('signing or confirming with unanswered questions', () => {
    for (const { number } of DUTIES) {
      const inProgress = at(number, [start])
      expect(inProgress.can(sign())).toBe(false)
      expect(inProgress.can(confirm)).toBe(false)
      expect(at(number, []).can(answer(number))).toBe(false)
    }
  })

  test('answers that do not parse for the duty', () => {
    const inProgress = at(7, [start])
    expect(inProgress.can({ type: 'duty.answer', answers: sampleAnswers(6) })).toBe(false)
    expect(inProgress.can({ type: 'duty.answer', answers: { established: true } as never })).toBe(false)
  })

  test('confirming an adverse answer without an exception', () => {
    const adverse = [6, 7, 8, 9, 11, 12].map((n) => [n, 'adverse'] as const)
    const notEstablished = [7, 8, 9].map((n) => [n, 'notEstablished'] as const)
    for (const [n, variant] of [...adverse, ...notEstablished] as Array<readonly [DutyNumber, AnswerVariant]>) {
      const answered = at(n, [start, answer(n, DRAFT_A, variant)])
      expect(answered.can(confirm), `duty ${n} ${variant}`).toBe(false)
      expect(describeDutyState(answered)).toMatch(/raise an exception/)
      expect(at(n, [start, answer(n, DRAFT_A, variant), raise, acknowledged]).can(confirm)).toBe(true)
    }
  })

  test('duties 7–9 may be answered "not established": an adverse finding, raised as a duty 2 matter', () => {
    for (const n of [7, 8, 9] as const) {
      const answered = at(n, [start, answer(n, DRAFT_A, 'notEstablished')])
      expect(answered.value).toEqual({ answered: 'noException' })
      expect(answered.context.answers).toMatchObject({ established: false, operatingEffectively: false })
      expect(describeDutyState(answered)).toBe(
        `Waiting for the Chief Financial Officer to raise an exception for duty ${n} (${dutyByNumber(n).title.toLowerCase()}), with a written explanation and a case raised under duty 2: the answer says they are not established for the period.`,
      )
      // What is not established cannot be operating effectively.
      expect(at(n, [start]).can({ type: 'duty.answer', answers: sampleAnswers(n, { established: false }) })).toBe(false)
    }
  })

  test('an exception needs a written explanation and a linked case', () => {
    const answered = at(1, [start, answer(1)])
    expect(answered.can({ type: 'duty.raiseException', explanation: ' \n ', caseId: EXCEPTION_CASE })).toBe(false)
    expect(answered.can({ type: 'duty.raiseException', explanation: 'Why', caseId: '' })).toBe(false)
    expect(answered.can(raise)).toBe(true)
  })

  test('written text and ids holding the NUL character are refused', () => {
    const answered = at(1, [start, answer(1)])
    expect(answered.can({ type: 'duty.raiseException', explanation: 'Late\u0000', caseId: EXCEPTION_CASE })).toBe(false)
    expect(answered.can({ type: 'duty.raiseException', explanation: 'Late', caseId: 'case\u0000' })).toBe(false)
    expect(at(7, [start]).can({ type: 'duty.answer', answers: sampleAnswers(7, { changesInPeriod: 'none\u0000' }) })).toBe(false)
    expect(at(6, [start]).can({ type: 'duty.answer', answers: sampleAnswers(6, { comments: '\u0000' }) })).toBe(false)
    const ready = at(7, [start, answer(7), confirm])
    expect(ready.can({ type: 'duty.sign', at: AT, signatureId: 'sig\u0000', draftSha256: null })).toBe(false)
  })

  test('duty 12: each auditor confirmation must be about the current draft', () => {
    const onA = sampleAnswers(12)
    const inProgress = at(12, [start])
    for (const party of ['internalAuditor', 'independentAuditors'] as const) {
      const other = { ...onA, [party]: { ...onA[party], documentSha256: DRAFT_C } }
      expect(inProgress.can({ type: 'duty.answer', answers: other }), party).toBe(false)
    }
    expect(inProgress.can({ type: 'duty.answer', answers: onA })).toBe(true)
    // Answers about draft A, then draft B: reopened, and draft A's confirmations no longer do.
    const reopened = at(12, [start, { type: 'duty.answer', answers: onA }, reopenFor(DRAFT_B)])
    expect(reopened.can({ type: 'duty.answer', answers: { ...onA, draftSha256: DRAFT_B } })).toBe(false)
    expect(reopened.can({ type: 'duty.answer', answers: sampleAnswers(12, { draftSha256: DRAFT_B }) })).toBe(true)
  })

  test('signing with an exception before every recipient acknowledged its case', () => {
    const raised = at(2, [start, answer(2), raise])
    expect(raised.value).toEqual({ answered: { exceptionRaised: 'awaitingAcknowledgement' } })
    expect(raised.hasTag('awaitingAcknowledgement')).toBe(true)
    expect(raised.can(confirm)).toBe(false)
    expect(raised.can(sign(null))).toBe(false)
    expect(raised.can({ type: 'duty.exceptionAcknowledged', caseId: 'another-case' })).toBe(false)
    expect(describeDutyState(raised)).toMatch(/acknowledge/)
    // Even a snapshot forced into readyToSign (a corrupt cache) cannot sign.
    const forced = dutyReviewMachine.resolveState({ value: 'readyToSign', context: { ...raised.context } })
    expect(forced.can(sign(null))).toBe(false)
    expect(at(2, [start, answer(2), raise, acknowledged]).hasTag('awaitingAcknowledgement')).toBe(false)
    const settled = at(2, [start, answer(2), raise, acknowledged, confirm])
    expect(settled.can(sign(null))).toBe(true)
    expect(at(2, [start, answer(2), raise, acknowledged, confirm, sign(null)]).context.signature?.withException).toBe(true)
  })

  test('duties 6, 10 and 12 refuse answers and signatures on a stale draft', () => {
    for (const n of [6, 10, 12] as const) {
      expect(at(n, [start]).can(answer(n, DRAFT_B))).toBe(false)
      expect(at(n, [start], null).can(answer(n, DRAFT_A))).toBe(false)
      const ready = at(n, [start, answer(n), confirm])
      expect(ready.can(sign(DRAFT_B))).toBe(false)
      expect(ready.can(sign(null))).toBe(false)
      expect(ready.can(sign(DRAFT_A))).toBe(true)
      // A newer draft reopens them; the old answers go with the old draft.
      const reopened = at(n, [start, answer(n), confirm, sign(DRAFT_A), reopenFor(DRAFT_B)])
      expect(reopened.value).toBe('inProgress')
      expect(reopened.context.answers).toBeNull()
      expect(reopened.context.signature).toBeNull()
      expect(reopened.can(answer(n, DRAFT_A))).toBe(false)
      expect(reopened.can(answer(n, DRAFT_B))).toBe(true)
      // ...and they cannot quietly follow a new draft once answered.
      expect(at(n, [start, answer(n)]).can({ type: 'duty.newDraft', draftSha256: DRAFT_B })).toBe(false)
    }
  })

  test('other duties follow a new draft without reopening, and cannot be reopened by one', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 11] as const) {
      const signed = at(n, [start, answer(n), confirm, sign(null)])
      expect(signed.can(reopenFor(DRAFT_B))).toBe(false)
      const followed = at(n, [start, answer(n), confirm, sign(null), { type: 'duty.newDraft', draftSha256: DRAFT_B }])
      expect(followed.value).toBe('signed')
      expect(followed.context.currentDraftSha256).toBe(DRAFT_B)
    }
  })

  test('a committee sends a signed duty back (version 3): the signature goes, the answers stay; not once approved, not unsigned', () => {
    const sentBack: DutyReviewEvent = { type: 'duty.reopen', reason: 'sentBack', at: LATER }
    const signed = at(6, [start, answer(6), confirm, sign()])
    const back = at(6, [start, answer(6), confirm, sign(), sentBack])
    expect(back.value).toEqual({ answered: 'noException' })
    expect(back.context.signature).toBeNull()
    expect(back.context.answers).toEqual(signed.context.answers)
    expect(back.context.lastReopen).toEqual({ reason: 'sentBack', at: LATER })
    expect(at(6, [start, answer(6), confirm, sign(), { type: 'duty.reportApproved' }]).can(sentBack)).toBe(false)
    expect(at(6, [start, answer(6)]).can(sentBack)).toBe(false)
    // A send back names no draft.
    expect(signed.can({ ...sentBack, draftSha256: DRAFT_B } as DutyReviewEvent)).toBe(false)
  })

  test('a signature can be withdrawn until the report is approved, not after', () => {
    const signed = at(7, [start, answer(7), confirm, sign(null)])
    expect(signed.can(withdraw)).toBe(true)
    expect(at(7, [start, answer(7), confirm, sign(null), withdraw]).value).toEqual({ answered: 'noException' })
    const approved = at(7, [start, answer(7), confirm, sign(null), { type: 'duty.reportApproved' }])
    expect(approved.can(withdraw)).toBe(false)
    expect(approved.can({ type: 'duty.newDraft', draftSha256: DRAFT_B })).toBe(false)
    expect(approved.can({ type: 'duty.reportApproved' })).toBe(false)
    const approvedBound = at(6, [start, answer(6), confirm, sign(), { type: 'duty.reportApproved' }])
    expect(approvedBound.can(reopenFor(DRAFT_B))).toBe(false)
    expect(at(6, [start]).can({ type: 'duty.reportApproved' })).toBe(false)
  })

  test('nothing moves once locked', () => {
    for (const { number } of DUTIES) {
      for (const history of [[], [start, answer(number), confirm, sign(), { type: 'duty.reportApproved' }]] as DutyReviewEvent[][]) {
        const locked = at(number, [...history, { type: 'duty.lock' }])
        expect(locked.status).toBe('done')
        for (const event of dutyReviewRandomEvents(locked)) {
          expect(locked.can(event), `${event.type} after lock`).toBe(false)
        }
      }
    }
  })
})

test('a persisted snapshot restores, by resolveState or by createActor, and carries on', () => {
  const signedHistory = [start, answer(6), raise, acknowledged, confirm]
  const live = at(6, signedHistory)
  const persisted = JSON.parse(JSON.stringify(persistSnapshot(dutyReviewMachine, live)))
  const restored = restoreSnapshot(dutyReviewMachine, persisted)
  const viaActor = createActor(dutyReviewMachine, { snapshot: persisted, input: input(6) }).getSnapshot()
  for (const s of [restored, viaActor]) {
    expect(s.value).toBe('readyToSign')
    expect(s.context).toEqual(live.context)
    expect(s.can(sign())).toBe(true)
    expect(s.can(sign(DRAFT_B))).toBe(false)
  }
  expect(replay(dutyReviewMachine, input(6), [...signedHistory, sign()]).context.signature).toEqual({
    signatureId: 'sig-1',
    at: AT,
    draftSha256: DRAFT_A,
    withException: true,
  })
})

test('describeDutyState says what each state waits for', () => {
  const lines = [
    at(6, []),
    at(6, [start], null),
    at(6, [start]),
    at(6, [start, answer(6)]),
    at(6, [start, answer(6), raise]),
    at(6, [start, answer(6), raise, acknowledged]),
    at(6, [start, answer(6), confirm]),
    at(6, [start, answer(6), confirm, sign()]),
    at(6, [start, answer(6), confirm, sign(), reopenFor(DRAFT_B)]),
    at(6, [start, answer(6), confirm, sign(), { type: 'duty.reportApproved' }]),
    at(6, [{ type: 'duty.lock' }]),
  ].map(describeDutyState)
  expect(lines).toEqual([
    'Waiting for the Chief Financial Officer to start the review of duty 6 (review of the draft).',
    'Waiting for a draft of the periodic report: duty 6 (review of the draft) is about a specific draft.',
    'Waiting for the Chief Financial Officer to answer duty 6 (review of the draft) on draft aaaaaaaaaaaa….',
    'Waiting for the Chief Financial Officer to confirm the answers to duty 6 (review of the draft), or to raise an exception.',
    `Waiting for every recipient of case ${EXCEPTION_CASE} to acknowledge it before duty 6 (review of the draft) can be signed with exception.`,
    "Waiting for the Chief Financial Officer to confirm the answers to duty 6 (review of the draft); the exception's case has been acknowledged.",
    'Waiting for the Chief Financial Officer to sign duty 6 (review of the draft).',
    'Signed; waiting for the report to be approved for filing.',
    'Reopened by a new draft (bbbbbbbbbbbb…): waiting for the Chief Financial Officer to answer duty 6 (review of the draft) again.',
    'Signed; the report is approved for filing: waiting for it to be filed.',
    'Locked: the report has been filed and duty 6 (review of the draft) can no longer change.',
  ])
  // It reads a persisted snapshot as well as a live one.
  expect(describeDutyState(persistSnapshot(dutyReviewMachine, at(6, [start])) as never)).toBe(lines[2])
})

test('dutyEventForNewDraft picks reopen for answered bound duties and newDraft for the rest', () => {
  const draft = { sha256: DRAFT_B, at: LATER }
  expect(dutyEventForNewDraft(at(6, [start, answer(6)]), draft)).toEqual(reopenFor(DRAFT_B))
  expect(dutyEventForNewDraft(at(6, [start]), draft)).toEqual({ type: 'duty.newDraft', draftSha256: DRAFT_B })
  expect(dutyEventForNewDraft(at(7, [start, answer(7)]), draft)).toEqual({ type: 'duty.newDraft', draftSha256: DRAFT_B })
  expect(dutyEventForNewDraft(at(7, [start]), { sha256: DRAFT_A, at: LATER })).toBeNull()
  expect(dutyEventForNewDraft(at(7, [{ type: 'duty.lock' }]), draft)).toBeNull()
})

describe('state tags say what each state takes, so pages need not list state names', () => {
  const tagsOf = (s: { hasTag: (t: never) => boolean }) =>
    (['acceptsStart', 'acceptsAnswers', 'acceptsException', 'awaitingAcknowledgement', 'readyToSign', 'signed', 'locked'] as const).filter(
      (t) => s.hasTag(t as never),
    )
  test.each([
    ['not started', [], ['acceptsStart']],
    ['in progress', [start], ['acceptsAnswers']],
    ['answered', [start, answer(7)], ['acceptsAnswers', 'acceptsException']],
    ['exception raised', [start, answer(7), raise], ['acceptsAnswers', 'awaitingAcknowledgement']],
    ['exception acknowledged', [start, answer(7), raise, acknowledged], ['acceptsAnswers']],
    ['ready to sign', [start, answer(7), confirm], ['acceptsAnswers', 'readyToSign']],
    ['signed', [start, answer(7), confirm, sign(null)], ['signed']],
    ['locked', [{ type: 'duty.lock' }], ['locked']],
  ] as Array<[string, DutyReviewEvent[], string[]]>)('%s', (_name, events, tags) => {
    expect(tagsOf(at(7, events))).toEqual(tags)
    // Version 1 has the same tags, but one exception state for both.
    if (!events.includes(raise)) expect(tagsOf(replay(dutyReviewMachineV1, input(7), events as never))).toEqual(tags)
  })
})

describe('dutyAllowedActions', () => {
  const now = { at: LATER, reportAcceptsSignatures: true }
  const open = (s: Parameters<typeof dutyAllowedActions>[0], facts: Parameters<typeof dutyAllowedActions>[1]) =>
    Object.entries(dutyAllowedActions(s, facts))
      .filter(([, allowed]) => allowed)
      .map(([action]) => action)

  test('follows the workflow from start to signature and withdrawal', () => {
    const f = { ...now, draftSha256: DRAFT_A }
    // Not started: the first answers start the review.
    expect(open(at(7, []), f)).toEqual(['start', 'answer'])
    expect(open(at(7, [start]), f)).toEqual(['answer'])
    expect(open(at(7, [start, answer(7)]), f)).toEqual(['answer', 'raiseException', 'confirm'])
    expect(open(at(7, [start, answer(7, DRAFT_A, 'adverse')]), f)).toEqual(['answer', 'raiseException'])
    expect(open(at(7, [start, answer(7, DRAFT_A, 'adverse'), raise]), f)).toEqual(['answer'])
    expect(open(at(7, [start, answer(7, DRAFT_A, 'adverse'), raise, acknowledged]), f)).toEqual(['answer', 'confirm'])
    expect(open(at(7, [start, answer(7), confirm]), f)).toEqual(['answer', 'sign'])
    expect(open(at(7, [start, answer(7), confirm, sign(null)]), f)).toEqual(['withdraw'])
    expect(open(at(7, [{ type: 'duty.lock' }]), f)).toEqual([])
  })

  test('a signature only while the report accepts signatures (in certification)', () => {
    const ready = at(7, [start, answer(7), confirm])
    expect(dutyAllowedActions(ready, { ...now, draftSha256: DRAFT_A, reportAcceptsSignatures: false }).sign).toBe(false)
    expect(dutyAllowedActions(ready, { ...now, draftSha256: DRAFT_A, reportAcceptsSignatures: true }).sign).toBe(true)
  })

  test('duties 6, 10 and 12 are answered only on a registered draft the workflow knows', () => {
    for (const n of [6, 10, 12] as const) {
      expect(dutyAllowedActions(at(n, [start], null), { ...now, draftSha256: null }).answer).toBe(false)
      // A draft registered that the workflow has not heard of yet: the page is ahead of the workflow.
      expect(dutyAllowedActions(at(n, [start], null), { ...now, draftSha256: DRAFT_A }).answer).toBe(false)
      expect(dutyAllowedActions(at(n, [start]), { ...now, draftSha256: DRAFT_B }).answer).toBe(false)
      expect(dutyAllowedActions(at(n, [start]), { ...now, draftSha256: DRAFT_A }).answer).toBe(true)
      expect(dutyAllowedActions(at(n, [start, answer(n), confirm]), { ...now, draftSha256: DRAFT_B }).sign).toBe(false)
    }
    expect(dutyAllowedActions(at(7, [start], null), { ...now, draftSha256: null }).answer).toBe(true)
  })

  test('a review not started is answered on a draft the workflow knows, its start sent with the answers', () => {
    expect(dutyAllowedActions(at(10, [], null), { ...now, draftSha256: DRAFT_A }).answer).toBe(false)
    expect(dutyAllowedActions(at(10, []), { ...now, draftSha256: DRAFT_A }).answer).toBe(true)
    const first = answer(7) as Extract<DutyReviewEvent, { type: 'duty.answer' }>
    expect(answerEvents(at(7, []), first)).toEqual([start, first])
    expect(answerEvents(at(7, [start]), first)).toEqual([first])
  })

  test('works on a version 1 workflow too', () => {
    const v1 = replay(dutyReviewMachineV1, input(7), [start, answer(7)] as never)
    expect(open(v1, { ...now, draftSha256: DRAFT_A })).toEqual(['answer', 'raiseException', 'confirm'])
  })
})

test('every state of both versions has a label, in plain words', () => {
  for (const machine of [dutyReviewMachine, dutyReviewMachineV1]) {
    for (const id of leafStateIds(machine)) {
      const path = id.replace(/^duty-review\./, '')
      expect(DUTY_STATE_LABELS[path], path).toMatch(/^[A-Z][a-z ]+$/)
    }
  }
  expect(dutyStateLabel({ answered: { exceptionRaised: 'acknowledged' } })).toBe('Exception acknowledged')
  expect(dutyStateLabel('readyToSign')).toBe('Ready to sign')
  expect(describeDutyState(replay(dutyReviewMachineV1, input(2), [start, answer(2), raise] as never) as never)).toMatch(/to acknowledge it/)
})
