// `npm run bench:pages -- --file <record> [--duration 10] [--connections 10,50] [--runs 1]`
// (issue 13): the built server started on a (large) record exactly as `npm start`
// runs it, loaded on loopback by `wrk` in a process of its own, signed in (one
// session per person). Every page is quoted as a ratio to the baseline — a one-line
// page of the same build in the same root layout, /bench/baseline — measured in
// the same run at the same number of connections, because absolute figures on a
// shared 2-core machine say little. Also: the server's peak RSS (VmHWM) and the
// time from the process's start to its first answer. `npm run build` first.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { serverNodeArgs } from '../scripts/server-command'
import { answered, benchAddresses, freePort, signIn } from './bench-server'

const { values: flags } = parseArgs({
  options: {
    file: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    runs: { type: 'string' },
    out: { type: 'string' },
    only: { type: 'string' },
    server: { type: 'string' },
    // A directory: the server runs under `node --cpu-prof` and is stopped with SIGTERM so the
    // profile is written there (read it with bench/cpu-profile.ts).
    profile: { type: 'string' },
    // Also download the whole record's evidence bundle once (after the pages, so their peak RSS is apart):
    // its size, time and the server's peak RSS after it (the response is written with backpressure, issue 13).
    export: { type: 'boolean' },
  },
})
const file = path.resolve(flags.file ?? process.env.BENCH_FILE ?? '/tmp/hecla-bench/record.sqlite')
const duration = Number(flags.duration ?? process.env.BENCH_DURATION ?? 10)
const connectionCounts = (flags.connections ?? process.env.BENCH_CONNECTIONS ?? '10,50').split(',').map(Number)
const runs = Number(flags.runs ?? process.env.BENCH_RUNS ?? 1)
if (!fs.existsSync(file)) throw new Error(`${file} does not exist: run bench/generate.ts first`)
if (!fs.existsSync('build/server/index.js') || !fs.existsSync('build/server.js'))
  throw new Error('no production build: run `npm run build` first')
// `build` (default): the compiled server, as `npm start` runs it; `tsx`: server.ts through the tsx loader, as it ran
// before the server was compiled (issue 13's "before and after").
const serverKind = flags.server ?? 'build'
if (serverKind !== 'build' && serverKind !== 'tsx') throw new Error(`--server is build or tsx, not ${serverKind}`)

const { events, tenK, firstFiled, lastFiled } = benchAddresses(file)

const people = {
  ceo: 'ceo@hecla.example',
  cfo: 'cfo@hecla.example',
  cao: 'controller@hecla.example',
  auditChair: 'audit.chair@hecla.example',
  disclosureChair: 'disclosure@hecla.example',
} as const
type Person = keyof typeof people

interface Page {
  name: string
  who: Person
  address: string
}
const pages: Page[] = [
  { name: 'baseline (one-line page, root layout)', who: 'ceo', address: '/bench/baseline' },
  { name: 'dashboard', who: 'ceo', address: '/' },
  { name: `report page (${tenK})`, who: 'ceo', address: `/reports/${tenK}` },
  { name: `duty page (${tenK}, duty 6)`, who: 'ceo', address: `/reports/${tenK}/duties/6` },
  { name: `audit-committee matrix (${tenK})`, who: 'auditChair', address: `/reports/${tenK}/history` },
  { name: 'timeline, filtered (duty 7, the CFO)', who: 'auditChair', address: '/history?person=user-cfo&duty=7' },
  {
    name: `comparison (the CFO, ${firstFiled} → ${lastFiled})`,
    who: 'auditChair',
    address: `/history/compare?officer=user-cfo&from=${firstFiled}&to=${lastFiled}`,
  },
  { name: 'case inbox (Disclosure Committee)', who: 'disclosureChair', address: '/cases' },
]
const only = flags.only ? new RegExp(flags.only) : null

const port = await freePort()
const origin = `http://127.0.0.1:${port}`

