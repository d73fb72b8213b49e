import type { Kysely } from 'kysely'
import { appendOnly, runStatements } from './sql'

// A right password at signing now ends the run of wrong ones, as a sign-in does:
// OWASP's Authentication Cheat Sheet resets the failed-attempt counter on a
// successful authentication. Without it an officer who mistyped twice at each of
// three signatures within fifteen minutes was locked out although every signature
// was theirs. The kind 'reauth_succeeded' is logged on a right password at signing
// and counted as a reset by countPasswordFailures.
//
// SQLite cannot change a CHECK constraint in place: security_event is rebuilt as
// 006 rebuilt it, row for row (ids kept), then its indexes and its append-only
// triggers recreated. No table references it.
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `CREATE TABLE security_event_021 (
      id INTEGER PRIMARY KEY,
      occurred_at TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('sign_in_failed', 'sign_in_locked', 'sign_in_succeeded',
        'signed_out', 'reauth_failed', 'reauth_succeeded', 'cross_site_refused', 'forbidden', 'record_cache_mismatch')),
      user_id TEXT REFERENCES user(id),
      email_attempted TEXT,
      ip TEXT,
      detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
    ) STRICT`,
    `INSERT INTO security_event_021 (id, occurred_at, kind, user_id, email_attempted, ip, detail)
     SELECT id, occurred_at, kind, user_id, email_attempted, ip, detail FROM security_event ORDER BY id`,
    `DROP TABLE security_event`,
    `ALTER TABLE security_event_021 RENAME TO security_event`,
    `CREATE INDEX security_event_email ON security_event(email_attempted, kind, occurred_at)`,
    `CREATE INDEX security_event_time ON security_event(occurred_at)`,
    ...appendOnly('security_event'),
  ])
}
