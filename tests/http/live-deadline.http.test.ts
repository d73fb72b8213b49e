import Database from 'better-sqlite3'
import { beforeAll, afterAll, expect, inject, test } from 'vitest'
import { daysLeft, filingDueDate, type Form } from '../../machines/filing-deadline'
import { DEMO_PASSWORD } from '../../seeds/hecla'

// The demo database the server created on starting (today, with the real clock):
// besides the two reports of the seed documents it holds the periodic report
// first due on or after today, and its card on the dashboard counts the days.
const baseURL = inject('baseURL')
const databasePath = inject('databasePath')
let sqlite: Database.Database
let cookie: string

beforeAll(async () => {
  sqlite = new Database(databasePath, { readonly: true, fileMustExist: true })
  const response = await fetch(`${baseURL}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL },
    body: new URLSearchParams({ email: 'audit.chair@hecla.example', password: DEMO_PASSWORD, redirectTo: '/' }),
  })
  expect(response.status).toBe(302)
  cookie = response.headers.get('set-cookie')!.split(';')[0]!
})
afterAll(() => sqlite.close())

const pad = (n: number) => String(n).padStart(2, '0')
/** The last day of the month `monthsBack` months before the month of `date`. */
function monthEndBefore(date: string, monthsBack: number) {
  const [y, m] = date.split('-').map(Number) as [number, number]
  const end = new Date(Date.UTC(y, m - monthsBack, 0))
  return `${end.getUTCFullYear()}-${pad(end.getUTCMonth() + 1)}-${pad(end.getUTCDate())}`
}
/** Hecla's periods end at each quarter's end; the one ending December 31 is the year, on Form 10-K (large accelerated filer). */
const dueOf = (periodEnd: string) =>
  filingDueDate({ form: periodEnd.endsWith('-12-31') ? '10-K' : '10-Q', periodEnd, category: 'large_accelerated' })

/** The dashboard card (the list item) that links to a report. */
async function dashboardCard(reportId: string) {
  const response = await fetch(`${baseURL}/`, { headers: { Cookie: cookie } })
  expect(response.status).toBe(200)
  const html = await response.text()
  const card = html.split('<li class="report-card').find((chunk) => chunk.includes(`href="/reports/${reportId}"`))
  expect(card, `a card for ${reportId}`).toBeDefined()
  return card!.split('</li>')[0]!.replace(/<!-- -->/g, '')
}

test('the demo created today holds a third report, due on or after today, the first such period', () => {
  const today = new Date().toISOString().slice(0, 10)
  const reports = sqlite
    .prepare(
      "SELECT id, form, fiscal_year, fiscal_quarter, period_end FROM periodic_report WHERE id IN ('report-2008-q2', 'report-2012-fy', 'report-live') ORDER BY period_end",
    )
    .all() as {
    id: string
    form: Form
    fiscal_quarter: number | null
    period_end: string
  }[]
  expect(reports.map((r) => r.id)).toEqual(['report-2008-q2', 'report-2012-fy', 'report-live'])
  const live = reports[2]!
  expect(live.form).toBe(live.period_end.endsWith('-12-31') ? '10-K' : '10-Q')
  expect(monthEndBefore(live.period_end, 0)).toBe(live.period_end)
  expect(['03-31', '06-30', '09-30', '12-31']).toContain(live.period_end.slice(5))
  expect(dueOf(live.period_end) >= today).toBe(true)
  // The period before it is due before today: the live report is the first one due.
  expect(dueOf(monthEndBefore(live.period_end, 3)) < today).toBe(true)
})

test('its card counts the days to its due date; its state follows its period (certification with draft 1 once ended, drafting before)', async () => {
  const today = new Date().toISOString().slice(0, 10)
  const live = sqlite.prepare("SELECT period_end FROM periodic_report WHERE id = 'report-live'").get() as { period_end: string }
  const left = daysLeft(dueOf(live.period_end), today)
  const card = await dashboardCard('report-live')
  expect(card).toContain(left === 0 ? 'Due today' : `Due in ${left} day${left === 1 ? '' : 's'}`)
  expect(card).not.toContain('Late')
  const periodEnded = live.period_end < today
  expect(card).toContain(periodEnded ? '· draft 1' : '· no draft yet')
  expect(card).toContain(periodEnded ? '>Certification<' : '>Drafting<')
})

test('the FY2012 10-K says plainly that its deadline passed long ago, not thousands of days', async () => {
  const card = await dashboardCard('report-2012-fy')
  expect(card).toContain('Its deadline, March 1, 2013, passed long ago')
  expect(card).toContain('Late')
  expect(card).not.toMatch(/Overdue by/)
})
