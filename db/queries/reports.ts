import type { Executor } from './executor'

export async function listPeriodicReports(db: Executor, companyId: string) {
  return db
    .selectFrom('periodic_report as r')
    .leftJoin('report_draft as d', 'd.id', 'r.current_draft_id')
    .select((eb) => [
      'r.id',
      'r.form',
      'r.fiscal_year',
      'r.fiscal_quarter',
      'r.period_end',
      'd.version as draft_version',
      'd.sha256 as draft_sha256',
      eb
        .selectFrom('material_information_item as i')
        .whereRef('i.report_id', '=', 'r.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('material_item_count'),
    ])
    .where('r.company_id', '=', companyId)
    .orderBy('r.period_end', 'desc')
    .execute()
}

export async function getPeriodicReport(db: Executor, reportId: string) {
  return db.selectFrom('periodic_report').selectAll().where('id', '=', reportId).executeTakeFirst()
}

export async function listMaterialInformation(db: Executor, reportId: string) {
  const items = await db
    .selectFrom('material_information_item')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('recorded_at')
    .execute()
  const amounts = items.length
    ? await db
        .selectFrom('material_amount')
        .selectAll()
        .where(
          'item_id',
          'in',
          items.map((i) => i.id),
        )
        .orderBy('position')
        .execute()
    : []
  return items.map((item) => ({ ...item, amounts: amounts.filter((a) => a.item_id === item.id) }))
}

/** The report, its company and its current draft; undefined when there is no such report. */
export async function findReportWithDraft(db: Executor, reportId: string) {
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
      'r.amends_report_id',
      'r.amendment_number',
      'r.amendment_reason',
      'c.name as company_name',
      'c.ticker as company_ticker',
      'c.time_zone',
      'd.id as draft_id',
      'd.version as draft_version',
      'd.sha256 as draft_sha256',
      'd.file_name as draft_file_name',
      'd.size_bytes as draft_size_bytes',
      'd.uploaded_at as draft_uploaded_at',
    ])
    .where('r.id', '=', reportId)
    .executeTakeFirst()
  if (!report) return undefined
  const draft =
    report.draft_id && report.draft_sha256 && report.draft_version !== null
      ? {
          id: report.draft_id,
          version: report.draft_version,
          sha256: report.draft_sha256,
          fileName: report.draft_file_name ?? '',
          sizeBytes: report.draft_size_bytes ?? 0,
          uploadedAt: report.draft_uploaded_at ?? '',
        }
      : null
  return { ...report, draft }
}
export type ReportWithDraft = NonNullable<Awaited<ReturnType<typeof findReportWithDraft>>>

/**
 * The report's current draft (id, version, SHA-256), if one is registered: the
 * narrow read the commands make inside their transaction; pages read the draft
 * with the report through `findReportWithDraft`.
 */
export async function findCurrentDraft(db: Executor, reportId: string) {
  return db
    .selectFrom('periodic_report as r')
    .innerJoin('report_draft as d', 'd.id', 'r.current_draft_id')
    .select(['d.id', 'd.version', 'd.sha256'])
    .where('r.id', '=', reportId)
    .executeTakeFirst()
}

/** The amendments of a filed report (10-K/A, 10-Q/A), oldest first. */
export async function listAmendments(db: Executor, reportId: string) {
  return db
    .selectFrom('periodic_report')
    .select(['id', 'amendment_number', 'amendment_reason', 'created_at'])
    .where('amends_report_id', '=', reportId)
    .orderBy('amendment_number')
    .execute()
}
