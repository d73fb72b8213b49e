import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { messageIdOf } from '../../db/outbox/sender'
import { prepareDatabase } from '../../seeds/prepare'
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-test-server'
import { reportsAtCommitteeReview } from './committee-reports'
import { committee, kill, officer, recipient, reporter, sleep, startServer, state, useFile } from './drive'

// Issue 12, "Crash safety": the built server on a fresh demo file, 50 clients at
// once answering and signing duties, withdrawing sign-offs, writing case notes,
// reporting matters, and taking the committees' steps and the approvals for filing
// of three reports at committee review, over HTTP, and the server killed with SIGKILL at random moments
// (KILLS times, 20 by default), restarted each time. Afterwards every write the
// server acknowledged (2xx/3xx) is in the file, nothing is half-written, the file's
// integrity check and `npm run verify` pass. Figures: kills, acknowledged writes, lost.

const run = promisify(execFile)
const KILLS = Number(process.env.SOAK_KILLS || 20)
// SOAK_SMTP=0 leaves the outbox out (no SMTP server, no mail counted).
const WITH_MAIL = process.env.SOAK_SMTP !== '0'
const CLIENTS = 50
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-crash-'))
const file = path.join(dir, 'app.sqlite')
const { acknowledged, counts } = state
let smtp: TestSmtpServer
let committeeReports: string[] = []

