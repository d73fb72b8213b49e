import { createActor } from 'xstate'
import { instanceId, listCaseInstances } from '../../db/attestation'
import type { DB } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import type { Role } from '../../db/schema'
import { loadInstance } from '../../db/workflow-record'
import type { CaseContext } from '../../machines/case'
import type { DutyNumber } from '../../machines/duties'
import { type DutyReviewContext, type DutyReviewSnapshot, dutyReviewMachine } from '../../machines/duty-review'
import { statePath } from '../../machines/primitives'
import { type ReportLifecycleContext, type ReportLifecycleSnapshot, reportLifecycleMachine } from '../../machines/report-lifecycle'
import type { CaseSubject } from '../../machines/routing'
import type { CurrentUser } from './auth.server'
import { type Officer, canSeeCase, requireOwnDutyWorkflow } from './permissions.server'

// Reads for the officers' walk (the report page and the duty page). Writes go
// through db/attestation.ts only.

/** The report, its company and its current draft; null when there is no such report. */
export async function findReport(db: DB, reportId: string) {
  const report = await db
    .selectFrom('periodic_report as r')
    .innerJoin('company as c', 'c.id', 'r.company_id')
    .leftJoin('report_draft as d', 'd.id', 'r.current_draft_id')
    .select([
      'r.id',
      'r.form',
      'r.fiscal_year',
      'r.fiscal_quarter',
      'r.period_end',
      'r.company_id',
      'c.name as company_name',
      'c.ticker as company_ticker',
      'c.time_zone',
      'd.id as draft_id',
      'd.version as draft_version',
      'd.sha256 as draft_sha256',
      'd.file_name as draft_file_name',
      'd.uploaded_at as draft_uploaded_at',
    ])
    .where('r.id', '=', reportId)
    .executeTakeFirst()
  if (!report) return null
  const draft =
    report.draft_id && report.draft_sha256 && report.draft_version !== null
      ? {
          id: report.draft_id,
          version: report.draft_version,
          sha256: report.draft_sha256,
          fileName: report.draft_file_name ?? '',
          uploadedAt: report.draft_uploaded_at ?? '',
        }
      : null
  return { ...report, draft }
}
export type FoundReport = NonNullable<Awaited<ReturnType<typeof findReport>>>

