import { sql, type Kysely } from 'kysely'

/** better-sqlite3 prepares one statement at a time, so a migration is a list of them. */
export async function runStatements(db: Kysely<unknown>, statements: readonly string[]) {
  for (const statement of statements) await sql.raw(statement).execute(db)
}

/** Triggers that make a table append-only: the record of what was signed is never rewritten. */
export function appendOnly(table: string): string[] {
  return [
    `CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
     BEGIN SELECT RAISE(ABORT, '${table} is append-only: rows are never updated'); END`,
    `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
     BEGIN SELECT RAISE(ABORT, '${table} is append-only: rows are never deleted'); END`,
  ]
}
