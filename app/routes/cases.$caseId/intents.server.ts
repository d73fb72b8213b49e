// One function per intent of the case page's forms. Each checks that the viewer
// may take the step (a member of a body the case is with, acting for that body;
// or its reporter, answering), validates its fields, asks the case's workflow
// whether the step is open, and calls one command.
import { data } from '@remix-run/node'
import { z } from 'zod'
import { acknowledgeCase, decideCase, writeCaseMessage } from '../../../db/commands'
import { storeCaseFile } from '../../../db/case-files'
import type { FoundCase } from '../../../db/queries/cases'
import type { WorkflowRecord } from '../../../db/workflow-record'
import { CASE_OUTCOMES, type CaseEvent, describeCaseState } from '../../../machines/case'
import { BODY_NAMES } from '../../../machines/roles'
import type { CurrentUser } from '../../utils/auth.server'
import type { RefusalCode } from '../../utils/domain-errors.server'
import type { FieldErrors, FieldValues } from '../../utils/duty-forms'
import { type CaseViewer, type ReceivingBody, roleActingFor } from '../../utils/permissions.server'

export const CASE_INTENTS = ['acknowledge', 'resolve', 'refer', 'note', 'ask', 'answer'] as const
export type CaseIntent = (typeof CASE_INTENTS)[number]

export type CaseActionResult = {
  intent: CaseIntent | null
  code: RefusalCode | 'invalid_fields' | 'not_open' | 'not_yours' | null
  message: string
  fieldErrors: FieldErrors
  values: FieldValues
}

export function refused(status: number, result: Partial<CaseActionResult> & { message: string }) {
  return data<CaseActionResult>({ intent: null, code: null, fieldErrors: {}, values: {}, ...result }, { status })
}

export interface CaseIntentContext {
  record: WorkflowRecord
  form: FormData
  values: FieldValues
  user: CurrentUser
  viewer: CaseViewer
  found: FoundCase
  expectedVersion: number
  now: Date
}

export type CaseIntentOutcome = { done: CaseIntent } | ReturnType<typeof refused>

/** The largest file one note, question or answer may carry. */
export const MAX_CASE_FILE_BYTES = 10 * 1024 * 1024

const written = (what: string) =>
  z
    .string({ error: `Enter ${what}.` })
    .regex(/\S/, { error: `Enter ${what}.` })
    .max(20_000, { error: `Shorten ${what}: at most 20,000 characters.` })
    .refine((s) => !s.includes('\u0000'), {
      error: `Remove the invisible NUL character (U+0000) from ${what}: it cannot be kept as written. Retype the text if you pasted it.`,
    })

function fieldRefusal(c: CaseIntentContext, intent: CaseIntent, message: string, fieldErrors: FieldErrors) {
  return refused(400, { intent, code: 'invalid_fields', message, fieldErrors, values: c.values })
}

function notYours(c: CaseIntentContext, intent: CaseIntent, message: string) {
  return refused(403, { intent, code: 'not_yours', message, values: c.values })
}

function notNow(c: CaseIntentContext, intent: CaseIntent) {
  return refused(422, {
    intent,
    code: 'not_open',
    message: `That step is not open now. ${describeCaseState({ value: c.found.snapshot.value, context: c.found.context })} Nothing was saved.`,
    values: c.values,
  })
}

/** The body a recipient acts for: the one named in the form, which must be one of theirs for this case. */
function actingFor(
  c: CaseIntentContext,
  intent: CaseIntent,
  field = 'actingFor',
): { body: ReceivingBody } | { refusal: ReturnType<typeof refused> } {
  if (c.viewer.kind !== 'recipient') {
    return { refusal: notYours(c, intent, 'Only the bodies this matter went to take this step. Nothing was saved.') }
  }
  const bodies = c.viewer.bodies
  const raw = c.form.get(field)
  const named = typeof raw === 'string' && raw !== '' ? raw : bodies.length === 1 ? bodies[0] : undefined
  const body = bodies.find((b) => b === named)
  if (body) return { body }
  if (named === undefined) {
    return { refusal: fieldRefusal(c, intent, 'Nothing was saved.', { [field]: 'Choose the body you act for.' }) }
  }
  return {
    refusal: notYours(
      c,
      intent,
      `You act on this matter only for ${bodies.map((b) => BODY_NAMES[b]).join(' or ')}: not for the body the form named. Nothing was saved.`,
    ),
  }
}

