import SQLite from 'better-sqlite3'
import { assign, setup } from 'xstate'
import { afterEach, beforeEach, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import type { WorkflowEvent, WorkflowInstance } from '../../db/schema'
import { signCheckpoint } from '../../db/signing-key'
import { verifyRecord } from '../../db/verify'
import { canonicalJson } from '../../db/canonical-json'
import {
  eventHash,
  genesisHash,
  replayInstanceFrom,
  UnknownMachineVersionError,
  type MachineLookup,
  type WorkflowRecord,
} from '../../db/workflow-record'
import { seedDemoCompany } from '../../seeds/load'
import { createTestDb, demoPasswordHash } from '../utils/test-db'
import { tempSigningKey, testRecord } from '../utils/record'

// Someone with the file in hand is not stopped by triggers: each case drops them
// first, then tampers as a person with a SQLite shell would.

const tallyMachine = setup({
  types: { context: {} as { total: number }, events: {} as { type: 'tally.add'; amount: number } },
  actions: { add: assign({ total: ({ context, event }) => context.total + event.amount }) },
}).createMachine({ id: 'tally', context: { total: 0 }, initial: 'open', states: { open: { on: { 'tally.add': { actions: 'add' } } } } })

const lookup: MachineLookup = {
  current: () => ({ machine: tallyMachine, version: 1 }),
  atVersion: (id, version) => {
    if (id === 'tally' && version === 1) return tallyMachine
    throw new UnknownMachineVersionError(id, version)
  },
}

let db: DB
let file: string
let close: () => Promise<void>
let record: WorkflowRecord

beforeEach(async () => {
  ;({ db, file, close } = await createTestDb('tamper'))
  await seedDemoCompany(db, { passwordHash: await demoPasswordHash() })
  record = testRecord(db, lookup)
  // Six events over two workflows, interleaved, as a real record is.
  for (let i = 1; i <= 6; i++) {
    const id = i % 2 ? 'tally-a' : 'tally-b'
    await record.append({
      instance: { id, machineId: 'tally', reportId: null, subject: { id }, input: null },
      expectedVersion: Math.floor((i - 1) / 2),
      event: { type: 'tally.add', amount: i * 100 },
      actor: { userId: 'user-cao', role: 'cao' },
      recordedAt: new Date(Date.UTC(2013, 1, 12, 10, i)),
    })
  }
  await db.destroy()
})
afterEach(() => close())

function tamper(statements: (sqlite: SQLite.Database) => void) {
  const sqlite = new SQLite(file)
  const triggers = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]
  for (const t of triggers) sqlite.exec(`DROP TRIGGER ${t.name}`)
  sqlite.pragma('foreign_keys = OFF')
  statements(sqlite)
  sqlite.close()
}

const verify = (options: { olderCopy?: boolean; key?: WorkflowRecord['key'] } = {}) =>
  verifyRecord({ file, key: options.key ?? record.key, lookup, olderCopy: options.olderCopy })

test('an untouched record verifies', () => {
  expect(verify()).toMatchObject({ ok: true, events: 6, firstBrokenSequence: null, problems: [] })
})

test('editing one field of an event is caught at that event', () => {
  tamper((s) => s.prepare(`UPDATE workflow_event SET event = '{"amount":1,"type":"tally.add"}' WHERE sequence = 3`).run())
  expect(verify()).toMatchObject({ ok: false, firstBrokenSequence: 3 })
})

test('changing who acted is caught', () => {
  tamper((s) => s.prepare(`UPDATE workflow_event SET actor_user_id = 'user-ceo', actor_role = 'ceo' WHERE sequence = 4`).run())
  expect(verify().firstBrokenSequence).toBe(4)
})

test('deleting an event is caught where the gap opens', () => {
  tamper((s) => {
    s.prepare('DELETE FROM chain_checkpoint WHERE sequence = 3').run()
    s.prepare('DELETE FROM workflow_event WHERE sequence = 3').run()
  })
  const report = verify()
  expect(report.ok).toBe(false)
  expect(report.firstBrokenSequence).toBe(3)
})

test('swapping two events is caught at the first of them', () => {
  tamper((s) => {
    const cols = 'instance_id, instance_version, event, event_type, actor_user_id, actor_role, recorded_at, prev_hash, hash'
    const two = s.prepare(`SELECT ${cols} FROM workflow_event WHERE sequence = 2`).get() as Record<string, unknown>
    const five = s.prepare(`SELECT ${cols} FROM workflow_event WHERE sequence = 5`).get() as Record<string, unknown>
    const set = s.prepare(
      `UPDATE workflow_event SET instance_id = @instance_id, instance_version = @instance_version, event = @event, event_type = @event_type,
       actor_user_id = @actor_user_id, actor_role = @actor_role, recorded_at = @recorded_at, prev_hash = @prev_hash, hash = @hash WHERE sequence = @sequence`,
    )
    // hash is UNIQUE: park the second one's first.
    s.prepare(`UPDATE workflow_event SET hash = printf('%064d', 5), instance_version = 999 WHERE sequence = 5`).run()
    set.run({ ...five, sequence: 2 })
    set.run({ ...two, sequence: 5 })
  })
  expect(verify()).toMatchObject({ ok: false, firstBrokenSequence: 2 })
})

