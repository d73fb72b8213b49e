import type { Executor } from './executor'

export async function getCompany(db: Executor, companyId: string) {
  return db.selectFrom('company').selectAll().where('id', '=', companyId).executeTakeFirst()
}

/** The single company this installation serves (the product is installed per issuer). */
export async function getInstalledCompany(db: Executor) {
  return db.selectFrom('company').selectAll().orderBy('created_at').limit(1).executeTakeFirst()
}

/** The filer category in force on a date: the latest one that took effect on or before it. */
/** The company's filer categories with the day each took effect, oldest first: for many dates at once (the dashboard's cards), one query. */
export async function listFilerCategories(db: Executor, companyId: string) {
  return db
    .selectFrom('filer_category')
    .select(['category', 'effective_from'])
    .where('company_id', '=', companyId)
    .orderBy('effective_from')
    .execute()
}

/** The category in force on `date` among `categories` (oldest first, as listFilerCategories gives them): what filerCategoryOn reads. */
export function filerCategoryAmong<C extends { category: string; effective_from: string }>(categories: readonly C[], date: string) {
  let found: C['category'] | null = null
  for (const c of categories) if (c.effective_from <= date) found = c.category
  return found
}

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
