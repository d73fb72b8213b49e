// Every expected date here was worked out apart from the code (Python's
// datetime for the arithmetic and weekdays, OPM's published holiday tables for
// the observed days), not read back from filing-deadline.ts.
import { expect, test } from 'vitest'
import {
  DAYS_AFTER_PERIOD_END,
  businessDaysAfter,
  calendarDateWords,
  daysLeft,
  deadlineWords,
  extendedDueDate,
  filingTimeliness,
  form8KWaiverDisclosureDue,
  notificationAllowed,
  notificationDeadline,
  federalHolidays,
  filingDeadline,
  filingDueDate,
  isBusinessDay,
  isOverdue,
  type FilerCategory,
  type FilingDeadlineInput,
  type Form,
} from './filing-deadline'

test("Hecla's Form 10-Q for the quarter ended 2008-06-30 (large accelerated): day 40 is Saturday 2008-08-09, so it is due Monday 2008-08-11", () => {
  const d = filingDeadline({ form: '10-Q', periodEnd: '2008-06-30', category: 'large_accelerated' })
  expect(d.daysAfterPeriodEnd).toBe(40)
  expect(d.nominalDate).toBe('2008-08-09')
  expect(d.dueDate).toBe('2008-08-11')
  expect(d.skipped).toEqual([
    { date: '2008-08-09', reason: 'Saturday' },
    { date: '2008-08-10', reason: 'Sunday' },
  ])
})

test("Hecla's Form 10-K for fiscal 2012 (large accelerated): day 60 is Friday 2013-03-01 and stays", () => {
  const d = filingDeadline({ form: '10-K', periodEnd: '2012-12-31', category: 'large_accelerated' })
  expect(d.nominalDate).toBe('2013-03-01')
  expect(d.dueDate).toBe('2013-03-01')
  expect(d.skipped).toEqual([])
})

test('the day counts of Forms 10-K and 10-Q by filer category', () => {
  expect(DAYS_AFTER_PERIOD_END).toEqual({
    '10-K': { large_accelerated: 60, accelerated: 75, non_accelerated: 90 },
    '10-Q': { large_accelerated: 40, accelerated: 40, non_accelerated: 45 },
  })
})

const combinations: [Form, FilerCategory, string, string, string][] = [
  // form, category, period end, nominal date, due date
  ['10-K', 'large_accelerated', '2022-12-31', '2023-03-01', '2023-03-01'],
  ['10-K', 'accelerated', '2022-12-31', '2023-03-16', '2023-03-16'],
  ['10-K', 'non_accelerated', '2022-12-31', '2023-03-31', '2023-03-31'],
  ['10-Q', 'large_accelerated', '2024-03-31', '2024-05-10', '2024-05-10'],
  ['10-Q', 'accelerated', '2024-03-31', '2024-05-10', '2024-05-10'],
  ['10-Q', 'non_accelerated', '2024-03-31', '2024-05-15', '2024-05-15'],
  // Fiscal years ending September 30, 2025: most of them land on a weekend.
  ['10-K', 'large_accelerated', '2025-09-30', '2025-11-29', '2025-12-01'],
  ['10-K', 'accelerated', '2025-09-30', '2025-12-14', '2025-12-15'],
  ['10-K', 'non_accelerated', '2025-09-30', '2025-12-29', '2025-12-29'],
  ['10-Q', 'large_accelerated', '2025-09-30', '2025-11-09', '2025-11-10'],
  ['10-Q', 'accelerated', '2025-09-30', '2025-11-09', '2025-11-10'],
  ['10-Q', 'non_accelerated', '2025-09-30', '2025-11-14', '2025-11-14'],
]

test.each(combinations)('Form %s, %s filer, period ended %s: nominal %s, due %s', (form, category, periodEnd, nominal, due) => {
  const d = filingDeadline({ form, periodEnd, category })
  expect(d.nominalDate).toBe(nominal)
  expect(d.dueDate).toBe(due)
  expect(filingDueDate({ form, periodEnd, category })).toBe(due)
})

test('the leap day counts: 60 days after 2023-12-31 is 2024-02-29, and 90 days is Saturday 2024-03-30, due Monday 2024-04-01', () => {
  expect(filingDeadline({ form: '10-K', periodEnd: '2023-12-31', category: 'large_accelerated' }).dueDate).toBe('2024-02-29')
  const d = filingDeadline({ form: '10-K', periodEnd: '2023-12-31', category: 'non_accelerated' })
  expect(d.nominalDate).toBe('2024-03-30')
  expect(d.dueDate).toBe('2024-04-01')
})

