import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { CaseDuty } from '../../machines/case'
import type { DutyNumber } from '../../machines/duties'
import {
  type DutyAnswers,
  type DutyAnswersFor,
  MEETING_GROUPS,
  exceptionCaseDuties,
  isExceptionCaseDuty,
  parseDutyAnswers,
} from '../../machines/duty-answers'
import type { CaseSubject } from '../../machines/routing'
import {
  ATTENDEE_ROWS,
  AUDITOR_PARTIES,
  CASE_DUTY_WORDS,
  COMMENT_ROWS,
  type FieldErrors,
  type FieldValues,
  ID_MAX,
  INTENTS,
  MATTER_CATEGORIES,
  MATTER_ROWS,
  TEXT_MAX,
  casesByItem,
} from './duty-forms'
import { type Person, subjectFor } from '../../db/queries/people'
import type { VisibleCase } from './permissions.server'

// Reads the duty forms into exactly the shapes of machines/duty-answers.ts, field
// by field, so every refusal names the field it is about. The machine's own
// schema parses the result again before anything is written.

export interface ParseContext {
  dutyNumber: DutyNumber
  reportId: string
  draftSha256: string | null
  timeZone: string
  now: Date
  /** Cases of the report the officer may see (never those about them). */
  visibleCases: VisibleCase[]
  /** The report's material-information items (duty 1). */
  items: { id: string; title: string }[]
  people: Person[]
}

/** A matter the answer raises as a new case: reported (reportCase) before the answer is sent. */
export interface NewCase {
  caseId: string
  duty: CaseDuty
  summary: string
  subject: CaseSubject
  /** The duty 1 item it is raised from: stored with the case (machines/case.ts `itemId`) so it is never raised twice. */
  itemId?: string
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; fieldErrors: FieldErrors }

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** Collects the first refusal of each field; a field that fails yields undefined. */
class Fields {
  readonly errors: FieldErrors = {}
  constructor(readonly form: FormData) {}
  raw(name: string): string {
    const v = this.form.get(name)
    return typeof v === 'string' ? v : ''
  }
  all(name: string): string[] {
    return this.form.getAll(name).filter((v): v is string => typeof v === 'string')
  }
  take<T>(name: string, schema: z.ZodType<T>, raw: unknown = this.form.get(name) ?? undefined): T | undefined {
    const result = schema.safeParse(raw)
    if (result.success) return result.data
    this.add(name, result.error.issues[0]?.message ?? 'This is not valid.')
    return undefined
  }
  add(name: string, message: string) {
    this.errors[name] ??= message
  }
  get ok() {
    return Object.keys(this.errors).length === 0
  }
}

// The machines refuse U+0000 (machines/primitives.ts); it is invisible, and
// usually comes with text pasted from another program.
const noNul = (what: string) =>
  [
    (s: string) => !s.includes('\u0000'),
    { error: `Remove the invisible NUL character (U+0000) from ${what}: it cannot be kept as written. Retype the text if you pasted it.` },
  ] as const

// Stored as written (machines/primitives.ts writtenTextSchema): nothing trimmed.
const written = (what: string) =>
  z
    .string({ error: `Enter ${what}.` })
    .regex(/\S/, { error: `Enter ${what}.` })
    .max(TEXT_MAX, { error: `Shorten ${what}: at most 20,000 characters.` })
    .refine(...noNul(what))

const optionalText = (what: string) =>
  z
    .string()
    .max(TEXT_MAX, { error: `Shorten ${what}: at most 20,000 characters.` })
    .refine(...noNul(what))

const identifier = (what: string) =>
  z
    .string({ error: `Enter ${what}.` })
    .regex(/\S/, { error: `Enter ${what}.` })
    .max(ID_MAX, { error: `Shorten ${what}: at most 200 characters.` })
    .refine(...noNul(what))

const yesNo = (error: string) => z.enum(['yes', 'no'], { error }).transform((v) => v === 'yes')

const ticked = (error: string) => z.literal('on', { error })

const sha256 = (what: string) =>
  z
    .string({ error: `${upperFirst(what)} is missing.` })
    .regex(/^[0-9a-f]{64}$/, { error: `${upperFirst(what)} must be a SHA-256 digest: 64 lower-case hexadecimal characters.` })

function localDate(instant: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant)
}

