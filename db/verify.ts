// Checks a database file (the live one, a backup or a copy) against itself and
// against the key kept outside it: the hash chain, every signed checkpoint, the
// signed head, every workflow replayed from its events against its cached state,
// every sign-off against its manifestation and its duty.sign event, and every
// signature of an act (a committee's step, an approval for filing, a Board
// determination) against its manifestation and the event that carries it. Needs
// only the public key.
import fs from 'node:fs'
import SQLite from 'better-sqlite3'
import type { EventObject } from 'xstate'
import { EventRefusedError, persistSnapshot, replayStates } from '../machines/replay'
import { canonicalJson } from './canonical-json'
import type { Executor } from './queries/executor'
import { actManifestationHash, manifestationHash } from './sign-off'
import { headFilePath, verifyCheckpoint, type SigningKey } from './signing-key'
import { eventHash, genesisHash, installationId, loadInstance, StoredEventRefusedError, type MachineLookup } from './workflow-record'

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

interface EventRow {
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

interface InstanceRow {
  id: string
  machine_id: string
  machine_version: number
  report_id: string | null
  subject: string
  input: string
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
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

function chainedFields(row: EventRow, instance: InstanceRow) {
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

function recomputedHash(row: EventRow, instance: InstanceRow): string {
  try {
    return eventHash(chainedFields(row, instance))
  } catch {
    return ''
  }
}

export function verifyRecord(options: {
  file: string
  /** The public key is enough. */
  key: SigningKey
  /** Every workflow is replayed with the machines this lookup finds. */
  lookup: MachineLookup
  /** A backup may end before the latest head signed outside the file; say so rather than fail. */
  olderCopy?: boolean
}): VerifyReport {
  if (!fs.existsSync(options.file)) throw new Error(`No database file at ${options.file}`)
  const sqlite = new SQLite(options.file, { readonly: true, fileMustExist: true })
  const problems: VerifyProblem[] = []
  const warnings: string[] = []
  const problem = (table: RecordTable | null, row: string | number | null, message: string, sequence: number | null = null) =>
    problems.push({ sequence, table, row: row === null ? null : String(row), message })
  const counts = { events: 0, instances: 0, signOffs: 0, signatures: 0 }
  try {
    const meta = sqlite.prepare('SELECT installation_id FROM record_meta').all() as { installation_id: string }[]
    if (meta.length !== 1) {
      problem('record_meta', null, `record_meta holds ${meta.length} rows, not one`)
      return finish()
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
        'SELECT sequence, instance_id, instance_version, event, event_type, actor_user_id, actor_role, recorded_at, prev_hash, hash FROM workflow_event ORDER BY sequence',
      )
      .all() as EventRow[]
    counts.events = events.length
    counts.instances = instances.size

    // The chain: every link, every hash, every checkpoint.
    let prevHash = genesisHash(install)
    const versions = new Map<string, number>()
    events.forEach((row, index) => {
      const at = (message: string) => problem('workflow_event', row.sequence, `workflow_event ${row.sequence}: ${message}`, row.sequence)
      const expectedSequence = index + 1
      if (row.sequence !== expectedSequence) {
        problem(
          'workflow_event',
          expectedSequence,
          `workflow_event ${expectedSequence} is missing (the next stored is ${row.sequence})`,
          expectedSequence,
        )
      }
      const instance = instances.get(row.instance_id)
      if (!instance) {
        at(`names ${row.instance_id}, a workflow that is not stored`)
        prevHash = row.hash
        return
      }
      const expectedVersion = (versions.get(row.instance_id) ?? 0) + 1
      versions.set(row.instance_id, expectedVersion)
      if (row.instance_version !== expectedVersion) {
        at(`is version ${row.instance_version} of ${row.instance_id}; version ${expectedVersion} was expected`)
      }
      if (row.prev_hash !== prevHash) at('does not link to the event before it (its prev_hash is not that event’s hash)')
      if (recomputedHash(row, instance) !== row.hash) at('its content does not match its hash (edited after it was written)')
      const checkpoint = checkpoints.get(row.sequence)
      if (!checkpoint) at('has no signed checkpoint')
      else if (
        checkpoint.head_hash !== row.hash ||
        !verifyCheckpoint(options.key, { installationId: install, sequence: row.sequence, headHash: row.hash }, checkpoint.signature)
      ) {
        const otherKey =
          checkpoint.key_fingerprint === options.key.fingerprint
            ? ''
            : ` (the checkpoint names key ${checkpoint.key_fingerprint.slice(0, 16)}…, this key is ${options.key.fingerprint.slice(0, 16)}…)`
        at(`the signed checkpoint does not verify with the key at ${options.key.keyPath}${otherKey}`)
      }
      prevHash = row.hash
    })
    for (const sequence of checkpoints.keys()) {
      if (sequence > events.length)
        problem('chain_checkpoint', sequence, `chain_checkpoint ${sequence} is signed for an event the file does not hold`, sequence)
    }

    const headFile = headFilePath(options.key.keyPath, install)
    if (fs.existsSync(headFile)) {
      const head = JSON.parse(fs.readFileSync(headFile, 'utf8')) as { sequence: number; headHash: string; signature: string }
      const { signature, ...claim } = head
      if (!verifyCheckpoint(options.key, { installationId: install, sequence: claim.sequence, headHash: claim.headHash }, signature)) {
        problem(null, null, `the signed head in ${headFile} does not verify`)
      } else if (head.sequence > events.length) {
        const message = `the file ends at event ${events.length}, but a head at event ${head.sequence} was signed: events were cut off the tail, or this is an older copy`
        if (options.olderCopy) warnings.push(message)
        else problem('workflow_event', events.length + 1, message, events.length + 1)
      } else if (events[head.sequence - 1]?.hash !== head.headHash) {
        problem(
          'workflow_event',
          head.sequence,
          `workflow_event ${head.sequence} is not the one whose head was signed outside the file`,
          head.sequence,
        )
      }
    } else {
      warnings.push(`No signed head outside the file (${headFile}); a cut tail cannot be ruled out.`)
    }

    // Every workflow replayed from its events (a refused event is an error), against its cache row.
    const cache = new Map(
      (
        sqlite.prepare('SELECT instance_id, version, status, state, snapshot FROM workflow_snapshot').all() as {
          instance_id: string
          version: number
          status: string
          state: string
          snapshot: string
        }[]
      ).map((c) => [c.instance_id, c]),
    )
    // The derived state after each event (migration 016); a file from before it has none to check.
    const hasStateTable =
      sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'workflow_event_state'`).get() !== undefined
    const stateRows = hasStateTable
      ? new Map(
          (
            sqlite.prepare('SELECT sequence, state_value FROM workflow_event_state').all() as { sequence: number; state_value: string }[]
          ).map((r) => [r.sequence, r.state_value]),
        )
      : null
    if (!stateRows)
      warnings.push('No workflow_event_state table (a file from before migration 016): the states shown between events are not checked.')
    const held = new Set(events.map((e) => e.sequence))
    for (const sequence of stateRows?.keys() ?? []) {
      if (!held.has(sequence))
        problem('workflow_event_state', sequence, `workflow_event_state ${sequence} is the state after an event the file does not hold`)
    }
    const byInstance = new Map<string, EventRow[]>()
    for (const e of events) {
      const list = byInstance.get(e.instance_id)
      if (list) list.push(e)
      else byInstance.set(e.instance_id, [e])
    }
    for (const instance of instances.values()) {
      const history = byInstance.get(instance.id) ?? []
      if (history.length === 0) problem('workflow_instance', instance.id, `workflow_instance ${instance.id} has no events`)
      let replayed: { version: number; persisted: ReturnType<typeof persistSnapshot> }
      try {
        // One pass gives the state after every event (for workflow_event_state) and the last one (for the cache).
        const machine = options.lookup.atVersion(instance.machine_id, instance.machine_version)
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
        if (stateRows) {
          history.forEach((e, i) => {
            const stored = stateRows.get(e.sequence)
            const truth = canonicalJson(result.states[i])
            if (stored === undefined)
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
        continue
      }
      const row = cache.get(instance.id)
      if (!row) {
        problem('workflow_snapshot', instance.id, `workflow_snapshot ${instance.id} is missing`)
        continue
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
    }
    for (const id of cache.keys()) {
      if (!instances.has(id)) problem('workflow_snapshot', id, `workflow_snapshot ${id} caches a workflow that is not stored`)
    }

    // Every sign-off: its own row, its one duty.sign event, and every duty.sign its row.
    const signOffs = sqlite.prepare(`SELECT ${SIGN_OFF_COLUMNS} FROM sign_off ORDER BY workflow_sequence`).all() as SignOffRow[]
    counts.signOffs = signOffs.length
    const eventAt = new Map(events.map((e) => [e.sequence, e]))
    const namedBy = new Map<string, EventRow[]>()
    for (const e of events) {
      if (e.event_type !== 'duty.sign') continue
      const id = String((parseJson(e.event) as { signatureId?: unknown } | undefined)?.signatureId)
      namedBy.set(id, [...(namedBy.get(id) ?? []), e])
    }
    const rowsById = new Map(signOffs.map((s) => [s.id, s]))
    for (const row of signOffs) {
      const found = [
        ...signOffRowProblems(row),
        ...signOffBindingProblems(row, eventAt.get(row.workflow_sequence), instances.get(row.workflow_instance_id)),
      ]
      const naming = namedBy.get(row.id) ?? []
      if (naming.length > 1) found.push(`${naming.length} duty.sign events carry it (${naming.map((e) => e.sequence).join(', ')}), not one`)
      for (const message of found) problem('sign_off', row.id, `sign_off ${row.id}: ${message}`)
    }
    for (const [id, naming] of namedBy) {
      for (const e of naming) {
        const row = rowsById.get(id)
        if (!row)
          problem(
            'workflow_event',
            e.sequence,
            `workflow_event ${e.sequence}: its duty.sign carries signature ${id}, which has no sign_off row`,
          )
        else if (row.workflow_sequence !== e.sequence && naming.length === 1)
          problem('sign_off', id, `sign_off ${id}: it is carried by event ${e.sequence} but names event ${row.workflow_sequence}`)
      }
    }

    // Every signature of an act: its own row, its one event, and every event carrying one its row.
    const signatures = sqlite.prepare(`SELECT ${SIGNATURE_COLUMNS} FROM signature ORDER BY workflow_sequence`).all() as SignatureRow[]
    counts.signatures = signatures.length
    const actsNamedBy = new Map<string, EventRow[]>()
    for (const e of events) {
      if (e.event_type === 'duty.sign') continue
      const id = (parseJson(e.event) as { signatureId?: unknown } | undefined)?.signatureId
      if (id === undefined) continue
      actsNamedBy.set(String(id), [...(actsNamedBy.get(String(id)) ?? []), e])
    }
    const signaturesById = new Map(signatures.map((s) => [s.id, s]))
    for (const row of signatures) {
      const found = [
        ...signatureRowProblems(row),
        ...signatureBindingProblems(row, eventAt.get(row.workflow_sequence), instances.get(row.workflow_instance_id)),
      ]
      const naming = actsNamedBy.get(row.id) ?? []
      if (naming.length > 1) found.push(`${naming.length} events carry it (${naming.map((e) => e.sequence).join(', ')}), not one`)
      for (const message of found) problem('signature', row.id, `signature ${row.id}: ${message}`)
    }
    for (const [id, naming] of actsNamedBy) {
      for (const e of naming) {
        const row = signaturesById.get(id)
        if (!row)
          problem(
            'workflow_event',
            e.sequence,
            `workflow_event ${e.sequence}: its ${e.event_type} carries signature ${id}, which has no signature row`,
          )
        else if (row.workflow_sequence !== e.sequence && naming.length === 1)
          problem('signature', id, `signature ${id}: it is carried by event ${e.sequence} but names event ${row.workflow_sequence}`)
      }
    }
    for (const p of outboxProblems(sqlite, eventAt, options.key, install)) problem('outbox_message', p.row, p.message)
    checkDatedPeriods(sqlite, signOffs, signatures, problem)
    return finish()
  } finally {
    sqlite.close()
  }

  function finish(): VerifyReport {
    const sequences = problems.map((p) => p.sequence).filter((s): s is number => s !== null)
    return {
      ok: problems.length === 0,
      ...counts,
      firstBrokenSequence: sequences.length ? Math.min(...sequences) : null,
      problems,
      warnings,
    }
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
  eventAt: ReadonlyMap<number, { hash: string }>,
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
    if (m.cause_sequence !== null && !eventAt.has(m.cause_sequence))
      out.push({ row: m.id, message: `outbox_message ${m.id}: its cause, event ${m.cause_sequence}, is not in the chain` })
    if (m.kind !== 'witness') continue
    const w = m.attachment
      ? (parseJson((parseJson(m.attachment) as { content?: string } | undefined)?.content ?? '') as Record<string, unknown> | undefined)
      : undefined
    const sequence = typeof w?.sequence === 'number' ? w.sequence : null
    const event = sequence === null ? undefined : eventAt.get(sequence)
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
