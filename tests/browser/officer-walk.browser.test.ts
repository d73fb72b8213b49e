import { createHash } from 'node:crypto'
import fs from 'node:fs'
import Database from 'better-sqlite3'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { acknowledgeCase } from '../../db/commands'
import { instanceId } from '../../db/ids'
import { listCaseInstances } from '../../db/queries/workflows'
import { openDatabase } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { openWorkflowRecord } from '../../db/workflow-record'
import { pendingRecipients } from '../../machines/case'
import { DUTIES } from '../../machines/duties'
import type { Body } from '../../machines/roles'
import { DEMO_PASSWORD } from '../../seeds/hecla'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { recordCspViolations, signInThroughForm } from './sign-in'

// Each officer walks every duty of the FY2012 Form 10-K still open for them,
// through the pages, as a person would. The seeded demo history says where each
// duty stands (the CAO/Controller signed 5, 7, 8, 9; the CFO 5, 7; the CEO none),
// and this file is the only one that writes to it: every step is taken
// unconditionally and asserts the state it expects, so a missing form fails.

const baseURL = inject('baseURL')
const REPORT = 'report-2012-fy'
const reportUrl = `${baseURL}/reports/${REPORT}`
const dutyUrl = (n: number) => `${reportUrl}/duties/${n}`
const CANAMEX = 'Investment in Canamex Resources Corp.'

let sqlite: Database.Database
beforeAll(() => {
  sqlite = new Database(inject('databasePath'), { readonly: true, fileMustExist: true })
})
afterAll(() => sqlite.close())

const count = (sql: string, ...args: unknown[]) => (sqlite.prepare(sql).get(...args) as { n: number }).n

// No recipient page exists yet: the bodies acknowledge through the same command
// such a page would call, on the server's own file and signing key.
const RECIPIENT_ACTORS: Partial<Record<Body, { userId: string; role: string }>> = {
  disclosure_committee: { userId: 'user-disclosure-chair', role: 'disclosure_committee' },
  audit_committee: { userId: 'user-audit-chair', role: 'audit_committee_chair' },
  chairman: { userId: 'user-chairman', role: 'chairman' },
  ceo: { userId: 'user-ceo', role: 'ceo' },
}

async function acknowledgePendingCases(): Promise<string[]> {
  const file = inject('databasePath')
  const { db } = openDatabase(file)
  try {
    const record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(file)))
    const done: string[] = []
    for (const c of await listCaseInstances(db, record, REPORT)) {
      for (const body of pendingRecipients(c.context)) {
        const { version } = await db
          .selectFrom('workflow_snapshot')
          .select('version')
          .where('instance_id', '=', c.id)
          .executeTakeFirstOrThrow()
        await acknowledgeCase(record, { caseId: c.context.caseId, body, expectedVersion: version, actor: RECIPIENT_ACTORS[body]! })
        done.push(`${c.context.caseId}:${body}`)
      }
    }
    return done
  } finally {
    await db.destroy()
  }
}

const withoutJavaScript = new WeakSet<Page>()

// What a person does, counted: every page change of the main frame, and every
// click, fill, check and choice (a page.goto stands for the link a person clicks).
const effort = { pageChanges: 0, actions: 0, passwords: 0 }
function countEffort(page: Page) {
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) effort.pageChanges++
  })
  const proto = Object.getPrototypeOf(page.locator('body')) as Record<string, (...args: unknown[]) => Promise<unknown>>
  for (const name of ['click', 'fill', 'check', 'uncheck', 'selectOption', 'setChecked']) {
    const original = proto[name]!
    if ((original as { counted?: boolean }).counted) continue
    const counted = async function (this: unknown, ...args: unknown[]) {
      effort.actions++
      return original.apply(this, args)
    }
    ;(counted as { counted?: boolean }).counted = true
    proto[name] = counted
  }
  const goto = page.goto.bind(page)
  page.goto = async (...args: Parameters<Page['goto']>) => {
    effort.actions++
    return goto(...args)
  }
  const reload = page.reload.bind(page)
  page.reload = async (...args: Parameters<Page['reload']>) => {
    effort.actions++
    return reload(...args)
  }
}

async function openAs(email: string, options: { javaScriptEnabled?: boolean; landing?: string } = {}) {
  const browser = await launchBrowser(options)
  const page = await browser.context.newPage()
  if (options.javaScriptEnabled === false) withoutJavaScript.add(page)
  const csp = recordCspViolations(page)
  const landing = options.landing ?? `/reports/${REPORT}`
  await page.goto(`${baseURL}/login?redirectTo=${encodeURIComponent(landing)}`)
  await signInThroughForm(page, email)
  await page.waitForURL(`${baseURL}${landing}`)
  return { page, close: browser.close, csp }
}

