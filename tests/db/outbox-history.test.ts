// The outbox over the demo's whole history (issue 11): the seed opens its record
// without the outbox and writes no mail; the same history written through a
// record with the outbox hook writes the mails of a report's way to the SEC — a
// new draft reopening the officers' sign-offs (one mail each, not one a duty),
// approval for filing, filing — and, in the filing's own transaction, the witness
// of the chain head at the filing to the Audit Committee chair.
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import { outboxHook } from '../../db/outbox/enqueue'
import { witnessSchema } from '../../db/outbox/witness'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { verifyRecord } from '../../db/verify'
import { openWorkflowRecord } from '../../db/workflow-record'
import { seedDemoHistory } from '../../seeds/history'
import { seedDemoCompany } from '../../seeds/load'
import { copySeededDatabase, createTestDb, demoPasswordHash } from '../utils/test-db'
import { SEED_DAY } from '../utils/seed-day'

let db: DB
let file: string
let close: () => Promise<void>
const Q2_2008 = 'report-2008-q2'

beforeAll(async () => {
  ;({ db, file, close } = await createTestDb('outbox-history'))
  await seedDemoCompany(db, { passwordHash: await demoPasswordHash() })
  const record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(file)), {
    afterWrite: outboxHook({ appUrl: 'http://attest.test' }),
  })
  await seedDemoHistory(record, { today: SEED_DAY })
}, 120_000)
afterAll(() => close())

const mails = (kind: string, subjectHas: string) =>
  db
    .selectFrom('outbox_message')
    .select(['to_user_id', 'subject', 'body_text', 'attachment', 'cause_sequence', 'state'])
    .where('kind', '=', kind)
    .where('subject', 'like', `%${subjectHas}%`)
    .orderBy('to_user_id')
    .execute()

test('the seeded demo database holds no mail: the seed writes with the outbox off', async () => {
  const seeded = copySeededDatabase('outbox-seeded')
  expect(await seeded.db.selectFrom('outbox_message').select('id').execute()).toEqual([])
  await seeded.close()
})

test('a new draft of the Q2 2008 10-Q reopens each officer’s draft-bound duties: one mail to each officer', async () => {
  const reopened = await mails('draft_reopened', 'quarter 2 of fiscal 2008')
  expect(reopened.map((m) => m.to_user_id)).toEqual([...new Set(reopened.map((m) => m.to_user_id))])
  expect(reopened.length).toBeGreaterThan(0)
  for (const m of reopened) expect(m.body_text).toContain('http://attest.test/reports/report-2008-q2')
})

test('approval for filing and the filing reach the officers and the committees, once each', async () => {
  const approved = await mails('report_approved', 'quarter 2 of fiscal 2008')
  const filed = await mails('report_filed', 'quarter 2 of fiscal 2008')
  for (const list of [approved, filed]) expect(new Set(list.map((m) => m.to_user_id)).size).toBe(list.length)
  expect(filed.map((m) => m.to_user_id)).toEqual(expect.arrayContaining(['user-audit-chair', 'user-audit-member', 'user-disclosure-chair']))
  expect(filed.map((m) => m.to_user_id)).not.toContain('user-internal-auditor')
})

test('the filing’s transaction mails the Audit Committee chair the signed head as of the filing', async () => {
  const sent = await db
    .selectFrom('witness_sent')
    .selectAll()
    .where('reason', '=', 'filing')
    .where('period', '=', Q2_2008)
    .executeTakeFirstOrThrow()
  const mail = await db.selectFrom('outbox_message').selectAll().where('id', '=', sent.message_id).executeTakeFirstOrThrow()
  expect(mail.to_user_id).toBe('user-audit-chair')
  const witness = witnessSchema.parse(JSON.parse((JSON.parse(mail.attachment!) as { content: string }).content))
  const lock = await db
    .selectFrom('workflow_event')
    .select(['sequence', 'hash'])
    .where('sequence', '=', witness.sequence)
    .executeTakeFirstOrThrow()
  expect(lock.hash).toBe(witness.headHash)
  // The head of the filing's transaction: its last event (every duty locked).
  const filing = await db
    .selectFrom('workflow_event')
    .select('sequence')
    .where('event_type', '=', 'report.file')
    .orderBy('sequence')
    .executeTakeFirstOrThrow()
  const after = await db
    .selectFrom('workflow_event')
    .select('recorded_at')
    .where('sequence', '=', filing.sequence)
    .executeTakeFirstOrThrow()
  const lastOfFiling = await db
    .selectFrom('workflow_event')
    .select((eb) => eb.fn.max('sequence').as('s'))
    .where('recorded_at', '=', after.recorded_at)
    .executeTakeFirstOrThrow()
  expect(witness.sequence).toBe(lastOfFiling.s)
  expect(verifyRecord({ file, key: loadOrCreateSigningKey(signingKeyPath(file)), lookup: machineLookup })).toMatchObject({ ok: true })
})
