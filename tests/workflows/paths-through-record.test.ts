// Model-based paths applied through the db layer: each path of a machine's model
// (from xstate/graph) is sent, event by event, through the record's write path
// into a real SQLite file, and the stored events and cached state must be the
// path's. machines/*.test.ts walk every simple path of every machine in pure
// replay; here every simple path of the report, case and determination models
// goes through the database, and for the duty reviews (16,584 simple paths over
// twelve duties, 170,000 steps: minutes of fsyncs) every path to each distinct
// end state plus a fixed seeded sample of 60 paths per duty. Then a history
// written under version 1 of the duty review, still read and carried on under
// version 1.
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { replay as replayOn } from '../../machines/replay'
import { canonicalJson } from '../../db/canonical-json'
import type { DB } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import { verifyRecord } from '../../db/verify'
import { type WorkflowRecord, loadInstance, openWorkflowRecord } from '../../db/workflow-record'
import { boardDeterminationMachine, type BoardDeterminationInput } from '../../machines/board-determination'
import { caseMachine, type CaseInput } from '../../machines/case'
import { DUTIES } from '../../machines/duties'
import { dutyReviewMachine } from '../../machines/duty-review'
import { machineAtVersion, machineRegistry } from '../../machines/registry'
import { reportLifecycleMachine } from '../../machines/report-lifecycle'
import {
  AT,
  DRAFT_A,
  type ModelPath,
  caseModelEvents,
  determinationModelEvents,
  dutyReviewModelEvents,
  modelPaths,
  reportModelEvents,
  seededRandom,
} from '../support/machine-models'
import { variantAnswers } from '../support/sample-answers'
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
async function applyPath(machine: AnyStateMachine, machineId: string, input: unknown, path: ModelPath) {
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

function distinctEnds(all: ModelPath[]) {
  const byEnd = new Map<string, ModelPath>()
  for (const p of all) {
    const key = JSON.stringify(p.state.value)
    const known = byEnd.get(key)
    if (!known || known.steps.length < p.steps.length) byEnd.set(key, p)
  }
  return [...byEnd.values()]
}

/**
 * Version 2 of the report lifecycle has thousands of simple paths (send back,
 * withdrawal, two approvals, 12b-25); machines/report-lifecycle.test.ts walks them
 * all in memory. Through the record, the longest path for each (end state, last
 * event) pair: every transition's kind is written and replayed, in a few seconds.
 */
function longestPerEndAndLastEvent(all: ModelPath[]) {
  const byKey = new Map<string, ModelPath>()
  for (const p of all) {
    const last = p.steps.at(-1)?.event.type ?? 'initial'
    const key = `${JSON.stringify(p.state.value)} ${last}`
    const known = byKey.get(key)
    if (!known || known.steps.length < p.steps.length) byKey.set(key, p)
  }
  return [...byKey.values()]
}

describe('report lifecycle: a path through the record for every end state and last event', () => {
  test.each([['10-Q'], ['10-K']] as const)('Form %s', async (form) => {
    const input = { form }
    const all = modelPaths(reportLifecycleMachine, input, reportModelEvents as never)
    const chosen = longestPerEndAndLastEvent(all)
    for (const path of chosen) await applyPath(reportLifecycleMachine, 'report-lifecycle', input, path)
    expect(all.length).toBeGreaterThan(1000)
    // Every kind of event the model sends is the last step of some chosen path.
    const lastEvents = new Set(chosen.map((p) => p.steps.at(-1)?.event.type))
    for (const type of [
      'report.sendBack',
      'report.reopenCertification',
      'report.notifyLateFiling',
      'report.approveForFiling',
      'report.lock',
    ]) {
      expect(lastEvents, type).toContain(type)
    }
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
    const all = modelPaths(caseMachine, input, caseModelEvents as never)
    for (const path of all) await applyPath(caseMachine, 'case', input, path)
    expect(all.length).toBeGreaterThan(3)
  })
})

test('board determination: every simple path through the record', async () => {
  const input: BoardDeterminationInput = {
    caseId: 'case-3',
    subject: { kind: 'officer', role: 'cfo', userId: 'user-cfo' },
    reporter: { role: 'cao', userId: 'user-cao' },
  } as BoardDeterminationInput
  const all = modelPaths(boardDeterminationMachine, input, determinationModelEvents as never)
  for (const path of all) await applyPath(boardDeterminationMachine, 'board-determination', input, path)
  expect(all.length).toBeGreaterThan(3)
})

describe('duty review: paths to every end state and a seeded sample, per duty, through the record', () => {
  test.each(DUTIES.map((d) => [d.number]))(
    'duty %i',
    async (n) => {
      const input = { dutyNumber: n, officerRole: 'cfo' as const, currentDraftSha256: DRAFT_A }
      const all = modelPaths(dutyReviewMachine, input, dutyReviewModelEvents as never)
      const random = seededRandom(n)
      const sample = Array.from({ length: 60 }, () => all[Math.floor(random() * all.length)]!)
      const chosen = new Set([...distinctEnds(all), ...sample])
      for (const path of chosen) await applyPath(dutyReviewMachine, 'duty-review', input, path)
      expect(chosen.size).toBeGreaterThan(20)
    },
    60_000,
  )
})

test('a workflow written under version 1 is read, and carried on, under version 1', async () => {
  // What the record held before version 2: the same record, with version 1 as the current machine.
  const lookupBefore = {
    current: (machineId: string) => ({ machine: machineAtVersion(machineId, 1), version: 1 }),
    atVersion: machineRegistry.atVersion,
  }
  const before = openWorkflowRecord(db, lookupBefore, record.key)
  const id = 'path/duty-review/v1'
  const input = { dutyNumber: 12 as const, officerRole: 'cfo' as const, currentDraftSha256: DRAFT_A }
  const onA = variantAnswers(12, 'first', DRAFT_A) as { internalAuditor: object }
  // Version 1 took an auditor's confirmation about another document; version 2 does not.
  const answers = { ...onA, internalAuditor: { ...onA.internalAuditor, documentSha256: 'c'.repeat(64) } }
  const instance = { id, machineId: 'duty-review', reportId: null, subject: { path: 'v1' }, input }
  await before.appendAll(
    [{ type: 'duty.start' }, { type: 'duty.answer', answers }].map((event, i) => ({
      instance,
      expectedVersion: i,
      event,
      actor: { userId: null, role: 'system' as const },
    })),
  )
  const stored = await db.selectFrom('workflow_instance').select('machine_version').where('id', '=', id).executeTakeFirstOrThrow()
  expect(stored.machine_version).toBe(1)
  expect(() => replayOn(dutyReviewMachine, input, [{ type: 'duty.start' }, { type: 'duty.answer', answers: answers as never }])).toThrow()
  // Today's code reads it under version 1 and appends to it under version 1.
  const loaded = await loadInstance(db, machineLookup, id)
  expect(loaded?.machineVersion).toBe(1)
  expect(loaded?.snapshot.value).toEqual({ answered: 'noException' })
  await record.appendAll([
    { instance: { id }, expectedVersion: 2, event: { type: 'duty.confirm' }, actor: { userId: null, role: 'system' } },
  ])
  expect((await loadInstance(db, machineLookup, id))?.snapshot.value).toBe('readyToSign')
})

test('the record written by all those paths verifies', () => {
  const report = verifyRecord({ file, key: record.key, lookup: machineLookup })
  // The paths send duty.sign, the report's and the Board's signed steps to the record bare, without the sign_off or
  // signature row the commands write with them; all else must hold.
  const bareSign =
    /^workflow_event \d+: its (duty\.sign|report\.(disclosureCommitteeApprove|auditCommitteeReview|approveForFiling)|determination\.(decide|sign)) carries signature .*, which has no (sign_off|signature) row$/
  expect(report.problems.filter((p) => !bareSign.test(p.message))).toEqual([])
  expect(report.problems.length).toBeGreaterThan(0)
})
