import { afterEach, expect, inject, test } from 'vitest'
import { launchBrowser } from './chromium'
import { signInThroughForm } from './sign-in'

// Signed out means gone from the screen too: Back after signing out must not bring
// the officer's page back from the browser's cache (or its back-forward cache).
let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

for (const javaScriptEnabled of [false, true]) {
  test(`${javaScriptEnabled ? 'with' : 'without'} JavaScript: sign in, open the dashboard, sign out, go Back → no officer content`, async () => {
    const browser = await launchBrowser({ javaScriptEnabled })
    close = browser.close
    const page = await browser.context.newPage()
    await page.goto(`${inject('baseURL')}/login`)
    if (javaScriptEnabled) await page.waitForFunction(() => '__remixRouter' in window)
    await signInThroughForm(page, 'cfo@hecla.example')
    await page.waitForURL(`${inject('baseURL')}/`)
    await page.getByRole('heading', { level: 3, name: 'Form 10-K · Fiscal year 2012' }).waitFor()
    expect(await page.getByRole('navigation', { name: 'Account' }).textContent()).toContain('Avery Ledger')

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${inject('baseURL')}/login`)
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()

    await page.goBack()
    // Wherever Back lands, it is the sign-in page, and nothing of the officer's is on the screen.
    await page.waitForURL(/\/login(\?|$)/, { timeout: 10_000 })
    const body = (await page.locator('body').textContent()) ?? ''
    expect(body).not.toContain('Avery Ledger')
    expect(body).not.toContain('Form 10-K · Fiscal year 2012')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in')
  })
}
