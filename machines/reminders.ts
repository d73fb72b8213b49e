// Reminders before a periodic report's SEC deadline, and the daily digest (issue 11).
// Pure: the caller hands in today's date, the report's due date (and its Form
// 12b-25 extended date) and what each person still owes; the business-day
// calendar is machines/filing-deadline.ts's (weekends, federal holidays as
// observed, Rule 0-3), so a reminder counts the days the SEC counts.
import { businessDaysAfter, isBusinessDay } from './filing-deadline'
import type { OfficerRole } from './roles'

/** The business days before the due date on which a reminder goes out (issue 11). */
export const REMINDER_BUSINESS_DAYS = [10, 5, 2, 1] as const
export type ReminderDays = (typeof REMINDER_BUSINESS_DAYS)[number]

/**
 * The date the reminders count down to: the Form 12b-25 extended date once the
 * notification is recorded (Rule 12b-25(b): the report is then timely up to it),
 * the due date otherwise.
 */
export function reminderDeadline(input: { dueDate: string; extendedDueDate: string | null }): string {
  return input.extendedDueDate ?? input.dueDate
}

/**
 * Whether `today` is one of the reminder days of `deadline`, and which: the
 * business day that is exactly 10, 5, 2 or 1 business days before it. Only a
 * business day is one: from a Saturday "one business day" lands on the same
 * Monday as from the Friday, and a reminder is sent once.
 */
export function reminderDaysLeft(today: string, deadline: string, extraClosures?: readonly string[]): ReminderDays | null {
  if (today >= deadline || !isBusinessDay(today, extraClosures)) return null
  for (const n of REMINDER_BUSINESS_DAYS) if (businessDaysAfter(today, n, extraClosures) === deadline) return n
  return null
}

/** What a report still waits for, from the people who hold its steps (db/outbox/reminders.ts reads them). */
export interface PendingSteps {
  /** 'certification', 'committeeReview', 'awaitingApprovalForFiling'; anything else has nothing to remind of. */
  reportState: string
  /** Per officer's user id: the duties not yet signed (certification only). */
  unsignedDuties: ReadonlyArray<{ userId: string; role: OfficerRole; dutyNumbers: readonly number[] }>
  disclosureCommitteeDone: boolean
  auditCommitteeDone: boolean
  approvals: { ceo: boolean; cfo: boolean }
  /** The members of each committee (never a subject of a matter on the report: the caller leaves them out). */
  disclosureCommittee: readonly string[]
  auditCommittee: readonly string[]
  /** The officers holding the CEO's and the CFO's approvals. */
  officerUserIds: Partial<Record<OfficerRole, string>>
}

export interface Reminder {
  userId: string
  daysLeft: ReminderDays
  /** What the person still has to do, in words. */
  pending: string
}

/**
 * Who is reminded today, and of what: officers with unsigned duties while the
 * report is in certification, the members of a committee whose step is pending
 * in committee review, the CEO and CFO whose approval for filing is pending.
 * None once the step is done; none on a day that is not a reminder day.
 */
export function selectReminders(input: {
  today: string
  dueDate: string
  extendedDueDate: string | null
  steps: PendingSteps
  extraClosures?: readonly string[]
}): Reminder[] {
  const daysLeft = reminderDaysLeft(input.today, reminderDeadline(input), input.extraClosures)
  if (daysLeft === null) return []
  const s = input.steps
  const out = new Map<string, string[]>()
  const add = (userId: string | undefined, what: string) => {
    if (!userId) return
    out.set(userId, [...(out.get(userId) ?? []), what])
  }
  if (s.reportState === 'certification') {
    for (const o of s.unsignedDuties)
      if (o.dutyNumbers.length > 0) add(o.userId, `sign duties ${o.dutyNumbers.join(', ')} (${o.dutyNumbers.length} of 12 still unsigned)`)
  } else if (s.reportState === 'committeeReview') {
    if (!s.disclosureCommitteeDone) for (const u of s.disclosureCommittee) add(u, 'the Disclosure Committee’s approval')
    if (!s.auditCommitteeDone) for (const u of s.auditCommittee) add(u, 'the Audit Committee’s review')
  } else if (s.reportState === 'awaitingApprovalForFiling') {
    if (!s.approvals.ceo) add(s.officerUserIds.ceo, 'your approval for filing (as CEO)')
    if (!s.approvals.cfo) add(s.officerUserIds.cfo, 'your approval for filing (as CFO)')
  }
  return [...out].map(([userId, what]) => ({ userId, daysLeft, pending: what.join('; ') }))
}

/**
 * More than this many mails on one day to one person in "immediate" mode, and the
 * rest of that day's wait for the digest: "a daily digest instead of one mail per
 * event for anyone with more than a few events a day" (issue 11).
 */
export const IMMEDIATE_MAILS_A_DAY = 3

/** Whether a mail goes now or waits for the person's digest of the day. */
export function deliveryOf(input: {
  mode: 'immediate' | 'digest'
  alwaysImmediate: boolean
  /** Mails already sent (or queued) on their own to this person today. */
  immediateToday: number
}): 'now' | 'digest' {
  if (input.alwaysImmediate) return 'now'
  if (input.mode === 'digest') return 'digest'
  return input.immediateToday < IMMEDIATE_MAILS_A_DAY ? 'now' : 'digest'
}

/** The calendar date of an instant in the company's time zone (Hecla: America/Los_Angeles). */
export function companyDay(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant)
}

export interface HeldMail {
  id: number
  userId: string
  /** The company day it was written on. */
  day: string
}

/**
 * The digests due: the held mails of each person and day, for every day before
 * `today` (a day's digest goes once that day is over), oldest first.
 */
export function digestsDue(held: readonly HeldMail[], today: string): Array<{ userId: string; day: string; ids: number[] }> {
  const groups = new Map<string, { userId: string; day: string; ids: number[] }>()
  for (const m of held) {
    if (m.day >= today) continue
    const key = `${m.userId}\u0000${m.day}`
    const g = groups.get(key) ?? { userId: m.userId, day: m.day, ids: [] }
    g.ids.push(m.id)
    groups.set(key, g)
  }
  return [...groups.values()].sort((a, b) => (a.day === b.day ? a.userId.localeCompare(b.userId) : a.day.localeCompare(b.day)))
}
