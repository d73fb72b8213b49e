// The commands of one officer's review of one duty: its events, and its signature.
import type { CaseContext } from '../../machines/case'
import type { DutyNumber } from '../../machines/duties'
import { findCurrentDraft } from '../queries/reports'
import { isExceptionCaseDuty } from '../../machines/exception-cases'
import { reportAcceptsSignatures } from '../../machines/report-lifecycle'
import type { DutyReviewEvent, DutyReviewSnapshot } from '../../machines/duty-review'
import type { OfficerRole } from '../../machines/roles'
import { canonicalJson } from '../canonical-json'
import { CommandRefusedError, NotFoundError } from '../errors'
import { instanceId } from '../ids'
import { findManifestationFacts } from '../queries/sign-offs'
import { buildManifestation, manifestationHash } from '../sign-off'
import type { Actor, AppendResult, WorkflowRecord, WriteUnit } from '../workflow-record'
import { reportCaseInside, type NewCaseRequest } from './case'
import { iso, requireReportNotFiled, requireReportRow, sendToReport, submitIfComplete } from './shared'

export interface DutyEventRequest {
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
}

/** Sends an officer's event to one of their duty workflows (not a signature: see signDuty). */
export async function sendDutyEvent(record: WorkflowRecord, request: DutyEventRequest): Promise<AppendResult> {
  return record.write(async (unit) => {
    await requireReportNotFiled(unit, request.reportId)
    for (const c of request.newCases ?? []) await reportCaseInside(unit, c)
    if (request.event.type === 'duty.raiseException') await requireExceptionCase(unit, request.dutyNumber, request.event.caseId)
    const appended = await sendDutyEventInside(unit, request)
    if (request.event.type === 'duty.reopen' && request.event.reason === 'withdrawn') {
      await reopenCertificationIfUnderReview(unit, request, request.at ?? new Date())
    }
    return appended
  })
}

/**
 * An exception names the case that carries it to its recipients, and that case
 * must be a matter of the kind the duty raises (machines/exception-cases.ts: e.g.
 * a control not established under duties 7–9 is a duty 2 matter).
 */
async function requireExceptionCase(unit: WriteUnit, dutyNumber: DutyNumber, caseId: string) {
  const found = await unit.load(instanceId.case(caseId))
  if (!found) throw new NotFoundError('case', caseId)
  const caseDuty = (found.snapshot.context as CaseContext).duty
  if (!isExceptionCaseDuty(dutyNumber, caseDuty)) {
    throw new CommandRefusedError('exception_case_duty', `case ${caseId} is a duty ${caseDuty} matter; duty ${dutyNumber} cannot cite it`, {
      caseId,
      caseDuty,
      dutyNumber,
    })
  }
}

/**
 * Sends several of an officer's events to one duty workflow, in order, in one
 * transaction: the first answer of a duty not yet started starts it as well. The
 * expected version is the workflow's before the first event; a refused event
 * leaves none of them, and no case, behind.
 */
export async function sendDutyEvents(
  record: WorkflowRecord,
  request: Omit<DutyEventRequest, 'event'> & { events: DutyEventRequest['event'][] },
): Promise<AppendResult> {
  const { events, ...rest } = request
  if (events.length === 0) throw new Error('sendDutyEvents: no event to send')
  return record.write(async (unit) => {
    await requireReportNotFiled(unit, rest.reportId)
    for (const c of rest.newCases ?? []) await reportCaseInside(unit, c)
    let expectedVersion = rest.expectedVersion
    let last: AppendResult | undefined
    for (const event of events) {
      last = await sendDutyEventInside(unit, { ...rest, expectedVersion, event })
      expectedVersion = last.version
    }
    return last!
  })
}

async function sendDutyEventInside(unit: WriteUnit, request: Omit<DutyEventRequest, 'newCases' | 'event'> & { event: DutyReviewEvent }) {
  await requireReportRow(unit.trx, request.reportId)
  const draft = await findCurrentDraft(unit.trx, request.reportId)
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
    await requireReportNotFiled(unit, request.reportId)
    const id = instanceId.duty(request.reportId, request.officer.userId, request.dutyNumber)
    const instance = await unit.load(id)
    if (!instance) throw new CommandRefusedError('duty_not_started', `${id} has no events`, { instanceId: id })
    await requireReportInCertification(unit, request.reportId)
    const context = (instance.snapshot as DutyReviewSnapshot).context
    const facts = await findManifestationFacts(trx, {
      reportId: request.reportId,
      officerUserId: request.officer.userId,
      officerRole: request.officer.role,
      dutyNumber: request.dutyNumber,
      context,
      at,
    })
    const manifestation = buildManifestation(facts)
    const signatureId = manifestationHash(manifestation)
    const appended = await unit.append({
      instance: { id },
      expectedVersion: request.expectedVersion,
      event: {
        type: 'duty.sign',
        at: iso(at),
        signatureId,
        draftSha256: context.boundToDraft ? (facts.draft?.sha256 ?? null) : null,
      },
      actor: { userId: request.officer.userId, role: request.officer.role },
      recordedAt: at,
    })
    await trx
      .insertInto('sign_off')
      .values({
        id: signatureId,
        report_id: request.reportId,
        duty_number: request.dutyNumber,
        officer_user_id: request.officer.userId,
        officer_role: request.officer.role,
        draft_id: facts.draft?.id ?? null,
        draft_sha256: facts.draft?.sha256 ?? null,
        meaning: manifestation.meaning,
        meaning_text: manifestation.meaningText,
        printed_name: manifestation.officer.printedName,
        title: manifestation.officer.title,
        signed_at: manifestation.signedAt,
        signed_at_local: manifestation.signedAtLocal,
        time_zone: manifestation.timeZone,
        manifestation: canonicalJson(manifestation),
        workflow_instance_id: id,
        workflow_sequence: appended.sequence,
      })
      .execute()
    const submitted = await submitIfComplete(unit, request.reportId, at)
    return { signOffId: signatureId, manifestation, appended, submittedForReview: submitted !== null }
  })
}

/**
 * An officer withdrew a signature while the committees review the report or the
 * officers approve it: the certification is no longer whole, so the report goes
 * back to certification in the same transaction (report-lifecycle.ts version 2).
 */
async function reopenCertificationIfUnderReview(unit: WriteUnit, request: DutyEventRequest, at: Date) {
  const lifecycle = await unit.load(instanceId.report(request.reportId))
  const event = {
    type: 'report.reopenCertification',
    cause: 'signOffWithdrawn',
    officerRole: request.officer.role,
    dutyNumber: request.dutyNumber,
    at: at.toISOString(),
  } as const
  if (!lifecycle || !lifecycle.snapshot.can(event)) return
  await sendToReport(unit, request.reportId, event, request.actor, at)
}

/** A duty is signed only while its report is in certification: not in drafting, not once it went on. */
async function requireReportInCertification(unit: WriteUnit, reportId: string) {
  await requireReportRow(unit.trx, reportId)
  const lifecycle = await unit.load(instanceId.report(reportId))
  if (!lifecycle || !reportAcceptsSignatures(lifecycle.snapshot)) {
    throw new CommandRefusedError('report_not_in_certification', `${reportId} is not in certification`, {
      reportId,
      state: lifecycle?.snapshot.value ?? 'drafting',
    })
  }
}
