// Reads of workflow state, from the snapshot cache: every duty review and case of
// a report, the report's lifecycle, one officer's duty workflow. Each takes the
// database or an open transaction first, so the commands read inside their own.
import { createActor } from 'xstate'
import { isFullyAcknowledged, type CaseContext } from '../../machines/case'
import type { DutyNumber } from '../../machines/duties'
import { type DutyReviewContext, type DutyReviewSnapshot, dutyReviewMachine } from '../../machines/duty-review'
import { statePath } from '../../machines/primitives'
import {
  type ReportLifecycleContext,
  type ReportLifecycleSnapshot,
  type SignOff as LifecycleSignOff,
  reportLifecycleMachine,
} from '../../machines/report-lifecycle'
import type { OfficerRole } from '../../machines/roles'
import { instanceId } from '../ids'
import type { SigningKey } from '../signing-key'
import { loadInstance, trustedSnapshots, type MachineLookup } from '../workflow-record'
import type { Executor } from './executor'

/**
 * What reading workflow state needs besides the database: the machines, and the
 * key that seals the snapshot cache (a `WorkflowRecord` or a `WriteUnit` is one).
 * A cache row whose seal does not hold is rebuilt from the events before anyone
 * sees it (docs/decisions/009-sealed-snapshot-cache.md).
 */
export interface RecordReader {
  lookup: MachineLookup
  key: SigningKey
}

/** The snapshot cache stores a nested state as canonical JSON, a flat one as its name. */
export function storedStateValue(state: string): unknown {
  return state.startsWith('{') ? (JSON.parse(state) as unknown) : state
}

export interface DutyInstanceRow {
  id: string
  officerUserId: string
  officerRole: OfficerRole
  dutyNumber: DutyNumber
  version: number
  /** The state as stored: a name, or canonical JSON for a nested state. */
  state: string
  /** The state as a dotted path, e.g. `answered.noException`. */
  path: string
  context: DutyReviewContext
}

/** Every duty workflow of a report that has had an event, each officer's, by id. */
export async function listDutyInstances(db: Executor, reader: RecordReader, reportId: string, options: { officerUserId?: string } = {}) {
  const cached = await db
    .selectFrom('workflow_instance as i')
    .innerJoin('workflow_snapshot as s', 's.instance_id', 'i.id')
    .select([
      'i.id',
      'i.id as instance_id',
      'i.officer_user_id',
      'i.officer_role',
      'i.duty_number',
      's.version',
      's.state',
      's.status',
      's.snapshot',
      's.seal',
    ])
    .where('i.report_id', '=', reportId)
    .where('i.machine_id', '=', 'duty-review')
    .$if(options.officerUserId !== undefined, (qb) => qb.where('i.officer_user_id', '=', options.officerUserId!))
    .orderBy('i.id')
    .execute()
  const rows = await trustedSnapshots(db, reader.lookup, reader.key, cached)
  return rows.map((r): DutyInstanceRow => ({
    id: r.id,
    officerUserId: r.officer_user_id!,
    officerRole: r.officer_role as OfficerRole,
    dutyNumber: r.duty_number as DutyNumber,
    version: r.version,
    state: r.state,
    path: statePath(storedStateValue(r.state)),
    context: (JSON.parse(r.snapshot) as { context: DutyReviewContext }).context,
  }))
}

export interface CaseInstanceRow {
  id: string
  version: number
  state: string
  path: string
  context: CaseContext
}

/** Every case raised about or during a report, oldest first. */
export async function listCaseInstances(db: Executor, reader: RecordReader, reportId: string): Promise<CaseInstanceRow[]> {
  const cached = await db
    .selectFrom('workflow_instance as i')
    .innerJoin('workflow_snapshot as s', 's.instance_id', 'i.id')
    .select(['i.id', 'i.id as instance_id', 's.version', 's.state', 's.status', 's.snapshot', 's.seal'])
    .where('i.report_id', '=', reportId)
    .where('i.machine_id', '=', 'case')
    .orderBy('i.created_at')
    .orderBy('i.id')
    .execute()
  const rows = await trustedSnapshots(db, reader.lookup, reader.key, cached)
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    state: r.state,
    path: statePath(storedStateValue(r.state)),
    context: (JSON.parse(r.snapshot) as { context: CaseContext }).context,
  }))
}

