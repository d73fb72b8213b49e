import { type AnyMachineSnapshot, type AnyStateMachine, createActor, transition } from 'xstate'
import { describe, expect, test } from 'vitest'
import { boardDeterminationMachine } from './board-determination'
import { caseMachine } from './case'
import { DUTIES } from './duties'
import { dutyReviewMachine } from './duty-review'
import { MACHINE_IDS, MACHINE_REGISTRY, UnknownMachineError, currentMachine, machineAtVersion } from './registry'
import { EventRefusedError, persistSnapshot, replay, restoreSnapshot } from './replay'
import { reportLifecycleMachine } from './report-lifecycle'
import {
  AT,
  DRAFT_A,
  caseRandomEvents,
  determinationRandomEvents,
  dutyReviewRandomEvents,
  randomHistory,
  reportRandomEvents,
  malformedEvents,
  sameData,
} from '../tests/support/machine-models'

const HISTORIES = 12
const ATTEMPTS = 400
const ends = (e: { type: string }) => ['duty.lock', 'report.lock', 'determination.close', 'case.resolve', 'case.refer'].includes(e.type)

interface Subject {
  name: string
  machine: AnyStateMachine
  input: unknown
  candidates: (s: AnyMachineSnapshot) => Array<{ type: string }>
  /** The longest kept history must reach this length: the cyclic machines run long. */
  minLongest: number
  /** Tries per history; the report needs more, its way to the lock being long and often sent back. */
  attempts?: number
}

const subjects: Subject[] = [
  ...DUTIES.map((d) => ({
    name: `duty-review, duty ${d.number}`,
    machine: dutyReviewMachine,
    input: { dutyNumber: d.number, officerRole: 'cao', currentDraftSha256: d.number % 2 ? DRAFT_A : null },
    candidates: dutyReviewRandomEvents as Subject['candidates'],
    minLongest: 20,
  })),
  {
    name: 'report-lifecycle',
    machine: reportLifecycleMachine,
    input: { form: '10-Q' },
    candidates: reportRandomEvents as Subject['candidates'],
    minLongest: 10,
    attempts: 3000,
  },
  ...([1, 2, 3, 4] as const).map((duty) => ({
    name: `case, duty ${duty}`,
    machine: caseMachine,
    input: {
      caseId: `case-${duty}`,
      duty,
      subject: { kind: 'officer', role: 'ceo', userId: 'user-baker' },
      reporter: { role: 'cfo', userId: 'user-cfo' },
      summary: 'La Camorra concession may revert to the State.',
      reportedAt: AT,
    },
    candidates: caseRandomEvents as Subject['candidates'],
    // route, one acknowledgement per recipient, resolve or refer
    minLongest: duty === 1 ? 3 : 4,
  })),
  {
    name: 'board-determination',
    machine: boardDeterminationMachine,
    input: { caseId: 'case-3', subject: { kind: 'employee', userId: 'user-employee' }, reporter: { role: 'ceo', userId: 'user-baker' } },
    candidates: determinationRandomEvents as Subject['candidates'],
    minLongest: 5,
  },
]

describe('random histories (seeded) replay to the same snapshot, and restore mid-way', () => {
  for (const [index, { name, machine, input, candidates, minLongest, attempts = ATTEMPTS }] of subjects.entries()) {
    test(name, () => {
      let longest = 0
      let ended = 0
      for (let h = 0; h < HISTORIES; h++) {
        const seed = 1000 * index + h
        const run = randomHistory(machine, input as never, candidates as never, { seed, attempts, holdBack: ends })
        // A refused event must change nothing: the db layer relies on can() alone.
        expect(run.refusedButChanged, `seed ${seed}`).toEqual([])
        longest = Math.max(longest, run.events.length)
        if (run.snapshot.status === 'done') ended++

        const replayed = replay(machine, input as never, run.events as never) as AnyMachineSnapshot
        expect(replayed.value, `seed ${seed}`).toEqual(run.snapshot.value)
        expect(replayed.context, `seed ${seed}`).toEqual(run.snapshot.context)
        expect(replayed.status).toBe(run.snapshot.status)

        // The db layer restores its snapshot cache and carries on from there.
        const cut = Math.floor(run.events.length / 2)
        const head = replay(machine, input as never, run.events.slice(0, cut) as never) as AnyMachineSnapshot
        const stored = JSON.parse(JSON.stringify(persistSnapshot(machine, head as never)))
        for (const restored of [
          restoreSnapshot(machine, stored) as AnyMachineSnapshot,
          createActor(machine, { snapshot: stored, input: input as never }).getSnapshot() as AnyMachineSnapshot,
        ]) {
          let s = restored
          for (const event of run.events.slice(cut)) {
            expect(s.can(event), `seed ${seed} ${event.type}`).toBe(true)
            ;[s] = transition(machine, s as never, event as never) as [AnyMachineSnapshot, unknown]
          }
          expect(sameData(s.value, run.snapshot.value) && sameData(s.context, run.snapshot.context), `seed ${seed}`).toBe(true)
        }
      }
      expect(longest).toBeGreaterThanOrEqual(minLongest)
      expect(ended).toBeGreaterThan(0)
    })
  }
})

