import { afterAll, beforeAll, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import { sendDutyEvent, signDuty } from '../../db/commands'
import { instanceId } from '../../db/ids'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey } from '../../db/signing-key'
import { verifyRecord } from '../../db/verify'
import { EventNotAllowedError, openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import type { DutyNumber } from '../../machines/duties'
import { DRAFT_A, variantAnswers } from '../support/sample-answers'
import { copySeededDatabase } from '../utils/test-db'

// A duty is signed only after its answers were confirmed, and an adverse answer
// is never confirmed, let alone signed "Attested — no exceptions", without an
// exception: through the commands, on the seeded FY2012 10-K (in certification;
// the CEO has started nothing).
let file: string
let db: DB
let close: () => Promise<void>
let record: WorkflowRecord
const FY = 'report-2012-fy'
const CEO = { userId: 'user-ceo', role: 'ceo' as const }

beforeAll(() => {
  const copy = copySeededDatabase('signing-rules')
  ;({ file, db, close } = copy)
  record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(copy.keyPath))
})
afterAll(async () => {
  expect(verifyRecord({ file, key: record.key, lookup: machineLookup }).problems).toEqual([])
  await close()
})

const version = async (n: DutyNumber) =>
  (
    await db
      .selectFrom('workflow_snapshot')
      .select('version')
      .where('instance_id', '=', instanceId.duty(FY, CEO.userId, n))
      .executeTakeFirst()
  )?.version ?? 0
const signOffs = (n: DutyNumber) =>
  db
    .selectFrom('sign_off')
    .select(['meaning', 'manifestation'])
    .where('report_id', '=', FY)
    .where('officer_user_id', '=', CEO.userId)
    .where('duty_number', '=', n)
    .execute()
const send = async (n: DutyNumber, event: Parameters<typeof sendDutyEvent>[1]['event']) =>
  sendDutyEvent(record, { reportId: FY, officer: CEO, dutyNumber: n, expectedVersion: await version(n), event, actor: CEO })
const sign = async (n: DutyNumber) => signDuty(record, { reportId: FY, officer: CEO, dutyNumber: n, expectedVersion: await version(n) })

test('an adverse answer can be neither confirmed nor signed without an exception, and nothing is signed', async () => {
  await send(7, { type: 'duty.start' })
  await send(7, { type: 'duty.answer', answers: variantAnswers(7, 'adverse', DRAFT_A) })
  await expect(send(7, { type: 'duty.confirm' })).rejects.toBeInstanceOf(EventNotAllowedError)
  await expect(sign(7)).rejects.toBeInstanceOf(EventNotAllowedError)
  expect(await signOffs(7)).toEqual([])
})

test('answers are signed only once confirmed; then the signature manifests exactly the confirmed answers', async () => {
  await send(8, { type: 'duty.start' })
  const answers = variantAnswers(8, 'first', DRAFT_A)
  await send(8, { type: 'duty.answer', answers })
  await expect(sign(8)).rejects.toBeInstanceOf(EventNotAllowedError)
  expect(await signOffs(8)).toEqual([])

  await send(8, { type: 'duty.confirm' })
  await sign(8)
  const [signed, ...more] = await signOffs(8)
  expect(more).toEqual([])
  expect(signed?.meaning).toBe('attested_no_exceptions')
  expect(JSON.parse(signed!.manifestation)).toMatchObject({ meaningText: 'Attested — no exceptions', answers })
})
