import { and, not, setup, assign } from 'xstate'
import { z } from 'zod'
import { type DutyNumber, dutyByNumber } from './duties'
import { type DutyAnswers, adverseFinding, answersDraftSha256s, exceptionCaseDuties, parseDutyAnswers } from './duty-answers'
import { caseIdSchema, idSchema, sha256Schema, statePath, utcInstantSchema, writtenTextSchema } from './primitives'
import { type OfficerRole, OFFICER_TITLES, officerRoleSchema } from './roles'

// One officer's review of one duty for one periodic report. Twelve duties ×
// three officers = 36 of these per report; the report cannot go to the
// committees until all 36 are signed (report-lifecycle.ts).

export const DUTY_REVIEW_MACHINE_ID = 'duty-review'
// Version 2: written text and ids refuse NUL; duties 7–9 may be answered "not
// established" (an adverse finding); duty 12's confirmations must each be about
// the current draft; an exception waits for its acknowledgement in a state of
// its own (tag `awaitingAcknowledgement`); states carry tags. Version 3: a
// committee may send the report back, which reopens the sign-offs it names
// (`duty.reopen` with reason 'sentBack'; the why is in the report's own
// `report.sendBack` event, written in the same transaction). Versions 1 and 2
// stay in v1/ and v2/ for the histories they recorded.
export const DUTY_REVIEW_MACHINE_VERSION = 3

export const dutyNumberSchema = z.literal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])

export const dutyReviewInputSchema = z.strictObject({
  dutyNumber: dutyNumberSchema,
  officerRole: officerRoleSchema,
  currentDraftSha256: sha256Schema.nullable(),
})
export type DutyReviewInput = z.infer<typeof dutyReviewInputSchema>

// Events as they arrive from the routes, checked again inside the guards: the
// db layer replays stored JSON, so a guard never trusts the TypeScript type alone.
export const dutyReviewEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('duty.start') }),
  z.strictObject({ type: z.literal('duty.answer'), answers: z.unknown() }),
  z.strictObject({ type: z.literal('duty.raiseException'), explanation: writtenTextSchema, caseId: caseIdSchema }),
  z.strictObject({ type: z.literal('duty.exceptionAcknowledged'), caseId: caseIdSchema }),
  z.strictObject({ type: z.literal('duty.confirm') }),
  z.strictObject({
    type: z.literal('duty.sign'),
    at: utcInstantSchema,
    signatureId: idSchema,
    draftSha256: sha256Schema.nullable(),
  }),
  z
    .strictObject({
      type: z.literal('duty.reopen'),
      reason: z.enum(['newDraft', 'withdrawn', 'sentBack']),
      at: utcInstantSchema,
      draftSha256: sha256Schema.optional(),
    })
    .refine((e) => (e.reason === 'newDraft') === (e.draftSha256 !== undefined), {
      message: 'a new draft names its SHA-256; a withdrawal or a send back names none',
      path: ['draftSha256'],
    }),
  z.strictObject({ type: z.literal('duty.newDraft'), draftSha256: sha256Schema }),
  z.strictObject({ type: z.literal('duty.reportApproved') }),
  z.strictObject({ type: z.literal('duty.lock') }),
])

/** Why a signed duty was reopened: a newer draft, the officer's own withdrawal, or a committee's send back. */
export type DutyReopenReason = 'newDraft' | 'withdrawn' | 'sentBack'

export type DutyReviewEvent =
  | { type: 'duty.start' }
  | { type: 'duty.answer'; answers: DutyAnswers }
  | { type: 'duty.raiseException'; explanation: string; caseId: string }
  | { type: 'duty.exceptionAcknowledged'; caseId: string }
  | { type: 'duty.confirm' }
  | { type: 'duty.sign'; at: string; signatureId: string; draftSha256: string | null }
  | { type: 'duty.reopen'; reason: DutyReopenReason; at: string; draftSha256?: string }
  | { type: 'duty.newDraft'; draftSha256: string }
  | { type: 'duty.reportApproved' }
  | { type: 'duty.lock' }

export interface DutyException {
  explanation: string
  caseId: string
  /** Set by `duty.exceptionAcknowledged`: every recipient body of the case has acknowledged it. */
  acknowledged: boolean
}

