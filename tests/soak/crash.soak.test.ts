import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/hecla'
import { prepareDatabase } from '../../seeds/prepare'

// Issue 12, "Crash safety": the built server on a fresh demo file, 50 clients at
// once answering and signing duties, withdrawing sign-offs, writing case notes and
// reporting matters over HTTP, and the server killed with SIGKILL at random moments
// (KILLS times, 20 by default), restarted each time. Afterwards every write the
// server acknowledged (2xx/3xx) is in the file, nothing is half-written, the file's
// integrity check and `npm run verify` pass. Figures: kills, acknowledged writes, lost.

const run = promisify(execFile)
const KILLS = Number(process.env.SOAK_KILLS || 20)
const CLIENTS = 50
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-crash-'))
const file = path.join(dir, 'app.sqlite')
let port = 0
let baseURL = ''
let child: ChildProcess | null = null
let running = true

const acknowledged = {
  answers: [] as string[],
  notes: [] as string[],
  reports: [] as string[],
  signs: new Map<string, number>(),
  withdraws: new Map<string, number>(),
}
const counts = { requests: 0, refused: 0, unreachable: 0 }

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function startServer() {
  // node itself, not the tsx CLI: the CLI forks a child that a SIGKILL would miss.
  child = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    env: { ...process.env, DATABASE_PATH: file, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${baseURL}/healthz`)).ok) return
    } catch {
      // not yet listening
    }
    await sleep(100)
  }
  throw new Error('the server did not come back within 60 s')
}

function kill(): Promise<void> {
  const c = child
  if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    c.once('exit', () => resolve())
    c.kill('SIGKILL')
  })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const token = (kind: string) => `${kind}-${randomBytes(6).toString('hex')}`

async function signIn(email: string): Promise<string> {
  for (;;) {
    try {
      const response = await fetch(`${baseURL}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: baseURL },
        body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: '/' }),
      })
      if (response.status === 302) return response.headers.get('set-cookie')!.split(';')[0]!
    } catch {
      await sleep(200)
    }
  }
}

const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')

/** The page's POST forms, each filled as a person would: hidden values kept, the first choice taken, text written. */
function formsOn(html: string, text: string): Map<string, FormData> {
  const forms = new Map<string, FormData>()
  for (const [, attributes = '', body = ''] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    if (!/method="post"/i.test(attributes) || /action="\/logout"/.test(attributes)) continue
    const data = new FormData()
    const radios = new Set<string>()
    for (const [tag] of body.matchAll(/<input\b[^>]*>/g)) {
      const name = /\bname="([^"]+)"/.exec(tag)?.[1]
      if (!name) continue
      const type = /\btype="([^"]+)"/.exec(tag)?.[1] ?? 'text'
      const value = decode(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '')
      if (type === 'hidden') data.append(name, value)
      else if (type === 'radio' && !radios.has(name)) {
        radios.add(name)
        data.append(name, value)
      } else if (type === 'radio') continue
      else if (type === 'checkbox') data.append(name, value || 'on')
      else if (type === 'password') data.append(name, DEMO_PASSWORD)
      else if (type === 'text' || type === 'date') data.append(name, type === 'date' ? '2013-02-20' : text)
    }
    for (const [, name = '', options = ''] of body.matchAll(/<select\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      const first = [...options.matchAll(/<option\b[^>]*\bvalue="([^"]*)"/g)].map((m) => decode(m[1]!)).find((v) => v !== '')
      data.append(name, first ?? '')
    }
    for (const [, name = ''] of body.matchAll(/<textarea\b[^>]*\bname="([^"]+)"/g)) data.append(name, text)
    const intent = /name="intent"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="intent"/.exec(body)
    const key = intent ? decode(intent[1] ?? intent[2]!) : decode(/action="([^"]*)"/.exec(attributes)?.[1] ?? 'form')
    if (intent && !data.has('intent')) data.append('intent', key)
    forms.set(key, data)
  }
  return forms
}

