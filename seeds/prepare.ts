import { openDatabase } from '../db/client'
import { machineLookup } from '../db/machine-lookup'
import { migrateToLatest } from '../db/migrate'
import { loadOrCreateSigningKey, signingKeyPath } from '../db/signing-key'
import { openWorkflowRecord } from '../db/workflow-record'
import { seedDemoHistory } from './history'
import { storeDraftFile } from '../db/draft-files'
import { reports } from './hecla'
import { seedDemoCompany, sha256Hex } from './load'

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
    // The demo drafts' files, where the app keeps every draft, so the officers can download what they attest to.
    for (const draft of reports.flatMap((r) => r.drafts)) {
      await storeDraftFile(sha256Hex(draft.content), new TextEncoder().encode(draft.content), file)
    }
    return { migrated: (result.results ?? []).map((r) => r.migrationName), seeded: seededCompany || seededHistory }
  } finally {
    await db.destroy()
  }
}
