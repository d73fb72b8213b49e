import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  addCaseInformation,
  logCaseOpening,
  recordWaiver,
  recordWaiverDisclosure,
  reportAnonymously,
  writeCaseMessage,
} from '../../db/commands'
import { KEPT_ROW_KEY, keepUnkeptRows } from '../../db/kept-rows'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey, type SigningKey } from '../../db/signing-key'
import { verifyRecord } from '../../db/verify'
import { openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import { KEPT_TABLES, type KeptTable } from '../../machines/kept-rows'
import { newWaiverSchema, waiverDisclosureSchema } from '../../machines/waiver-register'
import { tamperWith } from '../utils/tamper'
import { copySeededDatabase, type SeededCopy } from '../utils/test-db'

// The rows beside the workflows that pages show as fact — a case's thread, files,
// additions and access log, the anonymous receipts, the waiver register — are each
// bound to the hash chain in their own transaction (db/kept-rows.ts, ADR 025), and
// `npm run verify` names any that was edited, deleted or added outside the app.

let copy: SeededCopy
let record: WorkflowRecord
let key: SigningKey
const CASE = 'case-kept-anonymous'
const AT = new Date('2013-02-19T18:00:00Z')

beforeAll(async () => {
  copy = copySeededDatabase('kept-rows')
  key = loadOrCreateSigningKey(copy.keyPath)
  record = openWorkflowRecord(copy.db, machineLookup, key)
  // One row of every kept table, each through the command that writes it.
  await reportAnonymously(record, {
    reportId: 'report-2012-fy',
    input: { caseId: CASE, duty: 2, matterKind: 'control_deficiency', subject: { kind: 'none' }, summary: 'Invoices approved twice.' },
    receipt: { keySha256: 'b'.repeat(64), passphraseHash: 'scrypt$1024$8$1$c2FsdA==$a2V5' },
    files: [{ sha256: 'c'.repeat(64), sizeBytes: 12, fileName: 'invoices.csv' }],
    at: AT,
  })
  const question = await writeCaseMessage(record, {
    caseId: CASE,
    kind: 'question',
    authorUserId: 'user-audit-chair',
    capacity: 'audit_committee',
    body: 'Which invoices?',
    attachments: [{ sha256: 'd'.repeat(64), sizeBytes: 3, fileName: 'list.txt' }],
    at: AT,
  })
  await writeCaseMessage(record, {
    caseId: CASE,
    kind: 'answer',
    replyTo: question.id,
    authorUserId: 'anonymous-channel',
    capacity: 'reporter',
    body: 'Those of March.',
    at: AT,
  })
  await addCaseInformation(record, { caseId: CASE, authorUserId: null, body: 'And April’s too.', at: AT })
  await logCaseOpening(record, { caseId: CASE, userId: 'user-audit-chair', capacity: 'recipient', at: AT })
  const waiver = newWaiverSchema.parse({
    provision: 'code',
    officerUserId: 'user-ceo',
    reason: 'A kept waiver.',
    approver: 'board',
    approvedOn: '2012-12-03',
  })
  const { id } = await recordWaiver(record, {
    companyId: 'company-hecla',
    waiver,
    recordedBy: 'user-admin',
    at: new Date('2012-12-10T15:00:00Z'),
  })
  const disclosure = waiverDisclosureSchema.parse({
    waiverId: id,
    kind: 'website',
    websiteUrl: 'https://www.hecla.com/ethics',
    disclosedOn: '2012-12-05',
  })
  await recordWaiverDisclosure(record, {
    companyId: 'company-hecla',
    disclosure,
    recordedBy: 'user-admin',
    at: new Date('2012-12-10T15:00:00Z'),
  })
})
afterAll(() => copy.close())

const count = async (table: KeptTable) =>
  (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(copy.db)).rows[0]!.n
const boundBy = async (table: KeptTable) =>
  (await sql<{ n: number }>`SELECT count(*) AS n FROM workflow_event WHERE instance_id = ${`kept-rows/${table}`}`.execute(copy.db)).rows[0]!
    .n

test('every row of every kept table is bound by one event, and the record verifies', async () => {
  for (const table of KEPT_TABLES) {
    const n = await count(table)
    expect(n, table).toBeGreaterThan(0)
    expect(await boundBy(table), table).toBe(n)
  }
  const report = verifyRecord({ file: copy.file, key, lookup: machineLookup })
  expect(report.problems).toEqual([])
  expect(report.ok).toBe(true)
})

/** A copy of the copy, damaged as someone holding the file would do it (triggers dropped), then verified. */
async function verifyAfter(damage: (s: SQLite.Database) => void) {
  const dir = fs.mkdtempSync(path.join(path.dirname(copy.file), 'damaged-'))
  const file = path.join(dir, 'copy.sqlite')
  const source = new SQLite(copy.file, { readonly: true })
  await source.backup(file)
  source.close()
  tamperWith(file, damage)
  return verifyRecord({ file, key, lookup: machineLookup, olderCopy: true })
}

const firstKey = (s: SQLite.Database, table: KeptTable) =>
  String((s.prepare(`SELECT ${KEPT_ROW_KEY[table]} AS k FROM ${table} ORDER BY rowid DESC LIMIT 1`).get() as { k: string | number }).k)

const EDITS: Record<KeptTable, string> = {
  case_message: "body = 'Nothing to see.'",
  case_attachment: "file_name = 'other.csv'",
  case_addition: "body = 'Nothing more.'",
  case_access_log: "opened_at = '2013-01-01T00:00:00.000Z'",
  anonymous_receipt: `passphrase_hash = 'scrypt$1024$8$1$b3RoZXI=$a2V5'`,
  waiver: "reason = 'Another reason.'",
  waiver_disclosure: "disclosed_on = '2012-12-04'",
}

// A key each table's own checks accept (foreign keys are off, as a forger would have them).
const FORGED_KEY: Record<KeptTable, string | number> = {
  case_message: 'note-forged',
  case_attachment: 'file-forged',
  case_addition: 'addition-forged',
  case_access_log: 999_999,
  anonymous_receipt: 'case/case-forged',
  waiver: 'waiver-forged',
  waiver_disclosure: 'waiver-disclosure-forged',
}

// The forged row's other unique columns, changed so that the insert lands.
const UNIQUE_ELSEWHERE: Partial<Record<KeptTable, Record<string, string>>> = {
  anonymous_receipt: { key_sha256: 'e'.repeat(64) },
  waiver_disclosure: { waiver_id: 'waiver-forged' },
}

test.each(KEPT_TABLES)('%s: an edited row, a deleted one and one added outside the app are each named', async (table) => {
  let edited = ''
  const afterEdit = await verifyAfter((s) => {
    edited = firstKey(s, table)
    s.prepare(`UPDATE ${table} SET ${EDITS[table]} WHERE ${KEPT_ROW_KEY[table]} = ?`).run(edited)
  })
  expect(afterEdit.ok).toBe(false)
  expect(afterEdit.problems).toContainEqual(
    expect.objectContaining({ table, row: edited, message: expect.stringMatching(/it is not what event \d+ kept \(the row was edited\)/) }),
  )

  let deleted = ''
  const afterDelete = await verifyAfter((s) => {
    deleted = firstKey(s, table)
    s.prepare(`DELETE FROM ${table} WHERE ${KEPT_ROW_KEY[table]} = ?`).run(deleted)
  })
  expect(afterDelete.problems).toContainEqual(
    expect.objectContaining({ table, row: deleted, message: expect.stringMatching(/event \d+ kept it, but the file no longer holds it/) }),
  )

  let added = ''
  const afterInsert = await verifyAfter((s) => {
    const row = s.prepare(`SELECT * FROM ${table} ORDER BY rowid DESC LIMIT 1`).get() as Record<string, unknown>
    const forged = { ...row, [KEPT_ROW_KEY[table]]: FORGED_KEY[table], ...UNIQUE_ELSEWHERE[table] }
    added = String(forged[KEPT_ROW_KEY[table]])
    const columns = Object.keys(forged)
    s.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(forged)
  })
  expect(afterInsert.problems).toContainEqual(
    expect.objectContaining({ table, row: added, message: expect.stringContaining('no event of the record kept it') }),
  )
})

test('rows a file holds from before they were kept are bound once when the server prepares the file, and not again', async () => {
  // What an earlier version wrote: the access log row alone, no event.
  await sql`INSERT INTO case_access_log (case_instance_id, user_id, capacity, opened_at)
            VALUES (${`case/${CASE}`}, 'user-audit-member', 'recipient', '2013-02-20T09:00:00.000Z')`.execute(copy.db)
  const before = verifyRecord({ file: copy.file, key, lookup: machineLookup })
  expect(before.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^case_access_log \d+: no event of the record kept it/)])
  expect(await keepUnkeptRows(record)).toBe(1)
  expect(await keepUnkeptRows(record)).toBe(0)
  expect(await boundBy('case_access_log')).toBe(await count('case_access_log'))
  expect(verifyRecord({ file: copy.file, key, lookup: machineLookup }).ok).toBe(true)
})
