import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { openDatabase, type DB } from '../../db/client'
import { acknowledgeCase, decideCase, reportCase } from '../../db/commands'
import { instanceId } from '../../db/ids'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import type { CaseSubject } from '../../machines/routing'
import { DEMO_PASSWORD } from '../../seeds/hecla'
import { sessionsOf } from './sessions'

// The Board's determination page (/cases/<id>/determination) and the written
// notice (/notices/<id>, its PDF) over plain HTTP, per role: the Board's members
// open the page and take its steps; the individual it is about, the
// administrator and the officers are refused it (403), a director who is the
// subject reads a 404; the notice is the individual's alone (everyone else a
// 404, as for no notice). Every refused POST writes nothing: the events, the
// chain's head and the signatures stay as they were. The referred matters are
// reported, acknowledged and referred through the same commands the case pages
// call, on the server's own file and key, tied to no report.

const baseURL = inject('baseURL')
const databasePath = inject('databasePath')

const USERS = {
  ceo: 'ceo@hecla.example',
  cfo: 'cfo@hecla.example',
  controller: 'controller@hecla.example',
  disclosure: 'disclosure@hecla.example',
  chairman: 'chairman@hecla.example',
  auditChair: 'audit.chair@hecla.example',
  auditMember: 'audit.member@hecla.example',
  internalAudit: 'internal.audit@hecla.example',
  auditor: 'auditor@hecla.example',
  admin: 'admin@hecla.example',
} as const
type Who = keyof typeof USERS
const EVERYONE = Object.keys(USERS) as Who[]
const DIRECTORS: Who[] = ['chairman', 'auditChair', 'auditMember']
const session = sessionsOf(USERS)

/** About the CEO (not a director): the walk of this file. */
const ABOUT_CEO = 'case-board-http-ceo'
/** About a director on the Audit Committee: the subject is a director, and still never sees it. */
const ABOUT_DIRECTOR = 'case-board-http-director'
const MATTER = 'The CEO steered the haulage contract to a firm his family owns (determination HTTP test).'
const REFERRAL_NOTE = 'A conflict of interest never disclosed: for the Board (determination HTTP test).'

let sqlite: Database.Database
let db: DB
let record: WorkflowRecord

const versionOf = (id: string) =>
  (sqlite.prepare('SELECT version FROM workflow_snapshot WHERE instance_id = ?').get(id) as { version: number } | undefined)?.version ?? 0
const stateOf = (id: string) =>
  (sqlite.prepare('SELECT state FROM workflow_snapshot WHERE instance_id = ?').get(id) as { state: string } | undefined)?.state
const count = (query: string, ...params: unknown[]) => (sqlite.prepare(query).get(...params) as { n: number }).n

/** Everything a step would leave: events and the chain's head, signatures, the instances. */
function writes() {
  return {
    events: count('SELECT count(*) AS n FROM workflow_event'),
    head: (sqlite.prepare('SELECT hash FROM workflow_event ORDER BY sequence DESC LIMIT 1').get() as { hash: string }).hash,
    signatures: count('SELECT count(*) AS n FROM signature'),
    instances: count('SELECT count(*) AS n FROM workflow_instance'),
  }
}

async function referred(caseId: string, subject: CaseSubject, acknowledgers: { body: 'chairman' | 'ceo'; userId: string }) {
  const id = instanceId.case(caseId)
  await reportCase(record, {
    reportId: null,
    input: { caseId, duty: 3, subject, reporter: { role: 'cfo', userId: 'user-cfo' }, summary: MATTER },
    actor: { userId: 'user-cfo', role: 'cfo' },
  })
  await acknowledgeCase(record, {
    caseId,
    body: acknowledgers.body,
    expectedVersion: versionOf(id),
    actor: { userId: acknowledgers.userId, role: acknowledgers.body },
  })
  await acknowledgeCase(record, {
    caseId,
    body: 'audit_committee',
    expectedVersion: versionOf(id),
    actor: { userId: 'user-audit-chair', role: 'audit_committee_chair' },
  })
  await decideCase(record, {
    caseId,
    event: { type: 'case.refer', violationOfCodes: true, note: REFERRAL_NOTE, at: new Date().toISOString() },
    expectedVersion: versionOf(id),
    actor: { userId: 'user-audit-chair', role: 'audit_committee_chair' },
  })
}

