import { afterAll, beforeAll, expect, test } from 'vitest'
import { REFRESH_MS, recordChecker, verifyInWorker } from '../../db/record-check'
import type { VerifyReport } from '../../db/verify'
import { copySeededDatabase, type SeededCopy } from '../utils/test-db'

// The verification page's check (db/record-check.ts): in a worker thread, one at a
// time, a fresh result shown again rather than checked anew.

let copy: SeededCopy
beforeAll(() => {
  copy = copySeededDatabase('record-check')
})
afterAll(async () => {
  await copy.close()
})

const OK: VerifyReport = {
  ok: true,
  events: 1,
  instances: 1,
  signOffs: 0,
  signatures: 0,
  firstBrokenSequence: null,
  problems: [],
  warnings: [],
}

test('one check at a time: a second reader joins the one under way; a fresh result is shown again, a stale one checked anew', async () => {
  let runs = 0
  let finish: (r: VerifyReport) => void = () => {}
  const checker = recordChecker(() => {
    runs++
    return new Promise<VerifyReport>((resolve) => (finish = resolve))
  })
  let clock = Date.parse('2026-12-04T12:00:00Z')
  const now = () => new Date(clock)
  const first = await checker.check({ waitMs: 10, now })
  expect(first).toEqual({ last: null, running: { startedAt: '2026-12-04T12:00:00.000Z' } })
  const second = checker.check({ waitMs: 1_000, now })
  expect(runs).toBe(1)
  clock += 5_000
  finish(OK)
  expect(await second).toEqual({
    last: { report: OK, startedAt: '2026-12-04T12:00:00.000Z', finishedAt: '2026-12-04T12:00:05.000Z' },
    running: null,
  })
  clock += REFRESH_MS - 1
  expect((await checker.check({ waitMs: 10, now })).running).toBeNull()
  expect(runs).toBe(1)
  clock += 1
  const again = checker.check({ waitMs: 1_000, now })
  expect(runs).toBe(2)
  finish({ ...OK, events: 2 })
  expect((await again).last?.report?.events).toBe(2)
})

test('a check that cannot finish gives no verdict on the record, only the reason', async () => {
  const checker = recordChecker(() => Promise.reject(new Error('no key beside the file')))
  const { last } = await checker.check({ waitMs: 1_000 })
  expect(last).toMatchObject({ report: null, error: 'no key beside the file' })
})

test('in its worker thread, the check is npm run verify’s: the seeded record holds', async () => {
  const report = await verifyInWorker({ file: copy.file, keyPath: copy.keyPath })
  expect(report.ok).toBe(true)
  expect(report.events).toBeGreaterThan(300)
  expect(report.signOffs).toBeGreaterThan(0)
}, 60_000)
