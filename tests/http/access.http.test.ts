import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startServer, type TestServer } from '../browser/global-setup'
import { ACCESS_POLICY, PEOPLE, VISITORS, type Outcome, type Person, type SeedIds, type Visitor } from './access-policy'
import { builtRoutes, type BuiltRoute } from './route-manifest'
import { signInCookie } from './sessions'

// Issue 12, "Access": every route of the build (loaders and actions) × every person
// of the demo company and a visitor × own/other records, each answer checked against
// the one policy table of tests/http/access-policy.ts. A server of its own, so the
// walk's refusals (each logged) and the shared file's later states do not mix.

let server: TestServer
let routes: BuiltRoute[] = []
let ids: SeedIds
const cookies = new Map<Person, string>()

// The record and everything a person writes; the walk may add only sessions (its
// sign-ins) and security events (its refusals).
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
  'review_body_setting',
  'membership',
  'user',
]

function withDb<T>(read: (db: SQLite.Database) => T): T {
  const db = new SQLite(server.databasePath, { readonly: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}
const counts = () =>
  withDb((db) =>
    Object.fromEntries(WRITTEN_TABLES.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n])),
  )
const chainHead = () =>
  withDb((db) =>
    db
      .prepare('SELECT MAX(sequence) AS s, (SELECT hash FROM workflow_event ORDER BY sequence DESC LIMIT 1) AS h FROM workflow_event')
      .get(),
  )

function classify(response: Response): Outcome | `unexpected ${number}` {
  const { status } = response
  if (status >= 200 && status < 300) return 'page'
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location') ?? ''
    return location.startsWith('/login') ? 'sign-in' : 'elsewhere'
  }
  if (status === 403) return 'refused'
  if (status === 404 || status === 405) return 'unknown'
  if ([400, 409, 422, 429].includes(status)) return 'input-refused'
  return `unexpected ${status}`
}

async function ask(method: 'GET' | 'POST', address: string, who: Visitor) {
  const headers: Record<string, string> = who === 'visitor' ? {} : { Cookie: cookies.get(who)! }
  if (method === 'POST') headers.Origin = server.baseURL
  const response = await fetch(`${server.baseURL}${address}`, {
    method,
    redirect: 'manual',
    headers,
    body: method === 'POST' ? new URLSearchParams() : undefined,
  })
  await response.arrayBuffer()
  return classify(response)
}

// Cells checked and leaks (served where the table refuses), for the README's figures.
const tally = { cells: 0, leaks: 0, mismatches: 0 }
let caseOpeningsAllowed = 0

beforeAll(async () => {
  server = await startServer()
  routes = await builtRoutes()
  for (const [who, email] of Object.entries(PEOPLE) as [Person, string][]) cookies.set(who, await signInCookie(email, who, server.baseURL))
  ids = withDb((db) => {
    const one = (sql: string) => (db.prepare(sql).get() as { id: string }).id
    return {
      cfoSignOff: one("SELECT id FROM sign_off WHERE officer_user_id = 'user-cfo' ORDER BY id LIMIT 1"),
      ceoSignOff: one("SELECT id FROM sign_off WHERE officer_user_id = 'user-ceo' ORDER BY id LIMIT 1"),
      cfoSignature: one("SELECT id FROM signature WHERE signer_user_id = 'user-cfo' LIMIT 1"),
      auditChairSignature: one("SELECT id FROM signature WHERE signer_user_id = 'user-audit-chair' AND act = 'audit_committee_review'"),
      draft: one("SELECT id FROM report_draft WHERE report_id = 'report-2012-fy' LIMIT 1"),
    }
  })
}, 120_000)
afterAll(async () => {
  console.log(`Access walk: ${tally.cells} cells checked, ${tally.leaks} leaks, ${tally.mismatches} answers unlike the table`)
  await server?.stop()
})

test('every route of the build has a line in the policy table, and every line is a route', () => {
  const ids = routes.map((r) => r.id).sort()
  expect(Object.keys(ACCESS_POLICY).sort()).toEqual(ids)
  for (const route of routes) {
    const policy = ACCESS_POLICY[route.id]!
    expect(route.hasLoader ? typeof policy.get : 'no loader', `${route.id}: its loader`).toBe(route.hasLoader ? 'function' : 'no loader')
    // An action is walked, or the table says where it is tested instead.
    if (route.hasAction) expect(typeof policy.post === 'function' || Boolean(policy.postNotWalked), `${route.id}: its action`).toBe(true)
    else expect(policy.post, `${route.id} has no action`).toBeUndefined()
  }
})

describe('each route × each person × own and others’ records answers as the table says', () => {
  let before: ReturnType<typeof counts>
  let headBefore: unknown
  let accessLogBefore = 0
  beforeAll(() => {
    before = counts()
    accessLogBefore = withDb((db) => (db.prepare('SELECT COUNT(*) AS n FROM case_access_log').get() as { n: number }).n)
    headBefore = chainHead()
  })

  for (const [routeId, policy] of Object.entries(ACCESS_POLICY)) {
    test(routeId, async () => {
      const mismatches: string[] = []
      for (const sample of policy.samples(ids)) {
        for (const who of VISITORS) {
          for (const [method, expected] of [
            ['GET', policy.get?.(who, sample)],
            ['POST', policy.post?.(who, sample)],
          ] as const) {
            if (expected === undefined) continue
            const actual = await ask(method, sample.address, who)
            tally.cells++
            // A refused submission from a viewer re-renders the case page: an opening too.
            if (routeId === 'routes/cases.$caseId' && (expected === 'page' || expected === 'input-refused')) caseOpeningsAllowed++
            if (actual === 'page' && expected !== 'page') tally.leaks++
            if (actual !== expected) {
              tally.mismatches++
              mismatches.push(`${method} ${sample.label} as ${who}: ${actual}, the table says ${expected}`)
            }
          }
        }
      }
      expect(mismatches).toEqual([])
    })
  }

  test('the walk wrote nothing: the record and every table a person writes are as they were', () => {
    const after = counts()
    const { workflow_event: eventsAfter, workflow_instance: instancesAfter, ...rest } = after
    const { workflow_event: eventsBefore, workflow_instance: instancesBefore, ...restBefore } = before
    expect(rest).toEqual(restBefore)
    // Each opening of a case page by one who may see it is logged (issue 9) and bound to the chain (ADR 025), and
    // nothing else is: every event after the walk's start is one opening's, of the access log's own workflow.
    const opened = withDb((db) => (db.prepare('SELECT COUNT(*) AS n FROM case_access_log').get() as { n: number }).n)
    expect(opened - accessLogBefore).toBe(caseOpeningsAllowed)
    const since = withDb(
      (db) =>
        db
          .prepare(
            "SELECT count(*) AS n, count(*) FILTER (WHERE instance_id <> 'kept-rows/case_access_log' OR event_type <> 'row.kept') AS other FROM workflow_event WHERE sequence > ?",
          )
          .get((headBefore as { s: number }).s) as { n: number; other: number },
    )
    expect(since).toEqual({ n: caseOpeningsAllowed, other: 0 })
    expect(eventsAfter! - eventsBefore!).toBe(caseOpeningsAllowed)
    expect(instancesAfter! - instancesBefore!).toBeLessThanOrEqual(1)
    expect(tally.cells).toBeGreaterThan(500)
    expect(tally.leaks).toBe(0)
  })
})
