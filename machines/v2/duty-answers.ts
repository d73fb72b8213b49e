import { z } from 'zod'
import type { DutyNumber } from '../duties'
import {
  calendarDateSchema,
  caseIdSchema,
  idSchema,
  optionalTextSchema,
  sha256Schema,
  utcInstantSchema,
  writtenTextSchema,
} from '../primitives'

// What each officer must answer, and the evidence kept, for each of the twelve
// duties. The duty machine accepts `duty.answer` only when the answer parses with
// its duty's schema here. Schemas are strict: an unknown field is refused rather
// than silently dropped, so what is stored is what was attested.

// Duties 1–4 are "promptly … bring to the attention of": each matter the officer
// knows of is a case of its own; the answer lists them, or says there is none
// beyond those already reported.
function reportedMattersSchema<Item extends z.ZodType<{ caseId: string }>>(item: Item) {
  return z
    .strictObject({
      items: z.array(item).max(500),
      noneBeyondReported: z.literal(true).optional(),
    })
    .refine((a) => a.items.length > 0 || a.noneBeyondReported === true, {
      message: 'list each matter (each one a case) or state that there is none beyond those reported',
      path: ['noneBeyondReported'],
    })
    .refine((a) => new Set(a.items.map((i) => i.caseId)).size === a.items.length, {
      message: 'each matter is its own case: a case id appears once',
      path: ['items'],
    })
}

const reportedItemFields = {
  itemId: idSchema.optional(),
  summary: writtenTextSchema,
  caseId: caseIdSchema,
}

export const duty1AnswersSchema = reportedMattersSchema(z.strictObject(reportedItemFields))

export const duty2AnswersSchema = reportedMattersSchema(
  z.strictObject({
    ...reportedItemFields,
    // Duty 2 (a) "significant deficiencies in the design or operation of internal
    // controls" or (b) "any fraud, whether or not material".
    category: z.enum(['significant_deficiency', 'fraud']),
  }),
)

export const duty3AnswersSchema = reportedMattersSchema(
  z.strictObject({
    ...reportedItemFields,
    // Duty 3: "any violation of the Company's Code of Business Conduct and Ethics,
    // including any actual or apparent conflicts of interest".
    category: z.enum(['code_violation', 'conflict_of_interest']),
  }),
)

export const duty4AnswersSchema = reportedMattersSchema(
  z.strictObject({
    ...reportedItemFields,
    // Duty 4: "a material violation of the securities or other laws, rules or
    // regulations …, or of violation of the Code of Business Conduct and Ethics or
    // of these additional procedures".
    category: z.enum(['securities_law_violation', 'other_law_violation', 'code_violation', 'procedures_violation']),
  }),
)

// Duty 5 is the Board's; the officer acknowledges that violations go to it.
export const duty5AnswersSchema = z.strictObject({ acknowledgesBoardDetermination: z.literal(true) })

// Duty 6: "carefully review a draft of each periodic report for accuracy and
// completeness": the answer names the draft reviewed.
export const duty6AnswersSchema = z
  .strictObject({
    draftSha256: sha256Schema,
    accurateAndComplete: z.boolean(),
    comments: optionalTextSchema,
  })
  .refine((a) => a.accurateAndComplete || /\S/.test(a.comments), {
    message: 'say what is inaccurate or incomplete',
    path: ['comments'],
  })

// Duties 7, 8 and 9 begin "Establish …": established for the period or not,
// operating or not, with the document that sets them out. An officer who must
// answer "not established" can say so: it is an adverse finding (adverseFinding),
// signed only with an exception whose case is a duty 2 matter, "significant
// deficiencies in the design or operation of internal controls" (exceptionCaseDuties).
export const controlsAnswersSchema = z
  .strictObject({
    established: z.boolean(),
    operatingEffectively: z.boolean(),
    /** Changes in the period; "none" is an answer. */
    changesInPeriod: writtenTextSchema,
    /** The document that sets them out; there may be none for what is not established. */
    referenceDocument: z.strictObject({ title: writtenTextSchema, identifier: idSchema }).optional(),
  })
  .refine((a) => a.established || !a.operatingEffectively, {
    message: 'what is not established cannot be operating effectively',
    path: ['operatingEffectively'],
  })
  .refine((a) => !a.established || a.referenceDocument !== undefined, {
    message: 'name the document that sets them out',
    path: ['referenceDocument'],
  })
export const duty7AnswersSchema = controlsAnswersSchema
export const duty8AnswersSchema = controlsAnswersSchema
export const duty9AnswersSchema = controlsAnswersSchema

// Duty 10: "Meeting with members of senior management, division heads,
// accounting staff and others involved in the disclosure process to discuss
// their comments on the draft periodic reports".
export const MEETING_GROUPS = ['senior_management', 'division_head', 'accounting_staff', 'other'] as const
const SEED_NAMED_GROUPS = ['senior_management', 'division_head', 'accounting_staff'] as const
export const duty10AnswersSchema = z
  .strictObject({
    draftSha256: sha256Schema,
    meetings: z
      .array(
        z.strictObject({
          heldOn: calendarDateSchema,
          attendees: z
            .array(z.strictObject({ name: writtenTextSchema, group: z.enum(MEETING_GROUPS) }))
            .min(1)
            .max(500),
          comments: z.array(z.strictObject({ text: writtenTextSchema, disposition: writtenTextSchema })).max(500),
        }),
      )
      .min(1)
      .max(50),
  })
  .refine(
    (a) => {
      const groups = new Set(a.meetings.flatMap((m) => m.attendees.map((p) => p.group)))
      return SEED_NAMED_GROUPS.every((g) => groups.has(g))
    },
    {
      message: 'the seed names senior management, division heads and accounting staff: each must have attended',
      path: ['meetings'],
    },
  )

