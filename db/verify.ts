// Checks a database file (the live one, a backup or a copy) against itself and
// against the key kept outside it: the hash chain, every signed checkpoint, the
// signed head, every workflow replayed from its events against its cached state,
// every sign-off against its manifestation and its duty.sign event, and every
// signature of an act (a committee's step, an approval for filing, a Board
// determination) against its manifestation and the event that carries it. Needs
// only the public key.
import fs from 'node:fs'
import os from 'node:os'
import { Worker } from 'node:worker_threads'
import SQLite from 'better-sqlite3'
import type { EventObject } from 'xstate'
import { KEPT_TABLES, type KeptRowEvent, type KeptTable } from '../machines/kept-rows'
import { EventRefusedError, persistSnapshot, replayStates } from '../machines/replay'
import { canonicalJson } from './canonical-json'
import {
  checkChainSegment,
  parseJson,
  readInstanceRows,
  recomputedHash,
  type CarrierRow,
  type ChainSegmentResult,
  type EventRow,
  type InstanceRow,
  type VerifierThreadTask,
} from './verify-chain'
import { instanceId } from './ids'
import { KEPT_ROW_KEY, keptRowHash } from './kept-rows'
import { machineLookup } from './machine-lookup'
import type { ChainWorkerTask } from './verify-chain-worker'
import type { Executor } from './queries/executor'
import { actManifestationHash, manifestationHash } from './sign-off'
import { headFilePath, sentVerificationKey, verifyCheckpoint, type SigningKey } from './signing-key'
import { genesisHash, installationId, loadInstance, StoredEventRefusedError, type MachineLookup } from './workflow-record'

/** The tables whose rows verify names. */
export type RecordTable =
  | 'record_meta'
  | 'workflow_instance'
  | 'workflow_event'
  | 'chain_checkpoint'
  | 'workflow_snapshot'
  | 'workflow_event_state'
  | 'sign_off'
  | 'signature'
  | 'title_assignment'
  | 'membership'
  | 'outbox_message'
  | KeptTable

export interface VerifyProblem {
  /** The event at which the chain does not hold, when the problem is one of the chain's. */
  sequence: number | null
  /** The row at fault: its table and its key (a sequence, an instance id, a sign-off id). */
  table: RecordTable | null
  row: string | null
  message: string
}

export interface VerifyReport {
  ok: boolean
  events: number
  instances: number
  signOffs: number
  /** Signatures of acts (committees' steps, approvals for filing, Board determinations). */
  signatures: number
  /** The first sequence number at which the chain does not hold, if any. */
  firstBrokenSequence: number | null
  problems: VerifyProblem[]
  warnings: string[]
}

export interface SignOffRow {
  id: string
  report_id: string
  duty_number: number
  officer_user_id: string
  officer_role: string
  draft_id: string | null
  draft_sha256: string | null
  meaning: string
  meaning_text: string
  printed_name: string
  title: string
  signed_at: string
  signed_at_local: string
  time_zone: string
  manifestation: string
  workflow_instance_id: string
  workflow_sequence: number
}

const SIGN_OFF_COLUMNS =
  'id, report_id, duty_number, officer_user_id, officer_role, draft_id, draft_sha256, meaning, meaning_text, printed_name, title, ' +
  'signed_at, signed_at_local, time_zone, manifestation, workflow_instance_id, workflow_sequence'

export interface SignatureRow {
  id: string
  act: string
  capacity: string
  report_id: string | null
  signer_user_id: string
  meaning_text: string
  note: string | null
  printed_name: string
  title: string
  signed_at: string
  signed_at_local: string
  time_zone: string
  manifestation: string
  workflow_instance_id: string
  workflow_sequence: number
}

const SIGNATURE_COLUMNS =
  'id, act, capacity, report_id, signer_user_id, meaning_text, note, printed_name, title, signed_at, signed_at_local, time_zone, ' +
  'manifestation, workflow_instance_id, workflow_sequence'

/** The event that records each act, by act; a Board determination is any step of its determination workflow. */
const ACT_EVENT: Record<string, { eventType?: string; machineId: string }> = {
  disclosure_committee_approval: { eventType: 'report.disclosureCommitteeApprove', machineId: 'report-lifecycle' },
  audit_committee_review: { eventType: 'report.auditCommitteeReview', machineId: 'report-lifecycle' },
  approval_for_filing: { eventType: 'report.approveForFiling', machineId: 'report-lifecycle' },
  board_determination: { machineId: 'board-determination' },
}

/**
 * What is wrong with a sign-off row on its own: its id must be the sha-256 of its
 * manifestation, stored in canonical form, and each column a page shows must say
 * what the manifestation says. Empty when it holds.
 */
export function signOffRowProblems(row: SignOffRow): string[] {
  const parsed = parseJson(row.manifestation)
  if (!parsed || typeof parsed !== 'object') return ['its manifestation is not JSON']
  // Read as untrusted JSON: any member may be missing or of another type.
  type Part = Record<string, unknown> | null | undefined
  const m = parsed as { report?: Part; duty?: Part; officer?: Part; draft?: Part } & Record<string, unknown>
  const problems: string[] = []
  if (m.kind !== 'hecla-attest/sign-off/v1') problems.push(`its manifestation is of kind ${JSON.stringify(m.kind)}`)
  if (canonicalJson(parsed) !== row.manifestation) problems.push('its manifestation is not stored in canonical form')
  if (manifestationHash(parsed as never) !== row.id)
    problems.push('its id is not the sha-256 of its manifestation (the manifestation was edited)')
  const said: Array<[keyof SignOffRow, unknown]> = [
    ['report_id', m.report?.id],
    ['duty_number', m.duty?.number],
    ['officer_user_id', m.officer?.userId],
    ['officer_role', m.officer?.role],
    ['printed_name', m.officer?.printedName],
    ['title', m.officer?.title],
    ['draft_id', m.draft === null ? null : m.draft?.id],
    ['draft_sha256', m.draft === null ? null : m.draft?.sha256],
    ['meaning', m.meaning],
    ['meaning_text', m.meaningText],
    ['signed_at', m.signedAt],
    ['signed_at_local', m.signedAtLocal],
    ['time_zone', m.timeZone],
  ]
  for (const [column, value] of said) {
    if (row[column] !== value)
      problems.push(`${column} ${JSON.stringify(row[column])} is not what its manifestation says (${JSON.stringify(value)})`)
  }
  return problems
}

/**
 * What is wrong with the binding of a sign-off to the chain: the event at its
 * workflow_sequence must be a duty.sign of its own workflow carrying its id, and
 * that workflow must be this officer's duty of this report.
 */
