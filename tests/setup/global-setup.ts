import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { prepareDatabase } from '../../seeds/prepare'
import { SEED_DAY } from '../utils/seed-day'

declare module 'vitest' {
  export interface ProvidedContext {
    /** One migrated and seeded demo database for the whole unit run, its signing key beside it. */
    seededDatabasePath: string
  }
}

// Preparing the demo company and its history (every event hashed, every head
// signed, the demo password hashed with production scrypt) is done once per run;
// each test file takes a copy of it (tests/utils/test-db.ts copySeededDatabase).
export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-seeded-base-'))
  const file = path.join(dir, 'app.sqlite')
  await prepareDatabase(file, { today: SEED_DAY })
  project.provide('seededDatabasePath', file)
  return () => fs.rmSync(dir, { recursive: true, force: true })
}