test('a due date on a Sunday moves to the Monday', () => {
  const d = filingDeadline({ form: '10-K', periodEnd: '2025-09-30', category: 'accelerated' })
  expect(d.skipped).toEqual([{ date: '2025-12-14', reason: 'Sunday' }])
  expect(d.dueDate).toBe('2025-12-15')
})

test('Independence Day 2026 is a Saturday, observed Friday 2026-07-03; a due date on that Friday moves to Monday 2026-07-06', () => {
  expect(federalHolidays(2026).find((h) => h.name === 'Independence Day')).toEqual({
    date: '2026-07-04',
    name: 'Independence Day',
    observed: '2026-07-03',
  })
  const d = filingDeadline({ form: '10-Q', periodEnd: '2026-05-24', category: 'large_accelerated' })
  expect(d.nominalDate).toBe('2026-07-03')
  expect(d.dueDate).toBe('2026-07-06')
  expect(d.skipped).toEqual([
    { date: '2026-07-03', reason: 'federal holiday', holiday: 'Independence Day' },
    { date: '2026-07-04', reason: 'Saturday' },
    { date: '2026-07-05', reason: 'Sunday' },
  ])
})

test('a holiday on a Sunday is observed the Monday after (Christmas 2022 → Monday 2022-12-26)', () => {
  expect(federalHolidays(2022).find((h) => h.name === 'Christmas Day')?.observed).toBe('2022-12-26')
  expect(isBusinessDay('2022-12-26')).toBe(false)
  expect(isBusinessDay('2022-12-27')).toBe(true)
})

test("New Year's Day 2022 (a Saturday) is observed Friday 2021-12-31, across the year boundary", () => {
  expect(federalHolidays(2022)[0]).toEqual({ date: '2022-01-01', name: "New Year's Day", observed: '2021-12-31' })
  expect(isBusinessDay('2021-12-31')).toBe(false)
  const d = filingDeadline({ form: '10-Q', periodEnd: '2021-11-21', category: 'accelerated' })
  expect(d.nominalDate).toBe('2021-12-31')
  expect(d.skipped[0]).toEqual({ date: '2021-12-31', reason: 'federal holiday', holiday: "New Year's Day" })
  expect(d.dueDate).toBe('2022-01-03')
})

test('the federal holidays of 2026, as OPM publishes them', () => {
  expect(federalHolidays(2026)).toEqual([
    { date: '2026-01-01', name: "New Year's Day", observed: '2026-01-01' },
    { date: '2026-01-19', name: 'Birthday of Martin Luther King, Jr.', observed: '2026-01-19' },
    { date: '2026-02-16', name: "Washington's Birthday", observed: '2026-02-16' },
    { date: '2026-05-25', name: 'Memorial Day', observed: '2026-05-25' },
    { date: '2026-06-19', name: 'Juneteenth National Independence Day', observed: '2026-06-19' },
    { date: '2026-07-04', name: 'Independence Day', observed: '2026-07-03' },
    { date: '2026-09-07', name: 'Labor Day', observed: '2026-09-07' },
    { date: '2026-10-12', name: 'Columbus Day', observed: '2026-10-12' },
    { date: '2026-11-11', name: 'Veterans Day', observed: '2026-11-11' },
    { date: '2026-11-26', name: 'Thanksgiving Day', observed: '2026-11-26' },
    { date: '2026-12-25', name: 'Christmas Day', observed: '2026-12-25' },
  ])
})

test('the observed days of 2021, as OPM publishes them (three fixed holidays on weekends)', () => {
  expect(federalHolidays(2021).map((h) => h.observed)).toEqual([
    '2021-01-01',
    '2021-01-18',
    '2021-02-15',
    '2021-05-31',
    '2021-06-18',
    '2021-07-05',
    '2021-09-06',
    '2021-10-11',
    '2021-11-11',
    '2021-11-25',
    '2021-12-24',
  ])
})