export function signOffBindingProblems(
  row: SignOffRow,
  event: Pick<EventRow, 'sequence' | 'instance_id' | 'event_type' | 'event'> | undefined,
  instance: Pick<InstanceRow, 'id' | 'machine_id' | 'subject'> | undefined,
): string[] {
  const problems: string[] = []
  if (!event) problems.push(`it names event ${row.workflow_sequence}, which the record does not hold`)
  else {
    if (event.instance_id !== row.workflow_instance_id)
      problems.push(
        `event ${event.sequence}, which it names, belongs to ${event.instance_id}, not to its workflow ${row.workflow_instance_id}`,
      )
    if (event.event_type !== 'duty.sign')
      problems.push(`event ${event.sequence}, which it names, is a ${event.event_type}, not a duty.sign`)
    const signatureId = (parseJson(event.event) as { signatureId?: unknown } | undefined)?.signatureId
    if (signatureId !== row.id)
      problems.push(`event ${event.sequence}, which it names, carries signature ${String(signatureId)}, not this one`)
  }
  if (!instance) problems.push(`its workflow ${row.workflow_instance_id} is not in the record`)
  else {
    const subject = parseJson(instance.subject) as { reportId?: unknown; officerUserId?: unknown; dutyNumber?: unknown } | undefined
    if (
      instance.machine_id !== 'duty-review' ||
      subject?.reportId !== row.report_id ||
      subject?.officerUserId !== row.officer_user_id ||
      subject?.dutyNumber !== row.duty_number
    ) {
      problems.push(
        `its workflow ${instance.id} is not ${row.officer_user_id}'s review of duty ${row.duty_number} of ${row.report_id} (its subject: ${instance.subject})`,
      )
    }
  }
  return problems
}

/**
 * What is wrong with a signature row of an act on its own: its id must be the
 * sha-256 of its manifestation, stored in canonical form, and each column must say
 * what the manifestation says. Empty when it holds.
 */
export function signatureRowProblems(row: SignatureRow): string[] {
  const parsed = parseJson(row.manifestation)
  if (!parsed || typeof parsed !== 'object') return ['its manifestation is not JSON']
  type Part = Record<string, unknown> | null | undefined
  const m = parsed as { report?: Part; signer?: Part } & Record<string, unknown>
  const problems: string[] = []
  if (m.kind !== 'hecla-attest/signature/v1') problems.push(`its manifestation is of kind ${JSON.stringify(m.kind)}`)
  if (canonicalJson(parsed) !== row.manifestation) problems.push('its manifestation is not stored in canonical form')
  if (actManifestationHash(parsed as never) !== row.id)
    problems.push('its id is not the sha-256 of its manifestation (the manifestation was edited)')
  const said: Array<[keyof SignatureRow, unknown]> = [
    ['act', m.act],
    ['capacity', m.capacity],
    ['report_id', m.report === null ? null : m.report?.id],
    ['signer_user_id', m.signer?.userId],
    ['printed_name', m.signer?.printedName],
    ['title', m.signer?.title],
    ['meaning_text', m.meaningText],
    ['note', m.note],
    ['signed_at', m.signedAt],
    ['signed_at_local', m.signedAtLocal],
    ['time_zone', m.timeZone],
  ]
  for (const [column, value] of said) {
    if (row[column] !== value)
      problems.push(`${column} ${JSON.stringify(row[column])} is not what its manifestation says (${JSON.stringify(value)})`)
  }
  return problems
}

/**
 * What is wrong with the binding of an act's signature to the chain: the event at
 * its workflow_sequence must be of its own workflow, of the kind that records the
 * act, carry its id, and be the signer's; that workflow must be of its report.
 */
export function signatureBindingProblems(
  row: SignatureRow,
  event: Pick<EventRow, 'sequence' | 'instance_id' | 'event_type' | 'event' | 'actor_user_id'> | undefined,
  instance: Pick<InstanceRow, 'id' | 'machine_id' | 'report_id'> | undefined,
): string[] {
  const problems: string[] = []
  const expected = ACT_EVENT[row.act]
  if (!event) problems.push(`it names event ${row.workflow_sequence}, which the record does not hold`)
  else {
    if (event.instance_id !== row.workflow_instance_id)
      problems.push(
        `event ${event.sequence}, which it names, belongs to ${event.instance_id}, not to its workflow ${row.workflow_instance_id}`,
      )
    if (expected?.eventType && event.event_type !== expected.eventType)
      problems.push(`event ${event.sequence}, which it names, is a ${event.event_type}, not a ${expected.eventType}`)
    const signatureId = (parseJson(event.event) as { signatureId?: unknown } | undefined)?.signatureId
    if (signatureId !== row.id)
      problems.push(`event ${event.sequence}, which it names, carries signature ${String(signatureId)}, not this one`)
    if (event.actor_user_id !== row.signer_user_id)
      problems.push(
        `event ${event.sequence}, which it names, was recorded for ${String(event.actor_user_id)}, not its signer ${row.signer_user_id}`,
      )
  }
  if (!instance) problems.push(`its workflow ${row.workflow_instance_id} is not in the record`)
  else {
    if (!expected || instance.machine_id !== expected.machineId)
      problems.push(`its workflow ${instance.id} is a ${instance.machine_id}, which does not record a ${row.act}`)
    if (instance.report_id !== row.report_id)
      problems.push(`its workflow ${instance.id} is of report ${String(instance.report_id)}, not of its report ${String(row.report_id)}`)
  }
  return problems
}

export interface VerifyOptions {
  file: string
  /** The public key is enough. */
  key: SigningKey
  /** Every workflow is replayed with the machines this lookup finds. */
  lookup: MachineLookup
  /** A backup may end before the latest head signed outside the file; say so rather than fail. */
  olderCopy?: boolean
  /**
   * false: the chain check alone (`npm run verify -- --no-replay`): every link and
   * hash, every checkpoint's head against its event, the newest checkpoint's
   * signature, the head outside the file, every sign-off and signature of an act,
   * the outbox and the dated titles; no workflow replayed, so neither the cache nor
   * the derived states are checked. Default true: all of that, every checkpoint's
   * signature, and every workflow replayed.
   */
  replay?: boolean
  /**
   * Which checkpoints' signatures are checked; by default every one with the replay
   * and the newest without. The newest alone already covers every earlier event
   * (each hash takes in the one before it); checking every one also names a damaged
   * checkpoint row and the first event of a chain rewritten without the key.
   */
  checkpoints?: 'every' | 'newest'
}

/** Where verification stands after its own pass over the file, before (or without) the replay. */
interface Pass {
  sqlite: SQLite.Database
  install: string
  instances: Map<string, InstanceRow>
  hasStateTable: boolean
  /** Problems in the order the report lists them, by part. */
  chain: VerifyProblem[]
  afterChain: VerifyProblem[]
  afterReplay: VerifyProblem[]
  warnings: string[]
  counts: { events: number; instances: number; signOffs: number; signatures: number }
  /** The highest sequence the pass read (the replay reads no further). */
  lastSequence: number
}

