import type { Kysely } from 'kysely'
import { appendOnly, runStatements } from './sql'

// A sign-off is an electronic signature: who signed (printed name and title as
// they stood that day), when (UTC and the company's local time), what it means,
// and exactly what was signed, all under one hash. The duty.sign event in the
// hash chain carries that hash as its signature id, so the row cannot be
// changed without breaking the chain.
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `CREATE TABLE sign_off (
      id TEXT PRIMARY KEY CHECK (length(id) = 64),
      report_id TEXT NOT NULL REFERENCES periodic_report(id),
      duty_number INTEGER NOT NULL REFERENCES duty(number),
      officer_user_id TEXT NOT NULL REFERENCES user(id),
      officer_role TEXT NOT NULL CHECK (officer_role IN ('ceo', 'cfo', 'cao')),
      draft_id TEXT REFERENCES report_draft(id),
      draft_sha256 TEXT,
      meaning TEXT NOT NULL CHECK (meaning IN ('attested_no_exceptions', 'attested_with_exception')),
      meaning_text TEXT NOT NULL,
      printed_name TEXT NOT NULL,
      title TEXT NOT NULL,
      signed_at TEXT NOT NULL,
      signed_at_local TEXT NOT NULL,
      time_zone TEXT NOT NULL,
      manifestation TEXT NOT NULL CHECK (json_valid(manifestation)),
      workflow_instance_id TEXT NOT NULL REFERENCES workflow_instance(id),
      workflow_sequence INTEGER NOT NULL UNIQUE REFERENCES workflow_event(sequence)
    ) STRICT`,
    `CREATE INDEX sign_off_report ON sign_off(report_id, officer_user_id, duty_number)`,
    ...appendOnly('sign_off'),
  ])
}
