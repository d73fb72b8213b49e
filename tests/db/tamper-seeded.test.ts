import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { sendDutyEvent } from '../../db/commands'
import { instanceId } from '../../db/ids'
import { canonicalJson } from '../../db/canonical-json'
import { openDatabase } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import type { SignOff, WorkflowEvent } from '../../db/schema'
import { manifestationHash } from '../../db/sign-off'
import {
  headFilePath,
  loadOrCreateSigningKey,
  loadVerificationKey,
  publicKeyPath,
  signCheckpoint,
  type SigningKey,
} from '../../db/signing-key'
import { checkSignOffs, verifyRecord } from '../../db/verify'
import { genesisHash, loadInstance, openWorkflowRecord, trustedSnapshots } from '../../db/workflow-record'
import { storedEventHash } from '../utils/record'
import { copySeededDatabase } from '../utils/test-db'

// Each test tampers with a copy of the seeded demo database as someone holding the
// file would: append-only triggers dropped, foreign keys off, a SQLite shell. Some
// also hold the real signing key, to show which check alone still catches them.

const run = promisify(execFile)
const FY_2012 = 'report-2012-fy'
// Started in beforeAll, not signed: the duty a forged cache makes look signed.
const CFO_DUTY_8 = instanceId.duty(FY_2012, 'user-cfo', 8)
const CAO_DUTY_8 = instanceId.duty(FY_2012, 'user-cao', 8)
const CAO_DUTY_5 = instanceId.duty(FY_2012, 'user-cao', 5)

let seeded: string
let seededKey: string
const dirs: string[] = []

beforeAll(async () => {
  const base = copySeededDatabase('seeded-tamper')
  seeded = base.file
  dirs.push(path.dirname(seeded))
  seededKey = base.keyPath
  const { db } = base
  const record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(seededKey))
  const cfo = { userId: 'user-cfo', role: 'cfo' as const }
  await sendDutyEvent(record, {
    reportId: FY_2012,
    officer: cfo,
    dutyNumber: 8,
    expectedVersion: 0,
    event: { type: 'duty.start' },
    actor: cfo,
    at: new Date('2013-02-14T16:00:00Z'),
  })
  await db.destroy()
})
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

/** A consistent copy of the seeded file in a folder of its own, with the key files beside it that `keys` asks for. */
async function copy(keys: 'public' | 'both' | 'none' = 'public') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-copy-'))
  dirs.push(dir)
  const file = path.join(dir, 'copy.sqlite')
  const source = new SQLite(seeded, { readonly: true })
  await source.backup(file)
  source.close()
  if (keys !== 'none') {
    fs.copyFileSync(publicKeyPath(seededKey), path.join(dir, 'signing-key.pub.pem'))
    fs.cpSync(path.join(path.dirname(seededKey), 'chain-heads'), path.join(dir, 'chain-heads'), { recursive: true })
  }
  if (keys === 'both') fs.copyFileSync(seededKey, path.join(dir, 'signing-key.pem'))
  return { dir, file, keyPath: path.join(dir, 'signing-key.pem') }
}

function tamper(file: string, statements: (sqlite: SQLite.Database) => void) {
  const sqlite = new SQLite(file)
  for (const t of sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[])
    sqlite.exec(`DROP TRIGGER ${t.name}`)
  sqlite.pragma('foreign_keys = OFF')
  sqlite.transaction(() => statements(sqlite))()
  sqlite.close()
}

const verify = (file: string) =>
  verifyRecord({ file, key: loadVerificationKey(path.join(path.dirname(file), 'signing-key.pem')), lookup: machineLookup })

/** `npm run verify -- <file>` with nothing else to go on: no DATABASE_PATH near it, no SIGNING_KEY_PATH. */
async function cli(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: path.join(os.tmpdir(), 'attest-nowhere', 'app.sqlite') }
  delete env.SIGNING_KEY_PATH
  return run(process.execPath, ['--import', 'tsx', 'db/cli/verify.ts', ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  )
}

function signOffOf(s: SQLite.Database, workflow: string) {
  return s.prepare('SELECT * FROM sign_off WHERE workflow_instance_id = ? ORDER BY workflow_sequence DESC').get(workflow) as SignOff
}