type ProblemAt = (table: RecordTable | null, row: string | number | null, message: string, sequence?: number | null) => void

const into =
  (list: VerifyProblem[]): ProblemAt =>
  (table, row, message, sequence = null) =>
    list.push({ sequence, table, row: row === null ? null : String(row), message })

/**
 * The whole file but the replay, in one streaming pass over the events (a
 * prepared statement's iterate(), the checkpoint joined to its event): nothing
 * of the chain is held in memory but the events that carry a signature. A
 * million events in a few seconds, where loading every row took minutes
 * (issue 13; docs/decisions/024). `signatures` says which checkpoints' signatures
 * this pass checks ('none': the worker threads check them).
 */
function passOverFile(
  options: VerifyOptions,
  signatures: 'every' | 'newest' | 'none',
  precomputed?: readonly ChainSegmentResult[],
  opened?: SQLite.Database,
): Pass | VerifyReport {
  const sqlite = opened ?? openForVerify(options.file)
  const chain: VerifyProblem[] = []
  const afterChain: VerifyProblem[] = []
  const afterReplay: VerifyProblem[] = []
  const warnings: string[] = []
  const counts = { events: 0, instances: 0, signOffs: 0, signatures: 0 }
  try {
    const meta = sqlite.prepare('SELECT installation_id FROM record_meta').all() as { installation_id: string }[]
    if (meta.length !== 1) {
      sqlite.close()
      const problems = [] as VerifyProblem[]
      into(problems)('record_meta', null, `record_meta holds ${meta.length} rows, not one`)
      return finishReport(problems, warnings, counts)
    }
    const install = meta[0]!.installation_id
    const instances = readInstanceRows(sqlite)
    counts.instances = instances.size
    // The head signed outside the file, read first so that the pass can note the event at its position.
    const headFile = headFilePath(options.key.keyPath, install)
    const head = readSignedHead(headFile, options.key, install)

    // The chain: every link, every hash, every checkpoint; in this thread, or in segments done by threads.
    const segments = precomputed ?? [
      checkChainSegment(sqlite, options.key, install, instances, {
        from: 1,
        to: Number.MAX_SAFE_INTEGER,
        rowsBefore: 0,
        prevHash: genesisHash(install),
        versionsBefore: new Map(),
        headPosition: head?.sequence ?? null,
        signatures: signatures === 'every' ? 'every' : 'none',
      }),
    ]
    const problem = into(chain)
    const dutySignCarriers = new Map<string, CarrierRow[]>()
    const actCarriers = new Map<string, CarrierRow[]>()
    let index = 0
    let hashAtHeadPosition: string | undefined
    let last: ChainSegmentResult['last'] = null
    for (const segment of segments) {
      chain.push(...segment.problems)
      index += segment.rows
      hashAtHeadPosition ??= segment.hashAtHeadPosition
      last = segment.last ?? last
      for (const [into, from] of [
        [dutySignCarriers, segment.dutySignCarriers],
        [actCarriers, segment.actCarriers],
      ] as const)
        for (const [id, rows] of from) into.set(id, [...(into.get(id) ?? []), ...rows])
    }
    const checkpointFails = (sequence: number, fingerprint: string) => {
      const otherKey =
        fingerprint === options.key.fingerprint
          ? ''
          : ` (the checkpoint names key ${fingerprint.slice(0, 16)}…, this key is ${options.key.fingerprint.slice(0, 16)}…)`
      problem(
        'workflow_event',
        sequence,
        `workflow_event ${sequence}: the signed checkpoint does not verify with the key at ${options.key.keyPath}${otherKey}`,
        sequence,
      )
    }
    counts.events = index
    // The newest checkpoint signs the head, and every earlier event through it.
    if (signatures === 'newest' && last?.signature) {
      if (!verifyCheckpoint(options.key, { installationId: install, sequence: last.sequence, headHash: last.hash }, last.signature))
        checkpointFails(last.sequence, last.fingerprint)
    }

    const tail = into(afterChain)
    for (const { sequence } of sqlite.prepare('SELECT sequence FROM chain_checkpoint WHERE sequence > ? ORDER BY sequence').all(index) as {
      sequence: number
    }[])
      tail('chain_checkpoint', sequence, `chain_checkpoint ${sequence} is signed for an event the file does not hold`, sequence)

    if (head) {
      const { signature, ...claim } = head
      if (!verifyCheckpoint(options.key, { installationId: install, sequence: claim.sequence, headHash: claim.headHash }, signature)) {
        tail(null, null, `the signed head in ${headFile} does not verify`)
      } else if (head.sequence > index) {
        const message = `the file ends at event ${index}, but a head at event ${head.sequence} was signed: events were cut off the tail, or this is an older copy`
        if (options.olderCopy) warnings.push(message)
        else tail('workflow_event', index + 1, message, index + 1)
      } else if (hashAtHeadPosition !== head.headHash) {
        tail(
          'workflow_event',
          head.sequence,
          `workflow_event ${head.sequence} is not the one whose head was signed outside the file`,
          head.sequence,
        )
      }
    } else {
      warnings.push(`No signed head outside the file (${headFile}); a cut tail cannot be ruled out.`)
    }

    // The derived state after each event (migration 016); a file from before it has none to check.
    const hasStateTable =
      sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'workflow_event_state'`).get() !== undefined
    if (!hasStateTable)
      warnings.push('No workflow_event_state table (a file from before migration 016): the states shown between events are not checked.')
    else {
      const orphans = sqlite
        .prepare(
          'SELECT s.sequence FROM workflow_event_state s LEFT JOIN workflow_event e ON e.sequence = s.sequence WHERE e.sequence IS NULL ORDER BY s.sequence',
        )
        .all() as { sequence: number }[]
      for (const { sequence } of orphans)
        tail('workflow_event_state', sequence, `workflow_event_state ${sequence} is the state after an event the file does not hold`)
    }

    const rest = into(afterReplay)
    const cacheOrphans = sqlite
      .prepare('SELECT s.instance_id FROM workflow_snapshot s LEFT JOIN workflow_instance i ON i.id = s.instance_id WHERE i.id IS NULL')
      .all() as { instance_id: string }[]
    for (const { instance_id } of cacheOrphans)
      rest('workflow_snapshot', instance_id, `workflow_snapshot ${instance_id} caches a workflow that is not stored`)

    // Every sign-off: its own row, its one duty.sign event (joined), and every duty.sign its row.
    const joinedEvent = (alias: string) =>
      `e.sequence AS ${alias}sequence, e.instance_id AS ${alias}instance_id, e.event_type AS ${alias}event_type, e.event AS ${alias}event, e.actor_user_id AS ${alias}actor_user_id`
    const eventOf = (r: Record<string, unknown>): CarrierRow | undefined =>
      r.e_sequence === null
        ? undefined
        : {
            sequence: r.e_sequence as number,
            instance_id: r.e_instance_id as string,
            event_type: r.e_event_type as string,
            event: r.e_event as string,
            actor_user_id: r.e_actor_user_id as string | null,
          }
    // A row of `table` with the event it names joined (e_ columns), and the row on its own.
    const withTheirEvents = <T>(table: 'sign_off' | 'signature', columns: string) => {
      const names = columns.split(', ')
      const joined = sqlite
        .prepare(
          `SELECT ${names.map((c) => `s.${c}`).join(', ')}, ${joinedEvent('e_')} FROM ${table} s LEFT JOIN workflow_event e ON e.sequence = s.workflow_sequence ORDER BY s.workflow_sequence`,
        )
        .all() as Record<string, unknown>[]
      return { joined, rows: joined.map((r) => Object.fromEntries(names.map((c) => [c, r[c]])) as unknown as T) }
    }
    const { joined: signOffJoined, rows: signOffs } = withTheirEvents<SignOffRow>('sign_off', SIGN_OFF_COLUMNS)
    counts.signOffs = signOffs.length
    const rowsById = new Map(signOffs.map((s) => [s.id, s]))
    signOffJoined.forEach((joined, i) => {
      const row = signOffs[i]!
      const found = [...signOffRowProblems(row), ...signOffBindingProblems(row, eventOf(joined), instances.get(row.workflow_instance_id))]
      const naming = dutySignCarriers.get(row.id) ?? []
      if (naming.length > 1) found.push(`${naming.length} duty.sign events carry it (${naming.map((e) => e.sequence).join(', ')}), not one`)
      for (const message of found) rest('sign_off', row.id, `sign_off ${row.id}: ${message}`)
    })
    for (const [id, naming] of dutySignCarriers) {
      for (const e of naming) {
        const row = rowsById.get(id)
        if (!row)
          rest(
            'workflow_event',
            e.sequence,
            `workflow_event ${e.sequence}: its duty.sign carries signature ${id}, which has no sign_off row`,
          )
        else if (row.workflow_sequence !== e.sequence && naming.length === 1)
          rest('sign_off', id, `sign_off ${id}: it is carried by event ${e.sequence} but names event ${row.workflow_sequence}`)
      }
    }

    // Every signature of an act: its own row, its one event (joined), and every event carrying one its row.
    const { joined: signatureJoined, rows: signatureRows } = withTheirEvents<SignatureRow>('signature', SIGNATURE_COLUMNS)
    counts.signatures = signatureRows.length
    const signaturesById = new Map(signatureRows.map((s) => [s.id, s]))
    signatureJoined.forEach((joined, i) => {
      const row = signatureRows[i]!
      const found = [
        ...signatureRowProblems(row),
        ...signatureBindingProblems(row, eventOf(joined), instances.get(row.workflow_instance_id)),
      ]
      const naming = actCarriers.get(row.id) ?? []
      if (naming.length > 1) found.push(`${naming.length} events carry it (${naming.map((e) => e.sequence).join(', ')}), not one`)
      for (const message of found) rest('signature', row.id, `signature ${row.id}: ${message}`)
    })
    for (const [id, naming] of actCarriers) {
      for (const e of naming) {
        const row = signaturesById.get(id)
        if (!row)
          rest(
            'workflow_event',
            e.sequence,
            `workflow_event ${e.sequence}: its ${e.event_type} carries signature ${id}, which has no signature row`,
          )
        else if (row.workflow_sequence !== e.sequence && naming.length === 1)
          rest('signature', id, `signature ${id}: it is carried by event ${e.sequence} but names event ${row.workflow_sequence}`)
      }
    }
    const hashOf = sqlite.prepare('SELECT hash FROM workflow_event WHERE sequence = ?')
    const eventAt = (sequence: number) => hashOf.get(sequence) as { hash: string } | undefined
    for (const p of outboxProblems(sqlite, eventAt, options.key, install)) rest('outbox_message', p.row, p.message)
    for (const p of keptRowProblems(sqlite)) rest(p.table, p.row, p.message)
    checkDatedPeriods(sqlite, signOffs, signatureRows, rest)
    return {
      sqlite,
      install,
      instances,
      hasStateTable,
      chain,
      afterChain,
      afterReplay,
      warnings,
      counts,
      lastSequence: last?.sequence ?? 0,
    }
  } catch (error) {
    sqlite.close()
    throw error
  }
}

/** Read-only, in one read transaction: every statement of the pass sees the file at one point. */
function openForVerify(file: string): SQLite.Database {
  if (!fs.existsSync(file)) throw new Error(`No database file at ${file}`)
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true })
  sqlite.exec('BEGIN')
  return sqlite
}

type SignedHeadFile = { sequence: number; headHash: string; signature: string }

/**
 * The head file, read once more when it does not parse or verify: the record
 * overwrites it in place (db/workflow-record.ts writeHeadFile), and a read that
 * races that write could see part of each; a second read a moment later sees one.
 */
function readSignedHead(file: string, key: SigningKey, install: string): SignedHeadFile | null {
  if (!fs.existsSync(file)) return null
  const read = () => parseJson(fs.readFileSync(file, 'utf8')) as SignedHeadFile | undefined
  const holds = (h: SignedHeadFile | undefined) =>
    !!h && verifyCheckpoint(key, { installationId: install, sequence: h.sequence, headHash: h.headHash }, h.signature)
  const first = read()
  if (holds(first)) return first!
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
  const second = read()
  if (second) return second
  if (first) return first
  throw new Error(`${file} is not JSON`)
}

function finishReport(problems: VerifyProblem[], warnings: string[], counts: Pass['counts']): VerifyReport {
  let first: number | null = null
  for (const p of problems) if (p.sequence !== null && (first === null || p.sequence < first)) first = p.sequence
  return { ok: problems.length === 0, ...counts, firstBrokenSequence: first, problems, warnings }
}

/**
 * Replays each named workflow from its events (a refused event is an error) and
 * compares the state after each event, and the cache row, with the replay. Reads
 * each workflow's events by its index, no further than `upTo`, so the main pass
 * and the worker threads read the same events. Returns the problems by the
 * workflow's position in `ids`.
 */
export function replayWorkflows(
  sqlite: SQLite.Database,
  lookup: MachineLookup,
  instances: readonly InstanceRow[],
  hasStateTable: boolean,
  upTo: number,
): VerifyProblem[][] {
  const historyOf = sqlite.prepare(
    hasStateTable
      ? 'SELECT e.sequence, e.event, s.state_value FROM workflow_event e LEFT JOIN workflow_event_state s ON s.sequence = e.sequence WHERE e.instance_id = ? AND e.sequence <= ? ORDER BY e.sequence'
      : 'SELECT e.sequence, e.event, NULL AS state_value FROM workflow_event e WHERE e.instance_id = ? AND e.sequence <= ? ORDER BY e.sequence',
  )
  const cacheOf = sqlite.prepare('SELECT version, status, state, snapshot FROM workflow_snapshot WHERE instance_id = ?')
  return instances.map((instance) => {
    const found: VerifyProblem[] = []
    const problem = into(found)
    const history = historyOf.all(instance.id, upTo) as { sequence: number; event: string; state_value: string | null }[]
    if (history.length === 0) problem('workflow_instance', instance.id, `workflow_instance ${instance.id} has no events`)
    let replayed: { version: number; persisted: ReturnType<typeof persistSnapshot> }
    try {
      // One pass gives the state after every event (for workflow_event_state) and the last one (for the cache).
      const machine = lookup.atVersion(instance.machine_id, instance.machine_version)
      let result: ReturnType<typeof replayStates>
      try {
        result = replayStates(
          machine,
          JSON.parse(instance.input) as never,
          history.map((e) => JSON.parse(e.event) as EventObject),
        )
      } catch (error) {
        if (error instanceof EventRefusedError && error.index !== null)
          throw new StoredEventRefusedError(instance.id, history[error.index]!.sequence, error.eventType, error.state)
        throw error
      }
      replayed = { version: history.length, persisted: persistSnapshot(machine, result.snapshot) }
      if (hasStateTable) {
        history.forEach((e, i) => {
          const stored = e.state_value
          const truth = canonicalJson(result.states[i])
          if (stored === null)
            problem('workflow_event_state', e.sequence, `workflow_event_state ${e.sequence} is missing (the state after that event)`)
          else if (stored !== truth)
            problem(
              'workflow_event_state',
              e.sequence,
              `workflow_event_state ${e.sequence}: it says event ${e.sequence} led to ${stored}; the replay of ${instance.id} says ${truth}`,
            )
        })
      }
    } catch (error) {
      if (error instanceof StoredEventRefusedError) {
        problem('workflow_event', error.sequence, `workflow_event ${error.sequence}: ${error.message}`, error.sequence)
      } else problem('workflow_instance', instance.id, `workflow_instance ${instance.id} cannot be replayed: ${(error as Error).message}`)
      return found
    }
    const row = cacheOf.get(instance.id) as { version: number; status: string; state: string; snapshot: string } | undefined
    if (!row) {
      problem('workflow_snapshot', instance.id, `workflow_snapshot ${instance.id} is missing`)
      return found
    }
    const truth = {
      version: replayed.version,
      status: replayed.persisted.status,
      state: typeof replayed.persisted.value === 'string' ? replayed.persisted.value : canonicalJson(replayed.persisted.value),
      snapshot: canonicalJson(replayed.persisted),
    }
    const differing = (['version', 'status', 'state', 'snapshot'] as const).filter((column) => row[column] !== truth[column])
    if (differing.length) {
      problem(
        'workflow_snapshot',
        instance.id,
        `workflow_snapshot ${instance.id}: the cached ${differing.join(' and ')} ${differing.length === 1 ? 'differs' : 'differ'} from the replay of its events (the cache says ${row.state} at version ${row.version}; the events say ${truth.state} at version ${truth.version})`,
      )
    }
    return found
  })
}

/** Workflows that no event names (the replay says it of each workflow it replays). */
function eventlessWorkflows(pass: Pass): VerifyProblem[] {
  const found: VerifyProblem[] = []
  const named = new Set(
    (pass.sqlite.prepare('SELECT DISTINCT instance_id FROM workflow_event').all() as { instance_id: string }[]).map((r) => r.instance_id),
  )
  for (const id of pass.instances.keys()) if (!named.has(id)) into(found)('workflow_instance', id, `workflow_instance ${id} has no events`)
  return found
}

function assemble(pass: Pass, signatureProblems: VerifyProblem[], replayProblems: VerifyProblem[]): VerifyReport {
  // A checkpoint's signature is named after its event's other problems, as one pass would name them.
  const chain: VerifyProblem[] = []
  const bySequence = [...signatureProblems].sort((a, b) => a.sequence! - b.sequence!)
  let j = 0
  for (const p of pass.chain) {
    while (j < bySequence.length && bySequence[j]!.sequence! < (p.sequence ?? 0)) chain.push(bySequence[j++]!)
    chain.push(p)
  }
  while (j < bySequence.length) chain.push(bySequence[j++]!)
  return finishReport([...chain, ...pass.afterChain, ...replayProblems, ...pass.afterReplay], pass.warnings, pass.counts)
}

/** Verifies the file in this thread (the page, backups, tests); `verifyRecordInParallel` spreads it over the cores. */
export function verifyRecord(options: VerifyOptions): VerifyReport {
  const replay = options.replay ?? true
  const pass = passOverFile(options, options.checkpoints ?? (replay ? 'every' : 'newest'))
  if (!('sqlite' in pass)) return pass
  try {
    const replayed = replay
      ? replayWorkflows(pass.sqlite, options.lookup, [...pass.instances.values()], pass.hasStateTable, pass.lastSequence).flat()
      : eventlessWorkflows(pass)
    return assemble(pass, [], replayed)
  } finally {
    pass.sqlite.close()
  }
}

interface Period {
  id: string
  user_id: string
  effective_from: string
  effective_to: string | null
}

/**
 * The dated titles and memberships (migration 016) a page shows for the day of each
 * step: a person's titles never overlap and today's is the open one; a role is not
 * held twice at once; and each signature states the title the register says its
 * signer held that day (the signature is hashed into the chain; the register is
 * not, so where they disagree it is the register's row that is named).
 */
function checkDatedPeriods(
  sqlite: SQLite.Database,
  signOffs: readonly SignOffRow[],
  signatures: readonly SignatureRow[],
  problem: (table: RecordTable | null, row: string | number | null, message: string) => void,
) {
  const has = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'title_assignment'`).get() !== undefined
  if (!has) return
  const overlaps = (table: 'title_assignment' | 'membership', rows: readonly Period[], what: string) => {
    for (let i = 1; i < rows.length; i += 1) {
      const before = rows[i - 1]!
      const next = rows[i]!
      if (before.effective_to === null || before.effective_to > next.effective_from)
        problem(
          table,
          next.id,
          `${table} ${next.id}: ${what} from ${next.effective_from} overlaps ${before.id} (${before.effective_from} to ${before.effective_to ?? 'open'})`,
        )
    }
  }
  const titles = sqlite
    .prepare('SELECT id, user_id, title, effective_from, effective_to FROM title_assignment ORDER BY user_id, effective_from, id')
    .all() as (Period & { title: string })[]
  const byUser = new Map<string, (Period & { title: string })[]>()
  for (const t of titles) byUser.set(t.user_id, [...(byUser.get(t.user_id) ?? []), t])
  const users = new Map((sqlite.prepare('SELECT id, title FROM user').all() as { id: string; title: string }[]).map((u) => [u.id, u.title]))
  for (const [userId, periods] of byUser) {
    overlaps('title_assignment', periods, 'a title')
    const open = periods.filter((p) => p.effective_to === null)
    if (open.length !== 1) problem('title_assignment', userId, `title_assignment of ${userId}: ${open.length} open titles, not one`)
    else if (users.get(userId) !== open[0]!.title)
      problem(
        'title_assignment',
        open[0]!.id,
        `title_assignment ${open[0]!.id}: ${userId}'s title today is ${JSON.stringify(users.get(userId))}, not the open period's ${JSON.stringify(open[0]!.title)}`,
      )
  }
  const memberships = sqlite
    .prepare(
      'SELECT id, user_id, role, effective_from, effective_to FROM membership ORDER BY user_id, company_id, role, effective_from, id',
    )
    .all() as (Period & { role: string })[]
  const byRole = new Map<string, Period[]>()
  for (const m of memberships) byRole.set(`${m.user_id} ${m.role}`, [...(byRole.get(`${m.user_id} ${m.role}`) ?? []), m])
  for (const periods of byRole.values()) overlaps('membership', periods, 'the same role')
  const heldOn = (userId: string, instant: string) => {
    const day = instant.slice(0, 10)
    return byUser.get(userId)?.find((p) => p.effective_from <= day && (p.effective_to === null || p.effective_to > day))
  }
  const signed = [
    ...signOffs.map((s) => ({ what: `sign-off ${s.id}`, userId: s.officer_user_id, title: s.title, at: s.signed_at })),
    ...signatures.map((s) => ({ what: `signature ${s.id}`, userId: s.signer_user_id, title: s.title, at: s.signed_at })),
  ]
  for (const s of signed) {
    const period = heldOn(s.userId, s.at)
    if (period && period.title !== s.title)
      problem(
        'title_assignment',
        period.id,
        `title_assignment ${period.id}: it says ${s.userId} was ${JSON.stringify(period.title)} on ${s.at.slice(0, 10)}, but ${s.what} states ${JSON.stringify(s.title)}`,
      )
  }
}

