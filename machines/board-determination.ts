import { and, assign, not, setup } from 'xstate'
import { z } from 'zod'
import { caseIdSchema, optionalTextSchema, sha256Schema, statePath, userIdSchema, utcInstantSchema, writtenTextSchema } from './primitives'
import { type AnyReporter, type CaseSubject, type Routing, anyReporterSchema, caseSubjectSchema, routeCase } from './routing'

// Duty 5: "The Board of Directors shall determine, or designate appropriate
// persons to determine, appropriate actions to be taken in the event of
// violations". Every referred case ends here.

export const BOARD_DETERMINATION_MACHINE_ID = 'board-determination'
// Version 3: the reporter is of any kind (an officer, an employee or a director,
// the anonymous channel), as in version 3 of the case; the decision is signed by
// each director who takes it (`determination.decide` carries the first director's
// signature, `determination.sign` each further one), never by the subject; the
// prior violations weighed are named by case; the individual acknowledges the
// written notice (`determination.acknowledgeNotice`, by the subject only).
// Version 2 stays in v2/board-determination.ts, version 1 in v1/, for the
// histories they recorded.
export const BOARD_DETERMINATION_MACHINE_VERSION = 3

/** A determination is about "the individual involved": a matter about no one cannot be one. */
export type DeterminationSubject = Exclude<CaseSubject, { kind: 'none' }>
const determinationSubjectSchema = caseSubjectSchema.refine(
  (s): s is DeterminationSubject => s.kind !== 'none',
  'the Board determines violations by an individual: name the subject',
)

export const boardDeterminationInputSchema = z.strictObject({
  caseId: caseIdSchema,
  subject: determinationSubjectSchema,
  reporter: anyReporterSchema,
})
export type BoardDeterminationInput = z.infer<typeof boardDeterminationInputSchema>

// The seed's five factors: "the nature and severity of the violation, whether the
// violation was a single occurrence or repeated occurrences, whether the violation
// appears to have been intentional or inadvertent, whether the individual in
// question had been advised prior to the violation as to the proper course of
// action and whether or not the individual in question had committed other
// violations in the past" — and "all relevant information".
export const SEVERITY_LEVELS = ['minor', 'moderate', 'serious', 'severe'] as const
export const determinationFactorsSchema = z
  .strictObject({
    natureAndSeverity: z.strictObject({ description: writtenTextSchema, severity: z.enum(SEVERITY_LEVELS) }),
    occurrence: z.enum(['single', 'repeated']),
    intent: z.enum(['intentional', 'inadvertent']),
    advisedBeforehand: z.boolean(),
    /** Found from the record (prior-violations.ts), never typed: yes exactly when a case is named. */
    priorViolations: z.boolean(),
    /** The cases of the earlier violations found, oldest first. */
    priorViolationCaseIds: z.array(caseIdSchema).max(1000),
    otherRelevantInformation: optionalTextSchema.optional(),
  })
  .refine((f) => f.priorViolations === f.priorViolationCaseIds.length > 0, {
    message: 'prior violations is yes exactly when earlier violations are named',
    path: ['priorViolations'],
  })
export type DeterminationFactors = z.infer<typeof determinationFactorsSchema>

// The seed's actions: "written notices to the individual involved that the Board
// has determined that there has been a violation, censure by the Board, demotion
// or re-assignment of the individual involved, suspension with or without pay or
// benefits (as determined by the Board) and termination of the individual's employment".
export const BOARD_ACTIONS = ['written_notice_of_violation', 'censure', 'demotion_or_reassignment', 'suspension', 'termination'] as const
export type BoardAction = (typeof BOARD_ACTIONS)[number]

const decidedBySchema = z.enum(['board', 'board_designee'])

export const determinationDecisionSchema = z.discriminatedUnion('violation', [
  z.strictObject({ violation: z.literal(false), decidedBy: decidedBySchema, rationale: writtenTextSchema }),
  z
    .strictObject({
      violation: z.literal(true),
      decidedBy: decidedBySchema,
      rationale: writtenTextSchema,
      actions: z.array(z.enum(BOARD_ACTIONS)).min(1).max(BOARD_ACTIONS.length),
      /** "with or without pay or benefits (as determined by the Board)": only with a suspension. */
      suspension: z.strictObject({ withPay: z.boolean(), withBenefits: z.boolean() }).optional(),
    })
    .refine((d) => new Set(d.actions).size === d.actions.length, { message: 'each action once', path: ['actions'] })
    .refine((d) => d.actions.includes('suspension') === (d.suspension !== undefined), {
      message: 'a suspension states whether it is with pay and with benefits; no other action does',
      path: ['suspension'],
    }),
])
export type DeterminationDecision = z.infer<typeof determinationDecisionSchema>

/** A director's signature of the decision: the hash of what they signed (db/sign-off.ts) and who they are. */
const signedBySchema = { signatureId: sha256Schema, signerUserId: userIdSchema }