export interface DutySignature {
  signatureId: string
  at: string
  draftSha256: string | null
  withException: boolean
}

export interface DutyReviewContext {
  dutyNumber: DutyNumber
  officerRole: OfficerRole
  /** Duties 6, 10, 12: a sign-off is about one draft, and a newer draft reopens it. */
  boundToDraft: boolean
  currentDraftSha256: string | null
  answers: DutyAnswers | null
  exception: DutyException | null
  signature: DutySignature | null
  /** Once the report is approved for filing a signature can no longer be withdrawn. */
  reportApproved: boolean
  lastReopen: { reason: DutyReopenReason; at: string } | null
}

/**
 * What each state is, for the pages to ask (`snapshot.hasTag`) instead of
 * listing state names. Guards still decide each event: e.g. `acceptsException`
 * says the state takes an exception, `can` says whether this one is taken.
 */
export const DUTY_REVIEW_TAGS = [
  /** Not started: `duty.start` is next. */
  'acceptsStart',
  /** `duty.answer` is taken in this state (inProgress, answered, readyToSign). */
  'acceptsAnswers',
  /** Answered without an exception: `duty.raiseException` is taken. */
  'acceptsException',
  /** An exception is raised and its case waits for every recipient's acknowledgement. */
  'awaitingAcknowledgement',
  /** Confirmed: `duty.sign` is next. */
  'readyToSign',
  'signed',
  /** The report is filed: nothing is taken. */
  'locked',
] as const
export type DutyReviewTag = (typeof DUTY_REVIEW_TAGS)[number]

const isValid = (event: unknown) => dutyReviewEventSchema.safeParse(event).success

/**
 * Duties 6, 10 and 12 speak of "the draft": an answer is about the current draft
 * when every draft it names is the current one (for duty 12, each auditor's
 * confirmation names the document it confirms).
 */
const isAboutDraft = (answers: unknown, currentDraftSha256: string | null) => {
  const named = answersDraftSha256s(answers as DutyAnswers)
  return currentDraftSha256 !== null && named.length > 0 && named.every((sha) => sha === currentDraftSha256)
}

