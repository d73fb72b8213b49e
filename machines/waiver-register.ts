import { z } from 'zod'
import { DUTIES } from './duties'
import { calendarDateWords, daysLeft, form8KWaiverDisclosureDue } from './filing-deadline'
import { OFFICER_ROLES } from './roles'

// The waiver register's rules, pure: what a waiver and its disclosure must say,
// and where each waiver stands against its Form 8-K Item 5.05 due date (four
// business days after its approval, the same calendar as the filing deadlines).

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

const calendarDate = (what: string) =>
  z
    .string({ error: `${what} is missing` })
    .trim()
    .regex(ISO_DATE, `${what} must be a date such as 2012-06-14`)
    .refine((d) => {
      const parsed = new Date(`${d}T00:00:00Z`)
      return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d
    }, `${what} is not a date of the calendar`)

/** The provision waived: one duty of the code (its number), or the code as a whole. */
export const WAIVER_PROVISIONS = ['code', ...DUTIES.map((d) => String(d.number))] as const

export function provisionWords(dutyNumber: number | null): string {
  if (dutyNumber === null) return 'The Code of Ethics as a whole'
  const duty = DUTIES.find((d) => d.number === dutyNumber)
  return `Duty ${dutyNumber}${duty ? ` — ${duty.title}` : ''}`
}

export const newWaiverSchema = z
  .object({
    provision: z.enum(WAIVER_PROVISIONS, { error: 'Choose the provision waived: one duty of the code, or the code as a whole' }),
    officerUserId: z
      .string({ error: 'Choose the officer the waiver is granted to' })
      .trim()
      .min(1, 'Choose the officer the waiver is granted to'),
    reason: z
      .string({ error: 'Give the reason for the waiver' })
      .trim()
      .min(1, 'Give the reason for the waiver')
      .max(5000, 'The reason is longer than 5,000 characters')
      .refine((s) => !s.includes('\0'), 'The reason contains a character that cannot be stored'),
    approver: z.enum(['board', 'committee'], { error: 'Say who approved the waiver: the Board, or a committee it named' }),
    committeeName: z.string().trim().max(200, 'The committee’s name is longer than 200 characters').optional(),
    approvedOn: calendarDate('The date of approval'),
  })
  .superRefine((w, ctx) => {
    if (w.approver === 'committee' && !w.committeeName) {
      ctx.addIssue({ code: 'custom', path: ['committeeName'], message: 'Name the committee the Board named to approve it' })
    }
  })
  .transform((w) => ({
    dutyNumber: w.provision === 'code' ? null : Number(w.provision),
    officerUserId: w.officerUserId,
    reason: w.reason,
    approver: w.approver,
    committeeName: w.approver === 'committee' ? w.committeeName! : null,
    approvedOn: w.approvedOn,
  }))
export type NewWaiver = z.output<typeof newWaiverSchema>

export const WAIVER_OFFICER_ROLES = OFFICER_ROLES

export const waiverDisclosureSchema = z
  .object({
    waiverId: z.string({ error: 'Say which waiver was disclosed' }).trim().min(1, 'Say which waiver was disclosed'),
    kind: z.enum(['form_8k', 'website'], { error: 'Say how it was disclosed: on Form 8-K, or on the website' }),
    accessionNumber: z.string().trim().optional(),
    websiteUrl: z.string().trim().optional(),
    disclosedOn: calendarDate('The date of disclosure'),
  })
  .superRefine((d, ctx) => {
    if (d.kind === 'form_8k' && !/^\d{10}-\d{2}-\d{6}$/.test(d.accessionNumber ?? '')) {
      ctx.addIssue({
        code: 'custom',
        path: ['accessionNumber'],
        message: 'The Form 8-K’s accession number must read like 0000719413-12-000045 (ten digits, two, six)',
      })
    }
    if (d.kind === 'website') {
      let ok = false
      try {
        const url = new URL(d.websiteUrl ?? '')
        ok = (url.protocol === 'https:' || url.protocol === 'http:') && (d.websiteUrl ?? '').length <= 2000
      } catch {
        ok = false
      }
      if (!ok)
        ctx.addIssue({
          code: 'custom',
          path: ['websiteUrl'],
          message: 'The website address must be a full address such as https://www.hecla.com/…',
        })
    }
  })
  .transform((d) => ({
    waiverId: d.waiverId,
    kind: d.kind,
    accessionNumber: d.kind === 'form_8k' ? d.accessionNumber! : null,
    websiteUrl: d.kind === 'website' ? d.websiteUrl! : null,
    disclosedOn: d.disclosedOn,
  }))
export type NewWaiverDisclosure = z.output<typeof waiverDisclosureSchema>

export type WaiverStanding = 'disclosed_on_time' | 'disclosed_late' | 'due' | 'overdue'

export interface WaiverStatus {
  dueOn: string
  standing: WaiverStanding
  words: string
}

/** Where a waiver stands on `today`: its Form 8-K due date, and whether it was disclosed by then. */
export function waiverStatus(input: { approvedOn: string; disclosedOn: string | null; today: string }): WaiverStatus {
  const dueOn = form8KWaiverDisclosureDue(input.approvedOn)
  const due = calendarDateWords(dueOn)
  if (input.disclosedOn !== null) {
    const late = daysLeft(dueOn, input.disclosedOn) < 0
    return late
      ? { dueOn, standing: 'disclosed_late', words: `Disclosed on ${calendarDateWords(input.disclosedOn)}, after the due date of ${due}` }
      : { dueOn, standing: 'disclosed_on_time', words: `Disclosed on ${calendarDateWords(input.disclosedOn)}, by the due date of ${due}` }
  }
  const left = daysLeft(dueOn, input.today)
  if (left < 0) {
    const days = -left
    return { dueOn, standing: 'overdue', words: `Overdue: not disclosed, due ${due} (${days === 1 ? 'one day' : `${days} days`} ago)` }
  }
  return { dueOn, standing: 'due', words: left === 0 ? `Not disclosed yet: due today, ${due}` : `Not disclosed yet: due ${due}` }
}
