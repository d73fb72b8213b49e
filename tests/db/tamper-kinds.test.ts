import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { witnessOfHead } from '../../db/outbox/witness'
import type { SignOff, WorkflowEvent } from '../../db/schema'
import { headFilePath, loadOrCreateSigningKey, publicKeyPath, signCheckpoint, type SigningKey } from '../../db/signing-key'
import { storedEventHash } from '../utils/record'
import { tamperWith } from '../utils/tamper'
import { copySeededDatabase } from '../utils/test-db'

// Issue 12, "Tamper evidence": each kind of tampering, done to a copy of the seeded
// demo record as someone holding the file would do it (triggers dropped, foreign keys
// off), is caught by `npm run verify` itself — exit code 1 — which names the place.
// The kinds and the figure ("kinds detected of kinds tried") go to the README.

const run = promisify(execFile)
let seeded: { file: string; keyPath: string }
// The signed head as mailed to the Audit Committee chair (issue 11), at the seeded file's last event.
let witnessFile = ''
const dirs: string[] = []
const detected: string[] = []
const tried: string[] = []

beforeAll(async () => {
  const base = copySeededDatabase('tamper-kinds')
  const head = await base.db.selectFrom('workflow_event').select('sequence').orderBy('sequence', 'desc').limit(1).executeTakeFirstOrThrow()
  witnessFile = path.join(path.dirname(base.file), 'witness.json')
  fs.writeFileSync(witnessFile, JSON.stringify(await witnessOfHead(base.db, loadOrCreateSigningKey(base.keyPath), head.sequence)))
  await base.db.destroy()
  seeded = { file: base.file, keyPath: base.keyPath }
  dirs.push(path.dirname(base.file))
})
afterAll(() => {
  console.log(`Tamper evidence: ${detected.length} kinds detected of ${tried.length} tried (${tried.join('; ')})`)
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

/** A copy with the public key and the signed head beside it, never the private key. */
async function copy(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-kind-'))
  dirs.push(dir)
  const file = path.join(dir, 'copy.sqlite')
  const source = new SQLite(seeded.file, { readonly: true })
  await source.backup(file)
  source.close()
  const from = path.dirname(seeded.keyPath)
  fs.copyFileSync(path.join(from, 'signing-key.pub.pem'), path.join(dir, 'signing-key.pub.pem'))
  fs.cpSync(path.join(from, 'chain-heads'), path.join(dir, 'chain-heads'), { recursive: true })
  return file
}

async function verifyCli(file: string, ...options: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: path.join(os.tmpdir(), 'attest-nowhere', 'app.sqlite') }
  delete env.SIGNING_KEY_PATH
  return run(process.execPath, ['--import', 'tsx', 'db/cli/verify.ts', ...options, file], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
  )
}

const events = (s: SQLite.Database) => s.prepare('SELECT * FROM workflow_event ORDER BY sequence').all() as WorkflowEvent[]

const cfoSignOff = (s: SQLite.Database) =>
  s.prepare("SELECT * FROM sign_off WHERE officer_user_id = 'user-cfo' ORDER BY workflow_sequence LIMIT 1").get() as SignOff

interface Kind {
  kind: string
  /** Does the damage (the copy's folder at hand, for its key files); returns what the report must name. */
  damage: (s: SQLite.Database, dir: string) => RegExp
  /** Checked against the witnessed head (`--witness`), not only the file and the key beside it. */
  witness?: boolean
}

/**
 * From `from` on, every hash recomputed and every checkpoint signed again with `key`
 * (one event's time changed first): what a forger without the installation's key can do.
 */
function rewriteChain(s: SQLite.Database, from: number, key: SigningKey, resignAll = false) {
  const install = (s.prepare('SELECT installation_id FROM record_meta').get() as { installation_id: string }).installation_id
  const all = events(s)
  const at = all.findIndex((e) => e.sequence === from)
  s.prepare("UPDATE workflow_event SET recorded_at = '2013-01-02T03:04:05.000Z' WHERE sequence = ?").run(from)
  let prev = all[at]!.prev_hash
  const setHash = s.prepare('UPDATE workflow_event SET prev_hash = ?, hash = ? WHERE sequence = ?')
  const setCheckpoint = s.prepare('UPDATE chain_checkpoint SET head_hash = ?, key_fingerprint = ?, signature = ? WHERE sequence = ?')
  for (const e of events(s).slice(at)) {
    const hash = storedEventHash(s, { ...e, prev_hash: prev })
    setHash.run(prev, hash, e.sequence)
    prev = hash
  }
  // The checkpoints from there (or, to pass for the installation's own key, all of them) signed again.
  for (const e of events(s).slice(resignAll ? 0 : at)) {
    setCheckpoint.run(
      e.hash,
      key.fingerprint,
      signCheckpoint(key, { installationId: install, sequence: e.sequence, headHash: e.hash }),
      e.sequence,
    )
  }
  return { install, last: all.at(-1)!.sequence, headHash: prev }
}

function forgerKey(): SigningKey {
  const key = loadOrCreateSigningKey(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'attest-forger-')), 'forger.pem'))
  dirs.push(path.dirname(key.keyPath))
  return key
}

