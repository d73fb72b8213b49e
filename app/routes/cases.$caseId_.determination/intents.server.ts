// One function per form of the Board's determination page. Each validates its
// fields on the server (zod), takes who acts from the session, asks for the
// password again before a signature (as the officers sign), and calls one command.
import { data } from '@remix-run/node'
import { z } from 'zod'
import {
  closeDetermination,
  giveDeterminationNotice,
  recordDetermination,
  signDetermination,
  type WeighedFactors,
} from '../../../db/commands'
import type { DB } from '../../../db/client'
import type { FoundCase } from '../../../db/queries/cases'
import type { WorkflowRecord } from '../../../db/workflow-record'
import { BOARD_ACTIONS, type DeterminationDecision, SEVERITY_LEVELS } from '../../../machines/board-determination'
import { type CurrentUser, reauthenticate, retryAfterSeconds, signingRefusal } from '../../utils/auth.server'
import type { FieldErrors, FieldValues } from '../../utils/duty-forms'

export const DETERMINATION_INTENTS = ['record', 'sign', 'giveNotice', 'close'] as const
export type DeterminationIntent = (typeof DETERMINATION_INTENTS)[number]
export const DeterminationIntentSchema = z.enum(DETERMINATION_INTENTS, {
  error: 'This form asked for a step this page does not know. Reload the page.',
})

export interface DeterminationActionResult {
  intent: DeterminationIntent | null
  message: string
  fieldErrors: FieldErrors
  values: FieldValues
}

export function refusedWith(status: number, result: Partial<DeterminationActionResult> & { message: string }, headers?: HeadersInit) {
  return data<DeterminationActionResult>({ intent: null, fieldErrors: {}, values: {}, ...result }, { status, headers })
}

export interface DeterminationIntentContext {
  db: DB
  record: WorkflowRecord
  request: Request
  form: FormData
  values: FieldValues
  user: CurrentUser
  found: FoundCase
  expectedVersion: number
  now: Date
}

export type DeterminationOutcome = { done: DeterminationIntent } | ReturnType<typeof refusedWith>

const text = (form: FormData, name: string) => {
  const v = form.get(name)
  return typeof v === 'string' ? v : undefined
}

const NO_NUL = (what: string) =>
  `Remove the invisible NUL character (U+0000) from ${what}: it cannot be kept as written. Retype the text if you pasted it.`
const written = (what: string) =>
  z
    .string({ error: `Write ${what}.` })
    .regex(/\S/, { error: `Write ${what}.` })
    .max(20_000, { error: `Shorten ${what}: at most 20,000 characters.` })
    .refine((s) => !s.includes('\u0000'), { error: NO_NUL(what) })
const optional = (what: string) =>
  z
    .string()
    .max(20_000, { error: `Shorten ${what}: at most 20,000 characters.` })
    .refine((s) => !s.includes('\u0000'), { error: NO_NUL(what) })
    .optional()
const passwordSchema = z.string({ error: 'Enter your password to sign.' }).min(1, 'Enter your password to sign.').max(1000)
const yesNo = (error: string) => z.enum(['yes', 'no'], { error }).transform((v) => v === 'yes')

const RecordSchema = z
  .strictObject({
    natureDescription: written('the nature of the violation'),
    severity: z.enum(SEVERITY_LEVELS, { error: 'Choose how severe the violation is.' }),
    occurrence: z.enum(['single', 'repeated'], { error: 'Say whether it was a single occurrence or repeated occurrences.' }),
    intentional: z.enum(['intentional', 'inadvertent'], { error: 'Say whether it appears to have been intentional or inadvertent.' }),
    advisedBeforehand: yesNo('Say whether the individual had been advised beforehand of the proper course of action.'),
    otherRelevantInformation: optional('the other relevant information'),
    violation: yesNo('Say whether the Board has determined that there has been a violation.'),
    decidedBy: z.enum(['board', 'board_designee'], { error: 'Say who determined it: the Board, or persons it designated.' }),
    actions: z
      .array(z.enum(BOARD_ACTIONS, { error: 'Choose actions among those the code lists.' }))
      .refine((a) => new Set(a).size === a.length, 'Choose each action once.'),
    suspensionPay: z.enum(['with', 'without']).optional(),
    suspensionBenefits: z.enum(['with', 'without']).optional(),
    rationale: written('the Board’s reasons'),
    note: optional('your note'),
    password: passwordSchema,
  })
  .superRefine((v, ctx) => {
    if (v.violation && v.actions.length === 0)
      ctx.addIssue({ code: 'custom', path: ['actions'], message: 'A violation determined: choose at least one action the Board takes.' })
    if (!v.violation && v.actions.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['actions'],
        message: 'No violation determined: the Board takes none of these actions. Untick them.',
      })
    const suspended = v.violation && v.actions.includes('suspension')
    if (suspended && !v.suspensionPay)
      ctx.addIssue({ code: 'custom', path: ['suspensionPay'], message: 'Say whether the suspension is with or without pay.' })
    if (suspended && !v.suspensionBenefits)
      ctx.addIssue({ code: 'custom', path: ['suspensionBenefits'], message: 'Say whether the suspension is with or without benefits.' })
  })

const SignSchema = z.strictObject({ note: optional('your note'), password: passwordSchema })
const NoticeSchema = z.strictObject({ noticeText: written('the notice to the individual') })