export const dutyReviewMachine = setup({
  types: {
    context: {} as DutyReviewContext,
    events: {} as DutyReviewEvent,
    input: {} as DutyReviewInput,
    tags: {} as DutyReviewTag,
  },
  guards: {
    // Every transition checks its event against the schema, payload-less ones too:
    // what is stored in the history is exactly what the schema describes.
    eventIsValid: ({ event }) => isValid(event),
    answersAreValid: ({ context, event }) => event.type === 'duty.answer' && parseDutyAnswers(context.dutyNumber, event.answers).success,
    // Duties 6, 10 and 12 speak of "the draft": answers name the draft they are about.
    answersAreAboutCurrentDraft: ({ context, event }) =>
      event.type === 'duty.answer' && (!context.boundToDraft || isAboutDraft(event.answers, context.currentDraftSha256)),
    answersAreComplete: ({ context }) =>
      context.answers !== null &&
      parseDutyAnswers(context.dutyNumber, context.answers).success &&
      (!context.boundToDraft || isAboutDraft(context.answers, context.currentDraftSha256)),
    answersNeedNoException: ({ context }) => context.answers !== null && adverseFinding(context.answers) === null,
    exceptionIsValid: ({ event }) => event.type === 'duty.raiseException' && isValid(event),
    acknowledgesTheExceptionCase: ({ context, event }) =>
      event.type === 'duty.exceptionAcknowledged' &&
      isValid(event) &&
      context.exception !== null &&
      !context.exception.acknowledged &&
      context.exception.caseId === event.caseId,
    exceptionIsAcknowledged: ({ context }) => context.exception?.acknowledged === true,
    // Signing "with exception" only once every recipient of its case has acknowledged it.
    exceptionIsSettled: ({ context }) => context.exception === null || context.exception.acknowledged,
    hasException: ({ context }) => context.exception !== null,
    signatureIsValid: ({ event }) => event.type === 'duty.sign' && isValid(event),
    signsCurrentDraft: ({ context, event }) =>
      event.type === 'duty.sign' &&
      (!context.boundToDraft || (context.currentDraftSha256 !== null && event.draftSha256 === context.currentDraftSha256)),
    isNewDraft: ({ context, event }) =>
      event.type === 'duty.newDraft' && isValid(event) && event.draftSha256 !== context.currentDraftSha256,
    // Only duties not about one draft keep their answers when the draft changes.
    answersOutliveNewDraft: ({ context }) => !context.boundToDraft && !context.reportApproved,
    // "A newer draft reopens" duties 6, 10 and 12 — until the report is approved for filing.
    isNewDraftReopen: ({ context, event }) =>
      event.type === 'duty.reopen' &&
      isValid(event) &&
      event.reason === 'newDraft' &&
      context.boundToDraft &&
      !context.reportApproved &&
      event.draftSha256 !== context.currentDraftSha256,
    isWithdrawal: ({ context, event }) =>
      event.type === 'duty.reopen' && isValid(event) && event.reason === 'withdrawn' && !context.reportApproved,
    // A committee sends the report back before it is approved for filing (report-lifecycle.ts).
    isSendBack: ({ context, event }) =>
      event.type === 'duty.reopen' && isValid(event) && event.reason === 'sentBack' && !context.reportApproved,
    reportIsApproved: ({ context }) => context.reportApproved,
  },
  actions: {
    recordAnswers: assign({
      answers: ({ context, event }) => {
        if (event.type !== 'duty.answer') return context.answers
        const parsed = parseDutyAnswers(context.dutyNumber, event.answers)
        return parsed.success ? parsed.data : context.answers
      },
    }),
    recordException: assign({
      exception: ({ context, event }) =>
        event.type === 'duty.raiseException'
          ? { explanation: event.explanation, caseId: event.caseId, acknowledged: false }
          : context.exception,
    }),
    recordExceptionAcknowledged: assign({
      exception: ({ context }) => (context.exception ? { ...context.exception, acknowledged: true } : null),
    }),
    recordSignature: assign({
      signature: ({ context, event }) =>
        event.type === 'duty.sign'
          ? {
              signatureId: event.signatureId,
              at: event.at,
              draftSha256: event.draftSha256,
              withException: context.exception !== null,
            }
          : context.signature,
    }),
    recordNewDraft: assign({
      currentDraftSha256: ({ context, event }) => (event.type === 'duty.newDraft' ? event.draftSha256 : context.currentDraftSha256),
    }),
    // A newer draft voids what was said about the old one: answers, exception and
    // signature go (they stay in the event history); the case lives on by itself.
    reopenForNewDraft: assign(({ event }) =>
      event.type === 'duty.reopen' && event.draftSha256 !== undefined
        ? {
            currentDraftSha256: event.draftSha256,
            answers: null,
            exception: null,
            signature: null,
            lastReopen: { reason: event.reason, at: event.at },
          }
        : {},
    ),
    withdrawSignature: assign(({ event }) =>
      event.type === 'duty.reopen' ? { signature: null, lastReopen: { reason: event.reason, at: event.at } } : {},
    ),
    recordReportApproved: assign({ reportApproved: true }),
  },
}).createMachine({
  id: DUTY_REVIEW_MACHINE_ID,
  context: ({ input }) => {
    const { dutyNumber, officerRole, currentDraftSha256 } = dutyReviewInputSchema.parse(input)
    return {
      dutyNumber,
      officerRole,
      boundToDraft: dutyByNumber(dutyNumber).boundToDraft,
      currentDraftSha256,
      answers: null,
      exception: null,
      signature: null,
      reportApproved: false,
      lastReopen: null,
    }
  },
  initial: 'notStarted',
  states: {
    notStarted: {
      tags: ['acceptsStart'],
      on: {
        'duty.start': { guard: 'eventIsValid', target: 'inProgress' },
        // Nothing is said about any draft yet, so every duty just follows it.
        'duty.newDraft': { guard: 'isNewDraft', actions: 'recordNewDraft' },
        'duty.lock': { guard: 'eventIsValid', target: 'locked' },
      },
    },
    inProgress: {
      tags: ['acceptsAnswers'],
      on: {
        'duty.answer': {
          guard: and(['answersAreValid', 'answersAreAboutCurrentDraft']),
          target: 'answered.noException',
          actions: 'recordAnswers',
        },
        'duty.newDraft': { guard: 'isNewDraft', actions: 'recordNewDraft' },
        'duty.lock': { guard: 'eventIsValid', target: 'locked' },
      },
    },
    answered: {
      tags: ['acceptsAnswers'],
      initial: 'noException',
      on: {
        'duty.answer': { guard: and(['answersAreValid', 'answersAreAboutCurrentDraft']), actions: 'recordAnswers' },
        'duty.newDraft': { guard: and(['isNewDraft', 'answersOutliveNewDraft']), actions: 'recordNewDraft' },
        'duty.reopen': { guard: 'isNewDraftReopen', target: 'inProgress', actions: 'reopenForNewDraft' },
        'duty.lock': { guard: 'eventIsValid', target: 'locked' },
      },
      states: {
        noException: {
          tags: ['acceptsException'],
          on: {
            'duty.raiseException': { guard: 'exceptionIsValid', target: 'exceptionRaised', actions: 'recordException' },
            'duty.confirm': { guard: and(['eventIsValid', 'answersNeedNoException']), target: '#duty-review.readyToSign' },
          },
        },
        exceptionRaised: {
          initial: 'awaitingAcknowledgement',
          states: {
            // Signing "with exception" only once every recipient of its case has acknowledged it.
            awaitingAcknowledgement: {
              tags: ['awaitingAcknowledgement'],
              on: {
                'duty.exceptionAcknowledged': {
                  guard: 'acknowledgesTheExceptionCase',
                  target: 'acknowledged',
                  actions: 'recordExceptionAcknowledged',
                },
              },
            },
            acknowledged: {
              on: {
                'duty.confirm': { guard: and(['eventIsValid', 'exceptionIsAcknowledged']), target: '#duty-review.readyToSign' },
              },
            },
          },
        },
      },
    },
    readyToSign: {
      tags: ['acceptsAnswers', 'readyToSign'],
      on: {
        'duty.sign': {
          guard: and(['signatureIsValid', 'signsCurrentDraft', 'answersAreComplete', 'exceptionIsSettled']),
          target: 'signed',
          actions: 'recordSignature',
        },
        // Changing an answer before signing goes back to be confirmed again; an
        // exception already acknowledged stays acknowledged.
        'duty.answer': [
          {
            guard: and(['answersAreValid', 'answersAreAboutCurrentDraft', 'hasException']),
            target: 'answered.exceptionRaised.acknowledged',
            actions: 'recordAnswers',
          },
          {
            guard: and(['answersAreValid', 'answersAreAboutCurrentDraft']),
            target: 'answered.noException',
            actions: 'recordAnswers',
          },
        ],
        'duty.newDraft': { guard: and(['isNewDraft', 'answersOutliveNewDraft']), actions: 'recordNewDraft' },
        'duty.reopen': { guard: 'isNewDraftReopen', target: 'inProgress', actions: 'reopenForNewDraft' },
        'duty.lock': { guard: 'eventIsValid', target: 'locked' },
      },
    },
    signed: {
      tags: ['signed'],
      on: {
        'duty.reopen': [
          { guard: 'isNewDraftReopen', target: 'inProgress', actions: 'reopenForNewDraft' },
          // The officer may withdraw a signature until the report is approved for filing.
          {
            guard: and(['isWithdrawal', 'hasException']),
            target: 'answered.exceptionRaised.acknowledged',
            actions: 'withdrawSignature',
          },
          { guard: 'isWithdrawal', target: 'answered.noException', actions: 'withdrawSignature' },
          // Sent back by a committee: the signature goes, the answers stay, as on a withdrawal.
          { guard: and(['isSendBack', 'hasException']), target: 'answered.exceptionRaised.acknowledged', actions: 'withdrawSignature' },
          { guard: 'isSendBack', target: 'answered.noException', actions: 'withdrawSignature' },
        ],
        'duty.reportApproved': { guard: and(['eventIsValid', not('reportIsApproved')]), actions: 'recordReportApproved' },
        'duty.newDraft': { guard: and(['isNewDraft', 'answersOutliveNewDraft']), actions: 'recordNewDraft' },
        'duty.lock': { guard: 'eventIsValid', target: 'locked' },
      },
    },
    // The report is filed: what was signed is what the SEC has. Nothing moves.
    locked: { type: 'final', tags: ['locked'] },
  },
})

