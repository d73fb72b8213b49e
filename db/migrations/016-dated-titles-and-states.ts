import { sql, type Kysely } from 'kysely'
import type { EventObject } from 'xstate'
import { EventRefusedError, replayStates } from '../../machines/replay'
import { canonicalJson } from '../canonical-json'
import { machineLookup } from '../machine-lookup'
import { appendOnly, runStatements } from './sql'

// Issue 10: the history shows who acted in which title and roles *at the time*,
// and from which state to which (docs/decisions/019-dated-titles-and-derived-states.md).
//
// - title_assignment: a person's titles as dated periods. The one `user.title`
//   column stays as today's title (what the header shows); this table is what held
//   on a day. Backfilled from the titles the record's signatures already state
//   (`backfillTitles`), then today's title.
// - membership and title_assignment become append-only except closing a period
//   once: `effective_to` may go from NULL to a date on or after `effective_from`;
//   nothing else changes and no row is deleted. An old period is never rewritten,
//   so the history of a day reads the same tomorrow.
// - workflow_event_state: the state value after each event, derived from the
//   events by replaying each instance, written by the record with its event from
//   now on, and recomputed and compared by `npm run verify`.
//
// Written with IF NOT EXISTS and a guarded backfill, so that it also runs on a copy
// of a database taken at 014 or 015 (tests/db/migration-016.test.ts).
const closeOnce = (table: string, columns: string[]) => [
  `CREATE TRIGGER IF NOT EXISTS ${table}_close_once BEFORE UPDATE ON ${table}
   WHEN NOT (OLD.effective_to IS NULL AND NEW.effective_to IS NOT NULL
     AND date(NEW.effective_to) = NEW.effective_to AND NEW.effective_to >= OLD.effective_from
     AND ${columns.map((c) => `NEW.${c} IS OLD.${c}`).join(' AND ')})
   BEGIN SELECT RAISE(ABORT, '${table} keeps its history: only an open period is closed, once, on or after its start'); END`,
  `CREATE TRIGGER IF NOT EXISTS ${table}_no_delete BEFORE DELETE ON ${table}
   BEGIN SELECT RAISE(ABORT, '${table} keeps its history: rows are never deleted'); END`,
]

const ifNotExists = (statements: string[]) => statements.map((s) => s.replace(/^CREATE TRIGGER /, 'CREATE TRIGGER IF NOT EXISTS '))

export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `CREATE TABLE IF NOT EXISTS title_assignment (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES user(id),
      title TEXT NOT NULL CHECK (length(trim(title)) > 0),
      effective_from TEXT NOT NULL CHECK (date(effective_from) = effective_from),
      effective_to TEXT CHECK (effective_to IS NULL OR (date(effective_to) = effective_to AND effective_to >= effective_from)),
      recorded_by TEXT REFERENCES user(id),
      recorded_at TEXT NOT NULL
    ) STRICT`,
    `CREATE INDEX IF NOT EXISTS title_assignment_user ON title_assignment(user_id, effective_from)`,
    // One title in force at a time: one open period a person.
    `CREATE UNIQUE INDEX IF NOT EXISTS title_assignment_one_open ON title_assignment(user_id) WHERE effective_to IS NULL`,
    ...closeOnce('title_assignment', ['id', 'user_id', 'title', 'effective_from', 'recorded_by', 'recorded_at']),
    ...closeOnce('membership', ['id', 'user_id', 'company_id', 'role', 'effective_from']),
    `CREATE TABLE IF NOT EXISTS workflow_event_state (
      sequence INTEGER PRIMARY KEY REFERENCES workflow_event(sequence),
      state_value TEXT NOT NULL CHECK (json_valid(state_value))
    ) STRICT`,
    ...ifNotExists(appendOnly('workflow_event_state')),
  ])

  await backfillTitles(db)

  // The state after each stored event, by replaying each workflow with the machine
  // version it was recorded under (machines/registry.ts keeps every one).
  const instances = await sql<{ id: string; machine_id: string; machine_version: number; input: string }>`
    SELECT id, machine_id, machine_version, input FROM workflow_instance
    WHERE EXISTS (SELECT 1 FROM workflow_event e WHERE e.instance_id = workflow_instance.id
      AND NOT EXISTS (SELECT 1 FROM workflow_event_state s WHERE s.sequence = e.sequence))`.execute(db)
  for (const instance of instances.rows) {
    const events = await sql<{ sequence: number; event: string }>`
      SELECT sequence, event FROM workflow_event WHERE instance_id = ${instance.id} ORDER BY instance_version`.execute(db)
    const machine = machineLookup.atVersion(instance.machine_id, instance.machine_version)
    let states: unknown[]
    try {
      states = replayStates(
        machine,
        JSON.parse(instance.input) as never,
        events.rows.map((e) => JSON.parse(e.event) as EventObject) as never,
      ).states
    } catch (error) {
      // A history its machine refuses gets no state rows: `npm run verify` names the refused event and the rows missing.
      if (error instanceof EventRefusedError) continue
      throw error
    }
    for (const [i, e] of events.rows.entries()) {
      await sql`INSERT OR IGNORE INTO workflow_event_state (sequence, state_value) VALUES (${e.sequence}, ${canonicalJson(states[i])})`.execute(
        db,
      )
    }
  }
}

