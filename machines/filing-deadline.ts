// When a Form 10-Q or 10-K is due at the SEC. Pure: no clock, no time zones, no
// dependencies. Every date is a plain calendar date 'YYYY-MM-DD'; internally a
// date is a whole number of days since 1970-01-01, built with Date.UTC only, so
// the server's local time zone and daylight saving can never shift a day.

export const FORMS = ['10-Q', '10-K'] as const
export type Form = (typeof FORMS)[number]

export const FILER_CATEGORIES = ['large_accelerated', 'accelerated', 'non_accelerated'] as const
export type FilerCategory = (typeof FILER_CATEGORIES)[number]

/**
 * Days after the end of the period within which the report is due: General
 * Instruction A of Form 10-K and General Instruction A.1 of Form 10-Q.
 */
export const DAYS_AFTER_PERIOD_END: Readonly<Record<Form, Readonly<Record<FilerCategory, number>>>> = {
  '10-K': { large_accelerated: 60, accelerated: 75, non_accelerated: 90 },
  '10-Q': { large_accelerated: 40, accelerated: 40, non_accelerated: 45 },
}

export interface FederalHoliday {
  /** The holiday's own date, e.g. '2026-07-04'. */
  date: string
  name: string
  /**
   * The day federal offices close for it (5 U.S.C. 6103(b)): the Friday before a
   * Saturday holiday, the Monday after a Sunday one, else `date`. New Year's Day
   * on a Saturday is observed on December 31 of the previous year.
   */
  observed: string
}

export interface FilingDeadlineInput {
  form: Form
  /** Last day of the fiscal quarter (10-Q) or fiscal year (10-K). */
  periodEnd: string
  /** The filer category in force for that period. */
  category: FilerCategory
  /**
   * Further days the SEC is closed, e.g. a national day of mourning or another
   * day the President appoints as a holiday (17 CFR 201.104).
   */
  extraClosures?: readonly string[]
}

export interface SkippedDay {
  date: string
  reason: 'Saturday' | 'Sunday' | 'federal holiday' | 'SEC closure'
  /** The holiday's name, when `reason` is 'federal holiday'. */
  holiday?: string
}

export interface FilingDeadline {
  form: Form
  category: FilerCategory
  periodEnd: string
  daysAfterPeriodEnd: number
  /** periodEnd + daysAfterPeriodEnd, before any move for a weekend or holiday. */
  nominalDate: string
  /** The last day the report is timely. */
  dueDate: string
  /** The days between nominalDate and dueDate the report could not be due on, so a UI can say why it moved. */
  skipped: SkippedDay[]
}

const MS_PER_DAY = 86_400_000
// The Gregorian calendar repeats every 400 years (146,097 days). Date.UTC reads
// years 0–99 as 1900–1999, so the year is shifted up 400 and the days taken back.
const DAYS_PER_400_YEARS = 146_097
const MIN_YEAR = 1
const MAX_YEAR = 9999

const SUNDAY = 0
const MONDAY = 1
const THURSDAY = 4
const SATURDAY = 6

/** Days since 1970-01-01 of a calendar date (month 1–12). */
function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year + 400, month - 1, day) / MS_PER_DAY - DAYS_PER_400_YEARS
}