async function gotoDuty(page: Page, n: number) {
  const response = await page.goto(dutyUrl(n))
  expect(response?.status()).toBe(200)
  await hydrated(page)
}

async function hydrated(page: Page) {
  // Without JavaScript there is nothing to wait for: the forms post as plain HTML.
  if (!withoutJavaScript.has(page)) await page.waitForFunction(() => '__remixRouter' in window)
}

const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true })
const button = (scope: Page | Locator, name: string) => scope.getByRole('button', { name, exact: true })
const has = async (l: Locator) => (await l.count()) > 0

async function statusSays(page: Page, text: string) {
  await page.getByRole('status').filter({ hasText: text }).waitFor()
}

/** The badge of "Where it stands" says exactly this. */
async function expectState(page: Page, label: string) {
  expect(await region(page, 'Where it stands').locator('.ow-state-badge').textContent()).toBe(label)
}

/** Focus moved to what just happened: the status message, or the error summary. */
async function expectFocusOn(page: Page, role: 'status' | 'alert') {
  if (withoutJavaScript.has(page)) return
  await page.waitForFunction((r) => document.activeElement?.getAttribute('role') === r, role, { timeout: 5000 })
}

type Fill = (form: Locator, page: Page) => Promise<void>

/** Signs with the password in the Sign panel (which must be there). */
async function signWithPassword(page: Page, n: number) {
  const sign = region(page, 'Sign')
  await sign.waitFor({ timeout: 5000 })
  await sign.getByLabel('Your password, to sign').fill(DEMO_PASSWORD)
  effort.passwords++
  await button(sign, `Sign duty ${n}`).click()
  await statusSays(page, 'Signed.')
  await expectFocusOn(page, 'status')
  await expectState(page, 'Signed')
  await region(page, 'Your sign-off').waitFor()
}

/**
 * Takes a duty that is not started to signed, on the page already open: the
 * first answer (which starts the review), confirm, sign. Every step must be there.
 */
async function walkDuty(page: Page, n: number, fill: Fill, options: { beforeSign?: (page: Page) => Promise<void> } = {}) {
  await expectState(page, 'Not started')
  expect(await has(button(page, `Start the review of duty ${n}`))).toBe(false)
  const form = region(page, 'Record your answers')
  await form.waitFor({ timeout: 5000 })
  await fill(form, page)
  await button(form, 'Record my answers').click()
  await statusSays(page, 'Your answers are recorded.')
  await expectFocusOn(page, 'status')
  await expectState(page, 'Answered')
  await button(page, 'Confirm my answers').click()
  await statusSays(page, 'Your answers are confirmed.')
  await expectFocusOn(page, 'status')
  await expectState(page, 'Ready to sign')
  if (options.beforeSign) await options.beforeSign(page)
  await signWithPassword(page, n)
}

/** A duty the seeds signed: the sign-off is shown, and no form is offered. */
async function expectSignedAlready(page: Page, n: number) {
  await gotoDuty(page, n)
  await expectState(page, 'Signed')
  await region(page, 'Your sign-off').waitFor({ timeout: 5000 })
  expect(await has(region(page, 'Record your answers'))).toBe(false)
  expect(await has(button(page, `Sign duty ${n}`))).toBe(false)
}

/** After a signature: the "Next duty" link names the expected duty; following it opens that duty. */
async function followNextDuty(page: Page, n: number) {
  const duty = DUTIES.find((d) => d.number === n)!
  await region(page, 'What comes next')
    .getByRole('link', { name: `Next duty: ${n}. ${duty.title}`, exact: true })
    .click()
  await page.waitForURL(dutyUrl(n))
  await page.getByRole('heading', { level: 1, name: `Duty ${n}: ${duty.title}` }).waitFor()
}

// What a careful officer would answer, duty by duty, through the labelled fields.
const none: Fill = async (form) => {
  await form.getByRole('checkbox', { name: 'None beyond those already reported' }).check()
}
const duty1: Fill = async (form) => {
  // The seeds raised the Canamex investment as case-2012-canamex, acknowledged by the Disclosure Committee: cite it.
  await form.getByRole('checkbox', { name: /^Case case-2012-canamex\b/ }).check()
}
const duty5: Fill = async (form) => {
  await form.getByRole('checkbox', { name: /^I acknowledge that the Board of Directors/ }).check()
}
const duty6: Fill = async (form) => {
  await form.getByRole('radio', { name: 'Yes, accurate and complete' }).check()
  await form
    .getByLabel('Comments', { exact: true })
    .fill('Read in full against the trial balance and the disclosure checklist; the Canamex investment is in the notes.')
}
const controls =
  (title: string, identifier: string): Fill =>
  async (form) => {
    await form.getByRole('radio', { name: 'Yes, established for the period' }).check()
    await form.getByRole('radio', { name: 'Yes, operating effectively' }).check()
    await form.getByLabel('Changes in the period').fill('None')
    await form.getByLabel('Reference document: title').fill(title)
    await form.getByLabel('Reference document: identifier').fill(identifier)
  }
