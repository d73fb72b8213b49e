import { and, assign, setup } from 'xstate'
import { z } from 'zod'
import { caseIdSchema, idSchema, statePath, utcInstantSchema, writtenTextSchema } from './primitives'
import { type Body, BODY_NAMES, bodySchema } from './roles'
import {
  type AnyReporter,
  type CaseSubject,
  type Routing,
  anyReporterSchema,
  caseSubjectSchema,
  reporterUserId,
  routeCase,
} from './routing'

// A matter an officer "promptly" brings to attention under duties 1–4. Each one
// is a case with its own life, at any time, not only at filing time.

export const CASE_MACHINE_ID = 'case'
// Version 3: anyone reports, not only an officer inside a duty — an officer, an
// employee or a director by their user id, or no one through the anonymous
// channel (which goes to the Audit Committee) — and a case may name the kind of
// matter it is, which decides its duty. Version 2 (written text and ids refuse
// NUL; a duty 1 case may name its material-information item; tags) stays in
// v2/case.ts, version 1 in v1/case.ts, for the histories they recorded.
export const CASE_MACHINE_VERSION = 3

export const caseDutySchema = z.literal([1, 2, 3, 4])
export type CaseDuty = z.infer<typeof caseDutySchema>

/**
 * The kinds of matter anyone may report, each under the duty that names where
 * it goes: material information (duty 1); a significant deficiency in internal
 * controls, or fraud by people with a significant role in financial reporting
 * (duty 2); a violation of the code or a conflict of interest (duty 3); a
 * material violation of securities laws, rules, regulations or the codes (duty 4).
 */
export const MATTER_KINDS = {
  material_information: { duty: 1, words: 'Material information that affects the disclosures in the company’s reports' },
  control_deficiency: { duty: 2, words: 'A significant deficiency in the internal controls' },
  fraud: { duty: 2, words: 'Fraud by management or other employees with a significant role in financial reporting' },
  code_violation: { duty: 3, words: 'A violation of the Code of Business Conduct and Ethics, including a conflict of interest' },
  securities_violation: { duty: 4, words: 'A material violation of securities laws, rules, regulations or the codes' },
} as const satisfies Record<string, { duty: CaseDuty; words: string }>
export type MatterKind = keyof typeof MATTER_KINDS
export const matterKindSchema = z.enum(Object.keys(MATTER_KINDS) as [MatterKind, ...MatterKind[]])

