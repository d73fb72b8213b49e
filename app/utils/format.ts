// One date helper for the UI: calendar dates are 'YYYY-MM-DD' and shown in UTC,
// so a period end never shifts a day with the viewer's zone.
const longDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' })

export function formatCalendarDate(date: string): string {
  return longDate.format(new Date(`${date}T00:00:00Z`))
}

export function describePeriod(report: { form: string; fiscal_year: number; fiscal_quarter: number | null; period_end: string }) {
  return report.form === '10-K'
    ? `Fiscal year ${report.fiscal_year}, ended ${formatCalendarDate(report.period_end)}`
    : `Quarter ${report.fiscal_quarter} of fiscal ${report.fiscal_year}, ended ${formatCalendarDate(report.period_end)}`
}

/** The form as the SEC names it: an amendment is a "10-K/A" or "10-Q/A", with its number when there are several. */
export function formName(report: { form: string; amendment_number?: number | null }): string {
  return report.amendment_number ? `${report.form}/A` : report.form
}

/** "Form 10-K for fiscal year 2012", "Form 10-Q/A (Amendment No. 1) for quarter 2 of fiscal 2008". */
export function reportTitle(report: {
  form: string
  fiscal_year: number
  fiscal_quarter: number | null
  amendment_number?: number | null
}) {
  const form = report.amendment_number ? `Form ${report.form}/A (Amendment No. ${report.amendment_number})` : `Form ${report.form}`
  return report.form === '10-K'
    ? `${form} for fiscal year ${report.fiscal_year}`
    : `${form} for quarter ${report.fiscal_quarter} of fiscal ${report.fiscal_year}`
}

/** A report in a few words, for lists and choices: "Form 10-K, fiscal 2012", "Form 10-Q, Q2 2008". */
export function shortReportLabel(report: { form: string; fiscal_year: number; fiscal_quarter: number | null }): string {
  return report.form === '10-K' ? `Form 10-K, fiscal ${report.fiscal_year}` : `Form 10-Q, Q${report.fiscal_quarter} ${report.fiscal_year}`
}

/** A sentence's first letter made a capital: "signed the duty" → "Signed the duty". */
export const upperFirst = (words: string) => words.charAt(0).toUpperCase() + words.slice(1)

export function shortHash(sha256: string): string {
  return sha256.slice(0, 12)
}

const instantUtc = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' })

/** An instant (ISO 8601) to the second, in UTC, saying so: the server cannot know the reader's zone. */
export function formatInstantUtc(iso: string): string {
  return `${instantUtc.format(new Date(iso))} UTC`
}

/** Digits grouped by thousands, from the decimal string itself: figures are never floats. */
function groupDigits(decimal: string): string {
  const [whole = '', fraction] = decimal.replace(/^-/, '').split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${decimal.startsWith('-') ? '−' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`
}

/** A material-information figure exactly as recorded (e.g. "$2,520,000", "$0.18 per share", "14,000,000 shares"). */
export function formatAmount(value: string, unit: string): string {
  const n = groupDigits(value)
  switch (unit) {
    case 'USD':
      return n.startsWith('−') ? `−$${n.slice(1)}` : `$${n}`
    case 'USD_per_share':
      return `$${n} per share`
    case 'shares':
      return `${n} shares`
    case 'oz':
      return `${n} oz`
    case 'percent':
      return `${n}%`
    default:
      return `${n} ${unit}`
  }
}
