import { execFileSync } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/hecla'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { recordCspViolations, signInThroughForm } from './sign-in'

// A matter from its report to the Board's written notice, in a browser, as its
// people would walk it (issue 9): the CFO raises a suspected conflict of
// interest involving the CEO on duty 3; the Chairman and the Audit Committee
// find it in their inboxes, the CEO in none (nor by its address); each body
// acknowledges it and the CFO's duty exception is released; the Audit Committee
// refers it to the Board; the Chairman weighs the factors and records the
// determination (the CEO has no prior violation), two more directors sign it
// (a wrong password first), the notice goes out; the CEO reads it from the
// dashboard, downloads its PDF and acknowledges it; the Board sees when. A second,
// shorter walk refers a matter about the CAO/Controller, whose closed 2009
// violation from the demo history the Board's page shows, linked to its case.
// On a report of this file's own (created over HTTP by the administrator).

const baseURL = inject('baseURL')
const REPORT = { id: 'report-2018-q2', form: '10-Q', fiscalYear: '2018', fiscalQuarter: '2', periodEnd: '2018-06-30' }
const DUTY_ID = `duty/${REPORT.id}/user-cfo/3`
const MATTER = 'Suspected conflict of interest: the CEO’s brother owns the drilling contractor hired for the Lucky Friday expansion.'
const NOTICE = 'Determination browser test: the Board has determined that there has been a violation, and censures you.'

let sqlite: Database.Database
let browser: Awaited<ReturnType<typeof launchBrowser>>
let page: Page
let cspViolations: string[]

const stateOf = (id: string) =>
  (sqlite.prepare('SELECT state FROM workflow_snapshot WHERE instance_id = ?').get(id) as { state: string } | undefined)?.state

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
  draft.append('draft', new Blob(['Form 10-Q, Q2 2018 (determination browser test)'], { type: 'text/plain' }), 'draft.txt')
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
  sqlite?.close()
})

async function signInAs(email: string) {
  await browser.context.clearCookies()
  await page.goto(`${baseURL}/login`)
  await signInThroughForm(page, email)
  await page.waitForURL(`${baseURL}/`)
}

/** Opens a case from the inbox, as a recipient would. */
async function openFromInbox(caseId: string) {
  await page.goto(`${baseURL}/cases`)
  await page.locator(`[data-case-id="${caseId}"]`).getByRole('link').click()
  await page.waitForURL(`${baseURL}/cases/${caseId}`)
  await page.getByRole('heading', { level: 1, name: `Case ${caseId}` }).waitFor()
}

/** The Board's page, reached from the case page's link. */
async function openDetermination(caseId: string) {
  await openFromInbox(caseId)
  await page.getByRole('link', { name: 'Open the Board’s determination' }).click()
  await page.waitForURL(`${baseURL}/cases/${caseId}/determination`)
  await page.getByRole('heading', { level: 1, name: 'The Board’s determination' }).waitFor()
}

/**
 * The cases of the Board's earlier determinations that the CEO committed a violation:
 * none in the demo's history, but the suite's files share one database and may run in
 * any order, and another file's walk may have ended in one.
 */
const violationsDeterminedAboutCeo = () =>
  (
    sqlite
      .prepare(
        "SELECT json_extract(s.snapshot, '$.context.caseId') AS id FROM workflow_instance i JOIN workflow_snapshot s ON s.instance_id = i.id " +
          "WHERE i.machine_id = 'board-determination' AND i.subject_user_id = 'user-ceo' AND json_extract(s.snapshot, '$.context.decision.violation') = 1",
      )
      .all() as { id: string }[]
  ).map((r) => r.id)

const text = (selector: string) => page.locator(selector).textContent()

let caseId = ''

test('the CFO raises the exception on duty 3 about the CEO; the CEO finds it nowhere and cannot open it', async () => {
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
      .get(DUTY_ID) as { id: string }
  ).id
  expect(caseId).toMatch(/^case-2018-q2-d3-/)

  await signInAs('ceo@hecla.example')
  await page.goto(`${baseURL}/cases`)
  expect(await page.locator(`[data-case-id="${caseId}"]`).count()).toBe(0)
  expect(await page.content()).not.toContain('drilling contractor')
  expect((await page.goto(`${baseURL}/cases/${caseId}`))?.status()).toBe(404)
  expect((await page.goto(`${baseURL}/cases/${caseId}/determination`))?.status()).toBe(403)
  expect(await page.content()).not.toContain('drilling contractor')
})

