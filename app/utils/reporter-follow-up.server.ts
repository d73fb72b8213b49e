import { z } from 'zod'

// What a reporter sends after reporting — an answer to one of the recipients'
// questions, or more information — signed in ("My reports") or through the
// anonymous channel's follow-up. Checked on the server; the command checks that
// a question belongs to the case.

const body = z
  .string({ error: 'Write your text.' })
  .regex(/\S/, { error: 'Write your text.' })
  .max(20_000, { error: 'Shorten your text: at most 20,000 characters.' })
  .refine((s) => !s.includes('\u0000'), {
    error: 'Remove the invisible NUL character (U+0000): it cannot be kept as written. Retype the text if you pasted it.',
  })

const caseId = z.string({ error: 'Which matter?' }).min(1, { error: 'Which matter?' }).max(200)

export const reporterFollowUpSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({
      intent: z.literal('answer'),
      caseId,
      questionId: z.string({ error: 'Which question?' }).min(1, { error: 'Which question?' }).max(200),
      body,
    }),
    z.object({ intent: z.literal('add'), caseId, body }),
  ],
  { error: 'Choose to answer a question or to add information.' },
)
export type ReporterFollowUp = z.infer<typeof reporterFollowUpSchema>