function insertSignOff(s: SQLite.Database, row: SignOff) {
  const columns = Object.keys(row)
  s.prepare(`INSERT INTO sign_off (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row)
}

/**
 * Puts an event into the middle of a workflow's stored history and makes the
 * chain whole again with the real key: later sequences and versions moved up by
 * one, every hash from there recomputed, every checkpoint and the head outside
 * the file signed again, the cache a version on (a refused event changes no state).
 */
function insertIntoHistory(s: SQLite.Database, key: SigningKey, workflow: string, beforeVersion: number, event: object) {
  const install = (s.prepare('SELECT installation_id FROM record_meta').get() as { installation_id: string }).installation_id
  const all = s.prepare('SELECT * FROM workflow_event ORDER BY sequence').all() as WorkflowEvent[]
  const at = all.findIndex((e) => e.instance_id === workflow && e.instance_version === beforeVersion)
  const next = all[at]!
  const inserted: WorkflowEvent = {
    ...next,
    event: canonicalJson(event),
    event_type: (event as { type: string }).type,
  }
  const tail = [inserted, ...all.slice(at)].map((e, i) => ({
    ...e,
    sequence: next.sequence + i,
    instance_version: e.instance_id === workflow && i > 0 ? e.instance_version + 1 : e.instance_version,
  }))
  s.prepare('DELETE FROM workflow_event WHERE sequence >= ?').run(next.sequence)
  s.prepare('DELETE FROM chain_checkpoint WHERE sequence >= ?').run(next.sequence)
  // workflow_sequence is UNIQUE: move the sign-offs out of the way, then one up.
  s.prepare('UPDATE sign_off SET workflow_sequence = workflow_sequence + 1000000 WHERE workflow_sequence >= ?').run(next.sequence)
  s.prepare('UPDATE sign_off SET workflow_sequence = workflow_sequence - 999999 WHERE workflow_sequence >= 1000000').run()
  // The derived states move with their events (migration 016); the inserted one takes its successor's, which no replay can reach anyway.
  s.prepare('UPDATE workflow_event_state SET sequence = sequence + 1000000 WHERE sequence >= ?').run(next.sequence)
  s.prepare('UPDATE workflow_event_state SET sequence = sequence - 999999 WHERE sequence >= 1000000').run()
  s.prepare(
    'INSERT INTO workflow_event_state (sequence, state_value) SELECT ?, state_value FROM workflow_event_state WHERE sequence = ?',
  ).run(next.sequence, next.sequence + 1)
  let prev = at === 0 ? genesisHash(install) : all[at - 1]!.hash
  const insert = s.prepare(
    `INSERT INTO workflow_event (sequence, instance_id, instance_version, event, event_type, actor_user_id, actor_role, recorded_at, prev_hash, hash)
     VALUES (@sequence, @instance_id, @instance_version, @event, @event_type, @actor_user_id, @actor_role, @recorded_at, @prev_hash, @hash)`,
  )
  const checkpoint = s.prepare(
    'INSERT INTO chain_checkpoint (sequence, head_hash, key_fingerprint, signature, signed_at) VALUES (?, ?, ?, ?, ?)',
  )
  for (const e of tail) {
    const row = { ...e, prev_hash: prev }
    row.hash = storedEventHash(s, row)
    insert.run(row)
    checkpoint.run(
      row.sequence,
      row.hash,
      key.fingerprint,
      signCheckpoint(key, { installationId: install, sequence: row.sequence, headHash: row.hash }),
      row.recorded_at,
    )
    prev = row.hash
  }
  const last = tail.at(-1)!
  const head = { installationId: install, sequence: last.sequence, headHash: prev }
  fs.writeFileSync(headFilePath(key.keyPath, install), JSON.stringify({ ...head, signature: signCheckpoint(key, head) }))
  s.prepare('UPDATE workflow_snapshot SET version = version + 1 WHERE instance_id = ?').run(workflow)
  return next.sequence
}

test('an untouched copy, found by its path alone with only the public key beside it, verifies through `npm run verify`', async () => {
  const { file } = await copy('public')
  const result = await cli(file)
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  expect(result.stdout).toMatch(/^OK: .*copy\.sqlite — \d+ events in 57 workflows, 51 sign-offs/)
  expect(result.stdout).toContain(path.join(path.dirname(file), 'signing-key.pub.pem'))
}, 30_000)

test('with no key beside the copy verify says where it looked (exit 2); --key names one', async () => {
  const { file } = await copy('none')
  const missing = await cli(file)
  expect(missing.code).toBe(2)
  expect(missing.stderr).toContain(`Cannot verify ${file}: no key to check its signatures with`)
  expect(missing.stderr).toContain(path.join(path.dirname(file), 'signing-key.pub.pem'))
  expect(missing.stderr).toMatch(/--key <path>/)
  const named = await cli(file, '--key', publicKeyPath(seededKey))
  expect(named.code).toBe(0)
  expect(named.stdout).toMatch(/^OK: /)
}, 30_000)

test("a sign-off copied onto another officer's duty fails verification, naming the row, and the page check calls it not genuine", async () => {
  const { file, dir } = await copy('both')
  let forgedId = ''
  tamper(file, (s) => {
    const original = signOffOf(s, CAO_DUTY_8)
    const cfo = s.prepare("SELECT full_name, title FROM user WHERE id = 'user-cfo'").get() as { full_name: string; title: string }
    // A wholly consistent row: the manifestation names the CFO, the id is its hash, the columns agree.
    const manifestation = JSON.parse(original.manifestation)
    manifestation.officer = { userId: 'user-cfo', role: 'cfo', printedName: cfo.full_name, title: cfo.title }
    forgedId = manifestationHash(manifestation)
    const lastOfCfo = s.prepare('SELECT max(sequence) AS n FROM workflow_event WHERE instance_id = ?').get(CFO_DUTY_8) as { n: number }
    insertSignOff(s, {
      ...original,
      id: forgedId,
      officer_user_id: 'user-cfo',
      officer_role: 'cfo',
      printed_name: cfo.full_name,
      title: cfo.title,
      manifestation: canonicalJson(manifestation),
      workflow_instance_id: CFO_DUTY_8,
      workflow_sequence: lastOfCfo.n,
    })
  })
  const report = verify(file)
  expect(report.ok).toBe(false)
  expect(report.problems.length).toBeGreaterThan(0)
  // Every problem is this row's: nothing else in the file was touched.
  for (const p of report.problems) expect([p.table, p.row]).toEqual(['sign_off', forgedId])
  expect(report.problems.map((p) => p.message)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(new RegExp(`^sign_off ${forgedId}: event \\d+, which it names, is a duty\\.start, not a duty\\.sign`)),
    ]),
  )

  const { db } = openDatabase(file)
  try {
    const checks = await checkSignOffs(db, machineLookup, loadOrCreateSigningKey(path.join(dir, 'signing-key.pem')), [forgedId])
    expect(checks.get(forgedId)).toMatchObject({ genuine: false, current: false })
  } finally {
    await db.destroy()
  }
}, 30_000)

test.each([
  ['printed_name', 'Avery Ledger'],
  ['signed_at', '2013-02-11T09:00:00.000Z'],
  ['signed_at_local', 'February 11, 2013 at 1:00:00 AM PST'],
  ['meaning', 'attested_with_exception'],
  ['meaning_text', 'Attested with exception: none'],
  ['officer_user_id', 'user-cfo'],
])("editing a sign-off's %s fails verification, naming the row, and the page check calls it not genuine", async (column, value) => {
  const { file, dir } = await copy('both')
  let id = ''
  tamper(file, (s) => {
    id = signOffOf(s, CAO_DUTY_8).id
    s.prepare(`UPDATE sign_off SET ${column} = ? WHERE id = ?`).run(value, id)
  })
  const report = verify(file)
  expect(report.ok).toBe(false)
  expect(report.problems).toContainEqual(
    expect.objectContaining({
      table: 'sign_off',
      row: id,
      message: expect.stringContaining(`${column} ${JSON.stringify(value)} is not what`),
    }),
  )
  const { db } = openDatabase(file)
  try {
    const genuine = await checkSignOffs(db, machineLookup, loadOrCreateSigningKey(path.join(dir, 'signing-key.pem')), [id])
    expect(genuine.get(id)?.genuine).toBe(false)
  } finally {
    await db.destroy()
  }
})

test('a sign-off rewritten throughout (manifestation, columns, and its id recomputed) no longer matches its duty.sign event', async () => {
  const { file } = await copy('public')
  let oldId = ''
  let newId = ''
  let sequence = 0
  tamper(file, (s) => {
    const row = signOffOf(s, CAO_DUTY_8)
    ;[oldId, sequence] = [row.id, row.workflow_sequence]
    const manifestation = JSON.parse(row.manifestation)
    manifestation.signedAt = '2013-02-11T09:00:00.000Z'
    newId = manifestationHash(manifestation)
    s.prepare('UPDATE sign_off SET id = ?, signed_at = ?, manifestation = ? WHERE id = ?').run(
      newId,
      manifestation.signedAt,
      canonicalJson(manifestation),
      oldId,
    )
  })
  const report = verify(file)
  expect(report.problems.map((p) => [p.table, p.row, p.message])).toEqual([
    ['sign_off', newId, `sign_off ${newId}: event ${sequence}, which it names, carries signature ${oldId}, not this one`],
    ['workflow_event', String(sequence), `workflow_event ${sequence}: its duty.sign carries signature ${oldId}, which has no sign_off row`],
  ])
})

test('a cache edited so that a duty looks signed fails verify (exit 1, naming the workflow); the app rebuilds it from the events and logs it', async () => {
  const { file, dir, keyPath } = await copy('both')
  tamper(file, (s) => {
    const row = s.prepare('SELECT snapshot FROM workflow_snapshot WHERE instance_id = ?').get(CFO_DUTY_8) as { snapshot: string }
    const forged = JSON.parse(row.snapshot)
    forged.value = 'signed'
    forged.context.signature = { signatureId: 'f'.repeat(64), at: '2013-02-14T17:00:00.000Z', draftSha256: null, withException: false }
    s.prepare("UPDATE workflow_snapshot SET snapshot = ?, state = 'signed' WHERE instance_id = ?").run(canonicalJson(forged), CFO_DUTY_8)
  })
  const result = await cli(file)
  expect(result.code).toBe(1)
  expect(result.stderr).toMatch(/^BROKEN: .*copy\.sqlite — the hash chain holds; these rows do not:/)
  expect(result.stderr).toContain(`workflow_snapshot ${CFO_DUTY_8}: the cached state and snapshot differ from the replay of its events`)
  expect(result.stderr).toContain('the cache says signed at version 1; the events say inProgress at version 1')

  const { db } = openDatabase(file)
  try {
    // The list path (as the dashboard reads rows) and the single load both show what the events say.
    const key = loadOrCreateSigningKey(keyPath)
    const rows = await db.selectFrom('workflow_snapshot').select(['instance_id', 'version', 'state', 'snapshot', 'seal']).execute()
    const trusted = await trustedSnapshots(db, machineLookup, key, rows)
    expect(trusted.find((r) => r.instance_id === CFO_DUTY_8)?.state).toBe('inProgress')
    expect(trusted.find((r) => r.instance_id === CAO_DUTY_8)).toBe(rows.find((r) => r.instance_id === CAO_DUTY_8))
    const record = openWorkflowRecord(db, machineLookup, key)
    const loaded = await record.load(CFO_DUTY_8)
    expect(loaded?.snapshot.value).toBe('inProgress')
    expect((loaded?.snapshot.context as { signature: unknown }).signature).toBeNull()
    // Without the key a load replays, and shows the events' state too.
    expect((await loadInstance(db, machineLookup, CFO_DUTY_8))?.snapshot.value).toBe('inProgress')
    const alarms = await db.selectFrom('security_event').selectAll().where('kind', '=', 'record_cache_mismatch').execute()
    expect(alarms).toHaveLength(1)
    expect(JSON.parse(alarms[0]!.detail)).toMatchObject({ instanceId: CFO_DUTY_8, seal: 'invalid', cached: { state: 'signed' } })
  } finally {
    await db.destroy()
  }
  // Rebuilt from the events, the file verifies again.
  expect(verifyRecord({ file, key: loadVerificationKey(path.join(dir, 'signing-key.pub.pem')), lookup: machineLookup }).problems).toEqual(
    [],
  )
}, 30_000)

test('an event the machine refuses, put into a stored history with the chain re-hashed and re-signed with the real key, fails at that event and nowhere else', async () => {
  const { file, keyPath } = await copy('both')
  let sequence = 0
  tamper(file, (s) => {
    const signedAt = (
      s.prepare('SELECT workflow_sequence FROM sign_off WHERE workflow_instance_id = ?').get(CAO_DUTY_5) as { workflow_sequence: number }
    ).workflow_sequence
    const sign = s.prepare('SELECT instance_version FROM workflow_event WHERE sequence = ?').get(signedAt) as { instance_version: number }
    // Between duty.confirm and duty.sign: readyToSign has no duty.start.
    sequence = insertIntoHistory(s, loadOrCreateSigningKey(keyPath), CAO_DUTY_5, sign.instance_version, { type: 'duty.start' })
  })
  const report = verify(file)
  expect(report.warnings).toEqual([])
  expect(report.problems).toEqual([
    {
      table: 'workflow_event',
      row: String(sequence),
      sequence,
      message: `workflow_event ${sequence}: ${CAO_DUTY_5}: stored event ${sequence} ("duty.start") is refused by its machine in state "readyToSign"`,
    },
  ])
}, 30_000)

test('the page check: a current sign-off is genuine and current, one voided by a new draft genuine but not current, one on a duty.sign forged without the key not genuine', async () => {
  const { file, keyPath } = await copy('both')
  const voidedThenSigned = instanceId.duty('report-2008-q2', 'user-ceo', 6)
  let forgedId = ''
  tamper(file, (s) => {
    const install = (s.prepare('SELECT installation_id FROM record_meta').get() as { installation_id: string }).installation_id
    const last = s.prepare('SELECT * FROM workflow_event ORDER BY sequence DESC LIMIT 1').get() as WorkflowEvent
    const template = signOffOf(s, CAO_DUTY_8)
    const cfo = s.prepare("SELECT full_name, title FROM user WHERE id = 'user-cfo'").get() as { full_name: string; title: string }
    const manifestation = JSON.parse(template.manifestation)
    manifestation.officer = { userId: 'user-cfo', role: 'cfo', printedName: cfo.full_name, title: cfo.title }
    forgedId = manifestationHash(manifestation)
    const version = (
      s.prepare('SELECT max(instance_version) AS v FROM workflow_event WHERE instance_id = ?').get(CFO_DUTY_8) as { v: number }
    ).v
    // Right in every way the file alone can make it: linked, hashed, bound to its sign-off; signed with a key of the forger's own.
    const event: WorkflowEvent = {
      ...last,
      sequence: last.sequence + 1,
      instance_id: CFO_DUTY_8,
      instance_version: version + 1,
      event: canonicalJson({ type: 'duty.sign', at: manifestation.signedAt, signatureId: forgedId, draftSha256: null }),
      event_type: 'duty.sign',
      actor_user_id: 'user-cfo',
      actor_role: 'cfo',
      prev_hash: last.hash,
    }
    event.hash = storedEventHash(s, event)
    s.prepare(
      `INSERT INTO workflow_event (sequence, instance_id, instance_version, event, event_type, actor_user_id, actor_role, recorded_at, prev_hash, hash)
       VALUES (@sequence, @instance_id, @instance_version, @event, @event_type, @actor_user_id, @actor_role, @recorded_at, @prev_hash, @hash)`,
    ).run(event)
    const forger = loadOrCreateSigningKey(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'attest-forger-')), 'signing-key.pem'))
    dirs.push(path.dirname(forger.keyPath))
    s.prepare('INSERT INTO chain_checkpoint (sequence, head_hash, key_fingerprint, signature, signed_at) VALUES (?, ?, ?, ?, ?)').run(
      event.sequence,
      event.hash,
      forger.fingerprint,
      signCheckpoint(forger, { installationId: install, sequence: event.sequence, headHash: event.hash }),
      event.recorded_at,
    )
    insertSignOff(s, {
      ...template,
      id: forgedId,
      officer_user_id: 'user-cfo',
      officer_role: 'cfo',
      printed_name: cfo.full_name,
      title: cfo.title,
      manifestation: canonicalJson(manifestation),
      workflow_instance_id: CFO_DUTY_8,
      workflow_sequence: event.sequence,
    })
  })
  const { db } = openDatabase(file)
  try {
    const ceo6 = await db
      .selectFrom('sign_off')
      .select('id')
      .where('workflow_instance_id', '=', voidedThenSigned)
      .orderBy('workflow_sequence')
      .execute()
    expect(ceo6).toHaveLength(2)
    const cao8 = await db.selectFrom('sign_off').select('id').where('workflow_instance_id', '=', CAO_DUTY_8).executeTakeFirstOrThrow()
    const ids = [cao8.id, ceo6[0]!.id, ceo6[1]!.id, forgedId, 'e'.repeat(64)]
    const checks = await checkSignOffs(db, machineLookup, loadOrCreateSigningKey(keyPath), ids)
    expect(ids.map((id) => [checks.get(id)?.genuine, checks.get(id)?.current])).toEqual([
      [true, true],
      [true, false],
      [true, true],
      [false, false],
      [false, false],
    ])
    const forgedEvent = (
      await db
        .selectFrom('workflow_event')
        .select((eb) => eb.fn.max('sequence').as('n'))
        .executeTakeFirstOrThrow()
    ).n
    expect(checks.get(forgedId)?.problems).toEqual([`event ${forgedEvent}, which it names, is not signed by the installation's key`])
  } finally {
    await db.destroy()
  }
}, 30_000)

