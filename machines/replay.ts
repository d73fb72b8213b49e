import {
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
  initialTransition,
  transition,
} from 'xstate'

// The db layer stores each workflow as its list of events; these rebuild a state
// from them. Machines are pure, so the same events always give the same state.

export class EventRefusedError extends Error {
  constructor(
    readonly eventType: string,
    readonly state: unknown,
    /** Position in the replayed history, or null for a single event. */
    readonly index: number | null,
  ) {
    super(`"${eventType}" is not allowed in state ${JSON.stringify(state)}${index === null ? '' : ` (event #${index} of the history)`}`)
  }
}

/** Applies one event after checking `snapshot.can(event)`; throws EventRefusedError when refused. */
export function applyEvent<M extends AnyStateMachine>(
  machine: M,
  snapshot: SnapshotFrom<M>,
  event: EventFromLogic<M>,
  index: number | null = null,
): SnapshotFrom<M> {
  const current = snapshot as AnyMachineSnapshot
  if (!current.can(event)) throw new EventRefusedError(event.type, current.value, index)
  const [next] = transition(machine, snapshot, event)
  return next
}

/** The initial snapshot; throws when the input is invalid (machines check input with zod). */
export function initialSnapshot<M extends AnyStateMachine>(machine: M, input: InputFrom<M>): SnapshotFrom<M> {
  const [snapshot] = initialTransition(machine, input)
  const initial = snapshot as AnyMachineSnapshot
  if (initial.status === 'error') throw initial.error
  return snapshot
}

/**
 * Rebuilds a workflow from its input and its history. A stored event the machine
 * refuses means the history and the code disagree: it throws instead of skipping.
 */
export function replay<M extends AnyStateMachine>(
  machine: M,
  input: InputFrom<M>,
  events: ReadonlyArray<EventFromLogic<M>>,
): SnapshotFrom<M> {
  let snapshot = initialSnapshot(machine, input)
  events.forEach((event, index) => {
    snapshot = applyEvent(machine, snapshot, event, index)
  })
  return snapshot
}

/** A JSON-safe form of the snapshot for the snapshot cache (`machine.getPersistedSnapshot`). */
export function persistSnapshot<M extends AnyStateMachine>(
  machine: M,
  snapshot: SnapshotFrom<M>,
): { value: unknown; context: unknown; status: string } {
  return JSON.parse(JSON.stringify(machine.getPersistedSnapshot(snapshot))) as { value: unknown; context: unknown; status: string }
}

/** A live snapshot again from a persisted one (its value and context), ready for `can` and `transition`. */
export function restoreSnapshot<M extends AnyStateMachine>(machine: M, persisted: { value: unknown; context: unknown }): SnapshotFrom<M> {
  return machine.resolveState({ value: persisted.value as never, context: persisted.context as never }) as SnapshotFrom<M>
}

/**
 * The state value after each event of a history, in order (`states[i]`: after
 * event i), with the final snapshot. What the record stores beside each event
 * (workflow_event_state) and what `npm run verify` recomputes; refuses as `replay` does.
 */
export function replayStates<M extends AnyStateMachine>(
  machine: M,
  input: InputFrom<M>,
  events: ReadonlyArray<EventFromLogic<M>>,
): { snapshot: SnapshotFrom<M>; states: unknown[] } {
  let snapshot = initialSnapshot(machine, input)
  const states = events.map((event, index) => {
    snapshot = applyEvent(machine, snapshot, event, index)
    return (snapshot as AnyMachineSnapshot).value
  })
  return { snapshot, states }
}