export const boardDeterminationEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('determination.recordFactors'), factors: determinationFactorsSchema, at: utcInstantSchema }),
  z.strictObject({
    type: z.literal('determination.decide'),
    decision: determinationDecisionSchema,
    at: utcInstantSchema,
    ...signedBySchema,
  }),
  z.strictObject({ type: z.literal('determination.sign'), at: utcInstantSchema, ...signedBySchema }),
  z.strictObject({ type: z.literal('determination.giveNotice'), text: writtenTextSchema, at: utcInstantSchema }),
  z.strictObject({ type: z.literal('determination.acknowledgeNotice'), byUserId: userIdSchema, at: utcInstantSchema }),
  z.strictObject({ type: z.literal('determination.close'), at: utcInstantSchema }),
])

export type BoardDeterminationEvent =
  | { type: 'determination.recordFactors'; factors: DeterminationFactors; at: string }
  | { type: 'determination.decide'; decision: DeterminationDecision; at: string; signatureId: string; signerUserId: string }
  | { type: 'determination.sign'; at: string; signatureId: string; signerUserId: string }
  | { type: 'determination.giveNotice'; text: string; at: string }
  | { type: 'determination.acknowledgeNotice'; byUserId: string; at: string }
  | { type: 'determination.close'; at: string }

export interface DirectorSignature {
  signatureId: string
  signerUserId: string
  at: string
}

export interface BoardDeterminationContext {
  caseId: string
  subject: DeterminationSubject
  reporter: AnyReporter
  /** The Board, without the subject when the subject is a director. */
  routing: Routing
  factors: (DeterminationFactors & { recordedAt: string }) | null
  decision: (DeterminationDecision & { decidedAt: string }) | null
  /** The directors who took the decision, in the order they signed it. */
  signatures: DirectorSignature[]
  notice: { text: string; at: string } | null
  /** When the individual acknowledged receipt of the notice. */
  noticeAcknowledgedAt: string | null
  closedAt: string | null
}

const isValid = (event: unknown) => boardDeterminationEventSchema.safeParse(event).success

/** Whether this person may take part in the Board's decision: never the individual it is about. */
export function mayTakePart(context: Pick<BoardDeterminationContext, 'routing' | 'subject'>, userId: string): boolean {
  return userId !== context.subject.userId && !context.routing.excludedUserIds.includes(userId)
}

const signerOf = (event: BoardDeterminationEvent) =>
  event.type === 'determination.decide' || event.type === 'determination.sign' ? event.signerUserId : null

export const boardDeterminationMachine = setup({
  types: {
    context: {} as BoardDeterminationContext,
    events: {} as BoardDeterminationEvent,
    input: {} as BoardDeterminationInput,
  },
  guards: {
    eventIsValid: ({ event }) => isValid(event),
    // The Board decides only after weighing the factors the seed names.
    factorsAreRecorded: ({ context }) => context.factors !== null,
    // A director who is the subject never takes part in the decision about them.
    signerMayTakePart: ({ context, event }) => {
      const signer = signerOf(event)
      return signer !== null && mayTakePart(context, signer)
    },
    signerHasSigned: ({ context, event }) => context.signatures.some((s) => s.signerUserId === signerOf(event)),
    // Receipt of the notice is acknowledged by the individual it is addressed to, and no one else.
    byTheSubject: ({ context, event }) => event.type === 'determination.acknowledgeNotice' && event.byUserId === context.subject.userId,
  },
  actions: {
    recordFactors: assign({
      factors: ({ context, event }) =>
        event.type === 'determination.recordFactors'
          ? { ...determinationFactorsSchema.parse(event.factors), recordedAt: event.at }
          : context.factors,
    }),
    recordDecision: assign({
      decision: ({ context, event }) =>
        event.type === 'determination.decide'
          ? { ...determinationDecisionSchema.parse(event.decision), decidedAt: event.at }
          : context.decision,
    }),
    recordSignature: assign({
      signatures: ({ context, event }) =>
        event.type === 'determination.decide' || event.type === 'determination.sign'
          ? [...context.signatures, { signatureId: event.signatureId, signerUserId: event.signerUserId, at: event.at }]
          : context.signatures,
    }),
    recordNotice: assign({
      notice: ({ context, event }) => (event.type === 'determination.giveNotice' ? { text: event.text, at: event.at } : context.notice),
    }),
    recordAcknowledgement: assign({
      noticeAcknowledgedAt: ({ context, event }) =>
        event.type === 'determination.acknowledgeNotice' ? event.at : context.noticeAcknowledgedAt,
    }),
    recordClosed: assign({
      closedAt: ({ context, event }) => (event.type === 'determination.close' ? event.at : context.closedAt),
    }),
  },
}).createMachine({
  id: BOARD_DETERMINATION_MACHINE_ID,
  context: ({ input }) => {
    const { caseId, subject, reporter } = boardDeterminationInputSchema.parse(input)
    return {
      caseId,
      subject,
      reporter,
      routing: routeCase({ duty: 5, subject, reporter }),
      factors: null,
      decision: null,
      signatures: [],
      notice: null,
      noticeAcknowledgedAt: null,
      closedAt: null,
    }
  },
  initial: 'opened',
  states: {
    opened: {
      on: {
        'determination.recordFactors': { guard: 'eventIsValid', target: 'factorsRecorded', actions: 'recordFactors' },
      },
    },
    factorsRecorded: {
      on: {
        // Further information may come in before the Board decides.
        'determination.recordFactors': { guard: 'eventIsValid', actions: 'recordFactors' },
        'determination.decide': {
          guard: and(['eventIsValid', 'factorsAreRecorded', 'signerMayTakePart']),
          target: 'decided',
          actions: ['recordDecision', 'recordSignature'],
        },
      },
    },
    decided: {
      on: {
        // Each further director who took the decision signs it, once, until the notice goes out.
        'determination.sign': {
          guard: and(['eventIsValid', 'signerMayTakePart', not('signerHasSigned')]),
          actions: 'recordSignature',
        },
        'determination.giveNotice': { guard: 'eventIsValid', target: 'noticeGiven', actions: 'recordNotice' },
      },
    },
    noticeGiven: {
      on: {
        'determination.acknowledgeNotice': {
          guard: and(['eventIsValid', 'byTheSubject']),
          target: 'noticeAcknowledged',
          actions: 'recordAcknowledgement',
        },
        // The Board may close without the acknowledgement (the individual may never give it).
        'determination.close': { guard: 'eventIsValid', target: 'closed', actions: 'recordClosed' },
      },
    },
    noticeAcknowledged: {
      on: { 'determination.close': { guard: 'eventIsValid', target: 'closed', actions: 'recordClosed' } },
    },
    closed: { type: 'final' },
  },
})

