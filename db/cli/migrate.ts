// `npm run db:migrate`: brings the database file (DATABASE_PATH) to the latest migration.
import { databasePath, openDatabase } from '../client'
import { migrateToLatest } from '../migrate'

const file = databasePath()
const { db } = openDatabase(file)
try {
  const result = await migrateToLatest(db)
  const applied = (result.results ?? []).map((r) => r.migrationName)
  console.log(applied.length ? `Migrated ${file}: ${applied.join(', ')}` : `${file} is up to date`)
} finally {
  await db.destroy()
}
