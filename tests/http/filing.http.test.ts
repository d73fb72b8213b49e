import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { acknowledgeCase, reportCase } from '../../db/commands'
import { openDatabase, type DB } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { verifyRecord } from '../../db/verify'
import { openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import type { Body } from '../../machines/roles'
import { DEMO_PASSWORD } from '../../seeds/hecla'
import { signRemainingDuties } from '../../seeds/history'
import { prepareDatabase } from '../../seeds/prepare'
import { startServer, type TestServer } from '../browser/global-setup'

// The FY2012 10-K's way to the SEC over HTTP, against the production build with
// a database of its own: every officer's duties are signed through the commands
// first (the browser walk shows those pages), then each step is posted by the
// people who hold it, and by the people who do not. A refusal writes nothing.
const FY = 'report-2012-fy'
const LIVE = 'report-live'
let server: TestServer
let sqlite: Database.Database
let baseURL: string

const USERS = {
  ceo: 'ceo@hecla.example',
  cfo: 'cfo@hecla.example',
  cao: 'controller@hecla.example',
  disclosureChair: 'disclosure@hecla.example',
  chairman: 'chairman@hecla.example',
  auditChair: 'audit.chair@hecla.example',
  auditMember: 'audit.member@hecla.example',
  internalAuditor: 'internal.audit@hecla.example',
  independentAuditor: 'auditor@hecla.example',
  admin: 'admin@hecla.example',
} as const
type Who = keyof typeof USERS

async function withRecord<T>(file: string, run: (record: WorkflowRecord, db: DB) => Promise<T>): Promise<T> {
  const { db } = openDatabase(file)
  try {
    return await run(openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(file))), db)
  } finally {
    await db.destroy()
  }
}

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-filing-'))
  const file = path.join(dir, 'app.sqlite')
  await prepareDatabase(file, { today: new Date() })
  await withRecord(file, async (record) => {
    // A duty 3 matter about the Audit Committee's chair, raised during the FY2012 certification and
    // acknowledged by everyone it went to: it blocks nothing, but the chair may not act for the committee on this report.
    await reportCase(record, {
      reportId: FY,
      input: {
        caseId: 'case-2012-audit-chair',
        duty: 3,
        subject: { kind: 'director', userId: 'user-audit-chair', isAuditCommitteeMember: true },
        reporter: { role: 'cfo', userId: 'user-cfo' },
        summary: 'The Audit Committee chair holds shares of the auditor’s affiliate.',
      },
      actor: { userId: 'user-cfo', role: 'cfo' },
      at: new Date('2013-02-14T16:00:00Z'),
    })
    const recipients = (await record.db
      .selectFrom('workflow_snapshot')
      .select('snapshot')
      .where('instance_id', '=', 'case/case-2012-audit-chair')
      .executeTakeFirstOrThrow()
      .then((r) => JSON.parse(r.snapshot).context.routing.recipients)) as Body[]
    const members: Record<string, { userId: string; role: string }> = {
      audit_committee: { userId: 'user-audit-member', role: 'audit_committee_member' },
      chairman: { userId: 'user-chairman', role: 'chairman' },
      ceo: { userId: 'user-ceo', role: 'ceo' },
    }
    for (const [i, body] of recipients.entries()) {
      const version = await record.db
        .selectFrom('workflow_snapshot')
        .select('version')
        .where('instance_id', '=', 'case/case-2012-audit-chair')
        .executeTakeFirstOrThrow()
      await acknowledgeCase(record, {
        caseId: 'case-2012-audit-chair',
        body,
        expectedVersion: version.version,
        actor: members[body]!,
        at: new Date(`2013-02-15T1${i}:00:00Z`),
      })
    }
    await signRemainingDuties(record, FY, '2013-02-18T16:00:00Z')
  })
  server = await startServer({ databasePath: file })
  baseURL = server.baseURL
  sqlite = new Database(file, { readonly: true, fileMustExist: true })
})
afterAll(async () => {
  sqlite?.close()
  await server?.stop()
})

