// One function per intent of the duty page's forms. Each validates its fields,
// asks the restored workflow whether the step is open, and calls one command;
// the route dispatches by intent and redirects (post/redirect/get).
import { data } from '@remix-run/node'
import { sendDutyEvent, sendDutyEvents, signDuty, type NewCaseRequest } from '../../../db/commands'
import type { DB } from '../../../db/client'
import type { ReportWithDraft } from '../../../db/queries/reports'
import type { DutyWorkflow } from '../../../db/queries/workflows'
import type { WorkflowRecord } from '../../../db/workflow-record'
import type { DutyNumber } from '../../../machines/duties'
import { type DutyReviewEvent, answerEvents, describeDutyState } from '../../../machines/duty-review'
import { reauthenticate, retryAfterSeconds, signingRefusal } from '../../utils/auth.server'
import type { RefusalCode } from '../../utils/domain-errors.server'
import { type NewCase, SignSchema, WithdrawSchema, parseAnswerForm, parseExceptionForm } from '../../utils/duty-forms.server'
import type { FieldErrors, FieldValues, Intent } from '../../utils/duty-forms'
import type { Officer } from '../../utils/permissions.server'
import { parseContext } from './duty-page.server'

export type ActionResult = {
  intent: Intent | null
  code: RefusalCode | 'invalid_fields' | 'wrong_password' | 'signing_locked' | 'not_open' | null
  message: string
  fieldErrors: FieldErrors
  values: FieldValues
}

export function refused(status: number, result: Partial<ActionResult> & { message: string }, headers?: HeadersInit) {
  return data<ActionResult>({ intent: null, code: null, fieldErrors: {}, values: {}, ...result }, { status, headers })
}

/** A form whose fields were not valid: a 400 naming each field, the values kept for the form, nothing written. */
function fieldRefusal(c: IntentContext, intent: Intent, message: string, fieldErrors: FieldErrors) {
  return refused(400, { intent, code: 'invalid_fields', message, fieldErrors, values: c.values })
}

export interface IntentContext {
  db: DB
  record: WorkflowRecord
  request: Request
  form: FormData
  values: FieldValues
  officer: Officer
  report: ReportWithDraft
  dutyNumber: DutyNumber
  wf: DutyWorkflow
  expectedVersion: number
  now: Date
}

/** A finished intent: where to send the officer next (the `done` word shown on the page). */
export type IntentOutcome = { done: string } | ReturnType<typeof refused>

const base = (c: IntentContext) => ({
  reportId: c.report.id,
  officer: { userId: c.officer.user.id, role: c.officer.role },
  dutyNumber: c.dutyNumber,
  expectedVersion: c.expectedVersion,
  actor: { userId: c.officer.user.id, role: c.officer.role },
})

function notNow(c: IntentContext, intent: Intent) {
  return refused(422, {
    intent,
    code: 'not_open',
    message: `That step is not open now. ${describeDutyState({ value: c.wf.snapshot.value, context: c.wf.context })} Nothing was saved.`,
    values: c.values,
  })
}

/** Each new matter is its own case, reported and routed with the event that raised it (one transaction). */
function newCaseRequests(c: IntentContext, cases: NewCase[]): NewCaseRequest[] {
  return cases.map((k) => ({
    reportId: c.report.id,
    input: {
      caseId: k.caseId,
      ...(k.itemId ? { itemId: k.itemId } : {}),
      duty: k.duty,
      subject: k.subject,
      reporter: { role: c.officer.role, userId: c.officer.user.id },
      summary: k.summary,
    },
    actor: { userId: c.officer.user.id, role: c.officer.role },
    at: c.now,
  }))
}

async function sendSimple(
  c: IntentContext,
  intent: Intent,
  event: Exclude<DutyReviewEvent, { type: 'duty.sign' }>,
): Promise<IntentOutcome> {
  if (!c.wf.snapshot.can(event)) return notNow(c, intent)
  await sendDutyEvent(c.record, { ...base(c), event, at: c.now })
  return { done: intent }
}

export const startIntent = (c: IntentContext) => sendSimple(c, 'start', { type: 'duty.start' })

export const confirmIntent = (c: IntentContext) => sendSimple(c, 'confirm', { type: 'duty.confirm' })