const duty10: Fill = async (form) => {
  await form.getByLabel('Date of the meeting').fill('2013-02-14')
  const attendees: [string, string][] = [
    ['Vice President – Operations', 'senior_management'],
    ['General Manager, Greens Creek', 'division_head'],
    ['Assistant Controller', 'accounting_staff'],
    ['Director of Investor Relations', 'other'],
  ]
  for (const [i, [name, group]] of attendees.entries()) {
    await form.getByLabel(`Attendee ${i + 1}: name and position`).fill(name)
    await form.getByLabel(`Attendee ${i + 1}: group`).selectOption(group)
  }
  await form.getByLabel('Comment 1', { exact: true }).fill('Tie the production figures in MD&A to the operating statistics.')
  await form.getByLabel('Comment 1: disposition').fill('Tied and agreed in this draft.')
}
const duty11: Fill = async (form) => {
  await form.getByLabel('Date you consulted the Audit Committee').fill('2013-02-19')
  await form
    .getByRole('group', { name: /Has the Audit Committee identified/ })
    .getByRole('radio', { name: 'No', exact: true })
    .check()
  await form
    .getByLabel('Summary of what the Audit Committee said')
    .fill('The Audit Committee has identified no weaknesses or concerns with respect to internal controls.')
}
const duty12: Fill = async (form) => {
  const draftSha = currentDraftSha()
  for (const party of ["The Company's internal auditor", 'The independent auditors']) {
    const group = form.getByRole('group', { name: party })
    expect(await group.getByLabel('Confirmed by').inputValue()).not.toBe('')
    expect(await group.getByLabel('SHA-256 of the document confirmed').inputValue()).toBe(draftSha)
    await group.getByLabel('Confirmed at (company time, America/Los_Angeles)').fill('2013-02-20T10:00')
    await group.getByRole('checkbox', { name: 'They are not aware of any material misstatements or omissions in the draft' }).check()
    await group.getByRole('radio', { name: 'No concerns about the MD&A' }).check()
  }
}

function currentDraftSha(): string {
  const row = sqlite
    .prepare('SELECT d.sha256 FROM periodic_report r JOIN report_draft d ON d.id = r.current_draft_id WHERE r.id = ?')
    .get(REPORT) as { sha256: string }
  return row.sha256
}

const FILLS: Record<number, Fill> = {
  1: duty1,
  2: none,
  3: none,
  4: none,
  5: duty5,
  6: duty6,
  7: controls('Accounting Policies and Procedures Manual', 'FIN-POL-001'),
  8: controls('Records Retention Policy', 'LEG-POL-014'),
  9: controls('Disclosure Committee Charter and Disclosure Controls', 'DC-CHARTER'),
  10: duty10,
  11: duty11,
  12: duty12,
}