const cookies = new Map<Who, string>()
async function as(who: Who): Promise<string> {
  const known = cookies.get(who)
  if (known) return known
  const response = await fetch(`${baseURL}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL },
    body: new URLSearchParams({ email: USERS[who], password: DEMO_PASSWORD, redirectTo: '/' }),
  })
  expect(response.status, who).toBe(302)
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!
  cookies.set(who, cookie)
  return cookie
}

const get = async (who: Who, path: string) => fetch(`${baseURL}${path}`, { redirect: 'manual', headers: { Cookie: await as(who) } })
async function post(who: Who, path: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one)
  return fetch(`${baseURL}${path}`, { method: 'POST', redirect: 'manual', headers: { Origin: baseURL, Cookie: await as(who) }, body })
}
const filing = (reportId = FY) => `/reports/${reportId}/filing`

const count = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
const writes = () => ({ events: count('workflow_event'), signatures: count('signature'), signOffs: count('sign_off') })
const reportState = (reportId = FY) =>
  (sqlite.prepare('SELECT state FROM workflow_snapshot WHERE instance_id = ?').get(`report/${reportId}`) as { state: string }).state
const dutyState = (userId: string, n: number) =>
  (sqlite.prepare('SELECT state FROM workflow_snapshot WHERE instance_id = ?').get(`duty/${FY}/${userId}/${n}`) as { state: string }).state

const sign = (body: 'disclosure_committee' | 'audit_committee', note = 'Reviewed at the meeting of the committee.') => ({
  intent: 'committeeStep',
  body,
  note,
  password: DEMO_PASSWORD,
})

/** A refused POST: a 4xx, the reason in the page, and nothing written. */
async function refused(who: Who, fields: Record<string, string | string[]>, status: number, words: RegExp, reportId = FY) {
  const before = writes()
  const response = await post(who, filing(reportId), fields)
  expect(response.status, `${who} ${fields.intent}`).toBe(status)
  expect(await response.text()).toMatch(words)
  expect(writes(), `${who} ${fields.intent} wrote nothing`).toEqual(before)
}

test('the page opens for the officers, the committees, the Chairman and the administrator; not for auditors', async () => {
  for (const who of ['ceo', 'cfo', 'cao', 'disclosureChair', 'chairman', 'auditChair', 'auditMember', 'admin'] as const) {
    expect((await get(who, filing())).status, who).toBe(200)
  }
  for (const who of ['internalAuditor', 'independentAuditor'] as const) {
    expect((await get(who, filing())).status, who).toBe(403)
    // Nor may they post any of the page's forms.
    for (const intent of ['committeeStep', 'sendBack', 'approveForFiling', 'file', 'notifyLateFiling', 'startAmendment']) {
      await refused(who, { intent, body: 'audit_committee', note: 'x', password: DEMO_PASSWORD }, 403, /administrator/)
    }
  }
  expect(reportState()).toContain('committeeReview')
  const page = await (await get('cfo', filing())).text()
  expect(page).toContain('The chair of the Disclosure Committee signs for it')
  // The Audit Committee's chair is the subject of a matter on this report: the page says who signs instead.
  expect(page).toContain('The chair of the Audit Committee is the subject of a matter on this report, so any other member signs for it.')
  expect(page).toContain('Taylor Quorum')
})

describe('the committees, in the capacity the company set', () => {
  test('a Disclosure Committee member who is not its chair, the administrator and an outsider cannot sign its approval', async () => {
    await refused('cfo', sign('disclosure_committee'), 403, /chair of the Disclosure Committee signs for it/)
    await refused('admin', sign('disclosure_committee'), 403, /chair of the Disclosure Committee signs for it/)
    await refused('chairman', sign('disclosure_committee'), 403, /Nothing was recorded/)
  })

  test('the Audit Committee chair, subject of a matter on the report, cannot take its review; a wrong password signs nothing', async () => {
    await refused('auditChair', sign('audit_committee'), 403, /subject of a matter on this report/)
    await refused('auditMember', { ...sign('audit_committee'), password: 'not-the-password' }, 401, /password is not right/)
    await refused('auditMember', { ...sign('audit_committee'), note: '   ' }, 400, /Write a note|must not be blank/)
  })

  test('bad input is a 400 that names it', async () => {
    await refused('disclosureChair', { intent: 'nonsense' }, 400, /did not say what to do/)
    await refused('disclosureChair', { ...sign('disclosure_committee'), body: 'board' }, 400, /Choose the committee/)
    await refused('auditMember', { intent: 'sendBack', body: 'audit_committee', reason: 'Why?' }, 400, /Choose the duties/)
    await refused(
      'auditMember',
      { intent: 'sendBack', body: 'audit_committee', reason: 'Why?', duties: ['6', '13'] },
      400,
      /numbered 1 to 12/,
    )
  })
})

test('sent back naming duties 6 and 12: exactly those reopen for every officer, the reason is shown, the rest stay signed', async () => {
  const disclosure = await post('disclosureChair', filing(), sign('disclosure_committee', 'Approved at the Disclosure Committee meeting.'))
  expect(disclosure.status).toBe(302)
  const signature = sqlite
    .prepare("SELECT capacity, signer_user_id, note FROM signature WHERE act = 'disclosure_committee_approval' AND report_id = ?")
    .all(FY)
  expect(signature).toEqual([
    { capacity: 'disclosure_committee', signer_user_id: 'user-disclosure-chair', note: 'Approved at the Disclosure Committee meeting.' },
  ])

  const reason = 'The Canamex note in the draft does not match the subscription agreement; review duties 6 and 12 again.'
  const back = await post('auditMember', filing(), { intent: 'sendBack', body: 'audit_committee', reason, duties: ['6', '12'] })
  expect(back.status).toBe(302)
  expect(reportState()).toBe('certification')
  for (const userId of ['user-ceo', 'user-cfo', 'user-cao']) {
    for (let n = 1; n <= 12; n++) {
      const state = dutyState(userId, n)
      if (n === 6 || n === 12) expect(state, `${userId} duty ${n}`).not.toBe('signed')
      else expect(state, `${userId} duty ${n}`).toBe('signed')
    }
  }
  // The officers read the reason on their dashboard and on the report page.
  for (const path of ['/', `/reports/${FY}`]) expect(await (await get('cao', path)).text(), path).toContain(reason.slice(0, 40))
  // The Disclosure Committee's approval is void: it approves again after the officers sign again.
  const again = await (await get('disclosureChair', filing())).text()
  expect(again).toContain('Sent back by the Audit Committee')
  expect(again).not.toContain('>Sign the approval<')
  expect(sqlite.prepare('SELECT count(*) AS n FROM signature WHERE report_id = ?').get(FY)).toEqual({ n: 1 })
})

test('a Form 12b-25 after the one-business-day window is refused with the reason; the CEO cannot record one', async () => {
  // FY2012 was due Friday, March 1, 2013: the window closed Monday, March 4.
  await refused('admin', { intent: 'notifyLateFiling', notifiedOn: '2013-03-05', narrative: 'The audit is not complete.' }, 422, /Too late/)
  await refused(
    'ceo',
    { intent: 'notifyLateFiling', notifiedOn: '2013-03-04', narrative: 'The audit is not complete.' },
    403,
    /administrator/,
  )
})

test('the live report: a Form 12b-25 recorded by the administrator extends its due date on the dashboard', async () => {
  const before = await (await get('admin', '/')).text()
  await refused('admin', { intent: 'notifyLateFiling', notifiedOn: '2999-01-01', narrative: 'x' }, 422, /cannot be in the future/, LIVE)
  const today = new Date().toISOString().slice(0, 10)
  const response = await post('admin', filing(LIVE), {
    intent: 'notifyLateFiling',
    notifiedOn: today,
    narrative: 'The reserve report is late.',
  })
  expect(response.status).toBe(302)
  const page = await (await get('admin', filing(LIVE))).text()
  expect(page).toMatch(/Form 12b-25 filed .*: extended to/)
  expect(await (await get('admin', '/')).text()).not.toEqual(before)
  await refused('admin', { intent: 'notifyLateFiling', notifiedOn: today, narrative: 'Again.' }, 422, /not open/, LIVE)
})

test('all the way: committees, the CEO and the CFO approve, the administrator files; then every POST on the report is refused', async () => {
  await withRecord(server.databasePath, (record) => signRemainingDuties(record, FY, '2013-02-25T16:00:00Z'))
  expect(reportState()).toContain('committeeReview')
  expect((await post('disclosureChair', filing(), sign('disclosure_committee'))).status).toBe(302)
  expect((await post('auditMember', filing(), sign('audit_committee'))).status).toBe(302)
  expect(reportState()).toBe('awaitingApprovalForFiling')

  await refused('cao', { intent: 'approveForFiling', password: DEMO_PASSWORD }, 403, /Only the CEO and the CFO/)
  await refused('admin', { intent: 'approveForFiling', password: DEMO_PASSWORD }, 403, /Only the CEO and the CFO/)
  await refused('admin', { intent: 'file', accessionNumber: '0000719413-13-000012', filedAt: '2013-02-26T21:05' }, 422, /not open/)
  expect((await post('ceo', filing(), { intent: 'approveForFiling', password: DEMO_PASSWORD })).status).toBe(302)
  expect(await (await get('cfo', filing())).text()).toContain('Avery Ledger</strong> (the CFO): still to approve')
  await refused('ceo', { intent: 'approveForFiling', password: DEMO_PASSWORD }, 422, /not open/)
  expect((await post('cfo', filing(), { intent: 'approveForFiling', password: DEMO_PASSWORD })).status).toBe(302)
  expect(reportState()).toBe('approvedForFiling')
  const acts = sqlite.prepare('SELECT act, capacity FROM signature WHERE report_id = ? ORDER BY workflow_sequence').all(FY)
  expect(acts.slice(-4)).toEqual([
    { act: 'disclosure_committee_approval', capacity: 'disclosure_committee' },
    { act: 'audit_committee_review', capacity: 'audit_committee' },
    { act: 'approval_for_filing', capacity: 'ceo' },
    { act: 'approval_for_filing', capacity: 'cfo' },
  ])

  for (const accessionNumber of ['719413-13-12', '0000719413-13-00001X', '']) {
    await refused('admin', { intent: 'file', accessionNumber, filedAt: '2013-02-26T21:05' }, 400, /accession|EDGAR/)
  }
  await refused('admin', { intent: 'file', accessionNumber: '0000719413-13-000012', filedAt: '26/02/2013' }, 400, /date and time/)
  await refused('ceo', { intent: 'file', accessionNumber: '0000719413-13-000012', filedAt: '2013-02-26T21:05' }, 403, /administrator/)
  const filed = await post('admin', filing(), { intent: 'file', accessionNumber: '0000719413-13-000012', filedAt: '2013-02-26T21:05' })
  expect(filed.status).toBe(302)
  expect(reportState()).toBe('locked')
  const page = await (await get('auditChair', filing())).text()
  expect(page).toContain('0000719413-13-000012')
  expect(page).toContain('Filed before its due date')
  const draft = sqlite
    .prepare('SELECT d.sha256 FROM periodic_report r JOIN report_draft d ON d.id = r.current_draft_id WHERE r.id = ?')
    .get(FY) as {
    sha256: string
  }
  expect(page).toContain(draft.sha256)

  // Locked: every officer's and committee member's POST on it is refused, naming the filing, and writes nothing.
  const named = /filed with the SEC on 2013-02-26 \(accession 0000719413-13-000012\)/
  await refused('disclosureChair', sign('disclosure_committee'), 409, named)
  await refused('auditMember', { intent: 'sendBack', body: 'audit_committee', reason: 'Late doubts.', duties: ['1'] }, 409, named)
  await refused('admin', { intent: 'file', accessionNumber: '0000719413-13-000013', filedAt: '2013-02-27T21:05' }, 409, named)
  await refused('admin', { intent: 'notifyLateFiling', notifiedOn: '2013-03-04', narrative: 'Too late anyway.' }, 409, named)
  for (const who of ['ceo', 'cfo', 'cao'] as const) {
    const before = writes()
    const userId = `user-${who}`
    const { version } = sqlite.prepare('SELECT version FROM workflow_snapshot WHERE instance_id = ?').get(`duty/${FY}/${userId}/6`) as {
      version: number
    }
    const response = await post(who, `/reports/${FY}/duties/6`, {
      intent: 'withdraw',
      expectedVersion: String(version),
      confirmWithdraw: 'on',
    })
    expect(response.status, who).toBeGreaterThanOrEqual(400)
    expect(response.status, who).toBeLessThan(500)
    expect(writes()).toEqual(before)
  }
  expect(
    verifyRecord({ file: server.databasePath, key: loadOrCreateSigningKey(signingKeyPath(server.databasePath)), lookup: machineLookup })
      .problems,
  ).toEqual([])
})

test('an amendment of the filed 10-K: a report of its own, numbered and linked; only of a filed report, only by the administrator or the CAO', async () => {
  await refused('admin', { intent: 'startAmendment', reason: 'Restate Note 17.' }, 409, /Only a report filed/, LIVE)
  await refused('ceo', { intent: 'startAmendment', reason: 'Restate Note 17.' }, 403, /administrator/)
  await refused('admin', { intent: 'startAmendment', reason: ' ' }, 400, /No amendment was started/)
  const reports = count('periodic_report')
  const started = await post('admin', filing(), { intent: 'startAmendment', reason: 'Restates Note 17 on the Canamex investment.' })
  expect(started.status).toBe(302)
  expect(started.headers.get('location')).toBe(`/admin/reports/${FY}-a1/drafts`)
  expect(count('periodic_report')).toBe(reports + 1)
  expect(
    sqlite.prepare('SELECT form, fiscal_year, amends_report_id, amendment_number FROM periodic_report WHERE id = ?').get(`${FY}-a1`),
  ).toEqual({
    form: '10-K',
    fiscal_year: 2012,
    amends_report_id: FY,
    amendment_number: 1,
  })
  expect((await get('admin', `/admin/reports/${FY}-a1/drafts`)).status).toBe(200)
  const original = await (await get('auditChair', filing())).text()
  expect(original).toContain('Form 10-K/A (Amendment No. 1) for fiscal year 2012')
  expect(original).toContain('Restates Note 17 on the Canamex investment.')
  const amendment = await (await get('auditChair', filing(`${FY}-a1`))).text()
  expect(amendment).toContain('This report amends the')
  expect(amendment).toContain('Drafting')
  expect(await (await get('cfo', '/')).text()).toContain('Form 10-K/A · Fiscal year 2012')
  // The original stays locked.
  expect(reportState()).toBe('locked')
})

test('who signs for a committee is the administrator’s setting: others may not read or change it; a chair who is no member is refused', async () => {
  const setting = () =>
    sqlite.prepare("SELECT signer_rule, chair_user_id FROM review_body_setting WHERE body = 'disclosure_committee'").get()
  const before = setting()
  expect(before).toEqual({ signer_rule: 'chair', chair_user_id: 'user-disclosure-chair' })
  expect((await get('admin', '/admin/committee-signers')).status).toBe(200)
  for (const who of ['cfo', 'disclosureChair', 'auditChair', 'cao'] as const) {
    expect((await get(who, '/admin/committee-signers')).status, who).toBe(403)
    const response = await post(who, '/admin/committee-signers', { body: 'disclosure_committee', rule: 'any_member', chairUserId: '' })
    expect(response.status, who).toBe(403)
  }
  expect(setting()).toEqual(before)
  const notMember = await post('admin', '/admin/committee-signers', {
    body: 'disclosure_committee',
    rule: 'chair',
    chairUserId: 'user-chairman',
  })
  expect(notMember.status).toBe(400)
  expect(await notMember.text()).toContain('must be a current member of the Disclosure Committee')
  expect((await post('admin', '/admin/committee-signers', { body: 'board', rule: 'chair', chairUserId: '' })).status).toBe(400)
  expect(
    (await post('admin', '/admin/committee-signers', { body: 'disclosure_committee', rule: 'everyone', chairUserId: '' })).status,
  ).toBe(400)
  expect(setting()).toEqual(before)
  const saved = await post('admin', '/admin/committee-signers', {
    body: 'disclosure_committee',
    rule: 'any_member',
    chairUserId: 'user-disclosure-chair',
  })
  expect(saved.status).toBe(302)
  expect(setting()).toEqual({ signer_rule: 'any_member', chair_user_id: 'user-disclosure-chair' })
  // The report pages say so.
  expect(await (await get('cfo', filing(LIVE))).text()).toContain('Any member of the Disclosure Committee may sign for it')
})