const pastDate = (what: string, ctx: ParseContext) =>
  z.iso
    .date({ error: `Enter ${what} as a date.` })
    .refine((d) => d <= localDate(ctx.now, ctx.timeZone), { error: `${upperFirst(what)} cannot be in the future.` })

function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(instant / 1000) * 1000
}

/**
 * A wall-clock time typed in the company's zone (an `<input type="datetime-local">`
 * has none) to the instant it names; null when it is not a real time there.
 */
export function zonedWallTimeToUtc(wall: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall)
  if (!m) return null
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number]
  const naive = Date.UTC(y, mo - 1, d, h, mi, s)
  const check = new Date(naive)
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23) return null
  // Twice: the offset at the guess may differ from the offset at the answer around a DST change.
  let t = naive - zoneOffsetMs(naive, timeZone)
  t = naive - zoneOffsetMs(t, timeZone)
  return new Date(t)
}

/** An instant as the company's wall-clock time, for an `<input type="datetime-local">`. */
export function utcToZonedWallTime(iso: string, timeZone: string): string {
  const instant = new Date(iso).getTime()
  return new Date(instant + zoneOffsetMs(instant, timeZone)).toISOString().slice(0, 16)
}

function newCaseId(reportId: string, duty: CaseDuty): string {
  return `case-${reportId.replace(/^report-/, '')}-d${duty}-${randomBytes(4).toString('hex')}`
}

function subjectField(f: Fields, name: string, ctx: ParseContext): CaseSubject | undefined {
  const raw = f.raw(name)
  if (raw === '') return { kind: 'none' }
  const person = ctx.people.find((p) => p.id === raw)
  if (!person) {
    f.add(name, 'Choose who the matter is about from the list, or “No one in particular”.')
    return undefined
  }
  return subjectFor(person)
}

type MatterItem = { itemId?: string; summary: string; caseId: string; category?: string }

// Duties 1–4: "promptly … bring to the attention of": every matter is a case.
function parseReportedMatters(f: Fields, ctx: ParseContext, duty: 1 | 2 | 3 | 4): Parsed<{ answers: DutyAnswers; newCases: NewCase[] }> {
  const items: MatterItem[] = []
  const newCases: NewCase[] = []
  const categories = duty === 1 ? null : MATTER_CATEGORIES[duty]
  const category = (name: string) =>
    categories
      ? f.take(name, z.enum(Object.keys(categories) as [string, ...string[]], { error: 'Choose what kind of matter it is.' }))
      : undefined

  const citeable = ctx.visibleCases.filter((c) => c.context.duty === duty)
  for (const caseId of new Set(f.all('cite'))) {
    const found = citeable.find((c) => c.context.caseId === caseId)
    if (!found) {
      f.add('cite', `Case ${caseId} is not a duty ${duty} case of this report that you can cite.`)
      continue
    }
    const itemId = found.context.itemId
    items.push({ ...(itemId ? { itemId } : {}), summary: found.context.summary, caseId, category: category(`cite-${caseId}-category`) })
  }
  if (duty === 1) {
    // An item already raised is a case: it is cited as that case, never raised again.
    const raisedAs = casesByItem(citeable.map((c) => ({ caseId: c.context.caseId, itemId: c.context.itemId })))
    for (const itemId of new Set(f.all('raise'))) {
      const item = ctx.items.find((i) => i.id === itemId)
      if (!item) {
        f.add('raise', 'That material-information item is not one of this report’s.')
        continue
      }
      const existing = raisedAs.get(itemId)
      if (existing) {
        f.add(
          'raise',
          `“${item.title}” is already case ${existing}: tick that case under “Cases already reported” to list it, rather than raising it again.`,
        )
        continue
      }
      const summary = f.take(`item-${itemId}-summary`, written('what the Disclosure Committee should know about it'))
      const caseId = newCaseId(ctx.reportId, 1)
      if (summary !== undefined) {
        items.push({ itemId, summary, caseId })
        newCases.push({ caseId, duty: 1, summary, subject: { kind: 'none' }, itemId })
      }
    }
  }
  for (let i = 0; i < (duty === 1 ? 1 : MATTER_ROWS); i++) {
    const filled = /\S/.test(f.raw(`matter-${i}-summary`)) || (duty !== 1 && f.raw(`matter-${i}-category`) !== '')
    if (!filled) continue
    const summary = f.take(`matter-${i}-summary`, written('what the matter is'))
    const kind = category(`matter-${i}-category`)
    const subject = duty === 1 ? ({ kind: 'none' } as const) : subjectField(f, `matter-${i}-subject`, ctx)
    if (summary === undefined || subject === undefined) continue
    const caseId = newCaseId(ctx.reportId, duty)
    items.push({ summary, caseId, category: kind })
    newCases.push({ caseId, duty, summary, subject })
  }
  const none = f.raw('noneBeyondReported') === 'on'
  if (items.length === 0 && !none && f.ok) {
    f.add('noneBeyondReported', 'List each matter you know of, or tick “None beyond those already reported”.')
  }
  if (!f.ok) return { ok: false, fieldErrors: f.errors }
  const answers = {
    items: items.map(({ itemId, summary, caseId, category: c }) => ({
      ...(itemId ? { itemId } : {}),
      summary,
      caseId,
      ...(c ? { category: c } : {}),
    })),
    ...(none ? { noneBeyondReported: true as const } : {}),
  }
  return { ok: true, value: { answers: answers as DutyAnswers, newCases } }
}