/** The file of the form, if one was chosen: stored content-addressed before the row that names it. */
async function attachedFile(c: CaseIntentContext) {
  const file = c.form.get('file')
  if (!(file instanceof File) || file.size === 0) return { files: [] }
  if (file.size > MAX_CASE_FILE_BYTES) return { error: 'The file is larger than 10 MiB: attach a smaller one.' }
  // Control characters and path separators out, as a draft's name (admin.reports.$reportId.drafts.tsx).
  const cleaned = file.name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\\/]/g, '')
    .trim()
    .slice(0, 255)
  const name = cleaned || 'file'
  const sha256 = await storeCaseFile(new Uint8Array(await file.arrayBuffer()))
  return { files: [{ sha256, sizeBytes: file.size, fileName: name }] }
}

async function acknowledgeIntent(c: CaseIntentContext): Promise<CaseIntentOutcome> {
  const acting = actingFor(c, 'acknowledge', 'body')
  if ('refusal' in acting) return acting.refusal
  const note = c.form.get('note')
  const noteText = typeof note === 'string' && /\S/.test(note) ? written('your note').safeParse(note) : null
  if (noteText && !noteText.success)
    return fieldRefusal(c, 'acknowledge', 'Nothing was acknowledged.', { note: noteText.error.issues[0]!.message })
  const event: CaseEvent = { type: 'case.acknowledge', body: acting.body, at: c.now.toISOString() }
  if (!c.found.snapshot.can(event)) return notNow(c, 'acknowledge')
  await acknowledgeCase(c.record, {
    caseId: c.found.caseId,
    body: acting.body,
    expectedVersion: c.expectedVersion,
    actor: { userId: c.user.id, role: roleActingFor(c.user, acting.body) },
    at: c.now,
    ...(noteText?.success ? { note: { authorUserId: c.user.id, capacity: acting.body, body: noteText.data } } : {}),
  })
  return { done: 'acknowledge' }
}

const ResolveSchema = z.object({
  outcome: z.enum(CASE_OUTCOMES, { error: 'Choose how the matter was resolved.' }),
  note: written('a note on how it was resolved'),
})

async function resolveIntent(c: CaseIntentContext): Promise<CaseIntentOutcome> {
  const acting = actingFor(c, 'resolve')
  if ('refusal' in acting) return acting.refusal
  const parsed = ResolveSchema.safeParse({ outcome: c.form.get('outcome') ?? undefined, note: c.form.get('note') ?? undefined })
  if (!parsed.success)
    return fieldRefusal(c, 'resolve', 'The matter was not resolved: some fields need your attention.', issues(parsed.error))
  const event: CaseEvent = { type: 'case.resolve', outcome: parsed.data.outcome, note: parsed.data.note, at: c.now.toISOString() }
  if (!c.found.snapshot.can(event)) return notNow(c, 'resolve')
  await decideCase(c.record, {
    caseId: c.found.caseId,
    event,
    expectedVersion: c.expectedVersion,
    actor: { userId: c.user.id, role: roleActingFor(c.user, acting.body) },
    at: c.now,
  })
  return { done: 'resolve' }
}

