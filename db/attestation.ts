// The commands of the attestation process. Each is one call of the record's
// write path (one IMMEDIATE transaction): it sends the events the machines
// decide on, to every workflow they concern, and writes the rows that go with
// them. Routes and seeds call these; the rules themselves live in machines/.
import { dutyByNumber, type DutyNumber } from '../machines/duties'
import { dutyEventForNewDraft, type DutyReviewContext, type DutyReviewEvent, type DutyReviewSnapshot } from '../machines/duty-review'
import type { BoardDeterminationEvent } from '../machines/board-determination'
import { isFullyAcknowledged, type CaseContext, type CaseEvent, type CaseInput } from '../machines/case'
import type { ReportLifecycleEvent, SignOff as LifecycleSignOff } from '../machines/report-lifecycle'
import type { OfficerRole } from '../machines/roles'
import { canonicalJson } from './canonical-json'
import type { DB } from './client'
import { formatLocal, manifestationHash, meaningText, type Manifestation } from './sign-off'
import { loadInstance, type Actor, type AppendResult, type WorkflowRecord, type WriteUnit } from './workflow-record'

export const SYSTEM: Actor = { userId: null, role: 'system' }

export const instanceId = {
  report: (reportId: string) => `report/${reportId}`,
  duty: (reportId: string, officerUserId: string, dutyNumber: number) => `duty/${reportId}/${officerUserId}/${dutyNumber}`,
  case: (caseId: string) => `case/${caseId}`,
  determination: (caseId: string) => `determination/${caseId}`,
}

export class CommandRefusedError extends Error {
  readonly status: number
  constructor(message: string, status = 422) {
    super(message)
    this.status = status
  }
}

const iso = (d: Date) => d.toISOString()

async function currentDraft(trx: DB, reportId: string) {
  return trx
    .selectFrom('periodic_report as r')
    .innerJoin('report_draft as d', 'd.id', 'r.current_draft_id')
    .select(['d.id', 'd.version', 'd.sha256'])
    .where('r.id', '=', reportId)
    .executeTakeFirst()
}

async function reportRow(trx: DB, reportId: string) {
  const report = await trx.selectFrom('periodic_report').selectAll().where('id', '=', reportId).executeTakeFirst()
  if (!report) throw new CommandRefusedError(`No periodic report ${reportId}`, 404)
  return report
}

async function versionOf(unit: WriteUnit, id: string): Promise<number> {
  const row = await unit.trx.selectFrom('workflow_snapshot').select('version').where('instance_id', '=', id).executeTakeFirst()
  return row?.version ?? 0
}

/** Sends an event to the report's lifecycle, creating the workflow on its first event. */
async function sendToReport(unit: WriteUnit, reportId: string, event: ReportLifecycleEvent, actor: Actor, at: Date) {
  const report = await reportRow(unit.trx, reportId)
  const id = instanceId.report(reportId)
  return unit.append({
    instance: { id, machineId: 'report-lifecycle', reportId, subject: { reportId }, input: { form: report.form } },
    expectedVersion: await versionOf(unit, id),
    event,
    actor,
    recordedAt: at,
  })
}

interface DutyInstanceRow {
  id: string
  officerUserId: string
  officerRole: OfficerRole
  dutyNumber: DutyNumber
  version: number
  state: string
  context: DutyReviewContext
}

export async function listDutyInstances(db: DB, reportId: string): Promise<DutyInstanceRow[]> {
  const rows = await db
    .selectFrom('workflow_instance as i')
    .innerJoin('workflow_snapshot as s', 's.instance_id', 'i.id')
    .select(['i.id', 'i.subject', 's.version', 's.state', 's.snapshot'])
    .where('i.report_id', '=', reportId)
    .where('i.machine_id', '=', 'duty-review')
    .orderBy('i.id')
    .execute()
  return rows.map((r) => {
    const subject = JSON.parse(r.subject) as { officerUserId: string; officerRole: OfficerRole; dutyNumber: DutyNumber }
    return {
      id: r.id,
      ...subject,
      version: r.version,
      state: r.state,
      context: (JSON.parse(r.snapshot) as { context: DutyReviewContext }).context,
    }
  })
}

