import fs from 'node:fs'
import path from 'node:path'
import { Migrator, sql } from 'kysely'
import { expect, test } from 'vitest'
import { openDatabase } from '../../db/client'
import { migrationProvider } from '../../db/migrate'
import { tempDatabaseFile } from '../utils/test-db'

test('migration 014 rebuilds periodic_report for amendments: every row and reference kept, foreign keys whole, one amendment number per period', async () => {
  const file = tempDatabaseFile('migrate-014')
  const { db } = openDatabase(file)
  const migrator = new Migrator({ db, provider: migrationProvider })
  expect((await migrator.migrateTo('010-timeline-indexes')).error).toBeUndefined()
  await sql`INSERT INTO company (id, name, ticker, exchange, headquarters, time_zone, fiscal_year_end)
    VALUES ('c', 'Hecla Mining Company', 'HL', 'NYSE', 'Coeur d''Alene', 'America/Los_Angeles', '12-31')`.execute(db)
  await sql`INSERT INTO user (id, email, full_name, title) VALUES ('u', 'cao@hecla.example', 'Jordan Tally', 'Controller')`.execute(db)
  await sql`INSERT INTO periodic_report (id, company_id, form, fiscal_year, fiscal_quarter, period_end, created_by, created_at)
    VALUES ('q2', 'c', '10-Q', 2008, 2, '2008-06-30', 'u', '2008-07-01T00:00:00.000Z'),
           ('fy', 'c', '10-K', 2012, NULL, '2012-12-31', 'u', '2013-01-02T00:00:00.000Z')`.execute(db)
  await sql`INSERT INTO report_draft (id, report_id, version, sha256, size_bytes, file_name, uploaded_by, uploaded_at)
    VALUES ('d', 'fy', 1, ${'a'.repeat(64)}, 10, 'draft.txt', 'u', '2013-02-11T17:00:00.000Z')`.execute(db)
  await sql`UPDATE periodic_report SET current_draft_id = 'd' WHERE id = 'fy'`.execute(db)
  const before = (await sql`SELECT * FROM periodic_report ORDER BY id`.execute(db)).rows

  // Up to 014 only: what 014 did, not the protections later migrations add (018 refuses the delete below first).
  expect((await migrator.migrateTo('014-amendments')).error).toBeUndefined()
  const after = (await sql<Record<string, unknown>>`SELECT * FROM periodic_report ORDER BY id`.execute(db)).rows
  const added = new Set(['amends_report_id', 'amendment_number', 'amendment_reason'])
  expect(after.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !added.has(k))))).toEqual(before)
  expect(after.every((r) => r.amendment_number === 0 && r.amends_report_id === null)).toBe(true)
  expect((await sql`PRAGMA foreign_key_check`.execute(db)).rows).toEqual([])
  // The children still point at periodic_report (not at a table renamed away).
  const draftSql = (await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE name = 'report_draft'`.execute(db)).rows[0]!.sql
  expect(draftSql).toContain('REFERENCES periodic_report(id)')
  await expect(sql`DELETE FROM periodic_report WHERE id = 'fy'`.execute(db)).rejects.toThrow(/FOREIGN KEY/)

  // An amendment of each, numbered; the period's original stays unique, and so does each amendment number.
  await sql`INSERT INTO periodic_report (id, company_id, form, fiscal_year, fiscal_quarter, period_end, created_by, amends_report_id, amendment_number, amendment_reason)
    VALUES ('fy-a1', 'c', '10-K', 2012, NULL, '2012-12-31', 'u', 'fy', 1, 'Restated Note 17.'),
           ('q2-a1', 'c', '10-Q', 2008, 2, '2008-06-30', 'u', 'q2', 1, 'Exhibit 31 omitted.')`.execute(db)
  await expect(
    sql`INSERT INTO periodic_report (id, company_id, form, fiscal_year, fiscal_quarter, period_end, created_by, amends_report_id, amendment_number, amendment_reason)
      VALUES ('fy-a1b', 'c', '10-K', 2012, NULL, '2012-12-31', 'u', 'fy', 1, 'Again.')`.execute(db),
  ).rejects.toThrow(/UNIQUE/)
  await expect(
    sql`INSERT INTO periodic_report (id, company_id, form, fiscal_year, fiscal_quarter, period_end, created_by) VALUES ('fy2', 'c', '10-K', 2012, NULL, '2012-12-31', 'u')`.execute(
      db,
    ),
  ).rejects.toThrow(/UNIQUE/)
  // An amendment names what it amends and why; an original names neither.
  await expect(
    sql`INSERT INTO periodic_report (id, company_id, form, fiscal_year, fiscal_quarter, period_end, created_by, amendment_number) VALUES ('x', 'c', '10-K', 2013, NULL, '2013-12-31', 'u', 1)`.execute(
      db,
    ),
  ).rejects.toThrow(/CHECK/)
  await db.destroy()
  fs.rmSync(path.dirname(file), { recursive: true, force: true })
})
