import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { storeCaseFile } from '../../db/case-files'
import type { StoredCaseFile } from '../../db/commands'
import { getInstalledCompany } from '../../db/queries/company'
import type { Executor } from '../../db/queries/executor'
import { type Person, listPeople, subjectFor } from '../../db/queries/people'
import { listPeriodicReports } from '../../db/queries/reports'
import { type CaseDuty, MATTER_KINDS, type MatterKind, matterKindSchema } from '../../machines/case'
import type { AnyReporter, CaseSubject } from '../../machines/routing'
import type { FieldErrors, FieldValues } from './duty-forms'

// The form of a reported matter, shared by `/cases/new` (anyone signed in) and
// `/anonymous` (the anonymous channel): the kind of matter (which decides its duty
// and so where it goes), the description, the person it is about, the related
// report, a file. Validated here on the server; a refusal names each field.

export const MATTER_KIND_OPTIONS = (Object.keys(MATTER_KINDS) as MatterKind[]).map((k) => ({ value: k, label: MATTER_KINDS[k].words }))

/** The largest file a report of a matter may carry. */
export const MAX_MATTER_FILE_BYTES = 10 * 1024 * 1024
/** The form with its file: the file and a little more. */
export const MAX_MATTER_FORM_BYTES = MAX_MATTER_FILE_BYTES + 256 * 1024

export interface MatterFormOptions {
  people: Person[]
  reports: { id: string; label: string }[]
}

/**
 * The people and reports the form offers. `publicOnly` (the anonymous channel,
 * open to anyone) offers only the officers and directors, whose names the
 * company's filings already make public, not the employee directory.
 */
export async function loadMatterFormOptions(db: Executor, options: { publicOnly?: boolean } = {}): Promise<MatterFormOptions> {
  const company = await getInstalledCompany(db)
  if (!company) return { people: [], reports: [] }
  const people = (await listPeople(db, company.id)).filter(
    (p) => !options.publicOnly || p.roles.some((r) => ['ceo', 'cfo', 'cao', 'chairman', 'director'].includes(r)),
  )
  const reports = (await listPeriodicReports(db, company.id)).map((r) => ({
    id: r.id,
    label:
      r.form === '10-K' ? `Form 10-K for fiscal ${r.fiscal_year}` : `Form 10-Q for quarter ${r.fiscal_quarter} of fiscal ${r.fiscal_year}`,
  }))
  return { people, reports }
}

export const personOptions = (o: MatterFormOptions) => o.people.map((p) => ({ value: p.id, label: `${p.name}, ${p.title}` }))

const description = z
  .string({ error: 'Describe the matter.' })
  .regex(/\S/, { error: 'Describe the matter.' })
  .max(20_000, { error: 'Shorten the description: at most 20,000 characters.' })
  .refine((s) => !s.includes('\u0000'), {
    error:
      'Remove the invisible NUL character (U+0000) from the description: it cannot be kept as written. Retype the text if you pasted it.',
  })

export interface ParsedMatter {
  matterKind: MatterKind
  duty: CaseDuty
  subject: CaseSubject
  reportId: string | null
  summary: string
  file: File | null
}

export function formValues(form: FormData, names: readonly string[]): FieldValues {
  const values: FieldValues = {}
  for (const n of names) {
    const v = form.get(n)
    if (typeof v === 'string') values[n] = v
  }
  return values
}

export const MATTER_FIELDS = ['kind', 'summary', 'subject', 'reportId'] as const

/** The matter's fields, or the reason for each one that is not right. Nothing is stored here. */
export function parseMatterForm(
  form: FormData,
  options: MatterFormOptions,
  reporterUserId: string | null,
): { ok: true; matter: ParsedMatter } | { ok: false; fieldErrors: FieldErrors } {
  const fieldErrors: FieldErrors = {}
  const kind = matterKindSchema.safeParse(form.get('kind'))
  if (!kind.success) fieldErrors.kind = 'Choose what kind of matter it is.'
  const summary = description.safeParse(form.get('summary') ?? undefined)
  if (!summary.success) fieldErrors.summary = summary.error.issues[0]!.message
  const rawSubject = form.get('subject')
  let subject: CaseSubject | undefined = { kind: 'none' }
  if (typeof rawSubject === 'string' && rawSubject !== '') {
    const person = options.people.find((p) => p.id === rawSubject)
    if (!person) {
      fieldErrors.subject = 'Choose who the matter is about from the list, or “No one in particular”.'
      subject = undefined
    } else if (person.id === reporterUserId) {
      fieldErrors.subject =
        'A matter is never shown to the person it is about, so you cannot follow one about yourself: choose “No one in particular” and say in the description that it is about you.'
      subject = undefined
    } else subject = subjectFor(person)
  } else if (rawSubject !== null && typeof rawSubject !== 'string') {
    fieldErrors.subject = 'Choose who the matter is about from the list, or “No one in particular”.'
  }
  const rawReport = form.get('reportId')
  let reportId: string | null = null
  if (typeof rawReport === 'string' && rawReport !== '') {
    if (!options.reports.some((r) => r.id === rawReport)) fieldErrors.reportId = 'Choose the related report from the list, or “None”.'
    else reportId = rawReport
  }
  const rawFile = form.get('file')
  const file = rawFile instanceof File && rawFile.size > 0 ? rawFile : null
  if (file && file.size > MAX_MATTER_FILE_BYTES) fieldErrors.file = 'The file is larger than 10 MiB: attach a smaller one.'
  if (Object.keys(fieldErrors).length > 0 || !kind.success || !summary.success || !subject) return { ok: false, fieldErrors }
  return {
    ok: true,
    matter: { matterKind: kind.data, duty: MATTER_KINDS[kind.data].duty, subject, reportId, summary: summary.data, file },
  }
}

/** The file, stored content-addressed (after the fields were found right), ready for its row. */
export async function storeMatterFile(file: File | null): Promise<StoredCaseFile[]> {
  if (!file) return []
  // Control characters and path separators out, as a draft's name (admin.reports.$reportId.drafts.tsx).
  const cleaned = file.name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\\/]/g, '')
    .trim()
    .slice(0, 255)
  const sha256 = await storeCaseFile(new Uint8Array(await file.arrayBuffer()))
  return [{ sha256, sizeBytes: file.size, fileName: cleaned || 'file' }]
}

/** A new case id: random, so that it tells nothing of who reported it or when. */
export function newMatterCaseId(): string {
  return `case-${randomBytes(6).toString('hex')}`
}

/** Who reports, from the session: an officer in their officer role, a director, or an employee. */
export function reporterOf(user: { id: string; roles: readonly string[] }): { reporter: AnyReporter; actorRole: string } {
  const officer = (['ceo', 'cfo', 'cao'] as const).find((r) => user.roles.includes(r))
  if (officer) return { reporter: { role: officer, userId: user.id }, actorRole: officer }
  if (user.roles.includes('director') || user.roles.includes('chairman')) {
    return { reporter: { kind: 'director', userId: user.id }, actorRole: 'director' }
  }
  return { reporter: { kind: 'employee', userId: user.id }, actorRole: user.roles[0] ?? 'employee' }
}