const startedAt = performance.now()
// As `npm start` runs it (node on the compiled server, the production build), niced: the machine is shared.
const serverArgs = [
  ...(flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags.profile)}`] : []),
  ...(serverKind === 'tsx' ? ['--import', 'tsx', 'server.ts'] : serverNodeArgs()),
]
const server = spawn('nice', ['-n', '19', process.execPath, ...serverArgs], {
  env: { ...process.env, DATABASE_PATH: file, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
  stdio: ['ignore', 'ignore', 'inherit'],
})
process.on('exit', () => server.kill('SIGKILL'))
await answered(origin)
const firstResponseMs = performance.now() - startedAt
console.log(`server answered ${Math.round(firstResponseMs)} ms after its start, on ${events} events`)

/** fetch, once more on a kept-alive socket the server closed meanwhile (its keep-alive timeout passes during a wrk run). */
async function get(address: string, cookie: string): Promise<Response> {
  try {
    return await fetch(`${origin}${address}`, { headers: { Cookie: cookie }, redirect: 'manual' })
  } catch {
    return fetch(`${origin}${address}`, { headers: { Cookie: cookie }, redirect: 'manual' })
  }
}
const versionOn = async (address: string, cookie: string) =>
  Number(/name="expectedVersion" value="(\d+)"/.exec(await (await get(address, cookie)).text())?.[1] ?? NaN)
const cookies = {} as Record<Person, string>
for (const who of Object.keys(people) as Person[]) cookies[who] = await signIn(origin, people[who])

for (const page of pages) {
  const response = await get(page.address, cookies[page.who])
  const body = await response.text()
  if (response.status !== 200) throw new Error(`${page.address} answered ${response.status} to ${page.who}: ${body.slice(0, 200)}`)
}

// The transition: officers answering duties of the report in certification (the
// FY2012 10-K of the demo), one workflow per wrk thread where there are enough.
const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
/** The page's answer form, filled as an officer would (hidden fields kept, boxes ticked, first choices, words written), without its version. */
function answerForm(html: string): string | null {
  for (const [, body = ''] of html.matchAll(/<form\b[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/gi)) {
    if (!/name="intent" value="answer"/.test(body)) continue
    const data = new URLSearchParams()
    const radios = new Set<string>()
    for (const [tag] of body.matchAll(/<input\b[^>]*>/g)) {
      const name = /\bname="([^"]+)"/.exec(tag)?.[1]
      if (!name || name === 'expectedVersion') continue
      const type = /\btype="([^"]+)"/.exec(tag)?.[1] ?? 'text'
      const value = decode(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '')
      if (type === 'hidden') data.append(name, value)
      else if (type === 'radio' && !radios.has(name)) {
        radios.add(name)
        data.append(name, value)
      } else if (type === 'checkbox') data.append(name, value || 'on')
      else if (type === 'date') data.append(name, '2013-02-20')
      else if (type === 'text') data.append(name, value || 'Reviewed again for the benchmark; no change.')
    }
    for (const [, name = '', options = ''] of body.matchAll(/<select\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const first = [...options.matchAll(/<option\b[^>]*\bvalue="([^"]*)"/g)].map((m) => decode(m[1]!)).find((v) => v !== '')
      data.append(name, first ?? '')
    }
    for (const [, name = '', text = ''] of body.matchAll(/<textarea\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g))
      data.append(name, decode(text) || 'Reviewed again for the benchmark; no change.')
    return data.toString()
  }
  return null
}
interface Target {
  path: string
  cookie: string
  origin: string
  body: string
  version: number
}
const targets: Target[] = []
for (const who of ['ceo', 'cfo', 'cao'] as const) {
  // Duties 5–12 only: an answer to duties 1–4 filled as a person would reports a
  // new matter with each POST (a case per request), which is a different workload
  // and grows the case inbox as the benchmark runs (seen in the first full run).
  for (let n = 5; n <= 12; n++) {
    const address = `/reports/report-2012-fy/duties/${n}`
    const html = await (await get(address, cookies[who])).text()
    const body = answerForm(html)
    const version = /name="expectedVersion" value="(\d+)"/.exec(html)?.[1]
    if (!body || version === undefined) continue
    // Kept only if the server takes this answer as it is (a redirect: post/redirect/get).
    const tried = await fetch(`${origin}${address}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: cookies[who], Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `${body}&expectedVersion=${version}`,
    })
    await tried.arrayBuffer()
    // The first answer of a duty not started starts it too (two events): read the version again.
    if (tried.status >= 300 && tried.status < 400)
      targets.push({ path: address, cookie: cookies[who], origin, body, version: await versionOn(address, cookies[who]) })
  }
}
if (targets.length === 0) throw new Error('no duty of report-2012-fy takes an answer: is the demo 10-K still in certification?')
console.log(`${targets.length} duty workflows of report-2012-fy take answers`)
const lua = (s: string) => JSON.stringify(s)
const targetsFile = path.join(os.tmpdir(), `hecla-bench-targets-${process.pid}.lua`)
const writeTargets = (list: Target[]) =>
  fs.writeFileSync(
    targetsFile,
    `return {\n${list
      .map(
        (t) =>
          `  { path = ${lua(t.path)}, cookie = ${lua(t.cookie)}, origin = ${lua(t.origin)}, body = ${lua(t.body)}, version = ${t.version} },`,
      )
      .join('\n')}\n}\n`,
  )

