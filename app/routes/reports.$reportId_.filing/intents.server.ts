// One function per form of the "Review and filing" page. Each validates its
// fields on the server (zod), checks who is acting from the session, and calls
// one command; the route turns a refusal into a status and a sentence.
import { data } from '@remix-run/node'
import { z } from 'zod'
import {
  approveForFiling,
  fileReport,
  recordLateFilingNotice,
  sendReportBack,
  signCommitteeStep,
  startAmendment,
} from '../../../db/commands'
import type { DB } from '../../../db/client'
import { filerCategoryOn } from '../../../db/queries/company'
import type { ReportWithDraft } from '../../../db/queries/reports'
import type { WorkflowRecord } from '../../../db/workflow-record'
import type { DutyNumber } from '../../../machines/duties'
import { filingDeadline, notificationDeadline } from '../../../machines/filing-deadline'
import { formatCalendarDate } from '../../utils/format'
import { calendarDateSchema, writtenTextSchema } from '../../../machines/primitives'
import { REVIEW_BODIES, accessionNumberSchema, lateFilingNoticeProblem, type ReviewBody } from '../../../machines/report-lifecycle'
import { type CurrentUser, reauthenticate, retryAfterSeconds, signingRefusal } from '../../utils/auth.server'
import { REPORT_ADMIN_ROLES } from '../../utils/permissions.server'

export const FILING_INTENTS = ['committeeStep', 'sendBack', 'approveForFiling', 'file', 'notifyLateFiling', 'startAmendment'] as const
export type FilingIntent = (typeof FILING_INTENTS)[number]
export const FilingIntentSchema = z.enum(FILING_INTENTS, { message: 'The form did not say what to do: reload the page and try again.' })

export interface FilingActionResult {
  intent: FilingIntent | null
  message: string
  fieldErrors: Record<string, string>
  values: Record<string, string>
}

export function refusedWith(status: number, result: Partial<FilingActionResult> & { message: string }, headers?: HeadersInit) {
  return data<FilingActionResult>({ intent: null, fieldErrors: {}, values: {}, ...result }, { status, headers })
}

export interface FilingIntentContext {
  db: DB
  record: WorkflowRecord
  request: Request
  form: FormData
  user: CurrentUser
  report: ReportWithDraft
  now: Date
}

export type FilingOutcome = { done: string } | { redirectTo: string } | ReturnType<typeof refusedWith>

const text = (form: FormData, name: string) => {
  const v = form.get(name)
  return typeof v === 'string' ? v : undefined
}
const values = (form: FormData, names: string[]) => Object.fromEntries(names.map((n) => [n, text(form, n) ?? '']))

const bodySchema = z.enum(REVIEW_BODIES, { message: 'Choose the committee you act for.' })
const noteSchema = writtenTextSchema.max(5000, 'Keep the note under 5,000 characters.')
const passwordSchema = z.string({ message: 'Enter your password to sign.' }).min(1, 'Enter your password to sign.').max(1000)

const CommitteeStepSchema = z.strictObject({
  body: bodySchema,
  note: z.string({ message: 'Write a note: what the committee did and on what basis.' }).pipe(noteSchema),
  password: passwordSchema,
})

const SendBackSchema = z.strictObject({
  body: bodySchema,
  reason: z
    .string({ message: 'Say why the report goes back.' })
    .pipe(writtenTextSchema.max(5000, 'Keep the reason under 5,000 characters.')),
  duties: z
    .array(z.string().regex(/^(?:[1-9]|1[0-2])$/, 'Duties are numbered 1 to 12.'))
    .min(1, 'Choose the duties to reopen, or all of them.')
    .refine((d) => new Set(d).size === d.length, 'Each duty once.'),
})

const FileSchema = z.strictObject({
  accessionNumber: z
    .string({ message: 'Enter the accession number EDGAR gave the filing.' })
    .trim()
    .regex(/^\d{10}-\d{2}-\d{6}$/, 'The accession number has the form 0000000000-00-000000 (10, 2 and 6 digits), as EDGAR gives it.')
    .pipe(accessionNumberSchema),
  filedAt: z
    .string({ message: 'Enter the date and time of the filing (UTC).' })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Enter the date and time of the filing (UTC), e.g. 2013-02-26T21:05.')
    .refine((v) => !Number.isNaN(new Date(`${v}:00Z`).getTime()), 'That is not a real date and time.'),
})