/** The report or a 404 the reader understands. */
export async function requireReport(db: DB, reportId: string | undefined): Promise<FoundReport> {
  const report = reportId ? await findReport(db, reportId) : null
  if (!report)
    throw new Response(`There is no periodic report “${reportId ?? ''}”.`, {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  return report
}

/** Duties are numbered 1 to 12 in the Code of Ethics; anything else is not a page. */
export function requireDutyNumber(raw: string | undefined): DutyNumber {
  if (!raw || !/^(?:[1-9]|1[0-2])$/.test(raw)) {
    throw new Response(`There is no duty “${raw ?? ''}”: the Code of Ethics has twelve, numbered 1 to 12.`, {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  return Number(raw) as DutyNumber
}

/** The snapshot cache stores a nested state as canonical JSON, a flat one as its name. */
export function storedStateValue(state: string): unknown {
  return state.startsWith('{') ? (JSON.parse(state) as unknown) : state
}

export const DUTY_STATE_LABELS: Record<string, string> = {
  notStarted: 'Not started',
  inProgress: 'In progress',
  'answered.noException': 'Answered',
  'answered.exceptionRaised': 'Exception raised',
  readyToSign: 'Ready to sign',
  signed: 'Signed',
  locked: 'Locked',
}

export function dutyStateLabel(path: string): string {
  return DUTY_STATE_LABELS[path] ?? path
}

/** A duty workflow not yet started exists only as its machine's initial state. */
export function initialDutySnapshot(
  dutyNumber: DutyNumber,
  officerRole: Officer['role'],
  currentDraftSha256: string | null,
): DutyReviewSnapshot {
  return createActor(dutyReviewMachine, { input: { dutyNumber, officerRole, currentDraftSha256 } }).getSnapshot()
}

export interface OwnDutyWorkflow {
  instanceId: string
  exists: boolean
  version: number
  snapshot: DutyReviewSnapshot
  context: DutyReviewContext
  path: string
}

/**
 * The signed-in officer's own workflow of one duty. The id is built from the
 * session's user, never from the request; the stored row is checked as well.
 */
export async function loadOwnDutyWorkflow(
  db: DB,
  request: Request,
  officer: Officer,
  report: FoundReport,
  dutyNumber: DutyNumber,
): Promise<OwnDutyWorkflow> {
  const id = instanceId.duty(report.id, officer.user.id, dutyNumber)
  const instance = await loadInstance(db, machineLookup, id)
  if (!instance) {
    const snapshot = initialDutySnapshot(dutyNumber, officer.role, report.draft?.sha256 ?? null)
    return { instanceId: id, exists: false, version: 0, snapshot, context: snapshot.context, path: statePath(snapshot.value) }
  }
  await requireOwnDutyWorkflow(request, officer, instance, { db })
  const snapshot = instance.snapshot as DutyReviewSnapshot
  return { instanceId: id, exists: true, version: instance.version, snapshot, context: snapshot.context, path: statePath(snapshot.value) }
}

/** The report's lifecycle as its cached snapshot has it, or its initial state before its first event. */
export async function loadReportLifecycle(
  db: DB,
  report: Pick<FoundReport, 'id' | 'form'>,
): Promise<{ value: unknown; context: ReportLifecycleContext; path: string }> {
  const instance = await loadInstance(db, machineLookup, instanceId.report(report.id))
  const snapshot = (instance?.snapshot ??
    createActor(reportLifecycleMachine, { input: { form: report.form } }).getSnapshot()) as ReportLifecycleSnapshot
  return { value: snapshot.value, context: snapshot.context, path: statePath(snapshot.value) }
}

/** The cases of a report this person may see (never those about them). */
export async function listVisibleCases(db: DB, reportId: string, user: Pick<CurrentUser, 'id' | 'roles'>) {
  const cases = await listCaseInstances(db, reportId)
  return cases
    .filter((c) => canSeeCase(user, c.context))
    .map((c) => ({ ...c, path: statePath(storedStateValue(c.state)), context: c.context as CaseContext }))
}
export type VisibleCase = Awaited<ReturnType<typeof listVisibleCases>>[number]

export interface Person {
  id: string
  name: string
  title: string
  roles: Role[]
}

/** Everyone a reported matter can be about, with the roles in force today. */
export async function listPeople(db: DB, companyId: string, today = new Date().toISOString().slice(0, 10)): Promise<Person[]> {
  const rows = await db
    .selectFrom('user as u')
    .innerJoin('membership as m', 'm.user_id', 'u.id')
    .select(['u.id', 'u.full_name', 'u.title', 'm.role'])
    .where('m.company_id', '=', companyId)
    .where('u.deactivated_at', 'is', null)
    .where('m.effective_from', '<=', today)
    .where((eb) => eb.or([eb('m.effective_to', 'is', null), eb('m.effective_to', '>', today)]))
    .orderBy('u.full_name')
    .execute()
  const people = new Map<string, Person>()
  for (const r of rows) {
    const p = people.get(r.id) ?? { id: r.id, name: r.full_name, title: r.title, roles: [] }
    p.roles.push(r.role)
    people.set(r.id, p)
  }
  // Administrators keep the system; a matter about one is about an employee like any other.
  return [...people.values()]
}

/** What the routing rule needs to know about the person a matter is about. */
export function subjectFor(person: Person): CaseSubject {
  const officerRole = (['ceo', 'cfo', 'cao'] as const).find((r) => person.roles.includes(r))
  if (officerRole) return { kind: 'officer', role: officerRole, userId: person.id }
  if (person.roles.includes('director') || person.roles.includes('chairman')) {
    return {
      kind: 'director',
      userId: person.id,
      isChairman: person.roles.includes('chairman'),
      isAuditCommitteeMember: person.roles.some((r) => r === 'audit_committee_member' || r === 'audit_committee_chair'),
    }
  }
  return { kind: 'employee', userId: person.id }
}

/** Every sign-off of one duty workflow, newest first: the current one and those withdrawn or voided by a new draft. */
export async function listSignOffs(db: DB, workflowInstanceId: string) {
  return db
    .selectFrom('sign_off as s')
    .leftJoin('report_draft as d', 'd.id', 's.draft_id')
    .select([
      's.id',
      's.meaning',
      's.meaning_text',
      's.printed_name',
      's.title',
      's.signed_at',
      's.signed_at_local',
      's.time_zone',
      's.draft_id',
      's.draft_sha256',
      'd.version as draft_version',
      's.workflow_sequence',
    ])
    .where('s.workflow_instance_id', '=', workflowInstanceId)
    .orderBy('s.workflow_sequence', 'desc')
    .execute()
}

export async function findUserRecord(db: DB, userId: string) {
  return db.selectFrom('user').select(['id', 'full_name', 'title']).where('id', '=', userId).executeTakeFirstOrThrow()
}
