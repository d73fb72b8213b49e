import { sql } from 'kysely'
import { assign, setup } from 'xstate'
import { afterEach, beforeEach, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import { canonicalJson } from '../../db/canonical-json'
import { verifyRecord } from '../../db/verify'
import { Kysely, SqliteDialect } from 'kysely'
import { openSqlite } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import type { Database } from '../../db/schema'
import {
  EventNotAllowedError,
  StoredEventRefusedError,
  UnknownMachineVersionError,
  WorkflowConflictError,
  eventHash,
  genesisHash,
  loadInstance,
  parseSnapshot,
  replayInstance,
  trustedSnapshots,
  type MachineLookup,
  type WorkflowRecord,
} from '../../db/workflow-record'
import { UnknownMachineError } from '../../machines/registry'
import { seedDemoCompany } from '../../seeds/load'
import { createTestDb, demoPasswordHash } from '../utils/test-db'
import { testRecord } from '../utils/record'

// A small machine of the test's own, so that the record is tested apart from the
// domain machines (tests/workflows/ runs those through this same record).
const counterMachine = setup({
  types: {
    context: {} as { count: number; limit: number },
    input: {} as { limit: number },
    events: {} as { type: 'count.add'; at: string } | { type: 'count.close' },
  },
  guards: { belowLimit: ({ context }) => context.count < context.limit },
  actions: { increment: assign({ count: ({ context }) => context.count + 1 }) },
}).createMachine({
  id: 'counter',
  context: ({ input }) => ({ count: 0, limit: input.limit }),
  initial: 'open',
  states: {
    open: {
      on: {
        'count.add': { guard: 'belowLimit', actions: 'increment' },
        'count.close': 'closed',
      },
    },
    closed: { type: 'final' },
  },
})

const lookup: MachineLookup = {
  current: () => ({ machine: counterMachine, version: 1 }),
  atVersion: (id, version) => {
    if (id === 'counter' && version === 1) return counterMachine
    throw new UnknownMachineVersionError(id, version)
  },
}

let db: DB
let close: () => Promise<void>
let record: WorkflowRecord
let file: string

beforeEach(async () => {
  ;({ db, close, file } = await createTestDb('record'))
  await seedDemoCompany(db, { passwordHash: await demoPasswordHash() })
  record = testRecord(db, lookup)
})
afterEach(() => close())

const instance = (id = 'counter-1') => ({
  id,
  machineId: 'counter',
  reportId: 'report-2012-fy',
  subject: { test: id },
  input: { limit: 5 },
})
const officer = { userId: 'user-cfo', role: 'cfo' }

async function countRows(table: 'workflow_event' | 'chain_checkpoint' | 'workflow_snapshot' | 'workflow_instance') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

test('appending events chains them, signs each head and caches the state', async () => {
  const first = await record.append({
    instance: instance(),
    expectedVersion: 0,
    event: { type: 'count.add', at: '2013-02-12T10:00:00Z' },
    actor: officer,
  })
  const second = await record.append({ instance: instance(), expectedVersion: 1, event: { type: 'count.close' }, actor: officer })
  expect([first.sequence, second.sequence]).toEqual([1, 2])
  expect(second.snapshot.status).toBe('done')
  expect(second.snapshot.context).toEqual({ count: 1, limit: 5 })
  const events = await db.selectFrom('workflow_event').selectAll().orderBy('sequence').execute()
  expect(events[1]?.prev_hash).toBe(events[0]?.hash)
  expect(events.map((e) => [e.event_type, e.actor_user_id, e.actor_role])).toEqual([
    ['count.add', 'user-cfo', 'cfo'],
    ['count.close', 'user-cfo', 'cfo'],
  ])
  expect(await countRows('chain_checkpoint')).toBe(2)
  const report = verifyRecord({ file, key: record.key, lookup })
  expect(report).toMatchObject({ ok: true, events: 2, instances: 1, firstBrokenSequence: null })
})

test('a stale version is a conflict and writes nothing', async () => {
  await record.append({ instance: instance(), expectedVersion: 0, event: { type: 'count.add', at: 'x' }, actor: officer })
  await expect(
    record.append({ instance: instance(), expectedVersion: 0, event: { type: 'count.add', at: 'y' }, actor: officer }),
  ).rejects.toBeInstanceOf(WorkflowConflictError)
  expect(await countRows('workflow_event')).toBe(1)
})

test('an event the workflow does not allow now is refused and writes nothing', async () => {
  await record.append({ instance: instance(), expectedVersion: 0, event: { type: 'count.close' }, actor: officer })
  const before = canonicalJson(await db.selectFrom('workflow_snapshot').selectAll().execute())
  await expect(
    record.append({ instance: instance(), expectedVersion: 1, event: { type: 'count.add', at: 'z' }, actor: officer }),
  ).rejects.toBeInstanceOf(EventNotAllowedError)
  expect(await countRows('workflow_event')).toBe(1)
  expect(await countRows('chain_checkpoint')).toBe(1)
  expect(canonicalJson(await db.selectFrom('workflow_snapshot').selectAll().execute())).toBe(before)
})

test('a refused event in a batch rolls the whole batch back', async () => {
  await expect(
    record.appendAll([
      { instance: instance('a'), expectedVersion: 0, event: { type: 'count.add', at: '1' }, actor: officer },
      { instance: instance('b'), expectedVersion: 0, event: { type: 'count.close' }, actor: officer },
      { instance: instance('b'), expectedVersion: 1, event: { type: 'count.close' }, actor: officer },
    ]),
  ).rejects.toBeInstanceOf(EventNotAllowedError)
  expect(await countRows('workflow_event')).toBe(0)
  expect(await countRows('workflow_instance')).toBe(0)
})

test('the events are append-only: updating or deleting one is refused by the database', async () => {
  await record.append({ instance: instance(), expectedVersion: 0, event: { type: 'count.add', at: 'x' }, actor: officer })
  await expect(sql`UPDATE workflow_event SET actor_role = 'ceo'`.execute(db)).rejects.toThrow(/append-only/)
  await expect(sql`DELETE FROM workflow_event`.execute(db)).rejects.toThrow(/append-only/)
  await expect(sql`DELETE FROM chain_checkpoint`.execute(db)).rejects.toThrow(/append-only/)
  await expect(sql`UPDATE workflow_instance SET input = '{}'`.execute(db)).rejects.toThrow(/append-only/)
})

test('replaying the events rebuilds the cached snapshot', async () => {
  await record.append({ instance: instance(), expectedVersion: 0, event: { type: 'count.add', at: 'x' }, actor: officer })
  await record.append({ instance: instance(), expectedVersion: 1, event: { type: 'count.close' }, actor: officer })
  const replayed = await replayInstance(db, lookup, 'counter-1')
  const cached = await db
    .selectFrom('workflow_snapshot')
    .select(['snapshot', 'version'])
    .where('instance_id', '=', 'counter-1')
    .executeTakeFirstOrThrow()
  expect(canonicalJson(replayed.persisted)).toBe(cached.snapshot)
  expect(replayed.version).toBe(cached.version)
})

test('the event hash is sha-256 over the canonical JSON of the chained fields (known answer)', () => {
  const fields = {
    // Keys in no particular order: the canonical form sorts them.
    sequence: 7,
    prevHash: 'a'.repeat(64),
    instance: {
      id: 'duty/report-2012-fy/user-cfo/7',
      machineId: 'duty-review',
      machineVersion: 1,
      reportId: 'report-2012-fy',
      subject: { officerUserId: 'user-cfo', dutyNumber: 7 },
      input: { dutyNumber: 7, officerRole: 'cfo', currentDraftSha256: null },
    },
    instanceVersion: 3,
    event: { type: 'duty.confirm' },
    actor: { userId: 'user-cfo', role: 'cfo' },
    recordedAt: '2013-02-13T16:02:00.000Z',
  }
  expect(canonicalJson(fields)).toBe(
    '{"actor":{"role":"cfo","userId":"user-cfo"},"event":{"type":"duty.confirm"},' +
      '"instance":{"id":"duty/report-2012-fy/user-cfo/7","input":{"currentDraftSha256":null,"dutyNumber":7,"officerRole":"cfo"},' +
      '"machineId":"duty-review","machineVersion":1,"reportId":"report-2012-fy","subject":{"dutyNumber":7,"officerUserId":"user-cfo"}},' +
      '"instanceVersion":3,"prevHash":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","recordedAt":"2013-02-13T16:02:00.000Z","sequence":7}',
  )
  // Computed once (and cross-checked with sha256sum over the string above), then pinned.
  expect(eventHash(fields)).toBe('76f5051f05b30def39aa4416bbb7887b23aa9aeb693017b255de956d167d0d30')
  expect(genesisHash('0123456789abcdef0123456789abcdef')).toBe('89d365d0d0bd0a79f69073ba45a1280e81094b388fe207c215d4695f8953221f')
})

test('a workflow stored under a machine version this code does not know fails loudly, through the real registry', async () => {
  // As a newer code base would have left it: duty-review version 99.
  const stored = { id: 'duty/report-2012-fy/user-cfo/7', subject: '{}', input: '{}', created_at: '2013-02-13T16:00:00.000Z' }
  await db
    .insertInto('workflow_instance')
    .values({ ...stored, machine_id: 'duty-review', machine_version: 99, report_id: 'report-2012-fy' })
    .execute()
  await expect(replayInstance(db, machineLookup, stored.id)).rejects.toBeInstanceOf(UnknownMachineError)
  await expect(loadInstance(db, machineLookup, stored.id, record.key)).rejects.toThrow(/No version 99 of workflow machine "duty-review"/)
  const report = verifyRecord({ file, key: record.key, lookup: machineLookup })
  expect(report.ok).toBe(false)
  expect(report.problems.map((p) => p.message).join('\n')).toMatch(
    /duty\/report-2012-fy\/user-cfo\/7.*No version 99 of workflow machine "duty-review"/,
  )
})

async function counterWithTwoEvents() {
  await record.append({ instance: instance(), expectedVersion: 0, event: { type: 'count.add', at: 'x' }, actor: officer })
  await record.append({ instance: instance(), expectedVersion: 1, event: { type: 'count.add', at: 'y' }, actor: officer })
}
const cacheRow = () => db.selectFrom('workflow_snapshot').selectAll().where('instance_id', '=', 'counter-1').executeTakeFirstOrThrow()
const alarms = () => db.selectFrom('security_event').selectAll().where('kind', '=', 'record_cache_mismatch').orderBy('id').execute()
/** What someone with a SQLite shell can do to the cache; they have no key, so the seal stays as it was (or goes). */
async function forgeCount(count: number, seal?: null) {
  const row = await cacheRow()
  const forged = JSON.parse(row.snapshot) as { context: { count: number } }
  forged.context.count = count
  await db
    .updateTable('workflow_snapshot')
    .set({ snapshot: canonicalJson(forged), ...(seal === null ? { seal } : {}) })
    .where('instance_id', '=', 'counter-1')
    .execute()
}

test('every write seals its cache row, and a sealed row is read without reading a single event', async () => {
  await counterWithTwoEvents()
  expect((await cacheRow()).seal).toMatch(/^[0-9a-f]{64}$/)
  const queries: string[] = []
  const watched = new Kysely<Database>({
    dialect: new SqliteDialect({ database: openSqlite(file) }),
    log: (e) => void queries.push(e.query.sql),
  })
  const readsEvents = () => queries.some((q) => /"event"/.test(q))
  try {
    expect((await loadInstance(watched, lookup, 'counter-1', record.key))?.snapshot.context).toEqual({ count: 2, limit: 5 })
    expect(readsEvents()).toBe(false)
    // Without the key the cache cannot be trusted: the same load replays.
    expect((await loadInstance(watched, lookup, 'counter-1'))?.snapshot.context).toEqual({ count: 2, limit: 5 })
    expect(readsEvents()).toBe(true)
  } finally {
    await watched.destroy()
  }
  expect(await alarms()).toEqual([])
})

test('a cache row edited by hand is rebuilt from the events, sealed again, and logged as a security event', async () => {
  await counterWithTwoEvents()
  const honest = await cacheRow()
  await forgeCount(5)
  const loaded = await record.load('counter-1')
  expect(loaded?.snapshot.context).toEqual({ count: 2, limit: 5 })
  expect(loaded?.version).toBe(2)
  const [alarm, ...more] = await alarms()
  expect(more).toEqual([])
  expect(JSON.parse(alarm!.detail)).toEqual({
    instanceId: 'counter-1',
    seal: 'invalid',
    cached: { version: 2, state: 'open' },
    events: { version: 2, state: 'open' },
  })
  const repaired = await cacheRow()
  expect({ ...repaired, updated_at: null }).toEqual({ ...honest, updated_at: null })
  // Sealed again: the next read trusts it and raises nothing.
  await record.load('counter-1')
  expect(await alarms()).toHaveLength(1)
})

test('a row without a seal that agrees with the events (written before migration 006) is sealed quietly', async () => {
  await counterWithTwoEvents()
  const honest = await cacheRow()
  await db.updateTable('workflow_snapshot').set({ seal: null }).where('instance_id', '=', 'counter-1').execute()
  expect((await record.load('counter-1'))?.snapshot.context).toEqual({ count: 2, limit: 5 })
  expect(await alarms()).toEqual([])
  expect((await cacheRow()).seal).toBe(honest.seal)
})

test('a row whose seal was removed and whose content disagrees with the events is logged all the same', async () => {
  await counterWithTwoEvents()
  await forgeCount(4, null)
  expect((await record.load('counter-1'))?.snapshot.context).toEqual({ count: 2, limit: 5 })
  expect((await alarms()).map((a) => JSON.parse(a.detail).seal)).toEqual(['missing'])
})

test('an earlier sealed row put back is caught: the seal names the last event it reflects', async () => {
  await record.append({ instance: instance(), expectedVersion: 0, event: { type: 'count.add', at: 'x' }, actor: officer })
  const earlier = await cacheRow()
  await record.append({ instance: instance(), expectedVersion: 1, event: { type: 'count.add', at: 'y' }, actor: officer })
  const { instance_id: _, ...columns } = earlier
  await db.updateTable('workflow_snapshot').set(columns).where('instance_id', '=', 'counter-1').execute()
  const loaded = await record.load('counter-1')
  expect([loaded?.version, loaded?.snapshot.context]).toEqual([2, { count: 2, limit: 5 }])
  expect((await alarms()).map((a) => JSON.parse(a.detail).seal)).toEqual(['stale'])
})

test('the write path decides on the events, not on a forged cache, and the alarm outlives the refused command', async () => {
  await counterWithTwoEvents()
  // The cache says the limit is reached, so the next count.add would be refused on its word.
  await forgeCount(5)
  const appended = await record.append({ instance: instance(), expectedVersion: 2, event: { type: 'count.add', at: 'z' }, actor: officer })
  expect(appended.snapshot.context).toEqual({ count: 3, limit: 5 })
  expect(await alarms()).toHaveLength(1)

  // The other way round: the cache lets through what the events refuse.
  await record.append({ instance: instance(), expectedVersion: 3, event: { type: 'count.close' }, actor: officer })
  const closed = await cacheRow()
  const reopened = { ...(JSON.parse(closed.snapshot) as object), status: 'active', value: 'open' }
  await db
    .updateTable('workflow_snapshot')
    .set({ snapshot: canonicalJson(reopened), state: 'open', status: 'active' })
    .where('instance_id', '=', 'counter-1')
    .execute()
  await expect(
    record.append({ instance: instance(), expectedVersion: 4, event: { type: 'count.add', at: 'w' }, actor: officer }),
  ).rejects.toBeInstanceOf(EventNotAllowedError)
  expect(await countRows('workflow_event')).toBe(4)
  expect(await alarms()).toHaveLength(2)
})

test('trustedSnapshots passes sealed rows through untouched and replaces a forged one with what the events say', async () => {
  await counterWithTwoEvents()
  await record.append({ instance: instance('counter-2'), expectedVersion: 0, event: { type: 'count.close' }, actor: officer })
  await forgeCount(5)
  const rows = await db
    .selectFrom('workflow_snapshot')
    .select(['instance_id', 'version', 'state', 'snapshot', 'seal'])
    .orderBy('instance_id')
    .execute()
  const trusted = await trustedSnapshots(db, lookup, record.key, rows)
  expect(JSON.parse(trusted[0]!.snapshot).context).toEqual({ count: 2, limit: 5 })
  expect(trusted[1]).toBe(rows[1])
  expect(trusted.map((r) => r.state)).toEqual(['open', 'closed'])
  expect(await alarms()).toHaveLength(1)
  // A forged copy of state alone (the column lists read) is caught too.
  await db.updateTable('workflow_snapshot').set({ state: 'open' }).where('instance_id', '=', 'counter-2').execute()
  const again = await db
    .selectFrom('workflow_snapshot')
    .select(['instance_id', 'version', 'state', 'snapshot', 'seal'])
    .orderBy('instance_id')
    .execute()
  expect((await trustedSnapshots(db, lookup, record.key, again)).map((r) => r.state)).toEqual(['open', 'closed'])
  expect(await alarms()).toHaveLength(2)
})

test('a seal this process has already found to hold does not pass a forged snapshot, an older row put back, or a forged state', async () => {
  await counterWithTwoEvents()
  const read = () => db.selectFrom('workflow_snapshot').select(['instance_id', 'version', 'state', 'snapshot', 'seal']).execute()
  // Checked once in full: from here on the process remembers this seal (issue 13).
  const sealed = await read()
  expect(await trustedSnapshots(db, lookup, record.key, sealed)).toEqual(sealed)
  expect(await trustedSnapshots(db, lookup, record.key, sealed)).toEqual(sealed)
  // The forged snapshot keeps the seal that held a moment ago.
  await forgeCount(5)
  const forged = await read()
  expect(forged[0]!.seal).toBe(sealed[0]!.seal)
  expect(JSON.parse((await trustedSnapshots(db, lookup, record.key, forged))[0]!.snapshot).context).toEqual({ count: 2, limit: 5 })
  expect(await alarms()).toHaveLength(1)
  // An older sealed row put back after a newer event: its seal held once, for a head that is no longer the latest.
  const older = (await read())[0]!
  await record.append({ instance: instance(), expectedVersion: 2, event: { type: 'count.add', at: 'z' }, actor: officer })
  await db
    .updateTable('workflow_snapshot')
    .set({ version: older.version, snapshot: older.snapshot, state: older.state, seal: older.seal })
    .where('instance_id', '=', 'counter-1')
    .execute()
  expect(JSON.parse((await trustedSnapshots(db, lookup, record.key, await read()))[0]!.snapshot).context).toEqual({ count: 3, limit: 5 })
  // The state column alone, under a snapshot and seal that hold.
  await trustedSnapshots(db, lookup, record.key, await read())
  await db.updateTable('workflow_snapshot').set({ state: 'closed' }).where('instance_id', '=', 'counter-1').execute()
  expect((await trustedSnapshots(db, lookup, record.key, await read())).map((r) => r.state)).toEqual(['open'])
})

test('parseSnapshot shares the parse of a held seal only for that very text, frozen; a forged snapshot is parsed afresh from what trustedSnapshots put in its place', async () => {
  await counterWithTwoEvents()
  const read = () => db.selectFrom('workflow_snapshot').select(['instance_id', 'version', 'state', 'snapshot', 'seal']).execute()
  const [row] = await trustedSnapshots(db, lookup, record.key, await read())
  const shared = parseSnapshot<{ context: { count: number } }>(row!.instance_id, row!.snapshot)
  expect(shared.context.count).toBe(2)
  // The same parse for the next request, and no request can change it for the others.
  expect(parseSnapshot(row!.instance_id, row!.snapshot)).toBe(shared)
  expect(() => {
    shared.context.count = 9
  }).toThrow(TypeError)
  // Another text for the instance (here a forged one) is never answered from the held parse.
  await forgeCount(5)
  const forged = (await read())[0]!
  expect(parseSnapshot<{ context: { count: number } }>(forged.instance_id, forged.snapshot).context.count).toBe(5)
  const [trusted] = await trustedSnapshots(db, lookup, record.key, [forged])
  expect(parseSnapshot<{ context: { count: number } }>(trusted!.instance_id, trusted!.snapshot).context.count).toBe(2)
})

test('an event the machine refuses, found in a stored history, is an error naming the workflow and the sequence', async () => {
  await record.append({ instance: instance(), expectedVersion: 0, event: { type: 'count.close' }, actor: officer })
  // Inserts pass the append-only triggers; this one is refused by the machine (the counter is closed).
  const first = await db.selectFrom('workflow_event').selectAll().executeTakeFirstOrThrow()
  await db
    .insertInto('workflow_event')
    .values({
      ...first,
      sequence: 2,
      instance_version: 2,
      event: '{"at":"z","type":"count.add"}',
      event_type: 'count.add',
      hash: 'b'.repeat(64),
    })
    .execute()
  const refused = { instanceId: 'counter-1', sequence: 2, eventType: 'count.add', state: 'closed' }
  await expect(replayInstance(db, lookup, 'counter-1')).rejects.toMatchObject(refused)
  await expect(replayInstance(db, lookup, 'counter-1')).rejects.toBeInstanceOf(StoredEventRefusedError)
  // The cache is a version behind the events, so the load replays, and refuses as well.
  await expect(record.load('counter-1')).rejects.toMatchObject(refused)
  const report = verifyRecord({ file, key: record.key, lookup })
  expect(report.problems).toContainEqual(
    expect.objectContaining({ sequence: 2, message: expect.stringMatching(/counter-1.*stored event 2 \("count\.add"\) is refused/) }),
  )
})