describe('the Chief Accounting Officer (Controller)', () => {
  let page: Page
  let close: () => Promise<void>
  let csp: string[]
  beforeAll(async () => {
    ;({ page, close, csp } = await openAs('controller@hecla.example'))
  })
  afterAll(() => close())

  test('the report page shows the report, its draft, its state, the twelve duties in the seed’s words, the Canamex figures exactly, and the cases', async () => {
    const response = await page.goto(reportUrl)
    expect(response?.status()).toBe(200)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Form 10-K for fiscal year 2012')
    const body = (await page.textContent('main')) ?? ''
    expect(body).toContain('Fiscal year 2012, ended December 31, 2012')
    expect(body).toMatch(/Draft \d+/)
    expect(body).toMatch(/SHA-256 [0-9a-f]{64}/)
    const mine = region(page, 'Your duties as Chief Accounting Officer or Controller')
    for (const duty of DUTIES) {
      expect(await mine.getByRole('link', { name: `Duty ${duty.number}: ${duty.title}` }).getAttribute('href')).toBe(
        `/reports/${REPORT}/duties/${duty.number}`,
      )
      expect(await mine.getByText(duty.text, { exact: true }).count()).toBe(1)
    }
    // The duties' words are collapsed to their first line (native disclosure): closed, the full words inside.
    const words = mine.locator('details.ow-duty-words')
    expect(await words.count()).toBe(12)
    for (const [i, duty] of DUTIES.entries()) {
      const details = words.nth(i)
      expect(await details.getAttribute('open')).toBeNull()
      const summary = ((await details.locator('summary').textContent()) ?? '').replace('The duty’s words: ', '')
      expect(duty.text.startsWith(summary.replace(/…$/, ''))).toBe(true)
      expect(summary.length).toBeLessThan(170)
      expect(await details.locator('blockquote').isVisible()).toBe(false)
    }
    await words.first().locator('summary').click()
    expect(await words.first().locator('blockquote').isVisible()).toBe(true)
    expect(await mine.textContent()).toMatch(/\d+ of 12 signed/)
    const items = region(page, 'Material information known for this report')
    for (const figure of ['14,000,000 shares', '$0.18 per share', '$2,520,000', '15%']) expect(await items.textContent()).toContain(figure)
    expect(await region(page, 'Cases reported for this report').textContent()).toContain('case-2012-canamex')
  })

  test('the report page has no serious or critical accessibility violations', async () => {
    await page.goto(reportUrl)
    expect(await seriousViolations(page)).toEqual([])
  })

  test('a duty page offers only what the workflow allows, and its diagram marks where it stands', async () => {
    await gotoDuty(page, 3)
    const diagram = page.getByRole('figure', { name: 'The workflow of this duty' })
    const current = diagram.locator('[aria-current="step"]')
    expect(await current.count()).toBe(1)
    // The seeds left the CAO/Controller's duty 3 not started: the answer form is offered at once (no separate start), nothing else.
    await expectState(page, 'Not started')
    expect(await current.textContent()).toContain('Not started')
    expect(await has(button(page, 'Start the review of duty 3'))).toBe(false)
    expect(await has(button(page, 'Record my answers'))).toBe(true)
    expect(await has(button(page, 'Confirm my answers'))).toBe(false)
    expect(await has(button(page, 'Sign duty 3'))).toBe(false)
    // Plain words only: no workflow version, no storage engine, no state ids.
    const main = (await page.textContent('main')) ?? ''
    expect(main).not.toMatch(/Workflow version|SQLite|notStarted|inProgress|readyToSign/)
    expect(
      await page
        .getByText(
          'The CEO and each Senior Financial Officer shall promptly bring to the attention of the Chairman of the Board or the CEO',
        )
        .count(),
    ).toBe(1)
  })

  test('duty 10’s form has no serious or critical accessibility violations, before and after a refusal shown next to its fields', async () => {
    await gotoDuty(page, 10)
    await expectState(page, 'Not started')
    const form = region(page, 'Record your answers')
    await form.waitFor({ timeout: 5000 })
    expect(await seriousViolations(page)).toEqual([])
    // The server is the judge: switch off the browser's own checks to see its refusal.
    await form.locator('form').evaluate((f: HTMLFormElement) => (f.noValidate = true))
    await form.getByLabel('Date of the meeting').fill('2013-02-14')
    await form.getByLabel('Attendee 1: name and position').fill('Assistant Controller')
    await form.getByLabel('Attendee 1: group').selectOption('accounting_staff')
    await button(form, 'Record my answers').click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toContain('Your answers were not saved')
    await expectFocusOn(page, 'alert')
    const attendees = form.getByRole('group', { name: 'Attendees' })
    expect(await attendees.textContent()).toContain('list at least one attendee of each')
    expect(await attendees.getAttribute('aria-describedby')).toBe('f-attendees-error')
    expect(await form.getByLabel('Attendee 1: name and position').inputValue()).toBe('Assistant Controller')
    // A refused first answer starts nothing.
    await expectState(page, 'Not started')
    expect(await seriousViolations(page)).toEqual([])
  })

  test('duty 1: the Canamex item, already raised, is offered only as its case and cited; no duplicate case is opened', async () => {
    const before = count("SELECT count(*) AS n FROM workflow_instance WHERE machine_id = 'case' AND report_id = ?", REPORT)
    await gotoDuty(page, 1)
    const answerForm = region(page, 'Record your answers')
    expect(await answerForm.getByRole('checkbox', { name: `Raise “${CANAMEX}” to the Disclosure Committee as a new case` }).count()).toBe(0)
    expect(await answerForm.textContent()).toContain('is already case case-2012-canamex')
    await walkDuty(page, 1, async (form) => {
      await form.locator('input[name="cite"][value="case-2012-canamex"]').check()
    })
    const answers = (await region(page, 'Your recorded answers').textContent()) ?? ''
    expect(answers).toContain('case-2012-canamex')
    expect(count("SELECT count(*) AS n FROM workflow_instance WHERE machine_id = 'case' AND report_id = ?", REPORT)).toBe(before)
  })

  test('duty 12 refuses a confirmation dated in the future, and says for which auditor', async () => {
    await gotoDuty(page, 12)
    await expectState(page, 'Not started')
    const form = region(page, 'Record your answers')
    await duty12(form, page)
    for (const party of ["The Company's internal auditor", 'The independent auditors']) {
      await form.getByRole('group', { name: party }).getByLabel('Confirmed at (company time, America/Los_Angeles)').fill('2099-01-01T10:00')
    }
    await form.locator('form').evaluate((f: HTMLFormElement) => (f.noValidate = true))
    await button(form, 'Record my answers').click()
    await page.getByRole('alert').waitFor()
    await expectFocusOn(page, 'alert')
    const text = (await form.textContent()) ?? ''
    expect(text).toContain('The confirmation of the internal auditor cannot be dated in the future.')
    expect(text).toContain('The confirmation of the independent auditors cannot be dated in the future.')
    await expectState(page, 'Not started')
  })

  for (const n of [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
    test(n === 5 || (n >= 7 && n <= 9) ? `duty ${n} is signed already (seeds)` : `duty ${n} is signed`, async () => {
      if (n === 5 || (n >= 7 && n <= 9)) return expectSignedAlready(page, n)
      await gotoDuty(page, n)
      await walkDuty(page, n, FILLS[n]!)
      if (n === 6 || n === 10 || n === 12) {
        // Duties 6, 10 and 12 are about the draft: the sign-off names it.
        expect(await region(page, 'Your sign-off').textContent()).toContain(currentDraftSha())
      }
    })
  }

  test('the draft attested to is downloadable by its file name from the duty page and the report page, with its SHA-256 beside it', async () => {
    const draft = sqlite
      .prepare('SELECT d.id, d.file_name, d.sha256 FROM periodic_report r JOIN report_draft d ON d.id = r.current_draft_id WHERE r.id = ?')
      .get(REPORT) as { id: string; file_name: string; sha256: string }
    for (const where of [dutyUrl(6), reportUrl]) {
      await page.goto(where)
      const link = page.getByRole('link', { name: draft.file_name, exact: true })
      expect(await link.getAttribute('href')).toBe(`/reports/${REPORT}/drafts/${draft.id}`)
      expect((await link.locator('xpath=ancestor::*[self::section or self::dd][1]').textContent()) ?? '').toContain(draft.sha256)
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
      expect(download.suggestedFilename()).toBe(draft.file_name)
      const bytes = fs.readFileSync((await download.path())!)
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(draft.sha256)
    }
    const response = await page.request.get(`${reportUrl}/drafts/${draft.id}`)
    expect(response.status()).toBe(200)
    expect(response.headers()['content-disposition']).toBe(
      `attachment; filename="${draft.file_name}"; filename*=UTF-8''${encodeURIComponent(draft.file_name)}`,
    )
    expect(response.headers()['content-type']).toBe('text/plain; charset=utf-8')
    expect((await page.request.get(`${reportUrl}/drafts/draft-that-does-not-exist`)).status()).toBe(404)
    expect((await page.request.get(`${baseURL}/reports/report-2008-q2/drafts/${draft.id}`)).status()).toBe(404)
  })

  test('at 390 px wide, neither the report page nor a duty page scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    try {
      for (const where of [reportUrl, dutyUrl(1), dutyUrl(2), dutyUrl(5), dutyUrl(10), dutyUrl(12)]) {
        await page.goto(where)
        const { scrollWidth, clientWidth } = await page.evaluate(() => ({
          scrollWidth: document.scrollingElement!.scrollWidth,
          clientWidth: document.scrollingElement!.clientWidth,
        }))
        expect(scrollWidth, where).toBeLessThanOrEqual(clientWidth)
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 })
    }
  })

  test('every focusable element of a duty page shows a focus ring of at least 3:1 against its background', async () => {
    await gotoDuty(page, 11)
    const seen = new Set<string>()
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab')
      const ring = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null
        if (!el || el === document.body) return null
        const style = getComputedStyle(el)
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number)
        const lum = ([r, g, b]: number[]) =>
          [r!, g!, b!]
            .map((v) => v / 255)
            .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
            .reduce((sum, v, k) => sum + v * [0.2126, 0.7152, 0.0722][k]!, 0)
        let bg = 'rgb(255, 255, 255)'
        for (let p = el.parentElement; p; p = p.parentElement) {
          const c = getComputedStyle(p).backgroundColor
          const parts = rgb(c)
          if (parts.length >= 3 && (parts.length === 3 || parts[3]! > 0)) {
            bg = c
            break
          }
        }
        const [a, b] = [lum(rgb(style.outlineColor)), lum(rgb(bg))]
        return {
          what: `${el.tagName} ${el.textContent?.trim().slice(0, 30) ?? ''}`,
          style: style.outlineStyle,
          width: parseFloat(style.outlineWidth),
          contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
        }
      })
      if (!ring || seen.has(ring.what)) continue
      seen.add(ring.what)
      expect(ring.style, ring.what).not.toBe('none')
      expect(ring.width, ring.what).toBeGreaterThanOrEqual(2)
      expect(ring.contrast, ring.what).toBeGreaterThanOrEqual(3)
    }
    expect(seen.size).toBeGreaterThan(5)
  })

  test('every one of the twelve is signed, and the Content-Security-Policy blocked nothing', async () => {
    await page.goto(reportUrl)
    expect(await region(page, 'Your duties as Chief Accounting Officer or Controller').textContent()).toContain('12 of 12 signed')
    expect(csp).toEqual([])
  })

  test('the Disclosure Committee acknowledges the case raised (through the record: no recipient page yet)', async () => {
    await acknowledgePendingCases()
    // Afterwards nothing of the report waits for a recipient.
    expect(await acknowledgePendingCases()).toEqual([])
  })
})

