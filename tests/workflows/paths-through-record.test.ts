// Model-based paths applied through the db layer: each path of a machine's model
// (from xstate/graph) is sent, event by event, through the record's write path
// into a real SQLite file, and the stored events and cached state must be the
// path's. machines/*.test.ts walk every simple path of every machine in pure
// replay; here every simple path of the report, case and determination models
// goes through the database, and for the duty reviews (16,584 simple paths over
// twelve duties, 170,000 steps: minutes of fsyncs) every path to each distinct
// end state plus a fixed seeded sample of 60 paths per duty.
import { getSimplePaths, type StatePath } from 'xstate/graph'
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { canonicalJson } from '../../db/canonical-json'
import type { DB } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import { verifyRecord } from '../../db/verify'
import type { WorkflowRecord } from '../../db/workflow-record'
import { boardDeterminationMachine, type BoardDeterminationInput } from '../../machines/board-determination'
import { caseMachine, type CaseInput } from '../../machines/case'
import { DUTIES } from '../../machines/duties'
import { dutyReviewMachine } from '../../machines/duty-review'
import { reportLifecycleMachine } from '../../machines/report-lifecycle'
import {
  AT,
  DRAFT_A,
  caseModelEvents,
  determinationModelEvents,
  dutyReviewModelEvents,
  reportModelEvents,
  seededRandom,
} from '../../machines/test-support'
import { seedDemoCompany } from '../../seeds/load'
import { createTestDb, demoPasswordHash } from '../utils/test-db'
import { testRecord } from '../utils/record'

let db: DB
let close: () => Promise<void>
let file: string
let record: WorkflowRecord
let paths = 0

beforeAll(async () => {
  ;({ db, close, file } = await createTestDb('paths'))
  await seedDemoCompany(db, { passwordHash: await demoPasswordHash() })
  record = testRecord(db, machineLookup)
})
afterAll(() => close())

const persistedOf = (machine: AnyStateMachine, snapshot: AnyMachineSnapshot) =>
  canonicalJson(JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot))))

/** Sends a path's events into a new workflow, one transaction a path, and checks what was stored. */
async function applyPath(machine: AnyStateMachine, machineId: string, input: unknown, path: StatePath<AnyMachineSnapshot, EventObject>) {
  const id = `path/${machineId}/${++paths}`
  const events = path.steps.slice(1).map((s) => s.event)
  if (events.length === 0) return
  await record.appendAll(
    events.map((event, i) => ({
      instance: { id, machineId, reportId: null, subject: { path: paths }, input },
      expectedVersion: i,
      event,
      actor: { userId: null, role: 'system' },
    })),
  )
  const stored = await db
    .selectFrom('workflow_event')
    .select(['event', 'instance_version'])
    .where('instance_id', '=', id)
    .orderBy('instance_version')
    .execute()
  expect(stored.map((e) => JSON.parse(e.event))).toEqual(JSON.parse(JSON.stringify(events)))
  const cached = await db
    .selectFrom('workflow_snapshot')
    .select(['snapshot', 'version'])
    .where('instance_id', '=', id)
    .executeTakeFirstOrThrow()
  expect(cached.version).toBe(events.length)
  expect(cached.snapshot).toBe(persistedOf(machine, path.state))
}

// xstate/graph serialises every snapshot of every step; caching per snapshot object keeps it to seconds.
function serializeState() {
  const cache = new WeakMap<object, string>()
  return (snapshot: AnyMachineSnapshot) => {
    let key = cache.get(snapshot)
    if (key === undefined) cache.set(snapshot, (key = JSON.stringify({ value: snapshot.value, context: snapshot.context })))
    return key
  }
}

function distinctEnds(all: StatePath<AnyMachineSnapshot, EventObject>[]) {
  const byEnd = new Map<string, StatePath<AnyMachineSnapshot, EventObject>>()
  for (const p of all) {
    const key = JSON.stringify(p.state.value)
    const known = byEnd.get(key)
    if (!known || known.steps.length < p.steps.length) byEnd.set(key, p)
  }
  return [...byEnd.values()]
}

describe('report lifecycle: every simple path through the record', () => {
  test.each([['10-Q'], ['10-K']] as const)('Form %s', async (form) => {
    const input = { form }
    const all = getSimplePaths(reportLifecycleMachine, {
      input,
      events: reportModelEvents as never,
      serializeState: serializeState() as never,
    })
    for (const path of all) await applyPath(reportLifecycleMachine, 'report-lifecycle', input, path as never)
    expect(all.length).toBeGreaterThan(50)
  })
})

describe('case: every simple path through the record', () => {
  test.each([[1], [2], [3], [4]] as const)('duty %i', async (duty) => {
    const input: CaseInput = {
      caseId: `case-${duty}`,
      duty,
      subject: { kind: 'employee', userId: 'user-employee' },
      reporter: { role: 'cfo', userId: 'user-cfo' },
      summary: 'A matter.',
      reportedAt: AT,
    }
    const all = getSimplePaths(caseMachine, { input, events: caseModelEvents as never, serializeState: serializeState() as never })
    for (const path of all) await applyPath(caseMachine, 'case', input, path as never)
    expect(all.length).toBeGreaterThan(3)
  })
})

test('board determination: every simple path through the record', async () => {
  const input: BoardDeterminationInput = {
    caseId: 'case-3',
    subject: { kind: 'officer', role: 'cfo', userId: 'user-cfo' },
    reporter: { role: 'cao', userId: 'user-cao' },
  } as BoardDeterminationInput
  const all = getSimplePaths(boardDeterminationMachine, {
    input,
    events: determinationModelEvents as never,
    serializeState: serializeState() as never,
  })
  for (const path of all) await applyPath(boardDeterminationMachine, 'board-determination', input, path as never)
  expect(all.length).toBeGreaterThan(3)
})

describe('duty review: paths to every end state and a seeded sample, per duty, through the record', () => {
  test.each(DUTIES.map((d) => [d.number]))(
    'duty %i',
    async (n) => {
      const input = { dutyNumber: n, officerRole: 'cfo' as const, currentDraftSha256: DRAFT_A }
      const all = getSimplePaths(dutyReviewMachine, {
        input: input as never,
        events: dutyReviewModelEvents as never,
        serializeState: serializeState() as never,
      }) as never as StatePath<AnyMachineSnapshot, EventObject>[]
      const random = seededRandom(n)
      const sample = Array.from({ length: 60 }, () => all[Math.floor(random() * all.length)]!)
      const chosen = new Set([...distinctEnds(all), ...sample])
      for (const path of chosen) await applyPath(dutyReviewMachine, 'duty-review', input, path)
      expect(chosen.size).toBeGreaterThan(20)
    },
    60_000,
  )
})

test('the record written by all those paths verifies', () => {
  const report = verifyRecord({ file, key: record.key, lookup: machineLookup })
  expect(report.problems).toEqual([])
  expect(report.ok).toBe(true)
})