test('the Chairman and the Audit Committee find it in their inboxes and acknowledge it; the CFO’s exception is released', async () => {
  await signInAs('chairman@hecla.example')
  await openFromInbox(caseId)
  expect(await page.getByRole('region', { name: 'Who receives it, and why' }).textContent()).toContain(
    'The CEO is the subject, so the Chairman of the Board receives it.',
  )
  await page.getByRole('button', { name: 'Acknowledge for the Chairman of the Board' }).click()
  await page.getByText('Acknowledged.').waitFor()
  expect(stateOf(DUTY_ID)).toBe('{"answered":{"exceptionRaised":"awaitingAcknowledgement"}}')

  await signInAs('audit.chair@hecla.example')
  await openFromInbox(caseId)
  await page.getByRole('button', { name: 'Acknowledge for the Audit Committee' }).click()
  await page.getByText('Acknowledged.').waitFor()
  expect(stateOf(DUTY_ID)).toBe('{"answered":{"exceptionRaised":"acknowledged"}}')
})

test('the Audit Committee refers it to the Board for a determination', async () => {
  await page.getByLabel('It is a violation of the Code of Business Conduct and Ethics or of these procedures').check()
  await page
    .getByLabel('Why it goes to the Board')
    .fill('An undisclosed conflict of interest of the CEO: the Board determines the actions.')
  await page.getByRole('button', { name: 'Refer to the Board' }).click()
  await page.getByText('The matter is referred to the Board of Directors for its determination.').waitFor()
  expect(stateOf(`case/${caseId}`)).toBe('referredForDetermination')
})

test('the Chairman weighs the five factors, finds the prior violations the record holds (none in the demo), and records and signs the determination', async () => {
  await signInAs('chairman@hecla.example')
  await openDetermination(caseId)
  const earlier = violationsDeterminedAboutCeo()
  if (earlier.length === 0) expect(await text('#prior-none')).toContain('None: the record holds no earlier violation')
  const shown = await page.locator('[data-prior-case-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-prior-case-id')))
  expect(shown.sort()).toEqual(earlier.sort())
  await page.screenshot({ path: path.join(os.tmpdir(), 'attest-determination-form.png'), fullPage: true })
  expect(await seriousViolations(page)).toEqual([])

  // A violation with no action chosen is refused beside the form, and nothing is recorded.
  await page
    .getByLabel('The nature and severity of the violation: what happened')
    .fill('A drilling contract of about $4 million awarded to the CEO’s brother’s firm, never disclosed.')
  await page.getByRole('group', { name: 'How severe it is' }).getByLabel('Serious').check()
  await page.getByLabel('A single occurrence').check()
  await page.getByLabel('Appears to have been inadvertent').check()
  await page
    .getByRole('group', {
      name: 'Whether the individual in question had been advised prior to the violation as to the proper course of action',
    })
    .getByLabel('No')
    .check()
  await page.getByRole('group', { name: 'Has there been a violation?' }).getByLabel('Yes').check()
  await page.getByLabel('The Board of Directors', { exact: true }).check()
  await page.getByLabel('The Board’s reasons').fill('An inadvertent but serious conflict of interest: notice and censure.')
  await page.getByLabel('Your password (to sign)').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Record and sign the determination' }).click()
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('choose at least one action the Board takes')
  expect(stateOf(`determination/${caseId}`)).toBeUndefined()

  await page.getByLabel('Written notice to the individual involved that the Board has determined that there has been a violation').check()
  await page.getByLabel('Censure by the Board').check()
  await page.getByLabel('Your password (to sign)').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Record and sign the determination' }).click()
  await page.getByText('The determination is recorded, with its factors, and signed by you.').waitFor()
  expect(stateOf(`determination/${caseId}`)).toBe('decided')
  expect(await text('#determination-words')).toBe('The Board has determined that there has been a violation.')
  expect(await text('#determination-actions')).toContain('Censure by the Board')
  expect(await text('#determination-factors')).toContain(
    earlier.length === 0 ? 'None found in the record' : `Yes: ${earlier.length} found in the record (below)`,
  )
  expect(await text('#determination-signatures')).toContain('Robin Gavel')
  expect(await text('#determination-not-signed')).toContain('Morgan Oversight')
  expect(await text('#determination-not-signed')).toContain('Taylor Quorum')
  expect(await seriousViolations(page)).toEqual([])
})