describe('the Chief Financial Officer', () => {
  let page: Page
  let close: () => Promise<void>
  beforeAll(async () => {
    ;({ page, close } = await openAs('cfo@hecla.example'))
  })
  afterAll(() => close())

  test('duty 8, walked from start to signature with JavaScript disabled', async () => {
    const noJs = await openAs('cfo@hecla.example', { javaScriptEnabled: false })
    try {
      await gotoDuty(noJs.page, 8)
      await walkDuty(noJs.page, 8, FILLS[8]!)
      expect(await region(noJs.page, 'Your sign-off').textContent()).toContain('Attested — no exceptions')
    } finally {
      await noJs.close()
    }
  })

  test('a wrong password at signing is refused: the message is shown and no sign-off is written', async () => {
    const id = instanceId.duty(REPORT, 'user-cfo', 9)
    let refused = false
    await gotoDuty(page, 9)
    await walkDuty(page, 9, FILLS[9]!, {
      beforeSign: async (p) => {
        const before = count('SELECT count(*) AS n FROM sign_off WHERE workflow_instance_id = ?', id)
        const failures = count("SELECT count(*) AS n FROM security_event WHERE kind = 'reauth_failed' AND user_id = 'user-cfo'")
        const sign = region(p, 'Sign')
        await sign.getByLabel('Your password, to sign').fill('not-my-password')
        await button(sign, 'Sign duty 9').click()
        const alert = p.getByRole('alert')
        await alert.waitFor()
        expect(await alert.textContent()).toContain('Nothing was signed: that password is not right.')
        await expectFocusOn(p, 'alert')
        expect(await sign.textContent()).toContain('The password is not right.')
        await expectState(p, 'Ready to sign')
        expect(count('SELECT count(*) AS n FROM sign_off WHERE workflow_instance_id = ?', id)).toBe(before)
        expect(count("SELECT count(*) AS n FROM security_event WHERE kind = 'reauth_failed' AND user_id = 'user-cfo'")).toBe(failures + 1)
        expect(await seriousViolations(p)).toEqual([])
        refused = true
      },
    })
    expect(refused).toBe(true)
    expect(count('SELECT count(*) AS n FROM sign_off WHERE workflow_instance_id = ?', id)).toBeGreaterThan(0)
  })

  test('duties 5 and 7 were signed by the seeds', async () => {
    await expectSignedAlready(page, 5)
    await expectSignedAlready(page, 7)
  })

  for (const n of [1, 2, 3, 4, 6, 10, 11]) {
    test(`duty ${n} is signed`, async () => {
      await gotoDuty(page, n)
      await walkDuty(page, n, FILLS[n]!)
    })
  }

  test('after signing, Back shows the signature made, never the stale "…then sign with your password"', async () => {
    await gotoDuty(page, 12)
    await walkDuty(page, 12, FILLS[12]!)
    // The history holds ?done=confirm; going back there must not tell the officer to sign again.
    await page.goBack()
    await page.waitForURL(`${dutyUrl(12)}?done=confirm`)
    await region(page, 'Your sign-off').waitFor()
    await expectState(page, 'Signed')
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'then sign with your password' }).count(), { timeout: 10_000 })
      .toBe(0)
    expect(await has(button(page, 'Sign duty 12'))).toBe(false)
    await page.goBack()
    await page.waitForURL(`${dutyUrl(12)}?done=answer`)
    await region(page, 'Your sign-off').waitFor()
    // Back re-runs the loader; until its answer arrives the page may still show the entry's old status.
    await expect.poll(() => page.getByRole('status').count(), { timeout: 10_000 }).toBe(0)
  })

  test('every one of the twelve is signed', async () => {
    await page.goto(reportUrl)
    expect(await region(page, 'Your duties as Chief Financial Officer').textContent()).toContain('12 of 12 signed')
  })
})

