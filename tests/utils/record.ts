import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { DB } from '../../db/client'
import { loadOrCreateSigningKey, type SigningKey } from '../../db/signing-key'
import { openWorkflowRecord, type MachineLookup, type WorkflowRecord } from '../../db/workflow-record'

/** A signing key in a temp folder of its own, outside any database file. */
export function tempSigningKey(): SigningKey {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-key-'))
  return loadOrCreateSigningKey(path.join(dir, 'signing-key.pem'))
}

export function testRecord(db: DB, lookup: MachineLookup): WorkflowRecord {
  return openWorkflowRecord(db, lookup, tempSigningKey())
}
