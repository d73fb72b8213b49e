import { afterAll, beforeAll, expect, test } from 'vitest'
import type SQLite from 'better-sqlite3'
import { openDatabase, type DB } from '../../db/client'
import { migrateToLatest } from '../../db/migrate'
import { timelineQuery, type TimelineCursor, type TimelineFilters } from '../../db/queries/history'
import { seedDemoCompany } from '../../seeds/load'
import { demoPasswordHash, tempDatabaseFile } from '../utils/test-db'
import fs from 'node:fs'
import path from 'node:path'

// The timeline's query plan on a record of 100,000 events: no combination of its
// five filters (report, person, duty, kind of event, date range), with or without
// a cursor, reads the whole events table. The events are plain INSERTs in one
// transaction (not through the record: this is a plan test, and the chain's
// hashes and signatures play no part in a plan).
const EVENTS = 100_000
let db: DB
let sqlite: SQLite.Database
let file: string

beforeAll(async () => {
  file = tempDatabaseFile('history-plan')
  ;({ db, sqlite } = openDatabase(file))
  await migrateToLatest(db)
  await seedDemoCompany(db, { passwordHash: await demoPasswordHash() })
  const officers = ['user-ceo', 'user-cfo', 'user-cao']
  const actors = [...officers, 'user-admin', 'user-disclosure-chair', 'user-audit-chair', null]
  const types = ['duty.start', 'duty.answer', 'duty.confirm', 'duty.sign', 'duty.reopen', 'duty.withdraw', 'duty.lock']
  sqlite.transaction(() => {
    const report = sqlite.prepare(
      "INSERT INTO periodic_report (id, company_id, form, fiscal_year, fiscal_quarter, period_end, created_by) VALUES (?, 'company-hecla', '10-Q', ?, ?, ?, 'user-admin')",
    )
    const instance = sqlite.prepare(
      "INSERT INTO workflow_instance (id, machine_id, machine_version, report_id, subject, input, created_at) VALUES (?, 'duty-review', 2, ?, ?, '{}', '2030-01-01T00:00:00.000Z')",
    )
    const event = sqlite.prepare(
      "INSERT INTO workflow_event (sequence, instance_id, instance_version, event, event_type, actor_user_id, actor_role, recorded_at, prev_hash, hash) VALUES (?, ?, ?, '{}', ?, ?, ?, ?, ?, ?)",
    )
    const ids: string[] = []
    // Thirty years of quarters (3,240 duty workflows), in years no seed uses.
    for (let year = 2030; year < 2060; year += 1) {
      for (const quarter of [1, 2, 3]) {
        const reportId = `report-${year}-q${quarter}`
        report.run(reportId, year, quarter, `${year}-${String(quarter * 3).padStart(2, '0')}-28`)
        for (const officer of officers) {
          for (let duty = 1; duty <= 12; duty += 1) {
            const id = `duty/${reportId}/${officer}/${duty}`
            instance.run(id, reportId, JSON.stringify({ reportId, officerUserId: officer, officerRole: 'cfo', dutyNumber: duty }))
            ids.push(id)
          }
        }
      }
    }
    const versions = new Map<string, number>()
    const start = Date.parse('2030-01-01T00:00:00.000Z')
    const zeros = '0'.repeat(64)
    for (let sequence = 1; sequence <= EVENTS; sequence += 1) {
      const id = ids[(sequence * 7919) % ids.length]!
      const version = (versions.get(id) ?? 0) + 1
      versions.set(id, version)
      const actor = actors[sequence % actors.length]!
      // Every 3 hours, with runs of equal instants (the cursor's tie-break on sequence matters).
      const at = new Date(start + Math.floor(sequence / 3) * 10_800_000).toISOString()
      event.run(
        sequence,
        id,
        version,
        types[sequence % types.length]!,
        actor,
        actor ? 'cfo' : 'system',
        at,
        zeros,
        sequence.toString(16).padStart(64, '0'),
      )
    }
  })()
}, 60_000)
afterAll(async () => {
  await db.destroy()
  fs.rmSync(path.dirname(file), { recursive: true, force: true })
})

// One value for each filter, found in the generated record; the date range is one filter, both ends together.
const FILTERS = {
  report: { reportId: 'report-2041-q2' },
  person: { actorUserId: 'user-cfo' },
  duty: { dutyNumber: 7 },
  kind: { eventType: 'duty.sign' },
  dates: { fromDate: '2040-01-01', toDate: '2041-06-30' },
} satisfies Record<string, TimelineFilters>
type FilterName = keyof typeof FILTERS
const NAMES = Object.keys(FILTERS) as FilterName[]
const CURSOR: TimelineCursor = { recordedAt: '2045-03-01T12:00:00.000Z', sequence: 50_001 }

function plan(names: readonly FilterName[], cursor: TimelineCursor | null): string[] {
  const filters: TimelineFilters = Object.assign({}, ...names.map((n) => FILTERS[n]))
  const { sql, parameters } = timelineQuery(db, filters, { cursor }).compile()
  return (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(parameters as unknown[])) as { detail: string }[]).map((r) => r.detail)
}

const subsets = Array.from({ length: 2 ** NAMES.length }, (_, mask) => NAMES.filter((_, bit) => mask & (1 << bit)))
// Every subset with a cursor; every subset but the empty one without (that one is below).
const searched = [...subsets.map((names) => [names, true] as const), ...subsets.slice(1).map((names) => [names, false] as const)]

test(`the record holds ${EVENTS.toLocaleString('en-US')} events`, () => {
  expect(sqlite.prepare('SELECT count(*) AS n FROM workflow_event').get()).toEqual({ n: EVENTS })
  expect(searched).toHaveLength(2 ** 5 * 2 - 1)
})

test.each(searched)('filters %j, cursor %s: workflow_event is searched through an index, never scanned', (names, withCursor) => {
  const details = plan(names, withCursor ? CURSOR : null)
  expect(
    details.filter((d) => d.startsWith('SCAN ')),
    details.join('\n'),
  ).toEqual([])
  // The events are reached through an index (the rowid is the sequence; no walk of the table itself).
  expect(
    details.filter((d) => / e /.test(`${d} `)).every((d) => / USING (COVERING )?INDEX /.test(d)),
    details.join('\n'),
  ).toBe(true)
})

test('the first page with no filter walks the timeline index from its newest end, in order, and stops after the page', () => {
  // Nothing to search for: the plan is an ordered walk of workflow_event_recorded
  // (the timeline's own order, so no sort), which LIMIT stops after one page; it is
  // the one plan that may say SCAN. Its cost is a page, not the table.
  const details = plan([], null)
  expect(details.filter((d) => d.startsWith('SCAN '))).toEqual(['SCAN e USING INDEX workflow_event_recorded'])
  expect(details.some((d) => d.includes('TEMP B-TREE'))).toBe(false)
})