const NoticeSchema = z.strictObject({
  notifiedOn: z
    .string({ message: 'Enter the day the Form 12b-25 was filed, e.g. 2013-03-04.' })
    .pipe(calendarDateSchema.refine(() => true).or(z.never({ message: 'Enter the day the Form 12b-25 was filed, e.g. 2013-03-04.' }))),
  narrative: z
    .string({ message: 'Give the narrative reason stated in the Form 12b-25.' })
    .pipe(writtenTextSchema.max(5000, 'Keep it under 5,000 characters.')),
})

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form')
    out[key] ??= issue.message
  }
  return out
}

async function passwordOk(c: FilingIntentContext, intent: FilingIntent, password: string, kept: Record<string, string>) {
  const reauth = await reauthenticate(c.db, c.user, password, c.request)
  if (reauth.ok) return null
  const { status, message, fieldErrors } = signingRefusal(reauth)
  const wait = retryAfterSeconds(reauth)
  return refusedWith(status, { intent, message, fieldErrors, values: kept }, wait === null ? undefined : { 'Retry-After': String(wait) })
}

export async function committeeStepIntent(c: FilingIntentContext): Promise<FilingOutcome> {
  const kept = values(c.form, ['body', 'note'])
  const parsed = CommitteeStepSchema.safeParse({
    body: text(c.form, 'body'),
    note: text(c.form, 'note'),
    password: text(c.form, 'password'),
  })
  if (!parsed.success) {
    return refusedWith(400, {
      intent: 'committeeStep',
      message: 'Nothing was signed: some fields need your attention.',
      fieldErrors: fieldErrorsOf(parsed.error),
      values: kept,
    })
  }
  const refusal = await passwordOk(c, 'committeeStep', parsed.data.password, kept)
  if (refusal) return refusal
  await signCommitteeStep(c.record, {
    reportId: c.report.id,
    body: parsed.data.body,
    signerUserId: c.user.id,
    note: parsed.data.note,
    at: c.now,
  })
  return { done: parsed.data.body === 'disclosure_committee' ? 'approved' : 'reviewed' }
}

export async function sendBackIntent(c: FilingIntentContext): Promise<FilingOutcome> {
  const kept = values(c.form, ['body', 'reason'])
  const all = c.form.get('allDuties') === 'on'
  const duties = all ? Array.from({ length: 12 }, (_, i) => String(i + 1)) : c.form.getAll('duties').map(String)
  const parsed = SendBackSchema.safeParse({ body: text(c.form, 'body'), reason: text(c.form, 'reason'), duties })
  if (!parsed.success) {
    return refusedWith(400, {
      intent: 'sendBack',
      message: 'The report was not sent back: some fields need your attention.',
      fieldErrors: fieldErrorsOf(parsed.error),
      values: kept,
    })
  }
  await sendReportBack(c.record, {
    reportId: c.report.id,
    body: parsed.data.body as ReviewBody,
    memberUserId: c.user.id,
    reason: parsed.data.reason,
    dutyNumbers: parsed.data.duties.map(Number) as DutyNumber[],
    at: c.now,
  })
  return { done: 'sentBack' }
}

export async function approveForFilingIntent(c: FilingIntentContext): Promise<FilingOutcome> {
  const role = c.user.roles.includes('ceo') ? 'ceo' : c.user.roles.includes('cfo') ? 'cfo' : null
  if (!role) {
    return refusedWith(403, {
      intent: 'approveForFiling',
      message: 'Only the CEO and the CFO, who certify the report, approve it for filing. Nothing was recorded.',
    })
  }
  const parsed = passwordSchema.safeParse(text(c.form, 'password'))
  if (!parsed.success) {
    return refusedWith(400, {
      intent: 'approveForFiling',
      message: 'Nothing was signed.',
      fieldErrors: { password: parsed.error.issues[0]!.message },
    })
  }
  const refusal = await passwordOk(c, 'approveForFiling', parsed.data, {})
  if (refusal) return refusal
  const result = await approveForFiling(c.record, { reportId: c.report.id, officer: { userId: c.user.id, role }, at: c.now })
  return { done: result.approved ? 'approvedForFiling' : 'approvalRecorded' }
}

function requireClerk(c: FilingIntentContext, intent: FilingIntent) {
  if (c.user.roles.some((r) => REPORT_ADMIN_ROLES.includes(r))) return null
  return refusedWith(403, {
    intent,
    message: 'The administrator or the Chief Accounting Officer/Controller records the filing and the Form 12b-25. Nothing was recorded.',
  })
}

