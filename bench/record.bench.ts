// `npm run bench [-- --file <copy of a record> --runs 3 --events 200 --out bench/results/<date>.json --only append,load,verify,export]`
// What the record's guarantees cost at scale (issue 13), each figure a ratio to
// a baseline measured in the same run on the same file; with --runs > 1 the
// summary quotes the median of the runs.
//   append:  one workflow event through the record's write path (record.append:
//            IMMEDIATE transaction, sealed load, can + transition, hash, Ed25519
//            checkpoint, derived state, sealed cache row) vs one plain INSERT in
//            its own IMMEDIATE transaction on the same file and connection (the
//            same fsync per commit); the officer's command (sendDutyEvent, which
//            also reads the report) beside it.
//   load:    record.load of a workflow of 10,000 events vs one of 10 (the sealed
//            cache row); and, for what the seal saves, the same loads replayed.
//   verify:  `npm run verify`'s checks vs reading every event row with its
//            checkpoint once: the chain check (--no-replay), the replay with the
//            newest checkpoint's signature, and everything (every checkpoint's
//            signature, the replay; the CLI's default), over both cores.
//   export:  the PDF packet and the CSV of the events of the report with the
//            longest history vs a plain read of that report's events.
// --file names a copy you may write to (the append and the load's set-up add
// events; its signing-key.pem beside it). Without --file, a fresh demo record.
// Never point it at a file you keep.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { sendDutyEvent, sendDutyEvents } from '../db/commands'
import { openDatabase } from '../db/client'
import { renderPacketPdf } from '../db/exports/packet-pdf.server'
import { instanceId } from '../db/ids'
import { machineLookup } from '../db/machine-lookup'
import { migrateToLatest } from '../db/migrate'
import { findPacketFacts } from '../db/queries/packet'
import { loadOrCreateSigningKey } from '../db/signing-key'
import { immediateTransaction } from '../db/transaction'
import { verifyRecord, verifyRecordInParallel } from '../db/verify'
import { loadInstance, openWorkflowRecord } from '../db/workflow-record'
import { seedDemoCompany } from '../seeds/load'
import { timelineCsv } from '../app/utils/timeline-csv.server'

const { values: opts } = parseArgs({
  options: {
    file: { type: 'string' },
    runs: { type: 'string', default: '3' },
    events: { type: 'string', default: '200' },
    loads: { type: 'string', default: '300' },
    out: { type: 'string' },
    only: { type: 'string', default: 'append,load,verify,export' },
    report: { type: 'string' },
    // Which verifications: chain (--no-replay in one thread), chain2 (the same in two segments on two threads, as the CLI runs it), newest (replay, newest signature, both cores),
    // newest1 (the same in one thread), everything (npm run verify's default, both cores).
    verify: { type: 'string', default: 'chain,chain2,newest,newest1,everything' },
  },
})
const RUNS = Number(opts.runs)
const N = Number(opts.events)
const LOADS = Number(opts.loads)
const only = new Set(opts.only.split(','))
const modes = new Set(opts.verify.split(','))

let file: string
let tmp: string | null = null
if (opts.file) file = path.resolve(opts.file)
else {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-bench-'))
  file = path.join(tmp, 'bench.sqlite')
}
const { db, sqlite } = openDatabase(file)
if (tmp) {
  await migrateToLatest(db)
  await seedDemoCompany(db)
}
const key = loadOrCreateSigningKey(path.join(path.dirname(file), 'signing-key.pem'))
const record = openWorkflowRecord(db, machineLookup, key)

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
async function ms(work: () => unknown | Promise<unknown>): Promise<number> {
  const start = performance.now()
  await work()
  return performance.now() - start
}
const countEvents = () => (sqlite.prepare('SELECT COUNT(*) AS n FROM workflow_event').get() as { n: number }).n

// The CEO's duties 7, 8, 9 of the demo FY2012 10-K (in certification; the CEO has not started them).
const REPORT = 'report-2012-fy'
const CEO = { userId: 'user-ceo', role: 'ceo' as const }
const answers = (i: number) => ({
  established: true as const,
  operatingEffectively: true,
  changesInPeriod: i % 2 ? 'None' : `Walkthrough ${i + 1}: no change in the period`,
  referenceDocument: { title: 'Accounting Policies and Procedures Manual', identifier: 'FIN-POL-001' },
})
const versionOf = async (id: string) => (await record.load(id))?.version ?? 0