test('two more directors sign (a wrong password signs nothing); the Chairman gives the notice', async () => {
  await signInAs('audit.member@hecla.example')
  await openDetermination(caseId)
  await page.getByLabel('Your password (to sign)').fill('not-my-password')
  await page.getByRole('button', { name: 'Sign the determination' }).click()
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('Nothing was signed: that password is not right.')
  expect(await text('#determination-signatures')).not.toContain('Taylor Quorum')
  await page.getByLabel('Your password (to sign)').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign the determination' }).click()
  await page.getByText('Your signature of the determination is recorded.').waitFor()
  expect(await text('#determination-signatures')).toContain('Taylor Quorum')

  await signInAs('audit.chair@hecla.example')
  await openDetermination(caseId)
  await page.getByLabel('Your password (to sign)').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign the determination' }).click()
  await page.getByText('Your signature of the determination is recorded.').waitFor()
  expect(await text('#determination-not-signed')).toBe('Every director who may take part has signed.')

  await signInAs('chairman@hecla.example')
  await openDetermination(caseId)
  await page.getByLabel('The notice', { exact: true }).fill(NOTICE)
  await page.getByRole('button', { name: 'Give the notice' }).click()
  await page.getByText('The written notice is given to the individual.').waitFor()
  expect(await text('#notice-acknowledgement')).toBe('The individual has not acknowledged receipt yet.')
  expect(stateOf(`determination/${caseId}`)).toBe('noticeGiven')
})

