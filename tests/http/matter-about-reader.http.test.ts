import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openDatabase, type DB } from '../../db/client'
import { acknowledgeCase, reportCase, sendDutyEvent, signDuty } from '../../db/commands'
import { instanceId } from '../../db/ids'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import type { Body } from '../../machines/roles'
import { prepareDatabase } from '../../seeds/prepare'
import { seriousViolations } from '../browser/axe'
import { launchBrowser } from '../browser/chromium'
import { startServer, type TestServer } from '../browser/global-setup'
import { signInThroughForm } from '../browser/sign-in'
import { SEED_DAY } from '../utils/seed-day'
import { signInCookie } from './sessions'

// Issue 9: a matter is "never [shown] to its subject, even when the subject is a
// recipient by role". An exception's explanation is its case's summary, and the
// history readers (the Chairman among them) read the officers' sign-offs: so the
// CFO's sign-off with an exception about a matter concerning the Chairman shows
// him neither the explanation, the answers, nor the case; its receipt, the
// report's packet and bundles, and the record's bundle are refused to him (403,
// nothing written); the Audit Committee reads all of it. A server of its own,
// since the matter about the Chairman would change what he may download elsewhere.

let server: TestServer
let sqlite: Database.Database
let db: DB
let record: WorkflowRecord
let signOffId = ''
const REPORT = 'report-live'
const CASE = 'case-about-the-chairman'
const EXPLANATION = 'The Chairman’s brother-in-law supplies the Lucky Friday mine’s explosives; see case-about-the-chairman.'
const CFO = { userId: 'user-cfo', role: 'cfo' as const }
const ACTING: Record<string, { userId: string; role: string }> = {
  audit_committee: { userId: 'user-audit-chair', role: 'audit_committee_chair' },
  ceo: { userId: 'user-ceo', role: 'ceo' },
  disclosure_committee: { userId: 'user-disclosure-chair', role: 'disclosure_committee' },
}
const versionOf = (id: string) =>
  (sqlite.prepare('SELECT version FROM workflow_snapshot WHERE instance_id = ?').get(id) as { version: number } | undefined)?.version ?? 0
const recordCounts = () =>
  ['workflow_event', 'chain_checkpoint', 'sign_off', 'signature', 'workflow_instance'].map(
    (t) => (sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
  )

beforeAll(async () => {
  // Prepared on the pinned day, when the live report is in certification with a first draft.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'attest-about-reader-')), 'app.sqlite')
  await prepareDatabase(file, { today: SEED_DAY })
  server = await startServer({ databasePath: file })
  sqlite = new Database(server.databasePath, { readonly: true, fileMustExist: true })
  ;({ db } = openDatabase(server.databasePath))
  record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(server.databasePath)))
  const duty = instanceId.duty(REPORT, CFO.userId, 6)
  const draft = sqlite
    .prepare('SELECT d.sha256 FROM periodic_report r JOIN report_draft d ON d.id = r.current_draft_id WHERE r.id = ?')
    .get(REPORT) as { sha256: string }
  const send = async (event: Parameters<typeof sendDutyEvent>[1]['event']) =>
    sendDutyEvent(record, { reportId: REPORT, officer: CFO, dutyNumber: 6, expectedVersion: versionOf(duty), event, actor: CFO })
  await send({ type: 'duty.start' })
  await send({ type: 'duty.answer', answers: { draftSha256: draft.sha256, accurateAndComplete: false, comments: EXPLANATION } })
  await reportCase(record, {
    reportId: REPORT,
    input: {
      caseId: CASE,
      // Duty 6 (the draft is inaccurate) cites a duty 1 or 2 matter: the draft leaves out a related-party supply.
      duty: 2,
      subject: { kind: 'director', userId: 'user-chairman', isChairman: true },
      reporter: CFO,
      summary: EXPLANATION,
    },
    actor: CFO,
  })
  await send({ type: 'duty.raiseException', explanation: EXPLANATION, caseId: CASE })
  const routing = (
    JSON.parse(
      (sqlite.prepare('SELECT snapshot FROM workflow_snapshot WHERE instance_id = ?').get(instanceId.case(CASE)) as { snapshot: string })
        .snapshot,
    ) as { context: { routing: { recipients: Body[]; excludedUserIds: string[] } } }
  ).context.routing
  expect(routing.excludedUserIds).toEqual(['user-chairman'])
  for (const body of routing.recipients) {
    await acknowledgeCase(record, { caseId: CASE, body, expectedVersion: versionOf(instanceId.case(CASE)), actor: ACTING[body]! })
  }
  await send({ type: 'duty.confirm' })
  ;({ signOffId } = await signDuty(record, { reportId: REPORT, officer: CFO, dutyNumber: 6, expectedVersion: versionOf(duty) }))
}, 120_000)
afterAll(async () => {
  sqlite?.close()
  await db?.destroy()
  await server?.stop()
})