export interface SignOffCheck {
  /** Its id is the hash of its manifestation, its columns say what that says, and its duty.sign event is in the signed chain. */
  genuine: boolean
  /** Its workflow, as its events say it is now, stands on this signature (not withdrawn, not voided by a new draft). */
  current: boolean
  problems: string[]
}

/**
 * For pages that show sign-offs: a check of each row that costs a few indexed reads,
 * one sha-256 and one Ed25519 verification, with no replay. A row is genuine when
 * it holds on its own, its duty.sign event is of its own workflow and carries its
 * id, and that event's hash recomputes and is signed by the installation's key.
 * Ids the record does not hold come back not genuine.
 */
export async function checkSignOffs(
  db: Executor,
  lookup: MachineLookup,
  key: SigningKey,
  ids: readonly string[],
): Promise<Map<string, SignOffCheck>> {
  const out = new Map<string, SignOffCheck>()
  if (ids.length === 0) return out
  const rows = (await db.selectFrom('sign_off').selectAll().where('id', 'in', ids).execute()) as SignOffRow[]
  const sequences = rows.map((r) => r.workflow_sequence)
  const instanceIds = [...new Set(rows.map((r) => r.workflow_instance_id))]
  const events = new Map(
    sequences.length
      ? (await db.selectFrom('workflow_event').selectAll().where('sequence', 'in', sequences).execute()).map((e) => [e.sequence, e])
      : [],
  )
  const checkpoints = new Map(
    sequences.length
      ? (await db.selectFrom('chain_checkpoint').selectAll().where('sequence', 'in', sequences).execute()).map((c) => [c.sequence, c])
      : [],
  )
  const instances = new Map(
    (await db.selectFrom('workflow_instance').selectAll().where('id', 'in', instanceIds).execute()).map((i) => [i.id, i]),
  )
  // What each workflow stands on now, as its events say; a workflow whose history
  // cannot be replayed stands on no signature.
  const signatureOf = new Map<string, string | undefined>()
  for (const id of instanceIds) {
    try {
      const loaded = await loadInstance(db, lookup, id, key)
      signatureOf.set(id, (loaded?.snapshot.context as { signature?: { signatureId?: string } | null } | undefined)?.signature?.signatureId)
    } catch (error) {
      if (!(error instanceof StoredEventRefusedError)) throw error
    }
  }
  const install = await installationId(db)
  for (const row of rows) {
    const event = events.get(row.workflow_sequence)
    const instance = instances.get(row.workflow_instance_id)
    const problems = [...signOffRowProblems(row), ...signOffBindingProblems(row, event, instance)]
    if (event && instance && event.instance_id === instance.id) {
      const hash = event.hash
      if (recomputedHash(event, instance) !== hash) problems.push(`event ${event.sequence}, which it names, does not match its hash`)
      const checkpoint = checkpoints.get(event.sequence)
      if (
        !checkpoint ||
        !verifyCheckpoint(key, { installationId: install, sequence: event.sequence, headHash: hash }, checkpoint.signature)
      ) {
        problems.push(`event ${event.sequence}, which it names, is not signed by the installation's key`)
      }
    }
    const genuine = problems.length === 0
    out.set(row.id, { genuine, current: genuine && signatureOf.get(row.workflow_instance_id) === row.id, problems })
  }
  for (const id of ids) if (!out.has(id)) out.set(id, { genuine: false, current: false, problems: ['the record holds no such sign-off'] })
  return out
}

