import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import { verifyPassword } from '../../db/password'
import { listMaterialInformation, listPeriodicReports } from '../../db/queries/reports'
import { ANONYMOUS_CHANNEL_USER_ID } from '../../db/schema'
import { DEMO_PASSWORD, company, reports, users } from '../../seeds/hecla'
import { LIVE_REPORT_ID, liveDraft } from '../../seeds/live-report'
import { seedDemoCompany, sha256Hex } from '../../seeds/load'
import { copySeededDatabase, createTestDb, demoPasswordHash, dumpAllTables } from '../utils/test-db'

// What the seeds claim (seeds/hecla.ts, seeds/history.ts, the README's "Demo
// logins" and demo history), checked against a database prepared as `npm start`
// prepares it: the run's seeded base file (tests/setup/global-setup.ts), copied.
let seeded: DB
let closeSeeded: () => Promise<void>
// A migrated file seeded here with the company alone, to seed it a second time.
let fresh: DB
let closeFresh: () => Promise<void>

beforeAll(async () => {
  ;({ db: seeded, close: closeSeeded } = copySeededDatabase('seed'))
  ;({ db: fresh, close: closeFresh } = await createTestDb('seed-fresh'))
  expect(await seedDemoCompany(fresh, { passwordHash: await demoPasswordHash() })).toBe(true)
})
afterAll(async () => {
  await closeSeeded()
  await closeFresh()
})

type Row = Record<string, unknown>
const rows = async (query: string) => (await sql.raw<Row>(query).execute(seeded)).rows

test('seeding twice changes nothing', async () => {
  const before = await dumpAllTables(fresh)
  expect(await seedDemoCompany(fresh)).toBe(false)
  expect(await dumpAllTables(fresh)).toEqual(before)
})

test('the demo company is Hecla Mining Company with both periodic reports of the seeds, and the live report of the creation day', async () => {
  expect(await seeded.selectFrom('company').select(['id', 'name']).execute()).toEqual([{ id: company.id, name: company.name }])
  const stored = await listPeriodicReports(seeded, company.id)
  expect(stored.map((r) => [r.id, r.form, r.fiscal_year, r.fiscal_quarter, r.period_end])).toEqual([
    // SEED_DAY is 2026-08-01 (tests/utils/seed-day.ts): the Q2 2026 10-Q, due 2026-08-10, is the first report due.
    [LIVE_REPORT_ID, '10-Q', 2026, 2, '2026-06-30'],
    ['report-2012-fy', '10-K', 2012, null, '2012-12-31'],
    ['report-2008-q2', '10-Q', 2008, 2, '2008-06-30'],
  ])
})

test('every demo login is stored with its roles, and the CEO is the one the seeds name', async () => {
  // Besides the logins, migration 012's user that stands for the anonymous channel: no password, deactivated, no role.
  const stored = await seeded
    .selectFrom('user')
    .select(['id', 'email', 'full_name'])
    .where('id', '!=', ANONYMOUS_CHANNEL_USER_ID)
    .orderBy('email')
    .execute()
  expect(
    await seeded.selectFrom('user').select(['password_hash', 'deactivated_at']).where('id', '=', ANONYMOUS_CHANNEL_USER_ID).execute(),
  ).toEqual([{ password_hash: null, deactivated_at: '2000-01-01T00:00:00.000Z' }])
  expect(stored).toEqual(
    [...users].sort((a, b) => a.email.localeCompare(b.email)).map((u) => ({ id: u.id, email: u.email, full_name: u.full_name })),
  )
  expect(stored.find((u) => u.email === 'ceo@hecla.example')?.full_name).toBe('Phillips S. Baker, Jr.')
  const memberships = await seeded.selectFrom('membership').select(['user_id', 'role']).orderBy('user_id').orderBy('role').execute()
  expect(memberships).toEqual(
    users
      .flatMap((u) => u.roles.map((role) => ({ user_id: u.id, role })))
      .sort((a, b) => a.user_id.localeCompare(b.user_id) || a.role.localeCompare(b.role)),
  )
  // The README: the CEO sits on the Disclosure Committee, as do the CFO and the CAO/Controller.
  expect(memberships.filter((m) => m.role === 'disclosure_committee').map((m) => m.user_id)).toEqual([
    'user-cao',
    'user-ceo',
    'user-cfo',
    'user-disclosure-chair',
  ])
})

test('the demo password opens every login, hashed with the production scrypt parameters (the one production-cost check)', async () => {
  const hashes = await seeded.selectFrom('user').select('password_hash').where('id', '!=', ANONYMOUS_CHANNEL_USER_ID).execute()
  expect(hashes).toHaveLength(users.length)
  // One hash for every demo login (seeds/load.ts), with db/password.ts's parameters: N = 2^17, r = 8, p = 1.
  const distinct = [...new Set(hashes.map((h) => h.password_hash))]
  expect(distinct).toHaveLength(1)
  expect(distinct[0]).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
  expect(await verifyPassword(DEMO_PASSWORD, distinct[0]!)).toBe(true)
  expect(await verifyPassword('wrong password', distinct[0]!)).toBe(false)
})