const get = (cookie: string, url: string) => fetch(`${server.baseURL}${url}`, { redirect: 'manual', headers: { Cookie: cookie } })

test('the Chairman, its subject, reads that the CFO signed with an exception, and nothing of what it says', async () => {
  const chairman = await signInCookie('chairman@hecla.example', 'chairman', server.baseURL)
  const before = recordCounts()
  const page = await get(chairman, `/history/sign-offs/${signOffId}`)
  expect(page.status).toBe(200)
  const html = await page.text()
  expect(html).toContain('Signed with an exception about a reported matter that concerns you')
  expect(html).not.toContain('brother-in-law')
  expect(html).not.toContain(CASE)
  expect(html).not.toContain(`/receipts/${signOffId}`)

  const compare = await get(chairman, `/history/compare?officer=user-cfo&from=report-2012-fy&to=${REPORT}`)
  expect(compare.status).toBe(200)
  const compared = await compare.text()
  expect(compared).toContain('Kept from you: an exception of this duty is about a reported matter that concerns you')
  expect(compared).not.toContain('brother-in-law')

  for (const url of [`/receipts/${signOffId}`, `/reports/${REPORT}/packet.pdf`, `/reports/${REPORT}/bundle.json`, '/history/bundle.json']) {
    const refused = await get(chairman, url)
    expect(refused.status, url).toBe(403)
    const text = await refused.text()
    expect(text, url).toContain('a matter is never shown to the person it is about')
    expect(text, url).not.toContain('brother-in-law')
  }
  // A report whose exports hold nothing about him is still his to download.
  expect((await get(chairman, '/reports/report-2012-fy/packet.pdf')).status).toBe(200)
  expect(recordCounts()).toEqual(before)
  const refusals = sqlite
    .prepare(
      "SELECT count(*) AS n FROM security_event WHERE kind = 'forbidden' AND user_id = 'user-chairman' AND detail LIKE '%matter_about_reader%'",
    )
    .get() as { n: number }
  expect(refusals.n).toBe(4)
}, 60_000)

test('the Audit Committee, which receives the matter, reads the exception, its case and the receipt, and downloads the exports', async () => {
  const auditChair = await signInCookie('audit.chair@hecla.example', 'audit chair', server.baseURL)
  const html = await (await get(auditChair, `/history/sign-offs/${signOffId}`)).text()
  expect(html).toContain('brother-in-law')
  expect(html).toContain(`/cases/${CASE}`)
  expect(html).not.toContain('concerns you')
  for (const url of [`/receipts/${signOffId}`, `/reports/${REPORT}/packet.pdf`, `/reports/${REPORT}/bundle.json`, '/history/bundle.json']) {
    expect((await get(auditChair, url)).status, url).toBe(200)
  }
}, 60_000)

test('in the browser, the Chairman’s view of that sign-off reads plainly and passes axe', async () => {
  const browser = await launchBrowser()
  try {
    const page = await browser.context.newPage()
    await page.goto(`${server.baseURL}/login`)
    await signInThroughForm(page, 'chairman@hecla.example')
    await page.waitForURL(`${server.baseURL}/`)
    await page.goto(`${server.baseURL}/history/sign-offs/${signOffId}`)
    expect(await page.locator('#kept-from-reader').innerText()).toMatch(
      /^Signed with an exception about a reported matter that concerns you\./,
    )
    expect(await page.getByRole('link', { name: /receipt/i }).count()).toBe(0)
    expect(await page.locator('main').innerText()).not.toContain('brother-in-law')
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: path.join(os.tmpdir(), 'attest-kept-from-subject.png'), fullPage: true })
  } finally {
    await browser.close()
  }
}, 60_000)
