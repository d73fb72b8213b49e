import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import type { Page } from 'playwright-core'
import { checkReceiptAgainstDatabase, parseReceipt } from '../../db/receipt'
import { loadVerificationKey, signingKeyPath } from '../../db/signing-key'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { recordCspViolations, signInThroughForm } from './sign-in'

// An Audit Committee member opens the Q2 2008 10-Q's matrix, filters the timeline
// (who signed in which title then, from which state to which), opens a sign-off and
// downloads its receipt and the CSV of the filtered events;
// then, from the report's history page, the PDF certification packet (its text read
// back with pdftotext) and the CSV of the report's events.

let page: Page
let close: () => Promise<void>
let cspViolations: string[]
const baseURL = inject('baseURL')

beforeAll(async () => {
  const browser = await launchBrowser()
  close = browser.close
  page = await browser.context.newPage()
  cspViolations = recordCspViolations(page)
  await page.goto(`${baseURL}/login`)
  await signInThroughForm(page, 'audit.member@hecla.example')
  await page.waitForURL(`${baseURL}/`)
})
afterAll(() => close())

test('the Q2 2008 matrix, the filtered timeline, a sign-off, its receipt and the CSV', async () => {
  await page.goto(`${baseURL}/reports/report-2008-q2`)
  await page.getByRole('link', { name: /Sign-off history/ }).click()
  await page.waitForURL(`${baseURL}/reports/report-2008-q2/history`)
  const matrix = page.getByRole('table')
  expect(await matrix.getByRole('columnheader').allTextContents()).toEqual(
    expect.arrayContaining([expect.stringContaining('Avery Ledger'), expect.stringContaining('Jordan Tally')]),
  )
  expect(await matrix.getByRole('link', { name: /^Signed \d+ Jul 2008/ }).count()).toBe(36)
  expect(await seriousViolations(page)).toEqual([])

  // The timeline of this report, filtered to the signatures of duty 1.
  await page.getByRole('link', { name: 'Every event of this report, in order' }).click()
  await page.getByLabel('Duty').selectOption('1')
  await page.getByLabel('Kind of event').selectOption({ label: 'Signed the duty' })
  await page.getByRole('button', { name: 'Show' }).click()
  await page.waitForURL(/\/history\?report=report-2008-q2&.*duty=1.*kind=duty\.sign/)
  const rows = page.getByRole('table').getByRole('row')
  // A client-side navigation changes the address before the new page renders: wait for the filtered rows.
  const signed = page.getByRole('table').getByRole('cell', { name: 'Signed the duty', exact: true })
  await expect.poll(async () => (await rows.count()) - 1 === (await signed.count())).toBe(true)
  const shown = (await rows.count()) - 1
  expect(shown).toBeGreaterThanOrEqual(3)
  expect(await page.getByRole('table').getByRole('cell', { name: 'Signed the duty', exact: true }).count()).toBe(shown)
  // Who signed in which title and roles then: the CFO was a Vice President in 2008 (a Senior Vice President since 2011),
  // and the duty went from one state to the next, in words.
  const cfoRow = rows.filter({ hasText: 'Avery Ledger' })
  expect(await cfoRow.count()).toBe(1)
  const who = await cfoRow.getByRole('cell').nth(3).innerText()
  expect(who).toMatch(
    /^Avery Ledger, Vice President and Chief Financial Officer\s+acting as Chief Financial Officer; held then: Chief Financial Officer, Disclosure Committee$/,
  )
  expect(await cfoRow.getByRole('cell').nth(5).innerText()).toBe('Ready to sign → Signed')
  expect(await page.getByRole('table').innerText()).not.toMatch(/readyToSign|awaitingApprovalForFiling|inProgress/)
  const csvDownload = page.waitForEvent('download')
  await page.getByRole('link', { name: 'Download these events as CSV' }).click()
  const csv = fs
    .readFileSync((await (await csvDownload).path())!, 'utf8')
    .trimEnd()
    .split('\n')
  expect(csv.length - 1).toBe(shown)
  expect(csv.slice(1).every((line) => line.includes(',duty.sign,'))).toBe(true)

  // Back to the matrix, one sign-off, its receipt.
  await page.goto(`${baseURL}/reports/report-2008-q2/history`)
  await page.locator('td[data-duty="1"][data-officer="user-cfo"] a').click()
  await page.waitForURL(/\/history\/sign-offs\/[0-9a-f]{64}$/)
  // A client-side navigation changes the address before the new page renders: wait for its heading.
  await page.locator('#sign-off-check').waitFor()
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Avery Ledger, duty 1')
  expect(await page.locator('#sign-off-check').textContent()).toMatch(/^Yes: it is what the record holds/)
  const receiptDownload = page.waitForEvent('download')
  await page.getByRole('link', { name: /Download the signature receipt/ }).click()
  const { receipt } = parseReceipt(fs.readFileSync((await (await receiptDownload).path())!, 'utf8'))
  expect(page.url()).toContain(receipt!.id)
  const file = inject('databasePath')
  expect(checkReceiptAgainstDatabase(receipt!, loadVerificationKey(signingKeyPath(file)), file)).toEqual({ ok: true, problems: [] })
  expect(await seriousViolations(page)).toEqual([])

  // The report's history page: the certification packet and the CSV of its events, downloaded from it.
  await page.goto(`${baseURL}/reports/report-2008-q2/history`)
  const packetDownload = page.waitForEvent('download')
  await page.getByRole('link', { name: 'Download the certification packet (PDF)' }).click()
  const packet = await packetDownload
  expect(packet.suggestedFilename()).toBe('certification-packet-report-2008-q2.pdf')
  const packetText = execFileSync('pdftotext', ['-enc', 'UTF-8', (await packet.path())!, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
  expect(packetText).toMatch(/Page 1 of \d+/)
  expect(packetText).toContain('Accession number: 0000719413-08-000045')
  expect(packetText).toContain(`Sign-off id (SHA-256 of the manifestation): ${receipt!.id}`)
  await page
    .getByRole('status')
    .filter({ hasText: /^Downloaded \(\d+ kB\)\.$/ })
    .waitFor()
  const eventsDownload = page.waitForEvent('download')
  await page.getByRole('link', { name: 'Download the events as CSV' }).click()
  const events = fs
    .readFileSync((await (await eventsDownload).path())!, 'utf8')
    .trimEnd()
    .split('\n')
  const sqlite = new Database(file, { readonly: true, fileMustExist: true })
  const reportEvents = (
    sqlite
      .prepare(
        "SELECT count(*) AS n FROM workflow_event e JOIN workflow_instance i ON i.id = e.instance_id WHERE i.report_id = 'report-2008-q2'",
      )
      .get() as { n: number }
  ).n
  sqlite.close()
  expect(events.length - 1).toBe(reportEvents)
  expect(await seriousViolations(page)).toEqual([])
  expect(cspViolations).toEqual([])
})

test('exceptions and cases over time, report by report: only the matters the Audit Committee receives count, each number opens the timeline behind it', async () => {
  await page.goto(`${baseURL}/history/compare`)
  const table = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Reported matters' }) })
  await page.getByRole('heading', { name: 'Exceptions and cases over time' }).waitFor()
  const headers = await table.getByRole('columnheader').allTextContents()
  expect(headers).toEqual(
    expect.arrayContaining(['Periodic report', 'Exceptions raised by', 'Avery Ledger', 'Opened', 'Referred to the Board']),
  )
  // In report order: the 2008 10-Q before the 2012 10-K; matters tied to no report last.
  const labels = await table.locator('tbody th[scope="row"]').allTextContents()
  expect(labels.indexOf('Form 10-Q, Q2 2008')).toBeLessThan(labels.indexOf('Form 10-K, fiscal 2012'))
  expect(labels.at(-1)).toBe('Not tied to a periodic report')
  // Of the Q2 2008 matters the Audit Committee received one (the control deficiency of duty 2; the six duty 1 items went
  // to the Disclosure Committee alone), resolved; the 2009 violation (duty 3) was referred to the Board.
  const q2 = table.locator('tr[data-report="report-2008-q2"]')
  expect(await q2.getByRole('cell').allTextContents()).toEqual(['0', '0', '0', '1', '1', '0', '0'])
  const untied = table.locator('tr[data-report=""]')
  // Matters tied to no report: at least the 2009 violation, opened and referred (other files of the suite report more).
  const [opened, , referred] = (await untied.getByRole('cell').allTextContents()).slice(-4).map(Number)
  expect(opened).toBeGreaterThanOrEqual(1)
  expect(referred).toBeGreaterThanOrEqual(1)
  expect(await seriousViolations(page)).toEqual([])
  await q2.getByRole('link', { name: 'matters opened on Form 10-Q, Q2 2008' }).click()
  await page.waitForURL(`${baseURL}/history?report=report-2008-q2&kind=case.route`)
  await page.getByRole('heading', { name: 'Events, newest first' }).waitFor()
  const events = page.getByRole('table').getByRole('row')
  // The timeline lists every matter's routing of the report (the case pages decide who opens which).
  expect(await events.count()).toBeGreaterThanOrEqual(2)
  expect(await events.nth(1).getByRole('cell').nth(5).innerText()).toBe('Reported → Waiting for acknowledgement')
})