beforeAll(async () => {
  if (!fs.existsSync('build/server/index.js') || !fs.existsSync('build/server.js'))
    throw new Error('No production build: run `npm run build` first')
  await prepareDatabase(file, { today: new Date() })
  committeeReports = await reportsAtCommitteeReview(file)
  await useFile(file)
  // The mails the matters reported cause (routing, always at once) go out through a real SMTP server on loopback.
  if (WITH_MAIL) {
    smtp = await startTestSmtpServer()
    state.smtpUrl = smtp.url
  }
  await startServer()
})
afterAll(async () => {
  state.running = false
  await kill()
  await smtp?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** Waits until the outbox holds nothing due: every mail sent, dead, claimed by nobody, or scheduled for later (a digest). */
async function outboxDrained(timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const db = new SQLite(file, { readonly: true })
    const now = new Date().toISOString()
    const pending = (
      db
        .prepare("SELECT COUNT(*) AS n FROM outbox_message WHERE state = 'sending' OR (state = 'queued' AND next_attempt_at <= ?)")
        .get(now) as { n: number }
    ).n
    const sample = db
      .prepare(
        "SELECT id, state, attempts, next_attempt_at, lease_until, created_at, kind FROM outbox_message WHERE state IN ('queued', 'sending') ORDER BY id LIMIT 3",
      )
      .all()
    db.close()
    if (pending === 0) return
    if (Date.now() > deadline)
      throw new Error(`${pending} mails due still unsent after ${timeoutMs / 1000} s (at ${now}; the first: ${JSON.stringify(sample)})`)
    await sleep(500)
  }
}

test(`${CLIENTS} clients, the server killed ${KILLS} times: every acknowledged write survives, nothing half-written, the record verifies`, async () => {
  const officers = [
    ['ceo@hecla.example', 'user-ceo'],
    ['cfo@hecla.example', 'user-cfo'],
    ['controller@hecla.example', 'user-cao'],
  ] as const
  const recipients = [
    ['audit.chair@hecla.example', 'case-2008-q2-fx-close-control'],
    ['audit.member@hecla.example', 'case-2008-q2-fx-close-control'],
    ['disclosure@hecla.example', 'case-2012-canamex'],
    ['ceo@hecla.example', 'case-2012-canamex'],
  ] as const
  const reporters = ['internal.audit@hecla.example', 'auditor@hecla.example', 'chairman@hecla.example', 'admin@hecla.example']
  const clients: Promise<void>[] = []
  // Two clients per officer on their own duty 6 (more would mostly refuse each other
  // as stale), the rest writing case notes and reporting matters.
  // Those who take the steps of a report at committee review, in the order the report waits for them.
  const signers = ['disclosure@hecla.example', 'audit.chair@hecla.example', 'ceo@hecla.example', 'cfo@hecla.example']
  for (let i = 0; i < CLIENTS; i++) {
    const [email, userId] = officers[i % 3]!
    const [member, caseId] = recipients[i % 4]!
    if (i < 6) clients.push(officer(email, userId))
    else if (i < 10) clients.push(committee(signers[i - 6]!, committeeReports))
    else if (i % 4 !== 0) clients.push(recipient(member, caseId))
    else clients.push(reporter(reporters[i % 4]!))
  }
  for (let k = 0; k < KILLS; k++) {
    // Up long enough for the clients to write, down at a moment nobody chose.
    await sleep(1000 + Math.random() * 3000)
    await kill()
    await startServer()
  }
  await sleep(1500)
  state.running = false
  await Promise.all(clients)
  // The last start sends what the kills left queued or claimed.
  if (WITH_MAIL) await outboxDrained(120_000)
  await kill()

  const db = new SQLite(file, { readonly: true })
  const lost: string[] = []
  try {
    const has = (sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) !== undefined
    for (const t of acknowledged.answers)
      if (!has("SELECT 1 FROM workflow_event WHERE event_type = 'duty.answer' AND instr(event, ?) > 0", t)) lost.push(t)
    for (const t of acknowledged.notes) if (!has('SELECT 1 FROM case_message WHERE instr(body, ?) > 0', t)) lost.push(t)
    for (const t of acknowledged.reports)
      if (!has("SELECT 1 FROM workflow_instance WHERE machine_id = 'case' AND instr(input, ?) > 0", t)) lost.push(t)
    for (const [workflow, n] of acknowledged.signs) {
      const stored = (db.prepare('SELECT COUNT(*) AS n FROM sign_off WHERE workflow_instance_id = ?').get(workflow) as { n: number }).n
      if (stored < n) lost.push(`${n - stored} sign-offs of ${workflow}`)
    }
    for (const [workflow, n] of acknowledged.withdraws) {
      const stored = (
        db.prepare("SELECT COUNT(*) AS n FROM workflow_event WHERE instance_id = ? AND event_type = 'duty.reopen'").get(workflow) as {
          n: number
        }
      ).n
      if (stored < n) lost.push(`${n - stored} withdrawals of ${workflow}`)
    }
    const STEP_EVENTS = "('report.disclosureCommitteeApprove', 'report.auditCommitteeReview', 'report.approveForFiling')"
    for (const [reportId, n] of acknowledged.steps) {
      const stored = (
        db
          .prepare(`SELECT COUNT(*) AS n FROM workflow_event WHERE instance_id = ? AND event_type IN ${STEP_EVENTS}`)
          .get(`report/${reportId}`) as { n: number }
      ).n
      if (stored < n) lost.push(`${n - stored} committee steps of ${reportId}`)
    }
    const steps = [...acknowledged.steps.values()].reduce((a, b) => a + b, 0)
    // Nothing half-written: each sign-off has its duty.sign event, each workflow with events its cache at the last one.
    const orphanSignOffs = db
      .prepare(
        "SELECT COUNT(*) AS n FROM sign_off s LEFT JOIN workflow_event e ON e.sequence = s.workflow_sequence AND e.event_type = 'duty.sign' WHERE e.sequence IS NULL",
      )
      .get() as { n: number }
    const staleCaches = db
      .prepare(
        `SELECT COUNT(*) AS n FROM (SELECT instance_id, MAX(instance_version) AS v FROM workflow_event GROUP BY instance_id) e
         LEFT JOIN workflow_snapshot s ON s.instance_id = e.instance_id WHERE s.version IS NOT e.v`,
      )
      .get() as { n: number }
    const integrity = db.pragma('integrity_check', { simple: true })
    const writes =
      acknowledged.answers.length +
      acknowledged.notes.length +
      acknowledged.reports.length +
      [...acknowledged.signs.values(), ...acknowledged.withdraws.values()].reduce((a, b) => a + b, 0) +
      steps
    console.log(
      `Crash safety: ${KILLS} kills, ${writes} acknowledged writes (${acknowledged.answers.length} answers, ${[...acknowledged.signs.values()].reduce((a, b) => a + b, 0)} sign-offs, ` +
        `${[...acknowledged.withdraws.values()].reduce((a, b) => a + b, 0)} withdrawals, ${acknowledged.notes.length} case notes, ${acknowledged.reports.length} reported matters, ${steps} committee steps and approvals), ` +
        `${lost.length} lost; ${counts.requests} answers, ${counts.refused} refused, ${counts.unreachable} attempts while the server was down`,
    )
    if (WITH_MAIL) {
      // The outbox: every mail it marked sent reached the SMTP server, none it did not write, each Message-ID once.
      const sent = (
        db.prepare("SELECT idempotency_key FROM outbox_message WHERE state = 'sent'").all() as { idempotency_key: string }[]
      ).map((r) => messageIdOf(r.idempotency_key))
      const receivedIds = smtp.accepted
      const distinct = new Set(receivedIds)
      const missing = sent.filter((id) => !distinct.has(id))
      const unknown = [...distinct].filter((id) => !sent.includes(id))
      const dead = (db.prepare("SELECT COUNT(*) AS n FROM outbox_message WHERE state = 'dead'").get() as { n: number }).n
      const later = (db.prepare("SELECT COUNT(*) AS n FROM outbox_message WHERE state IN ('queued', 'held')").get() as { n: number }).n
      console.log(
        `Outbox under the kills: ${sent.length} mails sent, ${distinct.size} distinct Message-IDs received, ${receivedIds.length - distinct.size} repeated deliveries, ` +
          `${missing.length} missing, ${dead} dead letters, ${later} waiting for a later time (digests)`,
      )
      expect(missing).toEqual([])
      expect(unknown).toEqual([])
      expect(dead).toBe(0)
      expect(sent.length, 'mails were sent').toBeGreaterThan(0)
    }
    expect(lost).toEqual([])
    expect(orphanSignOffs.n).toBe(0)
    expect(staleCaches.n).toBe(0)
    expect(integrity).toBe('ok')
    expect(acknowledged.signs.size, 'sign-offs were made').toBeGreaterThan(0)
    expect(acknowledged.notes.length).toBeGreaterThan(50)
    expect(steps, 'committee steps were taken').toBeGreaterThan(0)
  } finally {
    db.close()
  }
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: file }
  const verified = await run(process.execPath, ['--import', 'tsx', 'db/cli/verify.ts', file], { env }).then(
    () => 0,
    (e: { code: number; stdout: string }) => (console.log(e.stdout), e.code),
  )
  expect(verified).toBe(0)
})