/** Grows the CEO's review of `duty` to at least `events` events, 500 a transaction. */
async function grow(duty: 7 | 8 | 9, events: number) {
  const id = instanceId.duty(REPORT, CEO.userId, duty)
  for (let v = await versionOf(id); v < events; v = await versionOf(id)) {
    const take = Math.min(500, events - v)
    const batch = Array.from({ length: take }, (_, i) =>
      v === 0 && i === 0 ? { type: 'duty.start' as const } : { type: 'duty.answer' as const, answers: answers(v + i) },
    )
    await sendDutyEvents(record, { reportId: REPORT, officer: CEO, dutyNumber: duty, expectedVersion: v, events: batch, actor: CEO })
  }
  return id
}

type Row = Record<string, number | string | boolean>
const runs: Row[] = []

// The set-up, once: the two workflows the load compares, the one the append grows.
const long = only.has('load') ? await grow(7, 10_000) : ''
const short = only.has('load') ? await grow(8, 10) : ''
const appended = only.has('append') ? await grow(9, 1) : ''
await sql`CREATE TABLE IF NOT EXISTS bench_baseline (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`.execute(db)

// The report with the longest history but the one the bench writes to, for the exports (a bare demo record: that one).
const longest = sqlite
  .prepare(
    "SELECT i.report_id AS id FROM workflow_event e JOIN workflow_instance i ON i.id = e.instance_id WHERE i.report_id IS NOT NULL AND i.report_id <> 'report-2012-fy' GROUP BY i.report_id ORDER BY COUNT(*) DESC LIMIT 1",
  )
  .get() as { id: string } | undefined
const exportReport = opts.report ?? longest?.id ?? REPORT