test('Juneteenth is a holiday from 2021 on, not before', () => {
  expect(federalHolidays(2020).some((h) => h.name.startsWith('Juneteenth'))).toBe(false)
  expect(federalHolidays(2020)).toHaveLength(10)
  // Friday 2020-06-19 was an ordinary business day.
  expect(filingDeadline({ form: '10-Q', periodEnd: '2020-05-05', category: 'non_accelerated' }).dueDate).toBe('2020-06-19')
  // Juneteenth 2021 fell on a Saturday: observed Friday 2021-06-18.
  expect(filingDeadline({ form: '10-Q', periodEnd: '2021-05-04', category: 'non_accelerated' }).dueDate).toBe('2021-06-21')
  // Monday 2023-06-19.
  expect(filingDeadline({ form: '10-Q', periodEnd: '2023-05-05', category: 'non_accelerated' }).dueDate).toBe('2023-06-20')
})

test('Martin Luther King Jr. Day is a holiday from 1986 on, on the third Monday of January', () => {
  expect(federalHolidays(1985).some((h) => h.name.includes('Martin Luther King'))).toBe(false)
  expect(federalHolidays(1986)[1]).toEqual({
    date: '1986-01-20',
    name: 'Birthday of Martin Luther King, Jr.',
    observed: '1986-01-20',
  })
})

test("a Saturday due date before Monday's Washington's Birthday moves to Tuesday (10-Q, quarter ended 2025-12-31, non-accelerated)", () => {
  const d = filingDeadline({ form: '10-Q', periodEnd: '2025-12-31', category: 'non_accelerated' })
  expect(d.nominalDate).toBe('2026-02-14')
  expect(d.dueDate).toBe('2026-02-17')
  expect(d.skipped.map((s) => s.reason)).toEqual(['Saturday', 'Sunday', 'federal holiday'])
})

test('a Saturday due date before Monday Veterans Day moves to Tuesday (10-Q, quarter ended 2024-09-30, large accelerated)', () => {
  expect(filingDueDate({ form: '10-Q', periodEnd: '2024-09-30', category: 'large_accelerated' })).toBe('2024-11-12')
})

test("a Saturday due date before a Sunday New Year's Day observed Monday moves to Tuesday (10-K, fiscal year ended 2017-10-31)", () => {
  const d = filingDeadline({ form: '10-K', periodEnd: '2017-10-31', category: 'large_accelerated' })
  expect(d.nominalDate).toBe('2017-12-30')
  expect(d.dueDate).toBe('2018-01-02')
  expect(d.skipped).toEqual([
    { date: '2017-12-30', reason: 'Saturday' },
    { date: '2017-12-31', reason: 'Sunday' },
    { date: '2018-01-01', reason: 'federal holiday', holiday: "New Year's Day" },
  ])
})

test('an extra closure moves the due date: the national day of mourning for President Carter, Thursday 2025-01-09', () => {
  const input: FilingDeadlineInput = { form: '10-Q', periodEnd: '2024-11-30', category: 'large_accelerated' }
  expect(filingDueDate(input)).toBe('2025-01-09')
  const d = filingDeadline({ ...input, extraClosures: ['2025-01-09'] })
  expect(d.dueDate).toBe('2025-01-10')
  expect(d.skipped).toEqual([{ date: '2025-01-09', reason: 'SEC closure' }])
})

test('two consecutive closures move the due date two days (2018-12-05 and a second, hypothetical 2018-12-06)', () => {
  const input: FilingDeadlineInput = { form: '10-Q', periodEnd: '2018-10-26', category: 'accelerated' }
  expect(filingDueDate({ ...input, extraClosures: ['2018-12-05'] })).toBe('2018-12-06')
  expect(filingDueDate({ ...input, extraClosures: ['2018-12-06', '2018-12-05'] })).toBe('2018-12-07')
})

test('a closure on a Friday carries the due date over the weekend to Monday, or to Tuesday before a Monday holiday', () => {
  expect(filingDueDate({ form: '10-Q', periodEnd: '2024-12-01', category: 'large_accelerated', extraClosures: ['2025-01-10'] })).toBe(
    '2025-01-13',
  )
  // Friday 2025-01-17, then the weekend, then Martin Luther King Jr. Day.
  expect(filingDueDate({ form: '10-Q', periodEnd: '2024-12-08', category: 'large_accelerated', extraClosures: ['2025-01-17'] })).toBe(
    '2025-01-21',
  )
})

