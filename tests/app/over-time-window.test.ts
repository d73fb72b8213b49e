import { expect, test } from 'vitest'
import { OVER_TIME_PERIODS, periodWindow } from '../../app/utils/over-time.server'

// The comparison page's table over time, a window of periods at a time (issue 13).
const reports = Array.from({ length: 30 }, (_, i) => ({ id: `report-${String(i).padStart(2, '0')}` }))

test('the latest periods first; each earlier window ends just before the one after it; the first one says so', () => {
  const latest = periodWindow(reports, undefined)!
  expect(latest.shown.map((r) => r.id)).toEqual(reports.slice(30 - OVER_TIME_PERIODS).map((r) => r.id))
  expect(latest).toMatchObject({ earlier: reports[30 - OVER_TIME_PERIODS - 1]!.id, latest: true })
  const before = periodWindow(reports, latest.earlier!)!
  expect(before.shown.at(-1)!.id).toBe(latest.earlier)
  expect(before.shown).toHaveLength(OVER_TIME_PERIODS)
  expect(before.latest).toBe(false)
  const first = periodWindow(reports, before.earlier!)!
  expect(first.shown.map((r) => r.id)).toEqual(reports.slice(0, 30 - 2 * OVER_TIME_PERIODS).map((r) => r.id))
  expect(first.earlier).toBeNull()
  // Every report is in exactly one window.
  expect([...first.shown, ...before.shown, ...latest.shown]).toEqual(reports)
})

test('a record of fewer periods than a window shows them all, with nothing earlier; an unknown report is no window', () => {
  expect(periodWindow(reports.slice(0, 3), undefined)).toEqual({ shown: reports.slice(0, 3), earlier: null, latest: true })
  expect(periodWindow(reports, 'report-99')).toBeUndefined()
})
