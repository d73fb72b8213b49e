import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import { verifyPassword } from '../../db/password'
import { listMaterialInformation, listPeriodicReports } from '../../db/queries/reports'
import { DEMO_PASSWORD, company, users } from '../../seeds/hecla'
import { seedDemoCompany } from '../../seeds/load'
import { createTestDb, dumpAllTables } from '../utils/test-db'

let db: DB
let close: () => Promise<void>

beforeAll(async () => {
  ;({ db, close } = await createTestDb('seed'))
  expect(await seedDemoCompany(db)).toBe(true)
})
afterAll(() => close())

test('seeding twice changes nothing', async () => {
  const before = await dumpAllTables(db)
  expect(await seedDemoCompany(db)).toBe(false)
  expect(await dumpAllTables(db)).toEqual(before)
})

test('the demo company is Hecla Mining Company with both periodic reports of the seeds', async () => {
  const reports = await listPeriodicReports(db, company.id)
  expect(reports.map((r) => [r.form, r.fiscal_year, r.fiscal_quarter, r.period_end])).toEqual([
    ['10-K', 2012, null, '2012-12-31'],
    ['10-Q', 2008, 2, '2008-06-30'],
  ])
})

test('every demo login can sign in with the demo password, and the CEO is the one the seeds name', async () => {
  const rows = await db.selectFrom('user').selectAll().orderBy('email').execute()
  expect(rows).toHaveLength(users.length)
  expect(rows.find((u) => u.id === 'user-ceo')?.full_name).toBe('Phillips S. Baker, Jr.')
  const first = rows[0]
  expect(first?.password_hash).toBeTruthy()
  expect(await verifyPassword(DEMO_PASSWORD, first!.password_hash!)).toBe(true)
  expect(await verifyPassword('wrong password', first!.password_hash!)).toBe(false)
  const officers = await db
    .selectFrom('membership')
    .select(['user_id', 'role'])
    .where('role', 'in', ['ceo', 'cfo', 'cao'])
    .orderBy('role')
    .execute()
  expect(officers).toEqual([
    { user_id: 'user-cao', role: 'cao' },
    { user_id: 'user-ceo', role: 'ceo' },
    { user_id: 'user-cfo', role: 'cfo' },
  ])
})

test('the Canamex item of the FY2012 10-K carries the release figures exactly', async () => {
  const [item] = await listMaterialInformation(db, 'report-2012-fy')
  expect(item?.source_date).toBe('2012-11-19')
  expect(item?.amounts.map((a) => [a.label, a.value, a.unit])).toEqual([
    ['Canamex common shares', '14000000', 'shares'],
    ['Price per share', '0.18', 'USD_per_share'],
    ['Total gross proceeds to Canamex', '2520000', 'USD'],
    ['Share of outstanding Canamex common shares (approximately)', '15', 'percent'],
  ])
  // The figures agree with each other as the release states them: 14,000,000 × $0.18 = $2,520,000.
  expect(14_000_000n * 18n).toBe(2_520_000n * 100n)
})

test('the Q2 2008 10-Q carries the Rusoro sale figures exactly', async () => {
  const items = await listMaterialInformation(db, 'report-2008-q2')
  const figures = Object.fromEntries(items.flatMap((i) => i.amounts.map((a) => [a.label, `${a.value} ${a.unit}`])))
  expect(figures).toMatchObject({
    'Cash consideration': '20000000 USD',
    'Rusoro common shares received': '4273504 shares',
    'Foreign-exchange loss': '14000000 USD',
    'Cash repatriated (approximately)': '39000000 USD',
    'Book value of the Venezuelan properties': '39000000 USD',
    'Expected pre-tax loss, low': '10000000 USD',
    'Expected pre-tax loss, high': '12000000 USD',
    'Earlier gold production guidance': '115000 oz',
    'Revised gold production': '70000 oz',
  })
  expect(items.map((i) => i.title)).toContain('La Camorra mill and concession may revert to the Venezuelan State')
})

test('the seeded records are append-only: material items and the duties cannot be changed or deleted', async () => {
  await expect(sql`UPDATE material_information_item SET title = 'changed'`.execute(db)).rejects.toThrow(/append-only/)
  await expect(sql`DELETE FROM material_amount`.execute(db)).rejects.toThrow(/append-only/)
  await expect(sql`UPDATE duty SET text = 'changed'`.execute(db)).rejects.toThrow(/append-only/)
  await expect(sql`DELETE FROM user WHERE id = 'user-cfo'`.execute(db)).rejects.toThrow(/never deleted/)
})
