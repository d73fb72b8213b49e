import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { openDatabase } from './db/client'
import { machineLookup } from './db/machine-lookup'
import { loadOrCreateSigningKey } from './db/signing-key'
import { openWorkflowRecord } from './db/workflow-record'
import { instanceId } from './db/ids'
const file = process.argv[2]!
const { db, sqlite } = openDatabase(file)
if (process.env.SYNC_OFF) sqlite.pragma('synchronous = OFF')
const key = loadOrCreateSigningKey(path.join(path.dirname(file), 'signing-key.pem'))
const record = openWorkflowRecord(db, machineLookup, key)
const id = instanceId.duty('report-2012-fy', 'user-ceo', 9)
const CEO = { userId: 'user-ceo', role: 'ceo' }
const answers = (i: number) => ({ established: true, operatingEffectively: true, changesInPeriod: i % 2 ? 'None' : `W ${i}`, referenceDocument: { title: 'Accounting Policies and Procedures Manual', identifier: 'FIN-POL-001' } })
let v = (await record.load(id))!.version
const t = performance.now()
for (let i = 0; i < 300; i++, v++) await record.append({ instance: { id }, expectedVersion: v, event: { type: 'duty.answer', answers: answers(v) }, actor: CEO })
console.log('ms/event', ((performance.now() - t) / 300).toFixed(3))
await db.destroy()
