import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openDatabase, type DB } from '../../db/client'
import { acknowledgeCase, decideCase, reportCase } from '../../db/commands'
import { instanceId } from '../../db/ids'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { openWorkflowRecord } from '../../db/workflow-record'
import { DEMO_PASSWORD } from '../../seeds/hecla'
import { startServer, type TestServer } from '../browser/global-setup'

// A director's signature of the Board's determination asks for the password
// again, as an officer's sign-off does: wrong passwords count toward the same
// lock as at sign-in, and once locked the right one signs nothing either (429,
// Retry-After). This file locks the Chairman out for 15 minutes, so it runs a
// server and a database of its own (as signing-lockout.http.test.ts does).

let server: TestServer
let sqlite: Database.Database
let db: DB
let cookie: string
const CASE = 'case-lockout-determination'

const count = (query: string) => (sqlite.prepare(query).get() as { n: number }).n
const versionOf = (id: string) =>
  (sqlite.prepare('SELECT version FROM workflow_snapshot WHERE instance_id = ?').get(id) as { version: number } | undefined)?.version ?? 0
const writes = () => ({
  events: count('SELECT count(*) AS n FROM workflow_event'),
  signatures: count('SELECT count(*) AS n FROM signature'),
})

function post(path: string, fields: Record<string, string>, withCookie = true) {
  return fetch(`${server.baseURL}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: server.baseURL, ...(withCookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields),
  })
}

beforeAll(async () => {
  server = await startServer()
  sqlite = new Database(server.databasePath, { readonly: true, fileMustExist: true })
  ;({ db } = openDatabase(server.databasePath))
  const record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(server.databasePath)))
  // A duty 3 matter about the CFO, acknowledged by the CEO and the Audit Committee, referred to the Board.
  await reportCase(record, {
    reportId: null,
    input: {
      caseId: CASE,
      duty: 3,
      subject: { kind: 'officer', role: 'cfo', userId: 'user-cfo' },
      reporter: { role: 'cao', userId: 'user-cao' },
      summary: 'A matter about the CFO, for the lockout test.',
    },
    actor: { userId: 'user-cao', role: 'cao' },
  })
  for (const [body, userId, role] of [
    ['ceo', 'user-ceo', 'ceo'],
    ['audit_committee', 'user-audit-chair', 'audit_committee_chair'],
  ] as const) {
    await acknowledgeCase(record, { caseId: CASE, body, expectedVersion: versionOf(instanceId.case(CASE)), actor: { userId, role } })
  }
  await decideCase(record, {
    caseId: CASE,
    event: { type: 'case.refer', violationOfCodes: true, note: 'For the Board.', at: new Date().toISOString() },
    expectedVersion: versionOf(instanceId.case(CASE)),
    actor: { userId: 'user-audit-chair', role: 'audit_committee_chair' },
  })
  const signIn = await post('/login', { email: 'chairman@hecla.example', password: DEMO_PASSWORD, redirectTo: '/' }, false)
  expect(signIn.status).toBe(302)
  cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
}, 120_000)
afterAll(async () => {
  sqlite?.close()
  await db?.destroy()
  await server?.stop()
})

const recordForm = (password: string) => ({
  intent: 'record',
  expectedVersion: '0',
  natureDescription: 'The lockout test’s violation.',
  severity: 'minor',
  occurrence: 'single',
  intentional: 'inadvertent',
  advisedBeforehand: 'no',
  violation: 'yes',
  decidedBy: 'board',
  actions: 'censure',
  rationale: 'The lockout test’s reasons.',
  password,
})

test('after five wrong passwords, the right one records and signs nothing, and the director is told until when', async () => {
  const before = writes()
  const page = `/cases/${CASE}/determination`
  for (let i = 1; i <= 4; i++) {
    const wrong = await post(page, recordForm(`guess-${i}`))
    expect(wrong.status).toBe(401)
    expect(await wrong.text()).toContain(`After ${5 - i} more wrong password${5 - i === 1 ? '' : 's'}, signing and signing in are refused`)
  }
  const fifth = await post(page, recordForm('guess-5'))
  expect(fifth.status).toBe(429)
  expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(14 * 60)
  expect(Number(fifth.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60)
  const right = await post(page, recordForm(DEMO_PASSWORD))
  expect(right.status).toBe(429)
  expect(await right.text()).toMatch(/Nothing was signed: too many wrong passwords have been entered for your account\./)
  expect(writes()).toEqual(before)
  expect(versionOf(instanceId.determination(CASE))).toBe(0)
})
