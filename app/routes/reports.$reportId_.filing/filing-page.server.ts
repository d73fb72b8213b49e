// What the report's "Review and filing" page shows: the deadline, each step on
// the way to the SEC with who signed it and who may take it now, and the forms
// the signed-in person may use. Reads only; the rules are the machines'.
import type { DB } from '../../../db/client'
import { filerCategoryOn } from '../../../db/queries/company'
import { listPeople } from '../../../db/queries/people'
import { findReportWithDraft, listAmendments, type ReportWithDraft } from '../../../db/queries/reports'
import { findReviewSignerFacts, listReportSignatures } from '../../../db/queries/review'
import { certificationFacts, findReportLifecycle } from '../../../db/queries/workflows'
import { ACT_MEANINGS, CAPACITY_WORDS } from '../../../db/sign-off'
import type { WorkflowRecord } from '../../../db/workflow-record'
import { DUTIES } from '../../../machines/duties'
import {
  deadlineWords,
  filingDeadline,
  filingTimeliness,
  notificationDeadline,
  type FilingTimeliness,
} from '../../../machines/filing-deadline'
import {
  APPROVER_WORDS,
  FILING_APPROVERS,
  REPORT_STATE_LABELS,
  REVIEW_BODIES,
  describeReportState,
  reportProgress,
  type ReportLifecycleEvent,
  type ReviewBody,
} from '../../../machines/report-lifecycle'
import { reviewSigners } from '../../../machines/review-signers'
import { bodyTitle } from '../../../machines/roles'
import type { CurrentUser } from '../../utils/auth.server'
import { REPORT_ADMIN_ROLES, REPORT_READER_ROLES, officerRolesOf } from '../../utils/permissions.server'
import { formatCalendarDate, formatInstantUtc, reportTitle } from '../../utils/format'

const SOME_SHA = '0'.repeat(64)

const BODY_STEP: Record<ReviewBody, string> = {
  disclosure_committee: 'approval',
  audit_committee: 'review',
}

const TIMELINESS_WORDS: Record<FilingTimeliness, string> = {
  beforeDueDate: 'Filed before its due date',
  onDueDate: 'Filed on its due date',
  withinExtension: 'Filed within the Rule 12b-25 extension: timely',
  late: 'Filed late',
}