/** Rewrites every cache row to the replay of its events, as a consistent copy of the file taken then would hold. */
function recache(s: SQLite.Database) {
  for (const i of s.prepare('SELECT * FROM workflow_instance').all() as WorkflowInstance[]) {
    const events = s.prepare('SELECT sequence, event FROM workflow_event WHERE instance_id = ? ORDER BY instance_version').all(i.id) as {
      sequence: number
      event: string
    }[]
    const replayed = replayInstanceFrom(
      i.id,
      tallyMachine,
      JSON.parse(i.input),
      events.map((e) => ({ sequence: e.sequence, event: JSON.parse(e.event) })),
    )
    s.prepare('UPDATE workflow_snapshot SET version = ?, snapshot = ?, seal = NULL WHERE instance_id = ?').run(
      replayed.version,
      canonicalJson(replayed.persisted),
      i.id,
    )
  }
}

test('cutting events off the tail is caught by the head signed outside the file', () => {
  tamper((s) => {
    s.prepare('DELETE FROM chain_checkpoint WHERE sequence >= 5').run()
    // The derived states of the cut events go with them, as whoever cut them would (migration 016).
    s.prepare('DELETE FROM workflow_event_state WHERE sequence >= 5').run()
    s.prepare('DELETE FROM workflow_event WHERE sequence >= 5').run()
    recache(s)
  })
  const report = verify()
  expect(report.ok).toBe(false)
  expect(report.firstBrokenSequence).toBe(5)
  expect(report.problems[0]?.message).toMatch(/cut off the tail, or this is an older copy/)
  // An older backup is the same shape; asked to, verify accepts it and says why.
  expect(verify({ olderCopy: true })).toMatchObject({ ok: true })
})

test('rewriting the whole chain consistently inside the file is caught by the signatures', () => {
  tamper((s) => {
    const install = (s.prepare('SELECT installation_id FROM record_meta').get() as { installation_id: string }).installation_id
    const instances = new Map((s.prepare('SELECT * FROM workflow_instance').all() as WorkflowInstance[]).map((i) => [i.id, i]))
    const events = s.prepare('SELECT * FROM workflow_event ORDER BY sequence').all() as WorkflowEvent[]
    let prev = genesisHash(install)
    const forger = tempSigningKey()
    s.prepare(`UPDATE workflow_event SET hash = printf('%064d', sequence)`).run()
    for (const e of events) {
      const inst = instances.get(e.instance_id)!
      const event = e.sequence === 2 ? { type: 'tally.add', amount: 999_999 } : JSON.parse(e.event)
      const hash = eventHash({
        sequence: e.sequence,
        instance: {
          id: inst.id,
          machineId: inst.machine_id,
          machineVersion: inst.machine_version,
          reportId: inst.report_id,
          subject: JSON.parse(inst.subject),
          input: JSON.parse(inst.input),
        },
        instanceVersion: e.instance_version,
        event,
        actor: { userId: e.actor_user_id, role: e.actor_role },
        recordedAt: e.recorded_at,
        prevHash: prev,
      })
      s.prepare('UPDATE workflow_event SET event = ?, prev_hash = ?, hash = ? WHERE sequence = ?').run(
        JSON.stringify(event),
        prev,
        hash,
        e.sequence,
      )
      // The forger re-signs what changed with a key of their own: the installation's key is not in the file.
      if (e.sequence >= 2)
        s.prepare('UPDATE chain_checkpoint SET head_hash = ?, signature = ? WHERE sequence = ?').run(
          hash,
          signCheckpoint(forger, { installationId: install, sequence: e.sequence, headHash: hash }),
          e.sequence,
        )
      prev = hash
    }
  })
  const report = verify()
  expect(report.ok).toBe(false)
  expect(report.firstBrokenSequence).toBe(2)
  expect(report.problems.some((p) => /signed checkpoint does not verify/.test(p.message))).toBe(true)
})

test("editing a workflow's stored input is caught at its first event", () => {
  tamper((s) => s.prepare(`UPDATE workflow_instance SET input = '{"forged":true}' WHERE id = 'tally-b'`).run())
  expect(verify().firstBrokenSequence).toBe(2)
})

test('a broken link alone (its event re-hashed, its checkpoint re-signed with the real key) is caught, by the link check only', () => {
  tamper((s) => {
    const install = (s.prepare('SELECT installation_id FROM record_meta').get() as { installation_id: string }).installation_id
    const e = s.prepare('SELECT * FROM workflow_event WHERE sequence = 3').get() as WorkflowEvent
    const inst = s.prepare('SELECT * FROM workflow_instance WHERE id = ?').get(e.instance_id) as WorkflowInstance
    // Every field but the link is as written; the hash and the signature are right for what is stored.
    const prevHash = genesisHash(install)
    const hash = eventHash({
      sequence: e.sequence,
      instance: {
        id: inst.id,
        machineId: inst.machine_id,
        machineVersion: inst.machine_version,
        reportId: inst.report_id,
        subject: JSON.parse(inst.subject),
        input: JSON.parse(inst.input),
      },
      instanceVersion: e.instance_version,
      event: JSON.parse(e.event),
      actor: { userId: e.actor_user_id, role: e.actor_role },
      recordedAt: e.recorded_at,
      prevHash,
    })
    s.prepare('UPDATE workflow_event SET prev_hash = ?, hash = ? WHERE sequence = 3').run(prevHash, hash)
    s.prepare('UPDATE chain_checkpoint SET head_hash = ?, signature = ? WHERE sequence = 3').run(
      hash,
      signCheckpoint(record.key, { installationId: install, sequence: 3, headHash: hash }),
    )
  })
  const report = verify()
  // Event 3 no longer points at event 2, and event 4 still points at the hash event 3 had.
  expect(report.problems.map((p) => [p.table, p.sequence, p.message])).toEqual([
    ['workflow_event', 3, expect.stringMatching(/^workflow_event 3: does not link to the event before it/)],
    ['workflow_event', 4, expect.stringMatching(/^workflow_event 4: does not link to the event before it/)],
  ])
  expect(report.firstBrokenSequence).toBe(3)
})