describe('the Chief Executive Officer', () => {
  let page: Page
  let close: () => Promise<void>
  beforeAll(async () => {
    ;({ page, close } = await openAs('ceo@hecla.example'))
    countEffort(page)
    effort.pageChanges = 0
    effort.actions = 0
    effort.passwords = 0
  })
  afterAll(() => close())

  const EXPLANATION =
    'The subscription for the Canamex shares was recorded in January 2013, after the period it belongs to: the control over recording investments did not operate in December 2012. Recorded and remediated before this draft.'

  test('duty 7 is signed with an exception, once every recipient of its case has acknowledged it', async () => {
    // From the report page, as a person would: the link to duty 7.
    expect(page.url()).toBe(reportUrl)
    await region(page, 'Your duties as Chief Executive Officer')
      .getByRole('link', { name: `Duty 7: ${DUTIES[6]!.title}`, exact: true })
      .click()
    await page.waitForURL(dutyUrl(7))
    await expectState(page, 'Not started')
    const form = region(page, 'Record your answers')
    await form.getByRole('radio', { name: 'Yes, established for the period' }).check()
    await form.getByRole('radio', { name: 'No — not operating effectively (needs an exception)' }).check()
    await form.getByLabel('Changes in the period').fill('Investment-recording control strengthened in January 2013.')
    await form.getByLabel('Reference document: title').fill('Accounting Policies and Procedures Manual')
    await form.getByLabel('Reference document: identifier').fill('FIN-POL-001')
    await button(form, 'Record my answers').click()
    await statusSays(page, 'Your answers are recorded.')
    // Not operating effectively cannot be confirmed as it stands: only an exception is offered.
    expect(await has(button(page, 'Confirm my answers'))).toBe(false)
    expect(await region(page, 'Your recorded answers').textContent()).toContain('An exception is needed before you can sign')

    const exception = region(page, 'Raise an exception')
    await exception.getByLabel('Written explanation of the exception').fill(EXPLANATION)
    // Duties 7–9 raise a duty 2 matter (a deficiency in internal controls): the form asks no choice.
    expect(await exception.locator('input[name="newCaseDuty"]').inputValue()).toBe('2')
    await button(exception, 'Raise the exception').click()
    await statusSays(page, 'The exception is recorded')
    const raised = (await region(page, 'Exception').textContent()) ?? ''
    const caseId = /case-2012-fy-d2-[0-9a-f]{8}/.exec(raised)?.[0]
    expect(caseId).toBeTruthy()
    // Duty 2 goes to both committees; neither has acknowledged yet, so nothing can be signed.
    expect(raised).toContain('the Disclosure Committee and the Audit Committee')
    expect(await has(button(page, 'Confirm my answers'))).toBe(false)
    expect(await has(button(page, 'Sign duty 7'))).toBe(false)

    const acknowledged = await acknowledgePendingCases()
    expect(acknowledged).toEqual(expect.arrayContaining([`${caseId}:disclosure_committee`, `${caseId}:audit_committee`]))
    // The acknowledgements came from elsewhere: the officer reloads the page.
    await page.reload()
    expect(await region(page, 'Exception').textContent()).toContain('every recipient has acknowledged it')
    await button(page, 'Confirm my answers').click()
    await statusSays(page, 'Your answers are confirmed.')

    const preview = (await region(page, 'Sign').textContent()) ?? ''
    expect(preview).toContain('Phillips S. Baker, Jr.')
    expect(preview).toContain('President and Chief Executive Officer')
    expect(preview).toMatch(/UTC/)
    expect(preview).toMatch(/P[SD]T/)
    expect(preview).toContain(`Attested with exception: ${EXPLANATION}`)
    await signWithPassword(page, 7)

    const stored = (await region(page, 'Your sign-off').textContent()) ?? ''
    expect(stored).toContain(`Attested with exception: ${EXPLANATION}`)
    const signOffId = /Sign-off id\s*([0-9a-f]{64})/.exec(stored)?.[1]
    expect(signOffId).toBeTruthy()
    const row = sqlite.prepare('SELECT * FROM sign_off WHERE id = ?').get(signOffId) as
      { meaning: string; printed_name: string; officer_user_id: string } | undefined
    expect(row).toMatchObject({ meaning: 'attested_with_exception', printed_name: 'Phillips S. Baker, Jr.', officer_user_id: 'user-ceo' })
  })

  // Each signature offers the next duty that still needs the CEO, in the Code's order.
  for (const n of [1, 2, 3, 4, 5, 6, 8, 9, 10, 11]) {
    test(`duty ${n}, reached by "Next duty", is signed`, async () => {
      await followNextDuty(page, n)
      await walkDuty(page, n, FILLS[n]!)
    })
  }

  test('duty 12, the last signature, sends the report to committee review', async () => {
    await followNextDuty(page, 12)
    await walkDuty(page, 12, FILLS[12]!, {
      beforeSign: async (p) => {
        const preview = (await region(p, 'Sign').textContent()) ?? ''
        expect(preview).toContain('Attested — no exceptions')
        expect(preview).toContain(currentDraftSha())
      },
    })
    expect(await page.getByRole('status').textContent()).toContain('it has gone to committee review')
    const stored = (await region(page, 'Your sign-off').textContent()) ?? ''
    expect(stored).toContain('Printed name')
    expect(stored).toMatch(/Sign-off id\s*[0-9a-f]{64}/)
    // Nothing is left for the CEO: the page leads back to the report.
    const next = region(page, 'What comes next')
    expect(await next.textContent()).toContain('Every one of your duties for this report is signed.')
    await next.getByRole('link', { name: 'Back to the report', exact: true }).click()
    await page.waitForURL(reportUrl)
  })

  test('the walk took fewer page changes and actions than before (91 page changes, 118 actions), and one password a signature', () => {
    console.log(
      `The CEO's walk of the twelve duties: ${effort.pageChanges} page changes, ${effort.actions} actions, ${effort.passwords} password entries (before: 91 page changes, 118 actions, 12 password entries)`,
    )
    expect(effort.passwords).toBe(12)
    expect(effort.pageChanges).toBeLessThan(91)
    expect(effort.actions).toBeLessThan(118)
  })

  test('the report page shows committee review and every officer’s twelve signatures', async () => {
    await page.goto(reportUrl)
    const facts = (await page.locator('main dl').first().textContent()) ?? ''
    expect(facts).toContain('Committee review')
    expect(facts).toContain("Waiting for the Disclosure Committee's approval and the Audit Committee's review of the Form 10-K.")
    const grid = (await region(page, 'Every officer’s sign-offs').textContent()) ?? ''
    expect(grid.match(/12 of 12 signed/g)).toHaveLength(3)
    expect(await seriousViolations(page)).toEqual([])
  })
})

