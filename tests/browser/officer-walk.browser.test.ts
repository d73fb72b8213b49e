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
// through the pages, as a person would. The suite shares one server and one
// database with the other files, so every step reads where the duty stands from
// the page instead of assuming the seed's state.

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
}

async function openAs(email: string, options: { javaScriptEnabled?: boolean } = {}) {
  const browser = await launchBrowser(options)
  const page = await browser.context.newPage()
  if (options.javaScriptEnabled === false) withoutJavaScript.add(page)
  const csp = recordCspViolations(page)
  await page.goto(`${baseURL}/login?redirectTo=${encodeURIComponent(`/reports/${REPORT}`)}`)
  await signInThroughForm(page, email)
  await page.waitForURL(reportUrl)
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

async function stateOf(page: Page): Promise<string> {
  return (await region(page, 'Where it stands').textContent()) ?? ''
}

type Fill = (form: Locator, page: Page) => Promise<void>

/**
 * Takes a duty from wherever it stands to signed: start, answer, confirm, sign.
 * `beforeSign` runs once with the signature form on screen.
 */
async function completeDuty(page: Page, n: number, fill: Fill, options: { beforeSign?: (page: Page) => Promise<void> } = {}) {
  await gotoDuty(page, n)
  for (let step = 0; step < 6; step++) {
    if (await has(region(page, 'Your sign-off'))) {
      expect(await stateOf(page)).toContain('Signed')
      return
    }
    if (await has(button(page, `Start the review of duty ${n}`))) {
      await button(page, `Start the review of duty ${n}`).click()
      await statusSays(page, 'The review is started.')
    } else if (await has(button(page, `Sign duty ${n}`))) {
      if (options.beforeSign) await options.beforeSign(page)
      const sign = region(page, 'Sign')
      await sign.getByLabel('Your password, to sign').fill(DEMO_PASSWORD)
      await button(sign, `Sign duty ${n}`).click()
      await statusSays(page, 'Signed.')
    } else if (await has(button(page, 'Confirm my answers'))) {
      await button(page, 'Confirm my answers').click()
      await statusSays(page, 'Your answers are confirmed.')
    } else if (await has(region(page, 'Record your answers'))) {
      const form = region(page, 'Record your answers')
      await fill(form, page)
      await button(form, 'Record my answers').click()
      await statusSays(page, 'Your answers are recorded.')
    } else {
      throw new Error(`Duty ${n}: no step to take. ${await stateOf(page)}`)
    }
  }
  throw new Error(`Duty ${n} did not reach "signed"`)
}

// What a careful officer would answer, duty by duty, through the labelled fields.
const none: Fill = async (form) => {
  await form.getByRole('checkbox', { name: 'None beyond those already reported' }).check()
}
const duty1: Fill = async (form) => {
  // Cite the Canamex case when the Disclosure Committee has it already; otherwise raise it now.
  const cited = form.getByRole('checkbox', { name: /^Case case-.*Canamex/ })
  if (await has(cited)) await cited.first().check()
  else await form.getByRole('checkbox', { name: `Raise “${CANAMEX}” to the Disclosure Committee as a new case` }).check()
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
    await form.getByRole('checkbox', { name: 'They are established for the period' }).check()
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
    const state = await stateOf(page)
    if (state.includes('Not started')) {
      expect(await current.textContent()).toContain('Not started')
      expect(await has(button(page, 'Start the review of duty 3'))).toBe(true)
      expect(await has(button(page, 'Record my answers'))).toBe(false)
      expect(await has(button(page, 'Sign duty 3'))).toBe(false)
    }
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
    if (await has(button(page, 'Start the review of duty 10'))) {
      await button(page, 'Start the review of duty 10').click()
      await statusSays(page, 'The review is started.')
    }
    const form = region(page, 'Record your answers')
    if (!(await has(form))) return
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
    const attendees = form.getByRole('group', { name: 'Attendees' })
    expect(await attendees.textContent()).toContain('list at least one attendee of each')
    expect(await attendees.getAttribute('aria-describedby')).toBe('f-attendees-error')
    expect(await form.getByLabel('Attendee 1: name and position').inputValue()).toBe('Assistant Controller')
    expect(await stateOf(page)).toContain('In progress')
    expect(await seriousViolations(page)).toEqual([])
  })

  test('duty 1: the Canamex item is raised to the Disclosure Committee as a new case with the answer', async () => {
    const before = count("SELECT count(*) AS n FROM workflow_instance WHERE machine_id = 'case' AND report_id = ?", REPORT)
    await completeDuty(page, 1, async (form) => {
      await form.getByRole('checkbox', { name: `Raise “${CANAMEX}” to the Disclosure Committee as a new case` }).check()
    })
    const answers = (await region(page, 'Your recorded answers').textContent()) ?? ''
    const caseId = /case-2012-fy-d1-[0-9a-f]{8}/.exec(answers)?.[0]
    expect(caseId).toBeTruthy()
    expect(answers).toContain(CANAMEX)
    expect(count("SELECT count(*) AS n FROM workflow_instance WHERE machine_id = 'case' AND report_id = ?", REPORT)).toBe(before + 1)
    await page.goto(reportUrl)
    const cases = (await region(page, 'Cases reported for this report').textContent()) ?? ''
    expect(cases).toContain(caseId!)
    expect(cases).toContain('waiting for the Disclosure Committee to acknowledge it')
  })

  for (const n of [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
    test(`duty ${n} is signed`, async () => {
      await completeDuty(page, n, FILLS[n]!)
      if (n === 6 || n === 10 || n === 12) {
        // Duties 6, 10 and 12 are about the draft: the sign-off names it.
        expect(await region(page, 'Your sign-off').textContent()).toContain(currentDraftSha())
      }
    })
  }

  test('every one of the twelve is signed, and the Content-Security-Policy blocked nothing', async () => {
    await page.goto(reportUrl)
    expect(await region(page, 'Your duties as Chief Accounting Officer or Controller').textContent()).toContain('12 of 12 signed')
    expect(csp).toEqual([])
  })

  test('the Disclosure Committee acknowledges the case raised (through the record: no recipient page yet)', async () => {
    expect((await acknowledgePendingCases()).some((a) => a.endsWith(':disclosure_committee'))).toBe(true)
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
      await completeDuty(noJs.page, 8, FILLS[8]!)
      expect(await region(noJs.page, 'Your sign-off').textContent()).toContain('Attested — no exceptions')
    } finally {
      await noJs.close()
    }
  })

  test('a wrong password at signing is refused: the message is shown and no sign-off is written', async () => {
    const id = instanceId.duty(REPORT, 'user-cfo', 9)
    let refused = false
    await completeDuty(page, 9, FILLS[9]!, {
      beforeSign: async (p) => {
        const before = count('SELECT count(*) AS n FROM sign_off WHERE workflow_instance_id = ?', id)
        const failures = count("SELECT count(*) AS n FROM security_event WHERE kind = 'reauth_failed' AND user_id = 'user-cfo'")
        const sign = region(p, 'Sign')
        await sign.getByLabel('Your password, to sign').fill('not-my-password')
        await button(sign, 'Sign duty 9').click()
        const alert = p.getByRole('alert')
        await alert.waitFor()
        expect(await alert.textContent()).toContain('Nothing was signed: that password is not right.')
        expect(await sign.textContent()).toContain('The password is not right.')
        expect(await stateOf(p)).toContain('Ready to sign')
        expect(count('SELECT count(*) AS n FROM sign_off WHERE workflow_instance_id = ?', id)).toBe(before)
        expect(count("SELECT count(*) AS n FROM security_event WHERE kind = 'reauth_failed' AND user_id = 'user-cfo'")).toBe(failures + 1)
        expect(await seriousViolations(p)).toEqual([])
        refused = true
      },
    })
    expect(refused).toBe(true)
    expect(count('SELECT count(*) AS n FROM sign_off WHERE workflow_instance_id = ?', id)).toBeGreaterThan(0)
  })

  for (const n of [1, 2, 3, 4, 5, 6, 7, 10, 11, 12]) {
    test(`duty ${n} is signed`, async () => {
      await completeDuty(page, n, FILLS[n]!)
    })
  }

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
  })
  afterAll(async () => {
    console.log(`The CEO's walk of the twelve duties: ${effort.pageChanges} page changes, ${effort.actions} actions`)
    await close()
  })

  const EXPLANATION =
    'The subscription for the Canamex shares was recorded in January 2013, after the period it belongs to: the control over recording investments did not operate in December 2012. Recorded and remediated before this draft.'

  test('duty 7 is signed with an exception, once every recipient of its case has acknowledged it', async () => {
    await gotoDuty(page, 7)
    if (await has(button(page, 'Start the review of duty 7'))) {
      await button(page, 'Start the review of duty 7').click()
      await statusSays(page, 'The review is started.')
    }
    const form = region(page, 'Record your answers')
    await form.getByRole('checkbox', { name: 'They are established for the period' }).check()
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
    expect(await exception.getByLabel('New case: raised under').inputValue()).toBe('2')
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
    await gotoDuty(page, 7)
    expect(await region(page, 'Exception').textContent()).toContain('every recipient has acknowledged it')
    await button(page, 'Confirm my answers').click()
    await statusSays(page, 'Your answers are confirmed.')

    const preview = (await region(page, 'Sign').textContent()) ?? ''
    expect(preview).toContain('Phillips S. Baker, Jr.')
    expect(preview).toContain('President and Chief Executive Officer')
    expect(preview).toMatch(/UTC/)
    expect(preview).toMatch(/P[SD]T/)
    expect(preview).toContain(`Attested with exception: ${EXPLANATION}`)
    await region(page, 'Sign').getByLabel('Your password, to sign').fill(DEMO_PASSWORD)
    await button(region(page, 'Sign'), 'Sign duty 7').click()
    await statusSays(page, 'Signed.')

    const stored = (await region(page, 'Your sign-off').textContent()) ?? ''
    expect(stored).toContain(`Attested with exception: ${EXPLANATION}`)
    const signOffId = /Sign-off id\s*([0-9a-f]{64})/.exec(stored)?.[1]
    expect(signOffId).toBeTruthy()
    const row = sqlite.prepare('SELECT * FROM sign_off WHERE id = ?').get(signOffId) as
      { meaning: string; printed_name: string; officer_user_id: string } | undefined
    expect(row).toMatchObject({ meaning: 'attested_with_exception', printed_name: 'Phillips S. Baker, Jr.', officer_user_id: 'user-ceo' })
  })

  for (const n of [1, 2, 3, 4, 5, 6, 8, 9, 10, 11]) {
    test(`duty ${n} is signed`, async () => {
      await completeDuty(page, n, FILLS[n]!)
      if (n === 1) await acknowledgePendingCases()
    })
  }

  test('duty 12, the last signature, sends the report to committee review', async () => {
    await acknowledgePendingCases()
    await completeDuty(page, 12, FILLS[12]!, {
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