test('a closure that is not on the way changes nothing', () => {
  expect(
    filingDueDate({ form: '10-Q', periodEnd: '2024-12-01', category: 'large_accelerated', extraClosures: ['2025-01-11', '2025-01-14'] }),
  ).toBe('2025-01-10')
  expect(filingDueDate({ form: '10-Q', periodEnd: '2024-12-01', category: 'large_accelerated', extraClosures: [] })).toBe('2025-01-10')
})

test('isBusinessDay knows weekends, observed holidays and extra closures', () => {
  expect(isBusinessDay('2026-07-02')).toBe(true)
  expect(isBusinessDay('2026-07-03')).toBe(false)
  expect(isBusinessDay('2026-07-04')).toBe(false)
  expect(isBusinessDay('2026-07-06')).toBe(true)
  expect(isBusinessDay('2026-07-06', ['2026-07-06'])).toBe(false)
})

test('daysLeft counts calendar days: positive before, 0 on, negative after the due date', () => {
  expect(daysLeft('2008-08-11', '2008-08-01')).toBe(10)
  expect(daysLeft('2008-08-11', '2008-08-11')).toBe(0)
  expect(daysLeft('2008-08-11', '2008-08-12')).toBe(-1)
  expect(daysLeft('2025-01-01', '2024-12-31')).toBe(1)
  expect(daysLeft('2024-03-01', '2024-02-28')).toBe(2)
  // Across the start and end of daylight saving time in the U.S.
  expect(daysLeft('2024-03-11', '2024-03-09')).toBe(2)
  expect(daysLeft('2026-11-01', '2026-03-08')).toBe(238)
})

test('isOverdue: timely through the due date, overdue from the day after', () => {
  expect(isOverdue('2008-08-11', '2008-08-10')).toBe(false)
  expect(isOverdue('2008-08-11', '2008-08-11')).toBe(false)
  expect(isOverdue('2008-08-11', '2008-08-12')).toBe(true)
  expect(isOverdue('2008-08-11', '2009-01-01')).toBe(true)
})

test('the local time zone of the process does not change any date', () => {
  const saved = process.env.TZ
  try {
    for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles', 'Pacific/Pago_Pago']) {
      process.env.TZ = tz
      expect(filingDueDate({ form: '10-Q', periodEnd: '2008-06-30', category: 'large_accelerated' })).toBe('2008-08-11')
      expect(federalHolidays(2022)[0]?.observed).toBe('2021-12-31')
      expect(daysLeft('2024-03-11', '2024-03-09')).toBe(2)
    }
  } finally {
    if (saved === undefined) delete process.env.TZ
    else process.env.TZ = saved
  }
})

test('years before 100 are not read as 19xx', () => {
  // 1 January 50 was a Saturday in the proleptic Gregorian calendar (1 January 1950 a Sunday).
  expect(federalHolidays(50)[0]).toEqual({ date: '0050-01-01', name: "New Year's Day", observed: '0049-12-31' })
  expect(daysLeft('0100-01-01', '0099-01-01')).toBe(365)
})

test.each([
  ['2023-02-30', 'not a real calendar date'],
  ['2023-02-29', 'not a real calendar date'],
  ['2024-13-01', 'not a real calendar date'],
  ['2024-00-10', 'not a real calendar date'],
  ['0000-01-01', 'not a real calendar date'],
  ['2024-6-30', "not a date in the form 'YYYY-MM-DD'"],
  ['06/30/2024', "not a date in the form 'YYYY-MM-DD'"],
  ['2024-06-30T00:00:00Z', "not a date in the form 'YYYY-MM-DD'"],
  [' 2024-06-30', "not a date in the form 'YYYY-MM-DD'"],
  ['', "not a date in the form 'YYYY-MM-DD'"],
])('a bad period end %j throws "%s"', (periodEnd, message) => {
  expect(() => filingDeadline({ form: '10-Q', periodEnd, category: 'accelerated' })).toThrow(message)
  expect(() => filingDeadline({ form: '10-Q', periodEnd, category: 'accelerated' })).toThrow('Invalid periodEnd')
})

test('a period end that is not a string throws', () => {
  const periodEnd = new Date(Date.UTC(2024, 5, 30)) as unknown as string
  expect(() => filingDeadline({ form: '10-Q', periodEnd, category: 'accelerated' })).toThrow(
    "Invalid periodEnd: expected a 'YYYY-MM-DD' string, got object",
  )
})

