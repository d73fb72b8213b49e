// The one write path for workflow state (STYLE: load → check version → restore →
// can(event) → transition → append event + hash → signed checkpoint → snapshot
// cache), in one IMMEDIATE transaction. Routes and seeds call it; nothing else
// writes workflow state.
import { createHmac, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { ExpressionBuilder } from 'kysely'
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate'
import { EventRefusedError, persistSnapshot, replay, restoreSnapshot as restorePersisted } from '../machines/replay'
import { canonicalJson } from './canonical-json'
import { eventHash, genesisHash, type ChainedFields } from './chain-hash'
import type { DB } from './client'
import { appendSecurityEvent } from './queries/auth'
import type { Database, NewSecurityEvent } from './schema'
import type { Executor } from './queries/executor'
import { headFilePath, signCheckpoint, snapshotSealKey, type SigningKey } from './signing-key'
import { immediateTransaction } from './transaction'
import { DomainError, EventNotAllowedError, InvalidWorkflowInputError, WorkflowConflictError, WorkflowNotFoundError } from './errors'

export { GENESIS_PREFIX, chainedHash, chainedJson, eventHash, genesisHash, type ChainedFields, type ChainedParts } from './chain-hash'

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

// The record's errors live in db/errors.ts (no HTTP status there); re-exported for the record's callers.
export {
  EventNotAllowedError,
  InvalidWorkflowInputError,
  UnknownMachineVersionError,
  WorkflowConflictError,
  WorkflowNotFoundError,
} from './errors'

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

export async function installationId(db: Executor): Promise<string> {
  const row = await db.selectFrom('record_meta').select('installation_id').executeTakeFirstOrThrow()
  return row.installation_id
}

/** The columns of workflow_snapshot that say something; a cache row is these plus its seal. */
interface CacheColumns {
  version: number
  status: string
  state: string
  snapshot: string
}

const stateColumn = (value: unknown) => (typeof value === 'string' ? value : canonicalJson(value))

function cacheColumns(persisted: { status: string; value: unknown }, version: number): CacheColumns {
  return { version, status: persisted.status, state: stateColumn(persisted.value), snapshot: canonicalJson(persisted) }
}

/**
 * The seal of a cache row: an HMAC over the instance, the version, the snapshot and
 * the hash of the last event it reflects. The hash ties the row to one point of the
 * chain, so a sealed row of an earlier version put back is as untrusted as a forged one.
 */
function snapshotSeal(sealKey: Buffer, instanceId: string, version: number, snapshot: string, headHash: string): string {
  return createHmac('sha256', sealKey)
    .update(canonicalJson({ kind: 'hecla-attest/snapshot-seal/v1', instanceId, version, snapshot, headHash }))
    .digest('hex')
}

interface Head {
  version: number
  hash: string
}

/**
 * Seals found to hold, by instance: every input of the HMAC (the key, the version,
 * the head's hash, the snapshot) and the seal itself, with the state and status the
 * snapshot says. A row matches only when all of them are equal, so a hit answers
 * exactly what computing the HMAC again would; a row changed in any way (a forged
 * snapshot under an old seal, an older row put back, a newer event landed) misses
 * and is checked in full. Issue 13: the canonical JSON and the HMAC of every listed
 * snapshot on every request were ≈ 20 % of a page's time on the 1M-event record.
 * One entry an instance (the latest seal that held), so it holds at most the
 * record's workflows; cleared whole past the bound rather than tracked (LRU) because
 * a record of more workflows than that is far past what a page lists. The seal is
 * compared as a plain string here: it is no secret (the file holds it beside the
 * snapshot it seals); a seal that is new to this process is checked in constant time.
 */
interface HeldSeal {
  sealKey: Buffer
  version: number
  headHash: string
  seal: string
  snapshot: string
  state: string
  status: string
  /** The snapshot parsed, frozen: shared by every request that lists this very text (`parseSnapshot`). */
  parsed: unknown
}
const heldSeals = new Map<string, HeldSeal>()
const HELD_SEALS_BOUND = 100_000

/** Whether a cache row can be shown without replaying: sealed for the instance's latest event, its copies of state and status true to its snapshot. */
function sealHolds(
  sealKey: Buffer,
  instanceId: string,
  row: { version: number; snapshot: string; seal: string | null; state?: string; status?: string },
  head: Head | undefined,
): boolean {
  if (!row.seal || !head || row.version !== head.version) return false
  let held = heldSeals.get(instanceId)
  if (
    !held ||
    held.sealKey !== sealKey ||
    held.version !== row.version ||
    held.headHash !== head.hash ||
    held.seal !== row.seal ||
    held.snapshot !== row.snapshot
  ) {
    const expected = Buffer.from(snapshotSeal(sealKey, instanceId, row.version, row.snapshot, head.hash), 'hex')
    const given = Buffer.from(row.seal, 'hex')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false
    const persisted = deepFreeze(JSON.parse(row.snapshot)) as { status: string; value: unknown }
    held = {
      sealKey,
      version: row.version,
      headHash: head.hash,
      seal: row.seal,
      snapshot: row.snapshot,
      state: stateColumn(persisted.value),
      status: persisted.status,
      parsed: persisted,
    }
    if (heldSeals.size >= HELD_SEALS_BOUND) heldSeals.clear()
    heldSeals.set(instanceId, held)
  }
  return (row.state === undefined || row.state === held.state) && (row.status === undefined || row.status === held.status)
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}

/**
 * A snapshot `trustedSnapshots` passed, parsed. When its seal is held, the parse kept with
 * it is handed out (the very same text: the comparison is of the whole string), frozen
 * because every request listing it shares it; otherwise a fresh parse. Issue 13: the
 * dashboard parsed ≈ 300 snapshots a request on the twenty-year record.
 */
export function parseSnapshot<T>(instanceId: string, snapshot: string): T {
  const held = heldSeals.get(instanceId)
  return (held !== undefined && held.snapshot === snapshot ? held.parsed : JSON.parse(snapshot)) as T
}

// The instance's latest event, by the (instance_id, instance_version) index: one
// lookup whatever the length of the history, which keeps a sealed read cheap.
type InstanceScope = ExpressionBuilder<Database & { i: Database['workflow_instance'] }, 'i'>
const latestEvent = (eb: InstanceScope) =>
  eb.selectFrom('workflow_event as e').whereRef('e.instance_id', '=', 'i.id').orderBy('e.instance_version', 'desc').limit(1)
const headColumns = (eb: InstanceScope) => [
  latestEvent(eb).select('e.instance_version').as('head_version'),
  latestEvent(eb).select('e.hash').as('head_hash'),
]

function cacheMismatchEvent(instanceId: string, seal: string, cached: CacheColumns | null, truth: CacheColumns): NewSecurityEvent {
  return {
    occurred_at: new Date().toISOString(),
    kind: 'record_cache_mismatch',
    user_id: null,
    email_attempted: null,
    ip: null,
    detail: canonicalJson({
      instanceId,
      seal,
      cached: cached ? { version: cached.version, state: cached.state } : null,
      events: { version: truth.version, state: truth.state },
    }),
  }
}

/**
 * Writes a rebuilt row, unless an event newer than the ones replayed has landed
 * meanwhile: that event's writer has already cached (and sealed) a later state.
 */
async function rewriteCache(db: Executor, instanceId: string, truth: CacheColumns, seal: string, replayedUpTo: number) {
  const updatedAt = new Date().toISOString()
  await db
    .insertInto('workflow_snapshot')
    .columns(['instance_id', 'version', 'status', 'state', 'snapshot', 'seal', 'updated_at'])
    .expression(
      db
        .selectNoFrom((eb) => [
          eb.val(instanceId).as('instance_id'),
          eb.val(truth.version).as('version'),
          eb.val(truth.status).as('status'),
          eb.val(truth.state).as('state'),
          eb.val(truth.snapshot).as('snapshot'),
          eb.val(seal).as('seal'),
          eb.val(updatedAt).as('updated_at'),
        ])
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('workflow_event')
                .select('sequence')
                .where('instance_id', '=', instanceId)
                .where('instance_version', '>', replayedUpTo),
            ),
          ),
        ),
    )
    .onConflict((oc) =>
      oc.column('instance_id').doUpdateSet((eb) => ({
        version: eb.ref('excluded.version'),
        status: eb.ref('excluded.status'),
        state: eb.ref('excluded.state'),
        snapshot: eb.ref('excluded.snapshot'),
        seal: eb.ref('excluded.seal'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute()
}

/**
 * Loads a workflow as its events say it is. With the record's key, a cache row
 * whose seal holds is used as it is (no event is read); any other row is rebuilt
 * from the events, rewritten with a fresh seal, and, when it said something the
 * events do not, a 'record_cache_mismatch' security event is logged. Without a key
 * (or with a verification-only one) the cache cannot be trusted, so every load
 * replays: correct, not cheap; pass the key (or use `record.load`).
 */
export function loadInstance(db: Executor, lookup: MachineLookup, instanceId: string, key?: SigningKey) {
  return readInstance(db, lookup, instanceId, key ?? null, null)
}

/**
 * `deferAlarm` is for reads inside a write transaction: the alarm is kept aside
 * and logged after it, so that a refused command rolling back does not take the
 * record of a forged cache with it.
 */
async function readInstance(
  db: Executor,
  lookup: MachineLookup,
  instanceId: string,
  key: SigningKey | null,
  deferAlarm: ((alarm: NewSecurityEvent) => void) | null,
) {
  const row = await db
    .selectFrom('workflow_instance as i')
    .leftJoin('workflow_snapshot as s', 's.instance_id', 'i.id')
    .select(['i.id', 'i.machine_id', 'i.machine_version', 'i.report_id', 'i.subject', 'i.input'])
    .select(['s.version', 's.status', 's.state', 's.snapshot', 's.seal'])
    // In the same statement as the cache row, so both are read at one point of the chain.
    .select(headColumns)
    .where('i.id', '=', instanceId)
    .executeTakeFirst()
  if (!row) return undefined
  const machine = lookup.atVersion(row.machine_id, row.machine_version)
  const input = JSON.parse(row.input) as unknown
  const loaded = (version: number, snapshot: string) => ({
    id: row.id,
    machineId: row.machine_id,
    machineVersion: row.machine_version,
    reportId: row.report_id,
    subject: JSON.parse(row.subject) as Record<string, unknown>,
    input,
    version,
    machine,
    /** Canonical JSON of the persisted snapshot, as the cache holds it. */
    snapshotJson: snapshot,
    snapshot: restoreSnapshot(machine, JSON.parse(snapshot)),
  })
  const head = row.head_version === null || row.head_hash === null ? undefined : { version: row.head_version, hash: row.head_hash }
  const cached =
    row.snapshot === null ? null : { version: row.version!, status: row.status!, state: row.state!, snapshot: row.snapshot, seal: row.seal }
  const sealKey = key ? snapshotSealKey(key) : null
  if (sealKey && cached && sealHolds(sealKey, row.id, cached, head)) return loaded(cached.version, cached.snapshot)

  const events = head
    ? await db
        .selectFrom('workflow_event')
        .select(['sequence', 'event'])
        .where('instance_id', '=', row.id)
        .where('instance_version', '<=', head.version)
        .orderBy('instance_version')
        .execute()
    : []
  const replayed = replayInstanceFrom(
    row.id,
    machine,
    input,
    events.map((e) => ({ sequence: e.sequence, event: JSON.parse(e.event) as EventObject })),
  )
  const truth = cacheColumns(replayed.persisted, replayed.version)
  const agrees =
    cached !== null &&
    cached.version === truth.version &&
    cached.status === truth.status &&
    cached.state === truth.state &&
    cached.snapshot === truth.snapshot
  // A row that only lacks a valid seal (written before migration 006, or under an
  // earlier key) told no lie: it is sealed again quietly. A row that disagrees with
  // the events is what someone with the file would forge, so it is logged.
  if (!agrees) {
    const seal = !sealKey ? 'unchecked' : !cached?.seal ? 'missing' : cached.version !== head?.version ? 'stale' : 'invalid'
    const alarm = cacheMismatchEvent(row.id, seal, cached, truth)
    if (deferAlarm) deferAlarm(alarm)
    else await appendSecurityEvent(db, alarm)
  }
  if (sealKey && head)
    await rewriteCache(db, row.id, truth, snapshotSeal(sealKey, row.id, truth.version, truth.snapshot, head.hash), head.version)
  return loaded(truth.version, truth.snapshot)
}

/** A row read from workflow_snapshot by a query of its own (a list, a dashboard). */
export interface CachedSnapshotRow {
  instance_id: string
  version: number
  snapshot: string
  seal: string | null
  /** When the query selects them, they are checked and corrected too. */
  state?: string
  status?: string
}

/**
 * For queries that read workflow_snapshot directly: returns their rows with
 * version, snapshot (and state, status when selected) as the events say. Rows
 * whose seal holds pass unchanged, for one query of the instances' latest events
 * and one HMAC a row; any other row goes through `loadInstance`, which rebuilds,
 * reseals and logs it. Rows of an instance the record does not hold are dropped.
 */
export async function trustedSnapshots<T extends CachedSnapshotRow>(
  db: Executor,
  lookup: MachineLookup,
  key: SigningKey,
  rows: readonly T[],
): Promise<T[]> {
  const sealKey = snapshotSealKey(key)
  const heads = new Map<string, Head>()
  const ids = [...new Set(rows.map((r) => r.instance_id))]
  // SQLite limits the variables of one statement.
  for (let i = 0; sealKey && i < ids.length; i += 500) {
    const found = await db
      .selectFrom('workflow_instance as i')
      .select('i.id')
      .select(headColumns)
      .where('i.id', 'in', ids.slice(i, i + 500))
      .execute()
    for (const h of found)
      if (h.head_version !== null && h.head_hash !== null) heads.set(h.id, { version: h.head_version, hash: h.head_hash })
  }
  const out: T[] = []
  for (const row of rows) {
    if (sealKey && sealHolds(sealKey, row.instance_id, row, heads.get(row.instance_id))) {
      out.push(row)
      continue
    }
    const truth = await loadInstance(db, lookup, row.instance_id, key)
    if (!truth) continue
    const persisted = JSON.parse(truth.snapshotJson) as { status: string; value: unknown }
    out.push({
      ...row,
      version: truth.version,
      snapshot: truth.snapshotJson,
      ...(row.state === undefined ? {} : { state: stateColumn(persisted.value) }),
      ...(row.status === undefined ? {} : { status: persisted.status }),
    })
  }
  return out
}

/**
 * A stored event the machine refuses in the state its history had reached: the
 * history and the code disagree, so nothing built on that history can be shown.
 */
export class StoredEventRefusedError extends DomainError {
  readonly code = 'stored_event_refused' as const
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
  /** `loadInstance` with the record's key: the sealed cache when it holds, the events otherwise. */
  load(instanceId: string): Promise<LoadedInstance | undefined>
}

export interface WriteUnit {
  trx: DB
  lookup: MachineLookup
  key: SigningKey
  append<E extends EventObject>(request: AppendRequest<E>): Promise<AppendResult>
  /** Something written beside the events that the after-write hook hears of too (a question on a case). */
  tell(fact: WrittenFact): void
  /** `loadInstance` inside this transaction, with the record's key. */
  load(instanceId: string): Promise<LoadedInstance | undefined>
}

export type LoadedInstance = NonNullable<Awaited<ReturnType<typeof readInstance>>>

/** An event a transaction appended, with the workflow it went to. */
export interface AppendedEvent extends AppendResult {
  instanceId: string
  machineId: string
  reportId: string | null
  subject: Record<string, unknown>
  event: EventObject
  actor: Actor
  recordedAt: string
}

/** A row written beside the events, for the hook (case messages carry no event). */
export interface WrittenFact {
  kind: 'caseMessage'
  caseId: string
  messageId: string
  messageKind: 'note' | 'question' | 'answer'
  authorUserId: string
  at: string
}

export interface RecordOptions {
  /**
   * Runs inside every write transaction, after its work, with what it appended:
   * the transactional outbox writes its mails here, so that they commit with the
   * events that cause them or not at all (docs/decisions/020). The seeds open the
   * record without it: a demo history sends nobody anything.
   */
  afterWrite?: (unit: WriteUnit, written: { events: readonly AppendedEvent[]; facts: readonly WrittenFact[] }) => Promise<void>
}

/** The size of the head file: one sector, space-padded JSON (JSON.parse reads past the padding). */
export const HEAD_FILE_BYTES = 512

/**
 * Overwrites the head file in place, one 512-byte write at offset 0, instead of a
 * temporary file renamed over it: on ext4 a rename (or truncation) that replaces
 * a file forces its blocks out (auto_da_alloc), which cost 0.1–2 ms a commit here,
 * as much as the commit's own fsync (issue 13; docs/decisions/024). A write of one
 * sector is not torn by a power cut (SQLite's own powersafe-overwrite assumption),
 * and the file never shrinks, so it always holds one whole head, old or new.
 */
export function writeHeadFile(file: string, json: string) {
  const text = json.padEnd(HEAD_FILE_BYTES)
  if (Buffer.byteLength(text) > HEAD_FILE_BYTES)
    throw new Error(`a signed head of ${Buffer.byteLength(text)} bytes does not fit the head file`)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o644)
  try {
    fs.writeSync(fd, text, 0, 'utf8')
    // A head file of the older, renamed kind is shorter; one longer than a sector is not this code's.
    if (fs.fstatSync(fd).size > HEAD_FILE_BYTES) fs.ftruncateSync(fd, HEAD_FILE_BYTES)
  } finally {
    fs.closeSync(fd)
  }
}

export function openWorkflowRecord(db: DB, lookup: MachineLookup, key: SigningKey, options: RecordOptions = {}): WorkflowRecord {
  // A file's installation id is written once, by its first migration, and never changes.
  let install: string | undefined
  const installationOf = async (executor: Executor) => (install ??= await installationId(executor))

  async function appendInside(
    trx: DB,
    request: AppendRequest,
    alarms: NewSecurityEvent[],
    chain: { head?: { sequence: number; hash: string } | null },
    written?: AppendedEvent[],
  ): Promise<AppendResult> {
    const recordedAt = (request.recordedAt ?? new Date()).toISOString()
    // Decides can(event) on the events' truth: a forged cache row is rebuilt (and logged) here, never acted on.
    const existing = await readInstance(trx, lookup, request.instance.id, key, (alarm) => alarms.push(alarm))
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
    // The chain's head, read once a transaction: the transaction holds the write lock, so after that it is what it last appended.
    const head =
      chain.head !== undefined
        ? chain.head
        : ((await trx.selectFrom('workflow_event').select(['sequence', 'hash']).orderBy('sequence', 'desc').limit(1).executeTakeFirst()) ??
          null)
    const install = await installationOf(trx)
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
    // The state it leads to, derived and kept beside the event for the history's "from → to" (migration 016; verify recomputes it).
    await trx
      .insertInto('workflow_event_state')
      .values({ sequence, state_value: canonicalJson(next.value) })
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
    const cached = cacheColumns(persistSnapshot(machine, next), version + 1)
    const sealKey = snapshotSealKey(key)
    const snapshotRow = {
      ...cached,
      seal: sealKey ? snapshotSeal(sealKey, instanceFields.id, cached.version, cached.snapshot, hash) : null,
      updated_at: recordedAt,
    }
    // An upsert: a workflow whose cache row went missing is still an existing workflow.
    await trx
      .insertInto('workflow_snapshot')
      .values({ instance_id: instanceFields.id, ...snapshotRow })
      .onConflict((oc) => oc.column('instance_id').doUpdateSet(snapshotRow))
      .execute()
    const result = { sequence, version: version + 1, hash, snapshot: next }
    chain.head = { sequence, hash }
    written?.push({
      ...result,
      instanceId: instanceFields.id,
      machineId: instanceFields.machineId,
      reportId: instanceFields.reportId,
      subject: instanceFields.subject as Record<string, unknown>,
      event: request.event,
      actor: request.actor,
      recordedAt,
    })
    return result
  }

  /** Runs a transaction, then logs the alarms its reads raised, whether it committed or rolled back. */
  async function afterwardsLogging<T>(alarms: NewSecurityEvent[], transaction: () => Promise<T>): Promise<T> {
    try {
      return await transaction()
    } finally {
      for (const alarm of alarms) await appendSecurityEvent(db, alarm)
    }
  }

  async function publishHead(results: AppendResult[]) {
    const last = results.at(-1)
    if (!last) return
    // Kept outside the file so that cutting events off the tail is caught (npm run verify).
    // Written after the commit: a crash in between leaves the file one step behind, never ahead.
    const installation = await installationOf(db)
    const file = headFilePath(key.keyPath, installation)
    const current = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { sequence: number }) : null
    if (current && current.sequence >= last.sequence) return
    const body = { installationId: installation, sequence: last.sequence, headHash: last.hash }
    writeHeadFile(file, JSON.stringify({ ...body, signature: signCheckpoint(key, body) }))
  }

  return {
    db,
    lookup,
    key,
    async append(request) {
      // Through write, so that the after-write hook sees a lone event too.
      return this.write((unit) => unit.append(request))
    },
    async appendAll(requests) {
      return this.write(async (unit) => {
        const out: AppendResult[] = []
        for (const request of requests) out.push(await unit.append(request))
        return out
      })
    },
    load(instanceId) {
      return loadInstance(db, lookup, instanceId, key)
    },
    async write(work) {
      const appended: AppendedEvent[] = []
      const facts: WrittenFact[] = []
      const alarms: NewSecurityEvent[] = []
      const chain: { head?: { sequence: number; hash: string } | null } = {}
      const result = await afterwardsLogging(alarms, () =>
        immediateTransaction(db, async (trx) => {
          const unit: WriteUnit = {
            trx,
            lookup,
            key,
            load: (instanceId) => readInstance(trx, lookup, instanceId, key, (alarm) => alarms.push(alarm)),
            append: (request) => appendInside(trx, request as AppendRequest, alarms, chain, appended),
            tell: (fact) => facts.push(fact),
          }
          const out = await work(unit)
          if (options.afterWrite && (appended.length > 0 || facts.length > 0)) await options.afterWrite(unit, { events: appended, facts })
          return out
        }),
      )
      await publishHead(appended)
      return result
    },
  }
}
