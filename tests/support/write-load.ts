// A writer in a process of its own, for tests that need the record written while
// they work (the backup test): it starts the CFO's duty 8 of the FY2012 10-K in
// the given database and then answers it again and again, through the real
// commands and the real record, until killed. Prints one line per committed event.
// Usage: tsx tests/support/write-load.ts <database file> <signing key file>
import { sendDutyEvent } from '../../db/commands'
import { openDatabase } from '../../db/client'
import { instanceId } from '../../db/ids'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey } from '../../db/signing-key'
import { openWorkflowRecord } from '../../db/workflow-record'
import { variantAnswers } from './sample-answers'

const [file, keyPath] = process.argv.slice(2)
if (!file || !keyPath) throw new Error('usage: write-load.ts <database file> <signing key file>')
const { db } = openDatabase(file)
const record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(keyPath))
const REPORT = 'report-2012-fy'
const CFO = { userId: 'user-cfo', role: 'cfo' as const }
const id = instanceId.duty(REPORT, CFO.userId, 8)

let version = (await db.selectFrom('workflow_snapshot').select('version').where('instance_id', '=', id).executeTakeFirst())?.version ?? 0
const request = { reportId: REPORT, officer: CFO, dutyNumber: 8 as const, actor: CFO }
if (version === 0) {
  version = (await sendDutyEvent(record, { ...request, expectedVersion: 0, event: { type: 'duty.start' } })).version
  console.log(`event ${version}`)
}
for (let i = 0; ; i++) {
  const answers = variantAnswers(8, i % 2 === 0 ? 'revised' : 'first')
  version = (await sendDutyEvent(record, { ...request, expectedVersion: version, event: { type: 'duty.answer', answers } })).version
  console.log(`event ${version}`)
}
