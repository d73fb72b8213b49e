import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { recordWaiver, recordWaiverDisclosure } from '../../db/commands'
import { CommandRefusedError } from '../../db/errors'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey } from '../../db/signing-key'
import { openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import { newWaiverSchema, waiverDisclosureSchema } from '../../machines/waiver-register'
import { copySeededDatabase, type SeededCopy } from '../utils/test-db'

// The register's rows are append-only (migration 011's triggers), a waiver is
// disclosed once, and a waiver goes only to someone who held a certifying role
// on the day it was approved (memberships in force then, not now).

let copy: SeededCopy
let record: WorkflowRecord
const COMPANY = 'company-hecla'
const AT = new Date('2012-12-10T15:00:00Z')
const waiver = (change: Record<string, string> = {}) =>
  newWaiverSchema.parse({
    provision: 'code',
    officerUserId: 'user-ceo',
    reason: 'A test waiver.',
    approver: 'board',
    approvedOn: '2012-12-03',
    ...change,
  })

beforeAll(() => {
  copy = copySeededDatabase('waivers')
  record = openWorkflowRecord(copy.db, machineLookup, loadOrCreateSigningKey(copy.keyPath))
})
afterAll(() => copy.close())

test('a waiver and its disclosure are written once and never updated or deleted', async () => {
  const { id } = await recordWaiver(record, { companyId: COMPANY, waiver: waiver(), recordedBy: 'user-admin', at: AT })
  const stored = await copy.db.selectFrom('waiver').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  expect(stored).toMatchObject({
    duty_number: null,
    officer_role: 'ceo',
    approver: 'board',
    committee_name: null,
    approved_on: '2012-12-03',
  })
  const disclosure = waiverDisclosureSchema.parse({
    waiverId: id,
    kind: 'website',
    websiteUrl: 'https://www.hecla.com/ethics',
    disclosedOn: '2012-12-05',
  })
  await recordWaiverDisclosure(record, { companyId: COMPANY, disclosure, recordedBy: 'user-admin', at: AT })
  await expect(recordWaiverDisclosure(record, { companyId: COMPANY, disclosure, recordedBy: 'user-admin', at: AT })).rejects.toMatchObject({
    reason: 'waiver_already_disclosed',
  })
  await expect(sql`UPDATE waiver SET reason = 'changed' WHERE id = ${id}`.execute(copy.db)).rejects.toThrow(/append-only/)
  await expect(sql`DELETE FROM waiver WHERE id = ${id}`.execute(copy.db)).rejects.toThrow(/append-only/)
  await expect(sql`UPDATE waiver_disclosure SET disclosed_on = '2012-12-04' WHERE waiver_id = ${id}`.execute(copy.db)).rejects.toThrow(
    /append-only/,
  )
  await expect(sql`DELETE FROM waiver_disclosure WHERE waiver_id = ${id}`.execute(copy.db)).rejects.toThrow(/append-only/)
})

test('the database itself refuses a committee approval without a name, and an 8-K disclosure without an accession number', async () => {
  await expect(
    sql`INSERT INTO waiver (id, company_id, duty_number, officer_user_id, officer_role, reason, approver, committee_name, approved_on, recorded_by, recorded_at)
        VALUES ('w-raw', ${COMPANY}, 3, 'user-cfo', 'cfo', 'x', 'committee', NULL, '2012-12-03', 'user-admin', '2012-12-10T00:00:00Z')`.execute(
      copy.db,
    ),
  ).rejects.toThrow(/CHECK constraint failed/)
})

test('only a person who held one certifying role on the day of approval receives a waiver; nothing is written otherwise', async () => {
  const count = async () =>
    Number(
      (
        await copy.db
          .selectFrom('waiver')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const before = await count()
  for (const officerUserId of ['user-chairman', 'user-admin', 'user-nobody']) {
    const refused = recordWaiver(record, { companyId: COMPANY, waiver: waiver({ officerUserId }), recordedBy: 'user-admin', at: AT })
    await expect(refused).rejects.toBeInstanceOf(CommandRefusedError)
    await expect(refused).rejects.toMatchObject({ reason: 'not_a_certifying_officer' })
  }
  // Before the demo's memberships begin, the CFO held no role yet.
  const earliest = await copy.db
    .selectFrom('membership')
    .select('effective_from')
    .where('user_id', '=', 'user-cfo')
    .executeTakeFirstOrThrow()
  const dayBefore = new Date(new Date(`${earliest.effective_from}T00:00:00Z`).getTime() - 86_400_000).toISOString().slice(0, 10)
  await expect(
    recordWaiver(record, {
      companyId: COMPANY,
      waiver: waiver({ officerUserId: 'user-cfo', approvedOn: dayBefore }),
      recordedBy: 'user-admin',
      at: AT,
    }),
  ).rejects.toMatchObject({ reason: 'not_a_certifying_officer' })
  expect(await count()).toBe(before)
})