function draftField(f: Fields, ctx: ParseContext): string | undefined {
  const sha = f.take('draftSha256', sha256('the draft’s SHA-256'))
  if (sha === undefined) return undefined
  if (ctx.draftSha256 === null) f.add('draftSha256', 'There is no draft of this report yet: this duty is about a specific draft.')
  else if (sha !== ctx.draftSha256) {
    f.add(
      'draftSha256',
      `This form was for another draft; the current draft is ${ctx.draftSha256.slice(0, 12)}…. Reload the page and answer about the current draft.`,
    )
  }
  return sha
}

// Duties 7–9: "Establish …". Not established is an answer too: an adverse
// finding, signed with an exception whose case is a duty 2 matter.
function parseControls(f: Fields): DutyAnswersFor<7> | undefined {
  const established = f.take('established', yesNo('Say whether they are established for the period.'))
  const operatingEffectively = f.take('operatingEffectively', yesNo('Say whether they are operating effectively.'))
  if (established === false && operatingEffectively === true) {
    f.add(
      'operatingEffectively',
      'What is not established cannot be operating effectively: answer “No”, and raise an exception with its duty 2 case.',
    )
  }
  const changesInPeriod = f.take('changesInPeriod', written('the changes in the period (write “None” if there were none)'))
  // The document that sets them out: required when they are established; there may be none when they are not.
  const hasDocument = established !== false || /\S/.test(f.raw('referenceTitle')) || /\S/.test(f.raw('referenceIdentifier'))
  const title = hasDocument ? f.take('referenceTitle', written('the title of the document that sets them out')) : undefined
  const id = hasDocument ? f.take('referenceIdentifier', identifier('the document’s identifier')) : undefined
  if (!f.ok) return undefined
  return {
    established: established!,
    operatingEffectively: operatingEffectively!,
    changesInPeriod: changesInPeriod!,
    ...(hasDocument ? { referenceDocument: { title: title!, identifier: id! } } : {}),
  }
}

function parseDuty10(f: Fields, ctx: ParseContext, draftSha256: string | undefined): DutyAnswersFor<10> | undefined {
  const heldOn = f.take('heldOn', pastDate('the date of the meeting', ctx))
  const attendees: { name: string; group: (typeof MEETING_GROUPS)[number] }[] = []
  let filledRows = 0
  for (let i = 0; i < ATTENDEE_ROWS; i++) {
    if (!/\S/.test(f.raw(`attendee-${i}-name`)) && f.raw(`attendee-${i}-group`) === '') continue
    filledRows++
    const name = f.take(`attendee-${i}-name`, written('the attendee’s name'))
    const group = f.take(`attendee-${i}-group`, z.enum(MEETING_GROUPS, { error: 'Choose the attendee’s group.' }))
    if (name !== undefined && group !== undefined) attendees.push({ name, group })
  }
  if (filledRows === 0) f.add('attendees', 'List who attended the meeting.')
  else if (attendees.length === filledRows) {
    const groups = new Set(attendees.map((a) => a.group))
    // Duty 10 names "senior management, division heads, accounting staff".
    if (!(['senior_management', 'division_head', 'accounting_staff'] as const).every((g) => groups.has(g))) {
      f.add('attendees', 'The duty names senior management, division heads and accounting staff: list at least one attendee of each.')
    }
  }
  const comments: { text: string; disposition: string }[] = []
  for (let i = 0; i < COMMENT_ROWS; i++) {
    if (!/\S/.test(f.raw(`comment-${i}-text`)) && !/\S/.test(f.raw(`comment-${i}-disposition`))) continue
    const text = f.take(`comment-${i}-text`, written('the comment on the draft'))
    const disposition = f.take(`comment-${i}-disposition`, written('what was done about the comment'))
    if (text !== undefined && disposition !== undefined) comments.push({ text, disposition })
  }
  if (!f.ok || !draftSha256 || !heldOn) return undefined
  return { draftSha256, meetings: [{ heldOn, attendees, comments }] }
}