test('the CEO reads the notice from the dashboard, downloads its PDF and acknowledges it; the Board sees when', async () => {
  await signInAs('ceo@hecla.example')
  await page.getByRole('link', { name: 'A notice from the Board of Directors awaits your acknowledgement' }).click()
  await page.waitForURL(`${baseURL}/notices/${caseId}`)
  await page.getByRole('heading', { level: 1, name: 'Notice from the Board of Directors' }).waitFor()
  expect(await text('#notice-text')).toContain(NOTICE)
  await page.screenshot({ path: path.join(os.tmpdir(), 'attest-notice.png'), fullPage: true })
  expect(await text('#notice-actions')).toContain('Censure by the Board')
  const signedBy = await text('#notice-signatures')
  for (const name of ['Robin Gavel', 'Taylor Quorum', 'Morgan Oversight']) expect(signedBy).toContain(name)
  // Nothing of the matter behind it: neither its words, nor its reporter, nor the Board's factors.
  const content = await page.content()
  for (const hidden of ['drilling contractor', 'Avery Ledger', 'never disclosed']) expect(content, hidden).not.toContain(hidden)
  expect(await seriousViolations(page)).toEqual([])

  const download = page.waitForEvent('download')
  await page.getByRole('link', { name: 'Download this notice (PDF)' }).click()
  const pdf = await download
  expect(pdf.suggestedFilename()).toBe(`notice-${caseId}.pdf`)
  const pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', (await pdf.path())!, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
  expect(pdfText).toContain('Notice from the Board of Directors')
  expect(pdfText).toContain(NOTICE)
  expect(pdfText).toContain('Phillips S. Baker, Jr.')
  expect(pdfText).toContain('Censure by the Board')
  expect(pdfText).not.toContain('drilling contractor')

  await page.getByRole('button', { name: 'Acknowledge receipt' }).click()
  await page.getByText('Your acknowledgement of receipt is recorded.').waitFor()
  expect(await text('#notice-acknowledged')).toMatch(/^You acknowledged receipt of this notice on /)
  expect(stateOf(`determination/${caseId}`)).toBe('noticeAcknowledged')
  await page.goto(`${baseURL}/`)
  expect(await page.getByText('A notice from the Board of Directors awaits your acknowledgement').count()).toBe(0)

  await signInAs('chairman@hecla.example')
  await openDetermination(caseId)
  expect(await text('#notice-acknowledgement')).toMatch(
    /^The individual acknowledged receipt on [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M UTC\.$/,
  )
  // For a person to look at (the suite does not compare it).
  await page.screenshot({ path: path.join(os.tmpdir(), 'attest-determination.png'), fullPage: true })
  await page.getByRole('button', { name: 'Close the determination' }).click()
  await page.getByText('The determination is closed.').waitFor()
  expect(stateOf(`determination/${caseId}`)).toBe('closed')
  expect(cspViolations).toEqual([])
})

test('a matter about the CAO/Controller: the Board’s page shows the 2009 violation from the record, linked to its case', async () => {
  await signInAs('cfo@hecla.example')
  await page.goto(`${baseURL}/cases/new`)
  await page.getByLabel('Kind of matter').selectOption('code_violation')
  await page.getByLabel('What happened').fill('The Controller again approved invoices of the brother-in-law’s firm (browser test).')
  await page.getByLabel('Who it is about').selectOption('user-cao')
  await page.getByRole('button', { name: 'Report the matter' }).click()
  await page.waitForURL(/\/cases\/mine\?reported=/)
  const about = decodeURIComponent(new URL(page.url()).searchParams.get('reported')!)
  expect(stateOf(`case/${about}`)).toBe('routed')

  await signInAs('ceo@hecla.example')
  await openFromInbox(about)
  await page.getByRole('button', { name: /^Acknowledge for / }).click()
  await page.getByText('Acknowledged.').waitFor()
  await signInAs('audit.chair@hecla.example')
  await openFromInbox(about)
  await page.getByRole('button', { name: 'Acknowledge for the Audit Committee' }).click()
  await page.getByText('Acknowledged.').waitFor()
  await page.getByLabel('Why it goes to the Board').fill('A second undisclosed conflict of interest of the Controller.')
  await page.getByRole('button', { name: 'Refer to the Board' }).click()
  await page.getByText('The matter is referred to the Board of Directors for its determination.').waitFor()

  await signInAs('chairman@hecla.example')
  await openDetermination(about)
  const prior = page.locator('[data-prior-case-id="case-2009-supplier-relative"]')
  expect(await prior.textContent()).toContain('Censure by the Board')
  expect(await prior.textContent()).toContain('Mar 12, 2009')
  expect(await seriousViolations(page)).toEqual([])
  await prior.getByRole('link', { name: 'Case case-2009-supplier-relative' }).click()
  await page.waitForURL(`${baseURL}/cases/case-2009-supplier-relative`)
  await page.getByRole('heading', { level: 1, name: 'Case case-2009-supplier-relative' }).waitFor()
  expect(await page.getByRole('region', { name: 'The matter' }).textContent()).toContain('Silver Valley Drafting')

  // The determination recorded with JavaScript off, as a plain form post: the earlier violation is weighed.
  const noScript = await launchBrowser({ javaScriptEnabled: false })
  try {
    const plain = await noScript.context.newPage()
    await plain.goto(`${baseURL}/login`)
    await signInThroughForm(plain, 'chairman@hecla.example')
    await plain.waitForURL(`${baseURL}/`)
    await plain.goto(`${baseURL}/cases/${about}/determination`)
    await plain.getByLabel('The nature and severity of the violation: what happened').fill('A second related-party approval.')
    await plain.getByRole('group', { name: 'How severe it is' }).getByLabel('Moderate').check()
    await plain.getByLabel('Repeated occurrences').check()
    await plain.getByLabel('Appears to have been intentional').check()
    await plain
      .getByRole('group', {
        name: 'Whether the individual in question had been advised prior to the violation as to the proper course of action',
      })
      .getByLabel('Yes')
      .check()
    await plain.getByRole('group', { name: 'Has there been a violation?' }).getByLabel('Yes').check()
    await plain.getByLabel('The Board of Directors', { exact: true }).check()
    await plain.getByLabel('Demotion or re-assignment of the individual involved').check()
    await plain.getByLabel('The Board’s reasons').fill('Repeated after the 2009 censure: re-assignment away from approving invoices.')
    await plain.getByLabel('Your password (to sign)').fill(DEMO_PASSWORD)
    await plain.getByRole('button', { name: 'Record and sign the determination' }).click()
    await plain.waitForURL(`${baseURL}/cases/${about}/determination?done=record`)
    expect(await plain.locator('#determination-factors').textContent()).toMatch(/Yes: \d+ found in the record \(below\)/)
    expect(await plain.locator('[data-prior-case-id="case-2009-supplier-relative"]').count()).toBe(1)
  } finally {
    await noScript.close()
  }
  expect(stateOf(`determination/${about}`)).toBe('decided')
})
