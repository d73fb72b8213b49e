import type { Kysely } from 'kysely'
import { appendOnly, runStatements } from './sql'

// Frozen once landed: change the schema with a new numbered migration.
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `CREATE TABLE company (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      ticker TEXT NOT NULL,
      exchange TEXT NOT NULL,
      headquarters TEXT NOT NULL,
      time_zone TEXT NOT NULL,
      fiscal_year_end TEXT NOT NULL CHECK (fiscal_year_end GLOB '[0-1][0-9]-[0-3][0-9]'),
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT`,
    `CREATE TABLE filer_category (
      id TEXT PRIMARY KEY,
      company_id TEXT NOT NULL REFERENCES company(id),
      category TEXT NOT NULL CHECK (category IN ('large_accelerated', 'accelerated', 'non_accelerated')),
      effective_from TEXT NOT NULL CHECK (date(effective_from) = effective_from),
      UNIQUE (company_id, effective_from)
    ) STRICT`,
    `CREATE TABLE user (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL UNIQUE COLLATE NOCASE,
      full_name TEXT NOT NULL,
      title TEXT NOT NULL,
      password_hash TEXT,
      deactivated_at TEXT,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT`,
    `CREATE TRIGGER user_no_delete BEFORE DELETE ON user
     BEGIN SELECT RAISE(ABORT, 'users are deactivated, never deleted'); END`,
    `CREATE TABLE membership (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES user(id),
      company_id TEXT NOT NULL REFERENCES company(id),
      role TEXT NOT NULL CHECK (role IN ('ceo', 'cfo', 'cao', 'disclosure_committee',
        'audit_committee_member', 'audit_committee_chair', 'chairman', 'director',
        'internal_auditor', 'independent_auditor', 'administrator')),
      effective_from TEXT NOT NULL CHECK (date(effective_from) = effective_from),
      effective_to TEXT CHECK (effective_to IS NULL OR date(effective_to) = effective_to)
    ) STRICT`,
    `CREATE INDEX membership_user ON membership(user_id)`,
    `CREATE INDEX membership_role ON membership(company_id, role)`,
    `CREATE TABLE duty (
      number INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 12),
      kind TEXT NOT NULL CHECK (kind IN ('report', 'enforcement', 'pre_filing')),
      title TEXT NOT NULL,
      text TEXT NOT NULL,
      recipients TEXT NOT NULL CHECK (json_valid(recipients)),
      bound_to_draft INTEGER NOT NULL CHECK (bound_to_draft IN (0, 1))
    ) STRICT`,
    ...appendOnly('duty'),
    `CREATE TABLE periodic_report (
      id TEXT PRIMARY KEY,
      company_id TEXT NOT NULL REFERENCES company(id),
      form TEXT NOT NULL CHECK (form IN ('10-Q', '10-K')),
      fiscal_year INTEGER NOT NULL,
      fiscal_quarter INTEGER CHECK (
        (form = '10-Q' AND fiscal_quarter BETWEEN 1 AND 3) OR (form = '10-K' AND fiscal_quarter IS NULL)),
      period_end TEXT NOT NULL CHECK (date(period_end) = period_end),
      current_draft_id TEXT REFERENCES report_draft(id),
      created_by TEXT NOT NULL REFERENCES user(id),
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      UNIQUE (company_id, form, fiscal_year, fiscal_quarter)
    ) STRICT`,
    // UNIQUE treats NULLs as distinct, so a second 10-K for a year needs its own guard.
    `CREATE UNIQUE INDEX periodic_report_one_10k ON periodic_report(company_id, fiscal_year) WHERE form = '10-K'`,
    `CREATE TABLE report_draft (
      id TEXT PRIMARY KEY,
      report_id TEXT NOT NULL REFERENCES periodic_report(id),
      version INTEGER NOT NULL CHECK (version >= 1),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
      size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
      file_name TEXT NOT NULL,
      uploaded_by TEXT NOT NULL REFERENCES user(id),
      uploaded_at TEXT NOT NULL,
      UNIQUE (report_id, version)
    ) STRICT`,
    ...appendOnly('report_draft'),
    `CREATE TABLE material_information_item (
      id TEXT PRIMARY KEY,
      report_id TEXT NOT NULL REFERENCES periodic_report(id),
      title TEXT NOT NULL,
      description TEXT NOT NULL,
      source TEXT NOT NULL,
      source_date TEXT CHECK (source_date IS NULL OR date(source_date) = source_date),
      recorded_by TEXT NOT NULL REFERENCES user(id),
      recorded_at TEXT NOT NULL
    ) STRICT`,
    `CREATE INDEX material_information_item_report ON material_information_item(report_id)`,
    ...appendOnly('material_information_item'),
    `CREATE TABLE material_amount (
      id TEXT PRIMARY KEY,
      item_id TEXT NOT NULL REFERENCES material_information_item(id),
      position INTEGER NOT NULL,
      label TEXT NOT NULL,
      value TEXT NOT NULL CHECK (value GLOB '[0-9]*' AND value NOT GLOB '*[^0-9.]*'),
      unit TEXT NOT NULL CHECK (unit IN ('USD', 'shares', 'oz', 'percent', 'USD_per_share')),
      UNIQUE (item_id, position)
    ) STRICT`,
    ...appendOnly('material_amount'),
  ])
}
