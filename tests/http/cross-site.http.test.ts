import SQLite from 'better-sqlite3'
import { beforeAll, describe, expect, inject, test } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/hecla'
import { builtRoutes, sampleAddress, type BuiltRoute } from './route-manifest'
import { signInCookie } from './sessions'

// Issue 12, "Cross-site requests": a POST to every route with a foreign Origin, or
// Sec-Fetch-Site: cross-site, or neither header, is refused and writes nothing; no
// page can be framed; every authenticated response is no-store. The routes come
// from the build's manifest (tests/http/route-manifest.ts): none can be forgotten.

const baseURL = inject('baseURL')
const databasePath = inject('databasePath')
const SAMPLES: Record<string, string> = {
  reportId: 'report-2012-fy',
  dutyNumber: '6',
  draftId: 'draft-unknown',
  caseId: 'case-unknown',
  fileId: 'file-unknown',
  signOffId: 'a'.repeat(64),
  signatureId: 'b'.repeat(64),
}
let routes: BuiltRoute[] = []
let cookie = ''

// The record and everything a person writes; a refusal may add only a security_event.
const WRITTEN_TABLES = [
  'workflow_event',
  'workflow_instance',
  'sign_off',
  'signature',
  'case_message',
  'case_attachment',
  'case_addition',
  'anonymous_receipt',
  'waiver',
  'waiver_disclosure',
  'report_draft',
  'periodic_report',
  'session',
]
function counts(): Record<string, number> {
  const db = new SQLite(databasePath, { readonly: true })
  try {
    return Object.fromEntries(WRITTEN_TABLES.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n]))
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  routes = await builtRoutes()
  cookie = await signInCookie('cfo@hecla.example')
})

test('the manifest is read: every route of the app is walked', () => {
  expect(routes.length).toBeGreaterThanOrEqual(25)
  expect(routes.map((r) => r.pattern)).toEqual(expect.arrayContaining(['/reports/:reportId/duties/:dutyNumber', '/login', '/anonymous']))
})

const VARIANTS: { what: string; headers: Record<string, string> }[] = [
  { what: 'a foreign Origin', headers: { Origin: 'https://attacker.example' } },
  { what: 'Sec-Fetch-Site: cross-site', headers: { 'Sec-Fetch-Site': 'cross-site' } },
  { what: 'neither Origin nor Sec-Fetch-Site', headers: {} },
  // A foreign Origin wins over a forged same-origin Sec-Fetch-Site.
  {
    what: 'a foreign Origin with Sec-Fetch-Site: same-origin',
    headers: { Origin: 'https://attacker.example', 'Sec-Fetch-Site': 'same-origin' },
  },
]

describe.each(VARIANTS)('a POST with $what', ({ headers }) => {
  test('is refused with 403 on every route, signed in or not, and writes nothing', async () => {
    const before = counts()
    const answers: string[] = []
    for (const route of routes) {
      const address = sampleAddress(route.pattern, SAMPLES)
      for (const withCookie of [true, false]) {
        const response = await fetch(`${baseURL}${address}`, {
          method: 'POST',
          redirect: 'manual',
          headers: { ...headers, ...(withCookie ? { Cookie: cookie } : {}), 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ intent: 'sign', password: DEMO_PASSWORD, expectedVersion: '0', email: 'cfo@hecla.example' }),
        })
        await response.arrayBuffer()
        if (response.status !== 403) answers.push(`${address} (${withCookie ? 'signed in' : 'no session'}): ${response.status}`)
      }
    }
    expect(answers).toEqual([])
    expect(counts()).toEqual(before)
  })
})

test('no page can be framed, and every signed-in answer is no-store', async () => {
  const wrong: string[] = []
  for (const route of routes.filter((r) => r.hasLoader)) {
    const address = sampleAddress(route.pattern, SAMPLES)
    const response = await fetch(`${baseURL}${address}`, { redirect: 'manual', headers: { Cookie: cookie } })
    await response.arrayBuffer()
    const csp = response.headers.get('content-security-policy') ?? ''
    if (response.headers.get('x-frame-options') !== 'DENY')
      wrong.push(`${address}: X-Frame-Options ${response.headers.get('x-frame-options')}`)
    if (!csp.includes("frame-ancestors 'none'")) wrong.push(`${address}: CSP without frame-ancestors 'none'`)
    // A route may add directives of its own (the CSV's `private, no-cache`); no-store must be among them.
    const cacheControl = (response.headers.get('cache-control') ?? '').split(',').map((d) => d.trim())
    if (!cacheControl.includes('no-store')) wrong.push(`${address}: Cache-Control ${response.headers.get('cache-control')}`)
    if (response.status >= 500) wrong.push(`${address}: ${response.status}`)
  }
  expect(wrong).toEqual([])
})