test('the page check: a sign-off whose duty.sign event was edited in place (stored hash and real checkpoint left as they were) is not genuine', async () => {
  const { file, keyPath } = await copy('both')
  let id = ''
  let sequence = 0
  tamper(file, (s) => {
    ;({ id, workflow_sequence: sequence } = signOffOf(s, CAO_DUTY_8))
    s.prepare("UPDATE workflow_event SET actor_user_id = 'user-ceo', actor_role = 'ceo' WHERE sequence = ?").run(sequence)
  })
  const { db } = openDatabase(file)
  try {
    const checks = await checkSignOffs(db, machineLookup, loadOrCreateSigningKey(keyPath), [id])
    expect(checks.get(id)).toEqual({
      genuine: false,
      current: false,
      problems: [`event ${sequence}, which it names, does not match its hash`],
    })
  } finally {
    await db.destroy()
  }
})

test('a derived state edited (the CAO/Controller’s duty 5 made to read "signed" one event early), deleted or added for an event that does not exist is named by its sequence; the chain itself still holds', async () => {
  const { file } = await copy()
  let confirmed = 0
  let signed = 0
  tamper(file, (s) => {
    const events = s
      .prepare('SELECT sequence, event_type FROM workflow_event WHERE instance_id = ? ORDER BY instance_version')
      .all(CAO_DUTY_5) as { sequence: number; event_type: string }[]
    confirmed = events.find((e) => e.event_type === 'duty.confirm')!.sequence
    signed = events.find((e) => e.event_type === 'duty.sign')!.sequence
    s.prepare(`UPDATE workflow_event_state SET state_value = '"signed"' WHERE sequence = ?`).run(confirmed)
    s.prepare('DELETE FROM workflow_event_state WHERE sequence = ?').run(signed)
    s.prepare(`INSERT INTO workflow_event_state (sequence, state_value) VALUES (999999, '"locked"')`).run()
  })
  const report = verify(file)
  expect(report.ok).toBe(false)
  // Not a break of the chain: the events are as signed, only what was derived from them lies.
  expect(report.firstBrokenSequence).toBeNull()
  expect(report.problems.map((p) => [p.table, p.row])).toEqual([
    ['workflow_event_state', '999999'],
    ['workflow_event_state', String(confirmed)],
    ['workflow_event_state', String(signed)],
  ])
  expect(report.problems[1]!.message).toBe(
    `workflow_event_state ${confirmed}: it says event ${confirmed} led to "signed"; the replay of ${CAO_DUTY_5} says "readyToSign"`,
  )
  expect(report.problems[2]!.message).toMatch(/is missing/)
})

