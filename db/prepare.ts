import { openDatabase } from './client'
import { migrateToLatest } from './migrate'
import { seedDemoCompany } from '../seeds/load'

/**
 * What `npm start` does to the file before serving: create it, migrate it, and
 * seed the demo company the first time only.
 */
export async function prepareDatabase(file: string): Promise<{ migrated: string[]; seeded: boolean }> {
  const { db } = openDatabase(file)
  try {
    const result = await migrateToLatest(db)
    const seeded = await seedDemoCompany(db)
    return { migrated: (result.results ?? []).map((r) => r.migrationName), seeded }
  } finally {
    await db.destroy()
  }
}
