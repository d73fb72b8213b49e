import { type RawBuilder, sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { timelineCsv } from '../../app/utils/timeline-csv.server'
import { type SeededCopy, copySeededDatabase } from '../utils/test-db'

// The CSV of a filtered timeline: one row per event of the view (every page of
// it, streamed), and a cell that would run as a formula in a spreadsheet escaped.

let copy: SeededCopy
beforeAll(async () => {
  copy = copySeededDatabase('timeline-csv')
  // A name a spreadsheet would take for a formula.
  await copy.db.updateTable('user').set({ full_name: '=HYPERLINK("http://evil.example","Avery")' }).where('id', '=', 'user-cfo').execute()
})
afterAll(() => copy.close())

async function csvOf(filters: Parameters<typeof timelineCsv>[1], showCases = true): Promise<string[]> {
  let text = ''
  for await (const chunk of timelineCsv(copy.db, filters, 'America/Los_Angeles', showCases)) text += String(chunk)
  return text.trimEnd().split('\n')
}

const count = async (where: RawBuilder<unknown>) =>
  (
    await sql<{
      n: number
    }>`SELECT count(*) AS n FROM workflow_event e JOIN workflow_instance i ON i.id = e.instance_id WHERE ${where}`.execute(copy.db)
  ).rows[0]!.n

test('one row per event of the view, across every page, newest first', async () => {
  const all = await csvOf({ reportId: 'report-2008-q2' })
  const expected = await count(sql`i.report_id = 'report-2008-q2'`)
  expect(expected).toBeGreaterThan(200) // more than one page of listTimeline
  expect(all[0]).toBe(
    'sequence,recorded_at_utc,recorded_at_company_time,event,what_happened,person,person_id,role_at_the_time,title_at_the_time,roles_held_at_the_time,state_before,state_after,report,duty,officer,case,workflow',
  )
  expect(all.length - 1).toBe(expected)
  const sequences = all.slice(1).map((line) => Number(line.split(',')[0]))
  expect(new Set(sequences).size).toBe(expected)
  const signs = await csvOf({ reportId: 'report-2008-q2', eventType: 'duty.sign', dutyNumber: 1 })
  expect(signs.length - 1).toBe(await count(sql`i.report_id = 'report-2008-q2' AND e.event_type = 'duty.sign' AND i.duty_number = 1`))
  for (const line of signs.slice(1)) expect(line).toContain(',duty.sign,signed the duty,')
})

test('a cell starting with = comes out escaped, and a reader who may not see every case gets none named', async () => {
  const lines = await csvOf({ actorUserId: 'user-cfo', reportId: 'report-2008-q2' })
  expect(lines.length).toBeGreaterThan(1)
  for (const line of lines.slice(1)) {
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""Avery"")"`)
    expect(line).not.toMatch(/,=HYPERLINK|,"=HYPERLINK/)
  }
  const withCases = (await csvOf({ reportId: 'report-2008-q2' })).filter((l) => /,case\//.test(l) || /,case-/.test(l))
  expect(withCases.length).toBeGreaterThan(0)
  const hidden = await csvOf({ reportId: 'report-2008-q2' }, false)
  expect(hidden.some((l) => /case-/.test(l))).toBe(false)
  expect(hidden.some((l) => l.includes('a reported matter'))).toBe(true)
})
