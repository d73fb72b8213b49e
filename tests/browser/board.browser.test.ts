import { afterEach, expect, inject, test } from 'vitest'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { recordCspViolations, signInThroughForm } from './sign-in'

// The Board's side of the Code of Ethics in a browser, as its people would use
// it: the administrator records a waiver of the code for a certifying officer,
// the register shows it overdue for its Form 8-K (four business days after its
// approval), the disclosure is recorded, and the officer reads their own waiver.
// The browser suite shares one server and one database: the waiver here is its
// own (the CAO/Controller, duty 6, approved 2013-01-18), nothing else counts it.

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

async function signedInPage(email: string) {
  const browser = await launchBrowser()
  close = browser.close
  const page = await browser.context.newPage()
  const cspViolations = recordCspViolations(page)
  await page.goto(`${inject('baseURL')}/login`)
  await signInThroughForm(page, email)
  await page.waitForURL(`${inject('baseURL')}/`)
  return { page, cspViolations }
}

const REASON = 'Browser test: the Controller may sign the review of a draft prepared by a relative’s firm.'

test('a waiver recorded, shown overdue in words and colour, then disclosed on Form 8-K; its officer reads it', async () => {
  const { page, cspViolations } = await signedInPage('admin@hecla.example')
  await page.getByRole('link', { name: 'Waivers of the code' }).click()
  await page.waitForURL(/\/waivers$/)
  await page.waitForFunction(() => '__remixRouter' in window)

  // A committee without its name is refused beside the form, and nothing is recorded.
  await page.getByLabel('Provision waived').selectOption({ label: 'Duty 6 — Review of the draft' })
  await page.getByLabel('Officer it is granted to').selectOption({ label: await controllerLabel() })
  await page.getByLabel('Reason').fill(REASON)
  await page.getByLabel('A committee the Board named').check()
  await page.getByLabel('Date of approval').fill('2013-01-18')
  await page.getByRole('button', { name: 'Record the waiver' }).click()
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('Name the committee the Board named to approve it')

  await page.getByLabel('The committee’s name (when a committee approved it)').fill('Governance Committee')
  await page.getByRole('button', { name: 'Record the waiver' }).click()
  await page.waitForURL(/\/waivers\?done=waiver$/)
  const row = page.locator('tr', { hasText: REASON })
  // Approved Friday, January 18, 2013; Martin Luther King Jr. Day on the Monday: due Friday, January 25.
  await expect.poll(() => row.textContent()).toContain('Overdue: not disclosed, due January 25, 2013')
  expect(await row.getAttribute('class')).toBe('is-overdue')
  const background = await row
    .locator('td')
    .first()
    .evaluate((td) => getComputedStyle(td).backgroundColor)
  expect(background).not.toBe('rgba(0, 0, 0, 0)')
  expect(await seriousViolations(page)).toEqual([])

  // A malformed accession number is refused; the real one is recorded.
  await page.getByLabel('Waiver disclosed').selectOption({ label: await disclosureLabel() })
  await page.getByLabel('On Form 8-K, Item 5.05').check()
  await page.getByLabel('Form 8-K accession number (e.g. 0000719413-12-000045)').fill('719413-13-7')
  await page.getByLabel('Date of disclosure').fill('2013-01-24')
  await page.getByRole('button', { name: 'Record the disclosure' }).click()
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('accession number must read like')
  await page.getByLabel('Form 8-K accession number (e.g. 0000719413-12-000045)').fill('0000719413-13-000007')
  await page.getByRole('button', { name: 'Record the disclosure' }).click()
  await page.waitForURL(/\/waivers\?done=disclosure$/)
  await expect
    .poll(() => page.locator('tr', { hasText: REASON }).textContent())
    .toContain('Disclosed on January 24, 2013, by the due date of January 25, 2013')
  expect(await page.locator('tr', { hasText: REASON }).getAttribute('class')).toBeNull()
  expect(cspViolations).toEqual([])
  await close?.()

  // The officer reads their own waiver, and is offered no form.
  const officer = await signedInPage('controller@hecla.example')
  await officer.page.goto(`${inject('baseURL')}/waivers`)
  expect(await officer.page.locator('tr', { hasText: REASON }).textContent()).toContain('Governance Committee, named by the Board')
  expect(await officer.page.getByRole('button', { name: 'Record the waiver' }).count()).toBe(0)

  async function controllerLabel() {
    const options = await page.getByLabel('Officer it is granted to').locator('option').allTextContents()
    const label = options.find((o) => o.endsWith('Chief Accounting Officer or Controller'))
    expect(label).toBeDefined()
    return label!
  }
  async function disclosureLabel() {
    const options = await page.getByLabel('Waiver disclosed').locator('option').allTextContents()
    const label = options.find((o) => o.startsWith('Duty 6') && o.endsWith('approved January 18, 2013'))
    expect(label).toBeDefined()
    return label!
  }
})
