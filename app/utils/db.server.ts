import { databasePath, openDatabase, type DB } from '../../db/client'
import { migrateToLatest } from '../../db/migrate'

// One connection per server process. `npm start` has migrated the file already;
// migrating again here is a no-op there and keeps `vite dev` working on a new file.
let ready: Promise<DB> | undefined

export function getDb(): Promise<DB> {
  ready ??= (async () => {
    const { db } = openDatabase(databasePath())
    await migrateToLatest(db)
    return db
  })()
  return ready
}
