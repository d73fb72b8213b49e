import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import {
  TIMELINE_MAX_LIMIT,
  formatTimelineCursor,
  listTimeline,
  parseTimelineCursor,
  type TimelineFilters,
  type TimelineRow,
} from '../../db/queries/history'
import { copySeededDatabase } from '../utils/test-db'

// The timeline's filters and pages, on the seeded demo record (the Q2 2008 10-Q,
// the FY2012 10-K, the live report of SEED_DAY). Expected sets are counted apart
// from the query, by plain SQL over the same tables.
let db: DB
let close: () => Promise<void>
beforeAll(() => {
  ;({ db, close } = copySeededDatabase('history'))
})
afterAll(() => close())

/** Every row of the timeline for these filters, walked page by page. */
async function walk(filters: TimelineFilters, limit: number) {
  const rows: TimelineRow[] = []
  let cursor = null
  let pages = 0
  do {
    const page = await listTimeline(db, filters, { limit, cursor })
    expect(page.rows.length).toBeLessThanOrEqual(limit)
    rows.push(...page.rows)
    cursor = page.nextCursor
    pages += 1
    if (cursor) expect(page.rows).toHaveLength(limit)
  } while (cursor)
  return { rows, pages }
}

async function sequencesWhere(where: string) {
  const { rows } = await sql<{ sequence: number }>`
    SELECT e.sequence FROM workflow_event e JOIN workflow_instance i ON i.id = e.instance_id
    WHERE i.machine_id != 'kept-rows' AND (${sql.raw(where)}) ORDER BY e.recorded_at DESC, e.sequence DESC`.execute(db)
  return rows.map((r) => r.sequence)
}

test('the events that bind the case threads to the chain are in the record, and no timeline lists them', async () => {
  const kept = await sql<{ n: number }>`SELECT count(*) AS n FROM workflow_event WHERE event_type = 'row.kept'`.execute(db)
  expect(kept.rows[0]!.n).toBeGreaterThan(0)
  const { rows } = await walk({}, 50)
  expect(rows.some((r) => r.eventType === 'row.kept' || r.workflow.machineId === 'kept-rows')).toBe(false)
  expect((await walk({ eventType: 'row.kept' }, 50)).rows).toEqual([])
})

test('unfiltered, page by page: every event once, newest first by (recorded_at, sequence), ties and all', async () => {
  const all = await sequencesWhere('1 = 1')
  expect(all.length).toBeGreaterThan(300)
  const { rows, pages } = await walk({}, 7)
  expect(rows.map((r) => r.sequence)).toEqual(all)
  expect(pages).toBe(Math.ceil(all.length / 7))
  for (let i = 1; i < rows.length; i += 1) {
    const [a, b] = [rows[i - 1]!, rows[i]!]
    expect(a.recordedAt > b.recordedAt || (a.recordedAt === b.recordedAt && a.sequence > b.sequence)).toBe(true)
  }
  // The seeds record a new draft and the duties it reopens at one instant: pages cross such ties.
  const { rows: ties } = await sql<{
    n: number
  }>`SELECT count(*) AS n FROM (SELECT recorded_at FROM workflow_event GROUP BY recorded_at HAVING count(*) > 7)`.execute(db)
  expect(ties[0]!.n).toBeGreaterThan(0)
  // One big page says the same.
  const big = await listTimeline(db, {}, { limit: TIMELINE_MAX_LIMIT })
  expect(big.rows.map((r) => r.sequence)).toEqual(all.slice(0, TIMELINE_MAX_LIMIT))
})

test('rows are view-ready: who, the role at the time, when (UTC), what, and which workflow', async () => {
  const { rows } = await walk({ reportId: 'report-2012-fy', eventType: 'report.beginCertification' }, 10)
  expect(rows).toEqual([
    {
      sequence: expect.any(Number),
      recordedAt: '2013-02-11T17:30:00.000Z',
      eventType: 'report.beginCertification',
      actorUserId: 'user-admin',
      actorName: 'Alex Registrar',
      actorRole: 'administrator',
      // What held that day (migration 016), and the report's state before and after.
      actorTitle: 'Compliance Administrator',
      actorRolesThen: ['administrator'],
      instanceVersion: 2,
      stateBefore: 'drafting',
      stateAfter: 'certification',
      workflow: {
        id: 'report/report-2012-fy',
        machineId: 'report-lifecycle',
        machineVersion: 2,
        input: { form: '10-K' },
        reportId: 'report-2012-fy',
        dutyNumber: null,
        officerUserId: null,
        caseId: null,
      },
    },
  ])
  // The CFO signed as a Vice President in 2008 and as a Senior Vice President in 2013: the title of the day, not today's.
  const cfoSigns = async (reportId: string) =>
    (await walk({ reportId, actorUserId: 'user-cfo', eventType: 'duty.sign' }, 50)).rows.map((r) => r.actorTitle)
  expect(new Set(await cfoSigns('report-2008-q2'))).toEqual(new Set(['Vice President and Chief Financial Officer']))
  expect(new Set(await cfoSigns('report-2012-fy'))).toEqual(new Set(['Senior Vice President and Chief Financial Officer']))
  // And the sign-offs state it: the seed signs through the commands, which read the title of the day.
  const signedTitles = await db
    .selectFrom('sign_off')
    .select(['report_id', 'title'])
    .distinct()
    .where('officer_user_id', '=', 'user-cfo')
    .orderBy('report_id')
    .execute()
  expect(signedTitles).toEqual([
    { report_id: 'report-2008-q2', title: 'Vice President and Chief Financial Officer' },
    { report_id: 'report-2012-fy', title: 'Senior Vice President and Chief Financial Officer' },
  ])
  // The app's own events (a lock, a reopening) have no person.
  const system = (await walk({ reportId: 'report-2008-q2', eventType: 'duty.lock' }, 50)).rows
  expect(system).toHaveLength(36)
  expect(system.every((r) => r.actorUserId === null && r.actorName === null && r.actorRole === 'system')).toBe(true)
})