interface Measure {
  requestsPerSecond: number
  p50ms: number
  p99ms: number
  requests: number
  non2xx3xx: number
  socketErrors: string | null
}
const toMs = (v: string, unit: string) => Number(v) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 1)
function wrk(args: string[], env: NodeJS.ProcessEnv = process.env): Measure {
  const result = spawnSync('nice', ['-n', '19', '/usr/bin/wrk', '--latency', '--timeout', '30s', '-d', `${duration}s`, ...args], {
    encoding: 'utf8',
    env,
  })
  const out = result.stdout
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}\n${out}`)
  const latency = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out)
    return m ? Math.round(toMs(m[1]!, m[2]!) * 100) / 100 : NaN
  }
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50ms: latency('50'),
    p99ms: latency('99'),
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN),
    non2xx3xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: /Socket errors:.*$/m.exec(out)?.[0] ?? null,
  }
}

type Row = { name: string; address: string; connections: number; run: number } & Measure
const rows: Row[] = []
const transitionName = 'workflow transition: a duty answer POST (report-2012-fy)'
for (let run = 1; run <= runs; run++) {
  for (const connections of connectionCounts) {
    const threads = Math.min(2, connections)
    for (const page of pages) {
      if (only && !only.test(page.name) && !page.name.startsWith('baseline')) continue
      const m = wrk(['-t', String(threads), '-c', String(connections), '-H', `Cookie: ${cookies[page.who]}`, `${origin}${page.address}`])
      rows.push({ name: page.name, address: page.address, connections, run, ...m })
      console.log(
        `run ${run}, ${connections} connections, ${page.name}: ${m.requestsPerSecond} req/s, p50 ${m.p50ms} ms, p99 ${m.p99ms} ms`,
      )
    }
    if (only && !only.test(transitionName)) continue
    // One connection per thread, one workflow per thread (shared only when the threads outnumber the workflows).
    writeTargets(targets)
    const m = wrk(['-t', String(connections), '-c', String(connections), '-s', 'bench/wrk/answer.lua', origin], {
      ...process.env,
      BENCH_WRK_TARGETS: targetsFile,
    })
    rows.push({ name: transitionName, address: 'POST /reports/report-2012-fy/duties/<n>', connections, run, ...m })
    console.log(`run ${run}, ${connections} connections, ${transitionName}: ${m.requestsPerSecond} req/s (${m.non2xx3xx} refused as stale)`)
    // The workflows moved on: read their versions again for the next measure.
    for (const t of targets) t.version = await versionOn(t.path, t.cookie)
  }
}

// `nice` execs node in place, so the pid is the server's own.
const peakRss = () => Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024)
const peakRssMb = peakRss()
let wholeRecordBundle: { bytes: number; seconds: number; peakRssMbAfter: number } | null = null
if (flags.export) {
  const started = performance.now()
  const response = await get('/history/bundle.json', cookies.auditChair)
  if (response.status !== 200 || !response.body) throw new Error(`/history/bundle.json answered ${response.status}`)
  let bytes = 0
  const reader = response.body.getReader()
  for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength
  wholeRecordBundle = { bytes, seconds: round((performance.now() - started) / 1000, 1), peakRssMbAfter: peakRss() }
  console.log(
    `the whole record's bundle: ${bytes} bytes in ${wholeRecordBundle.seconds} s; the server's peak RSS after it ${wholeRecordBundle.peakRssMbAfter} MB`,
  )
}
if (flags.profile) {
  const exited = new Promise((resolve) => server.once('exit', resolve))
  server.kill('SIGTERM')
  await exited
} else server.kill('SIGKILL')
fs.rmSync(targetsFile, { force: true })

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN
}
function round(x: number, d = 2) {
  return Math.round(x * 10 ** d) / 10 ** d
}
const summary = connectionCounts.flatMap((connections) => {
  const of = (name: string) => rows.filter((r) => r.name === name && r.connections === connections)
  const base = of(pages[0]!.name)
  const names = [...new Set(rows.filter((r) => r.connections === connections).map((r) => r.name))]
  return names.map((name) => {
    const mine = of(name)
    // Ratios per run against that run's baseline, then the median of the ratios.
    const ratio = (k: 'requestsPerSecond' | 'p99ms') => median(mine.map((r) => r[k] / (base.find((b) => b.run === r.run)?.[k] ?? NaN)))
    return {
      name,
      connections,
      requestsPerSecond: round(median(mine.map((r) => r.requestsPerSecond)), 1),
      p50ms: round(median(mine.map((r) => r.p50ms))),
      p99ms: round(median(mine.map((r) => r.p99ms))),
      ratioRequestsPerSecond: round(ratio('requestsPerSecond')),
      ratioP99: round(ratio('p99ms')),
      refused: median(mine.map((r) => r.non2xx3xx)),
      socketErrors:
        mine
          .map((r) => r.socketErrors)
          .filter(Boolean)
          .join('; ') || null,
    }
  })
})

const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8')
const result = {
  date: new Date().toISOString(),
  machine: {
    nproc: os.cpus().length,
    model: /model name\s*:\s*(.*)/.exec(cpu)?.[1] ?? 'unknown',
    node: process.version,
    loadAverageAtEnd: os.loadavg().map((x) => round(x)),
  },
  record: { file, events, fileBytes: fs.statSync(file).size },
  settings: { durationSeconds: duration, connections: connectionCounts, runs, transitionWorkflows: targets.length, server: serverKind },
  server: { firstResponseMs: Math.round(firstResponseMs), peakRssMb, wholeRecordBundle },
  summary,
  rows,
}
const out = path.resolve(flags.out ?? `bench/results/${result.date.slice(0, 10)}.json`)
fs.mkdirSync(path.dirname(out), { recursive: true })
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`)
console.log(`\n${events} events; first response ${Math.round(firstResponseMs)} ms; peak RSS ${peakRssMb} MB`)
console.table(summary)
// The same, as the table bench/README.md quotes.
console.log(
  [
    '| page | connections | req/s | × baseline | p50 ms | p99 ms | p99 × baseline | refused |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...summary.map(
      (r) =>
        `| ${r.name} | ${r.connections} | ${r.requestsPerSecond} | **${r.ratioRequestsPerSecond}** | ${r.p50ms} | ${r.p99ms} | ${r.ratioP99} | ${r.refused} |`,
    ),
  ].join('\n'),
)
console.log(`written to ${out}`)