async function referIntent(c: CaseIntentContext): Promise<CaseIntentOutcome> {
  const acting = actingFor(c, 'refer')
  if ('refusal' in acting) return acting.refusal
  const note = written('why it goes to the Board').safeParse(c.form.get('note') ?? undefined)
  if (!note.success) return fieldRefusal(c, 'refer', 'The matter was not referred.', { note: note.error.issues[0]!.message })
  const event: CaseEvent = {
    type: 'case.refer',
    violationOfCodes: c.form.get('violationOfCodes') === 'on',
    note: note.data,
    at: c.now.toISOString(),
  }
  if (!c.found.snapshot.can(event)) {
    const duty = c.found.context.duty
    if (c.found.path === 'underReview' && (duty === 1 || duty === 2) && !event.violationOfCodes) {
      return fieldRefusal(c, 'refer', 'The matter was not referred.', {
        violationOfCodes: `A duty ${duty} matter goes to the Board only as a violation of the codes: tick to say it is one.`,
      })
    }
    if (c.found.path === 'underReview' && c.found.context.subject.kind === 'none') {
      return refused(422, {
        intent: 'refer',
        code: 'not_open',
        message:
          'The Board determines actions against the individual involved: this matter is about no one, so it cannot be referred. Resolve it instead. Nothing was saved.',
        values: c.values,
      })
    }
    return notNow(c, 'refer')
  }
  await decideCase(c.record, {
    caseId: c.found.caseId,
    event,
    expectedVersion: c.expectedVersion,
    actor: { userId: c.user.id, role: roleActingFor(c.user, acting.body) },
    at: c.now,
  })
  return { done: 'refer' }
}

async function messageIntent(c: CaseIntentContext, intent: 'note' | 'ask'): Promise<CaseIntentOutcome> {
  const acting = actingFor(c, intent)
  if ('refusal' in acting) return acting.refusal
  const text = written(intent === 'note' ? 'your note' : 'your question').safeParse(c.form.get('text') ?? undefined)
  if (!text.success) return fieldRefusal(c, intent, 'Nothing was saved.', { text: text.error.issues[0]!.message })
  const file = await attachedFile(c)
  if ('error' in file) return fieldRefusal(c, intent, 'Nothing was saved.', { file: file.error! })
  await writeCaseMessage(c.record, {
    caseId: c.found.caseId,
    kind: intent === 'note' ? 'note' : 'question',
    authorUserId: c.user.id,
    capacity: acting.body,
    body: text.data,
    at: c.now,
    attachments: file.files,
  })
  return { done: intent }
}

async function answerIntent(c: CaseIntentContext): Promise<CaseIntentOutcome> {
  if (c.viewer.kind !== 'reporter') {
    return notYours(c, 'answer', 'Only the person who reported this matter answers the questions put to them. Nothing was saved.')
  }
  const questionId = z
    .string({ error: 'Choose the question you answer.' })
    .min(1)
    .max(100)
    .safeParse(c.form.get('questionId') ?? undefined)
  const text = written('your answer').safeParse(c.form.get('text') ?? undefined)
  if (!questionId.success || !text.success) {
    return fieldRefusal(c, 'answer', 'Your answer was not saved.', {
      ...(questionId.success ? {} : { questionId: questionId.error.issues[0]!.message }),
      ...(text.success ? {} : { text: text.error.issues[0]!.message }),
    })
  }
  const file = await attachedFile(c)
  if ('error' in file) return fieldRefusal(c, 'answer', 'Your answer was not saved.', { file: file.error! })
  await writeCaseMessage(c.record, {
    caseId: c.found.caseId,
    kind: 'answer',
    replyTo: questionId.data,
    authorUserId: c.user.id,
    capacity: 'reporter',
    body: text.data,
    at: c.now,
    attachments: file.files,
  })
  return { done: 'answer' }
}

function issues(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {}
  for (const i of error.issues) out[String(i.path[0] ?? 'form')] ??= i.message
  return out
}

/** Which intents change the case's workflow (and so carry the version the page was made from). */
export const WORKFLOW_INTENTS: ReadonlySet<CaseIntent> = new Set(['acknowledge', 'resolve', 'refer'])

export const CASE_INTENT_HANDLERS: Record<CaseIntent, (c: CaseIntentContext) => Promise<CaseIntentOutcome>> = {
  acknowledge: acknowledgeIntent,
  resolve: resolveIntent,
  refer: referIntent,
  note: (c) => messageIntent(c, 'note'),
  ask: (c) => messageIntent(c, 'ask'),
  answer: answerIntent,
}