/** One request; null when the server was not there to answer (killed, restarting). */
async function send(address: string, cookie: string, body?: FormData): Promise<{ status: number; html: string; location: string } | null> {
  try {
    const response = await fetch(`${baseURL}${address}`, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: body ? { Origin: baseURL, Cookie: cookie } : { Cookie: cookie },
      body,
      signal: AbortSignal.timeout(20_000),
    })
    const html = await response.text()
    counts.requests++
    return { status: response.status, html, location: response.headers.get('location') ?? '' }
  } catch {
    counts.unreachable++
    await sleep(150)
    return null
  }
}
const isAcknowledged = (r: { status: number; location: string }) => r.status < 400 && !r.location.startsWith('/login')

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1)

/** An officer walking their own duty 6: answer, sign with the password, withdraw, answer again. */
async function officer(email: string, userId: string) {
  const cookie = await signIn(email)
  const address = '/reports/report-2012-fy/duties/6'
  const workflow = `duty/report-2012-fy/${userId}/6`
  while (running) {
    const page = await send(address, cookie)
    if (!page || page.status !== 200) continue
    const text = token('answer')
    const forms = formsOn(page.html, text)
    const [intent, data] =
      (['sign', 'withdraw', 'confirm', 'start', 'answer'] as const).flatMap((i) =>
        forms.has(i) ? [[i, forms.get(i)!] as const] : [],
      )[0] ?? []
    if (!intent || !data) {
      await sleep(100)
      continue
    }
    const result = await send(address, cookie, data)
    if (!result) continue
    if (!isAcknowledged(result)) {
      counts.refused++
      continue
    }
    if (intent === 'answer') acknowledged.answers.push(text)
    if (intent === 'sign') bump(acknowledged.signs, workflow)
    if (intent === 'withdraw') bump(acknowledged.withdraws, workflow)
  }
}

/** A recipient writing notes on a case they receive. */
async function recipient(email: string, caseId: string) {
  const cookie = await signIn(email)
  const address = `/cases/${caseId}`
  while (running) {
    const page = await send(address, cookie)
    if (!page || page.status !== 200) continue
    const text = token('note')
    const data = formsOn(page.html, text).get('note')
    if (!data) throw new Error(`no note form on ${address} for ${email}`)
    data.delete('file')
    const result = await send(address, cookie, data)
    if (result && isAcknowledged(result)) acknowledged.notes.push(text)
    else if (result) counts.refused++
  }
}

/** Anyone reporting a matter. */
async function reporter(email: string) {
  const cookie = await signIn(email)
  while (running) {
    const page = await send('/cases/new', cookie)
    if (!page || page.status !== 200) continue
    const text = token('report')
    const data = [...formsOn(page.html, `${text} — a matter reported during the crash test, with enough words to read as one.`).values()][0]
    if (!data) throw new Error('no form on /cases/new')
    data.delete('file')
    const result = await send('/cases/new', cookie, data)
    if (result && isAcknowledged(result)) acknowledged.reports.push(text)
    else if (result) counts.refused++
  }
}

beforeAll(async () => {
  if (!fs.existsSync('build/server/index.js')) throw new Error('No production build: run `npm run build` first')
  await prepareDatabase(file, { today: new Date() })
  port = await freePort()
  baseURL = `http://127.0.0.1:${port}`
  await startServer()
})
afterAll(async () => {
  running = false
  await kill()
  fs.rmSync(dir, { recursive: true, force: true })
})

