// The outbox end to end against a real SMTP server on loopback (issue 11): the
// commands write the mails in their own transactions, the sender delivers them,
// the server receives them. Who receives what, that nothing of a matter leaks
// into any mail, that the anonymous reporter gets nothing, that no one gets the
// same mail twice; a reminder, a digest, the written notice and the witness.
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  acknowledgeCase,
  decideCase,
  giveDeterminationNotice,
  recordDetermination,
  reportAnonymously,
  reportCase,
  signDetermination,
  writeCaseMessage,
} from '../../db/commands'
import type { DB } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import { outboxHook } from '../../db/outbox/enqueue'
import { runOutboxPass } from '../../db/outbox/loop'
import { messageIdOf, smtpTransport } from '../../db/outbox/sender'
import { loadOrCreateSigningKey } from '../../db/signing-key'
import { verifyRecord } from '../../db/verify'
import { openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import { type TestSmtpServer, startTestSmtpServer } from '../support/smtp-test-server'
import { copySeededDatabase, type SeededCopy } from '../utils/test-db'

const APP = 'http://attest.test:3000'
const FY = 'report-2012-fy'
const CASE = 'case-2012-supplier'
const SUMMARY = 'An undisclosed interest in the Lucky Friday haulage supplier.'
const QUESTION = 'Which purchase orders did the supplier sign in January?'
const NOTICE = 'The Board has determined that there has been a violation of the Code of Business Conduct and Ethics.'
const ANONYMOUS_SUMMARY = 'Journal entries at the Greens Creek mine were backdated.'
const at = (s: string) => new Date(s)
const findQuestionId = async (db: DB, caseId: string) =>
  (
    await db
      .selectFrom('case_message')
      .select('id')
      .where('case_instance_id', '=', `case/${caseId}`)
      .where('kind', '=', 'question')
      .executeTakeFirstOrThrow()
  ).id

let copy: SeededCopy
let db: DB
let record: WorkflowRecord
let smtp: TestSmtpServer

beforeAll(async () => {
  copy = copySeededDatabase('outbox-mail')
  db = copy.db
  record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(copy.keyPath), { afterWrite: outboxHook({ appUrl: APP }) })
  smtp = await startTestSmtpServer()
  // The Audit Committee member reads one digest a day; a routed matter still reaches them at once.
  await db
    .insertInto('notification_setting')
    .values({ user_id: 'user-audit-member', mode: 'digest', updated_at: '2013-02-01T00:00:00Z' })
    .execute()

  // A code violation by an employee, reported by the CFO: to the CEO and the Audit Committee (duty 3).
  await reportCase(record, {
    reportId: FY,
    input: {
      caseId: CASE,
      duty: 3,
      subject: { kind: 'employee', userId: 'user-internal-auditor' },
      reporter: { userId: 'user-cfo', role: 'cfo' },
      summary: SUMMARY,
    },
    actor: { userId: 'user-cfo', role: 'cfo' },
    at: at('2013-02-14T18:00:00Z'),
  })
  await writeCaseMessage(record, {
    caseId: CASE,
    kind: 'question',
    authorUserId: 'user-audit-chair',
    capacity: 'audit_committee',
    body: QUESTION,
    at: at('2013-02-14T18:10:00Z'),
  })
  await writeCaseMessage(record, {
    caseId: CASE,
    kind: 'answer',
    replyTo: await findQuestionId(db, CASE),
    authorUserId: 'user-cfo',
    capacity: 'reporter',
    body: 'The orders of 9 and 23 January.',
    at: at('2013-02-14T18:20:00Z'),
  })
  await acknowledgeCase(record, {
    caseId: CASE,
    body: 'ceo',
    expectedVersion: 1,
    actor: { userId: 'user-ceo', role: 'ceo' },
    at: at('2013-02-14T19:00:00Z'),
  })
  await acknowledgeCase(record, {
    caseId: CASE,
    body: 'audit_committee',
    expectedVersion: 2,
    actor: { userId: 'user-audit-chair', role: 'audit_committee_chair' },
    at: at('2013-02-14T19:30:00Z'),
  })
  await decideCase(record, {
    caseId: CASE,
    expectedVersion: 3,
    actor: { userId: 'user-audit-chair', role: 'audit_committee_chair' },
    event: { type: 'case.refer', violationOfCodes: true, note: 'A conflict of interest: for the Board.', at: '2013-02-15T18:00:00Z' },
    at: at('2013-02-15T18:00:00Z'),
  })
  await recordDetermination(record, {
    caseId: CASE,
    factors: {
      natureAndSeverity: { description: 'Undisclosed interest in a supplier.', severity: 'serious' },
      occurrence: 'single',
      intent: 'inadvertent',
      advisedBeforehand: false,
    },
    decision: {
      violation: true,
      decidedBy: 'board',
      rationale: 'A single, inadvertent conflict.',
      actions: ['written_notice_of_violation', 'censure'],
    },
    signerUserId: 'user-chairman',
    expectedVersion: 0,
    at: at('2013-02-18T19:00:00Z'),
  })
  await signDetermination(record, { caseId: CASE, signerUserId: 'user-audit-chair', expectedVersion: 2, at: at('2013-02-18T19:30:00Z') })
  await giveDeterminationNotice(record, {
    caseId: CASE,
    directorUserId: 'user-chairman',
    text: NOTICE,
    expectedVersion: 3,
    at: at('2013-02-18T20:00:00Z'),
  })

  // Through the anonymous channel, with a question back to the reporter: no mail can reach them.
  await reportAnonymously(record, {
    reportId: FY,
    input: {
      caseId: 'case-2012-anonymous',
      duty: 2,
      matterKind: 'control_deficiency',
      subject: { kind: 'none' },
      summary: ANONYMOUS_SUMMARY,
    },
    receipt: { keySha256: 'a'.repeat(64), passphraseHash: 'scrypt$1024$8$1$c2FsdA==$a2V5' },
    at: at('2013-02-19T18:00:00Z'),
  })
  await writeCaseMessage(record, {
    caseId: 'case-2012-anonymous',
    kind: 'question',
    authorUserId: 'user-audit-chair',
    capacity: 'audit_committee',
    body: 'Which entries, and who approved them?',
    at: at('2013-02-19T18:30:00Z'),
  })

  // On Thursday 28 February 2013, one business day before the FY2012 10-K is due
  // (Friday 1 March): the reminders, and the digests of the days before.
  const transport = smtpTransport(smtp.url)!
  const pass = await runOutboxPass(db, record, transport, {
    now: () => at('2013-02-28T17:00:00Z'),
    appUrl: APP,
  })
  transport.close()
  await smtp.settled()
  expect(pass.dead).toBe(0)
  expect(pass.failed).toBe(0)
}, 60_000)