const KINDS: Kind[] = [
  {
    kind: 'edit a field of an event',
    damage: (s) => {
      s.prepare("UPDATE workflow_event SET recorded_at = '2013-01-01T00:00:00.000Z' WHERE sequence = 100").run()
      return /workflow_event 100: its content does not match its hash/
    },
  },
  {
    kind: 'delete a row',
    damage: (s) => {
      s.prepare('DELETE FROM workflow_event WHERE sequence = 120').run()
      return /workflow_event 120 is missing/
    },
  },
  {
    kind: 'swap two rows',
    damage: (s) => {
      const [a, b] = s.prepare('SELECT sequence, event FROM workflow_event WHERE sequence IN (140, 141) ORDER BY sequence').all() as {
        sequence: number
        event: string
      }[]
      const set = s.prepare('UPDATE workflow_event SET event = ? WHERE sequence = ?')
      set.run(b!.event, a!.sequence)
      set.run(a!.event, b!.sequence)
      return /workflow_event 140: its content does not match its hash/
    },
  },
  {
    kind: 'cut the tail',
    damage: (s) => {
      const last = (s.prepare('SELECT MAX(sequence) AS n FROM workflow_event').get() as { n: number }).n
      s.prepare('DELETE FROM workflow_event WHERE sequence > ?').run(last - 5)
      s.prepare('DELETE FROM chain_checkpoint WHERE sequence > ?').run(last - 5)
      return new RegExp(`the file ends at event ${last - 5}, but a head at event ${last} was signed`)
    },
  },
  {
    kind: 'copy a sign-off onto another record',
    damage: (s) => {
      const row = cfoSignOff(s)
      const other = s
        .prepare("SELECT id FROM workflow_instance WHERE officer_user_id = 'user-ceo' AND duty_number = ? AND report_id = ?")
        .get(row.duty_number, row.report_id) as { id: string }
      const copyId = 'f'.repeat(64)
      s.prepare('DELETE FROM sign_off WHERE id = ?').run(row.id)
      const moved = { ...row, id: copyId, workflow_instance_id: other.id, officer_user_id: 'user-ceo', officer_role: 'ceo' }
      const columns = Object.keys(moved)
      s.prepare(`INSERT INTO sign_off (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(moved)
      return /sign_off f{64}: officer_user_id "user-ceo" is not what its manifestation says/
    },
  },
  {
    kind: 'edit a sign-off’s manifestation',
    damage: (s) => {
      const row = cfoSignOff(s)
      s.prepare('UPDATE sign_off SET manifestation = replace(manifestation, ?, ?) WHERE id = ?').run(
        row.printed_name,
        'Someone Else',
        row.id,
      )
      return new RegExp(`sign_off ${row.id}: its id is not the sha-256 of its manifestation`)
    },
  },
  {
    kind: 'edit a note in a case’s thread',
    damage: (s) => {
      const { id } = s.prepare('SELECT id FROM case_message ORDER BY rowid LIMIT 1').get() as { id: string }
      s.prepare("UPDATE case_message SET body = 'Nothing happened.' WHERE id = ?").run(id)
      return new RegExp(`case_message ${id}: it is not what event \\d+ kept \\(the row was edited\\)`)
    },
  },
  {
    kind: 'edit the snapshot cache',
    damage: (s) => {
      const row = s
        .prepare("SELECT instance_id FROM workflow_snapshot WHERE state <> '\"signed\"' AND instance_id LIKE 'duty/%' LIMIT 1")
        .get() as { instance_id: string }
      s.prepare('UPDATE workflow_snapshot SET state = \'"signed"\' WHERE instance_id = ?').run(row.instance_id)
      return new RegExp(`workflow_snapshot ${row.instance_id}: the cached state differs from the replay`)
    },
  },
  {
    kind: 'rewrite the whole chain consistently without the key',
    // Every checkpoint signed again with a key of the forger's own; the installation's public key left beside the copy.
    damage: (s) => {
      rewriteChain(s, 60, forgerKey())
      return /workflow_event 60: the signed checkpoint does not verify/
    },
  },
  {
    kind: 'rewrite the chain with a new key after a witnessed head',
    // Everything inside the copy and beside it agrees (the forger's public key and signed head
    // put in place of the installation's), so only the head mailed outside the app tells.
    witness: true,
    damage: (s, dir) => {
      const key = forgerKey()
      const { install, last, headHash } = rewriteChain(s, 60, key, true)
      fs.copyFileSync(publicKeyPath(key.keyPath), path.join(dir, 'signing-key.pub.pem'))
      const head = { installationId: install, sequence: last, headHash }
      fs.writeFileSync(
        headFilePath(path.join(dir, 'signing-key.pem'), install),
        JSON.stringify({ ...head, signature: signCheckpoint(key, head) }),
      )
      return new RegExp(`does not extend the head witnessed[\\s\\S]*event ${last} has hash [0-9a-f]{64}, the witness says`)
    },
  },
]

test.each(KINDS)(
  '$kind: `npm run verify` fails and names the place',
  async ({ kind, damage, witness }) => {
    tried.push(kind)
    const file = await copy()
    let named: RegExp = /./
    tamperWith(file, (s) => {
      named = damage(s, path.dirname(file))
    })
    // The plain check is satisfied by the forger's consistent copy: this is the witness's case.
    if (witness) {
      const plain = await verifyCli(file)
      expect(plain.code, plain.output).toBe(0)
    }
    const { code, output } = await verifyCli(file, ...(witness ? ['--witness', witnessFile] : []))
    expect(code, output).toBe(1)
    expect(output).toMatch(named)
    detected.push(kind)
  },
  60_000,
)

test('the untouched copy verifies (exit 0), so each failure above is the tampering’s', async () => {
  const { code, output } = await verifyCli(await copy())
  expect(code, output).toBe(0)
  expect(detected).toEqual(KINDS.map((k) => k.kind))
}, 60_000)
