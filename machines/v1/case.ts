// Frozen: version 1 of the case machine, as it was when version 2
// replaced it, kept so the histories it recorded replay under the code that
// wrote them (docs/decisions/005-workflow-record.md, "Changing a machine";
// machines/registry.ts RETIRED_MACHINES). Never edit what it accepts.
// Only the state tags were added when it was retired, the same as version 2's
// for the same states: the pages read tags, no guard does, and tags are not in
// the persisted snapshot, so every stored history replays exactly as before
// (tests/support/v1-histories.json, checked by machines/registry.test.ts).

import { and, assign, setup } from 'xstate'
import { z } from 'zod'
import { caseIdSchema, utcInstantSchema, writtenTextSchema } from './primitives'
import { type Body, bodySchema } from '../roles'
import { type CaseSubject, type Reporter, type Routing, caseSubjectSchema, reporterSchema, routeCase } from './routing'

// A matter an officer "promptly" brings to attention under duties 1–4. Each one
// is a case with its own life, at any time, not only at filing time.

export const CASE_MACHINE_ID = 'case'
export const CASE_MACHINE_VERSION = 1

export const caseDutySchema = z.literal([1, 2, 3, 4])
export type CaseDuty = z.infer<typeof caseDutySchema>

export const caseInputSchema = z.strictObject({
  caseId: caseIdSchema,
  duty: caseDutySchema,
  subject: caseSubjectSchema,
  reporter: reporterSchema,
  summary: writtenTextSchema,
  reportedAt: utcInstantSchema,
})
export type CaseInput = z.infer<typeof caseInputSchema>

export const CASE_OUTCOMES = ['no_violation', 'disclosed', 'remediated'] as const
export type CaseOutcome = (typeof CASE_OUTCOMES)[number]

export const caseEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('case.route'), at: utcInstantSchema }),
  z.strictObject({ type: z.literal('case.acknowledge'), body: bodySchema, at: utcInstantSchema }),
  z.strictObject({ type: z.literal('case.resolve'), outcome: z.enum(CASE_OUTCOMES), note: writtenTextSchema, at: utcInstantSchema }),
  z.strictObject({
    type: z.literal('case.refer'),
    /** The matter is a violation of the Code of Business Conduct and Ethics or of these procedures. */
    violationOfCodes: z.boolean(),
    note: writtenTextSchema,
    at: utcInstantSchema,
  }),
])

export type CaseEvent =
  | { type: 'case.route'; at: string }
  | { type: 'case.acknowledge'; body: Body; at: string }
  | { type: 'case.resolve'; outcome: CaseOutcome; note: string; at: string }
  | { type: 'case.refer'; violationOfCodes: boolean; note: string; at: string }

export interface CaseContext {
  caseId: string
  duty: CaseDuty
  subject: CaseSubject
  reporter: Reporter
  summary: string
  reportedAt: string
  routing: Routing | null
  routedAt: string | null
  acknowledgements: Array<{ body: Body; at: string }>
  resolution: { outcome: CaseOutcome; note: string; at: string } | null
  referral: { violationOfCodes: boolean; note: string; at: string } | null
}

/** Recipient bodies that have not yet acknowledged the case. */
export function pendingRecipients(context: Pick<CaseContext, 'routing' | 'acknowledgements'>): Body[] {
  const done = new Set(context.acknowledgements.map((a) => a.body))
  return (context.routing?.recipients ?? []).filter((b) => !done.has(b))
}

/** True once every recipient body has acknowledged: the cue to send `duty.exceptionAcknowledged`. */
export function isFullyAcknowledged(context: Pick<CaseContext, 'routing' | 'acknowledgements'>): boolean {
  return context.routing !== null && pendingRecipients(context).length === 0
}

const isValid = (event: unknown) => caseEventSchema.safeParse(event).success

export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
    input: {} as CaseInput,
    tags: {} as 'blocksFiling' | 'awaitingRouting' | 'awaitingAcknowledgement' | 'acknowledged' | 'underReview' | 'closed',
  },
  guards: {
    eventIsValid: ({ event }) => isValid(event),
    // Only a body the matter was routed to acknowledges it, and each only once.
    isPendingRecipient: ({ context, event }) => event.type === 'case.acknowledge' && pendingRecipients(context).includes(event.body),
    isLastPendingRecipient: ({ context, event }) =>
      event.type === 'case.acknowledge' && pendingRecipients(context).every((b) => b === event.body),
    // Duties 3 and 4 are about violations; a duty 1 or 2 matter goes to the Board
    // (duty 5) only when it turns out to be a violation of the codes.
    mayBeReferred: ({ context, event }) =>
      event.type === 'case.refer' && (context.duty === 3 || context.duty === 4 || event.violationOfCodes),
    // Duty 5's actions and notice are for "the individual involved".
    hasIndividualSubject: ({ context }) => context.subject.kind !== 'none',
  },
  actions: {
    recordRouting: assign(({ context, event }) =>
      event.type === 'case.route'
        ? { routing: routeCase({ duty: context.duty, subject: context.subject, reporter: context.reporter }), routedAt: event.at }
        : {},
    ),
    recordAcknowledgement: assign({
      acknowledgements: ({ context, event }) =>
        event.type === 'case.acknowledge' ? [...context.acknowledgements, { body: event.body, at: event.at }] : context.acknowledgements,
    }),
    recordResolution: assign({
      resolution: ({ context, event }) =>
        event.type === 'case.resolve' ? { outcome: event.outcome, note: event.note, at: event.at } : context.resolution,
    }),
    recordReferral: assign({
      referral: ({ context, event }) =>
        event.type === 'case.refer' ? { violationOfCodes: event.violationOfCodes, note: event.note, at: event.at } : context.referral,
    }),
  },
}).createMachine({
  id: CASE_MACHINE_ID,
  context: ({ input }) => {
    const c = caseInputSchema.parse(input)
    return { ...c, routing: null, routedAt: null, acknowledgements: [], resolution: null, referral: null }
  },
  initial: 'reported',
  states: {
    reported: {
      tags: ['blocksFiling', 'awaitingRouting'],
      on: { 'case.route': { guard: 'eventIsValid', target: 'routed', actions: 'recordRouting' } },
    },
    routed: {
      tags: ['blocksFiling', 'awaitingAcknowledgement'],
      on: {
        'case.acknowledge': [
          {
            guard: and(['eventIsValid', 'isPendingRecipient', 'isLastPendingRecipient']),
            target: 'underReview',
            actions: 'recordAcknowledgement',
          },
          { guard: and(['eventIsValid', 'isPendingRecipient']), actions: 'recordAcknowledgement' },
        ],
      },
    },
    underReview: {
      tags: ['acknowledged', 'underReview'],
      on: {
        'case.resolve': { guard: 'eventIsValid', target: 'resolved', actions: 'recordResolution' },
        'case.refer': {
          guard: and(['eventIsValid', 'mayBeReferred', 'hasIndividualSubject']),
          target: 'referredForDetermination',
          actions: 'recordReferral',
        },
      },
    },
    resolved: { type: 'final', tags: ['acknowledged', 'closed'] },
    // Continues as a Board determination (duty 5): board-determination.ts.
    referredForDetermination: { type: 'final', tags: ['acknowledged', 'closed'] },
  },
})

export type CaseSnapshot = ReturnType<typeof caseMachine.resolveState>
