// The one write path for workflow state (STYLE: load → check version → restore →
// can(event) → transition → append event + hash → signed checkpoint → snapshot
// cache), in one IMMEDIATE transaction. Routes and seeds call it; nothing else
// writes workflow state.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate'
import { EventRefusedError, persistSnapshot, replay, restoreSnapshot as restorePersisted } from '../machines/replay'
import { canonicalJson } from './canonical-json'
import type { DB } from './client'
import type { Executor } from './queries/executor'
import { headFilePath, signCheckpoint, type SigningKey } from './signing-key'
import { immediateTransaction } from './transaction'

export const GENESIS_PREFIX = 'hecla-attest/genesis/'

export interface MachineEntry {
  machine: AnyStateMachine
  version: number
}

/** How the record finds the code of a stored workflow. */
export interface MachineLookup {
  current(machineId: string): MachineEntry
  /** The machine for a stored (id, version); throws UnknownMachineVersionError when the code has none. */
  atVersion(machineId: string, version: number): AnyStateMachine
}

export class WorkflowConflictError extends Error {
  readonly status = 409
  constructor(
    readonly instanceId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      `This workflow moved on while you were looking at it (you saw version ${expected}, it is now at ${actual}). Reload and try again.`,
    )
  }
}

export class EventNotAllowedError extends Error {
  readonly status = 422
  constructor(
    readonly instanceId: string,
    readonly eventType: string,
    readonly state: unknown,
  ) {
    super(`“${eventType}” is not allowed now: the workflow is in state ${JSON.stringify(state)}.`)
  }
}

export class WorkflowNotFoundError extends Error {
  readonly status = 404
  constructor(readonly instanceId: string) {
    super(`No workflow ${instanceId}`)
  }
}

export class InvalidWorkflowInputError extends Error {
  readonly status = 422
  constructor(
    readonly machineId: string,
    cause: unknown,
  ) {
    super(`A ${machineId} workflow cannot start with that input: ${(cause as Error)?.message ?? String(cause)}`, { cause })
  }
}

export class UnknownMachineVersionError extends Error {
  constructor(
    readonly machineId: string,
    readonly version: number,
  ) {
    super(
      `Workflow machine ${machineId} version ${version} is stored in the database but this code does not know it. ` +
        `Keep the old machine in machines/registry.ts under its version (see docs/decisions/005-workflow-record.md, "Changing a machine").`,
    )
  }
}

export interface Actor {
  userId: string | null
  role: string
}

export interface NewInstance {
  id: string
  machineId: string
  reportId: string | null
  subject: Record<string, unknown>
  input: unknown
}

export interface AppendRequest<E extends EventObject = EventObject> {
  /** An existing workflow by id, or what to create when it does not exist yet (expectedVersion 0). */
  instance: NewInstance | { id: string }
  expectedVersion: number
  event: E
  actor: Actor
  /** Server time; seeds pass the dates of their history. */
  recordedAt?: Date
}

export interface AppendResult {
  sequence: number
  version: number
  hash: string
  snapshot: AnyMachineSnapshot
}

export interface ChainedFields {
  sequence: number
  instance: { id: string; machineId: string; machineVersion: number; reportId: string | null; subject: unknown; input: unknown }
  instanceVersion: number
  event: unknown
  actor: Actor
  recordedAt: string
  prevHash: string
}

/** The hash of one event: sha-256 over the canonical form, which includes the previous hash. */
export function eventHash(fields: ChainedFields): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex')
}

export function genesisHash(installationId: string): string {
  return createHash('sha256').update(`${GENESIS_PREFIX}${installationId}`).digest('hex')
}

export async function installationId(db: Executor): Promise<string> {
  const row = await db.selectFrom('record_meta').select('installation_id').executeTakeFirstOrThrow()
  return row.installation_id
}

export async function loadInstance(db: Executor, lookup: MachineLookup, instanceId: string) {
  const row = await db
    .selectFrom('workflow_instance as i')
    .innerJoin('workflow_snapshot as s', 's.instance_id', 'i.id')
    .select(['i.id', 'i.machine_id', 'i.machine_version', 'i.report_id', 'i.subject', 'i.input', 's.version', 's.snapshot'])
    .where('i.id', '=', instanceId)
    .executeTakeFirst()
  if (!row) return undefined
  const machine = lookup.atVersion(row.machine_id, row.machine_version)
  return {
    id: row.id,
    machineId: row.machine_id,
    machineVersion: row.machine_version,
    reportId: row.report_id,
    subject: JSON.parse(row.subject) as Record<string, unknown>,
    input: JSON.parse(row.input) as unknown,
    version: row.version,
    machine,
    snapshot: restoreSnapshot(machine, JSON.parse(row.snapshot)),
  }
}

