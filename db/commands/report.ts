// The commands of a periodic report's lifecycle: drafts, certification, the
// committees' steps, approval for filing, filing and lock.
import { findCurrentDraft } from '../queries/reports'
import { dutyEventForNewDraft, type DutyReviewSnapshot } from '../../machines/duty-review'
import type { ReportLifecycleEvent } from '../../machines/report-lifecycle'
import { CommandRefusedError } from '../errors'
import { certificationFacts, listDutyInstances } from '../queries/workflows'
import type { Actor, WorkflowRecord } from '../workflow-record'
import { SYSTEM, iso, requireReportRow, sendToEveryDuty, sendToReport } from './shared'

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
    await requireReportRow(trx, request.reportId)
    const last = await trx
      .selectFrom('report_draft')
      .select((eb) => eb.fn.max<number>('version').as('v'))
      .where('report_id', '=', request.reportId)
      .executeTakeFirst()
    const previous = await findCurrentDraft(trx, request.reportId)
    if (previous?.sha256 === request.sha256) {
      throw new CommandRefusedError('draft_unchanged', `${request.sha256} is the current draft of ${request.reportId}`, {
        version: previous.version,
      })
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
    for (const duty of await listDutyInstances(trx, unit, request.reportId)) {
      const instance = await unit.load(duty.id)
      if (!instance) continue
      const event = dutyEventForNewDraft(instance.snapshot as DutyReviewSnapshot, { sha256: request.sha256, at: iso(at) })
      if (!event) continue
      await unit.append({ instance: { id: duty.id }, expectedVersion: instance.version, event, actor: SYSTEM, recordedAt: at })
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
    const facts = await certificationFacts(unit.trx, unit, request.reportId, at)
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