export type BoardDeterminationSnapshot = ReturnType<typeof boardDeterminationMachine.resolveState>

/** The name of each state of a determination, as the pages show it. */
export const DETERMINATION_STATE_LABELS: Readonly<Record<string, string>> = {
  opened: 'Opened',
  factorsRecorded: 'Factors recorded',
  decided: 'Decided',
  noticeGiven: 'Notice given',
  noticeAcknowledged: 'Notice acknowledged',
  closed: 'Closed',
}

/**
 * Where the Board's determination of a referred matter stands, for the matter's own
 * "waits for" line (the inbox, the case page, the reporter's view): without it a
 * matter the Board had long determined and closed still read "waits for the
 * Board's determination". `since` is null while nothing has happened yet (the
 * caller has the referral's time).
 */
export function determinationWaitsFor(snapshot: { value: unknown; context: BoardDeterminationContext }): {
  waitsFor: string
  since: string | null
} {
  const c = snapshot.context
  // Never the outcome: the line reaches the reporter (even anonymous) and every recipient body,
  // and what the Board decided about a person is for the directors and the person (the notice).
  switch (statePath(snapshot.value)) {
    case 'opened':
      return { waitsFor: 'the Board’s determination (duty 5): the facts and factors to be recorded', since: null }
    case 'factorsRecorded':
      return { waitsFor: 'the Board’s determination (duty 5): its decision and signatures', since: c.factors?.recordedAt ?? null }
    case 'decided':
      return { waitsFor: 'written notice to the individual of the Board’s determination', since: c.decision?.decidedAt ?? null }
    case 'noticeGiven':
      return { waitsFor: 'the individual’s acknowledgement of the written notice', since: c.notice?.at ?? null }
    case 'noticeAcknowledged':
      return { waitsFor: 'the determination to be closed', since: c.noticeAcknowledgedAt }
    case 'closed':
      return { waitsFor: 'nothing more: the Board has made its determination and closed it', since: c.closedAt }
    default:
      return { waitsFor: 'the Board’s determination (duty 5)', since: null }
  }
}

/** What the determination waits for, in one plain-English line, from a live or a persisted snapshot. */
export function describeDeterminationState(snapshot: { value: unknown; context: BoardDeterminationContext }): string {
  const c = snapshot.context
  const name = `The Board's determination on case ${c.caseId}`
  switch (statePath(snapshot.value)) {
    case 'opened':
      return `${name}: waiting for the factors to be recorded (nature and severity, single or repeated, intentional or inadvertent, advised beforehand, prior violations).`
    case 'factorsRecorded':
      return `${name}: factors recorded, waiting for the Board (or its designee) to decide and sign.`
    case 'decided':
      return c.decision?.violation
        ? `${name}: a violation was determined; waiting for written notice to the individual.`
        : `${name}: no violation was determined; waiting for written notice to the individual.`
    case 'noticeGiven':
      return `${name}: notice given on ${c.notice?.at ?? '?'}; waiting for the individual to acknowledge receipt.`
    case 'noticeAcknowledged':
      return `${name}: the individual acknowledged the notice on ${c.noticeAcknowledgedAt ?? '?'}; waiting to be closed.`
    case 'closed':
      return `${name} is closed.`
    default:
      return `Unknown state of ${name}.`
  }
}