/**
 * What /admin/outbox shows as fact (migration 017, ADR 020): the event that caused
 * each mail is in the chain; each reminder, digest and witness row names a mail of
 * its kind to its person; and a witness mail's attachment is the signed head of
 * the chain at its event — its hash is that event's, its signature holds.
 */
function outboxProblems(
  sqlite: SQLite.Database,
  eventAt: (sequence: number) => { hash: string } | undefined,
  key: SigningKey,
  installationId: string,
): Array<{ row: number; message: string }> {
  const exists = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox_message'").get()
  if (!exists) return []
  const out: Array<{ row: number; message: string }> = []
  const mails = sqlite.prepare('SELECT id, to_user_id, kind, cause_sequence, attachment FROM outbox_message ORDER BY id').all() as {
    id: number
    to_user_id: string
    kind: string
    cause_sequence: number | null
    attachment: string | null
  }[]
  const byId = new Map(mails.map((m) => [m.id, m]))
  for (const m of mails) {
    if (m.cause_sequence !== null && !eventAt(m.cause_sequence))
      out.push({ row: m.id, message: `outbox_message ${m.id}: its cause, event ${m.cause_sequence}, is not in the chain` })
    if (m.kind !== 'witness') continue
    const w = m.attachment
      ? (parseJson((parseJson(m.attachment) as { content?: string } | undefined)?.content ?? '') as Record<string, unknown> | undefined)
      : undefined
    const sequence = typeof w?.sequence === 'number' ? w.sequence : null
    const event = sequence === null ? undefined : eventAt(sequence)
    if (!w || sequence === null || !event || event.hash !== w.headHash)
      out.push({ row: m.id, message: `outbox_message ${m.id}: its witness is not the head of the chain at event ${String(sequence)}` })
    else if (
      w.keyFingerprint === key.fingerprint &&
      !verifyCheckpoint(key, { installationId, sequence, headHash: String(w.headHash) }, String(w.signature))
    )
      out.push({ row: m.id, message: `outbox_message ${m.id}: its witness's signature does not verify` })
  }
  const rowsNaming = [
    ['reminder_sent', 'reminder'],
    ['notification_digest', 'digest'],
    ['witness_sent', 'witness'],
  ] as const
  for (const [table, kind] of rowsNaming) {
    const rows = sqlite.prepare(`SELECT * FROM ${table}`).all() as { message_id: number; user_id?: string }[]
    for (const r of rows) {
      const m = byId.get(r.message_id)
      if (!m || m.kind !== kind || (r.user_id !== undefined && m.to_user_id !== r.user_id))
        out.push({ row: r.message_id, message: `${table}: it names mail ${r.message_id}, which is not its ${kind}` })
    }
  }
  return out
}