export async function listCaseInstances(db: DB, reportId: string) {
  const rows = await db
    .selectFrom('workflow_instance as i')
    .innerJoin('workflow_snapshot as s', 's.instance_id', 'i.id')
    .select(['i.id', 's.version', 's.state', 's.snapshot'])
    .where('i.report_id', '=', reportId)
    .where('i.machine_id', '=', 'case')
    .orderBy('i.created_at')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    state: r.state,
    context: (JSON.parse(r.snapshot) as { context: CaseContext }).context,
  }))
}

/** The facts the report lifecycle's guards ask for, gathered from the other workflows. */
export async function certificationFacts(db: DB, reportId: string, at: Date) {
  const duties = await listDutyInstances(db, reportId)
  const signOffs: LifecycleSignOff[] = duties
    .filter((d) => d.state === 'signed' && d.context.signature)
    .map((d) => ({ officerRole: d.officerRole, dutyNumber: d.dutyNumber, draftSha256: d.context.signature!.draftSha256 }))
  const cases = await listCaseInstances(db, reportId)
  // A matter not yet acknowledged by everyone it went to blocks the report.
  const openBlockingCases = cases.filter((c) => !isFullyAcknowledged(c.context)).length
  return { signOffs, openBlockingCases, at: iso(at) }
}

/** Sends an officer's event to one of their duty workflows (not a signature: see signDuty). */
export async function sendDutyEvent(
  record: WorkflowRecord,
  request: {
    reportId: string
    officer: { userId: string; role: OfficerRole }
    dutyNumber: DutyNumber
    expectedVersion: number
    event: Exclude<DutyReviewEvent, { type: 'duty.sign' }>
    actor: Actor
    at?: Date
    /**
     * Matters the event brings up (an answer's items, an exception's case), reported
     * in the same transaction: a refused event leaves no case behind, and a case
     * never exists without the answer that raised it.
     */
    newCases?: NewCaseRequest[]
  },
): Promise<AppendResult> {
  return record.write(async (unit) => {
    for (const c of request.newCases ?? []) await reportCaseInside(unit, c)
    return sendDutyEventInside(unit, request)
  })
}

async function sendDutyEventInside(
  unit: WriteUnit,
  request: {
    reportId: string
    officer: { userId: string; role: OfficerRole }
    dutyNumber: DutyNumber
    expectedVersion: number
    event: DutyReviewEvent
    actor: Actor
    at?: Date
  },
) {
  await reportRow(unit.trx, request.reportId)
  const draft = await currentDraft(unit.trx, request.reportId)
  return unit.append({
    instance: {
      id: instanceId.duty(request.reportId, request.officer.userId, request.dutyNumber),
      machineId: 'duty-review',
      reportId: request.reportId,
      subject: {
        reportId: request.reportId,
        officerUserId: request.officer.userId,
        officerRole: request.officer.role,
        dutyNumber: request.dutyNumber,
      },
      input: { dutyNumber: request.dutyNumber, officerRole: request.officer.role, currentDraftSha256: draft?.sha256 ?? null },
    },
    expectedVersion: request.expectedVersion,
    event: request.event,
    actor: request.actor,
    recordedAt: request.at,
  })
}

/**
 * An officer's signature of one duty. Builds the manifestation from the workflow
 * as it stands, appends `duty.sign` carrying its hash, and writes the sign-off
 * row, in one transaction. When that was the last signature the report needed,
 * the report goes to committee review in the same transaction.
 */