test('a bad form, filer category or input object throws', () => {
  expect(() => filingDeadline({ form: '8-K' as Form, periodEnd: '2024-06-30', category: 'accelerated' })).toThrow("Invalid form: '8-K'")
  expect(() => filingDeadline({ form: '10-K', periodEnd: '2024-06-30', category: 'smaller_reporting' as FilerCategory })).toThrow(
    "Invalid filer category: 'smaller_reporting'",
  )
  expect(() => filingDeadline(null as unknown as FilingDeadlineInput)).toThrow('Invalid input')
})

test('a bad extra closure date throws and names its position', () => {
  const input: FilingDeadlineInput = { form: '10-Q', periodEnd: '2024-06-30', category: 'accelerated' }
  expect(() => filingDeadline({ ...input, extraClosures: ['2024-08-09', '2024-8-12'] })).toThrow('Invalid extraClosures[1]')
  expect(() => filingDeadline({ ...input, extraClosures: '2024-08-09' as unknown as string[] })).toThrow('Invalid extraClosures')
  expect(() => isBusinessDay('2024-08-09', ['2024-02-30'])).toThrow('Invalid extraClosures[0]')
})

test('daysLeft, isOverdue, isBusinessDay and federalHolidays reject bad input', () => {
  expect(() => daysLeft('2024-02-30', '2024-01-01')).toThrow('Invalid dueDate')
  expect(() => daysLeft('2024-03-01', 'today')).toThrow('Invalid today')
  expect(() => isOverdue('2024-03-01', '2024/03/02')).toThrow('Invalid today')
  expect(() => isBusinessDay('2024-04-31')).toThrow('Invalid date')
  expect(() => federalHolidays(2024.5)).toThrow('Invalid year')
  expect(() => federalHolidays(0)).toThrow('Invalid year')
  expect(() => federalHolidays(10000)).toThrow('Invalid year')
})

test('a due date past year 9999 throws rather than printing a malformed date', () => {
  expect(() => filingDeadline({ form: '10-K', periodEnd: '9999-12-01', category: 'non_accelerated' })).toThrow(RangeError)
})

// Rule 12b-25: the notification, the extension, and how a filing stands.

test("a 10-K's extension is 15 calendar days: Hecla's FY2012 10-K, due Friday 2013-03-01, +15 is Saturday 2013-03-16, so Monday 2013-03-18", () => {
  expect(extendedDueDate({ form: '10-K', dueDate: '2013-03-01' })).toBe('2013-03-18')
})

test('a 10-K extension landing on Independence Day moves to the next day: due Wednesday 2019-06-19, +15 is Thursday 2019-07-04, so Friday 2019-07-05', () => {
  expect(extendedDueDate({ form: '10-K', dueDate: '2019-06-19' })).toBe('2019-07-05')
})

test('a 10-K extension landing on Thanksgiving moves to the Friday after: due Wednesday 2025-11-12, +15 is Thursday 2025-11-27, so 2025-11-28', () => {
  expect(extendedDueDate({ form: '10-K', dueDate: '2025-11-12' })).toBe('2025-11-28')
})

test("a 10-Q's extension is 5 calendar days: Hecla's Q2 2008 10-Q, due Monday 2008-08-11, +5 is Saturday 2008-08-16, so Monday 2008-08-18", () => {
  expect(extendedDueDate({ form: '10-Q', dueDate: '2008-08-11' })).toBe('2008-08-18')
  // An ordinary week: due Tuesday 2024-11-12, +5 is Sunday 2024-11-17, so Monday.
  expect(extendedDueDate({ form: '10-Q', dueDate: '2024-11-12' })).toBe('2024-11-18')
  // Due Wednesday 2024-05-08, +5 is Monday 2024-05-13: a business day, it stays.
  expect(extendedDueDate({ form: '10-Q', dueDate: '2024-05-08' })).toBe('2024-05-13')
})

test('a 10-Q extension landing on a Saturday before Labor Day moves to Tuesday: due Monday 2026-08-31, +5 is Saturday 2026-09-05, so 2026-09-08', () => {
  expect(extendedDueDate({ form: '10-Q', dueDate: '2026-08-31' })).toBe('2026-09-08')
})

test('an SEC closure on the extended date moves it too', () => {
  expect(extendedDueDate({ form: '10-Q', dueDate: '2024-05-08', extraClosures: ['2024-05-13'] })).toBe('2024-05-14')
})