export type DutyReviewSnapshot = ReturnType<typeof dutyReviewMachine.resolveState>

const short = (sha: string | null) => (sha ? `${sha.slice(0, 12)}…` : 'none')

/**
 * The name of each state, as the pages show it, by path. Version 1 workflows
 * (v1/duty-review.ts) have one state, `answered.exceptionRaised`, for both of
 * version 2's exception states.
 */
export const DUTY_STATE_LABELS: Readonly<Record<string, string>> = {
  notStarted: 'Not started',
  inProgress: 'In progress',
  'answered.noException': 'Answered',
  'answered.exceptionRaised.awaitingAcknowledgement': 'Exception raised',
  'answered.exceptionRaised.acknowledged': 'Exception acknowledged',
  'answered.exceptionRaised': 'Exception raised',
  readyToSign: 'Ready to sign',
  signed: 'Signed',
  locked: 'Locked',
}

/** The label of a duty state, from its value (a live or persisted snapshot's `value`) or its dotted path. */
export function dutyStateLabel(value: unknown): string {
  const path = statePath(value)
  return DUTY_STATE_LABELS[path] ?? path
}

/** What an officer's page offers: the six things an officer does to a duty workflow. */
export const DUTY_ACTIONS = ['start', 'answer', 'raiseException', 'confirm', 'sign', 'withdraw'] as const
export type DutyAction = (typeof DUTY_ACTIONS)[number]

