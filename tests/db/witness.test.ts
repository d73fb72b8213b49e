// The witness of the record (issue 11): `npm run verify -- --witness <file> [database]`
// passes on the real record as it grows, and fails on a copy whose chain someone
// holding the file rewrote and re-signed with a NEW key — a copy that the plain
// `npm run verify` passes, since its key, its checkpoints and its head file all agree.
import { execFile } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { sendDutyEvent } from '../../db/commands'
import { machineLookup } from '../../db/machine-lookup'
import { witnessOfHead } from '../../db/outbox/witness'
import type { WorkflowEvent } from '../../db/schema'
import { headFilePath, loadOrCreateSigningKey, loadVerificationKey, publicKeyPath, signCheckpoint } from '../../db/signing-key'
import { verifyRecord } from '../../db/verify'
import { openWorkflowRecord } from '../../db/workflow-record'
import { storedEventHash } from '../utils/record'
import { copySeededDatabase, type SeededCopy } from '../utils/test-db'

const run = promisify(execFile)
let copy: SeededCopy
let witnessFile: string
let witnessed: number
const dirs: string[] = []

beforeAll(async () => {
  copy = copySeededDatabase('witness')
  const key = loadOrCreateSigningKey(copy.keyPath)
  const head = await copy.db.selectFrom('workflow_event').select('sequence').orderBy('sequence', 'desc').limit(1).executeTakeFirstOrThrow()
  witnessed = head.sequence
  witnessFile = path.join(path.dirname(copy.file), 'witness.json')
  fs.writeFileSync(witnessFile, JSON.stringify(await witnessOfHead(copy.db, key, witnessed)))
  // The record goes on after the witness: it must still extend it.
  const record = openWorkflowRecord(copy.db, machineLookup, key)
  const cfo = { userId: 'user-cfo', role: 'cfo' as const }
  await sendDutyEvent(record, {
    reportId: 'report-2012-fy',
    officer: cfo,
    dutyNumber: 8,
    expectedVersion: 0,
    event: { type: 'duty.start' },
    actor: cfo,
    at: new Date('2013-02-20T16:00:00Z'),
  })
  await copy.db.destroy()
})
afterAll(() => {
  fs.rmSync(path.dirname(copy.file), { recursive: true, force: true })
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

const verifyWitness = (database: string) =>
  run(process.execPath, ['--import', 'tsx', 'db/cli/verify.ts', '--witness', witnessFile, database], {
    env: { ...process.env, DATABASE_PATH: database, SIGNING_KEY_PATH: path.join(path.dirname(database), 'signing-key.pem') },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  )

/**
 * A copy rewritten by someone holding the file: one event's time moved (a
 * backdating), every hash from there recomputed, and — without the real key —
 * a NEW key made, every checkpoint and the head file signed with it, and the
 * key files beside the copy replaced. Nothing inside the copy disagrees.
 */
async function forge(fromSequence: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(path.dirname(path.dirname(copy.file)), 'attest-witness-forged-'))
  dirs.push(dir)
  const file = path.join(dir, 'app.sqlite')
  const src = new SQLite(copy.file, { readonly: true })
  await src.backup(file)
  src.close()
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const keyPath = path.join(dir, 'signing-key.pem')
  fs.writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }))
  fs.writeFileSync(publicKeyPath(keyPath), publicKey.export({ type: 'spki', format: 'pem' }))
  const newKey = loadOrCreateSigningKey(keyPath)
  const s = new SQLite(file)
  for (const t of s.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[])
    s.exec(`DROP TRIGGER ${t.name}`)
  const install = (s.prepare('SELECT installation_id FROM record_meta').get() as { installation_id: string }).installation_id
  const events = s.prepare('SELECT * FROM workflow_event ORDER BY sequence').all() as WorkflowEvent[]
  let prev = events.find((e) => e.sequence === fromSequence - 1)?.hash
  s.transaction(() => {
    for (const e of events) {
      if (e.sequence >= fromSequence) {
        const row = { ...e, prev_hash: prev!, recorded_at: e.sequence === fromSequence ? '2013-01-02T03:04:05.000Z' : e.recorded_at }
        row.hash = storedEventHash(s, row)
        s.prepare('UPDATE workflow_event SET prev_hash = ?, hash = ?, recorded_at = ? WHERE sequence = ?').run(
          row.prev_hash,
          row.hash,
          row.recorded_at,
          e.sequence,
        )
        prev = row.hash
        e.hash = row.hash
      }
      // Every checkpoint signed again with the new key: the old one is not the forger's to use.
      s.prepare('UPDATE chain_checkpoint SET head_hash = ?, key_fingerprint = ?, signature = ? WHERE sequence = ?').run(
        e.hash,
        newKey.fingerprint,
        signCheckpoint(newKey, { installationId: install, sequence: e.sequence, headHash: e.hash }),
        e.sequence,
      )
    }
  })()
  s.close()
  const last = events.at(-1)!
  const head = { installationId: install, sequence: last.sequence, headHash: last.hash }
  const headFile = headFilePath(keyPath, install)
  fs.mkdirSync(path.dirname(headFile), { recursive: true })
  fs.writeFileSync(headFile, JSON.stringify({ ...head, signature: signCheckpoint(newKey, head) }))
  return file
}

test('the real record, grown since, still extends the witnessed head', async () => {
  const result = await verifyWitness(copy.file)
  expect(result.out).toContain('OK:')
  expect(result.code).toBe(0)
})

test('a copy rewritten after the witnessed head and re-signed with a new key passes npm run verify, and fails the witness', async () => {
  const forged = await forge(witnessed + 1)
  // The forger's copy is consistent with itself and with the key left beside it.
  expect(
    verifyRecord({ file: forged, key: loadVerificationKey(path.join(path.dirname(forged), 'signing-key.pem')), lookup: machineLookup }),
  ).toMatchObject({ ok: true })
  const result = await verifyWitness(forged)
  expect(result.code).toBe(1)
  expect(result.out).toContain('BROKEN:')
  expect(result.out).toContain('signed by another key than the witnessed one')
})

test('a copy rewritten before the witnessed head is caught at the head itself', async () => {
  const forged = await forge(witnessed - 3)
  expect(
    verifyRecord({ file: forged, key: loadVerificationKey(path.join(path.dirname(forged), 'signing-key.pem')), lookup: machineLookup }),
  ).toMatchObject({ ok: true })
  const result = await verifyWitness(forged)
  expect(result.code).toBe(1)
  expect(result.out).toContain(`event ${witnessed} has hash`)
})

test('a witness file that was edited is refused', async () => {
  const w = JSON.parse(fs.readFileSync(witnessFile, 'utf8')) as { headHash: string }
  const edited = path.join(path.dirname(witnessFile), 'edited.json')
  fs.writeFileSync(edited, JSON.stringify({ ...w, headHash: 'f'.repeat(64) }))
  const result = await run(process.execPath, ['--import', 'tsx', 'db/cli/verify.ts', '--witness', edited, copy.file]).catch(
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  )
  expect(result).toMatchObject({ code: 1 })
  expect((result as { stderr: string }).stderr).toContain('signature does not verify')
})
