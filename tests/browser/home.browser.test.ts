import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import type { Page } from 'playwright-core'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { recordCspViolations, signInThroughForm } from './sign-in'

let page: Page
let close: () => Promise<void>
let cspViolations: string[]

// The home page needs a session: sign in once, through the real form, as the CEO.
beforeAll(async () => {
  const browser = await launchBrowser()
  close = browser.close
  page = await browser.context.newPage()
  cspViolations = recordCspViolations(page)
  await page.goto(inject('baseURL'))
  await page.waitForURL(`${inject('baseURL')}/login?redirectTo=%2F`)
  await signInThroughForm(page, 'ceo@hecla.example')
  await page.waitForURL(`${inject('baseURL')}/`)
})
afterAll(() => close())

test('the home page lists the two Hecla periodic reports, newest period first', async () => {
  const response = await page.goto(inject('baseURL'))
  expect(response?.status()).toBe(200)
  await expect(page.title()).resolves.toBe('Periodic reports · Hecla Mining Company')
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Hecla Mining Company')
  // Other files of the suite may add reports of their own: find the two seeded ones by name.
  const headings = await page.getByRole('heading', { level: 3 }).allTextContents()
  const fy2012 = headings.indexOf('Form 10-K · Fiscal year 2012')
  const q2008 = headings.indexOf('Form 10-Q · Q2 2008')
  expect(fy2012).toBeGreaterThanOrEqual(0)
  expect(q2008).toBeGreaterThan(fy2012)
  const cards = page.getByRole('listitem')
  expect(await cards.filter({ hasText: 'Form 10-K · Fiscal year 2012' }).textContent()).toContain('fiscal year ended December 31, 2012')
  expect(await cards.filter({ hasText: 'Form 10-Q · Q2 2008' }).textContent()).toContain('ended June 30, 2008')
})

test('the header names who is signed in', async () => {
  await page.goto(inject('baseURL'))
  const account = page.getByRole('navigation', { name: 'Account' })
  expect(await account.textContent()).toContain('Phillips S. Baker, Jr., President and Chief Executive Officer')
  expect(await account.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true)
})

test('the home page has no serious or critical accessibility violations', async () => {
  await page.goto(inject('baseURL'))
  expect(await seriousViolations(page)).toEqual([])
})

test('the Content-Security-Policy blocked nothing the app needs', () => {
  expect(cspViolations).toEqual([])
})

test('the health check says the database answers', async () => {
  const response = await page.request.get(`${inject('baseURL')}/healthz`)
  expect(response.status()).toBe(200)
  const body = (await response.json()) as { status: string; database: string; periodicReports: number }
  expect(body).toMatchObject({ status: 'ok', database: 'ok' })
  // The two seeded reports, and any that another file of the suite created.
  expect(body.periodicReports).toBeGreaterThanOrEqual(2)
})