test(`${CLIENTS} clients, the server killed ${KILLS} times: every acknowledged write survives, nothing half-written, the record verifies`, async () => {
  const officers = [
    ['ceo@hecla.example', 'user-ceo'],
    ['cfo@hecla.example', 'user-cfo'],
    ['controller@hecla.example', 'user-cao'],
  ] as const
  const recipients = [
    ['audit.chair@hecla.example', 'case-2008-q2-fx-close-control'],
    ['audit.member@hecla.example', 'case-2008-q2-fx-close-control'],
    ['disclosure@hecla.example', 'case-2012-canamex'],
    ['ceo@hecla.example', 'case-2012-canamex'],
  ] as const
  const reporters = ['internal.audit@hecla.example', 'auditor@hecla.example', 'chairman@hecla.example', 'admin@hecla.example']
  const clients: Promise<void>[] = []
  // Two clients per officer on their own duty 6 (more would mostly refuse each other
  // as stale), the rest writing case notes and reporting matters.
  for (let i = 0; i < CLIENTS; i++) {
    const [email, userId] = officers[i % 3]!
    const [member, caseId] = recipients[i % 4]!
    if (i < 6) clients.push(officer(email, userId))
    else if (i % 4 !== 0) clients.push(recipient(member, caseId))
    else clients.push(reporter(reporters[i % 4]!))
  }
  for (let k = 0; k < KILLS; k++) {
    // Up long enough for the clients to write, down at a moment nobody chose.
    await sleep(1000 + Math.random() * 3000)
    await kill()
    await startServer()
  }
  await sleep(1500)
  running = false
  await Promise.all(clients)
  await kill()

  const db = new SQLite(file, { readonly: true })
  const lost: string[] = []
  try {
    const has = (sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) !== undefined
    for (const t of acknowledged.answers)
      if (!has("SELECT 1 FROM workflow_event WHERE event_type = 'duty.answer' AND instr(event, ?) > 0", t)) lost.push(t)
    for (const t of acknowledged.notes) if (!has('SELECT 1 FROM case_message WHERE instr(body, ?) > 0', t)) lost.push(t)
    for (const t of acknowledged.reports)
      if (!has("SELECT 1 FROM workflow_instance WHERE machine_id = 'case' AND instr(input, ?) > 0", t)) lost.push(t)
    for (const [workflow, n] of acknowledged.signs) {
      const stored = (db.prepare('SELECT COUNT(*) AS n FROM sign_off WHERE workflow_instance_id = ?').get(workflow) as { n: number }).n
      if (stored < n) lost.push(`${n - stored} sign-offs of ${workflow}`)
    }
    for (const [workflow, n] of acknowledged.withdraws) {
      const stored = (
        db.prepare("SELECT COUNT(*) AS n FROM workflow_event WHERE instance_id = ? AND event_type = 'duty.reopen'").get(workflow) as {
          n: number
        }
      ).n
      if (stored < n) lost.push(`${n - stored} withdrawals of ${workflow}`)
    }
    // Nothing half-written: each sign-off has its duty.sign event, each workflow with events its cache at the last one.
    const orphanSignOffs = db
      .prepare(
        "SELECT COUNT(*) AS n FROM sign_off s LEFT JOIN workflow_event e ON e.sequence = s.workflow_sequence AND e.event_type = 'duty.sign' WHERE e.sequence IS NULL",
      )
      .get() as { n: number }
    const staleCaches = db
      .prepare(
        `SELECT COUNT(*) AS n FROM (SELECT instance_id, MAX(instance_version) AS v FROM workflow_event GROUP BY instance_id) e
         LEFT JOIN workflow_snapshot s ON s.instance_id = e.instance_id WHERE s.version IS NOT e.v`,
      )
      .get() as { n: number }
    const integrity = db.pragma('integrity_check', { simple: true })
    const writes =
      acknowledged.answers.length +
      acknowledged.notes.length +
      acknowledged.reports.length +
      [...acknowledged.signs.values(), ...acknowledged.withdraws.values()].reduce((a, b) => a + b, 0)
    console.log(
      `Crash safety: ${KILLS} kills, ${writes} acknowledged writes (${acknowledged.answers.length} answers, ${[...acknowledged.signs.values()].reduce((a, b) => a + b, 0)} sign-offs, ` +
        `${[...acknowledged.withdraws.values()].reduce((a, b) => a + b, 0)} withdrawals, ${acknowledged.notes.length} case notes, ${acknowledged.reports.length} reported matters), ` +
        `${lost.length} lost; ${counts.requests} answers, ${counts.refused} refused, ${counts.unreachable} attempts while the server was down`,
    )
    expect(lost).toEqual([])
    expect(orphanSignOffs.n).toBe(0)
    expect(staleCaches.n).toBe(0)
    expect(integrity).toBe('ok')
    expect(acknowledged.signs.size, 'sign-offs were made').toBeGreaterThan(0)
    expect(acknowledged.notes.length).toBeGreaterThan(50)
  } finally {
    db.close()
  }
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: file }
  const verified = await run(process.execPath, ['--import', 'tsx', 'db/cli/verify.ts', file], { env }).then(
    () => 0,
    (e: { code: number; stdout: string }) => (console.log(e.stdout), e.code),
  )
  expect(verified).toBe(0)
})
