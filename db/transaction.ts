import { sql } from 'kysely'
import type { DB } from './client'

/**
 * A write transaction that takes SQLite's write lock at BEGIN. A deferred
 * transaction that reads and then writes can fail with SQLITE_BUSY when another
 * process wrote in between; IMMEDIATE makes the second writer wait (busy_timeout)
 * and then read fresh data, so the version check inside is sound.
 */
export async function immediateTransaction<T>(db: DB, work: (trx: DB) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn)
    try {
      const result = await work(conn)
      await sql`COMMIT`.execute(conn)
      return result
    } catch (error) {
      await sql`ROLLBACK`.execute(conn)
      throw error
    }
  })
}
