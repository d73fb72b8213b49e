import { randomBytes, scryptSync } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { inject } from 'vitest'
import { openDatabase, type DB } from '../../db/client'
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

// Cheap scrypt parameters for fixtures. The hash names its parameters, so
// db/password.ts verifies it as it verifies a production one; production
// parameters are what the seed hashes with, checked in tests/seeds/seed.test.ts.
const FIXTURE_SCRYPT = { N: 2 ** 10, r: 8, p: 1 }

/** A scrypt hash in db/password.ts's format, with cheap parameters: for test fixtures only. */
export function fixturePasswordHash(password: string): string {
  const salt = randomBytes(16)
  const key = scryptSync(password, salt, 32, FIXTURE_SCRYPT)
  return ['scrypt', FIXTURE_SCRYPT.N, FIXTURE_SCRYPT.r, FIXTURE_SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$')
}

/** The demo password, hashed cheaply once per test file: for tests that do not test password hashing. */
let sharedHash: Promise<string> | undefined
export function demoPasswordHash(): Promise<string> {
  sharedHash ??= Promise.resolve(fixturePasswordHash(DEMO_PASSWORD))
  return sharedHash
}

export interface SeededCopy {
  file: string
  /** The signing key beside the copy (signing-key.pem; its .pub.pem and chain-heads/ beside it). */
  keyPath: string
  db: DB
  close: () => Promise<void>
}

/**
 * A copy of the run's one seeded demo database (tests/setup/global-setup.ts), in a
 * folder of its own with the key files beside it: the signing key, its public
 * half and the signed chain heads. What a test writes stays in its copy.
 */
export function copySeededDatabase(label = 'seeded'): SeededCopy {
  const base = inject('seededDatabasePath')
  const baseDir = path.dirname(base)
  const file = tempDatabaseFile(label)
  const dir = path.dirname(file)
  fs.copyFileSync(base, file)
  for (const suffix of ['-wal', '-shm']) if (fs.existsSync(base + suffix)) fs.copyFileSync(base + suffix, file + suffix)
  for (const name of ['signing-key.pem', 'signing-key.pub.pem']) fs.copyFileSync(path.join(baseDir, name), path.join(dir, name))
  fs.cpSync(path.join(baseDir, 'chain-heads'), path.join(dir, 'chain-heads'), { recursive: true })
  const { db } = openDatabase(file)
  return {
    file,
    keyPath: path.join(dir, 'signing-key.pem'),
    db,
    close: async () => {
      await db.destroy()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
