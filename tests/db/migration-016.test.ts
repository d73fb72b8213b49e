import { sql } from 'kysely'
import { expect, test } from 'vitest'
import { canonicalJson } from '../../db/canonical-json'
import { changeMembership, changeTitle } from '../../db/commands'
import { machineLookup } from '../../db/machine-lookup'
import { migrateToLatest } from '../../db/migrate'
import { loadOrCreateSigningKey, loadVerificationKey, publicKeyPath } from '../../db/signing-key'
import { verifyRecord } from '../../db/verify'
import { openWorkflowRecord } from '../../db/workflow-record'
import { replayStates } from '../../machines/replay'
import { copySeededDatabase } from '../utils/test-db'

// Migration 016 on a database that holds a history from before it: the seeded demo
// file taken back to 015 (its tables, triggers and registration removed, the titles
// as one column again), then migrated forward.

const NEW_TRIGGERS = [
  'title_assignment_close_once',
  'title_assignment_no_delete',
  'membership_close_once',
  'membership_no_delete',
  'workflow_event_state_no_update',
  'workflow_event_state_no_delete',
]

test('the state rows the record wrote while seeding are, for every seeded workflow, the replay of its events', async () => {
  const copy = copySeededDatabase('event-states')
  try {
    const instances = await copy.db.selectFrom('workflow_instance').selectAll().execute()
    expect(instances.length).toBeGreaterThan(40)
    let checked = 0
    for (const i of instances) {
      const events = await copy.db
        .selectFrom('workflow_event as e')
        .leftJoin('workflow_event_state as s', 's.sequence', 'e.sequence')
        .select(['e.sequence', 'e.event', 's.state_value'])
        .where('e.instance_id', '=', i.id)
        .orderBy('e.instance_version')
        .execute()
      const { states } = replayStates(
        machineLookup.atVersion(i.machine_id, i.machine_version),
        JSON.parse(i.input) as never,
        events.map((e) => JSON.parse(e.event)) as never,
      )
      expect(
        events.map((e) => e.state_value),
        i.id,
      ).toEqual(states.map((v) => canonicalJson(v)))
      checked += events.length
    }
    const total = await copy.db
      .selectFrom('workflow_event_state')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(total.n)).toBe(checked)
  } finally {
    await copy.close()
  }
})