function parseDuty11(f: Fields, ctx: ParseContext): DutyAnswersFor<11> | undefined {
  const consultedOn = f.take('consultedOn', pastDate('the date you consulted the Audit Committee', ctx))
  const weaknessesIdentified = f.take('weaknessesIdentified', yesNo('Say whether the Audit Committee identified weaknesses or concerns.'))
  const summary = f.take('summary', written('a summary of what the Audit Committee said'))
  const rawCase = f.raw('caseId')
  let caseId: string | undefined
  if (rawCase !== '') {
    if (ctx.visibleCases.some((c) => c.context.duty === 2 && c.context.caseId === rawCase)) caseId = rawCase
    else f.add('caseId', 'Choose one of the duty 2 cases listed.')
  } else if (weaknessesIdentified === true) {
    // A weakness is a duty 2 matter (machines/duty-answers.ts): it must already be a case.
    f.add(
      'caseId',
      'Choose the control-deficiency case (duty 2) that records the weakness; if there is none yet, raise it under duty 2 first.',
    )
  }
  if (!f.ok) return undefined
  return { consultedOn: consultedOn!, weaknessesIdentified: weaknessesIdentified!, summary: summary!, ...(caseId ? { caseId } : {}) }
}

function parseDuty12(f: Fields, ctx: ParseContext, draftSha256: string | undefined): DutyAnswersFor<12> | undefined {
  const confirmations: Record<string, DutyAnswersFor<12>['internalAuditor']> = {}
  for (const party of AUDITOR_PARTIES) {
    const p = party.prefix
    const who = party.key === 'internalAuditor' ? 'the internal auditor' : 'the independent auditors'
    const confirmedBy = f.take(`${p}-confirmedBy`, written(`who confirmed for ${who}`))
    const wall = f.raw(`${p}-confirmedAt`)
    const at = wall ? zonedWallTimeToUtc(wall, ctx.timeZone) : null
    if (!wall) f.add(`${p}-confirmedAt`, `Enter when ${who} confirmed.`)
    else if (!at) f.add(`${p}-confirmedAt`, `Enter when ${who} confirmed as a date and time.`)
    else if (at.getTime() > ctx.now.getTime()) f.add(`${p}-confirmedAt`, `The confirmation of ${who} cannot be dated in the future.`)
    const documentSha256 = f.take(`${p}-documentSha256`, sha256('the SHA-256 of the document confirmed'))
    if (documentSha256 && ctx.draftSha256 && documentSha256 !== ctx.draftSha256) {
      // Duty 12 is about "the draft periodic reports": a confirmation about another document covers nothing here.
      f.add(`${p}-documentSha256`, `The confirmation must be about the current draft (SHA-256 ${ctx.draftSha256.slice(0, 12)}…).`)
    }
    f.take(
      `${p}-noMaterialMisstatements`,
      ticked(
        `Tick to confirm that ${who} know of no material misstatements or omissions. A known misstatement cannot be confirmed away: it needs a new draft, and a duty 1 matter.`,
      ),
    )
    const noMdaConcerns = f.take(`${p}-noMdaConcerns`, yesNo(`Say whether ${who} have concerns about the MD&A.`))
    if (confirmedBy !== undefined && at && documentSha256 !== undefined && noMdaConcerns !== undefined) {
      confirmations[party.key] = {
        confirmedBy,
        confirmedAt: at.toISOString(),
        documentSha256,
        noMaterialMisstatements: true,
        noMdaConcerns,
      }
    }
  }
  if (!f.ok || !draftSha256) return undefined
  return { draftSha256, internalAuditor: confirmations.internalAuditor!, independentAuditors: confirmations.independentAuditors! }
}