/**
 * A stored event the machine refuses in the state its history had reached: the
 * history and the code disagree, so nothing built on that history can be shown.
 */
export class StoredEventRefusedError extends Error {
  readonly code = 'stored_event_refused'
  constructor(
    readonly instanceId: string,
    readonly sequence: number,
    readonly eventType: string,
    readonly state: unknown,
  ) {
    super(`${instanceId}: stored event ${sequence} ("${eventType}") is refused by its machine in state ${JSON.stringify(state)}`)
  }
}

export interface StoredEvent {
  sequence: number
  event: EventObject
}

/** Restores a machine snapshot from its persisted JSON form (machines/replay.ts, the one restore). */
export function restoreSnapshot(machine: AnyStateMachine, stored: unknown): AnyMachineSnapshot {
  return restorePersisted(machine, stored as { value: unknown; context: unknown }) as AnyMachineSnapshot
}

/**
 * Replays stored events from the machine's initial state: the events are the truth.
 * It is machines/replay.ts's replay, which checks every event with `can()`; a
 * refusal is raised naming the instance and the event's sequence, never skipped.
 */
export function replayInstanceFrom(instanceId: string, machine: AnyStateMachine, input: unknown, events: readonly StoredEvent[]) {
  let snapshot: AnyMachineSnapshot
  try {
    snapshot = replay(machine, input as never, events.map((e) => e.event) as never) as AnyMachineSnapshot
  } catch (error) {
    if (error instanceof EventRefusedError && error.index !== null) {
      throw new StoredEventRefusedError(instanceId, events[error.index]!.sequence, error.eventType, error.state)
    }
    throw error
  }
  return { snapshot, persisted: persistSnapshot(machine, snapshot), version: events.length }
}

/** Rebuilds an instance's state from its stored events alone, ignoring the cache. */
export async function replayInstance(db: Executor, lookup: MachineLookup, instanceId: string) {
  const instance = await db.selectFrom('workflow_instance').selectAll().where('id', '=', instanceId).executeTakeFirstOrThrow()
  const machine = lookup.atVersion(instance.machine_id, instance.machine_version)
  const events = await db
    .selectFrom('workflow_event')
    .select(['sequence', 'event'])
    .where('instance_id', '=', instanceId)
    .orderBy('instance_version')
    .execute()
  return {
    machine,
    ...replayInstanceFrom(
      instanceId,
      machine,
      JSON.parse(instance.input),
      events.map((e) => ({ sequence: e.sequence, event: JSON.parse(e.event) as EventObject })),
    ),
  }
}

export interface WorkflowRecord {
  db: DB
  lookup: MachineLookup
  key: SigningKey
  append<E extends EventObject>(request: AppendRequest<E>): Promise<AppendResult>
  /** Appends several events, each its own link of the chain, all in one transaction. */
  appendAll<E extends EventObject>(requests: AppendRequest<E>[]): Promise<AppendResult[]>
  /**
   * One transaction in which `work` may append events and write the rows that go
   * with them (a sign-off, a draft): all of it lands, or none of it.
   */
  write<T>(work: (unit: WriteUnit) => Promise<T>): Promise<T>
}

export interface WriteUnit {
  trx: DB
  lookup: MachineLookup
  append<E extends EventObject>(request: AppendRequest<E>): Promise<AppendResult>
}

