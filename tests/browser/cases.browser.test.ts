import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/hecla'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { recordCspViolations, signInThroughForm } from './sign-in'

// The CFO reports a suspected conflict of interest involving the CEO, as an
// exception on duty 3; the Chairman and the Audit Committee find it in their
// inboxes, the CEO does not (nor by its address); each body acknowledges it on
// the case page, and the CFO's duty exception is released. On a report of this
// file's own (created over HTTP by the administrator), so no other file's report moves.

const baseURL = inject('baseURL')
const REPORT = { id: 'report-2017-q2', form: '10-Q', fiscalYear: '2017', fiscalQuarter: '2', periodEnd: '2017-06-30' }
const DUTY_ID = `duty/${REPORT.id}/user-cfo/3`
const MATTER = 'Suspected conflict of interest: the CEO’s family holds a stake in the haulage contractor chosen for Greens Creek.'

let sqlite: Database.Database
let browser: Awaited<ReturnType<typeof launchBrowser>>
let page: Page
let cspViolations: string[]

const stateOf = (id: string) =>
  (sqlite.prepare('SELECT state FROM workflow_snapshot WHERE instance_id = ?').get(id) as { state: string }).state

async function adminPost(cookie: string, path: string, body: URLSearchParams | FormData) {
  return fetch(`${baseURL}${path}`, { method: 'POST', redirect: 'manual', headers: { Origin: baseURL, Cookie: cookie }, body })
}