describe('the readers of a report', () => {
  test('the filed Form 10-Q’s grid says what each locked duty was signed with, not only "Locked"', async () => {
    const { page, close } = await openAs('audit.chair@hecla.example')
    try {
      await page.goto(`${baseURL}/reports/report-2008-q2`)
      const cells = region(page, 'Every officer’s sign-offs').locator('tbody td')
      expect(await cells.count()).toBe(36)
      for (const text of await cells.allTextContents()) expect(text).toMatch(/^Signed \d{1,2} [A-Z][a-z]{2} 2008( with exception)?$/)
    } finally {
      await close()
    }
  })

  test('the administrator’s drafts page links to no report page the administrator may not open; the CAO/Controller’s does', async () => {
    const admin = await openAs('admin@hecla.example', { landing: `/admin/reports/${REPORT}/drafts` })
    try {
      await admin.page.getByRole('heading', { level: 1, name: 'Drafts of the Form 10-K' }).waitFor()
      expect(await admin.page.locator(`a[href="/reports/${REPORT}"]`).count()).toBe(0)
      expect((await admin.page.request.get(reportUrl)).status()).toBe(403)
    } finally {
      await admin.close()
    }
    const cao = await openAs('controller@hecla.example', { landing: `/admin/reports/${REPORT}/drafts` })
    try {
      await cao.page.getByRole('heading', { level: 1, name: 'Drafts of the Form 10-K' }).waitFor()
      expect(await cao.page.locator(`a[href="/reports/${REPORT}"]`).count()).toBe(1)
    } finally {
      await cao.close()
    }
  })
})