function toParts(n: number): { year: number; month: number; day: number } {
  const d = new Date((n + DAYS_PER_400_YEARS) * MS_PER_DAY)
  return { year: d.getUTCFullYear() - 400, month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

function weekday(n: number): number {
  return new Date((n + DAYS_PER_400_YEARS) * MS_PER_DAY).getUTCDay()
}

function format(n: number): string {
  const { year, month, day } = toParts(n)
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`Date out of range: year ${year} is not between ${MIN_YEAR} and ${MAX_YEAR}`)
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

function parse(value: unknown, what: string): number {
  if (typeof value !== 'string') {
    throw new Error(`Invalid ${what}: expected a 'YYYY-MM-DD' string, got ${typeof value}`)
  }
  const match = DATE_PATTERN.exec(value)
  if (!match) {
    throw new Error(`Invalid ${what}: '${value}' is not a date in the form 'YYYY-MM-DD'`)
  }
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  // Date.UTC would silently roll 2023-02-30 over to March 2; a deadline must
  // never be computed from a date nobody wrote.
  const n = dayNumber(year, month, day)
  const back = toParts(n)
  if (year < MIN_YEAR || back.year !== year || back.month !== month || back.day !== day) {
    throw new Error(`Invalid ${what}: '${value}' is not a real calendar date`)
  }
  return n
}

function checkYear(year: unknown): number {
  if (typeof year !== 'number' || !Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new Error(`Invalid year: expected a whole number from ${MIN_YEAR} to ${MAX_YEAR}, got ${String(year)}`)
  }
  return year
}

/** The nth (1-based) given weekday of a month. */
function nthWeekday(year: number, month: number, wd: number, nth: number): number {
  const first = dayNumber(year, month, 1)
  return first + ((wd - weekday(first) + 7) % 7) + 7 * (nth - 1)
}

function lastWeekday(year: number, month: number, wd: number): number {
  const last = dayNumber(year, month + 1, 0)
  return last - ((weekday(last) - wd + 7) % 7)
}

function observedDay(n: number): number {
  const wd = weekday(n)
  if (wd === SATURDAY) return n - 1
  if (wd === SUNDAY) return n + 1
  return n
}

/**
 * The legal public holidays of 5 U.S.C. 6103(a) falling in `year`, in calendar
 * order. The rules are the statute's current ones (Monday holidays since 1971,
 * Veterans Day back on November 11 since 1978), plus Martin Luther King Jr. Day
 * from 1986 and Juneteenth from 2021; earlier history is not modelled.
 */
export function federalHolidays(year: number): FederalHoliday[] {
  const y = checkYear(year)
  const fixed = (month: number, day: number, name: string) => {
    const n = dayNumber(y, month, day)
    return { n, name, observed: observedDay(n) }
  }
  const floating = (n: number, name: string) => ({ n, name, observed: n })

  const list = [
    fixed(1, 1, "New Year's Day"),
    ...(y >= 1986 ? [floating(nthWeekday(y, 1, MONDAY, 3), 'Birthday of Martin Luther King, Jr.')] : []),
    floating(nthWeekday(y, 2, MONDAY, 3), "Washington's Birthday"),
    floating(lastWeekday(y, 5, MONDAY), 'Memorial Day'),
    ...(y >= 2021 ? [fixed(6, 19, 'Juneteenth National Independence Day')] : []),
    fixed(7, 4, 'Independence Day'),
    floating(nthWeekday(y, 9, MONDAY, 1), 'Labor Day'),
    floating(nthWeekday(y, 10, MONDAY, 2), 'Columbus Day'),
    fixed(11, 11, 'Veterans Day'),
    floating(nthWeekday(y, 11, THURSDAY, 4), 'Thanksgiving Day'),
    fixed(12, 25, 'Christmas Day'),
  ]
  return list.map(({ n, name, observed }) => ({ date: format(n), name, observed: format(observed) }))
}

/** The name of the federal holiday observed on day `n`, if any. */
function holidayObservedOn(n: number): string | undefined {
  const date = format(n)
  const { year } = toParts(n)
  // Next year's New Year's Day can be observed on December 31 of this year.
  const years = year < MAX_YEAR ? [year, year + 1] : [year]
  for (const y of years) {
    const hit = federalHolidays(y).find((h) => h.observed === date)
    if (hit) return hit.name
  }
  return undefined
}

function closureSet(extraClosures: unknown): Set<number> {
  if (extraClosures === undefined) return new Set()
  if (!Array.isArray(extraClosures)) {
    throw new Error("Invalid extraClosures: expected an array of 'YYYY-MM-DD' strings")
  }
  return new Set(extraClosures.map((d, i) => parse(d, `extraClosures[${i}]`)))
}

function whyClosed(n: number, closures: Set<number>): SkippedDay['reason'] | undefined {
  const wd = weekday(n)
  if (wd === SATURDAY) return 'Saturday'
  if (wd === SUNDAY) return 'Sunday'
  if (holidayObservedOn(n)) return 'federal holiday'
  if (closures.has(n)) return 'SEC closure'
  return undefined
}

/**
 * Whether the SEC is open on `date`: not a weekend, not a federal holiday as
 * observed, and not one of `extraClosures` (Exchange Act Rule 0-2).
 */
export function isBusinessDay(date: string, extraClosures?: readonly string[]): boolean {
  return whyClosed(parse(date, 'date'), closureSet(extraClosures)) === undefined
}

/**
 * The due date of a periodic report. Exchange Act Rule 0-3(a) (17 CFR 240.0-3):
 * when the last day for a timely filing falls on a Saturday, Sunday or holiday,
 * the papers may be filed on the first business day following — so the nominal
 * date moves forward, day by day, until the SEC is open.
 */
export function filingDeadline(input: FilingDeadlineInput): FilingDeadline {
  if (typeof input !== 'object' || input === null) {
    throw new Error('Invalid input: expected { form, periodEnd, category, extraClosures? }')
  }
  const { form, periodEnd, category, extraClosures } = input
  if (!(FORMS as readonly unknown[]).includes(form)) {
    throw new Error(`Invalid form: '${String(form)}' (expected one of ${FORMS.join(', ')})`)
  }
  if (!(FILER_CATEGORIES as readonly unknown[]).includes(category)) {
    throw new Error(`Invalid filer category: '${String(category)}' (expected one of ${FILER_CATEGORIES.join(', ')})`)
  }
  const end = parse(periodEnd, 'periodEnd')
  const closures = closureSet(extraClosures)
  const daysAfterPeriodEnd = DAYS_AFTER_PERIOD_END[form][category]

  const nominal = end + daysAfterPeriodEnd
  const skipped: SkippedDay[] = []
  let due = nominal
  for (let reason = whyClosed(due, closures); reason; reason = whyClosed(due, closures)) {
    const date = format(due)
    skipped.push(reason === 'federal holiday' ? { date, reason, holiday: holidayObservedOn(due) } : { date, reason })
    due += 1
  }

  return {
    form,
    category,
    periodEnd,
    daysAfterPeriodEnd,
    nominalDate: format(nominal),
    dueDate: format(due),
    skipped,
  }
}

/** Just the due date of filingDeadline. */
export function filingDueDate(input: FilingDeadlineInput): string {
  return filingDeadline(input).dueDate
}

/** Calendar days from `today` to `dueDate`: 0 on the due date, negative once overdue. */
export function daysLeft(dueDate: string, today: string): number {
  return parse(dueDate, 'dueDate') - parse(today, 'today')
}

/** A report filed on its due date is timely; it is overdue from the day after. */
export function isOverdue(dueDate: string, today: string): boolean {
  return daysLeft(dueDate, today) < 0
}

/** The first business day on or after day `n`. */
function rollToBusinessDay(n: number, closures: Set<number>): number {
  let day = n
  while (whyClosed(day, closures)) day += 1
  return day
}

function checkForm(form: unknown): Form {
  if (!(FORMS as readonly unknown[]).includes(form)) {
    throw new Error(`Invalid form: '${String(form)}' (expected one of ${FORMS.join(', ')})`)
  }
  return form as Form
}

/**
 * The `n`th business day after `date` (n ≥ 1), counting only days the SEC is open
 * and never `date` itself: a day that is not a business day starts no count, so
 * from a Saturday the first business day is the Monday (or the Tuesday after a
 * Monday holiday).
 */
export function businessDaysAfter(date: string, n: number, extraClosures?: readonly string[]): string {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new Error(`Invalid number of business days: expected a whole number of at least 1, got ${String(n)}`)
  }
  const closures = closureSet(extraClosures)
  let day = parse(date, 'date')
  for (let counted = 0; counted < n; counted += 1) day = rollToBusinessDay(day + 1, closures)
  return format(day)
}

/**
 * Calendar days after the prescribed due date that Rule 12b-25(b) (17 CFR
 * 240.12b-25(b)) allows once the notification is filed: the fifteenth calendar
 * day for an annual report, the fifth for a quarterly report.
 */
export const EXTENSION_CALENDAR_DAYS: Readonly<Record<Form, number>> = { '10-K': 15, '10-Q': 5 }

/**
 * The extended due date under Rule 12b-25(b): 15 calendar days after the
 * original due date for a Form 10-K, 5 for a Form 10-Q, then moved to the next
 * business day like any deadline (Rule 0-3).
 */
export function extendedDueDate(input: { form: Form; dueDate: string; extraClosures?: readonly string[] }): string {
  if (typeof input !== 'object' || input === null) throw new Error('Invalid input: expected { form, dueDate, extraClosures? }')
  const form = checkForm(input.form)
  const due = parse(input.dueDate, 'dueDate')
  return format(rollToBusinessDay(due + EXTENSION_CALENDAR_DAYS[form], closureSet(input.extraClosures)))
}

/**
 * The last day the Form 12b-25 notification (NT 10-K, NT 10-Q) may be filed:
 * no later than one business day after the report's due date (Rule 12b-25(a)).
 */
export function notificationDeadline(input: { dueDate: string; extraClosures?: readonly string[] }): string {
  if (typeof input !== 'object' || input === null) throw new Error('Invalid input: expected { dueDate, extraClosures? }')
  return businessDaysAfter(input.dueDate, 1, input.extraClosures)
}

/** Whether a Form 12b-25 notification filed `on` that day is in time: any day up to its deadline. */
export function notificationAllowed(input: { dueDate: string; on: string; extraClosures?: readonly string[] }): boolean {
  if (typeof input !== 'object' || input === null) throw new Error('Invalid input: expected { dueDate, on, extraClosures? }')
  const on = parse(input.on, 'on')
  return on <= parse(notificationDeadline(input), 'notification deadline')
}

export type FilingTimeliness = 'beforeDueDate' | 'onDueDate' | 'withinExtension' | 'late'

/**
 * How a filing stands against its deadline. A report filed within the Rule
 * 12b-25 extension is timely (Rule 12b-25(b)(2)); without a notification there
 * is no extension (`extendedDueDate` null), so the day after the due date is late.
 */
export function filingTimeliness(input: { dueDate: string; extendedDueDate: string | null; filedOn: string }): FilingTimeliness {
  if (typeof input !== 'object' || input === null) throw new Error('Invalid input: expected { dueDate, extendedDueDate, filedOn }')
  const due = parse(input.dueDate, 'dueDate')
  const filed = parse(input.filedOn, 'filedOn')
  const extended = input.extendedDueDate === null ? null : parse(input.extendedDueDate, 'extendedDueDate')
  if (extended !== null && extended < due) {
    throw new Error(`Invalid extendedDueDate: '${input.extendedDueDate}' is before the due date '${input.dueDate}'`)
  }
  if (filed < due) return 'beforeDueDate'
  if (filed === due) return 'onDueDate'
  if (extended !== null && filed <= extended) return 'withinExtension'
  return 'late'
}

/** Form 8-K Item 5.05: a waiver of the code for a certifying officer is disclosed within four business days. */
export const FORM_8K_BUSINESS_DAYS = 4

/**
 * The last day to disclose, on Form 8-K Item 5.05, a waiver of the code of ethics
 * granted to a certifying officer (General Instruction B.1: within four business
 * days after the event; an event on a weekend or holiday starts the count on the
 * next business day).
 */
export function form8KWaiverDisclosureDue(approvedOn: string, extraClosures?: readonly string[]): string {
  return businessDaysAfter(approvedOn, FORM_8K_BUSINESS_DAYS, extraClosures)
}

/** Past this many days overdue, a card names the deadline instead of counting thousands of days. */
export const LONG_AGO_DAYS = 365

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

/**
 * A calendar date in words, 'March 1, 2013': the same words as the app's
 * `formatCalendarDate` (app/utils/format.ts), written here without Intl so that
 * the deadline words stay a pure function of their dates.
 */
export function calendarDateWords(date: string): string {
  const { year, month, day } = toParts(parse(date, 'date'))
  return `${MONTHS[month - 1]!} ${day}, ${year}`
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`

/**
 * A report card's deadline in a few words: "Due in 12 days", "Due today",
 * "Overdue by 3 days", or — more than LONG_AGO_DAYS past and not filed — "Its
 * deadline, March 1, 2013, passed long ago". Under a Rule 12b-25 extension the
 * count runs to the extended due date and says so. Once filed, how the filing
 * stood against the deadline.
 */
export function deadlineWords(input: { dueDate: string; today: string; filedOn?: string | null; extendedDueDate?: string | null }): string {
  if (typeof input !== 'object' || input === null) throw new Error('Invalid input: expected { dueDate, today, filedOn?, extendedDueDate? }')
  const extended = input.extendedDueDate ?? null
  if (input.filedOn !== undefined && input.filedOn !== null) {
    const timeliness = filingTimeliness({ dueDate: input.dueDate, extendedDueDate: extended, filedOn: input.filedOn })
    return {
      beforeDueDate: 'Filed before the due date',
      onDueDate: 'Filed on the due date',
      withinExtension: 'Filed within the extension',
      late: 'Filed late',
    }[timeliness]
  }
  if (extended !== null && parse(extended, 'extendedDueDate') < parse(input.dueDate, 'dueDate')) {
    throw new Error(`Invalid extendedDueDate: '${extended}' is before the due date '${input.dueDate}'`)
  }
  const deadline = extended ?? input.dueDate
  const left = daysLeft(deadline, input.today)
  const note = extended !== null ? ' (extended)' : ''
  if (left > 0) return `Due in ${days(left)}${note}`
  if (left === 0) return `Due today${note}`
  if (-left > LONG_AGO_DAYS) return `Its ${extended !== null ? 'extended ' : ''}deadline, ${calendarDateWords(deadline)}, passed long ago`
  return `Overdue by ${days(-left)}${note}`
}
