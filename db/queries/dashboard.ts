import { sql } from 'kysely'
import { DUTY_REVIEW_MACHINE_ID } from '../../machines/duty-review'
import type { ReportLifecycleContext } from '../../machines/report-lifecycle'
import { instanceId } from '../ids'
import type { Form } from '../schema'
import type { Executor } from './executor'

/** The report workflow's cached snapshot, as stored (a persisted XState snapshot). */
export interface StoredReportLifecycle {
  value: unknown
  context: ReportLifecycleContext
}

export interface DashboardReportRow {
  id: string
  form: Form
  fiscal_year: number
  fiscal_quarter: number | null
  period_end: string
  draft_version: number | null
  draft_sha256: string | null
  /** Null while the report has no workflow yet (no draft registered through the record). */
  lifecycle: StoredReportLifecycle | null
  /** Duty workflows holding a signature that still stands (a newer draft clears those of duties 6, 10 and 12). */
  signed_duties: number
}

/**
 * The company's periodic reports with what the dashboard shows beside each: the
 * report workflow's cached snapshot and the count of signed duty workflows, all
 * officers' or, with `officerUserId`, that officer's own. Three queries, whatever
 * the number of reports.
 */
export async function listDashboardReports(
  db: Executor,
  companyId: string,
  options: { officerUserId?: string } = {},
): Promise<DashboardReportRow[]> {
  const reports = await db
    .selectFrom('periodic_report as r')
    .leftJoin('report_draft as d', 'd.id', 'r.current_draft_id')
    .select([
      'r.id',
      'r.form',
      'r.fiscal_year',
      'r.fiscal_quarter',
      'r.period_end',
      'd.version as draft_version',
      'd.sha256 as draft_sha256',
    ])
    .where('r.company_id', '=', companyId)
    .orderBy('r.period_end', 'desc')
    .orderBy('r.form')
    .execute()
  if (reports.length === 0) return []
  const reportIds = reports.map((r) => r.id)

  const snapshots = await db
    .selectFrom('workflow_snapshot')
    .select(['instance_id', 'snapshot'])
    .where(
      'instance_id',
      'in',
      reportIds.map((id) => instanceId.report(id)),
    )
    .execute()
  const lifecycleOf = new Map(snapshots.map((s) => [s.instance_id, JSON.parse(s.snapshot) as StoredReportLifecycle]))

  const signed = await db
    .selectFrom('workflow_instance as i')
    .innerJoin('workflow_snapshot as s', 's.instance_id', 'i.id')
    .select((eb) => ['i.report_id', eb.fn.countAll<number>().as('n')])
    .where('i.machine_id', '=', DUTY_REVIEW_MACHINE_ID)
    .where('i.report_id', 'in', reportIds)
    // json_extract gives SQL NULL for JSON null: only a signature that still stands counts.
    .where(sql<unknown>`json_extract(s.snapshot, '$.context.signature')`, 'is not', null)
    .$if(options.officerUserId !== undefined, (qb) =>
      qb.where(sql<string>`json_extract(i.subject, '$.officerUserId')`, '=', options.officerUserId!),
    )
    .groupBy('i.report_id')
    .execute()
  const signedOf = new Map(signed.map((s) => [s.report_id, Number(s.n)]))

  return reports.map((r) => ({
    ...r,
    lifecycle: lifecycleOf.get(instanceId.report(r.id)) ?? null,
    signed_duties: signedOf.get(r.id) ?? 0,
  }))
}
