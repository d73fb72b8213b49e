// The JSON evidence bundle (docs/decisions/018): everything needed to check a
// report's sign-offs — or the whole record's — offline, with no database and no
// trust in the app: the included workflows (machine id and version, subject,
// input, the state their events replay to), every event of the chain up to the
// head at export time (in full for the included workflows, as a bare link —
// sequence, prev_hash, hash — for every other, so the included events chain to a
// signed checkpoint without telling other workflows' contents), the signed
// checkpoints of the included events and of the head, the sign-offs and
// signatures of acts with their manifestations, and the public key.
//
// Included in full: the report-lifecycle and duty-review workflows (of the report,
// or of every report). Reported matters (cases) and Board determinations are
// links only: their contents are for their recipients (docs/decisions/013).
//
// Written piece by piece (an async generator of JSON text), never built whole.
import type { KeyObject } from 'node:crypto'
import { Readable } from 'node:stream'
import type { Executor } from '../queries/executor'
import type { SigningKey } from '../signing-key'
import { genesisHash, installationId, replayInstanceFrom, type MachineLookup } from '../workflow-record'

export const BUNDLE_KIND = 'hecla-attest/evidence-bundle/v1'

/** The machines whose workflows a bundle holds in full. */
export const BUNDLED_MACHINES = ['report-lifecycle', 'duty-review'] as const

export interface BundleWorkflow {
  id: string
  machineId: string
  machineVersion: number
  reportId: string | null
  subject: unknown
  input: unknown
  /** What its events, replayed through (machineId, machineVersion), come to at the bundle's head. */
  state: { version: number; status: string; value: unknown }
}

/** A link of the chain: a bare link for an event of a workflow not in the bundle, or the event with every field its hash covers. */
export interface BundleLink {
  sequence: number
  prevHash: string
  hash: string
  instanceId?: string
  instanceVersion?: number
  event?: unknown
  actor?: { userId: string | null; role: string }
  recordedAt?: string
}

export interface BundleCheckpoint {
  sequence: number
  headHash: string
  keyFingerprint: string
  signature: string
}

export interface BundleSignOff {
  id: string
  workflowInstanceId: string
  workflowSequence: number
  manifestation: unknown
}

export interface EvidenceBundle {
  kind: typeof BUNDLE_KIND
  scope: { reportId: string | null }
  exportedAt: string
  installationId: string
  genesisHash: string
  publicKey: { pem: string; fingerprint: string }
  machines: Array<{ machineId: string; version: number }>
  workflows: BundleWorkflow[]
  chain: BundleLink[]
  checkpoints: BundleCheckpoint[]
  signOffs: BundleSignOff[]
  signatures: BundleSignOff[]
  head: BundleCheckpoint
}

const PAGE = 500

/** What a writer reports as it goes, for a page's progress or a terminal. */
export interface BundleProgress {
  items: number
}

/**
 * The bundle's JSON text, a piece at a time. Null when the report does not exist
 * or the record holds no event. Everything is read up to the head as it stands
 * when the export starts; later events are left out.
 */
