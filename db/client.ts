import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely'
import type { Database } from './schema'

export type DB = Kysely<Database>

export const DEFAULT_DATABASE_PATH = 'data/app.sqlite'

export function databasePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.DATABASE_PATH || DEFAULT_DATABASE_PATH)
}

/**
 * Opens the SQLite file and sets, on every open, what the record depends on:
 * WAL (readers never block the writer), synchronous=FULL (a signature acknowledged
 * to the officer survives a power cut), foreign keys (SQLite leaves them off per
 * connection), and a busy timeout so a second process waits instead of failing.
 */
export function openSqlite(file: string): SQLite.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  return sqlite
}

/**
 * Kysely prepares every query it runs anew (SqliteDriver calls `prepare` each time),
 * and better-sqlite3 keeps no statements of its own: on a page of a dozen queries that
 * was a few per cent of the server's time (issue 13's profiles). The same SQL text is
 * the same statement, so the prepared ones are kept, the most recently used first; SQLite
 * prepares a kept statement again by itself when the schema changes (a migration).
 * One still iterating (`busy`) is never handed out twice: a fresh one is prepared then.
 */
const KEPT_STATEMENTS = 500
function keepingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const kept = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(text) {
      const found = kept.get(text)
      if (found && !found.busy) {
        kept.delete(text)
        kept.set(text, found)
        return found
      }
      const statement = sqlite.prepare(text)
      if (!found) {
        kept.set(text, statement)
        if (kept.size > KEPT_STATEMENTS) kept.delete(kept.keys().next().value!)
      }
      return statement
    },
  }
}

export function openDatabase(file: string = databasePath()): { db: DB; sqlite: SQLite.Database } {
  const sqlite = openSqlite(file)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: keepingStatements(sqlite) }) })
  return { db, sqlite }
}
