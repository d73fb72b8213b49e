// `npm run bench`: what the record's guarantees cost, as ratios against a
// baseline measured in the same run on the same machine (absolute times vary
// from machine to machine; the ratios are what to compare across commits).
//   append:  one workflow event through the record's write path (IMMEDIATE
//            transaction, load + can + transition, hash, Ed25519 checkpoint,
//            snapshot cache) vs. one plain INSERT in its own IMMEDIATE transaction
//            on the same file with the same pragmas (the same fsync per commit).
//   verify:  recomputing and checking the whole chain vs. reading every row once.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { sql } from 'kysely'
import { sendDutyEvent } from '../db/commands'
import { instanceId } from '../db/ids'
import { openDatabase } from '../db/client'
import { machineLookup } from '../db/machine-lookup'
import { migrateToLatest } from '../db/migrate'
import { loadOrCreateSigningKey } from '../db/signing-key'
import { immediateTransaction } from '../db/transaction'
import { verifyRecord } from '../db/verify'
import { openWorkflowRecord } from '../db/workflow-record'
import { seedDemoCompany } from '../seeds/load'

const N = Number(process.env.BENCH_EVENTS || 400)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-bench-'))
const file = path.join(dir, 'bench.sqlite')
const { db, sqlite } = openDatabase(file)
await migrateToLatest(db)
await seedDemoCompany(db)
const key = loadOrCreateSigningKey(path.join(dir, 'signing-key.pem'))
const record = openWorkflowRecord(db, machineLookup, key)
await sql`CREATE TABLE baseline (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`.execute(db)

async function time(label: string, work: () => Promise<void>) {
  const start = performance.now()
  await work()
  const ms = performance.now() - start
  return { label, ms }
}

const baselineInsert = await time('plain INSERT, one IMMEDIATE transaction each', async () => {
  for (let i = 0; i < N; i++) {
    await immediateTransaction(db, (trx) =>
      sql`INSERT INTO baseline (body) VALUES (${JSON.stringify({ type: 'duty.answer', i })})`.execute(trx).then(() => undefined),
    )
  }
})

// Each event is an answer to duty 7 by the CFO, alternating two valid answers.
const answers = (i: number) => ({
  established: true as const,
  operatingEffectively: true,
  changesInPeriod: i % 2 ? 'None' : 'No changes in the period',
  referenceDocument: { title: 'Accounting Policies and Procedures Manual', identifier: 'FIN-POL-001' },
})
const officer = { userId: 'user-cfo', role: 'cfo' as const }
const append = await time('workflow event through the record', async () => {
  await sendDutyEvent(record, {
    reportId: 'report-2012-fy',
    officer,
    dutyNumber: 7,
    expectedVersion: 0,
    event: { type: 'duty.start' },
    actor: officer,
  })
  for (let i = 1; i < N; i++) {
    await sendDutyEvent(record, {
      reportId: 'report-2012-fy',
      officer,
      dutyNumber: 7,
      expectedVersion: i,
      event: { type: 'duty.answer', answers: answers(i) },
      actor: officer,
    })
  }
})

const scan = await time('read every event row once', async () => {
  sqlite.prepare('SELECT * FROM workflow_event ORDER BY sequence').all()
  sqlite.prepare('SELECT * FROM chain_checkpoint ORDER BY sequence').all()
})
const verify = await time('verify the whole chain (hashes, signatures, replay)', async () => {
  const report = verifyRecord({ file, key, lookup: machineLookup })
  if (!report.ok) throw new Error(`bench record does not verify: ${JSON.stringify(report.problems[0])}`)
})

const state = await db
  .selectFrom('workflow_snapshot')
  .select('version')
  .where('instance_id', '=', instanceId.duty('report-2012-fy', 'user-cfo', 7))
  .executeTakeFirstOrThrow()
if (state.version !== N) throw new Error(`expected ${N} events, found ${state.version}`)
await db.destroy()
fs.rmSync(dir, { recursive: true, force: true })

const lines = [
  `# Benchmark of the record (${N} events, ${new Date().toISOString().slice(0, 10)}, node ${process.version})`,
  '',
  '| measure | baseline | ratio |',
  '| --- | --- | --- |',
  `| ${append.label}: ${(append.ms / N).toFixed(2)} ms/event | ${baselineInsert.label}: ${(baselineInsert.ms / N).toFixed(2)} ms/row | **${(append.ms / baselineInsert.ms).toFixed(2)}×** |`,
  `| ${verify.label}: ${verify.ms.toFixed(0)} ms | ${scan.label}: ${scan.ms.toFixed(1)} ms | **${(verify.ms / scan.ms).toFixed(1)}×** |`,
  '',
]
console.log(lines.join('\n'))
fs.mkdirSync('bench/results', { recursive: true })
fs.writeFileSync('bench/results/latest.md', lines.join('\n'))