test('the notification is due no later than one business day after the due date: a Friday due date gives the Monday', () => {
  expect(notificationDeadline({ dueDate: '2013-03-01' })).toBe('2013-03-04')
  // Friday 2026-02-13, then the weekend and Washington's Birthday (Monday 2026-02-16): Tuesday.
  expect(notificationDeadline({ dueDate: '2026-02-13' })).toBe('2026-02-17')
  // Midweek: the next day.
  expect(notificationDeadline({ dueDate: '2024-05-08' })).toBe('2024-05-09')
  // A closure on the next day carries it on.
  expect(notificationDeadline({ dueDate: '2024-05-08', extraClosures: ['2024-05-09'] })).toBe('2024-05-10')
})

test('a notification is allowed up to that one business day, and refused from the next day on', () => {
  const dueDate = '2013-03-01'
  expect(notificationAllowed({ dueDate, on: '2013-02-25' })).toBe(true)
  expect(notificationAllowed({ dueDate, on: '2013-03-01' })).toBe(true)
  expect(notificationAllowed({ dueDate, on: '2013-03-02' })).toBe(true)
  expect(notificationAllowed({ dueDate, on: '2013-03-04' })).toBe(true)
  expect(notificationAllowed({ dueDate, on: '2013-03-05' })).toBe(false)
  expect(notificationAllowed({ dueDate, on: '2014-03-01' })).toBe(false)
})

test('filing timeliness: before, on, within the extension (timely), and late from the day after the extended due date', () => {
  const dueDate = '2013-03-01'
  const extended = extendedDueDate({ form: '10-K', dueDate })
  expect(filingTimeliness({ dueDate, extendedDueDate: extended, filedOn: '2013-02-28' })).toBe('beforeDueDate')
  expect(filingTimeliness({ dueDate, extendedDueDate: null, filedOn: '2013-03-01' })).toBe('onDueDate')
  expect(filingTimeliness({ dueDate, extendedDueDate: extended, filedOn: '2013-03-01' })).toBe('onDueDate')
  expect(filingTimeliness({ dueDate, extendedDueDate: extended, filedOn: '2013-03-04' })).toBe('withinExtension')
  expect(filingTimeliness({ dueDate, extendedDueDate: extended, filedOn: '2013-03-18' })).toBe('withinExtension')
  expect(filingTimeliness({ dueDate, extendedDueDate: extended, filedOn: '2013-03-19' })).toBe('late')
})

test('without a notification there is no extension: the day after the due date is late', () => {
  expect(filingTimeliness({ dueDate: '2008-08-11', extendedDueDate: null, filedOn: '2008-08-12' })).toBe('late')
  expect(filingTimeliness({ dueDate: '2008-08-11', extendedDueDate: '2008-08-18', filedOn: '2008-08-12' })).toBe('withinExtension')
})

test('an extended due date before the due date, or a bad date, is refused', () => {
  expect(() => filingTimeliness({ dueDate: '2013-03-01', extendedDueDate: '2013-02-28', filedOn: '2013-03-01' })).toThrow(
    'Invalid extendedDueDate',
  )
  expect(() => filingTimeliness({ dueDate: '2013-03-01', extendedDueDate: null, filedOn: '2013-3-1' })).toThrow('Invalid filedOn')
  expect(() => extendedDueDate({ form: '8-K' as Form, dueDate: '2013-03-01' })).toThrow("Invalid form: '8-K'")
  expect(() => extendedDueDate({ form: '10-K', dueDate: '2013-02-30' })).toThrow('Invalid dueDate')
  expect(() => notificationAllowed({ dueDate: '2013-03-01', on: 'tomorrow' })).toThrow('Invalid on')
})

test('businessDaysAfter counts only days the SEC is open, never the starting day', () => {
  expect(businessDaysAfter('2026-07-01', 1)).toBe('2026-07-02')
  // Thursday 2026-07-02, then Independence Day observed on Friday 2026-07-03 and the weekend.
  expect(businessDaysAfter('2026-07-02', 1)).toBe('2026-07-06')
  expect(businessDaysAfter('2026-07-02', 2)).toBe('2026-07-07')
  expect(businessDaysAfter('2026-07-06', 1, ['2026-07-07'])).toBe('2026-07-08')
  expect(() => businessDaysAfter('2026-07-02', 0)).toThrow('Invalid number of business days')
  expect(() => businessDaysAfter('2026-07-02', 1.5)).toThrow('Invalid number of business days')
})