/** A live snapshot of either version of the duty machine (a persisted one restored first: replay.ts restoreSnapshot). */
export interface DutyReviewSnapshotLike {
  can(event: DutyReviewEvent): boolean
  hasTag(tag: DutyReviewTag): boolean
  context: Pick<DutyReviewContext, 'boundToDraft' | 'currentDraftSha256'>
}

export interface DutyActionFacts {
  /** The report's current draft, or null when none is registered. */
  draftSha256: string | null
  /** Now, ISO-8601 UTC: the time a signature or a withdrawal would carry. */
  at: string
  /**
   * The report lifecycle's `reportAcceptsSignatures` (report-lifecycle.ts): a duty
   * is signed only while its report is in certification, never while it is still
   * being drafted.
   */
  reportAcceptsSignatures: boolean
}

/**
 * Which of the officer's actions this workflow takes now, asked of the machine:
 * its guards (`can`) for what is decided by the event, its tags for what is
 * decided by the state. An answer's guards read the answer itself, so "can it
 * be answered" is the state's `acceptsAnswers`, plus, for duties 6, 10 and 12,
 * a registered draft the workflow knows: there is nothing to answer about before.
 */
export function dutyAllowedActions(snapshot: DutyReviewSnapshotLike, facts: DutyActionFacts): Record<DutyAction, boolean> {
  const c = snapshot.context
  const draftKnown = facts.draftSha256 !== null && c.currentDraftSha256 === facts.draftSha256
  const start = snapshot.can({ type: 'duty.start' })
  return {
    start,
    // A review not started takes answers too: the first answers start it (`answerEvents`).
    answer: (start || snapshot.hasTag('acceptsAnswers')) && (!c.boundToDraft || draftKnown),
    raiseException: snapshot.hasTag('acceptsException'),
    confirm: snapshot.can({ type: 'duty.confirm' }),
    sign:
      facts.reportAcceptsSignatures &&
      snapshot.can({ type: 'duty.sign', at: facts.at, signatureId: 'preview', draftSha256: c.boundToDraft ? facts.draftSha256 : null }),
    withdraw: snapshot.can({ type: 'duty.reopen', reason: 'withdrawn', at: facts.at }),
  }
}

/**
 * The events that record an officer's answers: the first answers start the review
 * (no separate start for the officer to press), sent together so that the start
 * and the answers are one transaction and a refusal writes neither.
 */
