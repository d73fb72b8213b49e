import { afterEach, expect, inject, test } from 'vitest'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { recordCspViolations, signInThroughForm } from './sign-in'

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

async function newPage(options: { javaScriptEnabled?: boolean } = {}) {
  const browser = await launchBrowser(options)
  close = browser.close
  return browser.context.newPage()
}

test('the sign-in page has no serious or critical accessibility violations, before and after an error', async () => {
  const page = await newPage()
  await page.goto(`${inject('baseURL')}/login`)
  expect(await seriousViolations(page)).toEqual([])
  await signInThroughForm(page, 'disclosure@hecla.example', 'not-the-password')
  const alert = page.getByRole('alert')
  await alert.waitFor()
  expect(await alert.textContent()).toBe('The e-mail or password is not right.')
  expect(await seriousViolations(page)).toEqual([])
})

test('signing in and out works with JavaScript disabled', async () => {
  const page = await newPage({ javaScriptEnabled: false })
  await page.goto(inject('baseURL'))
  expect(page.url()).toBe(`${inject('baseURL')}/login?redirectTo=%2F`)
  await signInThroughForm(page, 'chairman@hecla.example')
  await page.waitForURL(`${inject('baseURL')}/`)
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Hecla Mining Company')
  expect(await page.getByRole('navigation', { name: 'Account' }).textContent()).toContain('Robin Gavel')

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL(`${inject('baseURL')}/login`)
  await page.goto(inject('baseURL'))
  expect(page.url()).toBe(`${inject('baseURL')}/login?redirectTo=%2F`)
})

test('with JavaScript, signing in goes back to the page asked for and signing out ends the session', async () => {
  const page = await newPage()
  const cspViolations = recordCspViolations(page)
  await page.goto(`${inject('baseURL')}/login?redirectTo=%2F%3Fview%3Dall`)
  // Hydrated: the nonce let Remix's inline module script run, so the form submits through the router.
  await page.waitForFunction(() => '__remixRouter' in window)
  await signInThroughForm(page, 'audit.member@hecla.example')
  await page.waitForURL(`${inject('baseURL')}/?view=all`)
  // The router may show the new URL a moment before the header re-renders: wait for it.
  await page.getByRole('navigation', { name: 'Account' }).getByText('Taylor Quorum').waitFor()

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.waitForURL(`${inject('baseURL')}/login`)
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).waitFor()
  await page.goto(inject('baseURL'))
  expect(page.url()).toBe(`${inject('baseURL')}/login?redirectTo=%2F`)
  expect(cspViolations).toEqual([])
})