afterAll(async () => {
  await smtp.close()
  await copy.close()
})

const to = (email: string) => smtp.received.filter((m) => m.to.includes(email))
const kinds = (email: string) => to(email).map((m) => m.kind)

test('every mail of the outbox reached the SMTP server once, with its idempotency key as Message-ID', async () => {
  const rows = await db.selectFrom('outbox_message').select(['idempotency_key', 'state']).where('state', '=', 'sent').execute()
  expect(rows.length).toBeGreaterThan(10)
  const ids = smtp.received.map((m) => m.messageId)
  expect(new Set(ids).size).toBe(ids.length)
  expect(ids.sort()).toEqual(rows.map((r) => messageIdOf(r.idempotency_key)).sort())
  expect(await db.selectFrom('outbox_message').select('id').where('state', 'in', ['queued', 'sending', 'held', 'dead']).execute()).toEqual(
    [],
  )
})

test('the routing mail goes to every recipient of the matter, at once even for a digest reader, and to nobody else', () => {
  const routed = smtp.received.filter((m) => m.kind === 'case_routed' && m.text.includes(`/cases/${CASE}`))
  expect(routed.flatMap((m) => m.to).sort()).toEqual(['audit.chair@hecla.example', 'audit.member@hecla.example', 'ceo@hecla.example'])
  for (const m of routed) {
    expect(m.text).toContain(`${APP}/cases/${CASE}`)
    expect(m.text).toContain('Why you receive this:')
  }
  // Its subject (an employee) and its reporter receive no routing mail.
  expect(kinds('internal.audit@hecla.example')).not.toContain('case_routed')
  expect(kinds('cfo@hecla.example')).not.toContain('case_routed')
})

test('the reporter receives the question once, without its text; the recipients hear of the answer', () => {
  const questions = to('cfo@hecla.example').filter((m) => m.kind === 'case_question')
  expect(questions).toHaveLength(1)
  expect(questions[0]!.text).toContain(`${APP}/cases/${CASE}`)
  expect(questions[0]!.text).toContain('you reported this matter')
  expect(to('ceo@hecla.example').filter((m) => m.kind === 'case_answer')).toHaveLength(1)
  // Nobody gets the same kind of mail about the same thing twice.
  const seen = smtp.received.map((m) => `${m.to.join()}|${m.kind}|${m.subject}|${m.text}`)
  expect(new Set(seen).size).toBe(seen.length)
})

test('the written notice goes to the individual, links to /notices/<case>, and carries no text of the notice', () => {
  const notices = to('internal.audit@hecla.example').filter((m) => m.kind === 'determination_notice')
  expect(notices).toHaveLength(1)
  expect(notices[0]!.text).toContain(`${APP}/notices/${CASE}`)
  expect(notices[0]!.text).not.toContain(NOTICE)
  // The individual hears of nothing else about their matter.
  expect(kinds('internal.audit@hecla.example')).toEqual(['determination_notice'])
  expect(to('chairman@hecla.example').map((m) => m.kind)).toEqual(expect.arrayContaining(['case_referred']))
})

