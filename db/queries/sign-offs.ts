import { dutyByNumber, type DutyNumber } from '../../machines/duties'
import type { DutyReviewContext } from '../../machines/duty-review'
import type { OfficerRole } from '../../machines/roles'
import { NotFoundError } from '../errors'
import { findUserRecord } from './people'
import type { ManifestationFacts } from '../sign-off'
import { checkSignOffs } from '../verify'
import type { Executor } from './executor'
import type { RecordReader } from './workflows'
import { findCurrentDraft } from './reports'

/**
 * Every sign-off of one duty workflow that the record proves, newest first: the
 * current one and those withdrawn or voided by a new draft.
 */
export async function listSignOffs(db: Executor, reader: RecordReader, workflowInstanceId: string) {
  const rows = await db
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
      'd.file_name as draft_file_name',
      's.workflow_sequence',
      's.manifestation',
    ])
    .where('s.workflow_instance_id', '=', workflowInstanceId)
    .orderBy('s.workflow_sequence', 'desc')
    .execute()
  // A page shows a sign-off only when the chain holds it: a row copied in, or edited, is left out and counted.
  const checks = await checkSignOffs(
    db,
    reader.lookup,
    reader.key,
    rows.map((r) => r.id),
  )
  const genuine = rows.filter((r) => checks.get(r.id)?.genuine)
  return { signOffs: genuine, notOnRecord: rows.length - genuine.length }
}

/**
 * What a signature of this duty would manifest now: the company, the report and
 * its current draft, the duty's words, the officer's printed name and title as
 * they stand today, and the workflow's answers and exception.
 */
export async function findManifestationFacts(
  db: Executor,
  request: {
    reportId: string
    officerUserId: string
    officerRole: OfficerRole
    dutyNumber: DutyNumber
    context: DutyReviewContext
    at: Date
  },
): Promise<ManifestationFacts> {
  const report = await db
    .selectFrom('periodic_report as r')
    .innerJoin('company as c', 'c.id', 'r.company_id')
    .select(['r.id', 'r.form', 'r.fiscal_year', 'r.fiscal_quarter', 'r.period_end', 'c.name', 'c.ticker', 'c.time_zone'])
    .where('r.id', '=', request.reportId)
    .executeTakeFirst()
  if (!report) throw new NotFoundError('periodic_report', request.reportId)
  // The title held on the day of signing (title_assignment), not today's: a manifestation states what held then.
  const user = await findUserRecord(db, request.officerUserId, request.at)
  if (!user) throw new NotFoundError('person', request.officerUserId)
  const draft = await findCurrentDraft(db, request.reportId)
  const duty = dutyByNumber(request.dutyNumber)
  return {
    company: { name: report.name, ticker: report.ticker, timeZone: report.time_zone },
    report: {
      id: report.id,
      form: report.form,
      fiscalYear: report.fiscal_year,
      fiscalQuarter: report.fiscal_quarter,
      periodEnd: report.period_end,
    },
    draft: draft ?? null,
    duty: { number: duty.number, title: duty.title, text: duty.text },
    officer: { userId: user.id, role: request.officerRole, printedName: user.full_name, title: user.title },
    answers: request.context.answers,
    exception: request.context.exception
      ? { explanation: request.context.exception.explanation, caseId: request.context.exception.caseId }
      : null,
    at: request.at,
  }
}
