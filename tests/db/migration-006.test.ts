import fs from 'node:fs'
import path from 'node:path'
import { Migrator, sql } from 'kysely'
import { expect, test } from 'vitest'
import { openDatabase } from '../../db/client'
import { migrationProvider } from '../../db/migrate'
import { tempDatabaseFile } from '../utils/test-db'

test('migration 006 keeps every security event, accepts record_cache_mismatch, still refuses unknown kinds, edits and deletes', async () => {
  const file = tempDatabaseFile('migrate-006')
  const { db } = openDatabase(file)
  const migrator = new Migrator({ db, provider: migrationProvider })
  expect((await migrator.migrateTo('004-sign-offs')).error).toBeUndefined()
  await sql`INSERT INTO security_event (occurred_at, kind, email_attempted, ip, detail) VALUES
    ('2013-02-12T10:00:00.000Z', 'sign_in_failed', 'cfo@hecla.example', '10.0.0.1', '{"n":1}'),
    ('2013-02-12T10:01:00.000Z', 'forbidden', NULL, NULL, '{}')`.execute(db)
  const before = (await sql`SELECT * FROM security_event ORDER BY id`.execute(db)).rows
  await expect(
    sql`INSERT INTO security_event (occurred_at, kind) VALUES ('2013-02-12T10:02:00.000Z', 'record_cache_mismatch')`.execute(db),
  ).rejects.toThrow(/CHECK constraint/)

  expect((await migrator.migrateToLatest()).error).toBeUndefined()
  expect((await sql`SELECT * FROM security_event ORDER BY id`.execute(db)).rows).toEqual(before)
  await sql`INSERT INTO security_event (occurred_at, kind) VALUES ('2013-02-12T10:02:00.000Z', 'record_cache_mismatch')`.execute(db)
  await expect(sql`INSERT INTO security_event (occurred_at, kind) VALUES ('x', 'made_up')`.execute(db)).rejects.toThrow(/CHECK constraint/)
  await expect(sql`UPDATE security_event SET kind = 'forbidden'`.execute(db)).rejects.toThrow(/append-only/)
  await expect(sql`DELETE FROM security_event`.execute(db)).rejects.toThrow(/append-only/)
  const indexes = (await sql<{ name: string }>`SELECT name FROM pragma_index_list('security_event') ORDER BY name`.execute(db)).rows
  expect(indexes.map((i) => i.name)).toEqual(['security_event_email', 'security_event_time'])
  const columns = (await sql<{ name: string }>`SELECT name FROM pragma_table_info('workflow_snapshot')`.execute(db)).rows
  expect(columns.map((c) => c.name)).toContain('seal')
  await db.destroy()
  fs.rmSync(path.dirname(file), { recursive: true, force: true })
})
