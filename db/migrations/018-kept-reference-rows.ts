import type { Kysely } from 'kysely'
import { runStatements } from './sql'

// The record names the company, its filer categories, its periodic reports and
// its committees' signer settings; a row deleted or re-keyed under it would leave
// sign-offs that point at nothing or at something else (issue 12: every table is
// either append-only or changes only where it says so; tests/db/kept-tables.test.ts
// classifies each). Columns that describe the present (a company's name, a report's
// current draft, who signs for a committee now) may still change; what a row is,
// never. IF NOT EXISTS: a database that already has one of these (made by hand) is
// not refused.

const noDelete = (table: string, why: string) =>
  `CREATE TRIGGER IF NOT EXISTS ${table}_no_delete BEFORE DELETE ON ${table}
   BEGIN SELECT RAISE(ABORT, '${table} rows are never deleted: ${why}'); END`

const frozenColumns = (table: string, columns: readonly string[]) =>
  `CREATE TRIGGER IF NOT EXISTS ${table}_frozen_columns BEFORE UPDATE OF ${columns.join(', ')} ON ${table}
   WHEN ${columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')}
   BEGIN SELECT RAISE(ABORT, '${table}: ${columns.join(', ')} never change once written'); END`

export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    noDelete('company', 'the record names it'),
    frozenColumns('company', ['id', 'created_at']),
    // A change of category is a new row from its date: the deadlines of earlier reports follow the old one.
    noDelete('filer_category', 'a change of category is a new row from its date'),
    `CREATE TRIGGER IF NOT EXISTS filer_category_no_update BEFORE UPDATE ON filer_category
     BEGIN SELECT RAISE(ABORT, 'filer_category rows are never updated: a change of category is a new row from its date'); END`,
    noDelete('periodic_report', 'its workflows and sign-offs name it'),
    frozenColumns('periodic_report', [
      'id',
      'company_id',
      'form',
      'fiscal_year',
      'fiscal_quarter',
      'period_end',
      'created_by',
      'created_at',
      'amends_report_id',
      'amendment_number',
      'amendment_reason',
    ]),
    noDelete('review_body_setting', 'it says who signs for a committee'),
    frozenColumns('review_body_setting', ['company_id', 'body']),
    frozenColumns('user', ['id', 'created_at']),
  ])
}