export async function loadFilingPage(db: DB, record: WorkflowRecord, user: CurrentUser, report: ReportWithDraft, now: Date) {
  const lifecycle = await findReportLifecycle(db, record, report)
  const snap = lifecycle.snapshot
  const progress = reportProgress(lifecycle.context)
  const at = now.toISOString()
  const today = at.slice(0, 10)
  const signatures = await listReportSignatures(db, report.id)
  const signatureOf = (id: string | null | undefined) => {
    const s = id ? signatures.find((x) => x.id === id) : undefined
    return s
      ? {
          id: s.id,
          printedName: s.printed_name,
          title: s.title,
          meaning: s.meaning_text,
          note: s.note,
          signedAt: formatInstantUtc(s.signed_at),
          signedAtLocal: s.signed_at_local,
        }
      : null
  }

  const category = await filerCategoryOn(db, report.company_id, report.period_end)
  const deadline = category ? filingDeadline({ form: report.form, periodEnd: report.period_end, category }) : null
  const notice = progress.lateFilingNotice
  const filedOn = progress.filing?.filedAt.slice(0, 10) ?? null
  const due = deadline
    ? {
        dueDate: deadline.dueDate,
        dueDateWords: formatCalendarDate(deadline.dueDate),
        status: deadlineWords({ dueDate: deadline.dueDate, today, filedOn, extendedDueDate: notice?.extendedDueDate ?? null }),
        noticeDeadline: formatCalendarDate(notificationDeadline({ dueDate: deadline.dueDate })),
        timeliness: filedOn
          ? TIMELINESS_WORDS[filingTimeliness({ dueDate: deadline.dueDate, extendedDueDate: notice?.extendedDueDate ?? null, filedOn })]
          : null,
      }
    : null

  const bodies = await Promise.all(
    REVIEW_BODIES.map(async (body) => {
      const facts = await findReviewSignerFacts(db, record, { companyId: report.company_id, reportId: report.id, body, day: today })
      const signers = reviewSigners(facts)
      const step = body === 'disclosure_committee' ? progress.disclosureCommittee : progress.auditCommittee
      const mayAct = (signers.userIds as string[]).includes(user.id)
      const stepEvent: ReportLifecycleEvent =
        body === 'disclosure_committee'
          ? { type: 'report.disclosureCommitteeApprove', at, signatureId: SOME_SHA }
          : { type: 'report.auditCommitteeReview', at, signatureId: SOME_SHA }
      const sendBack: ReportLifecycleEvent = { type: 'report.sendBack', body, reason: 'a reason', dutyNumbers: [1], at }
      return {
        body,
        title: bodyTitle(body),
        stepWord: BODY_STEP[body],
        done: step
          ? (signatureOf(step.signatureId) ?? {
              id: null,
              printedName: null,
              title: null,
              meaning: null,
              note: null,
              signedAt: formatInstantUtc(step.at),
              signedAtLocal: null,
            })
          : null,
        signerWhy: signers.why,
        signerNames: facts.members.filter((m) => (signers.userIds as string[]).includes(m.id)).map((m) => m.full_name),
        canSign: mayAct && snap.can(stepEvent),
        canSendBack: mayAct && snap.can(sendBack),
        meaning: `${ACT_MEANINGS[body === 'disclosure_committee' ? 'disclosure_committee_approval' : 'audit_committee_review']}, ${CAPACITY_WORDS[body]}`,
      }
    }),
  )

  const people = await listPeople(db, report.company_id, today)
  const facts = snap.hasTag('awaitingApprovalForFiling') ? await certificationFacts(db, record, report.id, now) : null
  const approvals = FILING_APPROVERS.map((role) => {
    const holder = people.find((p) => p.roles.includes(role))
    const event: ReportLifecycleEvent | null = facts
      ? { type: 'report.approveForFiling', officerRole: role, signatureId: SOME_SHA, ...facts }
      : null
    return {
      role,
      who: APPROVER_WORDS[role],
      holder: holder?.name ?? null,
      done:
        signatureOf(progress.approvalsForFiling[role]?.signatureId) ??
        (progress.approvalsForFiling[role] ? { signedAt: formatInstantUtc(progress.approvalsForFiling[role]!.at) } : null),
      canApprove: user.roles.includes(role) && holder?.id === user.id && event !== null && snap.can(event),
      meaning: `${ACT_MEANINGS.approval_for_filing}, ${CAPACITY_WORDS[role]}`,
    }
  })

  const isClerk = user.roles.some((r) => REPORT_ADMIN_ROLES.includes(r))
  const canFile = isClerk && snap.hasTag('approvedForFiling')
  const canNotify =
    isClerk &&
    deadline !== null &&
    snap.can({ type: 'report.notifyLateFiling', dueDate: deadline.dueDate, notifiedOn: today, narrative: 'a reason', at })

  const amendments = (await listAmendments(db, report.id)).map((a) => ({
    id: a.id,
    title: reportTitle({ ...report, amendment_number: a.amendment_number }),
    reason: a.amendment_reason ?? '',
  }))
  const original = report.amends_report_id ? await findReportWithDraft(db, report.amends_report_id) : undefined
  const top = lifecycle.path.split('.')[0] ?? ''
  return {
    amendments,
    amends: original ? { id: original.id, title: reportTitle(original), reason: report.amendment_reason ?? '' } : null,
    canAmend: isClerk && snap.hasTag('filed'),
    // The report page is the officers' and the reviewing bodies' (permissions.server.ts): no link where it would be a 403.
    canOpenReport: officerRolesOf(user.roles).length > 0 || user.roles.some((r) => REPORT_READER_ROLES.includes(r)),
    report: {
      id: report.id,
      heading: reportTitle(report),
      companyName: report.company_name,
    },
    draft: report.draft
      ? { version: report.draft.version, fileName: report.draft.fileName, sha256: report.draft.sha256, id: report.draft.id }
      : null,
    lifecycle: {
      state: top,
      stateLabel: REPORT_STATE_LABELS[top] ?? top,
      description: describeReportState(lifecycle),
      version: lifecycle.version,
    },
    sentBack:
      progress.lastSendBack && top === 'certification'
        ? {
            body: bodyTitle(progress.lastSendBack.body),
            reason: progress.lastSendBack.reason,
            duties: progress.lastSendBack.dutyNumbers,
            at: formatInstantUtc(progress.lastSendBack.at),
          }
        : null,
    due,
    bodies,
    approvals,
    filing: progress.filing
      ? {
          accessionNumber: progress.filing.accessionNumber,
          filedAt: formatInstantUtc(progress.filing.filedAt),
          draftSha256: progress.filing.draftSha256,
        }
      : null,
    notice: notice
      ? {
          notifiedOn: formatCalendarDate(notice.notifiedOn),
          narrative: notice.narrative,
          extendedDueDate: formatCalendarDate(notice.extendedDueDate),
        }
      : null,
    canFile,
    canNotify,
    today,
    signer: { name: user.fullName, title: user.title },
    duties: DUTIES.map((d) => ({ number: d.number, title: d.title })),
  }
}
