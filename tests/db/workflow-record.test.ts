import { sql } from 'kysely'
import { assign, setup } from 'xstate'
import { afterEach, beforeEach, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import { canonicalJson } from '../../db/canonical-json'
import { verifyRecord } from '../../db/verify'
import {
  EventNotAllowedError,
  UnknownMachineVersionError,
  WorkflowConflictError,
  replayInstance,
  type MachineLookup,
  type WorkflowRecord,
} from '../../db/workflow-record'
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

test('an instance stored with a machine version the code does not know fails loudly', async () => {
  await record.append({ instance: instance(), expectedVersion: 0, event: { type: 'count.add', at: 'x' }, actor: officer })
  const newer: MachineLookup = {
    current: lookup.current,
    atVersion: (id) => {
      throw new UnknownMachineVersionError(id, 1)
    },
  }
  await expect(replayInstance(db, newer, 'counter-1')).rejects.toThrow(/version 1 is stored in the database but this code does not know it/)
})