test('a waiver for a certifying officer is disclosed on Form 8-K within four business days, across a holiday weekend', () => {
  // Approved Thursday 2026-07-02: Friday 2026-07-03 is Independence Day observed, then the weekend: Mon, Tue, Wed, Thu.
  expect(form8KWaiverDisclosureDue('2026-07-02')).toBe('2026-07-09')
  // Approved Tuesday before Thanksgiving 2026: Wed 25, (Thu 26 closed), Fri 27, Mon 30, Tue Dec 1.
  expect(form8KWaiverDisclosureDue('2026-11-24')).toBe('2026-12-01')
  // Approved on Saturday 2026-01-17: Monday is Martin Luther King Jr. Day, so the count starts Tuesday 2026-01-20.
  expect(form8KWaiverDisclosureDue('2026-01-17')).toBe('2026-01-23')
  // An ordinary week: Monday to Friday.
  expect(form8KWaiverDisclosureDue('2024-05-06')).toBe('2024-05-10')
})

test('deadline words for a card: days to go, today, overdue by days', () => {
  expect(deadlineWords({ dueDate: '2027-03-01', today: '2027-02-17' })).toBe('Due in 12 days')
  expect(deadlineWords({ dueDate: '2027-03-01', today: '2027-02-28' })).toBe('Due in 1 day')
  expect(deadlineWords({ dueDate: '2027-03-01', today: '2027-03-01' })).toBe('Due today')
  expect(deadlineWords({ dueDate: '2027-03-01', today: '2027-03-02' })).toBe('Overdue by 1 day')
  expect(deadlineWords({ dueDate: '2027-03-01', today: '2027-03-04' })).toBe('Overdue by 3 days')
  expect(deadlineWords({ dueDate: '2027-03-01', today: '2028-02-29' })).toBe('Overdue by 365 days')
})

test('more than 365 days past and not filed: the deadline is named, not counted in thousands of days', () => {
  expect(deadlineWords({ dueDate: '2027-03-01', today: '2028-03-01' })).toBe('Its deadline, March 1, 2027, passed long ago')
  // The FY2012 10-K of the demo, read on 2026-12-03 (5,025 days after).
  expect(deadlineWords({ dueDate: '2013-03-01', today: '2026-12-03' })).toBe('Its deadline, March 1, 2013, passed long ago')
})

test('deadline words under a Rule 12b-25 extension count to the extended due date, and say so', () => {
  const dueDate = '2013-03-01'
  const extended = '2013-03-18'
  expect(deadlineWords({ dueDate, extendedDueDate: extended, today: '2013-03-04' })).toBe('Due in 14 days (extended)')
  expect(deadlineWords({ dueDate, extendedDueDate: extended, today: '2013-03-18' })).toBe('Due today (extended)')
  expect(deadlineWords({ dueDate, extendedDueDate: extended, today: '2013-03-20' })).toBe('Overdue by 2 days (extended)')
  expect(deadlineWords({ dueDate, extendedDueDate: extended, today: '2026-12-03' })).toBe(
    'Its extended deadline, March 18, 2013, passed long ago',
  )
})

test('deadline words once filed: how the filing stood against the deadline, however long ago', () => {
  expect(deadlineWords({ dueDate: '2008-08-11', today: '2026-12-03', filedOn: '2008-08-08' })).toBe('Filed before the due date')
  expect(deadlineWords({ dueDate: '2008-08-11', today: '2026-12-03', filedOn: '2008-08-11' })).toBe('Filed on the due date')
  expect(deadlineWords({ dueDate: '2008-08-11', today: '2026-12-03', filedOn: '2008-08-14', extendedDueDate: '2008-08-18' })).toBe(
    'Filed within the extension',
  )
  expect(deadlineWords({ dueDate: '2008-08-11', today: '2026-12-03', filedOn: '2008-08-12' })).toBe('Filed late')
  expect(deadlineWords({ dueDate: '2008-08-11', today: '2026-12-03', filedOn: null })).toBe(
    'Its deadline, August 11, 2008, passed long ago',
  )
})

test('calendarDateWords says a date in words, without Intl', () => {
  expect(calendarDateWords('2013-03-01')).toBe('March 1, 2013')
  expect(calendarDateWords('0050-12-31')).toBe('December 31, 50')
  expect(() => calendarDateWords('2013-13-01')).toThrow('Invalid date')
})