export function answerEvents(
  snapshot: Pick<DutyReviewSnapshotLike, 'can'>,
  answer: Extract<DutyReviewEvent, { type: 'duty.answer' }>,
): Array<Extract<DutyReviewEvent, { type: 'duty.start' | 'duty.answer' }>> {
  return snapshot.can({ type: 'duty.start' }) ? [{ type: 'duty.start' }, answer] : [answer]
}

/** What a duty not started waits for, now that the first answers start the review. */
export function notStartedWords(officerTitle: string, dutyNumber: number): string {
  return `Waiting for the ${officerTitle} to record the answers of duty ${dutyNumber}; the first answers start the review.`
}

/**
 * The event to send this duty workflow when the report gets a new draft, or
 * null when it takes none (locked, approved, or already on that draft). Duties
 * 6, 10 and 12 already answered or signed are reopened; the others follow along.
 */
export function dutyEventForNewDraft(snapshot: DutyReviewSnapshot, draft: { sha256: string; at: string }): DutyReviewEvent | null {
  const reopen: DutyReviewEvent = { type: 'duty.reopen', reason: 'newDraft', at: draft.at, draftSha256: draft.sha256 }
  if (snapshot.can(reopen)) return reopen
  const follow: DutyReviewEvent = { type: 'duty.newDraft', draftSha256: draft.sha256 }
  return snapshot.can(follow) ? follow : null
}

const caseDutyWords = (dutyNumber: DutyNumber) => `a case raised under duty ${exceptionCaseDuties(dutyNumber).join(' or ')}`

/**
 * What the workflow waits for, in one plain-English line for the UI. Takes a live
 * snapshot or a persisted one (`{ value, context }`), of either version.
 */
export function describeDutyState(snapshot: { value: unknown; context: DutyReviewContext }): string {
  const c = snapshot.context
  const duty = dutyByNumber(c.dutyNumber)
  const who = `the ${OFFICER_TITLES[c.officerRole]}`
  const what = `duty ${c.dutyNumber} (${duty.title.toLowerCase()})`
  const needsDraft = c.boundToDraft && c.currentDraftSha256 === null
  const waitingForAcknowledgement = `Waiting for every recipient of case ${c.exception?.caseId ?? '?'} to acknowledge it before ${what} can be signed with exception.`
  const waitingForConfirmation = `Waiting for ${who} to confirm the answers to ${what}; the exception's case has been acknowledged.`
  switch (statePath(snapshot.value)) {
    case 'notStarted':
      return `Waiting for ${who} to start the review of ${what}.`
    case 'inProgress':
      if (needsDraft) return `Waiting for a draft of the periodic report: ${what} is about a specific draft.`
      return c.lastReopen?.reason === 'newDraft'
        ? `Reopened by a new draft (${short(c.currentDraftSha256)}): waiting for ${who} to answer ${what} again.`
        : `Waiting for ${who} to answer ${what}${c.boundToDraft ? ` on draft ${short(c.currentDraftSha256)}` : ''}.`
    case 'answered.noException': {
      const finding = c.answers ? adverseFinding(c.answers) : null
      return finding
        ? `Waiting for ${who} to raise an exception for ${what}, with a written explanation and ${caseDutyWords(c.dutyNumber)}: ${finding}.`
        : `Waiting for ${who} to confirm the answers to ${what}, or to raise an exception.`
    }
    case 'answered.exceptionRaised.awaitingAcknowledgement':
      return waitingForAcknowledgement
    case 'answered.exceptionRaised.acknowledged':
      return waitingForConfirmation
    // Version 1: one state, the acknowledgement in the context.
    case 'answered.exceptionRaised':
      return c.exception?.acknowledged ? waitingForConfirmation : waitingForAcknowledgement
    case 'readyToSign':
      return `Waiting for ${who} to sign ${what}${c.exception ? ' with exception' : ''}.`
    case 'signed':
      return c.reportApproved
        ? `Signed${c.signature?.withException ? ' with exception' : ''}; the report is approved for filing: waiting for it to be filed.`
        : `Signed${c.signature?.withException ? ' with exception' : ''}; waiting for the report to be approved for filing.`
    case 'locked':
      return `Locked: the report has been filed and ${what} can no longer change.`
    default:
      return `Unknown state of ${what}.`
  }
}
