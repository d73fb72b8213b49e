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

test('the home page lists the two Hecla periodic reports', async () => {
  const response = await page.goto(inject('baseURL'))
  expect(response?.status()).toBe(200)
  await expect(page.title()).resolves.toBe('Periodic reports · Hecla Mining Company')
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Hecla Mining Company')
  const rows = page.getByRole('table').getByRole('row')
  // A header row and one row a report, newest period first.
  expect(await rows.count()).toBe(3)
  expect(await rows.nth(1).textContent()).toContain('Form 10-K')
  expect(await rows.nth(1).textContent()).toContain('Fiscal year 2012, ended December 31, 2012')
  expect(await rows.nth(2).textContent()).toContain('Form 10-Q')
  expect(await rows.nth(2).textContent()).toContain('ended June 30, 2008')
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
  expect(await response.json()).toMatchObject({ status: 'ok', database: 'ok', periodicReports: 2 })
})
