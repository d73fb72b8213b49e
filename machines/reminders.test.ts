import { expect, test } from 'vitest'
import { extendedDueDate } from './filing-deadline'
import { type PendingSteps, companyDay, deliveryOf, digestsDue, reminderDaysLeft, selectReminders } from './reminders'

/** Every reminder day of a deadline between two dates, as `date:n`. */
function reminderDays(deadline: string, from: string, to: string): string[] {
  const out: string[] = []
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    const day = d.toISOString().slice(0, 10)
    const n = reminderDaysLeft(day, deadline)
    if (n !== null) out.push(`${day}:${n}`)
  }
  return out
}

test('reminders fall 10, 5, 2 and 1 business days before the due date, skipping a weekend and a Monday federal holiday', () => {
  // Due Tuesday 12 November 2024; Monday 11 November is Veterans Day, so one
  // business day before is Friday 8 November, not the Monday.
  expect(reminderDays('2024-11-12', '2024-10-01', '2024-11-30')).toEqual(['2024-10-28:10', '2024-11-04:5', '2024-11-07:2', '2024-11-08:1'])
})

test('Martin Luther King Jr. Day and New Year’s Day are not counted', () => {
  // Due Tuesday 20 January 2026; Monday 19 January is a federal holiday.
  expect(reminderDays('2026-01-20', '2025-12-15', '2026-01-31')).toEqual(['2026-01-05:10', '2026-01-12:5', '2026-01-15:2', '2026-01-16:1'])
})

test('no reminder on a weekend, on the due date or after it', () => {
  expect(reminderDaysLeft('2024-11-09', '2024-11-12')).toBeNull() // Saturday
  expect(reminderDaysLeft('2024-11-10', '2024-11-12')).toBeNull() // Sunday
  expect(reminderDaysLeft('2024-11-11', '2024-11-12')).toBeNull() // Veterans Day
  expect(reminderDaysLeft('2024-11-12', '2024-11-12')).toBeNull()
  expect(reminderDaysLeft('2024-11-13', '2024-11-12')).toBeNull()
})

const certification = (unsigned: number[]): PendingSteps => ({
  reportState: 'certification',
  unsignedDuties: [
    { userId: 'user-ceo', role: 'ceo', dutyNumbers: unsigned },
    { userId: 'user-cfo', role: 'cfo', dutyNumbers: [] },
  ],
  disclosureCommitteeDone: false,
  auditCommitteeDone: false,
  approvals: { ceo: false, cfo: false },
  disclosureCommittee: ['user-gc'],
  auditCommittee: ['user-audit-chair'],
  officerUserIds: { ceo: 'user-ceo', cfo: 'user-cfo' },
})

test('after a Form 12b-25 the reminders count down to the extended date instead', () => {
  // FY2012 10-K due Friday 1 March 2013; extended 15 calendar days to Saturday 16, then Monday 18 March.
  const extended = extendedDueDate({ form: '10-K', dueDate: '2013-03-01' })
  expect(extended).toBe('2013-03-18')
  expect(reminderDays(extended, '2013-02-01', '2013-03-31')).toEqual(['2013-03-04:10', '2013-03-11:5', '2013-03-14:2', '2013-03-15:1'])
  // 28 February is one business day before the original date: no reminder once extended.
  const steps = certification([6, 10])
  expect(selectReminders({ today: '2013-02-28', dueDate: '2013-03-01', extendedDueDate: extended, steps })).toEqual([])
  expect(selectReminders({ today: '2013-02-28', dueDate: '2013-03-01', extendedDueDate: null, steps })).toEqual([
    { userId: 'user-ceo', daysLeft: 1, pending: 'sign duties 6, 10 (2 of 12 still unsigned)' },
  ])
  expect(selectReminders({ today: '2013-03-15', dueDate: '2013-03-01', extendedDueDate: extended, steps })).toHaveLength(1)
})

test('officers with unsigned duties in certification; nobody once every duty is signed', () => {
  const at = { today: '2024-11-08', dueDate: '2024-11-12', extendedDueDate: null }
  expect(selectReminders({ ...at, steps: certification([12]) }).map((r) => r.userId)).toEqual(['user-ceo'])
  expect(selectReminders({ ...at, steps: certification([]) })).toEqual([])
})

test('committee members with a pending step in committee review, and none once the step is done', () => {
  const at = { today: '2024-11-08', dueDate: '2024-11-12', extendedDueDate: null }
  const review = { ...certification([]), reportState: 'committeeReview' }
  expect(selectReminders({ ...at, steps: review }).map((r) => r.userId)).toEqual(['user-gc', 'user-audit-chair'])
  expect(selectReminders({ ...at, steps: { ...review, disclosureCommitteeDone: true } }).map((r) => r.userId)).toEqual(['user-audit-chair'])
  const approval = { ...review, reportState: 'awaitingApprovalForFiling', approvals: { ceo: true, cfo: false } }
  expect(selectReminders({ ...at, steps: approval })).toEqual([
    { userId: 'user-cfo', daysLeft: 1, pending: 'your approval for filing (as CFO)' },
  ])
  expect(selectReminders({ ...at, steps: { ...approval, reportState: 'filed' } })).toEqual([])
})

test('immediate mode sends the first few of a day at once and holds the rest; digest mode holds all; a routed case always goes at once', () => {
  expect(deliveryOf({ mode: 'immediate', alwaysImmediate: false, immediateToday: 0 })).toBe('now')
  expect(deliveryOf({ mode: 'immediate', alwaysImmediate: false, immediateToday: 2 })).toBe('now')
  expect(deliveryOf({ mode: 'immediate', alwaysImmediate: false, immediateToday: 3 })).toBe('digest')
  expect(deliveryOf({ mode: 'digest', alwaysImmediate: false, immediateToday: 0 })).toBe('digest')
  expect(deliveryOf({ mode: 'digest', alwaysImmediate: true, immediateToday: 9 })).toBe('now')
})

test('digests batch by person and company day, and only for days that are over', () => {
  const held = [
    { id: 1, userId: 'b', day: '2024-11-07' },
    { id: 2, userId: 'a', day: '2024-11-07' },
    { id: 3, userId: 'a', day: '2024-11-07' },
    { id: 4, userId: 'a', day: '2024-11-06' },
    { id: 5, userId: 'a', day: '2024-11-08' },
  ]
  expect(digestsDue(held, '2024-11-08')).toEqual([
    { userId: 'a', day: '2024-11-06', ids: [4] },
    { userId: 'a', day: '2024-11-07', ids: [2, 3] },
    { userId: 'b', day: '2024-11-07', ids: [1] },
  ])
})

test('the company day is Coeur d’Alene’s (Pacific time), not UTC', () => {
  expect(companyDay(new Date('2024-11-08T06:30:00Z'), 'America/Los_Angeles')).toBe('2024-11-07')
  expect(companyDay(new Date('2024-11-08T08:30:00Z'), 'America/Los_Angeles')).toBe('2024-11-08')
})