// Duty 11: "Consult with the Audit Committee to determine whether the Audit
// Committee has identified any weaknesses or concerns with respect to internal
// controls". A weakness is a duty-2 matter, so it must already be a case.
export const duty11AnswersSchema = z
  .strictObject({
    consultedOn: calendarDateSchema,
    weaknessesIdentified: z.boolean(),
    summary: writtenTextSchema,
    caseId: caseIdSchema.optional(),
  })
  .refine((a) => !a.weaknessesIdentified || a.caseId !== undefined, {
    message: 'a weakness identified by the Audit Committee needs its control-deficiency case',
    path: ['caseId'],
  })

// Duty 12: "Confirm that neither the Company's internal auditor nor its
// independent auditors are aware of any material misstatements or omissions in
// the draft …, or have any concerns about the management's discussion and
// analysis". A known misstatement cannot be confirmed away: it needs a new draft.
export const auditorConfirmationSchema = z.strictObject({
  confirmedBy: writtenTextSchema,
  confirmedAt: utcInstantSchema,
  documentSha256: sha256Schema,
  noMaterialMisstatements: z.literal(true),
  noMdaConcerns: z.boolean(),
})
export const duty12AnswersSchema = z.strictObject({
  draftSha256: sha256Schema,
  internalAuditor: auditorConfirmationSchema,
  independentAuditors: auditorConfirmationSchema,
})

export const DUTY_ANSWERS_SCHEMAS = {
  1: duty1AnswersSchema,
  2: duty2AnswersSchema,
  3: duty3AnswersSchema,
  4: duty4AnswersSchema,
  5: duty5AnswersSchema,
  6: duty6AnswersSchema,
  7: duty7AnswersSchema,
  8: duty8AnswersSchema,
  9: duty9AnswersSchema,
  10: duty10AnswersSchema,
  11: duty11AnswersSchema,
  12: duty12AnswersSchema,
} as const satisfies Record<DutyNumber, z.ZodType>

export type DutyAnswersFor<N extends DutyNumber> = z.infer<(typeof DUTY_ANSWERS_SCHEMAS)[N]>
export type DutyAnswers = { [N in DutyNumber]: DutyAnswersFor<N> }[DutyNumber]

export function parseDutyAnswers(dutyNumber: DutyNumber, raw: unknown) {
  return (DUTY_ANSWERS_SCHEMAS[dutyNumber] as z.ZodType<DutyAnswers>).safeParse(raw)
}

/**
 * Every draft an answer names, by SHA-256: the draft it is about and, for duty
 * 12, the document each auditor's confirmation is about. Empty for duties not
 * about a draft. An answer is about the current draft only when all of them are.
 */
export function answersDraftSha256s(answers: DutyAnswers): string[] {
  // Also called on unchecked event payloads: anything else names no draft.
  if (typeof answers !== 'object' || answers === null) return []
  const named: unknown[] = []
  if ('draftSha256' in answers) named.push(answers.draftSha256)
  // Duty 12: "Confirm that neither … auditor … [is] aware of any material
  // misstatements or omissions in the draft": a confirmation about another
  // document confirms nothing about this one.
  for (const key of ['internalAuditor', 'independentAuditors'] as const) {
    if (key in answers) {
      const confirmation = (answers as Record<string, unknown>)[key]
      named.push(
        typeof confirmation === 'object' && confirmation !== null ? (confirmation as { documentSha256?: unknown }).documentSha256 : null,
      )
    }
  }
  return named.map((sha) => (typeof sha === 'string' ? sha : ''))
}

/** The draft an answer is about (duties 6, 10, 12), or null for the others. */
export function answersDraftSha256(answers: DutyAnswers): string | null {
  // Also called on unchecked event payloads: anything but an object has no draft.
  return typeof answers === 'object' && answers !== null && 'draftSha256' in answers && typeof answers.draftSha256 === 'string'
    ? answers.draftSha256
    : null
}

/**
 * Why an answer cannot be signed without an exception, in plain English, or null.
 * An officer's own answer that the draft is inaccurate, a control not operating,
 * a weakness found or an MD&A concern raised is exactly what an exception records.
 */
export function adverseFinding(answers: DutyAnswers): string | null {
  if ('established' in answers && !answers.established) {
    return 'the answer says they are not established for the period'
  }
  if ('accurateAndComplete' in answers && !answers.accurateAndComplete) {
    return 'the review found the draft not accurate or not complete'
  }
  if ('operatingEffectively' in answers && !answers.operatingEffectively) {
    return 'the answer says they are not operating effectively'
  }
  if ('weaknessesIdentified' in answers && answers.weaknessesIdentified) {
    return 'the Audit Committee identified weaknesses or concerns'
  }
  if ('internalAuditor' in answers && (!answers.internalAuditor.noMdaConcerns || !answers.independentAuditors.noMdaConcerns)) {
    return 'an auditor has concerns about the MD&A'
  }
  return null
}

// The case an exception links to: exception-cases.ts (no dependencies, so pages can load it).
export { EXCEPTION_CASE_DUTIES, exceptionCaseDuties, exceptionCaseDutyFor, isExceptionCaseDuty } from '../exception-cases'