/** The answer form of one duty, to the answers its machine accepts, and the cases it raises. */
export function parseAnswerForm(form: FormData, ctx: ParseContext): Parsed<{ answers: DutyAnswers; newCases: NewCase[] }> {
  const f = new Fields(form)
  const n = ctx.dutyNumber
  let answers: DutyAnswers | undefined
  switch (n) {
    case 1:
    case 2:
    case 3:
    case 4: {
      const parsed = parseReportedMatters(f, ctx, n)
      if (!parsed.ok) return parsed
      return checkedAgainstMachine(n, parsed.value.answers, parsed.value.newCases)
    }
    case 5: {
      // Duty 5 is the Board's: the officer acknowledges that violations go to it.
      const ack = f.take(
        'acknowledgesBoardDetermination',
        ticked('Tick to acknowledge that the Board determines the actions taken for violations.'),
      )
      if (ack) answers = { acknowledgesBoardDetermination: true }
      break
    }
    case 6: {
      const draftSha256 = draftField(f, ctx)
      const accurateAndComplete = f.take('accurateAndComplete', yesNo('Say whether the draft is accurate and complete.'))
      const comments = f.take('comments', optionalText('your comments'), f.raw('comments')) ?? ''
      if (accurateAndComplete === false && !/\S/.test(comments)) f.add('comments', 'Say what is inaccurate or incomplete.')
      if (f.ok) answers = { draftSha256: draftSha256!, accurateAndComplete: accurateAndComplete!, comments }
      break
    }
    case 7:
    case 8:
    case 9:
      answers = parseControls(f)
      break
    case 10:
      answers = parseDuty10(f, ctx, draftField(f, ctx))
      break
    case 11:
      answers = parseDuty11(f, ctx)
      break
    case 12:
      answers = parseDuty12(f, ctx, draftField(f, ctx))
      break
  }
  if (!f.ok || !answers)
    return { ok: false, fieldErrors: Object.keys(f.errors).length ? f.errors : { form: 'The answers are not complete.' } }
  return checkedAgainstMachine(n, answers, [])
}

function checkedAgainstMachine(
  n: DutyNumber,
  answers: DutyAnswers,
  newCases: NewCase[],
): Parsed<{ answers: DutyAnswers; newCases: NewCase[] }> {
  // The duty machine accepts only what its schema parses: refuse here, with words, rather than there.
  const check = parseDutyAnswers(n, answers)
  if (!check.success)
    return { ok: false, fieldErrors: { form: `The answers do not fit duty ${n}: ${check.error.issues.map((i) => i.message).join('; ')}.` } }
  return { ok: true, value: { answers: check.data, newCases } }
}

export interface ExceptionInput {
  explanation: string
  /** An existing case, or one to raise now. */
  link: { existingCaseId: string } | { newCase: Omit<NewCase, 'summary'> }
}

/**
 * An exception's explanation and its case: one already reported, or a new one.
 * Either way the case is raised under a duty the machines' rule allows for this
 * duty (machines/duty-answers.ts exceptionCaseDuties): its own for duties 1–4, a
 * duty 2 matter for duties 7–9 and 11.
 */
export function parseExceptionForm(form: FormData, ctx: ParseContext): Parsed<ExceptionInput> {
  const f = new Fields(form)
  const allowed = exceptionCaseDuties(ctx.dutyNumber)
  const under = allowed.map((d) => `duty ${d}`).join(' or ')
  const explanation = f.take('explanation', written('a written explanation of the exception'))
  const link = f.take(
    'link',
    z.enum(['existing', 'new'], { error: 'Choose whether the exception links to a case already reported or raises a new one.' }),
  )
  let result: ExceptionInput['link'] | undefined
  if (link === 'existing') {
    const caseId = f.raw('existingCaseId')
    const found = ctx.visibleCases.find((c) => c.context.caseId === caseId)
    if (!found) f.add('existingCaseId', 'Choose the case the exception links to.')
    else if (!isExceptionCaseDuty(ctx.dutyNumber, found.context.duty)) {
      f.add(
        'existingCaseId',
        `An exception on duty ${ctx.dutyNumber} links a case raised under ${under}; case ${caseId} was raised under duty ${found.context.duty}.`,
      )
    } else result = { existingCaseId: caseId }
  } else if (link === 'new') {
    // With one duty allowed there is nothing to choose; a form that names another is refused, never silently changed.
    const posted = f.raw('newCaseDuty')
    const duty = allowed.length === 1 && posted === '' ? allowed[0] : allowed.find((d) => String(d) === posted)
    if (duty === undefined) {
      f.add(
        'newCaseDuty',
        allowed.length === 1
          ? `An exception on duty ${ctx.dutyNumber} raises its case under ${under} (${CASE_DUTY_WORDS[allowed[0]!]}), no other.`
          : `Choose the duty the new case is raised under: ${under}.`,
      )
    }
    const subject = subjectField(f, 'newCaseSubject', ctx)
    if (duty !== undefined && subject) result = { newCase: { caseId: newCaseId(ctx.reportId, duty), duty, subject } }
  }
  if (!f.ok || explanation === undefined || !result) return { ok: false, fieldErrors: f.errors }
  return { ok: true, value: { explanation, link: result } }
}

