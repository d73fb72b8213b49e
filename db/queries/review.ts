// Reads for the report's way to the SEC: who may sign a committee's step, and
// the signatures of the committees and the approvers.
import type { ReviewBody } from '../../machines/report-lifecycle'
import type { ReviewSignerFacts, SignerRule } from '../../machines/review-signers'
import type { Role } from '../schema'
import type { Executor } from './executor'
import { listCaseInstances, type RecordReader } from './workflows'

/** The roles that make a person a member of a body that reviews the report. */
export const BODY_MEMBER_ROLES: Record<ReviewBody, readonly Role[]> = {
  disclosure_committee: ['disclosure_committee'],
  audit_committee: ['audit_committee_member', 'audit_committee_chair'],
}

/** The company's setting for a body; the default is the chair (issue 8). */
export async function findReviewBodySetting(db: Executor, companyId: string, body: ReviewBody) {
  const row = await db
    .selectFrom('review_body_setting')
    .select(['signer_rule', 'chair_user_id'])
    .where('company_id', '=', companyId)
    .where('body', '=', body)
    .executeTakeFirst()
  return { rule: (row?.signer_rule ?? 'chair') as SignerRule, chairUserId: row?.chair_user_id ?? null }
}

/** Active members of a body on a calendar day, by their dated memberships. */
export async function listBodyMembers(db: Executor, body: ReviewBody, day: string) {
  return db
    .selectFrom('membership as m')
    .innerJoin('user as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.full_name', 'u.title'])
    .distinct()
    .where('m.role', 'in', BODY_MEMBER_ROLES[body])
    .where('m.effective_from', '<=', day)
    .where((eb) => eb.or([eb('m.effective_to', 'is', null), eb('m.effective_to', '>', day)]))
    .where('u.deactivated_at', 'is', null)
    .orderBy('u.full_name')
    .execute()
}

/** The people the report's reported matters are about. */
export async function listReportCaseSubjects(db: Executor, reader: RecordReader, reportId: string): Promise<string[]> {
  const cases = await listCaseInstances(db, reader, reportId)
  return [...new Set(cases.flatMap((c) => (c.context.subject.kind === 'none' ? [] : [c.context.subject.userId])))]
}

/** Everything `reviewSigners` (machines/review-signers.ts) asks about one body on one report. */
export async function findReviewSignerFacts(
  db: Executor,
  reader: RecordReader,
  request: { companyId: string; reportId: string; body: ReviewBody; day: string },
): Promise<ReviewSignerFacts & { members: { id: string; full_name: string; title: string }[] }> {
  const setting = await findReviewBodySetting(db, request.companyId, request.body)
  const members = await listBodyMembers(db, request.body, request.day)
  return {
    body: request.body,
    rule: setting.rule,
    chairUserId: setting.chairUserId,
    memberUserIds: members.map((m) => m.id),
    subjectUserIds: await listReportCaseSubjects(db, reader, request.reportId),
    members,
  }
}

/** The signatures of acts on a report (committee steps, approvals for filing), oldest first. */
export async function listReportSignatures(db: Executor, reportId: string) {
  return db
    .selectFrom('signature')
    .select([
      'id',
      'act',
      'capacity',
      'signer_user_id',
      'printed_name',
      'title',
      'meaning_text',
      'note',
      'signed_at',
      'signed_at_local',
      'workflow_sequence',
    ])
    .where('report_id', '=', reportId)
    .orderBy('workflow_sequence')
    .execute()
}

/** The company, the report and its current draft, as an act's manifestation names them. */
export async function findReportActFacts(db: Executor, reportId: string) {
  const report = await db
    .selectFrom('periodic_report as r')
    .innerJoin('company as c', 'c.id', 'r.company_id')
    .leftJoin('report_draft as d', 'd.id', 'r.current_draft_id')
    .select([
      'r.id',
      'r.company_id',
      'r.form',
      'r.fiscal_year',
      'r.fiscal_quarter',
      'r.period_end',
      'c.name',
      'c.ticker',
      'c.time_zone',
      'd.id as draft_id',
      'd.version as draft_version',
      'd.sha256 as draft_sha256',
    ])
    .where('r.id', '=', reportId)
    .executeTakeFirst()
  if (!report) return null
  return {
    companyId: report.company_id,
    company: { name: report.name, ticker: report.ticker, timeZone: report.time_zone },
    report: {
      id: report.id,
      form: report.form,
      fiscalYear: report.fiscal_year,
      fiscalQuarter: report.fiscal_quarter,
      periodEnd: report.period_end,
    },
    draft:
      report.draft_id && report.draft_version !== null && report.draft_sha256
        ? { id: report.draft_id, version: report.draft_version, sha256: report.draft_sha256 }
        : null,
  }
}

/**
 * The administrator's choice of who signs for a body: the chair (named) or any
 * member. A setting, changed in place with who changed it and when; what was
 * signed under it is in the record.
 */
export async function saveReviewBodySetting(
  db: Executor,
  setting: { companyId: string; body: ReviewBody; rule: SignerRule; chairUserId: string | null; updatedBy: string; at: Date },
) {
  await db
    .insertInto('review_body_setting')
    .values({
      company_id: setting.companyId,
      body: setting.body,
      signer_rule: setting.rule,
      chair_user_id: setting.chairUserId,
      updated_by: setting.updatedBy,
      updated_at: setting.at.toISOString(),
    })
    .onConflict((oc) =>
      oc.columns(['company_id', 'body']).doUpdateSet({
        signer_rule: setting.rule,
        chair_user_id: setting.chairUserId,
        updated_by: setting.updatedBy,
        updated_at: setting.at.toISOString(),
      }),
    )
    .execute()
}
