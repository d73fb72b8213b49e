// Histories recorded under the version 1 machines, before version 2 existed
// (tests/support/v1-histories.json, written once by the v1 code): they must
// replay under version 1 to exactly the snapshot v1 computed, whatever the
// current version now accepts.
import { describe, expect, test } from 'vitest'
import histories from '../tests/support/v1-histories.json'
import v2Determinations from '../tests/support/v2-determination-histories.json'
import { MACHINE_IDS, currentMachine, knownMachineVersions, machineAtVersion } from './registry'
import { initialSnapshot, persistSnapshot, replay } from './replay'

interface StoredHistory {
  name: string
  machineId: string
  input: unknown
  events: Array<{ type: string }>
  persisted: unknown
}
const stored = histories as StoredHistory[]

describe('a history written under version 1 still replays, under version 1, to the snapshot it had', () => {
  test.each(stored.map((h) => [h.name, h] as const))('%s', (_name, h) => {
    const machine = machineAtVersion(h.machineId, 1)
    const snapshot = replay(machine, h.input as never, h.events as never)
    expect(JSON.parse(JSON.stringify(persistSnapshot(machine, snapshot)))).toEqual(h.persisted)
  })
})

test('what only version 1 took is refused by the current version: that is why version 1 stays registered', () => {
  const v1Only = stored.filter((h) => h.name.startsWith('v1 only'))
  expect(v1Only.map((h) => h.machineId).sort()).toEqual(['board-determination', 'case', 'duty-review', 'duty-review'])
  for (const h of v1Only) {
    const { machine, version } = currentMachine(h.machineId)
    expect(version, h.name).toBeGreaterThanOrEqual(2)
    expect(() => replay(machine, h.input as never, h.events as never), h.name).toThrow()
  }
})

test('every machine has its current version and every retired one registered', () => {
  const known = knownMachineVersions().map(({ id, version }) => `${id}@${version}`)
  expect(known.sort()).toEqual([
    'board-determination@1',
    'board-determination@2',
    'board-determination@3',
    'case@1',
    'case@2',
    'case@3',
    'duty-review@1',
    'duty-review@2',
    'duty-review@3',
    'kept-rows@1',
    'report-lifecycle@1',
    'report-lifecycle@2',
  ])
  for (const { id, version, machine } of knownMachineVersions()) {
    expect(MACHINE_IDS).toContain(id)
    expect(machine.id).toBe(id)
    expect(machineAtVersion(id, version)).toBe(machine)
  }
  // A version 1 workflow keeps its own machine: version 2's stricter rules are not applied to it.
  const v1 = machineAtVersion('duty-review', 1)
  expect(v1).not.toBe(currentMachine('duty-review').machine)
  expect(initialSnapshot(v1, { dutyNumber: 7, officerRole: 'cfo', currentDraftSha256: null } as never).value).toBe('notStarted')
})

// Board determinations recorded under version 2 (tests/support/v2-determination-histories.json,
// written once by the v2 code): they replay under version 2 to the snapshot v2
// computed, and version 3 refuses them (an unsigned decision), which is why v2 stays.
describe('a determination written under version 2 still replays, under version 2, to the snapshot it had', () => {
  test.each(v2Determinations.map((h) => [h.name, h] as const))('%s', (_name, h) => {
    const machine = machineAtVersion('board-determination', 2)
    const snapshot = replay(machine, h.input as never, h.events as never)
    expect(JSON.parse(JSON.stringify(persistSnapshot(machine, snapshot)))).toEqual(h.persisted)
    expect(() => replay(currentMachine('board-determination').machine, h.input as never, h.events as never)).toThrow()
  })
})
