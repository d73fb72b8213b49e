import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openDatabase } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { openWorkflowRecord } from '../../db/workflow-record'
import { DEMO_PASSWORD } from '../../seeds/hecla'
import { signRemainingDuties } from '../../seeds/history'
import { prepareDatabase } from '../../seeds/prepare'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { startServer, type TestServer } from './global-setup'
import { recordCspViolations, signInThroughForm } from './sign-in'

// The FY2012 10-K from the officers' last signature to the SEC, in the browser,
// each step by the person who holds it. Its own server and file: the officers'
// signatures are made through the commands first (officer-walk.browser.test.ts
// walks those pages on the shared server, which this file leaves alone).
const REPORT = 'report-2012-fy'
let server: TestServer
let sqlite: Database.Database

beforeAll(async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'attest-filing-browser-')), 'app.sqlite')
  await prepareDatabase(file, { today: new Date() })
  const { db } = openDatabase(file)
  try {
    await signRemainingDuties(
      openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(file))),
      REPORT,
      '2013-02-18T16:00:00Z',
    )
  } finally {
    await db.destroy()
  }
  server = await startServer({ databasePath: file })
  sqlite = new Database(file, { readonly: true, fileMustExist: true })
})
afterAll(async () => {
  sqlite?.close()
  await server?.stop()
})

const filingUrl = () => `${server.baseURL}/reports/${REPORT}/filing`
const state = () =>
  (sqlite.prepare('SELECT state FROM workflow_snapshot WHERE instance_id = ?').get(`report/${REPORT}`) as { state: string }).state

/** Signs in on the sign-in page, opens the report's Review and filing page, and hands the page to `act`. */
async function as(email: string, act: (page: Page) => Promise<void>, via: 'report page' | 'address' = 'address') {
  const browser = await launchBrowser()
  try {
    const page = await browser.context.newPage()
    const csp = recordCspViolations(page)
    const landing = via === 'report page' ? `/reports/${REPORT}` : `/reports/${REPORT}/filing`
    await page.goto(`${server.baseURL}/login?redirectTo=${encodeURIComponent(landing)}`)
    await signInThroughForm(page, email)
    await page.waitForURL(`${server.baseURL}${landing}`)
    if (via === 'report page') {
      await page.getByRole('link', { name: /Review and filing/ }).click()
      await page.waitForURL(filingUrl())
    }
    await page.waitForFunction(() => '__remixRouter' in window)
    await act(page)
    expect(csp).toEqual([])
  } finally {
    await browser.close()
  }
}

const status = (page: Page) => page.getByRole('status').textContent()

test('the Disclosure Committee’s chair approves, from the report page, with a note and the password', async () => {
  expect(state()).toContain('committeeReview')
  await as(
    'disclosure@hecla.example',
    async (page) => {
      const section = page.getByRole('region', { name: 'The Disclosure Committee’s approval' })
      expect(await section.textContent()).toContain('The chair of the Disclosure Committee signs for it')
      expect(await seriousViolations(page)).toEqual([])
      await section.getByLabel('Note for the record').fill('Approved at the Disclosure Committee meeting of February 25, 2013.')
      await section.getByLabel('Your password (to sign)').fill(DEMO_PASSWORD)
      await section.getByRole('button', { name: 'Sign the approval' }).click()
      await page.waitForURL(/done=approved/)
      await expect.poll(() => status(page)).toContain('approval is signed and recorded')
      await expect.poll(() => section.textContent()).toContain('Approved the report, for the Disclosure Committee')
      const signed = (await section.textContent()) ?? ''
      expect(signed).toContain('Approved the report, for the Disclosure Committee')
      expect(signed).toContain('Quinn Footnote')
      expect(signed).toContain('February 25, 2013')
    },
    'report page',
  )
})

test('the Audit Committee’s chair reviews it', async () => {
  await as('audit.chair@hecla.example', async (page) => {
    const section = page.getByRole('region', { name: 'The Audit Committee’s review' })
    await section.getByLabel('Note for the record').fill('Reviewed with management and the independent auditors.')
    await section.getByLabel('Your password (to sign)').fill(DEMO_PASSWORD)
    await section.getByRole('button', { name: 'Sign the review' }).click()
    await page.waitForURL(/done=reviewed/)
    await expect.poll(() => page.locator('#report-state').textContent()).toContain('waiting for the CEO and the CFO to approve')
  })
  expect(state()).toBe('awaitingApprovalForFiling')
})

test('the CEO and then the CFO approve it for filing; the page says who is still to approve', async () => {
  await as('ceo@hecla.example', async (page) => {
    const section = page.getByRole('region', { name: 'Approval for filing by the certifying officers' })
    await section.getByLabel('Your password (to sign)').fill(DEMO_PASSWORD)
    await section.getByRole('button', { name: 'Approve for filing' }).click()
    await page.waitForURL(/done=approvalRecorded/)
    await expect.poll(() => page.locator('#approval-cfo').textContent()).toContain('still to approve')
  })
  await as('cfo@hecla.example', async (page) => {
    const section = page.getByRole('region', { name: 'Approval for filing by the certifying officers' })
    await section.getByLabel('Your password (to sign)').fill(DEMO_PASSWORD)
    await section.getByRole('button', { name: 'Approve for filing' }).click()
    await page.waitForURL(/done=approvedForFiling/)
    await expect.poll(() => status(page)).toContain('the report is approved for filing')
  })
  expect(state()).toBe('approvedForFiling')
})

test('the administrator records the accession number: a malformed one is refused beside its field, then the report is filed and locked', async () => {
  await as('admin@hecla.example', async (page) => {
    const section = page.getByRole('region', { name: 'Filing with the SEC' })
    await section.getByLabel('EDGAR accession number').fill('719413-13-12')
    await section.getByLabel('Date and time of filing (UTC)').fill('2013-02-26T21:05')
    await section.getByRole('button', { name: 'Record the filing and lock the report' }).click()
    await page.getByText('The filing was not recorded').first().waitFor()
    expect(await page.locator('#accession-error').textContent()).toMatch(/0000000000-00-000000/)
    expect(await seriousViolations(page)).toEqual([])
    await section.getByLabel('EDGAR accession number').fill('0000719413-13-000012')
    await section.getByRole('button', { name: 'Record the filing and lock the report' }).click()
    await page.waitForURL(/done=filed/)
    await expect.poll(() => page.locator('#filing-record').textContent()).toContain('0000719413-13-000012')
    await expect.poll(() => page.locator('#timeliness').textContent()).toBe('Filed before its due date')
    await page.screenshot({ path: path.join(os.tmpdir(), 'attest-filing-locked.png'), fullPage: true })
  })
  expect(state()).toBe('locked')
})

test('after filing, an officer’s duty page offers nothing, and the dashboard card says it was filed', async () => {
  await as('cfo@hecla.example', async (page) => {
    await page.goto(`${server.baseURL}/reports/${REPORT}/duties/6`)
    expect(await page.getByRole('button', { name: /Withdraw/ }).count()).toBe(0)
    await page.goto(`${server.baseURL}/`)
    const card = page.locator('li.report-card').filter({ hasText: 'Fiscal year 2012' })
    expect(await card.textContent()).toContain('0000719413-13-000012')
  })
})
