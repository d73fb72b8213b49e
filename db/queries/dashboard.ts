import { DUTY_REVIEW_MACHINE_ID } from '../../machines/duty-review'
import { REPORT_LIFECYCLE_MACHINE_ID, type ReportLifecycleContext } from '../../machines/report-lifecycle'
import { instanceId } from '../ids'
import type { Form } from '../schema'
import { parseSnapshot, trustedSnapshots } from '../workflow-record'
import type { Executor } from './executor'
import type { RecordReader } from './workflows'

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
  /** 0 for an original report; n for its Amendment No. n. */
  amendment_number: number
  draft_version: number | null
  draft_sha256: string | null
  /** Null while the report has no workflow yet (no draft registered through the record). */
  lifecycle: StoredReportLifecycle | null
  /** Duty workflows holding a signature that still stands (a newer draft clears those of duties 6, 10 and 12); null where not counted. */
  signed_duties: number | null
}

/**
 * The company's periodic reports with what the dashboard shows beside each: the
 * report workflow's cached snapshot and the count of signed duty workflows, all
 * officers' or, with `officerUserId`, that officer's own. With `countSignedOf` (given the
 * report ids in the list's order, it picks some), the duties are read and counted for those only (a page of the dashboard), and
 * the others' `signed_duties` is null: on the 20-year record the duty workflows are
 * ≈ 12 a report for an officer, ≈ 36 for everyone else (issue 13). Three queries,
 * whatever the number of reports; every snapshot checked against its seal.
 */
export async function listDashboardReports(
  db: Executor,
  reader: RecordReader,
  companyId: string,
  options: { officerUserId?: string; countSignedOf?: (reportIdsInOrder: readonly string[]) => readonly string[] } = {},
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
      'r.amendment_number',
      'd.version as draft_version',
      'd.sha256 as draft_sha256',
    ])
    .where('r.company_id', '=', companyId)
    .orderBy('r.period_end', 'desc')
    .orderBy('r.form')
    .orderBy('r.amendment_number', 'desc')
    .execute()
  if (reports.length === 0) return []
  const reportIds = reports.map((r) => r.id)
  const counted = new Set(options.countSignedOf ? options.countSignedOf(reportIds) : reportIds)

  const snapshots = (machineId: string, ids: string[]) =>
    ids.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('workflow_instance as i')
          .innerJoin('workflow_snapshot as s', 's.instance_id', 'i.id')
          .select(['i.id as instance_id', 'i.report_id', 's.version', 's.snapshot', 's.seal'])
          .where('i.report_id', 'in', ids)
          .where('i.machine_id', '=', machineId)
          .$if(machineId === DUTY_REVIEW_MACHINE_ID && options.officerUserId !== undefined, (qb) =>
            qb.where('i.officer_user_id', '=', options.officerUserId!),
          )
          .execute()
  // Counted from snapshots whose seal holds (or rebuilt from the events): a forged cache row never shows as a signature.
  const lifecycles = await trustedSnapshots(db, reader.lookup, reader.key, await snapshots(REPORT_LIFECYCLE_MACHINE_ID, reportIds))
  const duties = await trustedSnapshots(
    db,
    reader.lookup,
    reader.key,
    await snapshots(
      DUTY_REVIEW_MACHINE_ID,
      reportIds.filter((id) => counted.has(id)),
    ),
  )
  const lifecycleOf = new Map<string, StoredReportLifecycle>()
  for (const row of lifecycles) lifecycleOf.set(row.instance_id, parseSnapshot<StoredReportLifecycle>(row.instance_id, row.snapshot))
  const signedOf = new Map<string, number>()
  for (const row of duties) {
    // Only a signature that still stands counts (a newer draft clears those of duties 6, 10 and 12).
    if (parseSnapshot<{ context: { signature?: unknown } }>(row.instance_id, row.snapshot).context.signature)
      signedOf.set(row.report_id!, (signedOf.get(row.report_id!) ?? 0) + 1)
  }

  return reports.map((r) => ({
    ...r,
    lifecycle: lifecycleOf.get(instanceId.report(r.id)) ?? null,
    signed_duties: counted.has(r.id) ? (signedOf.get(r.id) ?? 0) : null,
  }))
}
