import type { Kysely } from 'kysely'
import { appendOnly, runStatements } from './sql'

// Reporting by anyone, and the anonymous channel (Exchange Act Rule 10A-3(b)(4);
// docs/decisions/015-reporting-and-anonymous-channel.md).
// - anonymous_receipt: what lets the anonymous reporter of a case come back — the
//   SHA-256 of the 16-digit receipt key (the key itself is shown once and never
//   kept) and the slow hash of the passphrase they chose (db/password.ts). Nothing
//   else: no address, no session, no browser, no time beyond the case's own.
// - case_addition: more information the reporter adds to their matter after
//   reporting it (signed in, or through the anonymous channel: then no author).
// - the anonymous reporter's answers to the recipients' questions are case_message
//   rows (009) written by one user that stands for the channel and signs no one
//   in: no password, deactivated, no membership.
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `INSERT INTO user (id, email, full_name, title, password_hash, deactivated_at, created_at)
     VALUES ('anonymous-channel', 'anonymous-channel@invalid', 'Anonymous reporter', 'through the anonymous channel', NULL,
       '2000-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z')`,
    `CREATE TABLE anonymous_receipt (
      case_instance_id TEXT PRIMARY KEY REFERENCES workflow_instance(id) CHECK (case_instance_id GLOB 'case/*'),
      key_sha256 TEXT NOT NULL UNIQUE CHECK (length(key_sha256) = 64 AND key_sha256 NOT GLOB '*[^0-9a-f]*'),
      passphrase_hash TEXT NOT NULL CHECK (passphrase_hash GLOB 'scrypt$*')
    ) STRICT`,
    ...appendOnly('anonymous_receipt'),
    `CREATE TABLE case_addition (
      id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 100),
      case_instance_id TEXT NOT NULL REFERENCES workflow_instance(id) CHECK (case_instance_id GLOB 'case/*'),
      author_user_id TEXT REFERENCES user(id),
      body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000 AND instr(body, char(0)) = 0),
      written_at TEXT NOT NULL
    ) STRICT`,
    `CREATE INDEX case_addition_case ON case_addition(case_instance_id, written_at)`,
    ...appendOnly('case_addition'),
  ])
}
