import type { AnyStateMachine } from 'xstate'
import {
  BOARD_DETERMINATION_MACHINE_ID,
  BOARD_DETERMINATION_MACHINE_VERSION,
  boardDeterminationInputSchema,
  boardDeterminationMachine,
} from './board-determination'
import { KEPT_ROWS_MACHINE_ID, KEPT_ROWS_MACHINE_VERSION, keptRowsInputSchema, keptRowsMachine } from './kept-rows'
import { CASE_MACHINE_ID, CASE_MACHINE_VERSION, caseInputSchema, caseMachine } from './case'
import { DUTY_REVIEW_MACHINE_ID, DUTY_REVIEW_MACHINE_VERSION, dutyReviewInputSchema, dutyReviewMachine } from './duty-review'
import {
  REPORT_LIFECYCLE_MACHINE_ID,
  REPORT_LIFECYCLE_MACHINE_VERSION,
  reportLifecycleInputSchema,
  reportLifecycleMachine,
} from './report-lifecycle'
import { boardDeterminationMachine as boardDeterminationMachineV1 } from './v1/board-determination'
import { boardDeterminationMachine as boardDeterminationMachineV2 } from './v2/board-determination'
import { caseMachine as caseMachineV1 } from './v1/case'
import { caseMachine as caseMachineV2 } from './v2/case'
import { dutyReviewMachine as dutyReviewMachineV1 } from './v1/duty-review'
import { reportLifecycleMachine as reportLifecycleMachineV1 } from './v1/report-lifecycle'
import { dutyReviewMachine as dutyReviewMachineV2 } from './v2/duty-review'

// Stored workflows name their machine by (id, version). A history recorded by one
// version is replayed by that version's code and no other, so a changed machine
// gets a new version and the old one moves to RETIRED_MACHINES, never edited.

export interface MachineRegistryEntry<M extends AnyStateMachine = AnyStateMachine, I = unknown> {
  machine: M
  version: number
  /** Parses and checks raw input (e.g. from a form or a stored row); throws on bad input. */
  createInput: (raw: unknown) => I
}

export const MACHINE_REGISTRY = {
  [DUTY_REVIEW_MACHINE_ID]: {
    machine: dutyReviewMachine,
    version: DUTY_REVIEW_MACHINE_VERSION,
    createInput: (raw: unknown) => dutyReviewInputSchema.parse(raw),
  },
  [REPORT_LIFECYCLE_MACHINE_ID]: {
    machine: reportLifecycleMachine,
    version: REPORT_LIFECYCLE_MACHINE_VERSION,
    createInput: (raw: unknown) => reportLifecycleInputSchema.parse(raw),
  },
  [CASE_MACHINE_ID]: {
    machine: caseMachine,
    version: CASE_MACHINE_VERSION,
    createInput: (raw: unknown) => caseInputSchema.parse(raw),
  },
  [BOARD_DETERMINATION_MACHINE_ID]: {
    machine: boardDeterminationMachine,
    version: BOARD_DETERMINATION_MACHINE_VERSION,
    createInput: (raw: unknown) => boardDeterminationInputSchema.parse(raw),
  },
  [KEPT_ROWS_MACHINE_ID]: {
    machine: keptRowsMachine,
    version: KEPT_ROWS_MACHINE_VERSION,
    createInput: (raw: unknown) => keptRowsInputSchema.parse(raw),
  },
} as const satisfies Record<string, MachineRegistryEntry>

export type MachineId = keyof typeof MACHINE_REGISTRY
export const MACHINE_IDS = Object.keys(MACHINE_REGISTRY) as MachineId[]

/**
 * Earlier versions still needed to replay stored histories, each frozen in
 * machines/v1/ as it was. Version 2 of the duty review, the case and the board
 * determination refuse NUL in written text; the duty review also takes "not
 * established" for duties 7–9 and holds duty 12's confirmations to the current
 * draft. Version 3 of the duty review takes a committee's send back; version 2
 * of the report lifecycle takes the send back, the CEO's and CFO's separate
 * approvals for filing, the Form 12b-25 notification and the filed draft (v2/,
 * v1/). Version 3 of the case takes a reporter of any kind (an employee, a
 * director, the anonymous channel) and the kind of matter (v2/). Version 3 of the
 * Board's determination takes a reporter of any kind, the directors' signatures
 * and the individual's acknowledgement of the notice (v2/). A workflow carries on
 * under the version it started on.
 */
export interface MachineVersion {
  id: MachineId
  version: number
  machine: AnyStateMachine
}

const RETIRED_MACHINES: readonly MachineVersion[] = [
  { id: DUTY_REVIEW_MACHINE_ID, version: 1, machine: dutyReviewMachineV1 },
  { id: CASE_MACHINE_ID, version: 1, machine: caseMachineV1 },
  { id: CASE_MACHINE_ID, version: 2, machine: caseMachineV2 },
  { id: BOARD_DETERMINATION_MACHINE_ID, version: 1, machine: boardDeterminationMachineV1 },
  { id: BOARD_DETERMINATION_MACHINE_ID, version: 2, machine: boardDeterminationMachineV2 },
  { id: DUTY_REVIEW_MACHINE_ID, version: 2, machine: dutyReviewMachineV2 },
  { id: REPORT_LIFECYCLE_MACHINE_ID, version: 1, machine: reportLifecycleMachineV1 },
]

/** Every version the code can replay, current and retired, e.g. for a test that each is reachable. */
export function knownMachineVersions(): readonly MachineVersion[] {
  const current = MACHINE_IDS.map((id): MachineVersion => ({
    id,
    version: MACHINE_REGISTRY[id].version,
    machine: MACHINE_REGISTRY[id].machine,
  }))
  return [...current, ...RETIRED_MACHINES]
}

export class UnknownMachineError extends Error {
  constructor(
    readonly machineId: string,
    readonly version: number | null,
  ) {
    super(
      version === null
        ? `No workflow machine "${machineId}" (known: ${MACHINE_IDS.join(', ')})`
        : `No version ${version} of workflow machine "${machineId}": keep old versions in machines/registry.ts RETIRED_MACHINES`,
    )
  }
}

export function isMachineId(id: string): id is MachineId {
  return Object.prototype.hasOwnProperty.call(MACHINE_REGISTRY, id)
}

/** The machine new workflows of this id start on. */
export function currentMachine(machineId: string): MachineRegistryEntry {
  if (!isMachineId(machineId)) throw new UnknownMachineError(machineId, null)
  return MACHINE_REGISTRY[machineId]
}

/** The machine that recorded a stored workflow; throws rather than replay it on other code. */
export function machineAtVersion(machineId: string, version: number): AnyStateMachine {
  const current = currentMachine(machineId)
  if (current.version === version) return current.machine
  const retired = RETIRED_MACHINES.find((m) => m.id === machineId && m.version === version)
  if (!retired) throw new UnknownMachineError(machineId, version)
  return retired.machine
}

/** The shape db/workflow-record.ts's MachineLookup asks for. */
export const machineRegistry = { current: currentMachine, atVersion: machineAtVersion }
