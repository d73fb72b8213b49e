import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { DEMO_PASSWORD } from '../../seeds/hecla'
import { freePort } from '../browser/global-setup'
import { serverNodeArgs } from '../../scripts/server-command'

// The soak tests' clients (issue 12): the built server started as `npm start` runs
// it (and killed with SIGKILL for the crash test), and people driving it over HTTP
// as a browser would, each form filled from the page it is on. One run per process
// (vitest runs each soak file in a fork of its own), so the state is the module's.

export const state = {
  file: '',
  /** The loopback SMTP server the server's outbox sends through, when set. */
  smtpUrl: '',
  port: 0,
  baseURL: '',
  running: true,
  acknowledged: {
    answers: [] as string[],
    notes: [] as string[],
    reports: [] as string[],
    signs: new Map<string, number>(),
    withdraws: new Map<string, number>(),
    /** Committee steps and approvals for filing the server acknowledged: report id → how many. */
    steps: new Map<string, number>(),
  },
  counts: { requests: 0, refused: 0, unreachable: 0, serverErrors: 0 },
  /** Milliseconds of each answered request, for p50 and p99. */
  latencies: [] as number[],
}
let child: ChildProcess | null = null

export async function useFile(file: string) {
  state.file = file
  state.port = await freePort()
  state.baseURL = `http://127.0.0.1:${state.port}`
}

export async function startServer() {
  // node itself on the compiled server (as `npm start`), not a CLI that forks a child a SIGKILL would miss.
  child = spawn(process.execPath, serverNodeArgs(), {
    env: {
      ...process.env,
      DATABASE_PATH: state.file,
      PORT: String(state.port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      // The outbox sends often, and a claim left by a killed server lapses in seconds, not minutes.
      ...(state.smtpUrl ? { SMTP_URL: state.smtpUrl, OUTBOX_INTERVAL_MS: '300', OUTBOX_LEASE_MS: '3000' } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${state.baseURL}/healthz`)).ok) return
    } catch {
      // not yet listening
    }
    await sleep(100)
  }
  throw new Error('the server did not come back within 60 s')
}

export function kill(): Promise<void> {
  const c = child
  if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    c.once('exit', () => resolve())
    c.kill('SIGKILL')
  })
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const token = (kind: string) => `${kind}-${randomBytes(6).toString('hex')}`

// One session per person, shared by their clients, as one person's browser tabs
// share one: 50 sign-ins at once would only measure the slow password hash (and
// trip the sign-in rate limit). Sessions live in the file, so they outlive a kill.
const sessions = new Map<string, Promise<string>>()
function signIn(email: string): Promise<string> {
  let session = sessions.get(email)
  if (!session) {
    session = signInOnce(email)
    sessions.set(email, session)
  }
  return session
}

async function signInOnce(email: string): Promise<string> {
  for (;;) {
    try {
      const response = await fetch(`${state.baseURL}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: state.baseURL },
        body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: '/' }),
      })
      await response.arrayBuffer()
      if (response.status === 302) return response.headers.get('set-cookie')!.split(';')[0]!
      throw new Error(`sign-in of ${email} answered ${response.status}`)
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('sign-in of')) throw error
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
  const started = performance.now()
  try {
    const response = await fetch(`${state.baseURL}${address}`, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: body ? { Origin: state.baseURL, Cookie: cookie } : { Cookie: cookie },
      body,
      signal: AbortSignal.timeout(20_000),
    })
    const html = await response.text()
    state.counts.requests++
    state.latencies.push(performance.now() - started)
    if (response.status >= 500) state.counts.serverErrors++
    return { status: response.status, html, location: response.headers.get('location') ?? '' }
  } catch {
    state.counts.unreachable++
    await sleep(150)
    return null
  }
}
const isAcknowledged = (r: { status: number; location: string }) => r.status < 400 && !r.location.startsWith('/login')

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1)

/** An officer walking their own duty 6: answer, sign with the password, withdraw, answer again. */
export async function officer(email: string, userId: string) {
  const cookie = await signIn(email)
  const address = '/reports/report-2012-fy/duties/6'
  const workflow = `duty/report-2012-fy/${userId}/6`
  while (state.running) {
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
      state.counts.refused++
      continue
    }
    if (intent === 'answer') state.acknowledged.answers.push(text)
    if (intent === 'sign') bump(state.acknowledged.signs, workflow)
    if (intent === 'withdraw') bump(state.acknowledged.withdraws, workflow)
  }
}

/** A recipient writing notes on a case they receive. */
export async function recipient(email: string, caseId: string) {
  const cookie = await signIn(email)
  const address = `/cases/${caseId}`
  while (state.running) {
    const page = await send(address, cookie)
    if (!page || page.status !== 200) continue
    const text = token('note')
    const data = formsOn(page.html, text).get('note')
    if (!data) throw new Error(`no note form on ${address} for ${email}`)
    data.delete('file')
    const result = await send(address, cookie, data)
    if (result && isAcknowledged(result)) state.acknowledged.notes.push(text)
    else if (result) state.counts.refused++
  }
}

/** Anyone reporting a matter. */
export async function reporter(email: string) {
  const cookie = await signIn(email)
  while (state.running) {
    const page = await send('/cases/new', cookie)
    if (!page || page.status !== 200) continue
    const text = token('report')
    const data = [...formsOn(page.html, `${text} — a matter reported during the crash test, with enough words to read as one.`).values()][0]
    if (!data) throw new Error('no form on /cases/new')
    data.delete('file')
    const result = await send('/cases/new', cookie, data)
    if (result && isAcknowledged(result)) state.acknowledged.reports.push(text)
    else if (result) state.counts.refused++
  }
}

/**
 * A committee member or an approving officer on reports at committee review: on each
 * report's filing page, the step it waits for from them (the committee's signed step,
 * or the approval for filing), signed with the password; nothing when none is theirs.
 */
export async function committee(email: string, reportIds: readonly string[]) {
  const cookie = await signIn(email)
  while (state.running) {
    let acted = false
    for (const reportId of reportIds) {
      const address = `/reports/${reportId}/filing`
      const page = await send(address, cookie)
      if (!page || page.status !== 200) continue
      const forms = formsOn(page.html, token('step'))
      const data = forms.get('committeeStep') ?? forms.get('approveForFiling')
      if (!data) continue
      const result = await send(address, cookie, data)
      if (!result) continue
      if (!isAcknowledged(result)) {
        state.counts.refused++
        continue
      }
      bump(state.acknowledged.steps, reportId)
      acted = true
    }
    if (!acted) await sleep(300)
  }
}

/** Someone reading: each address in turn, over and over. */
export async function reader(email: string, addresses: readonly string[]) {
  const cookie = await signIn(email)
  for (let i = 0; state.running; i++) await send(addresses[i % addresses.length]!, cookie)
}

/** The p-th percentile (0–100) of the answered requests' times, in ms. */
export function percentile(p: number): number {
  const sorted = [...state.latencies].sort((a, b) => a - b)
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
