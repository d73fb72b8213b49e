import type { Page } from 'playwright-core'
import { DEMO_PASSWORD } from '../../seeds/hecla'

/** Signs in as a person would: the sign-in page, the labelled fields, the button. */
export async function signInThroughForm(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** Collects what the browser says when the Content-Security-Policy blocks something. */
export function recordCspViolations(page: Page): string[] {
  const violations: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) violations.push(message.text())
  })
  return violations
}