export async function fileIntent(c: FilingIntentContext): Promise<FilingOutcome> {
  const denied = requireClerk(c, 'file')
  if (denied) return denied
  const kept = values(c.form, ['accessionNumber', 'filedAt'])
  const parsed = FileSchema.safeParse({ accessionNumber: text(c.form, 'accessionNumber'), filedAt: text(c.form, 'filedAt') })
  if (!parsed.success) {
    return refusedWith(400, {
      intent: 'file',
      message: 'The filing was not recorded: some fields need your attention.',
      fieldErrors: fieldErrorsOf(parsed.error),
      values: kept,
    })
  }
  const filedAt = new Date(`${parsed.data.filedAt}:00Z`)
  if (filedAt.getTime() > c.now.getTime() + 60_000) {
    return refusedWith(400, {
      intent: 'file',
      message: 'The filing was not recorded.',
      fieldErrors: { filedAt: 'A filing cannot be in the future.' },
      values: kept,
    })
  }
  await fileReport(c.record, {
    reportId: c.report.id,
    filedAt,
    accessionNumber: parsed.data.accessionNumber,
    actor: { userId: c.user.id, role: c.user.roles.includes('administrator') ? 'administrator' : 'cao' },
    at: c.now,
  })
  return { done: 'filed' }
}

export async function notifyLateFilingIntent(c: FilingIntentContext): Promise<FilingOutcome> {
  const denied = requireClerk(c, 'notifyLateFiling')
  if (denied) return denied
  const kept = values(c.form, ['notifiedOn', 'narrative'])
  const parsed = NoticeSchema.safeParse({ notifiedOn: text(c.form, 'notifiedOn') ?? '', narrative: text(c.form, 'narrative') })
  if (!parsed.success) {
    return refusedWith(400, {
      intent: 'notifyLateFiling',
      message: 'The Form 12b-25 was not recorded: some fields need your attention.',
      fieldErrors: fieldErrorsOf(parsed.error),
      values: kept,
    })
  }
  const category = await filerCategoryOn(c.db, c.report.company_id, c.report.period_end)
  if (!category)
    return refusedWith(409, {
      intent: 'notifyLateFiling',
      message: 'No filer category is recorded for this period, so the due date is unknown. Nothing was recorded.',
    })
  const { dueDate } = filingDeadline({ form: c.report.form, periodEnd: c.report.period_end, category })
  const problem = lateFilingNoticeProblem({ dueDate, notifiedOn: parsed.data.notifiedOn, today: c.now.toISOString().slice(0, 10) })
  const reason =
    problem === 'inTheFuture'
      ? 'The day of the Form 12b-25 cannot be in the future.'
      : problem === 'tooLate'
        ? `Too late: a Form 12b-25 is filed no later than one business day after the due date (${formatCalendarDate(dueDate)}), that is by ${formatCalendarDate(notificationDeadline({ dueDate }))}.`
        : null
  if (reason) {
    return refusedWith(422, {
      intent: 'notifyLateFiling',
      message: 'The Form 12b-25 was not recorded.',
      fieldErrors: { notifiedOn: reason },
      values: kept,
    })
  }
  await recordLateFilingNotice(c.record, {
    reportId: c.report.id,
    dueDate,
    notifiedOn: parsed.data.notifiedOn,
    narrative: parsed.data.narrative,
    actor: { userId: c.user.id, role: c.user.roles.includes('administrator') ? 'administrator' : 'cao' },
    at: c.now,
  })
  return { done: 'notified' }
}

const AmendmentSchema = z.strictObject({
  reason: z
    .string({ message: 'Say what the amendment corrects or adds.' })
    .pipe(writtenTextSchema.max(5000, 'Keep it under 5,000 characters.')),
})

export async function startAmendmentIntent(c: FilingIntentContext): Promise<FilingOutcome> {
  const denied = requireClerk(c, 'startAmendment')
  if (denied) return denied
  const parsed = AmendmentSchema.safeParse({ reason: text(c.form, 'reason') })
  if (!parsed.success) {
    return refusedWith(400, {
      intent: 'startAmendment',
      message: 'No amendment was started.',
      fieldErrors: fieldErrorsOf(parsed.error),
      values: values(c.form, ['reason']),
    })
  }
  const { id } = await startAmendment(c.record, { reportId: c.report.id, reason: parsed.data.reason, createdBy: c.user.id, at: c.now })
  // Its first draft is registered next, like any new report's.
  return { redirectTo: `/admin/reports/${id}/drafts` }
}

export const FILING_INTENT_HANDLERS: Record<FilingIntent, (c: FilingIntentContext) => Promise<FilingOutcome>> = {
  committeeStep: committeeStepIntent,
  sendBack: sendBackIntent,
  approveForFiling: approveForFilingIntent,
  file: fileIntent,
  notifyLateFiling: notifyLateFilingIntent,
  startAmendment: startAmendmentIntent,
}