/**
 * The rows beside the workflows that pages show as fact (a case's thread, files,
 * additions and access log, the anonymous receipts, the waiver register): each is
 * what its `row.kept` event hashed, once, and no row stands without its event
 * (machines/kept-rows.ts, ADR 025). The events themselves were checked with the
 * chain; a table a file does not have yet has nothing to check.
 */
function keptRowProblems(sqlite: SQLite.Database): Array<{ table: KeptTable; row: string; message: string }> {
  const out: Array<{ table: KeptTable; row: string; message: string }> = []
  const tables = new Set(
    (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
  )
  const eventsOf = sqlite.prepare('SELECT sequence, event FROM workflow_event WHERE instance_id = ? ORDER BY instance_version')
  for (const table of KEPT_TABLES) {
    if (!tables.has(table)) continue
    const keyColumn = KEPT_ROW_KEY[table]
    const rowOf = sqlite.prepare(`SELECT * FROM ${table} WHERE ${keyColumn} = ?`)
    const bound = new Map<string, number>()
    for (const { sequence, event } of eventsOf.iterate(instanceId.keptRows(table)) as Iterable<{ sequence: number; event: string }>) {
      const kept = parseJson(event) as Partial<KeptRowEvent> | undefined
      if (!kept || kept.type !== 'row.kept' || typeof kept.key !== 'string' || !Array.isArray(kept.columns)) continue // replay names it
      const earlier = bound.get(kept.key)
      if (earlier !== undefined) {
        out.push({ table, row: kept.key, message: `${table} ${kept.key}: bound twice, by events ${earlier} and ${sequence}` })
        continue
      }
      bound.set(kept.key, sequence)
      // A bound parameter takes the key column's affinity, so the access log's integer key is found by its text.
      const row = rowOf.get(kept.key) as Record<string, unknown> | undefined
      if (!row)
        out.push({ table, row: kept.key, message: `${table} ${kept.key}: event ${sequence} kept it, but the file no longer holds it` })
      else if (keptRowHash(row, kept.columns) !== kept.sha256)
        out.push({ table, row: kept.key, message: `${table} ${kept.key}: it is not what event ${sequence} kept (the row was edited)` })
    }
    for (const r of sqlite.prepare(`SELECT ${keyColumn} AS key FROM ${table}`).iterate() as Iterable<{ key: string | number }>) {
      if (!bound.has(String(r.key)))
        out.push({
          table,
          row: String(r.key),
          message: `${table} ${String(r.key)}: no event of the record kept it (a row added outside the app)`,
        })
    }
  }
  return out
}

/** What a verify worker thread is given (db/verify-worker.ts). */
export interface VerifyWorkerTask extends VerifierThreadTask {
  instances: InstanceRow[]
  hasStateTable: boolean
  upTo: number
  signatureRanges: Array<[number, number]>
}

export interface VerifyWorkerResult {
  signatures: VerifyProblem[]
  replay: Array<{ id: string; problems: VerifyProblem[] }>
}

/**
 * The signatures of the checkpoints from `from` to `to` whose head is their
 * event's hash (the pass over the file names the others), each verified.
 */
export function checkpointSignatureProblems(
  sqlite: SQLite.Database,
  key: SigningKey,
  install: string,
  from: number,
  to: number,
): VerifyProblem[] {
  const found: VerifyProblem[] = []
  const rows = sqlite
    .prepare(
      'SELECT c.sequence, c.key_fingerprint, c.signature, e.hash FROM chain_checkpoint c JOIN workflow_event e ON e.sequence = c.sequence ' +
        'JOIN workflow_instance i ON i.id = e.instance_id WHERE c.sequence BETWEEN ? AND ? AND c.head_hash = e.hash ORDER BY c.sequence',
    )
    .iterate(from, to) as IterableIterator<{ sequence: number; key_fingerprint: string; signature: string; hash: string }>
  for (const row of rows) {
    if (verifyCheckpoint(key, { installationId: install, sequence: row.sequence, headHash: row.hash }, row.signature)) continue
    const otherKey =
      row.key_fingerprint === key.fingerprint
        ? ''
        : ` (the checkpoint names key ${row.key_fingerprint.slice(0, 16)}…, this key is ${key.fingerprint.slice(0, 16)}…)`
    into(found)(
      'workflow_event',
      row.sequence,
      `workflow_event ${row.sequence}: the signed checkpoint does not verify with the key at ${key.keyPath}${otherKey}`,
      row.sequence,
    )
  }
  return found
}

/**
 * `verifyRecord` over the cores (issue 13): the pass over the file in this
 * thread while `workers` threads replay the workflows (split by workflow, each
 * share about as many events) and check the checkpoint signatures (split by
 * range). Same checks, same report; the workers replay with this code's machines
 * (db/machine-lookup.ts), so there is no `lookup` to pass.
 */
export async function verifyRecordInParallel(options: Omit<VerifyOptions, 'lookup'> & { workers?: number }): Promise<VerifyReport> {
  const replay = options.replay ?? true
  const lookup = machineLookup
  const workers = Math.max(1, options.workers ?? os.availableParallelism())
  if (!fs.existsSync(options.file)) return verifyRecord({ ...options, lookup })
  if (!replay) return verifyChainInParallel({ ...options, lookup }, workers)
  const checkpoints = options.checkpoints ?? 'every'

  // The plan, read before the pass so that the workers start at once: who replays what.
  const plan = new SQLite(options.file, { readonly: true, fileMustExist: true })
  let tasks: VerifyWorkerTask[]
  try {
    const meta = plan.prepare('SELECT installation_id FROM record_meta').all() as { installation_id: string }[]
    if (meta.length !== 1) return verifyRecord({ ...options, lookup })
    const upTo = (plan.prepare('SELECT COALESCE(MAX(sequence), 0) AS s FROM workflow_event').get() as { s: number }).s
    // A worker loading the machines takes ≈ 2 s to start: on a small record one thread is done sooner.
    if (options.workers === undefined && upTo < REPLAY_THREADS_FROM) return verifyRecord({ ...options, lookup })
    const hasStateTable =
      plan.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'workflow_event_state'`).get() !== undefined
    // The cache's version is only a weight for sharing the work out; the replay does not trust it.
    const weighed = plan
      .prepare(
        'SELECT i.id, i.machine_id, i.machine_version, i.report_id, i.subject, i.input, COALESCE(s.version, 0) AS weight ' +
          'FROM workflow_instance i LEFT JOIN workflow_snapshot s ON s.instance_id = i.id',
      )
      .all() as (InstanceRow & { weight: number })[]
    const shares = Array.from({ length: workers }, () => ({ weight: 0, instances: [] as InstanceRow[] }))
    for (const { weight, ...instance } of [...weighed].sort((a, b) => b.weight - a.weight)) {
      const lightest = shares.reduce((a, b) => (b.weight < a.weight ? b : a))
      lightest.weight += weight + 1
      lightest.instances.push(instance)
    }
    const step = Math.ceil(upTo / workers)
    tasks = shares.map((share, i) => ({
      entry: './verify-worker.ts',
      file: options.file,
      ...sentVerificationKey(options.key),
      installationId: meta[0]!.installation_id,
      instances: share.instances,
      hasStateTable,
      upTo,
      signatureRanges: checkpoints === 'every' && i * step < upTo ? [[i * step + 1, Math.min(upTo, (i + 1) * step)]] : [],
    }))
  } finally {
    plan.close()
  }
  const running = tasks.map(
    (task) =>
      new Promise<VerifyWorkerResult>((resolve, reject) => {
        const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: task })
        worker.once('message', (result: VerifyWorkerResult) => resolve(result))
        worker.once('error', reject)
        worker.once('exit', (code) => {
          if (code !== 0) reject(new Error(`a verify worker stopped with exit code ${code}`))
        })
      }),
  )
  // Rejections are awaited below; until then they must not count as unhandled.
  for (const r of running) r.catch(() => undefined)

  const pass = passOverFile({ ...options, lookup }, checkpoints === 'every' ? 'none' : 'newest')
  if (!('sqlite' in pass)) return pass
  try {
    const results = await Promise.all(running)
    const upTo = tasks[0]!.upTo
    const signatures = results.flatMap((r) => r.signatures)
    // Events appended after the plan was read (a live file): their signatures here, their workflows are replayed up to the plan's head.
    if (checkpoints === 'every' && pass.lastSequence > upTo)
      signatures.push(...checkpointSignatureProblems(pass.sqlite, options.key, pass.install, upTo + 1, pass.lastSequence))
    const byId = new Map(results.flatMap((r) => r.replay.map((x) => [x.id, x.problems] as const)))
    const replayed = [...pass.instances.keys()].flatMap((id) => byId.get(id) ?? [])
    return assemble(pass, signatures, replayed)
  } finally {
    pass.sqlite.close()
  }
}

/** Below this many events a thread costs more to start than it saves. */
const CHAIN_SPLIT_FROM = 50_000
const REPLAY_THREADS_FROM = 50_000

/**
 * The chain check (`replay: false`) in segments over `workers` threads, the rest
 * of the pass in this one, all reading the file at the point this thread's read
 * transaction opened (the segments end at its newest event). `splitAt` forces
 * the segments' bounds (tests).
 */
export async function verifyChainInParallel(options: VerifyOptions & { splitAt?: number[] }, workers: number): Promise<VerifyReport> {
  const sqlite = openForVerify(options.file)
  let handedOver = false
  try {
    const meta = sqlite.prepare('SELECT installation_id FROM record_meta').all() as { installation_id: string }[]
    const upTo = (sqlite.prepare('SELECT COALESCE(MAX(sequence), 0) AS s FROM workflow_event').get() as { s: number }).s
    if (meta.length !== 1 || (upTo < CHAIN_SPLIT_FROM && !options.splitAt) || workers < 2) {
      handedOver = true
      const pass = passOverFile(options, 'newest', undefined, sqlite)
      if (!('sqlite' in pass)) return pass
      return assemble(pass, [], eventlessWorkflows(pass))
    }
    const install = meta[0]!.installation_id
    const head = readSignedHead(headFilePath(options.key.keyPath, install), options.key, install)
    const bounds = options.splitAt ?? Array.from({ length: workers - 1 }, (_, i) => Math.floor(((i + 1) * upTo) / workers))
    const starts = [1, ...bounds.map((b) => b + 1)]
    const running = starts.map(
      (from, i) =>
        new Promise<ChainSegmentResult>((resolve, reject) => {
          const task: ChainWorkerTask = {
            entry: './verify-chain-worker.ts',
            file: options.file,
            ...sentVerificationKey(options.key),
            installationId: install,
            from,
            to: i + 1 < starts.length ? starts[i + 1]! - 1 : upTo,
            headPosition: head?.sequence ?? null,
          }
          const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: task })
          worker.once('message', resolve)
          worker.once('error', reject)
          worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`a verify worker stopped with exit code ${code}`))
          })
        }),
    )
    for (const r of running) r.catch(() => undefined)
    const segments = await Promise.all(running)
    handedOver = true
    const pass = passOverFile(options, 'newest', segments, sqlite)
    if (!('sqlite' in pass)) return pass
    return assemble(pass, [], eventlessWorkflows(pass))
  } finally {
    if (!handedOver) sqlite.close()
    else if (sqlite.open) sqlite.close()
  }
}