test.each([
  ['a report', { reportId: 'report-2008-q2' }, "i.report_id = 'report-2008-q2'"],
  ['a person', { actorUserId: 'user-cfo' }, "e.actor_user_id = 'user-cfo'"],
  ['a duty (the reviews of it and the cases raised under it)', { dutyNumber: 1 }, 'i.duty_number = 1'],
  ['a kind of event', { eventType: 'duty.sign' }, "e.event_type = 'duty.sign'"],
  [
    'a date range, both ends included',
    { fromDate: '2013-02-12', toDate: '2013-02-13' },
    "substr(e.recorded_at, 1, 10) BETWEEN '2013-02-12' AND '2013-02-13'",
  ],
  ['a date range open at the end', { fromDate: '2013-01-01' }, "e.recorded_at >= '2013-01-01'"],
  ['a date range open at the start', { toDate: '2008-07-21' }, "e.recorded_at < '2008-07-22'"],
  [
    'all five',
    {
      reportId: 'report-2012-fy',
      actorUserId: 'user-cfo',
      dutyNumber: 7,
      eventType: 'duty.sign',
      fromDate: '2013-02-13',
      toDate: '2013-02-13',
    },
    "i.report_id = 'report-2012-fy' AND e.actor_user_id = 'user-cfo' AND i.duty_number = 7 AND e.event_type = 'duty.sign' AND substr(e.recorded_at, 1, 10) = '2013-02-13'",
  ],
  [
    'a report and a person',
    { reportId: 'report-live', actorUserId: 'user-cao' },
    "i.report_id = 'report-live' AND e.actor_user_id = 'user-cao'",
  ],
] as const)('filtered by %s: exactly the events SQL counts, across pages', async (_what, filters, where) => {
  const expected = await sequencesWhere(where)
  expect(expected.length).toBeGreaterThan(0)
  const { rows } = await walk(filters, 5)
  expect(rows.map((r) => r.sequence)).toEqual(expected)
})

test('the duty.sign events are the sign-offs: one each', async () => {
  const { rows } = await walk({ eventType: 'duty.sign' }, 20)
  const signOffs = await db.selectFrom('sign_off').select('workflow_sequence').execute()
  expect(rows.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(signOffs.map((s) => s.workflow_sequence).sort((a, b) => a - b))
  expect(rows.every((r) => r.workflow.machineId === 'duty-review' && r.actorRole === r.workflow.officerUserId!.replace('user-', ''))).toBe(
    true,
  )
})

test('a filter that matches nothing gives an empty last page', async () => {
  expect(await listTimeline(db, { actorUserId: 'user-nobody' })).toEqual({ rows: [], nextCursor: null })
  expect(await listTimeline(db, { fromDate: '2099-01-01' })).toEqual({ rows: [], nextCursor: null })
})

test('cursors go to a URL and back; anything else is not a cursor', async () => {
  const first = await listTimeline(db, {}, { limit: 3 })
  const text = formatTimelineCursor(first.nextCursor!)
  expect(parseTimelineCursor(text)).toEqual(first.nextCursor)
  const second = await listTimeline(db, {}, { limit: 3, cursor: parseTimelineCursor(text) })
  expect(second.rows[0]!.sequence).not.toBe(first.rows[2]!.sequence)
  for (const bad of [
    '',
    '12',
    'x~1',
    '2013-02-11T17:30:00.000Z~0',
    '2013-02-11T17:30:00.000Z~-4',
    '2013-02-11~4',
    "2013-02-11T17:30:00.000Z~1' OR 1=1",
  ]) {
    expect(parseTimelineCursor(bad), bad).toBeNull()
  }
})

test('a bad date or limit is a programming error: the route validates first', async () => {
  await expect(listTimeline(db, { fromDate: '2013-02-30' })).rejects.toThrow('Invalid fromDate')
  await expect(listTimeline(db, { toDate: '13-02-01' })).rejects.toThrow('Invalid toDate')
  await expect(listTimeline(db, {}, { limit: 0 })).rejects.toThrow('Invalid limit')
  await expect(listTimeline(db, {}, { limit: TIMELINE_MAX_LIMIT + 1 })).rejects.toThrow('Invalid limit')
})
