import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { recordCspViolations, signInThroughForm } from './sign-in'

// The pages a person sees when something is refused or missing: a title of their
// own, plain words, never the router's raw text, and the same header as every
// other page (who is signed in, and Sign out), whether the error came from a
// loader, an action, or no route at all.
const baseURL = inject('baseURL')
const TITLE_SUFFIX = ' · Code of Ethics attestations'

let signedIn: { context: BrowserContext; close: () => Promise<void> }
let signedOut: { context: BrowserContext; close: () => Promise<void> }
const consoleErrors: string[] = []

beforeAll(async () => {
  signedOut = await launchBrowser()
  signedIn = await launchBrowser()
  const page = await signedIn.context.newPage()
  await page.goto(`${baseURL}/login`)
  await signInThroughForm(page, 'cfo@hecla.example')
  await page.waitForURL(`${baseURL}/`)
  await page.close()
})
afterAll(async () => {
  await signedIn?.close()
  await signedOut?.close()
})

async function open(context: BrowserContext, path: string) {
  const page = await context.newPage()
  page.on('console', (m) => {
    // The browser logs every 4xx it loads; what is looked for here is React's (hydration) and the app's own.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text())
  })
  const csp = recordCspViolations(page)
  const response = await page.goto(`${baseURL}${path}`)
  // Hydrated: what the browser shows after React took over is what is checked.
  await page.waitForFunction(() => '__remixRouter' in window)
  return { page, status: response?.status(), csp }
}

async function expectSignedInHeader(page: Page) {
  const account = page.getByRole('navigation', { name: 'Account' })
  // Today's title: the demo CFO is a Senior Vice President since 2011 (seeds/hecla.ts titleChanges).
  expect(await account.textContent()).toContain('Signed in as Avery Ledger, Senior Vice President and Chief Financial Officer')
  expect(await account.getByRole('button', { name: 'Sign out' }).count()).toBe(1)
  expect(await account.getByRole('link', { name: 'Sign in' }).count()).toBe(0)
}

async function expectPlainWords(page: Page) {
  const main = (await page.locator('main').textContent()) ?? ''
  expect(main).not.toMatch(/No route matches|Error:|You made a POST request|did not provide an `action`/)
  expect(await page.getByRole('link', { name: 'Back to the periodic reports' }).count()).toBe(1)
}

test('404, signed out: a title, “This page does not exist”, and Sign in', async () => {
  const { page, status, csp } = await open(signedOut.context, '/no/such/page')
  expect(status).toBe(404)
  expect(await page.title()).toBe(`Page not found${TITLE_SUFFIX}`)
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This page does not exist')
  await expectPlainWords(page)
  expect(await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).count()).toBe(1)
  expect(await seriousViolations(page)).toEqual([])
  expect(csp).toEqual([])
})

test('404, signed in: the same page, with the officer’s name and Sign out in the header', async () => {
  const { page, status } = await open(signedIn.context, '/reports/report-2012-fy/no-such-thing')
  expect(status).toBe(404)
  expect(await page.title()).toBe(`Page not found${TITLE_SUFFIX}`)
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This page does not exist')
  await expectPlainWords(page)
  await expectSignedInHeader(page)
  expect(await seriousViolations(page)).toEqual([])
})

test('403 from a page’s loader, signed in: “You do not have access to this page”, and why', async () => {
  const { page, status } = await open(signedIn.context, '/admin/reports/new')
  expect(status).toBe(403)
  expect(await page.title()).toBe(`No access${TITLE_SUFFIX}`)
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You do not have access to this page')
  expect(await page.locator('main').textContent()).toContain('Your role does not allow this.')
  await expectPlainWords(page)
  await expectSignedInHeader(page)
  expect(await seriousViolations(page)).toEqual([])
})

/** A plain form post, as a page of this site would send it, and the page the server answers with, loaded and hydrated. */
async function postPlainForm(page: Page, action: string) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${baseURL}${action}`),
    page.evaluate((to) => {
      const form = document.createElement('form')
      form.method = 'post'
      form.action = to
      document.body.append(form)
      form.submit()
    }, action),
  ])
  return response
}

test('403 from an action, signed in: the header still knows who is signed in', async () => {
  const { page } = await open(signedIn.context, '/')
  // A plain form post, as a page of this site would send it, to an action the CFO may not use.
  const response = await postPlainForm(page, '/admin/reports/new')
  expect(response.status()).toBe(403)
  await page.waitForLoadState('load')
  await page.waitForFunction(() => '__remixRouter' in window)
  expect(await page.title()).toBe(`No access${TITLE_SUFFIX}`)
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You do not have access to this page')
  await expectPlainWords(page)
  await expectSignedInHeader(page)
  expect(await seriousViolations(page)).toEqual([])
})

test('a POST to the dashboard, which takes none, signed in: plain words, and a header that claims nothing', async () => {
  const { page } = await open(signedIn.context, '/')
  const response = await postPlainForm(page, '/')
  expect(response.status()).toBe(405)
  await page.waitForLoadState('load')
  await page.waitForFunction(() => '__remixRouter' in window)
  expect(await page.title()).toBe(`Request not accepted${TITLE_SUFFIX}`)
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This page does not take that request')
  await expectPlainWords(page)
  // A POST to "/" is the root route's own (the index route takes only "/?index"): an action error at the
  // root runs no loader, so who is signed in is not known here. The header must not offer "Sign in" then.
  expect(await page.getByRole('link', { name: 'Sign in' }).count()).toBe(0)
  expect(await seriousViolations(page)).toEqual([])
})

test('a client-side navigation to a missing page keeps the header, and no page logged a hydration error', async () => {
  const { page } = await open(signedIn.context, '/')
  await page.evaluate(() =>
    (window as unknown as { __remixRouter: { navigate: (to: string) => Promise<void> } }).__remixRouter.navigate('/nowhere'),
  )
  await page.getByRole('heading', { level: 1, name: 'This page does not exist' }).waitFor()
  expect(await page.title()).toBe(`Page not found${TITLE_SUFFIX}`)
  await expectSignedInHeader(page)
  expect(consoleErrors).toEqual([])
})

for (const who of ['signed out', 'signed in'] as const) {
  test(`403 for a form posted from another site, ${who}: a page with a title and words, not bare text`, async () => {
    const context = who === 'signed in' ? signedIn.context : signedOut.context
    const page = await context.newPage()
    // A page of no origin at all (about:blank) posting here: the browser sends `Origin: null`, which server.ts refuses.
    await page.setContent(`<form method="post" action="${baseURL}/admin/reports/new"><button>Send</button></form>`)
    const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send' }).click()])
    expect(response?.status()).toBe(403)
    expect(await page.title()).toBe(`Request refused${TITLE_SUFFIX}`)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This request was refused')
    expect(await page.locator('main').textContent()).toContain('Refused: this request did not come from this site.')
    expect(await page.getByRole('link', { name: 'Back to the periodic reports' }).getAttribute('href')).toBe('/')
    expect(await seriousViolations(page)).toEqual([])
  })
}
