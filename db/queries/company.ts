import type { Executor } from './executor'

export async function getCompany(db: Executor, companyId: string) {
  return db.selectFrom('company').selectAll().where('id', '=', companyId).executeTakeFirst()
}

/** The single company this installation serves (the product is installed per issuer). */
export async function getInstalledCompany(db: Executor) {
  return db.selectFrom('company').selectAll().orderBy('created_at').limit(1).executeTakeFirst()
}

/** The filer category in force on a date: the latest one that took effect on or before it. */
export async function filerCategoryOn(db: Executor, companyId: string, date: string) {
  const row = await db
    .selectFrom('filer_category')
    .select('category')
    .where('company_id', '=', companyId)
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.category ?? null
}
