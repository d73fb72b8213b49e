import type { Kysely } from 'kysely'
import { appendOnly, runStatements } from './sql'

// The recipients' side of a reported matter (duties 1–4), beside the case's
// workflow: what its machine does not decide. Notes between the recipients
// (never shown to the reporter), questions to the reporter and the reporter's
// answers, files attached to a case (content-addressed by their SHA-256, stored
// beside the database like drafts), and the log of every opening of a case page.
// All append-only: a note is never edited, an opening never forgotten.
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `CREATE TABLE case_message (
      id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 100),
      case_instance_id TEXT NOT NULL REFERENCES workflow_instance(id) CHECK (case_instance_id GLOB 'case/*'),
      kind TEXT NOT NULL CHECK (kind IN ('note', 'question', 'answer')),
      reply_to TEXT REFERENCES case_message(id),
      author_user_id TEXT NOT NULL REFERENCES user(id),
      author_capacity TEXT NOT NULL CHECK (author_capacity IN ('reporter', 'disclosure_committee', 'audit_committee',
        'chairman', 'ceo', 'board')),
      body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000 AND instr(body, char(0)) = 0),
      written_at TEXT NOT NULL,
      workflow_sequence INTEGER REFERENCES workflow_event(sequence),
      CHECK ((kind = 'answer') = (reply_to IS NOT NULL)),
      CHECK ((kind = 'answer') = (author_capacity = 'reporter'))
    ) STRICT`,
    `CREATE INDEX case_message_case ON case_message(case_instance_id, written_at)`,
    // An answer answers a question of the same case.
    `CREATE TRIGGER case_message_answers_a_question BEFORE INSERT ON case_message
     WHEN NEW.kind = 'answer' AND NOT EXISTS (
       SELECT 1 FROM case_message q WHERE q.id = NEW.reply_to AND q.kind = 'question' AND q.case_instance_id = NEW.case_instance_id)
     BEGIN SELECT RAISE(ABORT, 'an answer replies to a question of the same case'); END`,
    ...appendOnly('case_message'),

    `CREATE TABLE case_attachment (
      id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 100),
      case_instance_id TEXT NOT NULL REFERENCES workflow_instance(id) CHECK (case_instance_id GLOB 'case/*'),
      message_id TEXT REFERENCES case_message(id),
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
      size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
      file_name TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
      uploaded_by TEXT NOT NULL REFERENCES user(id),
      uploaded_at TEXT NOT NULL
    ) STRICT`,
    `CREATE INDEX case_attachment_case ON case_attachment(case_instance_id, uploaded_at)`,
    ...appendOnly('case_attachment'),

    `CREATE TABLE case_access_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      case_instance_id TEXT NOT NULL REFERENCES workflow_instance(id) CHECK (case_instance_id GLOB 'case/*'),
      user_id TEXT NOT NULL REFERENCES user(id),
      capacity TEXT NOT NULL CHECK (capacity IN ('recipient', 'reporter')),
      opened_at TEXT NOT NULL
    ) STRICT`,
    `CREATE INDEX case_access_log_case ON case_access_log(case_instance_id, id)`,
    ...appendOnly('case_access_log'),
  ])
}
