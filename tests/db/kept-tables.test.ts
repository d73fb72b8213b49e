import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { copySeededDatabase, type SeededCopy } from '../utils/test-db'

// Issue 12: what the database itself refuses. Every table of the seeded file is
// classified here — append-only, kept with named columns that may change, or
// derived/bookkeeping with the reason — so a new table cannot land unclassified; and
// each claim is tried against the real triggers on a real row.

type Kept =
  /** Never updated, never deleted. */
  | { kind: 'append-only' }
  /** Never deleted; only `mutable` columns change (each said why), every other column refused. */
  | { kind: 'kept'; mutable: Record<string, string> }
  /** Not part of the record's facts: why it may change. */
  | { kind: 'free'; why: string }

const TABLES: Record<string, Kept> = {
  workflow_event: { kind: 'append-only' },
  workflow_instance: { kind: 'append-only' },
  chain_checkpoint: { kind: 'append-only' },
  sign_off: { kind: 'append-only' },
  signature: { kind: 'append-only' },
  record_meta: { kind: 'append-only' },
  report_draft: { kind: 'append-only' },
  duty: { kind: 'append-only' },
  material_information_item: { kind: 'append-only' },
  material_amount: { kind: 'append-only' },
  security_event: { kind: 'append-only' },
  case_message: { kind: 'append-only' },
  case_attachment: { kind: 'append-only' },
  case_addition: { kind: 'append-only' },
  case_access_log: { kind: 'append-only' },
  anonymous_receipt: { kind: 'append-only' },
  waiver: { kind: 'append-only' },
  waiver_disclosure: { kind: 'append-only' },
  filer_category: { kind: 'append-only' },
  workflow_event_state: { kind: 'append-only' },
  reminder_sent: { kind: 'append-only' },
  notification_digest: { kind: 'append-only' },
  witness_sent: { kind: 'append-only' },
  outbox_message: {
    kind: 'kept',
    mutable: {
      state: 'its delivery: queued, sending, sent (final), dead, held for a digest, digested (final)',
      attempts: 'how many tries',
      next_attempt_at: 'the back-off',
      lease_until: 'a sender’s claim, which lapses if the sender dies',
      last_error: 'why the last try failed',
      sent_at: 'when it was sent',
      digest_id: 'the digest that carried it',
    },
  },
  title_assignment: { kind: 'kept', mutable: { effective_to: 'an open period is closed, once, on or after its start (migration 016)' } },
  membership: { kind: 'kept', mutable: { effective_to: 'an open membership is ended, once, on or after its start (migration 016)' } },
  company: {
    kind: 'kept',
    mutable: {
      name: 'a company may be renamed; the record keeps the id',
      ticker: 'a listing may change',
      exchange: 'a listing may change',
      headquarters: 'an address may change',
      time_zone: 'how signatures are shown in local time; each sign-off stores its own',
      fiscal_year_end: 'a change of fiscal year; each report stores its period end',
    },
  },
  periodic_report: { kind: 'kept', mutable: { current_draft_id: 'the draft under review now; each sign-off names its own draft' } },
  review_body_setting: {
    kind: 'kept',
    mutable: {
      signer_rule: 'who signs for the committee from now on; each signature stores its signer',
      chair_user_id: 'who chairs the committee now',
      updated_by: 'who made that change',
      updated_at: 'when',
    },
  },
  user: {
    kind: 'kept',
    mutable: {
      email: 'a person’s address may change; the record keeps their id',
      full_name: 'a name may change; each sign-off stores the printed name',
      title: 'a title may change; each sign-off stores the title of that day',
      password_hash: 'a new password',
      deactivated_at: 'deactivation, instead of deletion',
    },
  },
  session: {
    kind: 'kept',
    mutable: {
      last_seen_at: 'the idle limit (written at most once a minute)',
      ended_at: 'the end of a session, once',
      ended_reason: 'why it ended, once',
    },
  },
  notification_setting: { kind: 'free', why: 'a person’s choice of immediate mail or a daily digest, as it stands now' },
  workflow_snapshot: { kind: 'free', why: 'a cache of each workflow’s replay, sealed and checked by `npm run verify` against the events' },
  kysely_migration: { kind: 'free', why: 'Kysely’s list of the migrations applied' },
  kysely_migration_lock: { kind: 'free', why: 'Kysely’s lock while migrating' },
  sqlite_sequence: { kind: 'free', why: 'SQLite’s AUTOINCREMENT counters' },
}