beforeAll(async () => {
  sqlite = new Database(databasePath, { readonly: true, fileMustExist: true })
  ;({ db } = openDatabase(databasePath))
  record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(databasePath)))
  await referred(ABOUT_CEO, { kind: 'officer', role: 'ceo', userId: 'user-ceo' }, { body: 'chairman', userId: 'user-chairman' })
  await referred(
    ABOUT_DIRECTOR,
    { kind: 'director', userId: 'user-audit-member', isChairman: false, isAuditCommitteeMember: true },
    { body: 'ceo', userId: 'user-ceo' },
  )
  expect(stateOf(instanceId.case(ABOUT_CEO))).toBe('referredForDetermination')
})
afterAll(async () => {
  sqlite.close()
  await db.destroy()
})

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

async function get(route: string, who: Who) {
  return fetch(`${baseURL}${route}`, { redirect: 'manual', headers: { Cookie: await session(who) } })
}
async function post(route: string, fields: Record<string, string | string[]>, who: Who) {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one)
  return fetch(`${baseURL}${route}`, { method: 'POST', redirect: 'manual', headers: { Origin: baseURL, Cookie: await session(who) }, body })
}

const page = (caseId: string) => `/cases/${caseId}/determination`
const determinationVersion = (caseId: string) => String(versionOf(instanceId.determination(caseId)))

/** A complete record form: the factors, a violation with censure and a suspension without pay, with benefits. */
const recordForm = (caseId: string, overrides: Record<string, string | string[]> = {}) => ({
  intent: 'record',
  expectedVersion: determinationVersion(caseId),
  natureDescription: 'A haulage contract of about $2 million steered to a family firm, never disclosed.',
  severity: 'serious',
  occurrence: 'single',
  intentional: 'intentional',
  advisedBeforehand: 'yes',
  otherRelevantInformation: 'The CEO had signed the annual conflict-of-interest questionnaire in January.',
  violation: 'yes',
  decidedBy: 'board',
  actions: ['censure', 'written_notice_of_violation', 'suspension'],
  suspensionPay: 'without',
  suspensionBenefits: 'with',
  rationale: 'An intentional, undisclosed conflict of interest by the CEO, who had been advised: censure and a suspension.',
  note: 'Decided at the special meeting of the Board.',
  password: DEMO_PASSWORD,
  ...overrides,
})

