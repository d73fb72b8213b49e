// The verifier's pass over the chain, one segment of it at a time (issue 13;
// docs/decisions/024): every link, every hash, every checkpoint's head, each
// event's version within its workflow, in sequence order. A segment needs only
// what precedes it: the stored hash of the row before it, how many rows come
// before it, and each workflow's count of earlier events. So the chain check can
// run as two segments on two cores (db/verify-chain-worker.ts) and report exactly
// what one pass reports. Imports nothing heavier than the hash, so that its
// thread starts fast.
import type SQLite from 'better-sqlite3'
import { canonicalJson } from './canonical-json'
import { type ChainedFields, chainedHash, eventHash } from './chain-hash'
import { verifyCheckpoint, type SentVerificationKey, type SigningKey } from './signing-key'
import type { VerifyProblem } from './verify'

export interface EventRow {
  sequence: number
  instance_id: string
  instance_version: number
  event: string
  event_type: string
  actor_user_id: string | null
  actor_role: string
  recorded_at: string
  prev_hash: string
  hash: string
}

export interface InstanceRow {
  id: string
  machine_id: string
  machine_version: number
  report_id: string | null
  subject: string
  input: string
}

/** Every workflow of the file, by id: the fields its events' hashes cover. */
export function readInstanceRows(sqlite: SQLite.Database): Map<string, InstanceRow> {
  const rows = sqlite
    .prepare('SELECT id, machine_id, machine_version, report_id, subject, input FROM workflow_instance')
    .all() as InstanceRow[]
  return new Map(rows.map((i) => [i.id, i]))
}

/** What every verifier thread is handed (db/verify-chain-worker.ts, db/verify-worker.ts): its entry, the file, the key. */
export interface VerifierThreadTask extends SentVerificationKey {
  entry: string
  file: string
  installationId: string
}

