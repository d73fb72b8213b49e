import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { canonicalJson } from '../../db/canonical-json'
import type { DB } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import { prepareDatabase } from '../../seeds/prepare'
import { SEED_DAY } from '../utils/seed-day'
import { loadVerificationKey, signingKeyPath } from '../../db/signing-key'
import { verifyRecord } from '../../db/verify'
import { replayInstance } from '../../db/workflow-record'
import { copySeededDatabase, dumpAllTables } from '../utils/test-db'

const run = promisify(execFile)
let file: string
let db: DB
let close: () => Promise<void>

beforeAll(() => {
  ;({ file, db, close } = copySeededDatabase('history'))
})
afterAll(() => close())

async function snapshotOf(id: string) {
  const row = await db.selectFrom('workflow_snapshot').selectAll().where('instance_id', '=', id).executeTakeFirstOrThrow()
  return { state: row.state, context: (JSON.parse(row.snapshot) as { context: Record<string, unknown> }).context }
}

test('the seeded record verifies: every link of the chain and every signed checkpoint', () => {
  const report = verifyRecord({ file, key: loadVerificationKey(signingKeyPath(file)), lookup: machineLookup })
  expect(report.problems).toEqual([])
  expect(report.warnings).toEqual([])
  expect(report.ok).toBe(true)
  expect(report.events).toBeGreaterThan(300)
})

test('rebuilding every workflow from its events alone gives the cached snapshot', async () => {
  const cached = await db.selectFrom('workflow_snapshot').selectAll().execute()
  // The seed documents' reports' 52 workflows (with the Q2 2008 control matter), the 2009 earlier violation's case and
  // Board determination, the live report's lifecycle (in certification on SEED_DAY), and the workflow that binds the
  // cases' notes to the chain (db/kept-rows.ts).
  expect(cached.length).toBe(56)
  for (const row of cached) {
    const replayed = await replayInstance(db, machineLookup, row.instance_id)
    expect(canonicalJson(replayed.persisted), row.instance_id).toBe(row.snapshot)
    expect(replayed.version).toBe(row.version)
  }
})

test('the Q2 2008 10-Q is filed and locked, every officer signed every duty, and its material items were raised and resolved as duty-1 cases', async () => {
  const lifecycle = await snapshotOf('report/report-2008-q2')
  expect(lifecycle.state).toBe('locked')
  expect(lifecycle.context.filing).toEqual({
    filedAt: '2008-08-08T20:30:00.000Z',
    accessionNumber: '0000719413-08-000045',
    draftSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  })
  const duties = await db
    .selectFrom('workflow_snapshot')
    .select(['instance_id', 'state'])
    .where('instance_id', 'like', 'duty/report-2008-q2/%')
    .execute()
  expect(duties).toHaveLength(36)
  expect(new Set(duties.map((d) => d.state))).toEqual(new Set(['locked']))
  const cases = await db
    .selectFrom('workflow_snapshot')
    .select(['instance_id', 'state'])
    .where('instance_id', 'like', 'case/case-2008-q2-%')
    .execute()
  // Six duty 1 items, and the duty 2 matter of the close (case-2008-q2-fx-close-control).
  expect(cases).toHaveLength(7)
  expect(new Set(cases.map((c) => c.state))).toEqual(new Set(['resolved']))
  // Draft 2 reopened duties 6, 10 and 12: each officer signed those twice, once a draft.
  const signOffs = await db
    .selectFrom('sign_off')
    .select(['officer_role', 'duty_number', 'draft_sha256'])
    .where('report_id', '=', 'report-2008-q2')
    .execute()
  expect(signOffs).toHaveLength(36 + 9)
  const current = await db
    .selectFrom('periodic_report as r')
    .innerJoin('report_draft as d', 'd.id', 'r.current_draft_id')
    .select(['d.sha256', 'd.version'])
    .where('r.id', '=', 'report-2008-q2')
    .executeTakeFirstOrThrow()
  expect(current.version).toBe(2)
  for (const n of [6, 10, 12]) {
    expect(signOffs.filter((s) => s.duty_number === n && s.draft_sha256 === current.sha256)).toHaveLength(3)
  }
})

test('the FY2012 10-K is in certification, partly signed, with the Canamex investment raised as a duty-1 case', async () => {
  expect((await snapshotOf('report/report-2012-fy')).state).toBe('certification')
  const signed = await db
    .selectFrom('sign_off')
    .select(['officer_role', 'duty_number'])
    .where('report_id', '=', 'report-2012-fy')
    .orderBy('officer_role')
    .orderBy('duty_number')
    .execute()
  expect(signed.map((s) => `${s.officer_role}:${s.duty_number}`)).toEqual(['cao:5', 'cao:7', 'cao:8', 'cao:9', 'cfo:5', 'cfo:7'])
  const canamex = await snapshotOf('case/case-2012-canamex')
  expect(canamex.state).toBe('underReview')
  expect(canamex.context.routing).toEqual({ recipients: ['disclosure_committee'], excludedUserIds: [] })
  expect(String(canamex.context.summary)).toContain('14,000,000 common shares')
})

test('each sign-off is bound into the chain: its id is the hash its duty.sign event carries', async () => {
  const rows = await db
    .selectFrom('sign_off as s')
    .innerJoin('workflow_event as e', 'e.sequence', 's.workflow_sequence')
    .select(['s.id', 's.manifestation', 'e.event'])
    .execute()
  expect(rows.length).toBe(51)
  const { createHash } = await import('node:crypto')
  for (const row of rows) {
    expect((JSON.parse(row.event) as { signatureId: string }).signatureId).toBe(row.id)
    expect(createHash('sha256').update(row.manifestation).digest('hex')).toBe(row.id)
  }
})

test('preparing the file a second time changes nothing', async () => {
  const before = await dumpAllTables(db)
  await prepareDatabase(file, { today: SEED_DAY })
  expect(await dumpAllTables(db)).toEqual(before)
})

test('`npm run verify` checks a copy of the file with the key kept outside it, and names the first broken sequence after tampering', async () => {
  const copy = path.join(path.dirname(file), 'copy.sqlite')
  // A consistent copy, as a backup would take it.
  await sqliteBackup(file, copy)
  const env = { ...process.env, DATABASE_PATH: file }
  const ok = await run(process.execPath, ['--import', 'tsx', 'db/cli/verify.ts', copy], { env })
  expect(ok.stdout).toMatch(/^OK: .*copy\.sqlite — \d+ events in 56 workflows/)

  const tampered = new SQLite(copy)
  tampered.exec('DROP TRIGGER workflow_event_no_update')
  tampered.prepare(`UPDATE workflow_event SET actor_user_id = 'user-admin', actor_role = 'administrator' WHERE sequence = 120`).run()
  tampered.close()
  const broken = await run(process.execPath, ['--import', 'tsx', 'db/cli/verify.ts', copy], { env }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  )
  expect(broken.code).toBe(1)
  expect(broken.stderr).toContain('first broken sequence number: 120')
}, 30_000)

async function sqliteBackup(from: string, to: string) {
  const source = new SQLite(from, { readonly: true })
  fs.rmSync(to, { force: true })
  await source.backup(to)
  source.close()
}