/**
 * Each person's titles as the record already states them: the titles their
 * sign-offs and signatures were made under, in time order, each from the day it
 * was first signed under (the first from the earliest day the record knows them:
 * their account, their first membership or event), then today's `user.title` if
 * it differs from the last one signed. Only for people with no dated title yet.
 */
async function backfillTitles(db: Kysely<unknown>) {
  const users = await sql<{ id: string; title: string; first_day: string }>`
    SELECT u.id, u.title, min(
        substr(u.created_at, 1, 10),
        coalesce((SELECT min(m.effective_from) FROM membership m WHERE m.user_id = u.id), '9999-12-31'),
        coalesce((SELECT substr(min(e.recorded_at), 1, 10) FROM workflow_event e WHERE e.actor_user_id = u.id), '9999-12-31')
      ) AS first_day
    FROM user u WHERE NOT EXISTS (SELECT 1 FROM title_assignment t WHERE t.user_id = u.id)`.execute(db)
  const now = new Date().toISOString()
  for (const user of users.rows) {
    const signed = await sql<{ title: string; day: string }>`
      SELECT title, substr(signed_at, 1, 10) AS day FROM (
        SELECT title, signed_at FROM sign_off WHERE officer_user_id = ${user.id}
        UNION ALL SELECT title, signed_at FROM signature WHERE signer_user_id = ${user.id})
      ORDER BY signed_at`.execute(db)
    const periods: { title: string; from: string }[] = []
    for (const s of signed.rows) {
      const last = periods.at(-1)
      if (!last) periods.push({ title: s.title, from: s.day < user.first_day ? s.day : user.first_day })
      else if (last.title !== s.title) periods.push({ title: s.title, from: s.day })
    }
    const lastSigned = signed.rows.at(-1)?.day
    if (periods.length === 0) periods.push({ title: user.title, from: user.first_day })
    else if (periods.at(-1)!.title !== user.title) {
      // Today's title took effect after the last signature under the one before (when exactly, the record does not say).
      const dayAfter = new Date(Date.parse(`${lastSigned!}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10)
      periods.push({ title: user.title, from: dayAfter })
    }
    for (const [i, p] of periods.entries()) {
      const to = periods[i + 1]?.from ?? null
      await sql`INSERT INTO title_assignment (id, user_id, title, effective_from, effective_to, recorded_by, recorded_at)
        VALUES (${`title-${user.id}-${p.from}`}, ${user.id}, ${p.title}, ${p.from}, ${to}, NULL, ${now})`.execute(db)
    }
  }
}
