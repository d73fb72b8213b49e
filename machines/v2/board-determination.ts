import { and, assign, setup } from 'xstate'
import { z } from 'zod'
import { caseIdSchema, optionalTextSchema, statePath, utcInstantSchema, writtenTextSchema } from '../primitives'
import { type CaseSubject, type Routing, caseSubjectSchema, reporterSchema, routeCase } from './routing'

// Duty 5: "The Board of Directors shall determine, or designate appropriate
// persons to determine, appropriate actions to be taken in the event of
// violations". Every referred case ends here.

export const BOARD_DETERMINATION_MACHINE_ID = 'board-determination'
// Version 2: written text and ids refuse NUL. Version 1 stays in
// v1/board-determination.ts for the histories it recorded.
export const BOARD_DETERMINATION_MACHINE_VERSION = 2

/** A determination is about "the individual involved": a matter about no one cannot be one. */
export type DeterminationSubject = Exclude<CaseSubject, { kind: 'none' }>
const determinationSubjectSchema = caseSubjectSchema.refine(
  (s): s is DeterminationSubject => s.kind !== 'none',
  'the Board determines violations by an individual: name the subject',
)

export const boardDeterminationInputSchema = z.strictObject({
  caseId: caseIdSchema,
  subject: determinationSubjectSchema,
  reporter: reporterSchema,
})
export type BoardDeterminationInput = z.infer<typeof boardDeterminationInputSchema>

// The seed's five factors: "the nature and severity of the violation, whether the
// violation was a single occurrence or repeated occurrences, whether the violation
// appears to have been intentional or inadvertent, whether the individual in
// question had been advised prior to the violation as to the proper course of
// action and whether or not the individual in question had committed other
// violations in the past" — and "all relevant information".
export const SEVERITY_LEVELS = ['minor', 'moderate', 'serious', 'severe'] as const
export const determinationFactorsSchema = z.strictObject({
  natureAndSeverity: z.strictObject({ description: writtenTextSchema, severity: z.enum(SEVERITY_LEVELS) }),
  occurrence: z.enum(['single', 'repeated']),
  intent: z.enum(['intentional', 'inadvertent']),
  advisedBeforehand: z.boolean(),
  priorViolations: z.boolean(),
  otherRelevantInformation: optionalTextSchema.optional(),
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

export const boardDeterminationEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('determination.recordFactors'), factors: determinationFactorsSchema, at: utcInstantSchema }),
  z.strictObject({ type: z.literal('determination.decide'), decision: determinationDecisionSchema, at: utcInstantSchema }),
  z.strictObject({ type: z.literal('determination.giveNotice'), text: writtenTextSchema, at: utcInstantSchema }),
  z.strictObject({ type: z.literal('determination.close'), at: utcInstantSchema }),
])

export type BoardDeterminationEvent =
  | { type: 'determination.recordFactors'; factors: DeterminationFactors; at: string }
  | { type: 'determination.decide'; decision: DeterminationDecision; at: string }
  | { type: 'determination.giveNotice'; text: string; at: string }
  | { type: 'determination.close'; at: string }

export interface BoardDeterminationContext {
  caseId: string
  subject: DeterminationSubject
  /** The Board, without the subject when the subject is a director. */
  routing: Routing
  factors: (DeterminationFactors & { recordedAt: string }) | null
  decision: (DeterminationDecision & { decidedAt: string }) | null
  notice: { text: string; at: string } | null
  closedAt: string | null
}

const isValid = (event: unknown) => boardDeterminationEventSchema.safeParse(event).success

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
    recordNotice: assign({
      notice: ({ context, event }) => (event.type === 'determination.giveNotice' ? { text: event.text, at: event.at } : context.notice),
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
      routing: routeCase({ duty: 5, subject, reporter }),
      factors: null,
      decision: null,
      notice: null,
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
          guard: and(['eventIsValid', 'factorsAreRecorded']),
          target: 'decided',
          actions: 'recordDecision',
        },
      },
    },
    decided: {
      on: { 'determination.giveNotice': { guard: 'eventIsValid', target: 'noticeGiven', actions: 'recordNotice' } },
    },
    noticeGiven: {
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
  closed: 'Closed',
}

/** What the determination waits for, in one plain-English line, from a live or a persisted snapshot. */
export function describeDeterminationState(snapshot: { value: unknown; context: BoardDeterminationContext }): string {
  const c = snapshot.context
  const name = `The Board's determination on case ${c.caseId}`
  switch (statePath(snapshot.value)) {
    case 'opened':
      return `${name}: waiting for the factors to be recorded (nature and severity, single or repeated, intentional or inadvertent, advised beforehand, prior violations).`
    case 'factorsRecorded':
      return `${name}: factors recorded, waiting for the Board (or its designee) to decide.`
    case 'decided':
      return c.decision?.violation
        ? `${name}: a violation was determined; waiting for written notice to the individual.`
        : `${name}: no violation was determined; waiting for written notice to the individual.`
    case 'noticeGiven':
      return `${name}: notice given on ${c.notice?.at ?? '?'}; waiting to be closed.`
    case 'closed':
      return `${name} is closed.`
    default:
      return `Unknown state of ${name}.`
  }
}
