import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { openDatabase } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { openWorkflowRecord } from '../../db/workflow-record'
import { signRemainingDuties } from '../../seeds/history'
import { prepareDatabase } from '../../seeds/prepare'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { startServer, type TestServer } from './global-setup'
import { recordCspViolations, signInThroughForm } from './sign-in'

// Issue 10 across periods: an Audit Committee member opens the FY2012 10-K's matrix and
// compares the CFO's answers between the Q2 2008 10-Q and the FY2012 10-K, duty by duty:
// what changed, what was added, what is no longer there. A server and file of its own,
// with every officer's duties of the 10-K signed through the commands, so the answers
// compared are known whatever the suite's other files do.

let page: Page
let close: () => Promise<void>
let cspViolations: string[]
let server: TestServer
let baseURL = ''

beforeAll(async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'attest-periods-')), 'app.sqlite')
  await prepareDatabase(file, { today: new Date() })
  const { db } = openDatabase(file)
  try {
    await signRemainingDuties(
      openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(file))),
      'report-2012-fy',
      '2013-02-18T16:00:00Z',
    )
  } finally {
    await db.destroy()
  }
  server = await startServer({ databasePath: file })
  baseURL = server.baseURL
  const browser = await launchBrowser()
  close = browser.close
  page = await browser.context.newPage()
  cspViolations = recordCspViolations(page)
  await page.goto(`${baseURL}/login`)
  await signInThroughForm(page, 'audit.member@hecla.example')
  await page.waitForURL(`${baseURL}/`)
})
afterAll(async () => {
  await close?.()
  await server?.stop()
})

test('the FY2012 10-K matrix shows what each officer signed', async () => {
  await page.goto(`${baseURL}/reports/report-2012-fy/history`)
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Sign-off history')
  const matrix = page.getByRole('region', { name: 'Who signed what' })
  // Every officer has signed every duty of the 10-K here: 36 cells, each signed.
  const cells = await matrix.locator('td[data-duty][data-officer]').allTextContents()
  expect(cells).toHaveLength(36)
  for (const cell of cells) expect(cell).toMatch(/Signed/)
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
  // Duty 6 names the draft reviewed: another draft each period, in words, not code.
  await expect.poll(() => changes.locator('li[data-duty="6"]').textContent()).toContain('Changed')
  const duty6 = (await changes.locator('li[data-duty="6"]').textContent()) ?? ''
  expect(duty6).toMatch(/Draft SHA-256: [0-9a-f]{64} → [0-9a-f]{64}/)
  expect(await changes.locator('li[data-duty="11"]').textContent()).toContain('Consulted on: 2008-07-23 → 2013-02-18')
  // Duty 7, the same answers in both periods.
  expect(await changes.locator('li[data-duty="7"]').textContent()).toContain('The same answers in both')
  expect(await changes.locator('li[data-duty]').count()).toBe(12)
  expect(await seriousViolations(page)).toEqual([])
  expect(cspViolations).toEqual([])
})
