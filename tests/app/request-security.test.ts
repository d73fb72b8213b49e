import { afterEach, beforeEach, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import { CLIENT_IP_HEADER, checkSameOrigin, clientIp, isAnonymousRoute, requireSameOrigin } from '../../app/utils/request-security.server'
import { getCurrentUser } from '../../app/utils/auth.server'
import { createTestDb } from '../utils/test-db'

let db: DB
let close: () => Promise<void>

beforeEach(async () => {
  ;({ db, close } = await createTestDb('request-security'))
})
afterEach(() => close())

const own = 'http://127.0.0.1:3000'

test('a state-changing request must come from this origin', () => {
  const check = (method: string, origin: string | null, secFetchSite: string | null = null) =>
    checkSameOrigin({ method, ownOrigin: own, origin, secFetchSite })
  expect(check('GET', 'https://evil.example')).toEqual({ allowed: true })
  expect(check('POST', own)).toEqual({ allowed: true })
  expect(check('DELETE', 'HTTP://127.0.0.1:3000')).toEqual({ allowed: true })
  expect(check('POST', 'https://evil.example')).toEqual({ allowed: false, reason: 'origin_mismatch' })
  expect(check('POST', 'http://127.0.0.1:3001')).toEqual({ allowed: false, reason: 'origin_mismatch' })
  expect(check('POST', 'https://127.0.0.1:3000')).toEqual({ allowed: false, reason: 'origin_mismatch' })
  expect(check('PUT', 'null')).toEqual({ allowed: false, reason: 'origin_mismatch' })
  // An Origin that disagrees wins over a Sec-Fetch-Site that agrees.
  expect(check('POST', 'https://evil.example', 'same-origin')).toEqual({ allowed: false, reason: 'origin_mismatch' })
  expect(check('POST', null, 'same-origin')).toEqual({ allowed: true })
  expect(check('PATCH', null, 'cross-site')).toEqual({ allowed: false, reason: 'origin_missing' })
  expect(check('POST', null, null)).toEqual({ allowed: false, reason: 'origin_missing' })
})

test('an action refuses a cross-site request with 403 and logs it', async () => {
  const request = new Request(`${own}/logout`, { method: 'POST', headers: { Origin: 'https://evil.example' } })
  const refusal = await requireSameOrigin(request, { db, now: new Date('2026-03-02T15:00:00Z') }).catch((e: unknown) => e)
  expect(refusal).toBeInstanceOf(Response)
  expect((refusal as Response).status).toBe(403)
  const rows = await db.selectFrom('security_event').selectAll().execute()
  expect(rows.map((r) => [r.kind, r.occurred_at, JSON.parse(r.detail)])).toEqual([
    [
      'cross_site_refused',
      '2026-03-02T15:00:00.000Z',
      { reason: 'origin_mismatch', method: 'POST', path: '/logout', origin: 'https://evil.example', secFetchSite: null },
    ],
  ])
  await expect(
    requireSameOrigin(new Request(`${own}/logout`, { method: 'POST', headers: { Origin: own } }), { db }),
  ).resolves.toBeUndefined()
})

test('the anonymous channel’s pages are decided in one place, and no address is read on them', () => {
  for (const p of ['/anonymous', '/anonymous/follow-up', '/anonymous.data', '/anonymous/follow-up.data'])
    expect(isAnonymousRoute(p), p).toBe(true)
  for (const p of ['/', '/anonymousness', '/cases/new', '/login', '/x/anonymous']) expect(isAnonymousRoute(p), p).toBe(false)
  const headers = { [CLIENT_IP_HEADER]: '198.51.100.7' }
  expect(clientIp(new Request(`${own}/anonymous/follow-up`, { headers }))).toBeNull()
  expect(clientIp(new Request(`${own}/cases/new`, { headers }))).toBe('198.51.100.7')
})

test('no session is read on the anonymous channel’s pages, even with a session cookie', async () => {
  // A database that would throw if touched: the check must come before any read.
  const untouchable = new Proxy(
    {},
    {
      get: () => {
        throw new Error('the session store was read')
      },
    },
  ) as unknown as DB
  const request = new Request(`${own}/anonymous`, { headers: { Cookie: 'attest_session=' + 'a'.repeat(64) } })
  expect(await getCurrentUser(request, { db: untouchable })).toBeNull()
  await expect(getCurrentUser(new Request(`${own}/cases/new`, { headers: request.headers }), { db: untouchable })).rejects.toThrow(
    'the session store was read',
  )
})