test('no mail carries a matter’s text; people outside a matter get nothing about it; the anonymous reporter gets nothing', () => {
  for (const m of smtp.received) {
    for (const secret of [SUMMARY, QUESTION, NOTICE, ANONYMOUS_SUMMARY, 'Which entries', 'Lucky Friday', 'Greens Creek'])
      expect(m.text + m.subject).not.toContain(secret)
  }
  for (const outsider of ['disclosure@hecla.example', 'auditor@hecla.example', 'admin@hecla.example', 'controller@hecla.example'])
    expect(to(outsider).filter((m) => m.kind?.startsWith('case_') || m.kind?.startsWith('determination_'))).toEqual([])
  expect(smtp.received.flatMap((m) => m.to).filter((a) => a.includes('anonymous'))).toEqual([])
  const anonymousCase = smtp.received.filter((m) => m.text.includes('/cases/case-2012-anonymous'))
  expect(anonymousCase.every((m) => m.kind !== 'case_question')).toBe(true)
  expect(anonymousCase.flatMap((m) => m.to).sort()).toEqual(['audit.chair@hecla.example', 'audit.member@hecla.example'])
})

test('a reminder one business day before the due date goes to each officer with unsigned duties, once', async () => {
  const reminders = smtp.received.filter((m) => m.kind === 'reminder' && m.subject.includes('fiscal year 2012'))
  expect(reminders.flatMap((m) => m.to).sort()).toEqual(['ceo@hecla.example', 'cfo@hecla.example', 'controller@hecla.example'])
  expect(reminders[0]!.subject).toMatch(/^1 business day left/)
  expect(reminders.find((m) => m.to.includes('controller@hecla.example'))!.text).toMatch(/sign duties 1, 2, 3, 4, 6, 10, 11, 12 \(8 of 12/)
  // A second pass the same day writes none again.
  const again = await runOutboxPass(db, record, null, { now: () => at('2013-02-28T23:00:00Z'), appUrl: APP })
  expect(again.reminders).toBe(0)
  expect(await db.selectFrom('reminder_sent').select(['user_id', 'day']).where('report_id', '=', FY).execute()).toHaveLength(3)
})

test('the digest reader gets one digest for each day, listing what they did not get at once', () => {
  const member = to('audit.member@hecla.example')
  const digests = member.filter((m) => m.kind === 'digest')
  expect(digests.map((m) => m.subject).sort()).toEqual([
    'Your daily digest for 2013-02-14: 2 items',
    'Your daily digest for 2013-02-18: 1 item',
  ])
  const feb14 = digests.find((m) => m.subject.includes('2013-02-14'))!
  expect(feb14.text).toContain('The reporter answered a question')
  expect(feb14.text).toContain('acknowledged a matter you received')
  expect(feb14.text).toContain(`${APP}/cases/${CASE}`)
  expect(digests.find((m) => m.subject.includes('2013-02-18'))!.text).toContain('The Board recorded a determination')
  // Besides the digests, only what is always immediate reached them on its own: the matters routed (or referred) to them.
  expect(
    member
      .filter((m) => m.kind !== 'digest')
      .map((m) => m.kind)
      .sort(),
  ).toEqual(['case_referred', 'case_routed', 'case_routed'])
})

test('the Audit Committee chair receives the signed chain head as a JSON attachment each week', () => {
  const witness = to('audit.chair@hecla.example').filter((m) => m.kind === 'witness')
  expect(witness).toHaveLength(1)
  const file = JSON.parse(witness[0]!.attachments[0]!.content) as Record<string, unknown>
  expect(file).toMatchObject({ kind: 'hecla-attest/witness/v1', keyFingerprint: record.key.fingerprint })
  expect(Object.keys(file).sort()).toEqual([
    'headHash',
    'installationId',
    'keyFingerprint',
    'kind',
    'publicKey',
    'sequence',
    'signature',
    'signedAt',
  ])
})

test('npm run verify checks what the outbox page shows: a witness mail whose head was edited is named', async () => {
  expect(verifyRecord({ file: copy.file, key: record.key, lookup: machineLookup })).toMatchObject({ ok: true })
  const forged = path.join(path.dirname(copy.file), 'forged.sqlite')
  const live = new SQLite(copy.file, { readonly: true })
  await live.backup(forged)
  live.close()
  const s = new SQLite(forged)
  for (const t of s.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[])
    s.exec(`DROP TRIGGER ${t.name}`)
  const mail = s.prepare("SELECT id, attachment FROM outbox_message WHERE kind = 'witness'").get() as { id: number; attachment: string }
  const attachment = JSON.parse(mail.attachment) as { content: string }
  const witness = JSON.parse(attachment.content) as { headHash: string }
  const edited = { ...attachment, content: JSON.stringify({ ...witness, headHash: 'e'.repeat(64) }) }
  s.prepare('UPDATE outbox_message SET attachment = ? WHERE id = ?').run(JSON.stringify(edited), mail.id)
  s.close()
  const report = verifyRecord({ file: forged, key: record.key, lookup: machineLookup })
  expect(report.ok).toBe(false)
  expect(report.problems).toEqual([expect.objectContaining({ table: 'outbox_message', row: String(mail.id) })])
  fs.rmSync(forged)
})
