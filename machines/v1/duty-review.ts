// Frozen: version 1 of the duty-review machine, as it was when version 2
// replaced it, kept so the histories it recorded replay under the code that
// wrote them (docs/decisions/005-workflow-record.md, "Changing a machine";
// machines/registry.ts RETIRED_MACHINES). Never edit what it accepts.
// Only the state tags were added when it was retired, the same as version 2's
// for the same states: the pages read tags, no guard does, and tags are not in
// the persisted snapshot, so every stored history replays exactly as before
// (tests/support/v1-histories.json, checked by machines/registry.test.ts).

import { and, not, setup, assign } from 'xstate'
import { z } from 'zod'
import { type DutyNumber, dutyByNumber } from '../duties'
import { type DutyAnswers, adverseFinding, answersDraftSha256, parseDutyAnswers } from './duty-answers'
import { caseIdSchema, idSchema, sha256Schema, utcInstantSchema, writtenTextSchema } from './primitives'
import { type OfficerRole, officerRoleSchema } from '../roles'

// One officer's review of one duty for one periodic report. Twelve duties ×
// three officers = 36 of these per report; the report cannot go to the
// committees until all 36 are signed (report-lifecycle.ts).

export const DUTY_REVIEW_MACHINE_ID = 'duty-review'
export const DUTY_REVIEW_MACHINE_VERSION = 1

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
      reason: z.enum(['newDraft', 'withdrawn']),
      at: utcInstantSchema,
      draftSha256: sha256Schema.optional(),
    })
    .refine((e) => (e.reason === 'newDraft') === (e.draftSha256 !== undefined), {
      message: 'a new draft names its SHA-256; a withdrawal names none',
      path: ['draftSha256'],
    }),
  z.strictObject({ type: z.literal('duty.newDraft'), draftSha256: sha256Schema }),
  z.strictObject({ type: z.literal('duty.reportApproved') }),
  z.strictObject({ type: z.literal('duty.lock') }),
])

export type DutyReviewEvent =
  | { type: 'duty.start' }
  | { type: 'duty.answer'; answers: DutyAnswers }
  | { type: 'duty.raiseException'; explanation: string; caseId: string }
  | { type: 'duty.exceptionAcknowledged'; caseId: string }
  | { type: 'duty.confirm' }
  | { type: 'duty.sign'; at: string; signatureId: string; draftSha256: string | null }
  | { type: 'duty.reopen'; reason: 'newDraft' | 'withdrawn'; at: string; draftSha256?: string }
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
  lastReopen: { reason: 'newDraft' | 'withdrawn'; at: string } | null
}

const isValid = (event: unknown) => dutyReviewEventSchema.safeParse(event).success

export const dutyReviewMachine = setup({
  types: {
    context: {} as DutyReviewContext,
    events: {} as DutyReviewEvent,
    input: {} as DutyReviewInput,
    tags: {} as 'acceptsStart' | 'acceptsAnswers' | 'acceptsException' | 'readyToSign' | 'signed' | 'locked',
  },
  guards: {
    // Every transition checks its event against the schema, payload-less ones too:
    // what is stored in the history is exactly what the schema describes.
    eventIsValid: ({ event }) => isValid(event),
    answersAreValid: ({ context, event }) => event.type === 'duty.answer' && parseDutyAnswers(context.dutyNumber, event.answers).success,
    // Duties 6, 10 and 12 speak of "the draft": answers name the draft they are about.
    answersAreAboutCurrentDraft: ({ context, event }) =>
      event.type === 'duty.answer' &&
      (!context.boundToDraft || (context.currentDraftSha256 !== null && answersDraftSha256(event.answers) === context.currentDraftSha256)),
    answersAreComplete: ({ context }) =>
      context.answers !== null &&
      parseDutyAnswers(context.dutyNumber, context.answers).success &&
      (!context.boundToDraft || answersDraftSha256(context.answers) === context.currentDraftSha256),
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
          on: {
            'duty.exceptionAcknowledged': {
              guard: 'acknowledgesTheExceptionCase',
              actions: 'recordExceptionAcknowledged',
            },
            'duty.confirm': { guard: and(['eventIsValid', 'exceptionIsAcknowledged']), target: '#duty-review.readyToSign' },
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
        // Changing an answer before signing goes back to be confirmed again.
        'duty.answer': [
          {
            guard: and(['answersAreValid', 'answersAreAboutCurrentDraft', 'hasException']),
            target: 'answered.exceptionRaised',
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
          { guard: and(['isWithdrawal', 'hasException']), target: 'answered.exceptionRaised', actions: 'withdrawSignature' },
          { guard: 'isWithdrawal', target: 'answered.noException', actions: 'withdrawSignature' },
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