test('a dated title rewritten (the CFO made Senior Vice President back to 2007) or a role made to overlap itself is named by its row; the chain itself still holds', async () => {
  const { file } = await copy()
  tamper(file, (s) => {
    s.prepare(
      `UPDATE title_assignment SET title = 'Senior Vice President and Chief Financial Officer' WHERE id = 'title-user-cfo-2007-01-01'`,
    ).run()
    s.prepare(
      `INSERT INTO membership (id, user_id, company_id, role, effective_from) VALUES ('membership-cfo-cfo-again', 'user-cfo', 'company-hecla', 'cfo', '2010-01-01')`,
    ).run()
  })
  const report = verify(file)
  expect(report.firstBrokenSequence).toBeNull()
  const rows = [...new Set(report.problems.map((p) => `${p.table} ${p.row}`))]
  expect(rows).toEqual(['membership membership-cfo-cfo-again', 'title_assignment title-user-cfo-2007-01-01'])
  expect(report.problems.find((p) => p.table === 'title_assignment')!.message).toMatch(
    /^title_assignment title-user-cfo-2007-01-01: it says user-cfo was "Senior Vice President and Chief Financial Officer" on 2008-07-2\d, but sign-off [0-9a-f]{64} states "Vice President and Chief Financial Officer"$/,
  )
})
