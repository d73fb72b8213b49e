import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type SQLite from 'better-sqlite3'
import type { DB } from '../../db/client'
import type { WorkflowEvent, WorkflowInstance } from '../../db/schema'
import { loadOrCreateSigningKey, type SigningKey } from '../../db/signing-key'
import { eventHash, openWorkflowRecord, type MachineLookup, type WorkflowRecord } from '../../db/workflow-record'

/** A signing key in a temp folder of its own, outside any database file. */
export function tempSigningKey(): SigningKey {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-key-'))
  return loadOrCreateSigningKey(path.join(dir, 'signing-key.pem'))
}

export function testRecord(db: DB, lookup: MachineLookup): WorkflowRecord {
  return openWorkflowRecord(db, lookup, tempSigningKey())
}

/**
 * The hash an event stored in the file should carry, recomputed from its row and its
 * workflow's row, as someone holding the file (not the app) would: for the tamper tests.
 */
export function storedEventHash(s: SQLite.Database, e: WorkflowEvent): string {
  const i = s.prepare('SELECT * FROM workflow_instance WHERE id = ?').get(e.instance_id) as WorkflowInstance
  return eventHash({
    sequence: e.sequence,
    instance: {
      id: i.id,
      machineId: i.machine_id,
      machineVersion: i.machine_version,
      reportId: i.report_id,
      subject: JSON.parse(i.subject),
      input: JSON.parse(i.input),
    },
    instanceVersion: e.instance_version,
    event: JSON.parse(e.event),
    actor: { userId: e.actor_user_id, role: e.actor_role },
    recordedAt: e.recorded_at,
    prevHash: e.prev_hash,
  })
}
