import type { Kysely } from 'kysely'
import { appendOnly, runStatements } from './sql'

// The waiver register: a waiver of a provision of the Code of Ethics (one duty,
// or the code as a whole) granted to a certifying officer, who approved it (the
// Board, or a committee it named) and when; and, later, its disclosure on Form
// 8-K Item 5.05 (an accession number) or on the company's website (an address).
// The due date is not stored: it is computed from the approval date by the same
// business-day calendar as the filing deadlines (machines/waiver-register.ts).
// Both tables are append-only: a disclosure is a row of its own, never an edit.
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `CREATE TABLE waiver (
      id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 100),
      company_id TEXT NOT NULL REFERENCES company(id),
      duty_number INTEGER REFERENCES duty(number) CHECK (duty_number IS NULL OR duty_number BETWEEN 1 AND 12),
      officer_user_id TEXT NOT NULL REFERENCES user(id),
      officer_role TEXT NOT NULL CHECK (officer_role IN ('ceo', 'cfo', 'cao')),
      reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 5000 AND instr(reason, char(0)) = 0),
      approver TEXT NOT NULL CHECK (approver IN ('board', 'committee')),
      committee_name TEXT CHECK (committee_name IS NULL OR length(committee_name) BETWEEN 1 AND 200),
      approved_on TEXT NOT NULL CHECK (approved_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
      recorded_by TEXT NOT NULL REFERENCES user(id),
      recorded_at TEXT NOT NULL,
      CHECK ((approver = 'committee') = (committee_name IS NOT NULL))
    ) STRICT`,
    `CREATE INDEX waiver_approved ON waiver(company_id, approved_on)`,
    ...appendOnly('waiver'),

    `CREATE TABLE waiver_disclosure (
      id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 100),
      waiver_id TEXT NOT NULL UNIQUE REFERENCES waiver(id),
      kind TEXT NOT NULL CHECK (kind IN ('form_8k', 'website')),
      accession_number TEXT CHECK (accession_number IS NULL OR accession_number GLOB
        '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]'),
      website_url TEXT CHECK (website_url IS NULL OR (length(website_url) BETWEEN 9 AND 2000 AND website_url GLOB 'http*://*')),
      disclosed_on TEXT NOT NULL CHECK (disclosed_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
      recorded_by TEXT NOT NULL REFERENCES user(id),
      recorded_at TEXT NOT NULL,
      CHECK ((kind = 'form_8k') = (accession_number IS NOT NULL)),
      CHECK ((kind = 'website') = (website_url IS NOT NULL))
    ) STRICT`,
    ...appendOnly('waiver_disclosure'),
  ])
}
