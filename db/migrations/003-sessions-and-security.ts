import type { Kysely } from 'kysely'
import { appendOnly, runStatements } from './sql'

// Sessions and the security log. Frozen once landed.
//
// Lockout is derived from security_event rather than kept in a counter table:
// the failures and locks must be logged anyway, so counting those rows leaves one
// source of truth, append-only, that the Audit Committee can read back. A mutable
// counter would be a second truth that an UPDATE could quietly reset, and it would
// drift from the log. The index below keeps the count a range scan.
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    // The id is the sha-256 of the cookie's token, never the token: a copy of this
    // file (a backup, a support extract) cannot be replayed as someone's session
    // (OWASP Session Management Cheat Sheet). Rows are kept after they end, so the
    // record shows who was signed in, when and from where.
    `CREATE TABLE session (
      id TEXT PRIMARY KEY CHECK (length(id) = 64 AND id NOT GLOB '*[^0-9a-f]*'),
      user_id TEXT NOT NULL REFERENCES user(id),
      created_at TEXT NOT NULL,
      last_seen_at TEXT NOT NULL,
      expires_at TEXT NOT NULL CHECK (expires_at > created_at),
      ended_at TEXT,
      ended_reason TEXT CHECK (ended_reason IN ('signed_out', 'idle', 'expired')),
      ip TEXT,
      user_agent TEXT,
      CHECK ((ended_at IS NULL) = (ended_reason IS NULL))
    ) STRICT`,
    `CREATE INDEX session_user ON session(user_id)`,
    `CREATE TRIGGER session_no_delete BEFORE DELETE ON session
     BEGIN SELECT RAISE(ABORT, 'sessions are ended, never deleted'); END`,
    `CREATE TRIGGER session_frozen_columns BEFORE UPDATE OF id, user_id, created_at, expires_at, ip, user_agent ON session
     BEGIN SELECT RAISE(ABORT, 'a session''s identity and lifetime are fixed when it starts'); END`,
    // An ended session stays ended: nothing can bring a token back to life.
    `CREATE TRIGGER session_ended_is_final BEFORE UPDATE ON session WHEN OLD.ended_at IS NOT NULL
     BEGIN SELECT RAISE(ABORT, 'an ended session cannot change'); END`,
    `CREATE TABLE security_event (
      id INTEGER PRIMARY KEY,
      occurred_at TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('sign_in_failed', 'sign_in_locked', 'sign_in_succeeded',
        'signed_out', 'reauth_failed', 'cross_site_refused', 'forbidden')),
      user_id TEXT REFERENCES user(id),
      email_attempted TEXT,
      ip TEXT,
      detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
    ) STRICT`,
    `CREATE INDEX security_event_email ON security_event(email_attempted, kind, occurred_at)`,
    `CREATE INDEX security_event_time ON security_event(occurred_at)`,
    ...appendOnly('security_event'),
  ])
}