test('the Canamex item of the FY2012 10-K carries the release figures, and as stored they agree with each other', async () => {
  const [item, ...others] = await listMaterialInformation(seeded, 'report-2012-fy')
  expect(others).toEqual([])
  expect(item?.source_date).toBe('2012-11-19')
  expect(item?.amounts.map((a) => [a.label, a.value, a.unit])).toEqual([
    ['Canamex common shares', '14000000', 'shares'],
    ['Price per share', '0.18', 'USD_per_share'],
    ['Total gross proceeds to Canamex', '2520000', 'USD'],
    ['Share of outstanding Canamex common shares (approximately)', '15', 'percent'],
  ])
  // The stored figures, not constants: shares × price per share = the total ($0.18 in cents).
  const value = (label: string) => item!.amounts.find((a) => a.label === label)!.value
  const cents = (usd: string) => BigInt(Math.round(Number(usd) * 100))
  expect(BigInt(value('Canamex common shares')) * cents(value('Price per share'))).toBe(cents(value('Total gross proceeds to Canamex')))
})

test('the Q2 2008 10-Q carries the Rusoro sale figures exactly, and the loss range and the guidance cut read the right way round', async () => {
  const items = await listMaterialInformation(seeded, 'report-2008-q2')
  const figures = Object.fromEntries(items.flatMap((i) => i.amounts.map((a) => [a.label, `${a.value} ${a.unit}`])))
  expect(figures).toEqual({
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
  const n = (label: string) => Number(figures[label]!.split(' ')[0])
  expect(n('Expected pre-tax loss, low')).toBeLessThan(n('Expected pre-tax loss, high'))
  expect(n('Revised gold production')).toBeLessThan(n('Earlier gold production guidance'))
  expect(items.map((i) => i.title)).toEqual(reports.find((r) => r.id === 'report-2008-q2')!.items.map((i) => i.title))
  expect(items.map((i) => i.title)).toContain('La Camorra mill and concession may revert to the Venezuelan State')
})

test('the drafts are stored as the seeds wrote them, each under the SHA-256 of its content', async () => {
  const stored = await rows('SELECT report_id, version, sha256, uploaded_by FROM report_draft ORDER BY report_id, version')
  const live = liveDraft({ form: '10-Q', fiscal_year: 2026, fiscal_quarter: 2, period_end: '2026-06-30' })
  expect(live.content).toBe('Hecla Mining Company, Form 10-Q for the quarter ended June 30, 2026. Draft 1.\n')
  expect(stored).toEqual(
    [
      ...reports.flatMap((r) =>
        r.drafts.map((d) => ({ report_id: r.id, version: d.version, sha256: sha256Hex(d.content), uploaded_by: d.uploaded_by })),
      ),
      { report_id: LIVE_REPORT_ID, version: 1, sha256: live.sha256, uploaded_by: 'user-cao' },
    ].sort((a, b) => a.report_id.localeCompare(b.report_id) || a.version - b.version),
  )
  expect(stored.filter((d) => d.report_id === 'report-2008-q2')).toHaveLength(2)
})

test('the Q2 2008 history, read from the record: every matter raised under duty 1 and disclosed, all 36 duties signed (6, 10 and 12 again on draft 2), both committees, filed and locked', async () => {
  const cases = await rows(
    "SELECT i.case_id AS caseId, s.state, json_extract(s.snapshot, '$.context.duty') AS duty, json_extract(s.snapshot, '$.context.outcome') AS outcome FROM workflow_instance i JOIN workflow_snapshot s ON s.instance_id = i.id WHERE i.machine_id = 'case' AND i.report_id = 'report-2008-q2' ORDER BY i.id",
  )
  const items = reports.find((r) => r.id === 'report-2008-q2')!.items
  // Each material item is a duty 1 case; beside them, one duty 2 matter of the close (a control), remediated.
  expect(cases.filter((c) => c.duty === 1)).toHaveLength(items.length)
  expect(cases.filter((c) => c.duty !== 1).map((c) => [c.caseId, c.duty])).toEqual([['case-2008-q2-fx-close-control', 2]])
  expect(cases.every((c) => c.state === 'resolved')).toBe(true)

  const lifecycle = await rows("SELECT state, snapshot FROM workflow_snapshot WHERE instance_id = 'report/report-2008-q2'")
  expect(lifecycle[0]?.state).toBe('locked')
  const context = (JSON.parse(String(lifecycle[0]!.snapshot)) as { context: Record<string, unknown> }).context
  // Each committee's step and each approval for filing (CEO, CFO) carries the hash of its signature row.
  const steps = ['disclosureCommitteeApproval', 'auditCommitteeReview'].map((k) => context[k] as { signatureId: string })
  const approvals = Object.values(context.approvalsForFiling as Record<string, { signatureId: string }>)
  expect(approvals).toHaveLength(2)
  for (const step of [...steps, ...approvals]) {
    expect(step.signatureId).toMatch(/^[0-9a-f]{64}$/)
    expect(await rows(`SELECT id FROM signature WHERE id = '${step.signatureId}'`)).toHaveLength(1)
  }
  expect((context.filing as { accessionNumber: string }).accessionNumber).toMatch(/^\d{10}-\d{2}-\d{6}$/)

  const duties = await rows(
    "SELECT i.officer_user_id AS officer, s.state, json_extract(s.snapshot, '$.context.signature.signatureId') AS signature FROM workflow_instance i JOIN workflow_snapshot s ON s.instance_id = i.id WHERE i.machine_id = 'duty-review' AND i.report_id = 'report-2008-q2'",
  )
  expect(duties).toHaveLength(36)
  expect(duties.every((d) => d.state === 'locked' && typeof d.signature === 'string')).toBe(true)
  // Every duty's current signature is a sign-off on record; duties 6, 10 and 12 (about "the draft") were
  // reopened by draft 2 and signed again on it, their sign-offs of draft 1 staying on record.
  const current = await rows(
    "SELECT o.draft_sha256, o.duty_number FROM sign_off o JOIN workflow_snapshot s ON s.instance_id = o.workflow_instance_id AND json_extract(s.snapshot, '$.context.signature.signatureId') = o.id WHERE o.report_id = 'report-2008-q2'",
  )
  expect(current).toHaveLength(36)
  const drafts = reports.find((r) => r.id === 'report-2008-q2')!.drafts.map((d) => sha256Hex(d.content))
  for (const o of current)
    expect(o.draft_sha256, `duty ${String(o.duty_number)}`).toBe(drafts[[6, 10, 12].includes(Number(o.duty_number)) ? 1 : 0])
  expect(await rows("SELECT count(*) AS n FROM sign_off WHERE report_id = 'report-2008-q2'")).toEqual([{ n: 36 + 3 * 3 }])
})

test('the FY2012 history, read from the record: in certification; the CAO/Controller signed duties 5, 7, 8, 9, the CFO 5 and 7, the CEO nothing; Canamex acknowledged by the Disclosure Committee', async () => {
  expect(await rows("SELECT state FROM workflow_snapshot WHERE instance_id = 'report/report-2012-fy'")).toEqual([
    { state: 'certification' },
  ])
  const signed = await rows(
    "SELECT i.officer_user_id AS officer, group_concat(i.duty_number) AS duties FROM workflow_instance i JOIN workflow_snapshot s ON s.instance_id = i.id WHERE i.machine_id = 'duty-review' AND i.report_id = 'report-2012-fy' AND s.state = 'signed' GROUP BY 1 ORDER BY 1",
  )
  expect(
    signed.map((r) => [
      r.officer,
      String(r.duties)
        .split(',')
        .map(Number)
        .sort((a, b) => a - b),
    ]),
  ).toEqual([
    ['user-cao', [5, 7, 8, 9]],
    ['user-cfo', [5, 7]],
  ])
  expect(await rows("SELECT count(*) AS n FROM workflow_instance WHERE id LIKE 'duty/report-2012-fy/user-ceo/%'")).toEqual([{ n: 0 }])
  expect(await rows("SELECT count(*) AS n FROM sign_off WHERE report_id = 'report-2012-fy'")).toEqual([{ n: 6 }])
  const canamex = await rows(
    "SELECT s.state, json_extract(s.snapshot, '$.context.duty') AS duty, json_extract(s.snapshot, '$.context.acknowledgements') AS acks FROM workflow_snapshot s WHERE s.instance_id = 'case/case-2012-canamex'",
  )
  expect(canamex).toHaveLength(1)
  expect(canamex[0]).toMatchObject({ state: 'underReview', duty: 1 })
  expect((JSON.parse(String(canamex[0]!.acks)) as { body: string }[]).map((a) => a.body)).toEqual(['disclosure_committee'])
})

test('the seeded records are append-only: material items and the duties cannot be changed or deleted', async () => {
  await expect(sql`UPDATE material_information_item SET title = 'changed'`.execute(fresh)).rejects.toThrow(/append-only/)
  await expect(sql`DELETE FROM material_amount`.execute(fresh)).rejects.toThrow(/append-only/)
  await expect(sql`UPDATE duty SET text = 'changed'`.execute(fresh)).rejects.toThrow(/append-only/)
  await expect(sql`DELETE FROM user WHERE id = 'user-cfo'`.execute(fresh)).rejects.toThrow(/never deleted/)
})
