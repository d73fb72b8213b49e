import { openDatabase, type DB } from '../db/client'
import { machineLookup } from '../db/machine-lookup'
import { migrateToLatest } from '../db/migrate'
import { loadOrCreateSigningKey, signingKeyPath } from '../db/signing-key'
import { keepUnkeptRows } from '../db/kept-rows'
import { openWorkflowRecord } from '../db/workflow-record'
import { seedDemoHistory } from './history'
import { storeDraftFile } from '../db/draft-files'
import { reports } from './hecla'
import { seedDemoCompany, sha256Hex } from './load'
import { LIVE_DRAFT_ID, LIVE_REPORT_ID, liveDraft } from './live-report'

/**
 * What `npm start` does to the file before serving: create it, migrate it, make
 * the signing key beside it on first start, and seed the demo company and its
 * history the first time only. `today` is the moment of creation (the server and
 * the seed CLI pass the real one; tests pin one): the live report's period and
 * due date are computed from its UTC calendar day.
 */
export async function prepareDatabase(file: string, options: { today: Date }): Promise<{ migrated: string[]; seeded: boolean }> {
  const { db } = openDatabase(file)
  try {
    const result = await migrateToLatest(db)
    const record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(file)))
    const seededCompany = await seedDemoCompany(db)
    const seededHistory = await seedDemoHistory(record, { today: options.today })
    // A file from before the thread and the registers were kept in the chain has them bound now, once (db/kept-rows.ts).
    await keepUnkeptRows(record)
    // The demo drafts' files, where the app keeps every draft, so the officers can download what they attest to.
    for (const draft of reports.flatMap((r) => r.drafts)) {
      await storeDraftFile(sha256Hex(draft.content), new TextEncoder().encode(draft.content), file)
    }
    await storeLiveDraftFile(db, file)
    return { migrated: (result.results ?? []).map((r) => r.migrationName), seeded: seededCompany || seededHistory }
  } finally {
    await db.destroy()
  }
}

/** The live report's draft file, rebuilt from its stored period (it is a function of it) when the record holds that draft. */
async function storeLiveDraftFile(db: DB, file: string) {
  const row = await db
    .selectFrom('periodic_report as r')
    .innerJoin('report_draft as d', 'd.report_id', 'r.id')
    .select(['r.form', 'r.fiscal_year', 'r.fiscal_quarter', 'r.period_end', 'd.sha256'])
    .where('r.id', '=', LIVE_REPORT_ID)
    .where('d.id', '=', LIVE_DRAFT_ID)
    .executeTakeFirst()
  if (!row) return
  const draft = liveDraft(row)
  if (draft.sha256 === row.sha256) await storeDraftFile(draft.sha256, new TextEncoder().encode(draft.content), file)
}