let seeded: SeededCopy
let s: SQLite.Database
beforeAll(async () => {
  seeded = copySeededDatabase('kept-tables')
  await seeded.db.destroy()
  s = new SQLite(seeded.file)
  // The seed signs no one in: a session and a security event as the app writes them, to try.
  s.prepare(
    `INSERT INTO session (id, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
     VALUES (?, 'user-cfo', '2026-12-03T10:00:00.000Z', '2026-12-03T10:00:00.000Z', '2026-12-03T22:00:00.000Z', '127.0.0.1', 'test')`,
  ).run('a'.repeat(64))
  s.prepare(
    `INSERT INTO security_event (occurred_at, kind, user_id, email_attempted, ip, detail)
     VALUES ('2026-12-03T10:00:00.000Z', 'sign_in_succeeded', 'user-cfo', NULL, '127.0.0.1', '{}')`,
  ).run()
  // Nor does it mail anyone (the seed writes with the outbox off).
  s.prepare(
    `INSERT INTO outbox_message (idempotency_key, to_user_id, to_address, kind, subject, body_text, created_at, state, next_attempt_at)
     VALUES ('kept-tables-1', 'user-cfo', 'cfo@hecla.example', 'case.routed', 'A matter', 'A matter was routed to you.', '2026-12-03T10:00:00.000Z', 'queued', '2026-12-03T10:00:00.000Z')`,
  ).run()
})
afterAll(() => s?.close())

const tables = () =>
  (s.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name)
const columnsOf = (table: string) =>
  (s.prepare(`SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0`).all(table) as { name: string }[]).map((c) => c.name)
const aRow = (table: string) => s.prepare(`SELECT rowid AS _rowid, * FROM "${table}" LIMIT 1`).get() as Record<string, unknown> | undefined

/** Tries a write that must fail, inside a transaction rolled back either way. */
function refused(statement: string, ...args: unknown[]): boolean {
  let error: unknown = null
  try {
    s.transaction(() => {
      s.prepare(statement).run(...args)
      throw new Error('allowed')
    })()
  } catch (e) {
    error = e
  }
  return !(error instanceof Error && error.message === 'allowed')
}

const changed = (value: unknown) => (typeof value === 'number' ? value + 1 : value === null ? 'x' : `${String(value)}-changed`)

test('every table of the file is classified, and every classified table exists', () => {
  expect(tables()).toEqual(Object.keys(TABLES).sort())
})

test('an append-only table refuses every update and every delete of a stored row', () => {
  const failures: string[] = []
  for (const [table, kept] of Object.entries(TABLES)) {
    if (kept.kind !== 'append-only') continue
    const row = aRow(table)
    if (!row) {
      // The demo writes no row here (an attachment, say): a trigger fires only on a row,
      // so its definition is read instead — on every update and every delete, no condition.
      const triggers = (
        s.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?").all(table) as { sql: string }[]
      ).map((t) => t.sql.replace(/\s+/g, ' '))
      const unconditional = (verb: string) =>
        triggers.some((t) => new RegExp(`BEFORE ${verb} ON "?${table}"? BEGIN SELECT RAISE\\(ABORT`, 'i').test(t))
      if (!unconditional('UPDATE')) failures.push(`${table}: no trigger refuses every update`)
      if (!unconditional('DELETE')) failures.push(`${table}: no trigger refuses every delete`)
      continue
    }
    for (const column of columnsOf(table)) {
      if (!refused(`UPDATE "${table}" SET "${column}" = ? WHERE rowid = ?`, changed(row[column]), row._rowid))
        failures.push(`${table}.${column} could be updated`)
    }
    if (!refused(`DELETE FROM "${table}" WHERE rowid = ?`, row._rowid)) failures.push(`${table}: a row could be deleted`)
  }
  expect(failures).toEqual([])
})

test('a kept table refuses deletes and changes to every column but the ones it names', () => {
  const failures: string[] = []
  for (const [table, kept] of Object.entries(TABLES)) {
    if (kept.kind !== 'kept') continue
    const row = aRow(table)
    expect(row, `${table} has a row in the seeded file to try`).toBeDefined()
    for (const column of Object.keys(kept.mutable)) expect(columnsOf(table), `${table}.${column} exists`).toContain(column)
    for (const column of columnsOf(table)) {
      if (column in kept.mutable) continue
      if (!refused(`UPDATE "${table}" SET "${column}" = ? WHERE rowid = ?`, changed(row![column]), row!._rowid))
        failures.push(`${table}.${column} could be updated`)
    }
    if (!refused(`DELETE FROM "${table}" WHERE rowid = ?`, row!._rowid)) failures.push(`${table}: a row could be deleted`)
  }
  expect(failures).toEqual([])
})

test('the columns a kept table names as changing do change (the triggers refuse only what they should)', () => {
  const row = aRow('periodic_report')!
  expect(refused('UPDATE periodic_report SET current_draft_id = current_draft_id WHERE rowid = ?', row._rowid)).toBe(false)
  expect(refused("UPDATE company SET name = 'Hecla Mining Co.' WHERE rowid = 1")).toBe(false)
})