beforeAll(async () => {
  sqlite = new Database(inject('databasePath'), { readonly: true, fileMustExist: true })
  const login = await fetch(`${baseURL}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL },
    body: new URLSearchParams({ email: 'admin@hecla.example', password: DEMO_PASSWORD, redirectTo: '/' }),
  })
  const admin = login.headers.get('set-cookie')!.split(';')[0]!
  expect((await adminPost(admin, '/admin/reports/new', new URLSearchParams(REPORT))).status).toBe(302)
  const draft = new FormData()
  draft.append('intent', 'uploadDraft')
  draft.append('draft', new Blob(['Form 10-Q, Q2 2017 (cases browser test)'], { type: 'text/plain' }), 'draft.txt')
  expect((await adminPost(admin, `/admin/reports/${REPORT.id}/drafts`, draft)).status).toBe(200)
  expect((await adminPost(admin, `/admin/reports/${REPORT.id}/drafts`, new URLSearchParams({ intent: 'beginCertification' }))).status).toBe(
    200,
  )
  browser = await launchBrowser()
  page = await browser.context.newPage()
  cspViolations = recordCspViolations(page)
})
afterAll(async () => {
  await browser?.close()
  sqlite.close()
})

async function signInAs(email: string) {
  await browser.context.clearCookies()
  await page.goto(`${baseURL}/login`)
  await signInThroughForm(page, email)
  await page.waitForURL(`${baseURL}/`)
}

let caseId = ''

test('the CFO raises an exception on duty 3 about the CEO: a case routed to the Chairman and the Audit Committee', async () => {
  await signInAs('cfo@hecla.example')
  await page.goto(`${baseURL}/reports/${REPORT.id}/duties/3`)
  await page.getByLabel('None beyond those already reported').check()
  await page.getByRole('button', { name: 'Record my answers' }).click()
  await page.getByText('Your answers are recorded.').waitFor()
  await page.getByLabel('Written explanation of the exception').fill(MATTER)
  await page.getByLabel('New case: who it is about').selectOption('user-ceo')
  await page.getByRole('button', { name: 'Raise the exception' }).click()
  await page.getByText('The exception is recorded and its case has gone to its recipients.').waitFor()
  expect(stateOf(DUTY_ID)).toBe('{"answered":{"exceptionRaised":"awaitingAcknowledgement"}}')
  caseId = (
    sqlite
      .prepare("SELECT json_extract(snapshot, '$.context.exception.caseId') AS id FROM workflow_snapshot WHERE instance_id = ?")
      .get(DUTY_ID) as {
      id: string
    }
  ).id
  expect(caseId).toMatch(/^case-2017-q2-d3-/)
})

test('the CEO, its subject, finds it in no list and cannot open it by its address', async () => {
  await signInAs('ceo@hecla.example')
  await page.goto(`${baseURL}/cases`)
  expect(await page.locator(`[data-case-id="${caseId}"]`).count()).toBe(0)
  expect(await page.content()).not.toContain('haulage contractor')
  const direct = await page.goto(`${baseURL}/cases/${caseId}`)
  expect(direct?.status()).toBe(404)
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This page does not exist')
  expect(await page.content()).not.toContain('haulage contractor')
})

test('the Chairman is told matters await, finds it in the inbox, reads why it came to them, and acknowledges it', async () => {
  await signInAs('chairman@hecla.example')
  await page.getByRole('link', { name: /matters? awaits? you/ }).click()
  await page.waitForURL(`${baseURL}/cases`)
  const row = page.locator(`[data-case-id="${caseId}"]`)
  expect(await row.textContent()).toContain('waiting for acknowledgement')
  expect(await seriousViolations(page)).toEqual([])
  await row.getByRole('link').click()
  await page.waitForURL(`${baseURL}/cases/${caseId}`)
  expect(await page.getByRole('region', { name: 'The matter' }).textContent()).toContain('haulage contractor')
  expect(await page.getByRole('region', { name: 'Who receives it, and why' }).textContent()).toContain(
    'The CEO is the subject, so the Chairman of the Board receives it.',
  )
  expect(await seriousViolations(page)).toEqual([])
  await page.getByRole('button', { name: 'Acknowledge for the Chairman of the Board' }).click()
  await page.getByText('Acknowledged.').waitFor()
  const chairmanRow = page.locator('tr[data-body="chairman"]')
  expect(await chairmanRow.textContent()).toContain('By Robin Gavel')
  // One body of two: the officer's exception still waits.
  expect(stateOf(DUTY_ID)).toBe('{"answered":{"exceptionRaised":"awaitingAcknowledgement"}}')
})

test('the Audit Committee’s chair acknowledges for the committee, sees who opened it, and the CFO’s exception is released', async () => {
  await signInAs('audit.chair@hecla.example')
  await page.goto(`${baseURL}/cases`)
  await page.locator(`[data-case-id="${caseId}"]`).getByRole('link').click()
  await page.waitForURL(`${baseURL}/cases/${caseId}`)
  const access = await page.getByRole('region', { name: 'Who opened this matter' }).textContent()
  expect(access).toContain('Robin Gavel')
  await page.getByRole('button', { name: 'Acknowledge for the Audit Committee' }).click()
  await page.getByText('Acknowledged.').waitFor()
  expect(await page.locator('#case-state').textContent()).toContain('a decision: resolve it, or refer it to the Board')
  expect(await seriousViolations(page)).toEqual([])
  expect(stateOf(DUTY_ID)).toBe('{"answered":{"exceptionRaised":"acknowledged"}}')

  await signInAs('cfo@hecla.example')
  await page.goto(`${baseURL}/reports/${REPORT.id}/duties/3`)
  expect(await page.getByRole('button', { name: 'Confirm my answers' }).count()).toBe(1)
  // The reporter follows the case from the duty: its routing and acknowledgements, never the recipients' notes.
  await page.getByRole('link', { name: caseId }).click()
  await page.waitForURL(`${baseURL}/cases/${caseId}`)
  // A client-side navigation changes the address just before the new page is drawn: wait for the page, not the address.
  await expect.poll(() => page.getByText('you reported it').count()).toBe(1)
  expect(await page.locator('tr[data-body="audit_committee"]').textContent()).toContain('By Morgan Oversight')
  expect(await page.getByRole('region', { name: 'Notes between the recipients' }).count()).toBe(0)
  expect(cspViolations).toEqual([])
})
