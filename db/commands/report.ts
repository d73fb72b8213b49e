// The commands of a periodic report's lifecycle: drafts, certification, the
// committees' steps, approval for filing, filing and lock.
import { findCurrentDraft } from '../queries/reports'
import { dutyEventForNewDraft, type DutyReviewSnapshot } from '../../machines/duty-review'
import type { ReportLifecycleEvent } from '../../machines/report-lifecycle'
import { CommandRefusedError, NotFoundError } from '../errors'
import { certificationFacts, listDutyInstances } from '../queries/workflows'
import type { Actor, WorkflowRecord, WriteUnit } from '../workflow-record'
import { SYSTEM, iso, requireReportNotFiled, requireReportRow, sendToEveryDuty, sendToReport } from './shared'
import type { DutyNumber } from '../../machines/duties'
import type { ReviewBody } from '../../machines/report-lifecycle'
import { reviewSigners } from '../../machines/review-signers'
import type { OfficerRole } from '../../machines/roles'
import { instanceId } from '../ids'
import { findUserRecord } from '../queries/people'
import { findReportActFacts, findReviewSignerFacts } from '../queries/review'
import { actManifestationHash, buildActManifestation, insertSignature } from '../sign-off'

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
    await requireReportNotFiled(unit, request.reportId)
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

/**
 * A committee's step in the report's review, signed: the Disclosure Committee
 * approves, the Audit Committee reviews. The signer must be one the company's
 * setting names for the body on this report (machines/review-signers.ts); the
 * event carries the signature's hash and the signature row is bound to it.
 */
export async function signCommitteeStep(
  record: WorkflowRecord,
  request: { reportId: string; body: ReviewBody; signerUserId: string; note: string; at?: Date },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const facts = await requireReportActFacts(unit, request.reportId)
    await requireReviewSigner(unit, facts.companyId, request.reportId, request.body, request.signerUserId, at)
    const signer = await requireSigner(unit, request.signerUserId, at)
    const manifestation = buildActManifestation({
      ...facts,
      act: request.body === 'disclosure_committee' ? 'disclosure_committee_approval' : 'audit_committee_review',
      capacity: request.body,
      signer,
      note: request.note,
      at,
    })
    const signatureId = actManifestationHash(manifestation)
    const event: ReportLifecycleEvent =
      request.body === 'disclosure_committee'
        ? { type: 'report.disclosureCommitteeApprove', at: iso(at), signatureId }
        : { type: 'report.auditCommitteeReview', at: iso(at), signatureId }
    const appended = await sendToReport(unit, request.reportId, event, { userId: signer.userId, role: BODY_ACTOR_ROLE[request.body] }, at)
    await insertSignature(unit.trx, manifestation, {
      workflowInstanceId: instanceId.report(request.reportId),
      workflowSequence: appended.sequence,
    })
    return { signatureId, manifestation }
  })
}

const BODY_ACTOR_ROLE = { disclosure_committee: 'disclosure_committee', audit_committee: 'audit_committee_member' } as const

/**
 * A committee sends the report back to certification with a reason naming the
 * duties to look at again: those sign-offs reopen for every officer (their
 * answers stay); the rest stay signed. One transaction.
 */
export async function sendReportBack(
  record: WorkflowRecord,
  request: { reportId: string; body: ReviewBody; memberUserId: string; reason: string; dutyNumbers: DutyNumber[]; at?: Date },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const facts = await requireReportActFacts(unit, request.reportId)
    await requireReviewSigner(unit, facts.companyId, request.reportId, request.body, request.memberUserId, at)
    await sendToReport(
      unit,
      request.reportId,
      { type: 'report.sendBack', body: request.body, reason: request.reason, dutyNumbers: request.dutyNumbers, at: iso(at) },
      { userId: request.memberUserId, role: BODY_ACTOR_ROLE[request.body] },
      at,
    )
    const reopened: string[] = []
    for (const duty of await listDutyInstances(unit.trx, unit, request.reportId)) {
      if (!request.dutyNumbers.includes(duty.dutyNumber)) continue
      const instance = await unit.load(duty.id)
      const event = { type: 'duty.reopen', reason: 'sentBack', at: iso(at) } as const
      if (!instance || !instance.snapshot.can(event)) continue
      await unit.append({ instance: { id: duty.id }, expectedVersion: instance.version, event, actor: SYSTEM, recordedAt: at })
      reopened.push(duty.id)
    }
    return { reopened }
  })
}

/**
 * Approval for filing by one of the two certifying officers (Rule 13a-14: the
 * CEO and the CFO), signed. With the second approval the report is approved and
 * no officer can withdraw a signature any more.
 */
export async function approveForFiling(
  record: WorkflowRecord,
  request: { reportId: string; officer: { userId: string; role: OfficerRole }; at?: Date },
) {
  const at = request.at ?? new Date()
  const role = request.officer.role
  if (role !== 'ceo' && role !== 'cfo') {
    throw new CommandRefusedError('not_filing_approver', `${role} does not approve for filing`, { role })
  }
  return record.write(async (unit) => {
    const facts = await requireReportActFacts(unit, request.reportId)
    const signer = await requireSigner(unit, request.officer.userId, at)
    const manifestation = buildActManifestation({ ...facts, act: 'approval_for_filing', capacity: role, signer, note: null, at })
    const signatureId = actManifestationHash(manifestation)
    const certification = await certificationFacts(unit.trx, unit, request.reportId, at)
    const appended = await sendToReport(
      unit,
      request.reportId,
      { type: 'report.approveForFiling', officerRole: role, signatureId, ...certification },
      { userId: signer.userId, role },
      at,
    )
    await insertSignature(unit.trx, manifestation, {
      workflowInstanceId: instanceId.report(request.reportId),
      workflowSequence: appended.sequence,
    })
    const approved = appended.snapshot.hasTag('approvedForFiling')
    if (approved) await sendToEveryDuty(unit, request.reportId, { type: 'duty.reportApproved' }, at)
    return { signatureId, manifestation, approved }
  })
}

