import { createHash } from 'node:crypto'
import { afterEach, expect, inject, test } from 'vitest'
import type { Page } from 'playwright-core'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { recordCspViolations, signInThroughForm } from './sign-in'

// The browser suite shares one server and one database across its files, in no
// fixed order. So the drafts registered here go to a report this file creates
// (Form 10-Q, Q1 2013): a new draft of a seeded report would reopen duties that
// other files expect signed, and nothing here counts the reports.
const NEW_REPORT = { id: 'report-2013-q1', fiscalYear: '2013', quarter: '1', periodEnd: '2013-03-31' }

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

async function signedInPage(email: string, options: { javaScriptEnabled?: boolean } = {}) {
  const browser = await launchBrowser(options)
  close = browser.close
  const page = await browser.context.newPage()
  const cspViolations = recordCspViolations(page)
  await page.goto(`${inject('baseURL')}/login`)
  await signInThroughForm(page, email)
  await page.waitForURL(`${inject('baseURL')}/`)
  return { page, cspViolations }
}

function reportCard(page: Page, heading: string) {
  return page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: heading, exact: true }) })
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

async function registerDraft(page: Page, name: string, content: string) {
  await page.getByLabel('Draft file').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(content) })
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`/admin/reports/${NEW_REPORT.id}/drafts`)),
    page.getByRole('button', { name: 'Register draft' }).click(),
  ])
  return response.status()
}

test('the CFO sees both reports with their SEC due dates: the 10-Q filed, the 10-K with the CFO’s own progress', async () => {
  const { page, cspViolations } = await signedInPage('cfo@hecla.example')
  await page.waitForFunction(() => '__remixRouter' in window)

  const q2 = reportCard(page, 'Form 10-Q · Q2 2008')
  // 40 days after 2008-06-30 is Saturday 2008-08-09: due the next business day (Rule 0-3).
  expect(await q2.getByText('Monday, August 11, 2008').count()).toBe(1)
  expect(await q2.textContent()).toContain('falls on Saturday, August 9, 2008')
  expect(await q2.textContent()).toMatch(/Filed (Monday|Tuesday|Wednesday|Thursday|Friday), [A-Z][a-z]+ \d{1,2}, 2008/)
  expect(await q2.textContent()).toContain('Filed and locked')
  expect(await q2.textContent()).not.toContain('Overdue')

  const fy = reportCard(page, 'Form 10-K · Fiscal year 2012')
  // 60 days after 2012-12-31 for a large accelerated filer.
  expect(await fy.getByText('Friday, March 1, 2013').count()).toBe(1)
  expect(await fy.textContent()).toMatch(/Your sign-offs\s*\d+ of 12 duties signed/)
  // Long past its due date and not filed: marked in words, not only in colour, and named rather than counted in thousands of days.
  expect(await fy.textContent()).toContain('Its deadline, March 1, 2013, passed long ago')
  expect(await fy.textContent()).not.toMatch(/Overdue by [\d,]+ days/)

  // Each report leads to its page; the CFO is no report administrator.
  expect(await fy.getByRole('link', { name: 'Form 10-K · Fiscal year 2012' }).getAttribute('href')).toBe('/reports/report-2012-fy')
  expect(await page.getByRole('link', { name: 'New periodic report' }).count()).toBe(0)
  expect(await page.getByRole('link', { name: 'Drafts and certification' }).count()).toBe(0)

  expect(await seriousViolations(page)).toEqual([])
  expect(cspViolations).toEqual([])
})

test('others see all three officers’ progress, of 36', async () => {
  const { page } = await signedInPage('audit.chair@hecla.example')
  expect(await reportCard(page, 'Form 10-K · Fiscal year 2012').textContent()).toMatch(/Officers’ sign-offs\s*\d+ of 36 duties signed/)
  expect(await reportCard(page, 'Form 10-Q · Q2 2008').textContent()).toContain('36 of 36 duties signed')
})