function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {}
  for (const issue of error.issues) out[String(issue.path[0] ?? 'form')] ??= issue.message
  return out
}

async function passwordOk(c: DeterminationIntentContext, intent: DeterminationIntent, password: string) {
  const reauth = await reauthenticate(c.db, c.user, password, c.request)
  if (reauth.ok) return null
  const { status, message, fieldErrors } = signingRefusal(reauth)
  const wait = retryAfterSeconds(reauth)
  return refusedWith(
    status,
    { intent, message, fieldErrors, values: c.values },
    wait === null ? undefined : { 'Retry-After': String(wait) },
  )
}

const blankToUndefined = (v: string | undefined) => (v === undefined || v === '' ? undefined : v)

async function recordIntent(c: DeterminationIntentContext): Promise<DeterminationOutcome> {
  const parsed = RecordSchema.safeParse({
    natureDescription: text(c.form, 'natureDescription'),
    severity: text(c.form, 'severity'),
    occurrence: text(c.form, 'occurrence'),
    intentional: text(c.form, 'intentional'),
    advisedBeforehand: text(c.form, 'advisedBeforehand'),
    otherRelevantInformation: blankToUndefined(text(c.form, 'otherRelevantInformation')),
    violation: text(c.form, 'violation'),
    decidedBy: text(c.form, 'decidedBy'),
    actions: c.form.getAll('actions').map(String),
    suspensionPay: blankToUndefined(text(c.form, 'suspensionPay')),
    suspensionBenefits: blankToUndefined(text(c.form, 'suspensionBenefits')),
    rationale: text(c.form, 'rationale'),
    note: blankToUndefined(text(c.form, 'note')),
    password: text(c.form, 'password'),
  })
  if (!parsed.success) {
    return refusedWith(400, {
      intent: 'record',
      message: 'Nothing was recorded or signed: some fields need your attention.',
      fieldErrors: fieldErrorsOf(parsed.error),
      values: c.values,
    })
  }
  const v = parsed.data
  const refusal = await passwordOk(c, 'record', v.password)
  if (refusal) return refusal
  const factors: WeighedFactors = {
    natureAndSeverity: { description: v.natureDescription, severity: v.severity },
    occurrence: v.occurrence,
    intent: v.intentional,
    advisedBeforehand: v.advisedBeforehand,
    ...(v.otherRelevantInformation ? { otherRelevantInformation: v.otherRelevantInformation } : {}),
  }
  // The actions in the order the code lists them, whatever order the form sent.
  const actions = BOARD_ACTIONS.filter((a) => v.actions.includes(a))
  const decision: DeterminationDecision = v.violation
    ? {
        violation: true,
        decidedBy: v.decidedBy,
        rationale: v.rationale,
        actions,
        ...(actions.includes('suspension')
          ? { suspension: { withPay: v.suspensionPay === 'with', withBenefits: v.suspensionBenefits === 'with' } }
          : {}),
      }
    : { violation: false, decidedBy: v.decidedBy, rationale: v.rationale }
  await recordDetermination(c.record, {
    caseId: c.found.caseId,
    factors,
    decision,
    signerUserId: c.user.id,
    note: v.note ?? null,
    expectedVersion: c.expectedVersion,
    at: c.now,
  })
  return { done: 'record' }
}

async function signIntent(c: DeterminationIntentContext): Promise<DeterminationOutcome> {
  const parsed = SignSchema.safeParse({ note: blankToUndefined(text(c.form, 'note')), password: text(c.form, 'password') })
  if (!parsed.success) {
    return refusedWith(400, { intent: 'sign', message: 'Nothing was signed.', fieldErrors: fieldErrorsOf(parsed.error), values: c.values })
  }
  const refusal = await passwordOk(c, 'sign', parsed.data.password)
  if (refusal) return refusal
  await signDetermination(c.record, {
    caseId: c.found.caseId,
    signerUserId: c.user.id,
    note: parsed.data.note ?? null,
    expectedVersion: c.expectedVersion,
    at: c.now,
  })
  return { done: 'sign' }
}

async function giveNoticeIntent(c: DeterminationIntentContext): Promise<DeterminationOutcome> {
  const parsed = NoticeSchema.safeParse({ noticeText: text(c.form, 'noticeText') })
  if (!parsed.success) {
    return refusedWith(400, {
      intent: 'giveNotice',
      message: 'No notice was given.',
      fieldErrors: fieldErrorsOf(parsed.error),
      values: c.values,
    })
  }
  await giveDeterminationNotice(c.record, {
    caseId: c.found.caseId,
    directorUserId: c.user.id,
    text: parsed.data.noticeText,
    expectedVersion: c.expectedVersion,
    at: c.now,
  })
  return { done: 'giveNotice' }
}

async function closeIntent(c: DeterminationIntentContext): Promise<DeterminationOutcome> {
  await closeDetermination(c.record, { caseId: c.found.caseId, directorUserId: c.user.id, expectedVersion: c.expectedVersion, at: c.now })
  return { done: 'close' }
}

export const DETERMINATION_INTENT_HANDLERS: Record<DeterminationIntent, (c: DeterminationIntentContext) => Promise<DeterminationOutcome>> =
  {
    record: recordIntent,
    sign: signIntent,
    giveNotice: giveNoticeIntent,
    close: closeIntent,
  }
