import { databasePath } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import { outboxHook } from '../../db/outbox/enqueue'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import { getDb } from './db.server'

// The one record a server process writes through (db/workflow-record.ts), with
// the signing key kept outside the database file (SIGNING_KEY_PATH), and the
// outbox: every write transaction writes the mails it causes (docs/decisions/020).
let ready: Promise<WorkflowRecord> | undefined

export function getRecord(): Promise<WorkflowRecord> {
  ready ??= (async () => {
    const db = await getDb()
    return openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(databasePath())), { afterWrite: outboxHook() })
  })()
  return ready
}
