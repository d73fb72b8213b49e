// `npx tsx bench/page-cost.ts --file <record> [--requests 300]` (issue 13): where a page's
// time goes, one request at a time (no queueing, unlike `pages.ts`). Each page is asked
// twice over: as a document (what a browser gets) and as its `.data` request (the same
// loaders and their serialisation, no React rendering; Remix's single fetch). So
//   loaders + serialisation = page.data − baseline.data
//   rendering              = (page − page.data) − (baseline − baseline.data)
// each in ms per request and the page as a ratio to the one-line baseline of the same run.
// The built server as `npm start` runs it; `npm run build` first. Answers are read
// uncompressed, as wrk reads them.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { serverNodeArgs } from '../scripts/server-command'
import { answered, benchAddresses, freePort, signIn } from './bench-server'

const { values: flags } = parseArgs({
  options: { file: { type: 'string' }, requests: { type: 'string' }, out: { type: 'string' } },
})
const file = path.resolve(flags.file ?? '/tmp/hecla-bench/record.sqlite')
const requests = Number(flags.requests ?? 300)
if (!fs.existsSync(file)) throw new Error(`${file} does not exist: run bench/generate.ts first`)

const { events, tenK, firstFiled: first, lastFiled: last } = benchAddresses(file)

const port = await freePort()
const origin = `http://127.0.0.1:${port}`
const server = spawn(process.execPath, serverNodeArgs(), {
  env: { ...process.env, DATABASE_PATH: file, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
  stdio: ['ignore', 'ignore', 'inherit'],
})
process.on('exit', () => server.kill('SIGKILL'))
await answered(origin)

const ceo = await signIn(origin, 'ceo@hecla.example')
const auditChair = await signIn(origin, 'audit.chair@hecla.example')
const disclosureChair = await signIn(origin, 'disclosure@hecla.example')

/** A page's address and its `.data` address (single fetch: the path with `.data`, the index route as `/_root.data`). */
const pages: { name: string; cookie: string; path: string; search?: string }[] = [
  { name: 'baseline', cookie: ceo, path: '/bench/baseline' },
  { name: 'dashboard', cookie: ceo, path: '/' },
  { name: `report page (${tenK})`, cookie: ceo, path: `/reports/${tenK}` },
  { name: 'duty page (duty 6)', cookie: ceo, path: `/reports/${tenK}/duties/6` },
  { name: 'audit-committee matrix', cookie: auditChair, path: `/reports/${tenK}/history` },
  { name: 'timeline, filtered', cookie: auditChair, path: '/history', search: '?person=user-cfo&duty=7' },
  { name: 'comparison', cookie: auditChair, path: '/history/compare', search: `?officer=user-cfo&from=${first}&to=${last}` },
  { name: 'case inbox', cookie: disclosureChair, path: '/cases' },
]

async function timed(address: string, cookie: string) {
  const get = async () => {
    const response = await fetch(origin + address, { headers: { Cookie: cookie, 'Accept-Encoding': 'identity' } })
    const body = await response.arrayBuffer()
    if (response.status !== 200) throw new Error(`${address} answered ${response.status}`)
    return body.byteLength
  }
  for (let i = 0; i < 30; i++) await get()
  let bytes = 0
  const started = performance.now()
  for (let i = 0; i < requests; i++) bytes = await get()
  return { ms: (performance.now() - started) / requests, bytes }
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d
const rows = []
for (const page of pages) {
  const document = await timed(`${page.path}${page.search ?? ''}`, page.cookie)
  const data = await timed(`${page.path === '/' ? '/_root' : page.path}.data${page.search ?? ''}`, page.cookie)
  rows.push({ name: page.name, documentMs: document.ms, dataMs: data.ms, documentBytes: document.bytes, dataBytes: data.bytes })
}
server.kill('SIGTERM')
const base = rows[0]!
const summary = rows.map((r) => ({
  page: r.name,
  'ms/request': round(r.documentMs),
  '× baseline (req/s)': round(base.documentMs / r.documentMs),
  'loaders + serialisation, ms above the baseline': round(r.dataMs - base.dataMs),
  'rendering, ms above the baseline': round(r.documentMs - r.dataMs - (base.documentMs - base.dataMs)),
  'document kB': round(r.documentBytes / 1024, 1),
  'data kB': round(r.dataBytes / 1024, 1),
}))
console.log(`${events} events, ${requests} requests each, one at a time`)
console.table(summary)
const keys = Object.keys(summary[0]!) as (keyof (typeof summary)[number])[]
console.log(
  [
    `| ${keys.join(' | ')} |`,
    `| ${keys.map(() => '---').join(' | ')} |`,
    ...summary.map((r) => `| ${keys.map((k) => r[k]).join(' | ')} |`),
  ].join('\n'),
)
if (flags.out)
  fs.writeFileSync(flags.out, `${JSON.stringify({ date: new Date().toISOString(), file, events, requests, rows, summary }, null, 2)}\n`)