/** The facts the report lifecycle's guards ask for, gathered from the other workflows. */
export async function certificationFacts(db: Executor, reader: RecordReader, reportId: string, at: Date) {
  const duties = await listDutyInstances(db, reader, reportId)
  const signOffs: LifecycleSignOff[] = duties
    .filter((d) => d.state === 'signed' && d.context.signature)
    .map((d) => ({ officerRole: d.officerRole, dutyNumber: d.dutyNumber, draftSha256: d.context.signature!.draftSha256 }))
  const cases = await listCaseInstances(db, reader, reportId)
  // A matter not yet acknowledged by everyone it went to blocks the report.
  const openBlockingCases = cases.filter((c) => !isFullyAcknowledged(c.context)).length
  return { signOffs, openBlockingCases, at: at.toISOString() }
}

/** A duty workflow not yet started exists only as its machine's initial state. */
export function initialDutySnapshot(
  dutyNumber: DutyNumber,
  officerRole: OfficerRole,
  currentDraftSha256: string | null,
): DutyReviewSnapshot {
  return createActor(dutyReviewMachine, { input: { dutyNumber, officerRole, currentDraftSha256 } }).getSnapshot()
}

export interface DutyWorkflow {
  instanceId: string
  exists: boolean
  version: number
  snapshot: DutyReviewSnapshot
  context: DutyReviewContext
  path: string
  /** What the stored instance says it is about; null before its first event. */
  subject: { officerUserId: string; officerRole: OfficerRole; dutyNumber: DutyNumber } | null
}

/** One officer's workflow of one duty of one report: stored, or its initial state before its first event. */
export async function findDutyWorkflow(
  db: Executor,
  reader: RecordReader,
  key: { reportId: string; officerUserId: string; officerRole: OfficerRole; dutyNumber: DutyNumber; currentDraftSha256: string | null },
): Promise<DutyWorkflow> {
  const id = instanceId.duty(key.reportId, key.officerUserId, key.dutyNumber)
  const instance = await loadInstance(db, reader.lookup, id, reader.key)
  if (!instance) {
    const snapshot = initialDutySnapshot(key.dutyNumber, key.officerRole, key.currentDraftSha256)
    return {
      instanceId: id,
      exists: false,
      version: 0,
      snapshot,
      context: snapshot.context,
      path: statePath(snapshot.value),
      subject: null,
    }
  }
  const snapshot = instance.snapshot as DutyReviewSnapshot
  return {
    instanceId: id,
    exists: true,
    version: instance.version,
    snapshot,
    context: snapshot.context,
    path: statePath(snapshot.value),
    subject: instance.subject as DutyWorkflow['subject'],
  }
}

export interface ReportLifecycleView {
  /** Null before the report's first event. */
  snapshot: ReportLifecycleSnapshot
  value: unknown
  context: ReportLifecycleContext
  path: string
  version: number
}

/** The report's lifecycle as its cached snapshot has it, or its initial state before its first event. */
export async function findReportLifecycle(
  db: Executor,
  reader: RecordReader,
  report: { id: string; form: '10-Q' | '10-K' },
): Promise<ReportLifecycleView> {
  const instance = await loadInstance(db, reader.lookup, instanceId.report(report.id), reader.key)
  const snapshot = (instance?.snapshot ??
    createActor(reportLifecycleMachine, { input: { form: report.form } }).getSnapshot()) as ReportLifecycleSnapshot
  return { snapshot, value: snapshot.value, context: snapshot.context, path: statePath(snapshot.value), version: instance?.version ?? 0 }
}
