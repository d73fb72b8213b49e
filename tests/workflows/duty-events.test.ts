// The first answer of a duty not yet started starts it too: both events in one
// transaction, so a refused answer leaves neither the start nor a case behind.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { sendDutyEvents } from '../../db/commands'
import { instanceId } from '../../db/ids'
import { openDatabase, type DB } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { verifyRecord } from '../../db/verify'
import { openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import { prepareDatabase } from '../../seeds/prepare'
import { SEED_DAY } from '../utils/seed-day'
import { tempDatabaseFile } from '../utils/test-db'

let file: string
let db: DB
let record: WorkflowRecord
const CEO = { userId: 'user-ceo', role: 'ceo' as const }
const FY = 'report-2012-fy'

beforeAll(async () => {
  file = tempDatabaseFile('duty-events')
  await prepareDatabase(file, { today: SEED_DAY })
  ;({ db } = openDatabase(file))
  record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(file)))
}, 60_000)
afterAll(async () => {
  expect(verifyRecord({ file, key: record.key, lookup: machineLookup }).problems).toEqual([])
  await db.destroy()
  fs.rmSync(path.dirname(file), { recursive: true, force: true })
})

const events = async (id: string) =>
  (await db.selectFrom('workflow_event').select('event').where('instance_id', '=', id).orderBy('sequence').execute()).map(
    (r) => (JSON.parse(r.event) as { type: string }).type,
  )
const snapshotOf = (id: string) =>
  db.selectFrom('workflow_snapshot').select(['state', 'version']).where('instance_id', '=', id).executeTakeFirst()

test('start and answer in one call: two events, one version each, the duty answered', async () => {
  const id = instanceId.duty(FY, CEO.userId, 3)
  expect(await snapshotOf(id)).toBeUndefined()
  const result = await sendDutyEvents(record, {
    reportId: FY,
    officer: CEO,
    dutyNumber: 3,
    expectedVersion: 0,
    events: [{ type: 'duty.start' }, { type: 'duty.answer', answers: { items: [], noneBeyondReported: true } as never }],
    actor: CEO,
  })
  expect(result.version).toBe(2)
  expect(await events(id)).toEqual(['duty.start', 'duty.answer'])
  expect((await snapshotOf(id))?.state).toContain('answered')
})

test('a refused second event leaves the first unwritten too', async () => {
  const id = instanceId.duty(FY, CEO.userId, 4)
  await expect(
    sendDutyEvents(record, {
      reportId: FY,
      officer: CEO,
      dutyNumber: 4,
      expectedVersion: 0,
      // Confirming before any answer is refused by the workflow.
      events: [{ type: 'duty.start' }, { type: 'duty.confirm' }],
      actor: CEO,
    }),
  ).rejects.toThrow()
  expect(await snapshotOf(id)).toBeUndefined()
  expect(await events(id)).toEqual([])
})
