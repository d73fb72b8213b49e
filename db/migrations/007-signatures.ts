import type { Kysely } from 'kysely'
import { appendOnly, runStatements } from './sql'

// Signatures other than an officer's sign-off of a duty: a committee's step on a
// report (the Disclosure Committee's approval, the Audit Committee's review), the
// CEO's and CFO's approval for filing (the certifying officers of Rule 13a-14),
// and a director's signature of a Board determination (duty 5). Shaped like
// sign_off (004): the id is the sha-256 of the canonical manifestation, the
// workflow event at workflow_sequence carries that id inside the hash chain, and
// the row is append-only. `act` says what was signed; `capacity` in which
// capacity (the body or the office the signer acted for).
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `CREATE TABLE signature (
      id TEXT PRIMARY KEY CHECK (length(id) = 64 AND id NOT GLOB '*[^0-9a-f]*'),
      act TEXT NOT NULL CHECK (act IN ('disclosure_committee_approval', 'audit_committee_review',
        'approval_for_filing', 'board_determination')),
      capacity TEXT NOT NULL CHECK (capacity IN ('disclosure_committee', 'audit_committee', 'ceo', 'cfo', 'board')),
      report_id TEXT REFERENCES periodic_report(id),
      signer_user_id TEXT NOT NULL REFERENCES user(id),
      meaning_text TEXT NOT NULL CHECK (length(meaning_text) > 0),
      note TEXT,
      printed_name TEXT NOT NULL,
      title TEXT NOT NULL,
      signed_at TEXT NOT NULL,
      signed_at_local TEXT NOT NULL,
      time_zone TEXT NOT NULL,
      manifestation TEXT NOT NULL CHECK (json_valid(manifestation)),
      workflow_instance_id TEXT NOT NULL REFERENCES workflow_instance(id),
      workflow_sequence INTEGER NOT NULL UNIQUE REFERENCES workflow_event(sequence)
    ) STRICT`,
    `CREATE INDEX signature_report ON signature(report_id, act)`,
    `CREATE INDEX signature_signer ON signature(signer_user_id, signed_at)`,
    `CREATE INDEX signature_instance ON signature(workflow_instance_id)`,
    ...appendOnly('signature'),
  ])
}