export async function signDuty(
  record: WorkflowRecord,
  request: {
    reportId: string
    officer: { userId: string; role: OfficerRole }
    dutyNumber: DutyNumber
    expectedVersion: number
    at?: Date
  },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const { trx } = unit
    const report = await reportRow(trx, request.reportId)
    const company = await trx.selectFrom('company').selectAll().where('id', '=', report.company_id).executeTakeFirstOrThrow()
    const user = await trx.selectFrom('user').selectAll().where('id', '=', request.officer.userId).executeTakeFirstOrThrow()
    const id = instanceId.duty(request.reportId, request.officer.userId, request.dutyNumber)
    const instance = await loadInstance(trx, record.lookup, id)
    if (!instance) throw new CommandRefusedError(`Duty ${request.dutyNumber} has not been started.`)
    const context = (instance.snapshot as DutyReviewSnapshot).context
    const duty = dutyByNumber(request.dutyNumber)
    const draft = await currentDraft(trx, request.reportId)
    const meaning = context.exception ? 'attested_with_exception' : 'attested_no_exceptions'
    const manifestation: Manifestation = {
      kind: 'hecla-attest/sign-off/v1',
      company: { name: company.name, ticker: company.ticker },
      report: {
        id: report.id,
        form: report.form,
        fiscalYear: report.fiscal_year,
        fiscalQuarter: report.fiscal_quarter,
        periodEnd: report.period_end,
      },
      draft: draft ? { id: draft.id, version: draft.version, sha256: draft.sha256 } : null,
      duty: { number: duty.number, title: duty.title, text: duty.text },
      officer: { userId: user.id, role: request.officer.role, printedName: user.full_name, title: user.title },
      meaning,
      meaningText: meaningText(meaning, context.exception),
      exception: context.exception ? { explanation: context.exception.explanation, caseId: context.exception.caseId } : null,
      answers: context.answers,
      signedAt: iso(at),
      signedAtLocal: formatLocal(at, company.time_zone),
      timeZone: company.time_zone,
    }
    const signatureId = manifestationHash(manifestation)
    const appended = await unit.append({
      instance: { id },
      expectedVersion: request.expectedVersion,
      event: { type: 'duty.sign', at: iso(at), signatureId, draftSha256: duty.boundToDraft ? (draft?.sha256 ?? null) : null },
      actor: { userId: user.id, role: request.officer.role },
      recordedAt: at,
    })
    await trx
      .insertInto('sign_off')
      .values({
        id: signatureId,
        report_id: report.id,
        duty_number: duty.number,
        officer_user_id: user.id,
        officer_role: request.officer.role,
        draft_id: draft?.id ?? null,
        draft_sha256: draft?.sha256 ?? null,
        meaning,
        meaning_text: manifestation.meaningText,
        printed_name: user.full_name,
        title: user.title,
        signed_at: manifestation.signedAt,
        signed_at_local: manifestation.signedAtLocal,
        time_zone: company.time_zone,
        manifestation: canonicalJson(manifestation),
        workflow_instance_id: id,
        workflow_sequence: appended.sequence,
      })
      .execute()
    const submitted = await submitIfComplete(unit, request.reportId, at)
    return { signOffId: signatureId, manifestation, appended, submittedForReview: submitted !== null }
  })
}

async function submitIfComplete(unit: WriteUnit, reportId: string, at: Date) {
  const lifecycle = await loadInstance(unit.trx, unit.lookup, instanceId.report(reportId))
  if (!lifecycle) return null
  const event: ReportLifecycleEvent = { type: 'report.submitForReview', ...(await certificationFacts(unit.trx, reportId, at)) }
  if (!lifecycle.snapshot.can(event)) return null
  return sendToReport(unit, reportId, event, SYSTEM, at)
}

/**
 * Registers a new draft of a report: the draft row, the report's current draft,
 * the lifecycle's event, and for every duty workflow of the report the event
 * the duty machine decides on (duties 6, 10 and 12 reopen; the others follow).
 */