describe('malformed events are refused, never thrown, in every state a history passes through', () => {
  for (const [index, { name, machine, input, candidates }] of subjects.entries()) {
    test(name, () => {
      const run = randomHistory(machine, input as never, candidates as never, { seed: 7 + index, attempts: 200, holdBack: ends })
      let snapshot = replay(machine, input as never, [] as never) as AnyMachineSnapshot
      for (const event of [...run.events, null]) {
        for (const bad of malformedEvents(machine))
          expect(snapshot.can(bad), `${bad.type} in ${JSON.stringify(snapshot.value)}`).toBe(false)
        if (event) [snapshot] = transition(machine, snapshot as never, event as never) as [AnyMachineSnapshot, unknown]
      }
    })
  }
})

test('replay refuses a history the machine does not allow, naming the event', () => {
  const input = { dutyNumber: 6 as const, officerRole: 'ceo' as const, currentDraftSha256: DRAFT_A }
  expect(() => replay(dutyReviewMachine, input, [{ type: 'duty.start' }, { type: 'duty.confirm' }])).toThrow(EventRefusedError)
  try {
    replay(dutyReviewMachine, input, [{ type: 'duty.start' }, { type: 'duty.confirm' }])
  } catch (error) {
    expect(error).toMatchObject({ eventType: 'duty.confirm', index: 1, state: 'inProgress' })
  }
})

test('the registry finds each machine by id and version, and fails loudly otherwise', () => {
  expect(MACHINE_IDS.sort()).toEqual(['board-determination', 'case', 'duty-review', 'kept-rows', 'report-lifecycle'])
  for (const id of MACHINE_IDS) {
    const entry = currentMachine(id)
    expect(entry.machine.id).toBe(id)
    expect(machineAtVersion(id, entry.version)).toBe(entry.machine)
    expect(() => machineAtVersion(id, entry.version + 1)).toThrow(UnknownMachineError)
    expect(() => machineAtVersion(id, 0)).toThrow(UnknownMachineError)
  }
  expect(() => currentMachine('duty_review')).toThrow(UnknownMachineError)
  expect(() => machineAtVersion('toString', 1)).toThrow(UnknownMachineError)
  expect(MACHINE_REGISTRY['duty-review'].createInput({ dutyNumber: 6, officerRole: 'ceo', currentDraftSha256: null })).toEqual({
    dutyNumber: 6,
    officerRole: 'ceo',
    currentDraftSha256: null,
  })
  expect(() => MACHINE_REGISTRY['report-lifecycle'].createInput({ form: '8-K' })).toThrow()
})

test('restoring a persisted snapshot keeps what can() decides on: a locked duty stays done and refuses everything', () => {
  const input = { dutyNumber: 7 as const, officerRole: 'cfo' as const, currentDraftSha256: null }
  const locked = replay(dutyReviewMachine, input, [{ type: 'duty.start' }, { type: 'duty.lock' }])
  const restored = restoreSnapshot(dutyReviewMachine, JSON.parse(JSON.stringify(persistSnapshot(dutyReviewMachine, locked))))
  expect([restored.status, restored.value]).toEqual(['done', 'locked'])
  for (const event of [{ type: 'duty.start' }, { type: 'duty.lock' }, { type: 'duty.reopen', reason: 'withdrawn', at: AT }] as const)
    expect(restored.can(event as never), event.type).toBe(false)
})