describe('who may open the Board’s determination page', () => {
  test('the Board’s members 200; the subject, the administrator, the officers and the others 403', async () => {
    for (const who of EVERYONE) {
      const response = await get(page(ABOUT_CEO), who)
      expect(response.status, who).toBe(DIRECTORS.includes(who) ? 200 : 403)
      const html = await response.text()
      if (response.status === 200) {
        expect(html).toContain('The Board’s determination')
        expect(html).toContain('Record and sign the determination')
        // The five factors and the five actions, in the code's words.
        for (const words of [
          'The nature and severity of the violation',
          'Whether the violation was a single occurrence or repeated occurrences',
          'Whether the violation appears to have been intentional or inadvertent',
          'Whether the individual in question had been advised prior to the violation as to the proper course of action',
          'Whether or not the individual in question had committed other violations in the past',
          'Written notice to the individual involved that the Board has determined that there has been a violation',
          'Censure by the Board',
          'Demotion or re-assignment of the individual involved',
          'Suspension with or without pay or benefits (as determined by the Board)',
          'Termination of the individual’s employment',
        ]) {
          expect(html, words).toContain(words)
        }
        // The prior violations the record holds about the CEO, each by its case (none in the demo's own history).
        const earlier = violationsDeterminedAboutCeo()
        expect([...html.matchAll(/data-prior-case-id="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(earlier.sort())
        if (earlier.length === 0)
          expect(html).toContain('None: the record holds no earlier violation determined by the Board for this individual.')
      } else {
        expect(html).not.toContain('haulage contract')
      }
    }
  })

  test('a director who is the subject reads a 404, the same as a matter that does not exist or is not referred', async () => {
    expect((await get(page(ABOUT_DIRECTOR), 'auditMember')).status).toBe(404)
    expect((await get(page(ABOUT_DIRECTOR), 'chairman')).status).toBe(200)
    expect((await get(page(ABOUT_DIRECTOR), 'auditChair')).status).toBe(200)
    const missing = await get(page('case-board-http-no-such-matter'), 'chairman')
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('There is no matter “case-board-http-no-such-matter” referred to the Board that you can open.')
    // A matter still with its bodies (not referred) has no determination page.
    expect((await get(page('case-2012-canamex'), 'chairman')).status).toBe(404)
  })

  test('the case page links Board members to the determination, once referred', async () => {
    const html = await (await get(`/cases/${ABOUT_CEO}`, 'auditMember')).text()
    expect(html).toContain(`href="/cases/${ABOUT_CEO}/determination"`)
  })
})

describe('a step on the determination that is refused writes nothing', () => {
  test('by the subject, the administrator and the officers: 403 for every step', async () => {
    const before = writes()
    for (const who of ['ceo', 'admin', 'cfo', 'controller', 'disclosure', 'auditor'] as Who[]) {
      const steps: Record<string, string | string[]>[] = [
        recordForm(ABOUT_CEO),
        { intent: 'sign', expectedVersion: '2', password: DEMO_PASSWORD },
        { intent: 'giveNotice', expectedVersion: '3', noticeText: 'A notice from outside.' },
        { intent: 'close', expectedVersion: '4' },
      ]
      for (const fields of steps) {
        expect((await post(page(ABOUT_CEO), fields, who)).status, `${who} ${String(fields.intent)}`).toBe(403)
      }
    }
    // The director who is the subject: 404, as for no such matter.
    expect((await post(page(ABOUT_DIRECTOR), recordForm(ABOUT_DIRECTOR), 'auditMember')).status).toBe(404)
    expect(writes()).toEqual(before)
  })

  test('a director’s bad form, wrong password, stale page, a form naming a signer, a step not open: each refused with its reason', async () => {
    const before = writes()
    const blank = await post(page(ABOUT_CEO), recordForm(ABOUT_CEO, { natureDescription: '   ', severity: 'catastrophic' }), 'chairman')
    expect(blank.status).toBe(400)
    const blankHtml = await blank.text()
    expect(blankHtml).toContain('Nothing was recorded or signed: some fields need your attention.')
    expect(blankHtml).toContain('Write the nature of the violation.')
    expect(blankHtml).toContain('Choose how severe the violation is.')
    const noAction = await post(page(ABOUT_CEO), recordForm(ABOUT_CEO, { actions: [] }), 'chairman')
    expect(noAction.status).toBe(400)
    expect(await noAction.text()).toContain('A violation determined: choose at least one action the Board takes.')
    const suspension = await post(page(ABOUT_CEO), recordForm(ABOUT_CEO, { suspensionPay: '' }), 'chairman')
    expect(suspension.status).toBe(400)
    expect(await suspension.text()).toContain('Say whether the suspension is with or without pay.')
    const unknownAction = await post(page(ABOUT_CEO), recordForm(ABOUT_CEO, { actions: ['banishment'] }), 'chairman')
    expect(unknownAction.status).toBe(400)
    const wrong = await post(page(ABOUT_CEO), recordForm(ABOUT_CEO, { password: 'not-the-password' }), 'chairman')
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).toContain('Nothing was signed: that password is not right.')
    const stale = await post(page(ABOUT_CEO), recordForm(ABOUT_CEO, { expectedVersion: '7' }), 'chairman')
    expect(stale.status).toBe(409)
    const naming = await post(page(ABOUT_CEO), recordForm(ABOUT_CEO, { signer: 'user-audit-chair' }), 'chairman')
    expect(naming.status).toBe(403)
    const signFirst = await post(page(ABOUT_CEO), { intent: 'sign', expectedVersion: '0', password: DEMO_PASSWORD }, 'auditChair')
    expect(signFirst.status).toBe(422)
    const noticeFirst = await post(page(ABOUT_CEO), { intent: 'giveNotice', expectedVersion: '0', noticeText: 'Too soon.' }, 'chairman')
    expect(noticeFirst.status).toBe(422)
    const unknown = await post(page(ABOUT_CEO), { intent: 'pardon', expectedVersion: '0' }, 'chairman')
    expect(unknown.status).toBe(400)
    expect(writes()).toEqual(before)
    expect(stateOf(instanceId.determination(ABOUT_CEO))).toBeUndefined()
  })
})

describe('the determination, its signatures, the notice and its acknowledgement', () => {
  test('recorded and signed by the Chairman; signed by the Audit Committee’s chair; signing twice is refused', async () => {
    const recorded = await post(page(ABOUT_CEO), recordForm(ABOUT_CEO), 'chairman')
    expect(recorded.status).toBe(302)
    expect(recorded.headers.get('location')).toBe(`${page(ABOUT_CEO)}?done=record`)
    expect(stateOf(instanceId.determination(ABOUT_CEO))).toBe('decided')
    const decision = JSON.parse(
      (
        sqlite
          .prepare("SELECT json_extract(snapshot, '$.context.decision') AS d FROM workflow_snapshot WHERE instance_id = ?")
          .get(instanceId.determination(ABOUT_CEO)) as { d: string }
      ).d,
    ) as { actions: string[]; suspension: unknown }
    // In the code's order, whatever order the form sent them in.
    expect(decision.actions).toEqual(['written_notice_of_violation', 'censure', 'suspension'])
    expect(decision.suspension).toEqual({ withPay: false, withBenefits: true })

    const before = await (await get(page(ABOUT_CEO), 'auditChair')).text()
    expect(before).toContain('Robin Gavel')
    expect(element(before, 'determination-not-signed')).toMatch(/Morgan Oversight[\s\S]*Taylor Quorum/)
    expect(element(before, 'determination-signatures')).toContain('Robin Gavel')
    expect(before).toContain('Suspension without pay and with benefits (as determined by the Board)')

    const signed = await post(
      page(ABOUT_CEO),
      { intent: 'sign', expectedVersion: determinationVersion(ABOUT_CEO), password: DEMO_PASSWORD },
      'auditChair',
    )
    expect(signed.status).toBe(302)
    const snapshot = writes()
    const twice = await post(
      page(ABOUT_CEO),
      { intent: 'sign', expectedVersion: determinationVersion(ABOUT_CEO), password: DEMO_PASSWORD },
      'auditChair',
    )
    expect(twice.status).toBe(409)
    expect(await twice.text()).toContain('You have signed this determination already')
    expect(writes()).toEqual(snapshot)
    const signers = sqlite
      .prepare('SELECT signer_user_id AS who FROM signature WHERE workflow_instance_id = ? ORDER BY workflow_sequence')
      .all(instanceId.determination(ABOUT_CEO))
    expect(signers).toEqual([{ who: 'user-chairman' }, { who: 'user-audit-chair' }])
    const after = await (await get(page(ABOUT_CEO), 'chairman')).text()
    expect(element(after, 'determination-not-signed')).toContain('Taylor Quorum')
    expect(element(after, 'determination-not-signed')).not.toContain('Morgan Oversight')
    expect(element(after, 'determination-signatures')).toMatch(/Robin Gavel[\s\S]*Morgan Oversight/)
  })

  test('before the notice is given, no one has a notice page; the CEO’s dashboard says nothing of it', async () => {
    expect((await get(`/notices/${ABOUT_CEO}`, 'ceo')).status).toBe(404)
    expect((await get(`/notices/${ABOUT_CEO}.pdf`, 'ceo')).status).toBe(404)
    expect(await (await get('/', 'ceo')).text()).not.toContain('A notice from the Board of Directors awaits your acknowledgement')
  })

  test('the notice given: the individual alone opens it and its PDF; nothing of the case shows; others 404', async () => {
    const given = await post(
      page(ABOUT_CEO),
      {
        intent: 'giveNotice',
        expectedVersion: determinationVersion(ABOUT_CEO),
        noticeText: 'The Board has determined that there has been a violation (HTTP test notice).',
      },
      'auditMember',
    )
    expect(given.status).toBe(302)
    expect(stateOf(instanceId.determination(ABOUT_CEO))).toBe('noticeGiven')
    // Once the notice is out, no further signature.
    expect(
      (
        await post(
          page(ABOUT_CEO),
          { intent: 'sign', expectedVersion: determinationVersion(ABOUT_CEO), password: DEMO_PASSWORD },
          'auditMember',
        )
      ).status,
    ).toBe(422)

    const dashboard = await (await get('/', 'ceo')).text()
    expect(dashboard).toContain(`href="/notices/${ABOUT_CEO}"`)
    expect(dashboard).toContain('A notice from the Board of Directors awaits your acknowledgement')
    for (const who of EVERYONE) {
      const response = await get(`/notices/${ABOUT_CEO}`, who)
      expect(response.status, who).toBe(who === 'ceo' ? 200 : 404)
      const pdf = await get(`/notices/${ABOUT_CEO}.pdf`, who)
      expect(pdf.status, `${who} PDF`).toBe(who === 'ceo' ? 200 : 404)
      if (who !== 'ceo') {
        expect(await response.text()).toContain(`There is no notice “${ABOUT_CEO}” addressed to you.`)
        continue
      }
      const html = await response.text()
      expect(html).toContain('HTTP test notice')
      expect(html).toContain('The Board of Directors has determined that there has been a violation.')
      expect(html).toContain('Censure by the Board')
      expect(html).toContain('Robin Gavel')
      expect(html).toContain('Morgan Oversight')
      expect(html).toContain('Acknowledge receipt')
      // Never the matter, its referral, its reporter, nor the Board's factors.
      for (const hidden of [MATTER, REFERRAL_NOTE, 'Avery Ledger', 'conflict-of-interest questionnaire', 'special meeting']) {
        expect(html, hidden).not.toContain(hidden)
      }
      expect(pdf.headers.get('content-type')).toBe('application/pdf')
      const text = pdfText(Buffer.from(await pdf.arrayBuffer()))
      expect(text).toContain('Notice from the Board of Directors')
      expect(text).toContain('HTTP test notice')
      expect(text).toContain('Suspension without pay and with benefits (as determined by the Board)')
      expect(text).toContain('Robin Gavel')
      expect(text).toContain('Not acknowledged yet.')
      for (const hidden of [MATTER, REFERRAL_NOTE, 'Avery Ledger']) expect(text, hidden).not.toContain(hidden)
    }
  })

  test('the acknowledgement: by anyone else refused and nothing written; by the individual recorded once; the Board sees when', async () => {
    const before = writes()
    for (const who of ['chairman', 'admin', 'cfo'] as Who[]) {
      expect(
        (await post(`/notices/${ABOUT_CEO}`, { intent: 'acknowledge', expectedVersion: determinationVersion(ABOUT_CEO) }, who)).status,
        who,
      ).toBe(404)
    }
    expect((await post(`/notices/${ABOUT_CEO}`, { intent: 'acknowledge', expectedVersion: '1' }, 'ceo')).status).toBe(409)
    expect((await post(`/notices/${ABOUT_CEO}`, { intent: 'agree', expectedVersion: determinationVersion(ABOUT_CEO) }, 'ceo')).status).toBe(
      400,
    )
    expect(writes()).toEqual(before)

    const acknowledged = await post(
      `/notices/${ABOUT_CEO}`,
      { intent: 'acknowledge', expectedVersion: determinationVersion(ABOUT_CEO) },
      'ceo',
    )
    expect(acknowledged.status).toBe(302)
    expect(stateOf(instanceId.determination(ABOUT_CEO))).toBe('noticeAcknowledged')
    const by = sqlite
      .prepare("SELECT actor_user_id AS who FROM workflow_event WHERE instance_id = ? AND event_type = 'determination.acknowledgeNotice'")
      .all(instanceId.determination(ABOUT_CEO))
    expect(by).toEqual([{ who: 'user-ceo' }])
    const again = writes()
    expect(
      (await post(`/notices/${ABOUT_CEO}`, { intent: 'acknowledge', expectedVersion: determinationVersion(ABOUT_CEO) }, 'ceo')).status,
    ).toBe(422)
    expect(writes()).toEqual(again)

    expect(await (await get('/', 'ceo')).text()).not.toContain('A notice from the Board of Directors awaits your acknowledgement')
    expect(await (await get(`/notices/${ABOUT_CEO}`, 'ceo')).text()).toContain('You acknowledged receipt of this notice on')
    const board = await (await get(page(ABOUT_CEO), 'chairman')).text()
    expect(board).toMatch(/The individual acknowledged receipt on [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M UTC\./)
    expect((await post(page(ABOUT_CEO), { intent: 'close', expectedVersion: determinationVersion(ABOUT_CEO) }, 'chairman')).status).toBe(
      302,
    )
    expect(stateOf(instanceId.determination(ABOUT_CEO))).toBe('closed')
  })
})

/** The rendered element with this id, up to its closing tag (the lists here hold no nested list). */
function element(html: string, id: string): string {
  const start = html.indexOf(` id="${id}"`)
  expect(start, id).toBeGreaterThan(-1)
  const tag = html.lastIndexOf('<', start)
  const name = /^<(\w+)/.exec(html.slice(tag))![1]!
  return html.slice(tag, html.indexOf(`</${name}>`, start) + name.length + 3)
}

/** pdftotext's words, one space between each. */
function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notice-pdf-'))
  try {
    const file = path.join(dir, 'notice.pdf')
    fs.writeFileSync(file, pdf)
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
