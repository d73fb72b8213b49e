import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { openDatabase, type DB } from '../../db/client'
import { hashPassword } from '../../db/password'
import { DEMO_PASSWORD } from '../../seeds/hecla'
import { migrateToLatest } from '../../db/migrate'

/** A fresh SQLite file of its own for a test: real file, real pragmas, real migrations. */
export function tempDatabaseFile(label = 'test'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `attest-${label}-`))
  return path.join(dir, 'app.sqlite')
}

export async function createTestDb(label?: string): Promise<{ db: DB; file: string; close: () => Promise<void> }> {
  const file = tempDatabaseFile(label)
  const { db } = openDatabase(file)
  await migrateToLatest(db)
  return {
    db,
    file,
    close: async () => {
      await db.destroy()
      fs.rmSync(path.dirname(file), { recursive: true, force: true })
    },
  }
}

/** Every row of every table, in a stable order: to prove that something changed nothing. */
export async function dumpAllTables(db: DB): Promise<Record<string, unknown[]>> {
  const tables = await db.introspection.getTables()
  const dump: Record<string, unknown[]> = {}
  for (const table of tables.map((t) => t.name).sort()) {
    const { rows } = await sql<unknown>`SELECT * FROM ${sql.table(table)} ORDER BY rowid`.execute(db)
    dump[table] = rows
  }
  return dump
}

/** Hashing with real scrypt costs ~0.3 s; tests that do not test passwords share one. */
let sharedHash: Promise<string> | undefined
export function demoPasswordHash(): Promise<string> {
  sharedHash ??= hashPassword(DEMO_PASSWORD)
  return sharedHash
}