export async function registerDraft(
  record: WorkflowRecord,
  request: {
    reportId: string
    draftId: string
    sha256: string
    sizeBytes: number
    fileName: string
    uploadedBy: Actor & { userId: string }
    at?: Date
  },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const { trx } = unit
    await reportRow(trx, request.reportId)
    const last = await trx
      .selectFrom('report_draft')
      .select((eb) => eb.fn.max<number>('version').as('v'))
      .where('report_id', '=', request.reportId)
      .executeTakeFirst()
    const previous = await currentDraft(trx, request.reportId)
    if (previous?.sha256 === request.sha256) {
      throw new CommandRefusedError('This file is the current draft already (same SHA-256); nothing was registered.', 409)
    }
    const version = (last?.v ?? 0) + 1
    await trx
      .insertInto('report_draft')
      .values({
        id: request.draftId,
        report_id: request.reportId,
        version,
        sha256: request.sha256,
        size_bytes: request.sizeBytes,
        file_name: request.fileName,
        uploaded_by: request.uploadedBy.userId,
        uploaded_at: iso(at),
      })
      .execute()
    await trx.updateTable('periodic_report').set({ current_draft_id: request.draftId }).where('id', '=', request.reportId).execute()
    await sendToReport(
      unit,
      request.reportId,
      { type: 'report.registerDraft', sha256: request.sha256, at: iso(at) },
      request.uploadedBy,
      at,
    )
    const reopened: string[] = []
    for (const duty of await listDutyInstances(trx, request.reportId)) {
      const instance = await loadInstance(trx, unit.lookup, duty.id)
      if (!instance) continue
      const event = dutyEventForNewDraft(instance.snapshot as DutyReviewSnapshot, { sha256: request.sha256, at: iso(at) })
      if (!event) continue
      await unit.append({
        instance: { id: duty.id },
        expectedVersion: instance.version,
        event,
        actor: SYSTEM,
        recordedAt: at,
      })
      if (event.type === 'duty.reopen') reopened.push(duty.id)
    }
    return { version, reopened }
  })
}

/** Moves the report from drafting to certification: the officers' walk begins. */
export async function beginCertification(record: WorkflowRecord, request: { reportId: string; actor: Actor; at?: Date }) {
  const at = request.at ?? new Date()
  return record.write((unit) => sendToReport(unit, request.reportId, { type: 'report.beginCertification' }, request.actor, at))
}

/** A committee's step in the report's review (Disclosure Committee approves; Audit Committee reviews). */
export async function recordCommitteeStep(
  record: WorkflowRecord,
  request: { reportId: string; step: 'disclosureCommitteeApprove' | 'auditCommitteeReview'; actor: Actor; at?: Date },
) {
  const at = request.at ?? new Date()
  const event: ReportLifecycleEvent =
    request.step === 'disclosureCommitteeApprove'
      ? { type: 'report.disclosureCommitteeApprove', at: iso(at) }
      : { type: 'report.auditCommitteeReview', at: iso(at) }
  return record.write((unit) => sendToReport(unit, request.reportId, event, request.actor, at))
}

/** Approval for filing; from then on no officer can withdraw a signature. */
export async function approveForFiling(record: WorkflowRecord, request: { reportId: string; actor: Actor; at?: Date }) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const facts = await certificationFacts(unit.trx, request.reportId, at)
    const result = await sendToReport(unit, request.reportId, { type: 'report.approveForFiling', ...facts }, request.actor, at)
    await sendToEveryDuty(unit, request.reportId, { type: 'duty.reportApproved' }, at)
    return result
  })
}

/** Filed with the SEC: the report and every duty workflow of it are locked. */
export async function fileReport(
  record: WorkflowRecord,
  request: { reportId: string; filedAt: Date; accessionNumber: string; actor: Actor; at?: Date },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    await sendToReport(
      unit,
      request.reportId,
      { type: 'report.file', filedAt: iso(request.filedAt), accessionNumber: request.accessionNumber },
      request.actor,
      at,
    )
    await sendToReport(unit, request.reportId, { type: 'report.lock' }, SYSTEM, at)
    await sendToEveryDuty(unit, request.reportId, { type: 'duty.lock' }, at)
  })
}

async function sendToEveryDuty(unit: WriteUnit, reportId: string, event: DutyReviewEvent, at: Date) {
  for (const duty of await listDutyInstances(unit.trx, reportId)) {
    const instance = await loadInstance(unit.trx, unit.lookup, duty.id)
    if (!instance || !instance.snapshot.can(event)) continue
    await unit.append({
      instance: { id: duty.id },
      expectedVersion: instance.version,
      event,
      actor: SYSTEM,
      recordedAt: at,
    })
  }
}

export interface NewCaseRequest {
  reportId: string | null
  input: Omit<CaseInput, 'reportedAt'>
  actor: Actor
  at?: Date
}

/** A matter reported under duties 1–4: the case is opened and routed by the routing rule at once. */
export async function reportCase(record: WorkflowRecord, request: NewCaseRequest) {
  return record.write((unit) => reportCaseInside(unit, request))
}

