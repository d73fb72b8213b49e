import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely'
import type { DB } from './client'
import * as m001 from './migrations/001-initial'
import * as m002 from './migrations/002-workflow-record'
import * as m003 from './migrations/003-sessions-and-security'
import * as m004 from './migrations/004-sign-offs'
import * as m005 from './migrations/005-workflow-subject-columns'
import * as m006 from './migrations/006-sealed-snapshot-cache'
import * as m007 from './migrations/007-signatures'
import * as m008 from './migrations/008-review-body-settings'
import * as m009 from './migrations/009-case-threads'
import * as m010 from './migrations/010-timeline-indexes'
import * as m011 from './migrations/011-waiver-register'
import * as m012 from './migrations/012-reporting-and-anonymous-channel'
import * as m014 from './migrations/014-amendments'
import * as m016 from './migrations/016-dated-titles-and-states'
import * as m017 from './migrations/017-outbox'
import * as m018 from './migrations/018-kept-reference-rows'
import * as m021 from './migrations/021-reauth-succeeded'

// Static imports, not FileMigrationProvider: that one loads files at run time and
// cannot import .ts under Vitest or from the bundled server (docs/decisions/002).
const migrations: Record<string, Migration> = {
  '001-initial': m001,
  '002-workflow-record': m002,
  '003-sessions-and-security': m003,
  '004-sign-offs': m004,
  '005-workflow-subject-columns': m005,
  '006-sealed-snapshot-cache': m006,
  '007-signatures': m007,
  '008-review-body-settings': m008,
  '009-case-threads': m009,
  '010-timeline-indexes': m010,
  '011-waiver-register': m011,
  '012-reporting-and-anonymous-channel': m012,
  '014-amendments': m014,
  '016-dated-titles-and-states': m016,
  '017-outbox': m017,
  '018-kept-reference-rows': m018,
  '021-reauth-succeeded': m021,
}

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations
  },
}

export async function migrateToLatest(db: DB): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const result = await migrator.migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(result.error)}`, {
      cause: result.error,
    })
  }
  return result
}
