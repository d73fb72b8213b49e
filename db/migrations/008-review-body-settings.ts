import type { Kysely } from 'kysely'
import { runStatements } from './sql'

// Who signs a committee's step on a periodic report is the company's choice
// (issue 8): by default the committee's chair, or any member when the chair is
// the subject of a matter on the report or absent; or any member at all. The
// chair is named here, since the Disclosure Committee has no chair role of its
// own. A setting, not a record of what happened: what was signed, and by whom,
// is in `signature` and the hash chain.
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `CREATE TABLE review_body_setting (
      company_id TEXT NOT NULL REFERENCES company(id),
      body TEXT NOT NULL CHECK (body IN ('disclosure_committee', 'audit_committee')),
      signer_rule TEXT NOT NULL CHECK (signer_rule IN ('chair', 'any_member')),
      chair_user_id TEXT REFERENCES user(id),
      updated_by TEXT REFERENCES user(id),
      updated_at TEXT NOT NULL,
      PRIMARY KEY (company_id, body)
    ) STRICT`,
  ])
}