async function reportCaseInside(unit: WriteUnit, request: NewCaseRequest) {
  const at = request.at ?? new Date()
  const input: CaseInput = { ...request.input, reportedAt: iso(at) }
  const id = instanceId.case(input.caseId)
  const instance = {
    id,
    machineId: 'case',
    reportId: request.reportId,
    subject: {
      caseId: input.caseId,
      reportId: request.reportId,
      duty: input.duty,
      subjectUserId: input.subject.kind === 'none' ? null : input.subject.userId,
    },
    input,
  }
  await unit.append({
    instance,
    expectedVersion: 0,
    event: { type: 'case.route', at: iso(at) } satisfies CaseEvent,
    actor: request.actor,
    recordedAt: at,
  })
  return { instanceId: id }
}

/**
 * A recipient body acknowledges a case. When that makes the case fully
 * acknowledged, every duty workflow whose exception names this case hears of it
 * in the same transaction.
 */
export async function acknowledgeCase(
  record: WorkflowRecord,
  request: {
    caseId: string
    body: CaseEvent extends infer E ? (E extends { type: 'case.acknowledge'; body: infer B } ? B : never) : never
    expectedVersion: number
    actor: Actor
    at?: Date
  },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const id = instanceId.case(request.caseId)
    const existing = await loadInstance(unit.trx, unit.lookup, id)
    if (!existing) throw new CommandRefusedError(`No case ${request.caseId}`, 404)
    const result = await unit.append({
      instance: { id },
      expectedVersion: request.expectedVersion,
      event: { type: 'case.acknowledge', body: request.body, at: iso(at) } satisfies CaseEvent,
      actor: request.actor,
      recordedAt: at,
    })
    const context = (result.snapshot as unknown as { context: CaseContext }).context
    if (isFullyAcknowledged(context) && existing.reportId) {
      for (const duty of await listDutyInstances(unit.trx, existing.reportId)) {
        if (duty.context.exception?.caseId !== request.caseId || duty.context.exception.acknowledged) continue
        await unit.append({
          instance: { id: duty.id },
          expectedVersion: duty.version,
          event: { type: 'duty.exceptionAcknowledged', caseId: request.caseId } satisfies DutyReviewEvent,
          actor: SYSTEM,
          recordedAt: at,
        })
      }
    }
    return result
  })
}

/** Resolves or refers a case under review (its recipients decide). */
export async function decideCase(
  record: WorkflowRecord,
  request: {
    caseId: string
    event: Extract<CaseEvent, { type: 'case.resolve' | 'case.refer' }>
    expectedVersion: number
    actor: Actor
    at?: Date
  },
) {
  return record.append({
    instance: { id: instanceId.case(request.caseId) },
    expectedVersion: request.expectedVersion,
    event: request.event,
    actor: request.actor,
    recordedAt: request.at ?? new Date(),
  })
}

/**
 * A step of the Board's determination (duty 5) of a case referred to it. The
 * determination workflow starts with its first step, from the referred case.
 */
export async function sendDeterminationEvent(
  record: WorkflowRecord,
  request: { caseId: string; event: BoardDeterminationEvent; expectedVersion: number; actor: Actor; at?: Date },
) {
  return record.write(async (unit) => {
    const referred = await loadInstance(unit.trx, unit.lookup, instanceId.case(request.caseId))
    if (!referred) throw new CommandRefusedError(`No case ${request.caseId}`, 404)
    if (referred.snapshot.value !== 'referredForDetermination') {
      throw new CommandRefusedError(`Case ${request.caseId} has not been referred to the Board for determination.`, 409)
    }
    const c = (referred.snapshot as unknown as { context: CaseContext }).context
    return unit.append({
      instance: {
        id: instanceId.determination(request.caseId),
        machineId: 'board-determination',
        reportId: referred.reportId,
        subject: { caseId: request.caseId, subjectUserId: c.subject.kind === 'none' ? null : c.subject.userId },
        input: { caseId: request.caseId, subject: c.subject, reporter: c.reporter },
      },
      expectedVersion: request.expectedVersion,
      event: request.event,
      actor: request.actor,
      recordedAt: request.at,
    })
  })
}
