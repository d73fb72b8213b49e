import type { Kysely } from 'kysely'
import { appendOnly, runStatements } from './sql'

// The snapshot cache gets a seal: an HMAC, keyed from the signing key kept outside
// the file, over what the row says and the hash of the last event it reflects. A
// read that finds a row whose seal does not hold rebuilds it from the events and
// logs 'record_cache_mismatch' when the row said something the events do not
// (docs/decisions/009-sealed-snapshot-cache.md). Rows written before this
// migration have no seal; the first read seals them.
//
// SQLite cannot change a CHECK constraint in place, so security_event is rebuilt
// with the new kind: copied row for row (ids kept), then its indexes and its
// append-only triggers recreated exactly as 003 made them. No table references it.
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `ALTER TABLE workflow_snapshot ADD COLUMN seal TEXT CHECK (seal IS NULL OR (length(seal) = 64 AND seal NOT GLOB '*[^0-9a-f]*'))`,
    `CREATE TABLE security_event_006 (
      id INTEGER PRIMARY KEY,
      occurred_at TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('sign_in_failed', 'sign_in_locked', 'sign_in_succeeded',
        'signed_out', 'reauth_failed', 'cross_site_refused', 'forbidden', 'record_cache_mismatch')),
      user_id TEXT REFERENCES user(id),
      email_attempted TEXT,
      ip TEXT,
      detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
    ) STRICT`,
    `INSERT INTO security_event_006 (id, occurred_at, kind, user_id, email_attempted, ip, detail)
     SELECT id, occurred_at, kind, user_id, email_attempted, ip, detail FROM security_event ORDER BY id`,
    `DROP TABLE security_event`,
    `ALTER TABLE security_event_006 RENAME TO security_event`,
    `CREATE INDEX security_event_email ON security_event(email_attempted, kind, occurred_at)`,
    `CREATE INDEX security_event_time ON security_event(occurred_at)`,
    ...appendOnly('security_event'),
  ])
}
