import { expect, test } from 'vitest'
import { openDatabase, openSqlite } from '../../db/client'
import { migrateToLatest } from '../../db/migrate'
import { tempDatabaseFile } from '../utils/test-db'

test('the durability pragmas hold after the file is closed and reopened', async () => {
  const file = tempDatabaseFile('pragmas')
  const first = openDatabase(file)
  await migrateToLatest(first.db)
  await first.db.destroy()

  const sqlite = openSqlite(file)
  expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
  // 2 is FULL: a commit is on disk before the officer is told it is.
  expect(sqlite.pragma('synchronous', { simple: true })).toBe(2)
  expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
  expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000)
  sqlite.close()
})

test('WAL mode is stored in the file itself, so even a bare connection sees it', async () => {
  const file = tempDatabaseFile('wal-persist')
  const first = openDatabase(file)
  await migrateToLatest(first.db)
  await first.db.destroy()
  const Database = (await import('better-sqlite3')).default
  const bare = new Database(file)
  expect(bare.pragma('journal_mode', { simple: true })).toBe('wal')
  bare.close()
})

test('foreign keys are enforced: a draft for a report that does not exist is refused', async () => {
  const file = tempDatabaseFile('fk')
  const { db, sqlite } = openDatabase(file)
  await migrateToLatest(db)
  expect(() =>
    sqlite
      .prepare(
        `INSERT INTO report_draft (id, report_id, version, sha256, size_bytes, file_name, uploaded_by, uploaded_at)
         VALUES ('d', 'no-such-report', 1, '${'a'.repeat(64)}', 1, 'x.txt', 'nobody', '2020-01-01T00:00:00Z')`,
      )
      .run(),
  ).toThrow(/FOREIGN KEY/)
  await db.destroy()
})
