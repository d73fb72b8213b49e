import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { BackupRefusedError, backupDatabase, restoreDatabase, serverPidFile, type BackupResult } from '../../db/backup'
import { draftsDirectory } from '../../db/draft-files'
import { instanceId } from '../../db/ids'
import { machineLookup } from '../../db/machine-lookup'
import { headFilePath, loadVerificationKey } from '../../db/signing-key'
import { verifyRecord } from '../../db/verify'
import { copySeededDatabase, type SeededCopy } from '../utils/test-db'

// Issue 12, "Backups": `npm run backup` uses SQLite's online backup while the
// server writes, copies the signed head beside it (never the private key);
// `npm run restore` refuses a file whose record does not verify.

const run = promisify(execFile)
const TSX = path.resolve('node_modules/.bin/tsx')
const WRITER_INSTANCE = instanceId.duty('report-2012-fy', 'user-cfo', 8)
const dirs: string[] = []
let live: SeededCopy
let writer: ChildProcess
let committed = 0
let first: BackupResult
let second: BackupResult
let committedBeforeFirst = 0
let committedBeforeSecond = 0
let draftName = ''

const tempDir = (label: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `attest-${label}-`))
  dirs.push(dir)
  return dir
}
/** What the file holds, row by row: its bytes change when SQLite folds the WAL in, its content must not. */
function contentDigest(file: string): string {
  const db = new SQLite(file, { readonly: true })
  const out: string[] = []
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]) {
    const hash = createHash('sha256')
    for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()) hash.update(JSON.stringify(row))
    out.push(`${name}:${hash.digest('hex').slice(0, 12)}`)
  }
  db.close()
  return out.join('\n')
}
async function untilCommitted(n: number) {
  const deadline = Date.now() + 30_000
  while (committed < n) {
    if (Date.now() > deadline) throw new Error(`the writer committed ${committed} events, not ${n}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
function versionIn(file: string): number {
  const db = new SQLite(file, { readonly: true })
  const row = db.prepare('SELECT MAX(instance_version) AS v FROM workflow_event WHERE instance_id = ?').get(WRITER_INSTANCE) as {
    v: number | null
  }
  db.close()
  return row.v ?? 0
}

beforeAll(async () => {
  live = copySeededDatabase('backup-live')
  // A draft beside the live file, as the draft store keeps it (its name is its SHA-256).
  const draft = Buffer.from('Form 10-K draft for the backup test')
  draftName = createHash('sha256').update(draft).digest('hex')
  fs.mkdirSync(draftsDirectory(live.file), { recursive: true })
  fs.writeFileSync(path.join(draftsDirectory(live.file), draftName), draft)
  // One process (node with tsx's loader, not the tsx CLI, which runs the script in a child a kill would miss).
  writer = spawn(process.execPath, ['--import', 'tsx', 'tests/support/write-load.ts', live.file, live.keyPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  writer.stdout!.setEncoding('utf8')
  writer.stdout!.on('data', (chunk: string) => {
    for (const m of chunk.matchAll(/event (\d+)/g)) committed = Math.max(committed, Number(m[1]))
  })
  // Both backups are taken while the writer keeps committing events.
  await untilCommitted(5)
  committedBeforeFirst = committed
  first = await backupDatabase({ live: live.file, keyPath: live.keyPath, target: path.join(tempDir('backup-a'), 'app.sqlite') })
  await untilCommitted(committed + 10)
  committedBeforeSecond = committed
  second = await backupDatabase({ live: live.file, keyPath: live.keyPath, target: path.join(tempDir('backup-b'), 'app.sqlite') })
  await untilCommitted(committed + 5)
  writer.kill('SIGKILL')
  await new Promise((r) => writer.once('exit', r))
}, 60_000)

afterAll(async () => {
  if (writer && writer.exitCode === null) writer.kill('SIGKILL')
  await live?.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
})

test('backups taken under write load hold every event committed before they began, and verify on their own', () => {
  expect(second.events).toBeGreaterThan(first.events)
  for (const [backup, before] of [
    [first, committedBeforeFirst],
    [second, committedBeforeSecond],
  ] as const) {
    const copy = new SQLite(backup.file, { readonly: true })
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
    copy.close()
    expect(versionIn(backup.file)).toBeGreaterThanOrEqual(before)
    // Checked with the key and the head that travel beside it, as an outside auditor would.
    const key = loadVerificationKey(path.join(path.dirname(backup.file), 'signing-key.pem'))
    const report = verifyRecord({ file: backup.file, key, lookup: machineLookup })
    expect(report.problems).toEqual([])
    expect(report.ok).toBe(true)
    expect(backup.signedHead).not.toBeNull()
    expect(backup.signedHead!).toBeLessThanOrEqual(backup.events)
    // The drafts the record names travel with it.
    expect(backup.files).toBe(1)
    expect(fs.readFileSync(path.join(draftsDirectory(backup.file), draftName), 'utf8')).toBe('Form 10-K draft for the backup test')
  }
})

test('the private key never travels with a backup', () => {
  for (const backup of [first, second]) {
    const dir = path.dirname(backup.file)
    expect(fs.existsSync(path.join(dir, 'signing-key.pem'))).toBe(false)
    const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile())
    for (const f of files) expect(fs.readFileSync(path.join(f.parentPath, f.name), 'utf8')).not.toContain('PRIVATE KEY')
    expect(fs.readFileSync(path.join(dir, 'signing-key.pub.pem'), 'utf8')).toContain('PUBLIC KEY')
  }
})

test('a backup never overwrites a file', async () => {
  await expect(backupDatabase({ live: live.file, keyPath: live.keyPath, target: first.file })).rejects.toMatchObject({
    reason: 'target_exists',
  })
})

test('a restore that would give up signed events is refused and changes nothing; accepted, it keeps what it replaced', () => {
  const before = contentDigest(live.file)
  const install = first.installationId
  const headFile = headFilePath(live.keyPath, install)
  const headBefore = fs.readFileSync(headFile, 'utf8')
  let refused: unknown
  try {
    restoreDatabase({ backup: second.file, target: live.file, keyPath: live.keyPath, lookup: machineLookup })
  } catch (error) {
    refused = error
  }
  expect(refused).toBeInstanceOf(BackupRefusedError)
  expect((refused as BackupRefusedError).reason).toBe('would_lose_events')
  expect((refused as Error).message).toContain(`ends at event ${second.events}`)
  expect(contentDigest(live.file)).toBe(before)
  expect(fs.readFileSync(headFile, 'utf8')).toBe(headBefore)

  const done = restoreDatabase({ backup: second.file, target: live.file, keyPath: live.keyPath, lookup: machineLookup, acceptLoss: true })
  expect(done.lostEvents).toBeGreaterThan(0)
  expect(done.replacedKeptAt).not.toBeNull()
  expect(fs.existsSync(done.replacedKeptAt!)).toBe(true)
  expect(fs.readdirSync(path.dirname(headFile)).some((f) => f.includes('.superseded-'))).toBe(true)
  // The restored file verifies as the live file, with the installation's own key and head.
  const report = verifyRecord({ file: live.file, key: loadVerificationKey(live.keyPath), lookup: machineLookup })
  expect(report.problems).toEqual([])
  expect(report.events).toBe(second.events)
  const restored = new SQLite(live.file, { readonly: true })
  expect(restored.pragma('integrity_check', { simple: true })).toBe('ok')
  restored.close()
})

test('a backup whose record was edited is refused, naming the place, and the live file is untouched', () => {
  const dir = tempDir('backup-tampered')
  const tampered = path.join(dir, 'app.sqlite')
  fs.copyFileSync(first.file, tampered)
  fs.copyFileSync(path.join(path.dirname(first.file), 'signing-key.pub.pem'), path.join(dir, 'signing-key.pub.pem'))
  const db = new SQLite(tampered)
  for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[])
    db.exec(`DROP TRIGGER "${t.name}"`)
  db.prepare("UPDATE workflow_event SET recorded_at = '2013-02-14T16:00:00.000Z' WHERE sequence = 3").run()
  db.close()
  const before = contentDigest(live.file)
  expect(() =>
    restoreDatabase({ backup: tampered, target: live.file, keyPath: live.keyPath, lookup: machineLookup, acceptLoss: true }),
  ).toThrow(/does not verify .*workflow_event 3/)
  expect(contentDigest(live.file)).toBe(before)
})

test('a restore is refused while the server runs on the file', () => {
  const pidFile = serverPidFile(live.file)
  fs.writeFileSync(pidFile, String(process.pid))
  try {
    expect(() => restoreDatabase({ backup: second.file, target: live.file, keyPath: live.keyPath, lookup: machineLookup })).toThrow(
      expect.objectContaining({ reason: 'server_running' }),
    )
  } finally {
    fs.rmSync(pidFile)
  }
})

test('npm run backup and npm run restore: exit codes and words', async () => {
  const target = path.join(tempDir('backup-cli'), 'copy.sqlite')
  const env = { ...process.env, DATABASE_PATH: live.file, SIGNING_KEY_PATH: '' }
  const backedUp = await run(TSX, ['db/cli/backup.ts', target], { env })
  expect(backedUp.stdout).toMatch(/Backed up .* events, .* not the private key/)

  const dbEdit = new SQLite(target)
  for (const t of dbEdit.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[])
    dbEdit.exec(`DROP TRIGGER "${t.name}"`)
  dbEdit.prepare("UPDATE sign_off SET printed_name = 'Someone Else' WHERE rowid = 1").run()
  dbEdit.close()
  const refused = await run(TSX, ['db/cli/restore.ts', target], { env }).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  )
  expect(refused?.code).toBe(1)
  expect(refused?.stderr).toMatch(/Not restored: .* does not verify .*sign_off/)
}, 60_000)
