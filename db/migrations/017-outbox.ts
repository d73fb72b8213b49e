import type { Kysely } from 'kysely'
import { appendOnly, runStatements } from './sql'

// Notifications by e-mail through a transactional outbox (issue 11,
// docs/decisions/020-transactional-outbox.md).
// - outbox_message: one row a mail, written in the transaction of the workflow
//   event (or case message) that causes it. What the mail says never changes once
//   written (trigger): only its delivery columns move (state, attempts,
//   next_attempt_at, last_error, sent_at, lease_until, digest_id). No row is ever
//   deleted: a dead letter stays for the administrator to read.
//   States: 'queued' → 'sending' (claimed, under a lease) → 'sent', or back to
//   'queued' with a later next_attempt_at, or 'dead' after the last attempt;
//   'held' waits for its person's daily digest, then 'digested' (digest_id names
//   the digest's own message).
// - notification_setting: immediate or digest, one row a person (none: immediate).
// - reminder_sent: one reminder a report, person and day, ever (UNIQUE), inserted
//   in the transaction of its message.
// - notification_digest: one digest a person and day (UNIQUE), likewise.
// - witness_sent: the chain heads sent to the Audit Committee chair, one a
//   (reason, period) so the weekly one goes once a week.
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `CREATE TABLE outbox_message (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      idempotency_key TEXT NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200
        AND idempotency_key NOT GLOB '*[^A-Za-z0-9._-]*'),
      to_user_id TEXT NOT NULL REFERENCES user(id),
      to_address TEXT NOT NULL CHECK (length(to_address) BETWEEN 3 AND 320),
      kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 60),
      subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
      body_text TEXT NOT NULL CHECK (length(body_text) BETWEEN 1 AND 100000),
      attachment TEXT CHECK (attachment IS NULL OR json_valid(attachment)),
      cause_sequence INTEGER REFERENCES workflow_event(sequence),
      created_at TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'dead', 'held', 'digested')),
      attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      next_attempt_at TEXT NOT NULL,
      lease_until TEXT,
      last_error TEXT,
      sent_at TEXT,
      digest_id INTEGER REFERENCES outbox_message(id),
      CHECK ((state = 'sent') = (sent_at IS NOT NULL)),
      CHECK ((state = 'digested') = (digest_id IS NOT NULL))
    ) STRICT`,
    `CREATE INDEX outbox_message_due ON outbox_message(state, next_attempt_at)`,
    `CREATE INDEX outbox_message_person ON outbox_message(to_user_id, created_at)`,
    `CREATE TRIGGER outbox_message_content_fixed BEFORE UPDATE ON outbox_message
     WHEN NEW.id IS NOT OLD.id OR NEW.idempotency_key IS NOT OLD.idempotency_key OR NEW.to_user_id IS NOT OLD.to_user_id
       OR NEW.to_address IS NOT OLD.to_address OR NEW.kind IS NOT OLD.kind OR NEW.subject IS NOT OLD.subject
       OR NEW.body_text IS NOT OLD.body_text OR NEW.attachment IS NOT OLD.attachment
       OR NEW.cause_sequence IS NOT OLD.cause_sequence OR NEW.created_at IS NOT OLD.created_at
     BEGIN SELECT RAISE(ABORT, 'outbox_message: what a mail says is never rewritten; only its delivery moves'); END`,
    // A sent mail stays sent.
    `CREATE TRIGGER outbox_message_sent_final BEFORE UPDATE ON outbox_message
     WHEN OLD.state IN ('sent', 'digested') AND NEW.state IS NOT OLD.state
     BEGIN SELECT RAISE(ABORT, 'outbox_message: a sent mail stays sent'); END`,
    `CREATE TRIGGER outbox_message_no_delete BEFORE DELETE ON outbox_message
     BEGIN SELECT RAISE(ABORT, 'outbox_message is never deleted: a dead letter stays for the administrator'); END`,

    `CREATE TABLE notification_setting (
      user_id TEXT PRIMARY KEY REFERENCES user(id),
      mode TEXT NOT NULL CHECK (mode IN ('immediate', 'digest')),
      updated_at TEXT NOT NULL
    ) STRICT`,

    `CREATE TABLE reminder_sent (
      report_id TEXT NOT NULL REFERENCES periodic_report(id),
      user_id TEXT NOT NULL REFERENCES user(id),
      day TEXT NOT NULL CHECK (date(day) = day),
      business_days_left INTEGER NOT NULL CHECK (business_days_left IN (1, 2, 5, 10)),
      message_id INTEGER NOT NULL REFERENCES outbox_message(id),
      PRIMARY KEY (report_id, user_id, day)
    ) STRICT`,
    ...appendOnly('reminder_sent'),

    `CREATE TABLE notification_digest (
      user_id TEXT NOT NULL REFERENCES user(id),
      day TEXT NOT NULL CHECK (date(day) = day),
      message_id INTEGER NOT NULL REFERENCES outbox_message(id),
      PRIMARY KEY (user_id, day)
    ) STRICT`,
    ...appendOnly('notification_digest'),

    `CREATE TABLE witness_sent (
      reason TEXT NOT NULL CHECK (reason IN ('filing', 'weekly')),
      period TEXT NOT NULL CHECK (length(period) BETWEEN 1 AND 100),
      sequence INTEGER NOT NULL REFERENCES workflow_event(sequence),
      message_id INTEGER NOT NULL REFERENCES outbox_message(id),
      PRIMARY KEY (reason, period)
    ) STRICT`,
    ...appendOnly('witness_sent'),
  ])
}
