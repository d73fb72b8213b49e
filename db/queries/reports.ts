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