export const IntentSchema = z.enum(INTENTS, { error: 'This form asked for an action this page does not know. Reload the page.' })

export const ExpectedVersionSchema = z
  .string({ error: 'This form is missing the version of the workflow it was made from. Reload the page.' })
  .regex(/^\d{1,9}$/, { error: 'This form’s workflow version is not a number. Reload the page.' })
  .transform(Number)

export const SignSchema = z.object({
  // The same cap as sign-in: a megabyte "password" must not tie up scrypt.
  password: z
    .string({ error: 'Enter your password to sign.' })
    .min(1, { error: 'Enter your password to sign.' })
    .max(1024, { error: 'A password has at most 1,024 characters.' }),
})

export const WithdrawSchema = z.object({
  confirmWithdraw: ticked('Tick to confirm that you withdraw your signature.'),
})

/** What was posted, to show again after a refusal. Passwords are never sent back. */
export function formValues(form: FormData): FieldValues {
  const values: FieldValues = {}
  for (const [name, value] of form.entries()) {
    if (typeof value !== 'string' || name === 'password') continue
    const existing = values[name]
    values[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return values
}

/** A duty's recorded answers as form values, so answering again starts from them. */
export function answersToValues(answers: DutyAnswers | null, timeZone: string): FieldValues {
  if (!answers) return {}
  const v: FieldValues = {}
  if ('items' in answers) {
    v.cite = answers.items.map((i) => i.caseId)
    for (const item of answers.items) if ('category' in item && item.category) v[`cite-${item.caseId}-category`] = item.category
    if (answers.noneBeyondReported) v.noneBeyondReported = 'on'
  } else if ('acknowledgesBoardDetermination' in answers) {
    v.acknowledgesBoardDetermination = 'on'
  } else if ('accurateAndComplete' in answers) {
    v.accurateAndComplete = answers.accurateAndComplete ? 'yes' : 'no'
    v.comments = answers.comments
  } else if ('established' in answers) {
    v.established = answers.established ? 'yes' : 'no'
    v.operatingEffectively = answers.operatingEffectively ? 'yes' : 'no'
    v.changesInPeriod = answers.changesInPeriod
    if (answers.referenceDocument) {
      v.referenceTitle = answers.referenceDocument.title
      v.referenceIdentifier = answers.referenceDocument.identifier
    }
  } else if ('meetings' in answers) {
    const meeting = answers.meetings[0]
    if (meeting) {
      v.heldOn = meeting.heldOn
      meeting.attendees.slice(0, ATTENDEE_ROWS).forEach((a, i) => {
        v[`attendee-${i}-name`] = a.name
        v[`attendee-${i}-group`] = a.group
      })
      meeting.comments.slice(0, COMMENT_ROWS).forEach((c, i) => {
        v[`comment-${i}-text`] = c.text
        v[`comment-${i}-disposition`] = c.disposition
      })
    }
  } else if ('consultedOn' in answers) {
    v.consultedOn = answers.consultedOn
    v.weaknessesIdentified = answers.weaknessesIdentified ? 'yes' : 'no'
    v.summary = answers.summary
    if (answers.caseId) v.caseId = answers.caseId
  } else if ('internalAuditor' in answers) {
    for (const party of AUDITOR_PARTIES) {
      const c = answers[party.key]
      v[`${party.prefix}-confirmedBy`] = c.confirmedBy
      v[`${party.prefix}-confirmedAt`] = utcToZonedWallTime(c.confirmedAt, timeZone)
      v[`${party.prefix}-documentSha256`] = c.documentSha256
      v[`${party.prefix}-noMaterialMisstatements`] = 'on'
      v[`${party.prefix}-noMdaConcerns`] = c.noMdaConcerns ? 'yes' : 'no'
    }
  }
  return v
}