export function openWorkflowRecord(db: DB, lookup: MachineLookup, key: SigningKey): WorkflowRecord {
  async function appendInside(trx: DB, request: AppendRequest): Promise<AppendResult> {
    const recordedAt = (request.recordedAt ?? new Date()).toISOString()
    const existing = await loadInstance(trx, lookup, request.instance.id)
    let machine: AnyStateMachine
    let machineVersion: number
    let snapshot: AnyMachineSnapshot
    let version: number
    let instanceFields: ChainedFields['instance']
    if (existing) {
      ;({ machine, machineVersion, snapshot, version } = existing)
      instanceFields = {
        id: existing.id,
        machineId: existing.machineId,
        machineVersion,
        reportId: existing.reportId,
        subject: existing.subject,
        input: existing.input,
      }
    } else {
      if (!('machineId' in request.instance)) throw new WorkflowNotFoundError(request.instance.id)
      ;({ machine, version: machineVersion } = lookup.current(request.instance.machineId))
      ;[snapshot] = initialTransition(machine, request.instance.input) as [AnyMachineSnapshot, unknown]
      // Machines check their input; a bad one leaves the snapshot in error, which must never be stored.
      if (snapshot.status === 'error') throw new InvalidWorkflowInputError(request.instance.machineId, snapshot.error)
      version = 0
      instanceFields = {
        id: request.instance.id,
        machineId: request.instance.machineId,
        machineVersion,
        reportId: request.instance.reportId,
        subject: request.instance.subject,
        input: request.instance.input,
      }
    }
    if (version !== request.expectedVersion) throw new WorkflowConflictError(request.instance.id, request.expectedVersion, version)
    if (!snapshot.can(request.event)) throw new EventNotAllowedError(request.instance.id, request.event.type, snapshot.value)
    const [next] = transition(machine, snapshot, request.event) as [AnyMachineSnapshot, unknown]

    if (!existing) {
      await trx
        .insertInto('workflow_instance')
        .values({
          id: instanceFields.id,
          machine_id: instanceFields.machineId,
          machine_version: machineVersion,
          report_id: instanceFields.reportId,
          subject: canonicalJson(instanceFields.subject),
          input: canonicalJson(instanceFields.input ?? null),
          created_at: recordedAt,
        })
        .execute()
    }
    const head = await trx.selectFrom('workflow_event').select(['sequence', 'hash']).orderBy('sequence', 'desc').limit(1).executeTakeFirst()
    const install = await installationId(trx)
    const sequence = (head?.sequence ?? 0) + 1
    const prevHash = head?.hash ?? genesisHash(install)
    // The stored JSON is re-parsed for the hash, so what is hashed is exactly what a verifier reads back.
    const eventJson = canonicalJson(request.event)
    const fields: ChainedFields = {
      sequence,
      instance: { ...instanceFields, input: instanceFields.input ?? null },
      instanceVersion: version + 1,
      event: JSON.parse(eventJson),
      actor: request.actor,
      recordedAt,
      prevHash,
    }
    const hash = eventHash(fields)
    await trx
      .insertInto('workflow_event')
      .values({
        sequence,
        instance_id: instanceFields.id,
        instance_version: version + 1,
        event: eventJson,
        event_type: request.event.type,
        actor_user_id: request.actor.userId,
        actor_role: request.actor.role,
        recorded_at: recordedAt,
        prev_hash: prevHash,
        hash,
      })
      .execute()
    await trx
      .insertInto('chain_checkpoint')
      .values({
        sequence,
        head_hash: hash,
        key_fingerprint: key.fingerprint,
        signature: signCheckpoint(key, { installationId: install, sequence, headHash: hash }),
        signed_at: recordedAt,
      })
      .execute()
    const stored = persistSnapshot(machine, next)
    const snapshotRow = {
      version: version + 1,
      status: stored.status,
      state: typeof stored.value === 'string' ? stored.value : canonicalJson(stored.value),
      snapshot: canonicalJson(stored),
      updated_at: recordedAt,
    }
    if (existing) {
      await trx.updateTable('workflow_snapshot').set(snapshotRow).where('instance_id', '=', instanceFields.id).execute()
    } else {
      await trx
        .insertInto('workflow_snapshot')
        .values({ instance_id: instanceFields.id, ...snapshotRow })
        .execute()
    }
    return { sequence, version: version + 1, hash, snapshot: next }
  }

  async function publishHead(results: AppendResult[]) {
    const last = results.at(-1)
    if (!last) return
    // Kept outside the file so that cutting events off the tail is caught (npm run verify).
    // Written after the commit: a crash in between leaves the file one step behind, never ahead.
    const install = await installationId(db)
    const file = headFilePath(key.keyPath, install)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const current = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { sequence: number }) : null
    if (current && current.sequence >= last.sequence) return
    const body = { installationId: install, sequence: last.sequence, headHash: last.hash }
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, JSON.stringify({ ...body, signature: signCheckpoint(key, body) }))
    fs.renameSync(tmp, file)
  }

  return {
    db,
    lookup,
    key,
    async append(request) {
      const result = await immediateTransaction(db, (trx) => appendInside(trx, request as AppendRequest))
      await publishHead([result])
      return result
    },
    async appendAll(requests) {
      return this.write(async (unit) => {
        const out: AppendResult[] = []
        for (const request of requests) out.push(await unit.append(request))
        return out
      })
    },
    async write(work) {
      const appended: AppendResult[] = []
      const result = await immediateTransaction(db, (trx) =>
        work({
          trx,
          lookup,
          async append(request) {
            const r = await appendInside(trx, request as AppendRequest)
            appended.push(r)
            return r
          },
        }),
      )
      await publishHead(appended)
      return result
    },
  }
}