test('without JavaScript, the administrator creates a periodic report and registers its first draft', async () => {
  const { page } = await signedInPage('admin@hecla.example', { javaScriptEnabled: false })
  await page.getByRole('link', { name: 'New periodic report' }).click()
  await page.waitForURL(`${inject('baseURL')}/admin/reports/new`)

  // A Form 10-K has no quarter: the server says so, field by field.
  await page.getByLabel('Form 10-K, annual report').check()
  await page.getByLabel('Fiscal year').fill('2013')
  await page.getByLabel('Fiscal quarter (Form 10-Q only)').selectOption('2')
  await page.getByLabel('Period end date').fill('2013-12-31')
  await page.getByRole('button', { name: 'Create report' }).click()
  await page.getByRole('alert').waitFor()
  expect(await page.getByRole('alert').textContent()).toContain('A Form 10-K covers the whole fiscal year: leave the quarter empty.')
  expect(await page.getByLabel('Fiscal quarter (Form 10-Q only)').getAttribute('aria-invalid')).toBe('true')

  await page.getByLabel('Form 10-Q, quarterly report').check()
  await page.getByLabel('Fiscal year').fill(NEW_REPORT.fiscalYear)
  await page.getByLabel('Fiscal quarter (Form 10-Q only)').selectOption(NEW_REPORT.quarter)
  await page.getByLabel('Period end date').fill(NEW_REPORT.periodEnd)
  await page.getByRole('button', { name: 'Create report' }).click()
  await page.waitForURL(`${inject('baseURL')}/admin/reports/${NEW_REPORT.id}/drafts`)
  // The address changes just before the new page is drawn (a client-side navigation): wait for the page.
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Drafts of the Form 10-Q')
  expect(await page.getByText('No draft registered yet.').count()).toBe(1)

  const first = 'Hecla Mining Company, Form 10-Q for the quarter ended March 31, 2013. Draft 1.\n'
  expect(await registerDraft(page, 'hecla-10q-2013-q1-draft-1.txt', first)).toBe(200)
  expect(await page.getByRole('status').textContent()).toContain('Draft 1 is now the current draft of the Form 10-Q')
  const row = page.getByRole('row').filter({ hasText: 'hecla-10q-2013-q1-draft-1.txt' })
  expect(await row.textContent()).toContain('Draft 1')
  expect(await row.textContent()).toContain(sha256(first))
  expect(await row.textContent()).toContain('Alex Registrar')

  // The same bytes again are no new draft.
  expect(await registerDraft(page, 'renamed-but-same.txt', first)).toBe(409)
  expect(await page.getByRole('alert').textContent()).toContain('This file is already the current draft')

  // The same period again is refused, and says which report exists.
  await page.goto(`${inject('baseURL')}/admin/reports/new`)
  await page.getByLabel('Form 10-Q, quarterly report').check()
  await page.getByLabel('Fiscal year').fill(NEW_REPORT.fiscalYear)
  await page.getByLabel('Fiscal quarter (Form 10-Q only)').selectOption(NEW_REPORT.quarter)
  await page.getByLabel('Period end date').fill(NEW_REPORT.periodEnd)
  const [duplicate] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Create report' }).click(),
  ])
  expect(duplicate.status()).toBe(409)
  expect(await page.getByRole('alert').textContent()).toContain('exists already')
})

test('with JavaScript, the administrator registers a second draft, sees its version and SHA-256, and begins certification', async () => {
  const { page, cspViolations } = await signedInPage('admin@hecla.example')
  await page.waitForFunction(() => '__remixRouter' in window)
  // (axe needs JavaScript in the page: the admin pages are checked here, the empty form's errors included.)
  await page.getByRole('link', { name: 'New periodic report' }).click()
  await page.waitForURL(`${inject('baseURL')}/admin/reports/new`)
  expect(await seriousViolations(page)).toEqual([])
  await page.getByRole('button', { name: 'Create report' }).click()
  await page.getByRole('alert').waitFor()
  expect(await page.getByRole('alert').textContent()).toContain('Choose Form 10-Q or Form 10-K.')
  expect(await seriousViolations(page)).toEqual([])
  await page.getByRole('link', { name: 'Periodic reports' }).click()
  await page.waitForURL(`${inject('baseURL')}/`)

  await reportCard(page, 'Form 10-Q · Q1 2013').getByRole('link', { name: 'Drafts and certification' }).click()
  await page.waitForURL(`${inject('baseURL')}/admin/reports/${NEW_REPORT.id}/drafts`)

  const second = 'Hecla Mining Company, Form 10-Q for the quarter ended March 31, 2013. Draft 2, after the Disclosure Committee.\n'
  expect(await registerDraft(page, 'hecla-10q-2013-q1-draft-2.txt', second)).toBe(200)
  await page.getByRole('status').waitFor()
  expect(await page.getByRole('status').textContent()).toContain('Draft 2 is now the current draft')
  // No officer has worked on this report yet: nothing to reopen, and the page says so.
  expect(await page.getByRole('status').textContent()).toContain('No duty workflow had to be reopened')
  const row = page.getByRole('row').filter({ hasText: 'hecla-10q-2013-q1-draft-2.txt' })
  await row.waitFor()
  expect(await row.textContent()).toContain('Draft 2')
  expect(await row.textContent()).toContain('Current')
  expect(await row.textContent()).toContain(sha256(second))
  expect(await page.getByRole('row').filter({ hasText: 'hecla-10q-2013-q1-draft-1.txt' }).textContent()).not.toContain('Current')
  expect(await seriousViolations(page)).toEqual([])

  await page.getByRole('button', { name: 'Begin certification' }).click()
  await page.getByRole('status').filter({ hasText: 'Certification has begun.' }).waitFor()
  await page.getByRole('button', { name: 'Begin certification' }).waitFor({ state: 'detached' })
  expect(await page.getByRole('heading', { name: /Where the report stands/ }).textContent()).toContain('Certification')

  await page.getByRole('link', { name: 'Periodic reports' }).click()
  await page.waitForURL(`${inject('baseURL')}/`)
  const card = reportCard(page, 'Form 10-Q · Q1 2013')
  // 40 days after 2013-03-31 is Friday 2013-05-10.
  expect(await card.textContent()).toContain('Friday, May 10, 2013')
  expect(await card.textContent()).toContain('draft 2')
  expect(await card.textContent()).toContain('0 of 36 duties signed')
  expect(await seriousViolations(page)).toEqual([])
  expect(cspViolations).toEqual([])
})
