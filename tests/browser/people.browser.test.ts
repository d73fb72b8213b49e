import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import type { Page } from 'playwright-core'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { signInThroughForm } from './sign-in'

// The administrator's page of people, titles and roles: the CFO's two titles with
// their dates, no serious accessibility violation, and — without JavaScript — a
// change dated before the CFO's 2013 signatures refused with the reason on the
// page, nothing recorded. (A change that succeeds is tested over HTTP:
// tests/http/people.http.test.ts.)

const baseURL = inject('baseURL')
const closers: (() => Promise<void>)[] = []

async function signedIn(javaScriptEnabled: boolean): Promise<Page> {
  const browser = await launchBrowser({ javaScriptEnabled })
  closers.push(browser.close)
  const page = await browser.context.newPage()
  page.setDefaultTimeout(15_000)
  await page.goto(`${baseURL}/login`)
  await signInThroughForm(page, 'admin@hecla.example')
  await page.waitForURL(`${baseURL}/`)
  return page
}
let page: Page
let plain: Page
beforeAll(async () => {
  page = await signedIn(true)
  plain = await signedIn(false)
})
afterAll(async () => {
  for (const close of closers) await close()
})

const cfoRow = (p: Page) => p.getByRole('row').filter({ has: p.getByRole('rowheader', { name: /Avery Ledger/ }) })

test('the administrator reads the CFO’s titles over time', async () => {
  await page.getByRole('link', { name: 'People, titles and roles' }).click()
  await page.waitForURL(`${baseURL}/admin/people`)
  await page.getByRole('heading', { name: 'Everyone, with their history' }).waitFor()
  const cfo = cfoRow(page)
  expect(await cfo.getByRole('cell').nth(0).innerText()).toBe('Senior Vice President and Chief Financial Officer')
  expect(await cfo.getByRole('cell').nth(2).innerText()).toBe(
    'Vice President and Chief Financial Officer, January 1, 2007 to May 31, 2011\nSenior Vice President and Chief Financial Officer, since June 1, 2011',
  )
  expect(await seriousViolations(page)).toEqual([])
})

test('without JavaScript, a title change dated before the CFO’s later signatures is refused with the reason, and nothing changes', async () => {
  await plain.goto(`${baseURL}/admin/people`)
  const form = plain.locator('form').filter({ has: plain.getByRole('button', { name: 'Record the new title' }) })
  await form.getByLabel('Person').selectOption('user-cfo')
  await form.getByLabel('New title').fill('Executive Vice President and Chief Financial Officer')
  await form.getByLabel('Takes effect on').fill('2012-01-01')
  await form.getByRole('button', { name: 'Record the new title' }).click()
  await plain.getByRole('alert').waitFor()
  expect(await plain.getByRole('alert').innerText()).toMatch(/signed on or after that date under their current title/)
  expect(await cfoRow(plain).getByRole('cell').nth(0).innerText()).toBe('Senior Vice President and Chief Financial Officer')
})