export async function answerIntent(c: IntentContext): Promise<IntentOutcome> {
  const parsed = parseAnswerForm(c.form, await parseContext(c.db, c.report, c.officer, c.dutyNumber, c.now))
  if (!parsed.ok) {
    return fieldRefusal(c, 'answer', 'Your answers were not saved: some need your attention.', parsed.fieldErrors)
  }
  const event = { type: 'duty.answer', answers: parsed.value.answers } as const
  const events = answerEvents(c.wf.snapshot, event)
  // Asked before any case is raised, so a refused answer leaves no case behind. A
  // review not started yet is asked by the record itself, after the start, in the
  // one transaction: a refusal there writes neither the start nor a case.
  if (events.length === 1 && !c.wf.snapshot.can(event)) return notNow(c, 'answer')
  await sendDutyEvents(c.record, {
    ...base(c),
    events,
    at: c.now,
    newCases: newCaseRequests(c, parsed.value.newCases),
  })
  return { done: 'answer' }
}

export async function raiseExceptionIntent(c: IntentContext): Promise<IntentOutcome> {
  const parsed = parseExceptionForm(c.form, await parseContext(c.db, c.report, c.officer, c.dutyNumber, c.now))
  if (!parsed.ok) {
    return fieldRefusal(c, 'raiseException', 'The exception was not raised: some fields need your attention.', parsed.fieldErrors)
  }
  const { explanation, link } = parsed.value
  const caseId = 'existingCaseId' in link ? link.existingCaseId : link.newCase.caseId
  const event: DutyReviewEvent = { type: 'duty.raiseException', explanation, caseId }
  if (!c.wf.snapshot.can(event)) return notNow(c, 'raiseException')
  const newCases = 'newCase' in link ? newCaseRequests(c, [{ ...link.newCase, summary: explanation }]) : []
  await sendDutyEvent(c.record, { ...base(c), event, at: c.now, newCases })
  return { done: 'raiseException' }
}

export async function signIntent(c: IntentContext): Promise<IntentOutcome> {
  const parsed = SignSchema.safeParse({ password: c.form.get('password') ?? undefined })
  if (!parsed.success) {
    return fieldRefusal(c, 'sign', 'Nothing was signed.', { password: parsed.error.issues[0]!.message })
  }
  // Every signature is the officer's own act: the password again, each time (reauthenticate logs a failure).
  const reauth = await reauthenticate(c.db, c.officer.user, parsed.data.password, c.request)
  if (!reauth.ok) {
    const { status, ...refusal } = signingRefusal(reauth)
    const wait = retryAfterSeconds(reauth)
    return refused(
      status,
      { intent: 'sign', code: reauth.reason === 'locked' ? 'signing_locked' : 'wrong_password', ...refusal, values: c.values },
      wait === null ? undefined : { 'Retry-After': String(wait) },
    )
  }
  const draftSha = c.report.draft?.sha256 ?? null
  const sign = {
    type: 'duty.sign',
    at: c.now.toISOString(),
    signatureId: 'preview',
    draftSha256: c.wf.context.boundToDraft ? draftSha : null,
  } as const
  if (!c.wf.snapshot.can(sign)) return notNow(c, 'sign')
  const result = await signDuty(c.record, { ...base(c), at: c.now })
  return { done: result.submittedForReview ? 'signed-last' : 'signed' }
}

export async function withdrawIntent(c: IntentContext): Promise<IntentOutcome> {
  const parsed = WithdrawSchema.safeParse({ confirmWithdraw: c.form.get('confirmWithdraw') ?? undefined })
  if (!parsed.success) {
    return fieldRefusal(c, 'withdraw', 'Your signature was not withdrawn.', { confirmWithdraw: parsed.error.issues[0]!.message })
  }
  return sendSimple(c, 'withdraw', { type: 'duty.reopen', reason: 'withdrawn', at: c.now.toISOString() })
}

export const INTENT_HANDLERS: Record<Intent, (c: IntentContext) => Promise<IntentOutcome>> = {
  start: startIntent,
  answer: answerIntent,
  raiseException: raiseExceptionIntent,
  confirm: confirmIntent,
  sign: signIntent,
  withdraw: withdrawIntent,
}
