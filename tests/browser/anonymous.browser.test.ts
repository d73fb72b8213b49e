import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { openDatabase, type DB } from '../../db/client'
import { writeCaseMessage } from '../../db/commands'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { openWorkflowRecord } from '../../db/workflow-record'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { recordCspViolations } from './sign-in'

// An employee (the internal auditor, not signed in) reports through the anonymous
// channel, writes down the receipt key, and follows up with it and the passphrase:
// sees the state, answers the Audit Committee's question. A wrong passphrase is
// refused, and repeated tries are slowed (429, Retry-After). Without JavaScript,
// as the channel must work in any browser; on the suite's shared server.

const baseURL = inject('baseURL')
const PASSPHRASE = 'seven quiet ravens at Mayo'
let page: Page
/** The same channel without JavaScript: plain form posts, so each answer's status and headers are the document's. */
let plain: Page
let close: () => Promise<void>
let closePlain: () => Promise<void>
let cspViolations: string[]
let db: DB
let sqlite: Database.Database

beforeAll(async () => {
  const browser = await launchBrowser()
  close = browser.close
  page = await browser.context.newPage()
  const noScript = await launchBrowser({ javaScriptEnabled: false })
  closePlain = noScript.close
  plain = await noScript.context.newPage()
  cspViolations = recordCspViolations(page)
  ;({ db } = openDatabase(inject('databasePath')))
  sqlite = new Database(inject('databasePath'), { readonly: true, fileMustExist: true })
})
afterAll(async () => {
  await close()
  await closePlain()
  sqlite.close()
  await db.destroy()
})

let receiptKey = ''

async function followUp(on: Page, passphrase: string) {
  await on.goto(`${baseURL}/anonymous/follow-up`)
  await on.getByLabel('Receipt key').fill(receiptKey)
  await on.getByLabel('Passphrase', { exact: true }).fill(passphrase)
  const [response] = await Promise.all([
    on.waitForResponse((r) => /\/anonymous\/follow-up(\.data)?$/.test(new URL(r.url()).pathname) && r.request().method() === 'POST'),
    on.getByRole('button', { name: 'Open my report' }).click(),
  ])
  await on.waitForLoadState()
  return response
}

test('an employee reports anonymously, without an account, and is given a receipt key', async () => {
  await page.goto(`${baseURL}/anonymous`)
  expect(await seriousViolations(page)).toEqual([])
  await page.getByLabel('Kind of matter').selectOption({ label: 'A significant deficiency in the internal controls' })
  await page.getByLabel('What happened').fill('Inventory counts at Casa Berardi are signed off without a recount (browser test).')
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE)
  await page.getByLabel('The passphrase again').fill(PASSPHRASE)
  await page.getByRole('button', { name: 'Send the report' }).click()
  await page.getByRole('heading', { name: 'Your report is sent to the Audit Committee' }).waitFor()
  receiptKey = (await page.locator('#receipt-key').textContent())!
  expect(receiptKey).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/)
  expect(await page.context().cookies()).toEqual([])
})

test('with the key and passphrase, the reporter sees the state and answers the Audit Committee’s question', async () => {
  const caseInstance = (
    sqlite.prepare('SELECT case_instance_id AS id FROM anonymous_receipt ORDER BY rowid DESC LIMIT 1').get() as { id: string }
  ).id
  const record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(inject('databasePath'))))
  await writeCaseMessage(record, {
    caseId: caseInstance.replace(/^case\//, ''),
    kind: 'question',
    authorUserId: 'user-audit-chair',
    capacity: 'audit_committee',
    body: 'Which warehouse, and since when?',
  })
  const response = await followUp(page, PASSPHRASE)
  await page.locator('#report-state').waitFor()
  expect(response.status()).toBe(200)
  expect(await page.locator('#report-state').textContent()).toBe('waiting for acknowledgement')
  await page.getByLabel('Your answer').fill('The north warehouse, since the spring count.')
  await page.getByRole('button', { name: 'Send the answer' }).click()
  await page.getByText('Your answer is sent to the Audit Committee.').waitFor()
  expect(await page.getByText('The north warehouse, since the spring count.').count()).toBeGreaterThan(0)
  expect(await seriousViolations(page)).toEqual([])
})

test('a wrong passphrase is refused, and repeated tries are slowed with 429 and Retry-After', async () => {
  const first = await followUp(plain, 'not my passphrase')
  expect(first.status()).toBe(403)
  expect(await plain.getByRole('alert').textContent()).toContain('The receipt key and passphrase do not open a report.')
  expect(await plain.getByText('Which warehouse, and since when?').count()).toBe(0)
  for (let i = 2; i <= 5; i++) expect((await followUp(plain, `wrong ${i}`)).status()).toBe(403)
  const slowed = await followUp(plain, PASSPHRASE)
  expect(slowed.status()).toBe(429)
  expect(Number(await slowed.headerValue('retry-after'))).toBeGreaterThan(0)
  expect(await plain.getByRole('alert').textContent()).toContain('Too many tries')
})

test('the Content-Security-Policy blocked nothing', () => {
  expect(cspViolations).toEqual([])
})