/**
 * The Form 12b-25 notification (NT 10-K / NT 10-Q): the machine checks the
 * one-business-day window against the due date the application computed.
 */
export async function recordLateFilingNotice(
  record: WorkflowRecord,
  request: { reportId: string; dueDate: string; notifiedOn: string; narrative: string; actor: Actor; at?: Date },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    await requireReportNotFiled(unit, request.reportId)
    return sendToReport(
      unit,
      request.reportId,
      {
        type: 'report.notifyLateFiling',
        dueDate: request.dueDate,
        notifiedOn: request.notifiedOn,
        narrative: request.narrative,
        at: iso(at),
      },
      request.actor,
      at,
    )
  })
}

/** Filed with the SEC: the report names the draft filed, and it and every duty workflow of it lock at once. */
export async function fileReport(
  record: WorkflowRecord,
  request: { reportId: string; filedAt: Date; accessionNumber: string; actor: Actor; at?: Date },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    await requireReportNotFiled(unit, request.reportId)
    const draft = await findCurrentDraft(unit.trx, request.reportId)
    if (!draft) throw new CommandRefusedError('no_draft', `${request.reportId} has no draft`, { reportId: request.reportId })
    await sendToReport(
      unit,
      request.reportId,
      { type: 'report.file', filedAt: iso(request.filedAt), accessionNumber: request.accessionNumber, draftSha256: draft.sha256 },
      request.actor,
      at,
    )
    await sendToReport(unit, request.reportId, { type: 'report.lock' }, SYSTEM, at)
    await sendToEveryDuty(unit, request.reportId, { type: 'duty.lock' }, at)
    return { draft }
  })
}

async function requireReportActFacts(unit: WriteUnit, reportId: string) {
  await requireReportNotFiled(unit, reportId)
  const facts = await findReportActFacts(unit.trx, reportId)
  if (!facts) throw new NotFoundError('periodic_report', reportId)
  return facts
}

/** The signer's name and the title they hold on the day they sign (title_assignment). */
async function requireSigner(unit: WriteUnit, userId: string, at: Date) {
  const user = await findUserRecord(unit.trx, userId, at)
  if (!user) throw new NotFoundError('person', userId)
  return { userId: user.id, printedName: user.full_name, title: user.title }
}

async function requireReviewSigner(unit: WriteUnit, companyId: string, reportId: string, body: ReviewBody, userId: string, at: Date) {
  const facts = await findReviewSignerFacts(unit.trx, unit, { companyId, reportId, body, day: iso(at).slice(0, 10) })
  const signers = reviewSigners(facts)
  if (!(signers.userIds as string[]).includes(userId)) {
    throw new CommandRefusedError('not_review_signer', `${userId} may not act for ${body} on ${reportId}`, {
      body,
      why: signers.why,
    })
  }
}

/**
 * An amendment (Form 10-K/A, 10-Q/A) of a filed report: a periodic report of its
 * own for the same period, with its own drafts, walk of the twelve duties and
 * filing, numbered after the period's earlier amendments. The original stays
 * locked and lists it.
 */
export async function startAmendment(record: WorkflowRecord, request: { reportId: string; reason: string; createdBy: string; at?: Date }) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const { trx } = unit
    const original = await requireReportRow(trx, request.reportId)
    const lifecycle = await unit.load(instanceId.report(request.reportId))
    if (!lifecycle?.snapshot.hasTag('filed')) {
      throw new CommandRefusedError('report_not_filed', `${request.reportId} is not filed`, { reportId: request.reportId })
    }
    const last = await trx
      .selectFrom('periodic_report')
      .select((eb) => eb.fn.max<number>('amendment_number').as('n'))
      .where('company_id', '=', original.company_id)
      .where('form', '=', original.form)
      .where('fiscal_year', '=', original.fiscal_year)
      .where((eb) =>
        original.fiscal_quarter === null ? eb('fiscal_quarter', 'is', null) : eb('fiscal_quarter', '=', original.fiscal_quarter),
      )
      .executeTakeFirst()
    const amendmentNumber = (last?.n ?? 0) + 1
    const root = original.amends_report_id ?? original.id
    const id = `${root}-a${amendmentNumber}`
    await trx
      .insertInto('periodic_report')
      .values({
        id,
        company_id: original.company_id,
        form: original.form,
        fiscal_year: original.fiscal_year,
        fiscal_quarter: original.fiscal_quarter,
        period_end: original.period_end,
        current_draft_id: null,
        created_by: request.createdBy,
        created_at: iso(at),
        amends_report_id: original.id,
        amendment_number: amendmentNumber,
        amendment_reason: request.reason,
      })
      .execute()
    return { id, amendmentNumber }
  })
}
