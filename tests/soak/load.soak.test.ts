import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { prepareDatabase } from '../../seeds/prepare'
import { kill, officer, percentile, reader, recipient, reporter, sleep, startServer, state, useFile } from './drive'

// Issue 12, "Load": 50 people at once for SOAK_SECONDS (60 by default) on loopback —
// reading the dashboard, report pages, the history and the case inbox, answering and
// signing duties, writing case notes and reporting matters — against the built server
// on a fresh demo file. No answer may be a server error or go unanswered; refusals
// (a stale version when two windows of one officer race) are answers, not errors.
// Afterwards the file passes SQLite's integrity check and `npm run verify`.

const run = promisify(execFile)
const SECONDS = Number(process.env.SOAK_SECONDS || 60)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-load-'))
const file = path.join(dir, 'app.sqlite')

beforeAll(async () => {
  if (!fs.existsSync('build/server/index.js') || !fs.existsSync('build/server.js'))
    throw new Error('No production build: run `npm run build` first')
  await prepareDatabase(file, { today: new Date() })
  await useFile(file)
  await startServer()
})
afterAll(async () => {
  state.running = false
  await kill()
  fs.rmSync(dir, { recursive: true, force: true })
})

test(`50 people for ${SECONDS} s of mixed reading and workflow writes: no error, p99 reported, the record checks afterwards`, async () => {
  const readers = [
    [
      'audit.chair@hecla.example',
      ['/', '/reports/report-2012-fy', '/reports/report-2012-fy/history', '/history?report=report-2008-q2', '/cases'],
    ],
    ['chairman@hecla.example', ['/', '/reports/report-2012-fy', '/reports/report-2008-q2/history', '/cases']],
    ['disclosure@hecla.example', ['/', '/reports/report-2012-fy/filing', '/history', '/cases']],
    ['cfo@hecla.example', ['/', '/reports/report-2012-fy/duties/7', '/history', '/cases/mine']],
  ] as const
  const clients: Promise<void>[] = [
    officer('ceo@hecla.example', 'user-ceo'),
    officer('cfo@hecla.example', 'user-cfo'),
    officer('controller@hecla.example', 'user-cao'),
  ]
  for (let i = clients.length; i < 50; i++) {
    if (i % 3 === 0) clients.push(reader(...(readers[i % readers.length] as unknown as [string, string[]])))
    else if (i % 3 === 1)
      clients.push(
        i % 2 === 0
          ? recipient('audit.chair@hecla.example', 'case-2008-q2-fx-close-control')
          : recipient('disclosure@hecla.example', 'case-2012-canamex'),
      )
    else clients.push(i % 2 === 0 ? reporter('internal.audit@hecla.example') : reader(...(readers[0] as unknown as [string, string[]])))
  }
  const started = Date.now()
  await sleep(SECONDS * 1000)
  state.running = false
  await Promise.all(clients)
  const elapsed = (Date.now() - started) / 1000
  await kill()

  const { counts, acknowledged } = state
  const writes =
    acknowledged.answers.length +
    acknowledged.notes.length +
    acknowledged.reports.length +
    [...acknowledged.signs.values(), ...acknowledged.withdraws.values()].reduce((a, b) => a + b, 0)
  const errors = counts.serverErrors + counts.unreachable
  console.log(
    `Load: 50 people, ${elapsed.toFixed(0)} s, ${counts.requests} requests (${(counts.requests / elapsed).toFixed(1)}/s), ${writes} acknowledged writes, ` +
      `${counts.refused} refusals, ${errors} errors (${((100 * errors) / Math.max(1, counts.requests)).toFixed(2)} %), ` +
      `p50 ${percentile(50).toFixed(0)} ms, p99 ${percentile(99).toFixed(0)} ms`,
  )
  expect(counts.serverErrors).toBe(0)
  expect(counts.unreachable).toBe(0)
  expect(writes).toBeGreaterThan(0)
  const db = new SQLite(file, { readonly: true })
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  } finally {
    db.close()
  }
  const verified = await run(process.execPath, ['--import', 'tsx', 'db/cli/verify.ts', file]).then(
    () => 0,
    (e: { code: number; stdout: string }) => (console.log(e.stdout), e.code),
  )
  expect(verified).toBe(0)
})
