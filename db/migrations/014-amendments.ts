import { sql, type Kysely } from 'kysely'
import { runStatements } from './sql'

// An amendment (Form 10-K/A, 10-Q/A) is a periodic report of its own, with its
// own drafts, walk and filing, linked to the filed report it amends (issue 8).
// The period's uniqueness (001) must then count amendments: SQLite cannot change
// a table's UNIQUE constraint, so periodic_report is rebuilt.
//
// SQLite's own procedure for a change ALTER TABLE cannot make
// (https://sqlite.org/lang_altertable.html#otheralter): foreign keys off (Kysely
// runs SQLite migrations outside a transaction, so the pragma takes effect),
// then in one transaction create the new table, copy every row with its id, drop
// the old one, rename the new one into its place, and check that no reference
// broke before committing. The other tables' REFERENCES periodic_report(id) then
// name the new table. tests/db/migration-014.test.ts checks rows and references.
const NEW_TABLE = `CREATE TABLE periodic_report_014 (
  id TEXT PRIMARY KEY,
  company_id TEXT NOT NULL REFERENCES company(id),
  form TEXT NOT NULL CHECK (form IN ('10-Q', '10-K')),
  fiscal_year INTEGER NOT NULL,
  fiscal_quarter INTEGER CHECK (
    (form = '10-Q' AND fiscal_quarter BETWEEN 1 AND 3) OR (form = '10-K' AND fiscal_quarter IS NULL)),
  period_end TEXT NOT NULL CHECK (date(period_end) = period_end),
  current_draft_id TEXT REFERENCES report_draft(id),
  created_by TEXT NOT NULL REFERENCES user(id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  amends_report_id TEXT REFERENCES periodic_report(id),
  amendment_number INTEGER NOT NULL DEFAULT 0 CHECK (amendment_number >= 0),
  amendment_reason TEXT,
  CHECK ((amendment_number = 0) = (amends_report_id IS NULL)),
  CHECK ((amends_report_id IS NULL) = (amendment_reason IS NULL)),
  UNIQUE (company_id, form, fiscal_year, fiscal_quarter, amendment_number)
) STRICT`

export async function up(db: Kysely<unknown>) {
  await sql`PRAGMA foreign_keys = OFF`.execute(db)
  try {
    await sql`BEGIN IMMEDIATE`.execute(db)
    try {
      await runStatements(db, [
        NEW_TABLE,
        `INSERT INTO periodic_report_014 (id, company_id, form, fiscal_year, fiscal_quarter, period_end, current_draft_id, created_by, created_at)
          SELECT id, company_id, form, fiscal_year, fiscal_quarter, period_end, current_draft_id, created_by, created_at FROM periodic_report`,
        `DROP TABLE periodic_report`,
        `ALTER TABLE periodic_report_014 RENAME TO periodic_report`,
        // UNIQUE treats NULLs as distinct, so a second 10-K (or 10-K/A No. n) for a year needs its own guard.
        `CREATE UNIQUE INDEX periodic_report_one_10k ON periodic_report(company_id, fiscal_year, amendment_number) WHERE form = '10-K'`,
        `CREATE INDEX periodic_report_amends ON periodic_report(amends_report_id) WHERE amends_report_id IS NOT NULL`,
      ])
      const broken = await sql`PRAGMA foreign_key_check`.execute(db)
      if (broken.rows.length > 0) throw new Error(`migration 014 would break references: ${JSON.stringify(broken.rows.slice(0, 3))}`)
      await sql`COMMIT`.execute(db)
    } catch (error) {
      await sql`ROLLBACK`.execute(db)
      throw error
    }
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db)
  }
}
