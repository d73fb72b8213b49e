// A server's write side in a process of its own, for the outbox kill test: it
// reports three matters through the real commands and the real record with the
// outbox hook (each mail committed with its event), prints "committed", and then
// stays alive without ever sending, as a server killed before its sender's next
// pass would. Usage: node --import tsx tests/support/outbox-writer.ts <database file> <signing key file> [case id prefix]
import { reportCase } from '../../db/commands'
import { openDatabase } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import { outboxHook } from '../../db/outbox/enqueue'
import { loadOrCreateSigningKey } from '../../db/signing-key'
import { openWorkflowRecord } from '../../db/workflow-record'

const [file, keyPath, prefix = 'kill'] = process.argv.slice(2)
if (!file || !keyPath) throw new Error('usage: outbox-writer.ts <database file> <signing key file>')
const { db } = openDatabase(file)
const record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(keyPath), {
  afterWrite: outboxHook({ appUrl: 'http://attest.test' }),
})
const CFO = { userId: 'user-cfo', role: 'cfo' as const }
for (const [i, duty] of ([1, 2, 3] as const).entries()) {
  await reportCase(record, {
    reportId: 'report-2012-fy',
    input: { caseId: `case-${prefix}-${i}`, duty, subject: { kind: 'none' }, reporter: CFO, summary: `Matter ${i} for the kill test.` },
    actor: CFO,
    at: new Date(`2013-02-14T18:0${i}:00Z`),
  })
}
console.log('committed')
setInterval(() => {}, 60_000)
