import type { Kysely } from 'kysely'
import { appendOnly, runStatements } from './sql'

// The record: workflow instances, their events in one hash chain, signed
// checkpoints of the chain head, and a snapshot cache. The events are the truth;
// the cache is rebuilt from them and only saves replaying on every read.
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `CREATE TABLE record_meta (
      installation_id TEXT PRIMARY KEY,
      created_at TEXT NOT NULL
    ) STRICT`,
    ...appendOnly('record_meta'),
    `INSERT INTO record_meta (installation_id, created_at)
     VALUES (lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
    `CREATE TABLE workflow_instance (
      id TEXT PRIMARY KEY,
      machine_id TEXT NOT NULL,
      machine_version INTEGER NOT NULL,
      report_id TEXT REFERENCES periodic_report(id),
      subject TEXT NOT NULL CHECK (json_valid(subject)),
      input TEXT NOT NULL CHECK (json_valid(input)),
      created_at TEXT NOT NULL
    ) STRICT`,
    `CREATE INDEX workflow_instance_report ON workflow_instance(report_id, machine_id)`,
    ...appendOnly('workflow_instance'),
    `CREATE TABLE workflow_event (
      sequence INTEGER PRIMARY KEY CHECK (sequence >= 1),
      instance_id TEXT NOT NULL REFERENCES workflow_instance(id),
      instance_version INTEGER NOT NULL CHECK (instance_version >= 1),
      event TEXT NOT NULL CHECK (json_valid(event)),
      event_type TEXT NOT NULL,
      actor_user_id TEXT REFERENCES user(id),
      actor_role TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
      hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
      UNIQUE (instance_id, instance_version)
    ) STRICT`,
    ...appendOnly('workflow_event'),
    `CREATE TABLE chain_checkpoint (
      sequence INTEGER PRIMARY KEY REFERENCES workflow_event(sequence),
      head_hash TEXT NOT NULL,
      key_fingerprint TEXT NOT NULL,
      signature TEXT NOT NULL,
      signed_at TEXT NOT NULL
    ) STRICT`,
    ...appendOnly('chain_checkpoint'),
    `CREATE TABLE workflow_snapshot (
      instance_id TEXT PRIMARY KEY REFERENCES workflow_instance(id),
      version INTEGER NOT NULL,
      status TEXT NOT NULL,
      state TEXT NOT NULL,
      snapshot TEXT NOT NULL CHECK (json_valid(snapshot)),
      updated_at TEXT NOT NULL
    ) STRICT`,
  ])
}
