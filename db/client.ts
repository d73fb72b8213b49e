import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
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

export function openDatabase(file: string = databasePath()): { db: DB; sqlite: SQLite.Database } {
  const sqlite = openSqlite(file)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  return { db, sqlite }
}