export async function evidenceBundleChunks(
  db: Executor,
  options: { lookup: MachineLookup; key: Pick<SigningKey, 'publicKey' | 'fingerprint'>; reportId: string | null; now: Date },
): Promise<AsyncGenerator<string> | null> {
  if (options.reportId !== null) {
    const report = await db.selectFrom('periodic_report').select('id').where('id', '=', options.reportId).executeTakeFirst()
    if (!report) return null
  }
  const headRow = await db.selectFrom('chain_checkpoint').selectAll().orderBy('sequence', 'desc').limit(1).executeTakeFirst()
  if (!headRow) return null
  const head = headRow.sequence
  const install = await installationId(db)
  const instances = await db
    .selectFrom('workflow_instance')
    .select(['id', 'machine_id', 'machine_version', 'report_id', 'subject', 'input'])
    .where('machine_id', 'in', [...BUNDLED_MACHINES])
    .$if(options.reportId !== null, (qb) => qb.where('report_id', '=', options.reportId!))
    .orderBy('id')
    .execute()
  const included = new Set(instances.map((i) => i.id))
  const pem = (options.key.publicKey as KeyObject).export({ type: 'spki', format: 'pem' }).toString()
  const machines = [...new Set(instances.map((i) => `${i.machine_id}@${i.machine_version}`))].sort().map((m) => {
    const [machineId, version] = m.split('@') as [string, string]
    return { machineId, version: Number(version) }
  })

  async function* chunks(): AsyncGenerator<string> {
    const field = (name: string, value: unknown) => `${JSON.stringify(name)}:${JSON.stringify(value)}`
    yield `{${field('kind', BUNDLE_KIND)},\n${field('scope', { reportId: options.reportId })},\n${field('exportedAt', options.now.toISOString())},\n`
    yield `${field('installationId', install)},\n${field('genesisHash', genesisHash(install))},\n`
    yield `${field('publicKey', { pem, fingerprint: options.key.fingerprint })},\n${field('machines', machines)},\n`

    yield '"workflows":['
    let first = true
    for (const i of instances) {
      const events = await db
        .selectFrom('workflow_event')
        .select(['sequence', 'event'])
        .where('instance_id', '=', i.id)
        .where('sequence', '<=', head)
        .orderBy('instance_version')
        .execute()
      const replayed = replayInstanceFrom(
        i.id,
        options.lookup.atVersion(i.machine_id, i.machine_version),
        JSON.parse(i.input),
        events.map((e) => ({ sequence: e.sequence, event: JSON.parse(e.event) })),
      )
      const workflow: BundleWorkflow = {
        id: i.id,
        machineId: i.machine_id,
        machineVersion: i.machine_version,
        reportId: i.report_id,
        subject: JSON.parse(i.subject),
        input: JSON.parse(i.input),
        state: { version: replayed.version, status: replayed.persisted.status, value: replayed.persisted.value },
      }
      yield `${first ? '' : ','}\n${JSON.stringify(workflow)}`
      first = false
    }

    yield '],\n"chain":['
    let after = 0
    first = true
    for (;;) {
      const rows = await db
        .selectFrom('workflow_event')
        .select(['sequence', 'instance_id', 'instance_version', 'event', 'actor_user_id', 'actor_role', 'recorded_at', 'prev_hash', 'hash'])
        .where('sequence', '>', after)
        .where('sequence', '<=', head)
        .orderBy('sequence')
        .limit(PAGE)
        .execute()
      if (rows.length === 0) break
      let text = ''
      for (const r of rows) {
        const link: BundleLink = included.has(r.instance_id)
          ? {
              sequence: r.sequence,
              prevHash: r.prev_hash,
              hash: r.hash,
              instanceId: r.instance_id,
              instanceVersion: r.instance_version,
              event: JSON.parse(r.event),
              actor: { userId: r.actor_user_id, role: r.actor_role },
              recordedAt: r.recorded_at,
            }
          : { sequence: r.sequence, prevHash: r.prev_hash, hash: r.hash }
        text += `${first ? '' : ','}\n${JSON.stringify(link)}`
        first = false
      }
      yield text
      after = rows.at(-1)!.sequence
    }

    // The checkpoints of the included events and the head's.
    yield '],\n"checkpoints":['
    after = 0
    first = true
    for (;;) {
      const rows = await db
        .selectFrom('chain_checkpoint as c')
        .innerJoin('workflow_event as e', 'e.sequence', 'c.sequence')
        .select(['c.sequence', 'c.head_hash', 'c.key_fingerprint', 'c.signature', 'e.instance_id'])
        .where('c.sequence', '>', after)
        .where('c.sequence', '<=', head)
        .orderBy('c.sequence')
        .limit(PAGE)
        .execute()
      if (rows.length === 0) break
      let text = ''
      for (const r of rows) {
        if (!included.has(r.instance_id) && r.sequence !== head) continue
        const checkpoint: BundleCheckpoint = {
          sequence: r.sequence,
          headHash: r.head_hash,
          keyFingerprint: r.key_fingerprint,
          signature: r.signature,
        }
        text += `${first ? '' : ','}\n${JSON.stringify(checkpoint)}`
        first = false
      }
      if (text) yield text
      after = rows.at(-1)!.sequence
    }

    for (const table of ['sign_off', 'signature'] as const) {
      yield table === 'sign_off' ? '],\n"signOffs":[' : '],\n"signatures":['
      first = true
      const rows = await db
        .selectFrom(table)
        .select(['id', 'workflow_instance_id', 'workflow_sequence', 'manifestation'])
        .where('workflow_sequence', '<=', head)
        .$if(options.reportId !== null, (qb) => qb.where('report_id', '=', options.reportId!))
        .orderBy('workflow_sequence')
        .execute()
      for (const r of rows) {
        if (!included.has(r.workflow_instance_id)) continue
        const entry: BundleSignOff = {
          id: r.id,
          workflowInstanceId: r.workflow_instance_id,
          workflowSequence: r.workflow_sequence,
          manifestation: JSON.parse(r.manifestation),
        }
        yield `${first ? '' : ','}\n${JSON.stringify(entry)}`
        first = false
      }
    }
    const headCheckpoint: BundleCheckpoint = {
      sequence: headRow!.sequence,
      headHash: headRow!.head_hash,
      keyFingerprint: headRow!.key_fingerprint,
      signature: headRow!.signature,
    }
    yield `],\n${field('head', headCheckpoint)}}\n`
  }
  return chunks()
}

/** The bundle as a byte stream, for a response or a file. */
export function bundleReadable(chunks: AsyncGenerator<string>): Readable {
  return Readable.from(chunks, { objectMode: false })
}