for (let run = 1; run <= RUNS; run++) {
  const row: Row = { run }
  if (only.has('append')) {
    const insert = await ms(async () => {
      for (let i = 0; i < N; i++)
        await immediateTransaction(db, (trx) =>
          sql`INSERT INTO bench_baseline (body) VALUES (${JSON.stringify({ type: 'duty.answer', i })})`.execute(trx).then(() => undefined),
        )
    })
    let v = await versionOf(appended)
    const through = await ms(async () => {
      for (let i = 0; i < N; i++, v++)
        await record.append({
          instance: { id: appended },
          expectedVersion: v,
          event: { type: 'duty.answer', answers: answers(v) },
          actor: CEO,
        })
    })
    const command = await ms(async () => {
      for (let i = 0; i < N; i++, v++)
        await sendDutyEvent(record, {
          reportId: REPORT,
          officer: CEO,
          dutyNumber: 9,
          expectedVersion: v,
          event: { type: 'duty.answer', answers: answers(v) },
          actor: CEO,
        })
    })
    Object.assign(row, {
      insertMsPerRow: insert / N,
      appendMsPerEvent: through / N,
      commandMsPerEvent: command / N,
      appendVsInsert: through / insert,
      commandVsInsert: command / insert,
    })
  }
  if (only.has('load')) {
    const [longV, shortV] = [await versionOf(long), await versionOf(short)]
    const times = { long: [] as number[], short: [] as number[] }
    // Alternated, so that both see the same machine.
    for (let i = 0; i < LOADS; i++) {
      times.short.push(await ms(() => record.load(short)))
      times.long.push(await ms(() => record.load(long)))
    }
    const replayShort = median(await Promise.all([0, 1, 2].map(() => ms(() => loadInstance(db, machineLookup, short)))))
    const replayLong = median([
      await ms(() => loadInstance(db, machineLookup, long)),
      await ms(() => loadInstance(db, machineLookup, long)),
    ])
    Object.assign(row, {
      loadLongEvents: longV,
      loadShortEvents: shortV,
      loadLongMs: median(times.long),
      loadShortMs: median(times.short),
      loadLongVsShort: median(times.long) / median(times.short),
      replayLongMs: replayLong,
      replayShortMs: replayShort,
      replayLongVsShort: replayLong / replayShort,
    })
  }
  if (only.has('verify')) {
    const events = countEvents()
    const scan = await ms(() => {
      let n = 0
      for (const r of sqlite
        .prepare(
          'SELECT e.*, c.head_hash, c.signature FROM workflow_event e LEFT JOIN chain_checkpoint c ON c.sequence = e.sequence ORDER BY e.sequence',
        )
        .iterate())
        n += (r as { sequence: number }).sequence > 0 ? 1 : 0
      if (n !== events) throw new Error(`read ${n} of ${events} events`)
    })
    const check = async (label: string, work: () => ReturnType<typeof verifyRecord> | Promise<ReturnType<typeof verifyRecord>>) => {
      let ok = true
      const t = await ms(async () => {
        const report = await work()
        ok = report.ok
        if (!report.ok) console.error(`${label}: the record does not verify: ${report.problems[0]?.message}`)
      })
      if (!ok) throw new Error(`${label}: the bench file does not verify`)
      return t
    }
    Object.assign(row, { verifyEvents: events, scanMs: scan })
    const figure = (name: string, t: number) =>
      Object.assign(row, { [`${name}Ms`]: t, [`${name}VsScan`]: t / scan, [`${name}EventsPerS`]: (events / t) * 1000 })
    if (modes.has('chain')) figure('chain', await check('chain', () => verifyRecord({ file, key, lookup: machineLookup, replay: false })))
    if (modes.has('chain2'))
      figure('chainTwoThreads', await check('chain, two threads', () => verifyRecordInParallel({ file, key, replay: false, workers: 2 })))
    if (modes.has('newest'))
      figure('replayNewest', await check('replay, newest checkpoint', () => verifyRecordInParallel({ file, key, checkpoints: 'newest' })))
    if (modes.has('newest1'))
      figure(
        'replayNewestOneThread',
        await check('replay, newest checkpoint, one thread', () =>
          verifyRecord({ file, key, lookup: machineLookup, checkpoints: 'newest' }),
        ),
      )
    if (modes.has('everything')) figure('everything', await check('everything', () => verifyRecordInParallel({ file, key })))
  }
  if (only.has('export')) {
    const reportEvents = () =>
      sqlite
        .prepare(
          'SELECT e.* FROM workflow_event e JOIN workflow_instance i ON i.id = e.instance_id WHERE i.report_id = ? ORDER BY e.sequence',
        )
        .all(exportReport)
    const read = await ms(reportEvents)
    const sink = () => {
      let bytes = 0
      return {
        stream: new Writable({
          write(chunk: Buffer, _e, done) {
            bytes += chunk.length
            done()
          },
        }),
        bytes: () => bytes,
      }
    }
    const pdf = sink()
    const packet = await ms(async () => {
      const facts = await findPacketFacts(db, { lookup: machineLookup, key }, exportReport, { namesCases: true, now: new Date() })
      if (!facts) throw new Error(`no report ${exportReport}`)
      await pipeline(renderPacketPdf(facts), pdf.stream)
    })
    const text = sink()
    const csv = await ms(() => pipeline(timelineCsv(db, { reportId: exportReport }, 'America/Los_Angeles', true), text.stream))
    Object.assign(row, {
      exportReport,
      exportReportEvents: reportEvents().length,
      readReportEventsMs: read,
      packetMs: packet,
      packetBytes: pdf.bytes(),
      packetVsRead: packet / read,
      csvMs: csv,
      csvBytes: text.bytes(),
      csvVsRead: csv / read,
    })
  }
  console.error(JSON.stringify(row))
  runs.push(row)
}

const summary: Row = {}
for (const k of Object.keys(runs[0] ?? {})) {
  const xs = runs.map((r) => r[k])
  summary[k] = typeof xs[0] === 'number' ? Number(median(xs as number[]).toPrecision(4)) : xs[0]!
}
const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  // Other engineers share the machine: the load average when the runs ended.
  loadAverage: os.loadavg(),
  file: opts.file ?? '(a fresh demo record)',
  events: countEvents(),
  runs: RUNS,
  eventsPerAppendRun: N,
  summary,
  rows: runs,
}
await db.destroy()
if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
console.log(JSON.stringify(result, null, 2))
if (opts.out) {
  fs.mkdirSync(path.dirname(opts.out), { recursive: true })
  fs.writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`)
}
