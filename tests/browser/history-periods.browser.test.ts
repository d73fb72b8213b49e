import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import type { Page } from 'playwright-core'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { recordCspViolations, signInThroughForm } from './sign-in'

// Issue 10 across periods: an Audit Committee member opens the FY2012 10-K's matrix
// (signed cells beside the ones still to sign) and compares the CFO's answers between
// the Q2 2008 10-Q and the FY2012 10-K, duty by duty: what changed, what was added,
// what is no longer there.

let page: Page
let close: () => Promise<void>
let cspViolations: string[]
const baseURL = inject('baseURL')

beforeAll(async () => {
  const browser = await launchBrowser()
  close = browser.close
  page = await browser.context.newPage()
  cspViolations = recordCspViolations(page)
  await page.goto(`${baseURL}/login`)
  await signInThroughForm(page, 'audit.member@hecla.example')
  await page.waitForURL(`${baseURL}/`)
})
afterAll(() => close())

test('the FY2012 10-K matrix shows what each officer signed and what is still to sign', async () => {
  await page.goto(`${baseURL}/reports/report-2012-fy/history`)
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Sign-off history')
  const matrix = page.getByRole('region', { name: 'Who signed what' })
  // The seed: the CFO signed duty 7 of the 10-K. Every cell says its state in words (other files' walks change the rest).
  const cfo7 = (await matrix.locator('td[data-duty="7"][data-officer="user-cfo"]').textContent()) ?? ''
  expect(cfo7).toMatch(/Signed/i)
  const cells = await matrix.locator('td[data-duty][data-officer]').allTextContents()
  expect(cells).toHaveLength(36)
  for (const cell of cells) expect(cell.trim()).not.toBe('')
  expect(await seriousViolations(page)).toEqual([])
})

test('the CFO’s answers compared between the Q2 2008 10-Q and the FY2012 10-K, chosen on the page', async () => {
  await page.goto(`${baseURL}/history/compare`)
  const choose = page.getByRole('form', { name: 'Compare an officer’s answers between two periods' })
  await choose.getByRole('combobox', { name: 'Officer' }).selectOption('user-cfo')
  await choose.getByRole('combobox', { name: 'Earlier report' }).selectOption('report-2008-q2')
  await choose.getByRole('combobox', { name: 'Later report' }).selectOption('report-2012-fy')
  await choose.getByRole('button', { name: 'Compare' }).click()
  await page.waitForURL(/officer=user-cfo/)
  await expect.poll(() => page.locator('#changes-title').textContent()).toMatch(/2008.*→.*2012/)
  const changes = page.locator('ol.ow-compare')
  // The seed: the CFO signed every duty of the 10-Q, and duties 5 and 7 of the 10-K so far.
  await expect.poll(() => changes.locator('li[data-duty="1"]').textContent()).toContain('Not signed in')
  // Duty 7, signed in both: its answers side by side (the same in the seed; other files' walks may change them).
  expect(await changes.locator('li[data-duty="7"]').textContent()).toMatch(/The same answers in both|Changed|Added|No longer there/)
  expect(await changes.locator('li[data-duty]').count()).toBe(12)
  expect(await seriousViolations(page)).toEqual([])
  expect(cspViolations).toEqual([])
})
