// Recomputes the record's hash chain from a database file (the live one, a backup
// or a copy) and checks every signed checkpoint with the key kept outside it.
import fs from 'node:fs'
import SQLite from 'better-sqlite3'
import { canonicalJson } from './canonical-json'
import { headFilePath, verifyCheckpoint, type SigningKey } from './signing-key'
import { eventHash, genesisHash, replayInstanceFrom, StoredEventRefusedError, type MachineLookup } from './workflow-record'

export interface VerifyProblem {
  sequence: number | null
  message: string
}

export interface VerifyReport {
  ok: boolean
  events: number
  instances: number
  /** The first sequence number at which the chain does not hold, if any. */
  firstBrokenSequence: number | null
  problems: VerifyProblem[]
  warnings: string[]
}

interface EventRow {
  sequence: number
  instance_id: string
  instance_version: number
  event: string
  actor_user_id: string | null
  actor_role: string
  recorded_at: string
  prev_hash: string
  hash: string
}

interface InstanceRow {
  id: string
  machine_id: string
  machine_version: number
  report_id: string | null
  subject: string
  input: string
}

export function verifyRecord(options: {
  file: string
  key: SigningKey
  lookup?: MachineLookup
  /** A backup may end before the latest head signed outside the file; say so rather than fail. */
  olderCopy?: boolean
}): VerifyReport {
  if (!fs.existsSync(options.file)) throw new Error(`No database file at ${options.file}`)
  const sqlite = new SQLite(options.file, { readonly: true, fileMustExist: true })
  const problems: VerifyProblem[] = []
  const warnings: string[] = []
  try {
    const meta = sqlite.prepare('SELECT installation_id FROM record_meta').all() as { installation_id: string }[]
    if (meta.length !== 1) {
      problems.push({ sequence: null, message: `record_meta holds ${meta.length} rows, not one` })
      return finish(0, 0)
    }
    const install = meta[0]!.installation_id
    const instances = new Map(
      (
        sqlite.prepare('SELECT id, machine_id, machine_version, report_id, subject, input FROM workflow_instance').all() as InstanceRow[]
      ).map((i) => [i.id, i]),
    )
    const checkpoints = new Map(
      (
        sqlite.prepare('SELECT sequence, head_hash, key_fingerprint, signature FROM chain_checkpoint').all() as {
          sequence: number
          head_hash: string
          key_fingerprint: string
          signature: string
        }[]
      ).map((c) => [c.sequence, c]),
    )
    const events = sqlite
      .prepare(
        'SELECT sequence, instance_id, instance_version, event, actor_user_id, actor_role, recorded_at, prev_hash, hash FROM workflow_event ORDER BY sequence',
      )
      .all() as EventRow[]

    let prevHash = genesisHash(install)
    const versions = new Map<string, number>()
    events.forEach((row, index) => {
      const expectedSequence = index + 1
      if (row.sequence !== expectedSequence) {
        problems.push({ sequence: expectedSequence, message: `event ${expectedSequence} is missing (the next stored is ${row.sequence})` })
      }
      const instance = instances.get(row.instance_id)
      if (!instance) {
        problems.push({ sequence: row.sequence, message: `event ${row.sequence} names an instance that is not stored` })
        prevHash = row.hash
        return
      }
      const expectedVersion = (versions.get(row.instance_id) ?? 0) + 1
      versions.set(row.instance_id, expectedVersion)
      if (row.instance_version !== expectedVersion) {
        problems.push({
          sequence: row.sequence,
          message: `event ${row.sequence} is version ${row.instance_version} of ${row.instance_id}; version ${expectedVersion} was expected`,
        })
      }
      if (row.prev_hash !== prevHash) {
        problems.push({ sequence: row.sequence, message: `event ${row.sequence} does not link to the event before it` })
      }
      let recomputed: string
      try {
        recomputed = eventHash({
          sequence: row.sequence,
          instance: {
            id: instance.id,
            machineId: instance.machine_id,
            machineVersion: instance.machine_version,
            reportId: instance.report_id,
            subject: JSON.parse(instance.subject),
            input: JSON.parse(instance.input),
          },
          instanceVersion: row.instance_version,
          event: JSON.parse(row.event),
          actor: { userId: row.actor_user_id, role: row.actor_role },
          recordedAt: row.recorded_at,
          prevHash: row.prev_hash,
        })
      } catch {
        recomputed = ''
      }
      if (recomputed !== row.hash) {
        problems.push({
          sequence: row.sequence,
          message: `event ${row.sequence}: its content does not match its hash (edited after it was written)`,
        })
      }
      const checkpoint = checkpoints.get(row.sequence)
      if (!checkpoint) {
        problems.push({ sequence: row.sequence, message: `event ${row.sequence} has no signed checkpoint` })
      } else if (
        checkpoint.head_hash !== row.hash ||
        !verifyCheckpoint(options.key, { installationId: install, sequence: row.sequence, headHash: row.hash }, checkpoint.signature)
      ) {
        problems.push({
          sequence: row.sequence,
          message: `event ${row.sequence}: the signed checkpoint does not verify with the key at ${options.key.keyPath}`,
        })
      }
      prevHash = row.hash
    })
    for (const sequence of checkpoints.keys()) {
      if (sequence > events.length)
        problems.push({ sequence, message: `a checkpoint is signed for event ${sequence}, which the file does not hold` })
    }

    const headFile = headFilePath(options.key.keyPath, install)
    if (fs.existsSync(headFile)) {
      const head = JSON.parse(fs.readFileSync(headFile, 'utf8')) as { sequence: number; headHash: string; signature: string }
      const { signature, ...claim } = head
      if (!verifyCheckpoint(options.key, { installationId: install, sequence: claim.sequence, headHash: claim.headHash }, signature)) {
        problems.push({ sequence: null, message: `the signed head in ${headFile} does not verify` })
      } else if (head.sequence > events.length) {
        const message = `the file ends at event ${events.length}, but a head at event ${head.sequence} was signed: events were cut off the tail, or this is an older copy`
        if (options.olderCopy) warnings.push(message)
        else problems.push({ sequence: events.length + 1, message })
      } else if (events[head.sequence - 1]?.hash !== head.headHash) {
        problems.push({ sequence: head.sequence, message: `event ${head.sequence} is not the one whose head was signed outside the file` })
      }
    } else {
      warnings.push(`No signed head outside the file (${headFile}); a cut tail cannot be ruled out.`)
    }

    if (options.lookup) {
      const cache = sqlite.prepare('SELECT instance_id, version, snapshot FROM workflow_snapshot').all() as {
        instance_id: string
        version: number
        snapshot: string
      }[]
      const byInstance = new Map<string, EventRow[]>()
      for (const e of events) {
        const list = byInstance.get(e.instance_id)
        if (list) list.push(e)
        else byInstance.set(e.instance_id, [e])
      }
      for (const row of cache) {
        const instance = instances.get(row.instance_id)
        if (!instance) continue
        try {
          const replayed = replayInstanceFrom(
            row.instance_id,
            options.lookup.atVersion(instance.machine_id, instance.machine_version),
            JSON.parse(instance.input),
            (byInstance.get(row.instance_id) ?? []).map((e) => ({ sequence: e.sequence, event: JSON.parse(e.event) })),
          )
          if (canonicalJson(replayed.persisted) !== row.snapshot || replayed.version !== row.version) {
            warnings.push(`The cached state of ${row.instance_id} differs from its events; the events are the truth (rebuild the cache).`)
          }
        } catch (error) {
          if (error instanceof StoredEventRefusedError) problems.push({ sequence: error.sequence, message: error.message })
          else problems.push({ sequence: null, message: `${row.instance_id} cannot be replayed: ${(error as Error).message}` })
        }
      }
    }
    return finish(events.length, instances.size)
  } finally {
    sqlite.close()
  }

  function finish(events: number, instanceCount: number): VerifyReport {
    const sequences = problems.map((p) => p.sequence).filter((s): s is number => s !== null)
    return {
      ok: problems.length === 0,
      events,
      instances: instanceCount,
      firstBrokenSequence: sequences.length ? Math.min(...sequences) : null,
      problems,
      warnings,
    }
  }
}
