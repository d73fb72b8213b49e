import { afterAll, beforeAll, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import type { WorkflowRecord } from '../../db/workflow-record'
import { seedDemoCompany } from '../../seeds/load'
import { LIVE_REPORT_ID, fiscalPeriods, liveDraft, livePeriodFor, seedLiveReport } from '../../seeds/live-report'
import { testRecord } from '../utils/record'
import { copySeededDatabase, createTestDb, demoPasswordHash, dumpAllTables } from '../utils/test-db'

// The demo's live report: the periodic report first due on or after the day the
// demo database is created. Every expected date below was worked out apart from
// the code (Python's datetime for the weekdays; 40 days after a quarter, 60 after
// the year, for a large accelerated filer, moved past weekends and holidays).
const hecla = { fiscalYearEnd: '12-31', categoryOn: () => 'large_accelerated' as const }

test.each([
  // creation day, form, fiscal year, quarter, period end, due date, period ended
  ['2026-12-03', '10-K', 2026, null, '2026-12-31', '2027-03-01', false],
  ['2027-01-01', '10-K', 2026, null, '2026-12-31', '2027-03-01', true],
  ['2027-02-15', '10-K', 2026, null, '2026-12-31', '2027-03-01', true],
  ['2027-03-01', '10-K', 2026, null, '2026-12-31', '2027-03-01', true],
  // The day after a due date: the next quarter, not yet ended.
  ['2027-03-02', '10-Q', 2027, 1, '2027-03-31', '2027-05-10', false],
  // Day 60 after 2025-12-31 is Sunday 2026-03-01: the FY2025 10-K is due Monday 2026-03-02.
  ['2026-03-01', '10-K', 2025, null, '2025-12-31', '2026-03-02', true],
  ['2026-03-03', '10-Q', 2026, 1, '2026-03-31', '2026-05-11', false],
  // The last day of a quarter is still inside it.
  ['2026-06-30', '10-Q', 2026, 2, '2026-06-30', '2026-08-10', false],
  ['2026-07-01', '10-Q', 2026, 2, '2026-06-30', '2026-08-10', true],
  ['2026-08-10', '10-Q', 2026, 2, '2026-06-30', '2026-08-10', true],
  ['2026-08-11', '10-Q', 2026, 3, '2026-09-30', '2026-11-09', false],
  ['2026-11-10', '10-K', 2026, null, '2026-12-31', '2027-03-01', false],
] as const)(
  'created on %s: Form %s for fiscal %i (quarter %s), period ended %s, due %s; period over: %s',
  (today, form, year, quarter, periodEnd, due, ended) => {
    expect(livePeriodFor(today, hecla)).toEqual({
      id: LIVE_REPORT_ID,
      form,
      fiscal_year: year,
      fiscal_quarter: quarter,
      period_end: periodEnd,
      dueDate: due,
      periodEnded: ended,
    })
  },
)

test('the filer category in force for the period sets the deadline: an accelerated filer has 75 days for its 10-K', () => {
  // 75 days after 2026-12-31 is Tuesday 2027-03-16.
  expect(livePeriodFor('2027-03-02', { fiscalYearEnd: '12-31', categoryOn: () => 'accelerated' })).toMatchObject({
    form: '10-K',
    period_end: '2026-12-31',
    dueDate: '2027-03-16',
  })
})

test('fiscal periods: three quarters on Form 10-Q, then the year on Form 10-K; a June year end too; other year ends are refused', () => {
  expect(fiscalPeriods(2026, '12-31').map((p) => [p.form, p.fiscal_quarter, p.period_end])).toEqual([
    ['10-Q', 1, '2026-03-31'],
    ['10-Q', 2, '2026-06-30'],
    ['10-Q', 3, '2026-09-30'],
    ['10-K', null, '2026-12-31'],
  ])
  expect(fiscalPeriods(2026, '06-30').map((p) => p.period_end)).toEqual(['2025-09-30', '2025-12-31', '2026-03-31', '2026-06-30'])
  expect(() => fiscalPeriods(2026, '12-30')).toThrow('Unsupported fiscal year end')
  expect(() => fiscalPeriods(2026, '02-29')).toThrow('Unsupported fiscal year end')
})

let db: DB
let record: WorkflowRecord
let close: () => Promise<void>
beforeAll(async () => {
  ;({ db, close } = await createTestDb('live-report'))
  await seedDemoCompany(db, { passwordHash: await demoPasswordHash() })
  record = testRecord(db, machineLookup)
})
afterAll(() => close())

const lifecycleState = async (reportId: string) =>
  (await db.selectFrom('workflow_snapshot').select('state').where('instance_id', '=', `report/${reportId}`).executeTakeFirst())?.state ??
  null

test('seeded once its period has ended: in certification with its first draft, through the record; no signatures, no duty workflow', async () => {
  const today = new Date('2027-01-05T09:30:00.000Z')
  const live = await seedLiveReport(record, today)
  expect(live).toMatchObject({ form: '10-K', fiscal_year: 2026, period_end: '2026-12-31', dueDate: '2027-03-01', periodEnded: true })
  const row = await db
    .selectFrom('periodic_report as r')
    .innerJoin('report_draft as d', 'd.id', 'r.current_draft_id')
    .select(['r.form', 'r.fiscal_year', 'r.fiscal_quarter', 'r.period_end', 'r.created_at', 'd.version', 'd.sha256', 'd.file_name'])
    .where('r.id', '=', LIVE_REPORT_ID)
    .executeTakeFirstOrThrow()
  const draft = liveDraft({ form: '10-K', fiscal_year: 2026, fiscal_quarter: null, period_end: '2026-12-31' })
  expect(draft.content).toBe('Hecla Mining Company, Form 10-K for the fiscal year ended December 31, 2026. Draft 1.\n')
  expect(row).toEqual({
    form: '10-K',
    fiscal_year: 2026,
    fiscal_quarter: null,
    period_end: '2026-12-31',
    created_at: today.toISOString(),
    version: 1,
    sha256: draft.sha256,
    file_name: 'hecla-10k-2026-draft-1.txt',
  })
  expect(await lifecycleState(LIVE_REPORT_ID)).toBe('certification')
  const events = await db.selectFrom('workflow_event').select(['event_type', 'recorded_at', 'actor_user_id']).orderBy('sequence').execute()
  expect(events.map((e) => [e.event_type, e.actor_user_id])).toEqual([
    ['report.registerDraft', 'user-cao'],
    ['report.beginCertification', 'user-admin'],
  ])
  // Nothing of the seed is dated after the moment of creation.
  expect(events.every((e) => e.recorded_at <= today.toISOString())).toBe(true)
  expect(await db.selectFrom('sign_off').select('id').execute()).toEqual([])
  expect(await db.selectFrom('workflow_instance').select('id').where('machine_id', '=', 'duty-review').execute()).toEqual([])

  // Seeding again, whatever the day, changes nothing.
  const before = await dumpAllTables(db)
  expect(await seedLiveReport(record, new Date('2027-06-01T12:00:00Z'))).toBeNull()
  expect(await dumpAllTables(db)).toEqual(before)
})

test('seeded before its period has ended: drafting, with no draft and no workflow', async () => {
  const { db: other, close: closeOther } = await createTestDb('live-report-drafting')
  try {
    await seedDemoCompany(other, { passwordHash: await demoPasswordHash() })
    const live = await seedLiveReport(testRecord(other, machineLookup), new Date('2026-12-03T05:39:00.000Z'))
    expect(live).toMatchObject({ form: '10-K', fiscal_year: 2026, period_end: '2026-12-31', dueDate: '2027-03-01', periodEnded: false })
    expect(
      await other.selectFrom('periodic_report').select(['id', 'current_draft_id']).where('id', '=', LIVE_REPORT_ID).executeTakeFirst(),
    ).toEqual({ id: LIVE_REPORT_ID, current_draft_id: null })
    expect(await other.selectFrom('workflow_instance').select('id').execute()).toEqual([])
    expect(await other.selectFrom('report_draft').select('id').execute()).toEqual([])
  } finally {
    await closeOther()
  }
})

test('a creation day whose first report due is one of the seed documents’ seeds nothing more (in 2013, the FY2012 10-K)', async () => {
  const { db: other, close: closeOther } = await createTestDb('live-report-2013')
  try {
    await seedDemoCompany(other, { passwordHash: await demoPasswordHash() })
    expect(await seedLiveReport(testRecord(other, machineLookup), new Date('2013-02-15T12:00:00Z'))).toBeNull()
    expect((await other.selectFrom('periodic_report').select('id').orderBy('id').execute()).map((r) => r.id)).toEqual([
      'report-2008-q2',
      'report-2012-fy',
    ])
  } finally {
    await closeOther()
  }
})

test('the demo database of the run (created on SEED_DAY, 2026-08-01) holds the Q2 2026 10-Q as its live report, in certification', async () => {
  const copy = copySeededDatabase('live-report-seeded')
  try {
    const row = await copy.db
      .selectFrom('periodic_report')
      .select(['form', 'fiscal_year', 'fiscal_quarter', 'period_end'])
      .where('id', '=', LIVE_REPORT_ID)
      .executeTakeFirst()
    expect(row).toEqual({ form: '10-Q', fiscal_year: 2026, fiscal_quarter: 2, period_end: '2026-06-30' })
    const state = await copy.db
      .selectFrom('workflow_snapshot')
      .select('state')
      .where('instance_id', '=', `report/${LIVE_REPORT_ID}`)
      .executeTakeFirst()
    expect(state?.state).toBe('certification')
  } finally {
    await copy.close()
  }
})