/** An event that carries a signature id (a duty.sign, an act), kept for the sign-offs' and signatures' checks. */
export interface CarrierRow {
  sequence: number
  instance_id: string
  event_type: string
  event: string
  actor_user_id: string | null
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** What an event's hash is taken over, from its stored row and its workflow's (also the receipts', db/receipt.ts). */
export function chainedFields(
  row: Pick<EventRow, 'sequence' | 'instance_version' | 'event' | 'actor_user_id' | 'actor_role' | 'recorded_at' | 'prev_hash'>,
  instance: InstanceRow,
): ChainedFields {
  return {
    sequence: row.sequence,
    instance: {
      id: instance.id,
      machineId: instance.machine_id,
      machineVersion: instance.machine_version,
      reportId: instance.report_id,
      subject: JSON.parse(instance.subject) as unknown,
      input: JSON.parse(instance.input) as unknown,
    },
    instanceVersion: row.instance_version,
    event: JSON.parse(row.event) as unknown,
    actor: { userId: row.actor_user_id, role: row.actor_role },
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
  }
}

export function recomputedHash(row: EventRow, instance: InstanceRow): string {
  try {
    return eventHash(chainedFields(row, instance))
  } catch {
    return ''
  }
}

/** The canonical JSON of a workflow's chained fields, once per workflow; '' when its row cannot be read as JSON. */
function instanceJsonOf(instance: InstanceRow): string {
  try {
    return canonicalJson(chainedFields({ event: 'null' } as EventRow, instance).instance)
  } catch {
    return ''
  }
}

export interface ChainSegment {
  /** The first sequence of the segment; the segment runs to `to` (inclusive). */
  from: number
  to: number
  /** Rows stored before `from`. */
  rowsBefore: number
  /** The stored hash of the row before `from` (the genesis hash for the first segment). */
  prevHash: string
  /** Per workflow, its events stored before `from`. */
  versionsBefore: Map<string, number>
  /** The position (1-based, in rows) whose stored hash the head outside the file names, if any. */
  headPosition: number | null
  /** Which checkpoint signatures this segment checks ('none': somebody else does). */
  signatures: 'every' | 'none'
}

export interface ChainSegmentResult {
  problems: VerifyProblem[]
  rows: number
  dutySignCarriers: Array<[string, CarrierRow[]]>
  actCarriers: Array<[string, CarrierRow[]]>
  hashAtHeadPosition: string | undefined
  /** The segment's newest row, and its checkpoint's signature when that checkpoint's head is its hash. */
  last: { sequence: number; hash: string; fingerprint: string; signature: string | null } | null
}

/** What a segment after the first needs to know of the rows before it, read from the file. */
export function segmentStart(
  sqlite: SQLite.Database,
  from: number,
  genesis: string,
): Omit<ChainSegment, 'to' | 'headPosition' | 'signatures'> {
  const before = sqlite.prepare('SELECT hash FROM workflow_event WHERE sequence < ? ORDER BY sequence DESC LIMIT 1').get(from) as
    { hash: string } | undefined
  const versionsBefore = new Map<string, number>()
  let rowsBefore = 0
  for (const r of sqlite
    .prepare('SELECT instance_id, COUNT(*) AS n FROM workflow_event WHERE sequence < ? GROUP BY instance_id')
    .all(from) as { instance_id: string; n: number }[]) {
    versionsBefore.set(r.instance_id, r.n)
    rowsBefore += r.n
  }
  return { from, rowsBefore, prevHash: before?.hash ?? genesis, versionsBefore }
}

/**
 * One segment of the chain. Raw rows (arrays) and no object or closure per row:
 * at a million rows, allocation is most of the cost.
 */
export function checkChainSegment(
  sqlite: SQLite.Database,
  key: SigningKey,
  install: string,
  instances: ReadonlyMap<string, InstanceRow>,
  segment: ChainSegment,
): ChainSegmentResult {
  const problems: VerifyProblem[] = []
  const problem = (row: number, message: string) => problems.push({ sequence: row, table: 'workflow_event', row: String(row), message })
  const at = (sequence: number, message: string) => problem(sequence, `workflow_event ${sequence}: ${message}`)
  const checkpointFails = (sequence: number, fingerprint: string) => {
    const otherKey =
      fingerprint === key.fingerprint
        ? ''
        : ` (the checkpoint names key ${fingerprint.slice(0, 16)}…, this key is ${key.fingerprint.slice(0, 16)}…)`
    at(sequence, `the signed checkpoint does not verify with the key at ${key.keyPath}${otherKey}`)
  }
  const instanceJson = new Map<string, string>()
  const versions = new Map(segment.versionsBefore)
  const dutySignCarriers = new Map<string, CarrierRow[]>()
  const actCarriers = new Map<string, CarrierRow[]>()
  const carrier = (r: readonly unknown[]): CarrierRow => ({
    sequence: r[0] as number,
    instance_id: r[1] as string,
    event_type: r[4] as string,
    event: r[3] as string,
    actor_user_id: r[5] as string | null,
  })
  let prevHash = segment.prevHash
  let index = segment.rowsBefore
  let hashAtHeadPosition: string | undefined
  let last: ChainSegmentResult['last'] = null
  const actor = { userId: null as string | null, role: '' }
  const rows = sqlite
    .prepare(
      'SELECT e.sequence, e.instance_id, e.instance_version, e.event, e.event_type, e.actor_user_id, e.actor_role, e.recorded_at, ' +
        'e.prev_hash, e.hash, c.head_hash, c.key_fingerprint, c.signature ' +
        'FROM workflow_event e LEFT JOIN chain_checkpoint c ON c.sequence = e.sequence WHERE e.sequence BETWEEN ? AND ? ORDER BY e.sequence',
    )
    .raw(true)
    .iterate(segment.from, segment.to) as IterableIterator<
    [number, string, number, string, string, string | null, string, string, string, string, string | null, string | null, string | null]
  >
  for (const r of rows) {
    const [sequence, instanceId, instanceVersion, event, eventType, actorUserId, actorRole, recordedAt, storedPrev, hash] = r
    const [checkpointHead, checkpointFingerprint, checkpointSignature] = [r[10], r[11], r[12]]
    index += 1
    if (index === segment.headPosition) hashAtHeadPosition = hash
    if (eventType === 'duty.sign') {
      const id = String((parseJson(event) as { signatureId?: unknown } | undefined)?.signatureId)
      const list = dutySignCarriers.get(id)
      if (list) list.push(carrier(r))
      else dutySignCarriers.set(id, [carrier(r)])
    } else if (event.includes('"signatureId"')) {
      // Only an event whose text names a signatureId can carry one; the rest are not parsed.
      const id = (parseJson(event) as { signatureId?: unknown } | undefined)?.signatureId
      if (id !== undefined) {
        const list = actCarriers.get(String(id))
        if (list) list.push(carrier(r))
        else actCarriers.set(String(id), [carrier(r)])
      }
    }
    if (sequence !== index) problem(index, `workflow_event ${index} is missing (the next stored is ${sequence})`)
    const instance = instances.get(instanceId)
    if (!instance) {
      at(sequence, `names ${instanceId}, a workflow that is not stored`)
      prevHash = hash
      continue
    }
    const expectedVersion = (versions.get(instanceId) ?? 0) + 1
    versions.set(instanceId, expectedVersion)
    if (instanceVersion !== expectedVersion)
      at(sequence, `is version ${instanceVersion} of ${instanceId}; version ${expectedVersion} was expected`)
    if (storedPrev !== prevHash) at(sequence, 'does not link to the event before it (its prev_hash is not that event’s hash)')
    let json = instanceJson.get(instanceId)
    if (json === undefined) instanceJson.set(instanceId, (json = instanceJsonOf(instance)))
    actor.userId = actorUserId
    actor.role = actorRole
    // The stored text as it is; only when that misses, the parsed and re-serialised form (exactly the old check).
    const hashHolds =
      chainedHash({ sequence, instanceJson: json, instanceVersion, eventJson: event, actor, recordedAt, prevHash: storedPrev }) === hash ||
      recomputedHash(
        {
          sequence,
          instance_id: instanceId,
          instance_version: instanceVersion,
          event,
          event_type: eventType,
          actor_user_id: actorUserId,
          actor_role: actorRole,
          recorded_at: recordedAt,
          prev_hash: storedPrev,
          hash,
        },
        instance,
      ) === hash
    if (!hashHolds) at(sequence, 'its content does not match its hash (edited after it was written)')
    const headHolds = checkpointHead === hash
    if (checkpointHead === null) at(sequence, 'has no signed checkpoint')
    else if (!headHolds) checkpointFails(sequence, checkpointFingerprint!)
    else if (
      segment.signatures === 'every' &&
      !verifyCheckpoint(key, { installationId: install, sequence, headHash: hash }, checkpointSignature!)
    )
      checkpointFails(sequence, checkpointFingerprint!)
    prevHash = hash
    if (last === null) last = { sequence, hash, fingerprint: '', signature: null }
    last.sequence = sequence
    last.hash = hash
    last.fingerprint = checkpointFingerprint ?? ''
    last.signature = headHolds ? checkpointSignature : null
  }
  return {
    problems,
    rows: index - segment.rowsBefore,
    dutySignCarriers: [...dutySignCarriers],
    actCarriers: [...actCarriers],
    hashAtHeadPosition,
    last,
  }
}
