import { openDatabase } from './client'
import { machineLookup } from './machine-lookup'
import { migrateToLatest } from './migrate'
import { loadOrCreateSigningKey, signingKeyPath } from './signing-key'
import { openWorkflowRecord } from './workflow-record'
import { seedDemoHistory } from '../seeds/history'
import { seedDemoCompany } from '../seeds/load'

/**
 * What `npm start` does to the file before serving: create it, migrate it, make
 * the signing key beside it on first start, and seed the demo company and its
 * history the first time only.
 */
export async function prepareDatabase(file: string): Promise<{ migrated: string[]; seeded: boolean }> {
  const { db } = openDatabase(file)
  try {
    const result = await migrateToLatest(db)
    const record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(file)))
    const seededCompany = await seedDemoCompany(db)
    const seededHistory = await seedDemoHistory(record)
    return { migrated: (result.results ?? []).map((r) => r.migrationName), seeded: seededCompany || seededHistory }
  } finally {
    await db.destroy()
  }
}