export const caseInputSchema = z
  .strictObject({
    caseId: caseIdSchema,
    duty: caseDutySchema,
    subject: caseSubjectSchema,
    reporter: anyReporterSchema,
    /** What kind of matter it is, when reported as one (`/cases/new`, the anonymous channel): it decides the duty. */
    matterKind: matterKindSchema.optional(),
    summary: writtenTextSchema,
    reportedAt: utcInstantSchema,
    /**
     * The report's material-information item this matter was raised from (duty 1),
     * so the item is offered as this case to cite, never raised a second time.
     */
    itemId: idSchema.optional(),
  })
  .refine((c) => c.itemId === undefined || c.duty === 1, {
    message: 'only a duty 1 matter (material information) is raised from a material-information item',
    path: ['itemId'],
  })
  .refine((c) => c.matterKind === undefined || MATTER_KINDS[c.matterKind].duty === c.duty, {
    message: 'the kind of matter decides its duty: they must agree',
    path: ['matterKind'],
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
  reporter: AnyReporter
  /** Absent when not reported as a kind of matter, and on every version 1–2 case. */
  matterKind?: MatterKind
  summary: string
  reportedAt: string
  /** Absent when not raised from an item, and on every version 1 case. */
  itemId?: string
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

/** What each state of a case is, for the pages and commands to ask (`snapshot.hasTag`). */
export const CASE_TAGS = [
  /** Not yet acknowledged by every body it goes to: it holds the report back from committee review. */
  'blocksFiling',
  'awaitingRouting',
  'awaitingAcknowledgement',
  /** Every recipient has acknowledged it (under review, resolved or referred). */
  'acknowledged',
  'underReview',
  /** Resolved, or referred to the Board: the case itself moves no more. */
  'closed',
] as const
export type CaseTag = (typeof CASE_TAGS)[number]

const isValid = (event: unknown) => caseEventSchema.safeParse(event).success

export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
    input: {} as CaseInput,
    tags: {} as CaseTag,
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

/** Each state of a case in a few plain words, to follow a case id in a list, e.g. "(waiting for acknowledgement)". */
export const CASE_STATE_WORDS: Readonly<Record<string, string>> = {
  reported: 'reported',
  routed: 'waiting for acknowledgement',
  underReview: 'acknowledged, under review',
  resolved: 'resolved',
  referredForDetermination: 'referred to the Board',
}

/** The words of a case's state, from a snapshot's `value` or its path. */
export function caseStateWords(value: unknown): string {
  const path = statePath(value)
  return CASE_STATE_WORDS[path] ?? path
}

/** What the case waits for, in one plain-English line, from a live or a persisted snapshot. */
export function describeCaseState(snapshot: { value: unknown; context: CaseContext }): string {
  const c = snapshot.context
  const name = `Case ${c.caseId} (duty ${c.duty})`
  switch (statePath(snapshot.value)) {
    case 'reported':
      return `${name} is reported: waiting to be routed to its recipients.`
    case 'routed': {
      const pending = pendingRecipients(c).map((b) => BODY_NAMES[b])
      return `${name}: waiting for ${pending.join(' and ')} to acknowledge it.`
    }
    case 'underReview':
      return `${name} is acknowledged by every recipient: under review, waiting to be resolved or referred to the Board.`
    case 'resolved':
      return `${name} is resolved (${c.resolution?.outcome.replace('_', ' ') ?? '?'}).`
    case 'referredForDetermination':
      return `${name} is referred to the Board of Directors for its determination (duty 5).`
    default:
      return `Unknown state of ${name}.`
  }
}

/**
 * The bodies a case is with now: those it was routed to and, once it is referred
 * for a determination, the Board of Directors (duty 5). Its subject stays excluded
 * from all of them (`routing.excludedUserIds`).
 */
export function receivingBodies(context: Pick<CaseContext, 'routing' | 'referral'>): Body[] {
  const routed = context.routing?.recipients ?? []
  return context.referral && !routed.includes('board') ? [...routed, 'board'] : [...routed]
}

/** What a case waits for, in a few words, and since when (an instant), for a list of cases. */
export function caseWaitsFor(
  snapshot: { value: unknown; context: CaseContext },
  /** For a referred matter, where its determination stands (board-determination.ts determinationWaitsFor), when the caller has read it. */
  determination?: { waitsFor: string; since: string | null },
): { waitsFor: string; since: string } {
  const c = snapshot.context
  const lastAcknowledgement = c.acknowledgements.at(-1)?.at
  switch (statePath(snapshot.value)) {
    case 'reported':
      return { waitsFor: 'routing to its recipients', since: c.reportedAt }
    case 'routed':
      return {
        waitsFor: `acknowledgement by ${pendingRecipients(c)
          .map((b) => BODY_NAMES[b])
          .join(' and ')}`,
        since: lastAcknowledgement ?? c.routedAt ?? c.reportedAt,
      }
    case 'underReview':
      return { waitsFor: 'a decision: resolve it, or refer it to the Board', since: lastAcknowledgement ?? c.reportedAt }
    case 'resolved':
      return { waitsFor: 'nothing more: it is resolved', since: c.resolution?.at ?? c.reportedAt }
    case 'referredForDetermination':
      return determination
        ? { waitsFor: determination.waitsFor, since: determination.since ?? c.referral?.at ?? c.reportedAt }
        : { waitsFor: 'the Board’s determination (duty 5)', since: c.referral?.at ?? c.reportedAt }
    default:
      return { waitsFor: 'unknown', since: c.reportedAt }
  }
}

/**
 * The bodies a person receives a case as, given the bodies they belong to: those
 * among the case's receiving bodies, unless they are the person it is about
 * (never, whatever body they sit on) or its reporter (who follows it as its
 * reporter, not as a recipient of their own report).
 */
export function recipientBodiesOf(
  context: Pick<CaseContext, 'routing' | 'referral' | 'reporter'>,
  person: { userId: string; bodies: readonly Body[] },
): Body[] {
  if (context.routing?.excludedUserIds.includes(person.userId)) return []
  if (reporterUserId(context.reporter) === person.userId) return []
  return receivingBodies(context).filter((b) => person.bodies.includes(b))
}

/**
 * Whether a case waits for one of these bodies now: an acknowledgement one of them
 * still owes, or, once every body has acknowledged, the recipients' decision.
 */
export function caseAwaitsBodies(snapshot: { value: unknown; context: CaseContext }, bodies: readonly Body[]): boolean {
  const path = statePath(snapshot.value)
  if (path === 'routed') return pendingRecipients(snapshot.context).some((b) => bodies.includes(b))
  if (path === 'underReview') return (snapshot.context.routing?.recipients ?? []).some((b) => bodies.includes(b))
  return false
}