test('migration 016 on a database at 015 with a history: every state backfilled by replay, each person’s title dated from their first day, then the periods close once and are never deleted', async () => {
  const copy = copySeededDatabase('migrate-016')
  const { db } = copy
  try {
    const before = (
      await sql<{
        sequence: number
        state_value: string
      }>`SELECT sequence, state_value FROM workflow_event_state ORDER BY sequence`.execute(db)
    ).rows
    // Back to 015: no dated titles, no derived states, memberships as they were.
    for (const t of NEW_TRIGGERS) await sql.raw(`DROP TRIGGER ${t}`).execute(db)
    await sql`DROP TABLE workflow_event_state`.execute(db)
    await sql`DROP TABLE title_assignment`.execute(db)
    await sql`DELETE FROM kysely_migration WHERE name = '016-dated-titles-and-states'`.execute(db)
    // And what came after 016: the outbox's tables (017; the seed writes no mail) and 018's triggers.
    for (const t of ['outbox_message', 'notification_setting', 'reminder_sent', 'notification_digest', 'witness_sent'])
      await sql.raw(`DROP TABLE ${t}`).execute(db)
    const later = await sql<{
      name: string
    }>`SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE '%_frozen_columns' OR name IN ('company_no_delete', 'filer_category_no_delete', 'filer_category_no_update', 'periodic_report_no_delete', 'review_body_setting_no_delete')) AND name <> 'session_frozen_columns'`.execute(
      db,
    )
    for (const { name } of later.rows) await sql.raw(`DROP TRIGGER ${name}`).execute(db)
    await sql`DELETE FROM kysely_migration WHERE name IN ('017-outbox', '018-kept-reference-rows')`.execute(db)
    // 021 rebuilds security_event as it stands: run again, it changes nothing but its registration.
    await sql`DELETE FROM kysely_migration WHERE name = '021-reauth-succeeded'`.execute(db)
    await sql`UPDATE membership SET effective_to = '2026-01-01' WHERE id = 'membership-admin-administrator'`.execute(db)
    await sql`UPDATE membership SET effective_to = NULL WHERE id = 'membership-admin-administrator'`.execute(db)

    const result = await migrateToLatest(db)
    expect(result.results?.map((r) => [r.migrationName, r.status])).toEqual([
      ['016-dated-titles-and-states', 'Success'],
      ['017-outbox', 'Success'],
      ['018-kept-reference-rows', 'Success'],
      ['021-reauth-succeeded', 'Success'],
    ])
    const after = (
      await sql<{
        sequence: number
        state_value: string
      }>`SELECT sequence, state_value FROM workflow_event_state ORDER BY sequence`.execute(db)
    ).rows
    expect(after).toEqual(before)
    expect(after.length).toBeGreaterThan(300)

    // Titles as the signatures state them: the CFO signed the 2008 10-Q as a Vice President and the 2012 10-K as a
    // Senior Vice President, so two periods, the second from the first day signed under it; everyone else one.
    const titles = await db.selectFrom('title_assignment').selectAll().orderBy('user_id').orderBy('effective_from').execute()
    const users = await db.selectFrom('user').select(['id', 'title']).orderBy('id').execute()
    const cfo = titles.filter((t) => t.user_id === 'user-cfo')
    expect(cfo.map((t) => [t.title, t.effective_from, t.effective_to])).toEqual([
      ['Vice President and Chief Financial Officer', '2007-01-01', '2013-02-13'],
      ['Senior Vice President and Chief Financial Officer', '2013-02-13', null],
    ])
    // The anonymous channel's user (migration 012) is dated from its own account, of 2000.
    expect(
      titles.filter((t) => t.user_id !== 'user-cfo').map((t) => [t.user_id, t.title, t.effective_from, t.effective_to, t.recorded_by]),
    ).toEqual(
      users
        .filter((u) => u.id !== 'user-cfo')
        .map((u) => [u.id, u.title, u.id === 'anonymous-channel' ? '2000-01-01' : '2007-01-01', null, null]),
    )
    const key = loadOrCreateSigningKey(copy.keyPath)
    const verified = verifyRecord({ file: copy.file, key: loadVerificationKey(publicKeyPath(copy.keyPath)), lookup: machineLookup })
    expect(verified.problems).toEqual([])

    // From now on a period closes once, on or after its start, and nothing else changes.
    await expect(sql`UPDATE title_assignment SET title = 'CFO' WHERE user_id = 'user-cfo'`.execute(db)).rejects.toThrow(/keeps its history/)
    await expect(sql`UPDATE title_assignment SET effective_to = '2006-01-01' WHERE user_id = 'user-cfo'`.execute(db)).rejects.toThrow(
      /keeps its history/,
    )
    await expect(sql`DELETE FROM title_assignment`.execute(db)).rejects.toThrow(/keeps its history/)
    await expect(sql`UPDATE membership SET role = 'ceo' WHERE id = 'membership-cfo-cfo'`.execute(db)).rejects.toThrow(/keeps its history/)
    await expect(sql`DELETE FROM membership WHERE id = 'membership-cfo-cfo'`.execute(db)).rejects.toThrow(/keeps its history/)
    await sql`UPDATE membership SET effective_to = '2030-01-01' WHERE id = 'membership-cfo-cfo'`.execute(db)
    await expect(sql`UPDATE membership SET effective_to = '2031-01-01' WHERE id = 'membership-cfo-cfo'`.execute(db)).rejects.toThrow(
      /keeps its history/,
    )
    await expect(sql`UPDATE workflow_event_state SET state_value = '"signed"' WHERE sequence = 1`.execute(db)).rejects.toThrow(
      /append-only/,
    )

    // The commands work on the migrated file.
    const record = openWorkflowRecord(db, machineLookup, key)
    await changeTitle(record, {
      userId: 'user-admin',
      title: 'Senior Compliance Administrator',
      effectiveFrom: '2026-01-05',
      recordedBy: 'user-admin',
    })
    await changeMembership(record, {
      userId: 'user-admin',
      companyId: 'company-hecla',
      on: '2026-01-05',
      start: { role: 'internal_auditor' },
    })
    expect((await db.selectFrom('user').select('title').where('id', '=', 'user-admin').executeTakeFirstOrThrow()).title).toBe(
      'Senior Compliance Administrator',
    )
  } finally {
    await copy.close()
  }
})
