import { createHash } from 'node:crypto'
import { afterEach, beforeEach, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import {
  ABSOLUTE_TIMEOUT_MS,
  IDLE_TIMEOUT_MS,
  LOCKOUT_DURATION_MS,
  getCurrentUser,
  reauthenticate,
  requireRole,
  requireUser,
  safeRedirectTo,
  signIn,
  signOut,
} from '../../app/utils/auth.server'
import { CLIENT_IP_HEADER } from '../../app/utils/request-security.server'
import { seedDemoCompany } from '../../seeds/load'
import { DEMO_PASSWORD } from '../../seeds/hecla'
import { createTestDb, demoPasswordHash } from '../utils/test-db'

let db: DB
let close: () => Promise<void>

beforeEach(async () => {
  ;({ db, close } = await createTestDb('auth'))
  await seedDemoCompany(db, { passwordHash: await demoPasswordHash() })
})
afterEach(() => close())

const T0 = new Date('2026-03-02T15:00:00.000Z')
const at = (ms: number) => new Date(T0.getTime() + ms)
const MINUTE = 60_000

function request(options: { url?: string; cookie?: string; method?: string } = {}) {
  const headers = new Headers({ 'user-agent': 'vitest', [CLIENT_IP_HEADER]: '203.0.113.7' })
  if (options.cookie) headers.set('cookie', options.cookie)
  return new Request(options.url ?? 'http://localhost:3000/', { method: options.method ?? 'GET', headers })
}

/** The `name=value` part of a Set-Cookie, as the browser would send it back. */
function cookieOf(setCookie: string) {
  return setCookie.split(';')[0]!
}

async function signedIn(email = 'ceo@hecla.example', now = T0) {
  const result = await signIn(db, email, DEMO_PASSWORD, request(), { now })
  if (!result.ok) throw new Error(`sign-in refused: ${result.reason}`)
  return { ...result, cookie: cookieOf(result.setCookie) }
}

function events(kind?: string) {
  let query = db.selectFrom('security_event').selectAll().orderBy('id')
  if (kind) query = query.where('kind', '=', kind as never)
  return query.execute()
}

function sessions() {
  return db.selectFrom('session').selectAll().orderBy('created_at').execute()
}

test('signing in creates a session with a new id each time and stores only the hash of its token', async () => {
  const first = await signedIn()
  const second = await signedIn('CEO@Hecla.example', at(MINUTE))
  expect(first.user).toEqual({
    id: 'user-ceo',
    email: 'ceo@hecla.example',
    fullName: 'Phillips S. Baker, Jr.',
    title: 'President and Chief Executive Officer',
    roles: ['ceo', 'disclosure_committee'],
  })
  const rows = await sessions()
  expect(rows).toHaveLength(2)
  const tokens = [first.cookie, second.cookie].map((c) => c.split('=')[1]!)
  expect(tokens[0]).not.toBe(tokens[1])
  expect(tokens[0]).toMatch(/^[0-9a-f]{64}$/)
  expect(rows.map((r) => r.id)).toEqual(tokens.map((t) => createHash('sha256').update(t).digest('hex')))
  expect(JSON.stringify(rows)).not.toContain(tokens[0])
  expect(rows[0]).toMatchObject({
    user_id: 'user-ceo',
    created_at: T0.toISOString(),
    last_seen_at: T0.toISOString(),
    expires_at: at(ABSOLUTE_TIMEOUT_MS).toISOString(),
    ended_at: null,
    ip: '203.0.113.7',
    user_agent: 'vitest',
  })
  expect(await events('sign_in_succeeded')).toHaveLength(2)
  expect(first.setCookie).toBe(`attest_session=${tokens[0]}; Path=/; HttpOnly; SameSite=Lax`)
})

test('the cookie is Secure everywhere but on a loopback address', async () => {
  const remote = await signIn(db, 'cfo@hecla.example', DEMO_PASSWORD, request({ url: 'https://attest.example/login' }), { now: T0 })
  expect(remote.ok && remote.setCookie).toMatch(/; Secure$/)
  const local = await signIn(db, 'cfo@hecla.example', DEMO_PASSWORD, request({ url: 'http://127.0.0.1:3000/login' }), { now: T0 })
  expect(local.ok && local.setCookie).not.toMatch(/Secure/)
})

test('signing in again from the same browser ends the session it had', async () => {
  const first = await signedIn()
  const again = await signIn(db, 'cfo@hecla.example', DEMO_PASSWORD, request({ cookie: first.cookie }), { now: at(MINUTE) })
  expect(again.ok).toBe(true)
  expect((await sessions()).map((s) => s.ended_reason)).toEqual(['signed_out', null])
  expect(await getCurrentUser(request({ cookie: first.cookie }), { db, now: at(MINUTE) })).toBeNull()
})

test('the session cookie brings back the user and their roles', async () => {
  const { cookie } = await signedIn('audit.chair@hecla.example')
  const user = await getCurrentUser(request({ cookie }), { db, now: at(MINUTE) })
  expect(user).toMatchObject({ id: 'user-audit-chair', roles: ['audit_committee_chair', 'audit_committee_member', 'director'] })
  expect(await getCurrentUser(request(), { db, now: T0 })).toBeNull()
  expect(await getCurrentUser(request({ cookie: `attest_session=${'0'.repeat(64)}` }), { db, now: T0 })).toBeNull()
})

test('a wrong password is refused and logged, and so is an unknown e-mail, with the same answer', async () => {
  const wrong = await signIn(db, 'ceo@hecla.example', 'not-the-password', request(), { now: T0 })
  const unknown = await signIn(db, 'nobody@hecla.example', DEMO_PASSWORD, request(), { now: T0 })
  expect(wrong).toEqual({ ok: false, reason: 'invalid' })
  expect(unknown).toEqual(wrong)
  expect(await sessions()).toEqual([])
  const failed = await events('sign_in_failed')
  expect(failed.map((e) => [e.user_id, e.email_attempted, e.ip, JSON.parse(e.detail).reason])).toEqual([
    ['user-ceo', 'ceo@hecla.example', '203.0.113.7', 'wrong_password'],
    [null, 'nobody@hecla.example', '203.0.113.7', 'unknown_email'],
  ])
  expect(JSON.stringify(failed)).not.toContain('not-the-password')
})

test('five failures in 15 minutes lock the e-mail for 15 minutes, even against the right password', async () => {
  for (let i = 0; i < 4; i++) {
    expect(await signIn(db, 'cfo@hecla.example', `guess-${i}`, request(), { now: at(i * MINUTE) })).toEqual({
      ok: false,
      reason: 'invalid',
    })
  }
  const fifth = await signIn(db, 'CFO@hecla.example', 'guess-4', request(), { now: at(4 * MINUTE) })
  const lockedUntil = at(4 * MINUTE + LOCKOUT_DURATION_MS).toISOString()
  expect(fifth).toEqual({ ok: false, reason: 'locked', lockedUntil })
  const locks = await events('sign_in_locked')
  expect(locks).toHaveLength(1)
  expect(JSON.parse(locks[0]!.detail)).toEqual({ failures: 5, lockedUntil })

  // The sixth attempt has the right password and is still refused, up to the last second.
  expect(await signIn(db, 'cfo@hecla.example', DEMO_PASSWORD, request(), { now: at(5 * MINUTE) })).toEqual(fifth)
  expect(await signIn(db, 'cfo@hecla.example', DEMO_PASSWORD, request(), { now: new Date(Date.parse(lockedUntil) - 1000) })).toEqual(fifth)
  expect(await sessions()).toEqual([])
  expect((await events('sign_in_failed')).map((e) => JSON.parse(e.detail).reason).slice(-2)).toEqual(['locked', 'locked'])

  const after = await signIn(db, 'cfo@hecla.example', DEMO_PASSWORD, request(), { now: new Date(lockedUntil) })
  expect(after.ok).toBe(true)
  // Another account is never affected by this one's lock.
  expect((await signIn(db, 'ceo@hecla.example', DEMO_PASSWORD, request(), { now: at(5 * MINUTE) })).ok).toBe(true)
})

test('an e-mail no account has is locked the same way, so the lock reveals nothing', async () => {
  let last
  for (let i = 0; i < 5; i++) last = await signIn(db, 'ghost@hecla.example', `guess-${i}`, request(), { now: at(i * MINUTE) })
  expect(last).toMatchObject({ ok: false, reason: 'locked' })
})

test('failures spread over more than 15 minutes, or broken by a success, do not lock', async () => {
  for (let i = 0; i < 4; i++) await signIn(db, 'controller@hecla.example', 'wrong', request(), { now: at(i * MINUTE) })
  // The first failure has left the window 15 minutes on.
  expect(await signIn(db, 'controller@hecla.example', 'wrong', request(), { now: at(16 * MINUTE) })).toEqual({
    ok: false,
    reason: 'invalid',
  })
  expect((await signIn(db, 'controller@hecla.example', DEMO_PASSWORD, request(), { now: at(17 * MINUTE) })).ok).toBe(true)
  expect(await signIn(db, 'controller@hecla.example', 'wrong', request(), { now: at(18 * MINUTE) })).toEqual({
    ok: false,
    reason: 'invalid',
  })
  expect(await events('sign_in_locked')).toEqual([])
})

test('a session idle for 30 minutes ends; activity keeps it alive, written at most once a minute', async () => {
  const { cookie } = await signedIn()
  const seen = async () => (await sessions())[0]!.last_seen_at

  expect(await getCurrentUser(request({ cookie }), { db, now: at(30_000) })).not.toBeNull()
  expect(await seen()).toBe(T0.toISOString())
  expect(await getCurrentUser(request({ cookie }), { db, now: at(29 * MINUTE) })).not.toBeNull()
  expect(await seen()).toBe(at(29 * MINUTE).toISOString())
  expect(await getCurrentUser(request({ cookie }), { db, now: at(58 * MINUTE) })).not.toBeNull()

  expect(await getCurrentUser(request({ cookie }), { db, now: at(88 * MINUTE) })).toBeNull()
  expect((await sessions())[0]).toMatchObject({ ended_reason: 'idle', ended_at: at(58 * MINUTE + IDLE_TIMEOUT_MS).toISOString() })
  // Ended is ended: the same cookie is refused even at a time it would have been fresh.
  expect(await getCurrentUser(request({ cookie }), { db, now: at(59 * MINUTE) })).toBeNull()
})

test('a session ends 12 hours after sign-in however active it is', async () => {
  const { cookie } = await signedIn()
  for (let t = 20 * MINUTE; t < ABSOLUTE_TIMEOUT_MS; t += 20 * MINUTE) {
    expect(await getCurrentUser(request({ cookie }), { db, now: at(t) })).not.toBeNull()
  }
  expect(await getCurrentUser(request({ cookie }), { db, now: at(ABSOLUTE_TIMEOUT_MS) })).toBeNull()
  expect((await sessions())[0]).toMatchObject({ ended_reason: 'expired', ended_at: at(ABSOLUTE_TIMEOUT_MS).toISOString() })
})

test('signing out ends the session on the server, not only in the browser', async () => {
  const { cookie } = await signedIn()
  const cleared = await signOut(db, request({ cookie, method: 'POST' }), { now: at(MINUTE) })
  expect(cleared).toContain('attest_session=;')
  expect(cleared).toContain('Max-Age=0')
  // A copy of the cookie kept by anyone no longer works.
  expect(await getCurrentUser(request({ cookie }), { db, now: at(2 * MINUTE) })).toBeNull()
  expect((await sessions())[0]).toMatchObject({ ended_reason: 'signed_out', ended_at: at(MINUTE).toISOString() })
  expect((await events('signed_out')).map((e) => e.user_id)).toEqual(['user-ceo'])
})

test('a deactivated user cannot sign in, and their open session stops working', async () => {
  const { cookie } = await signedIn('auditor@hecla.example')
  await db.updateTable('user').set({ deactivated_at: T0.toISOString() }).where('id', '=', 'user-independent-auditor').execute()
  expect(await signIn(db, 'auditor@hecla.example', DEMO_PASSWORD, request(), { now: at(MINUTE) })).toEqual({ ok: false, reason: 'invalid' })
  expect(JSON.parse((await events('sign_in_failed'))[0]!.detail)).toEqual({ reason: 'deactivated' })
  expect(await getCurrentUser(request({ cookie }), { db, now: at(MINUTE) })).toBeNull()
})

test('re-authentication for a signature: a wrong password is logged and refused', async () => {
  const { user } = await signedIn('cfo@hecla.example')
  expect(await reauthenticate(db, user, DEMO_PASSWORD, request(), { now: at(MINUTE) })).toEqual({ ok: true })
  expect(await reauthenticate(db, user, 'hecla-demo-2025', request(), { now: at(2 * MINUTE) })).toEqual({
    ok: false,
    reason: 'wrong',
    attemptsLeft: 4,
  })
  const failed = await events('reauth_failed')
  expect(failed.map((e) => [e.user_id, e.email_attempted, e.occurred_at, e.ip])).toEqual([
    ['user-cfo', 'cfo@hecla.example', at(2 * MINUTE).toISOString(), '203.0.113.7'],
  ])
  expect(JSON.stringify(failed)).not.toContain('hecla-demo-2025')
})

test('five wrong passwords at signing lock the account: signing and sign-in are both refused for 15 minutes', async () => {
  const { user, cookie } = await signedIn('cfo@hecla.example')
  for (let i = 0; i < 4; i++) {
    expect(await reauthenticate(db, user, `guess-${i}`, request(), { now: at((i + 1) * MINUTE) })).toEqual({
      ok: false,
      reason: 'wrong',
      attemptsLeft: 4 - i,
    })
  }
  const lockedUntil = at(5 * MINUTE + LOCKOUT_DURATION_MS).toISOString()
  const locked = { ok: false, reason: 'locked', lockedUntil }
  expect(await reauthenticate(db, user, 'guess-4', request(), { now: at(5 * MINUTE) })).toEqual(locked)
  const locks = await events('sign_in_locked')
  expect(locks.map((e) => [e.user_id, e.email_attempted, JSON.parse(e.detail)])).toEqual([
    ['user-cfo', 'cfo@hecla.example', { failures: 5, lockedUntil }],
  ])

  // The right password no longer signs, nor signs in, up to the last second of the lock.
  expect(await reauthenticate(db, user, DEMO_PASSWORD, request(), { now: at(6 * MINUTE) })).toEqual(locked)
  expect(await signIn(db, 'cfo@hecla.example', DEMO_PASSWORD, request(), { now: at(7 * MINUTE) })).toEqual(locked)
  const lastSecond = new Date(Date.parse(lockedUntil) - 1000)
  expect(await reauthenticate(db, user, DEMO_PASSWORD, request(), { now: lastSecond })).toEqual(locked)
  expect(JSON.parse((await events('reauth_failed')).at(-1)!.detail)).toEqual({ reason: 'locked', lockedUntil })
  // The session itself goes on: the officer can still read, and sign once the lock is over.
  expect(await getCurrentUser(request({ cookie }), { db, now: at(8 * MINUTE) })).toMatchObject({ id: 'user-cfo' })

  expect(await reauthenticate(db, user, DEMO_PASSWORD, request(), { now: new Date(lockedUntil) })).toEqual({ ok: true })
  expect((await signIn(db, 'cfo@hecla.example', DEMO_PASSWORD, request(), { now: new Date(lockedUntil) })).ok).toBe(true)
  // Another officer is never affected.
  const ceo = await signedIn('ceo@hecla.example', at(5 * MINUTE))
  expect(await reauthenticate(db, ceo.user, DEMO_PASSWORD, request(), { now: at(5 * MINUTE) })).toEqual({ ok: true })
})

test('a right password at signing ends the run of wrong ones, as a sign-in does', async () => {
  const { user } = await signedIn('cfo@hecla.example')
  // Two slips before each of three signatures within the window: six wrong passwords, none a guess.
  for (let signature = 0; signature < 3; signature++) {
    const t = (n: number) => at((signature * 3 + n + 1) * MINUTE)
    expect(await reauthenticate(db, user, 'slip-a', request(), { now: t(0) })).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 4 })
    expect(await reauthenticate(db, user, 'slip-b', request(), { now: t(1) })).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 3 })
    expect(await reauthenticate(db, user, DEMO_PASSWORD, request(), { now: t(2) })).toEqual({ ok: true })
  }
  expect(await events('sign_in_locked')).toEqual([])
  const succeeded = await events('reauth_succeeded')
  expect(succeeded.map((e) => [e.user_id, e.email_attempted])).toEqual(Array(3).fill(['user-cfo', 'cfo@hecla.example']))
})

test('wrong passwords at sign-in and at signing add up to one count', async () => {
  for (let i = 0; i < 3; i++) await signIn(db, 'controller@hecla.example', `guess-${i}`, request(), { now: at(i * MINUTE) })
  // (The sign-in that follows succeeds and starts the count again: these two are after it.)
  const { user } = await signedIn('controller@hecla.example', at(3 * MINUTE))
  for (let i = 0; i < 3; i++) await signIn(db, 'Controller@hecla.example', `guess-${i}`, request(), { now: at((4 + i) * MINUTE) })
  expect(await reauthenticate(db, user, 'guess-7', request(), { now: at(7 * MINUTE) })).toMatchObject({ reason: 'wrong', attemptsLeft: 1 })
  const lockedUntil = at(8 * MINUTE + LOCKOUT_DURATION_MS).toISOString()
  expect(await reauthenticate(db, user, 'guess-8', request(), { now: at(8 * MINUTE) })).toEqual({
    ok: false,
    reason: 'locked',
    lockedUntil,
  })
  expect(await signIn(db, 'controller@hecla.example', DEMO_PASSWORD, request(), { now: at(9 * MINUTE) })).toEqual({
    ok: false,
    reason: 'locked',
    lockedUntil,
  })
})

test('a lock from failed sign-ins also refuses a signature, without checking the password', async () => {
  const { user } = await signedIn('ceo@hecla.example')
  let lock
  for (let i = 0; i < 5; i++) lock = await signIn(db, 'ceo@hecla.example', `guess-${i}`, request(), { now: at((i + 1) * MINUTE) })
  expect(lock).toMatchObject({ ok: false, reason: 'locked' })
  expect(await reauthenticate(db, user, DEMO_PASSWORD, request(), { now: at(7 * MINUTE) })).toEqual(lock)
})

test('roles come from the memberships in force today', async () => {
  const { cookie } = await signedIn()
  const roles = async () => (await getCurrentUser(request({ cookie }), { db, now: at(MINUTE) }))?.roles
  expect(await roles()).toEqual(['ceo', 'disclosure_committee'])

  // A period's end is the first day without the role, and it is set once (migration 016): ending tomorrow keeps it today,
  // ending today takes it away.
  await db.updateTable('membership').set({ effective_to: '2026-03-03' }).where('id', '=', 'membership-ceo-disclosure_committee').execute()
  expect(await roles()).toEqual(['ceo', 'disclosure_committee'])
  await db.updateTable('membership').set({ effective_to: '2026-03-02' }).where('id', '=', 'membership-ceo-ceo').execute()
  expect(await roles()).toEqual(['disclosure_committee'])
  await expect(
    db.updateTable('membership').set({ effective_to: '2026-03-04' }).where('id', '=', 'membership-ceo-ceo').execute(),
  ).rejects.toThrow(/keeps its history/)

  await db
    .insertInto('membership')
    .values({
      id: 'membership-ceo-director',
      user_id: 'user-ceo',
      company_id: 'company-hecla',
      role: 'director',
      effective_from: '2026-04-01',
    })
    .execute()
  expect(await roles()).toEqual(['disclosure_committee'])
})

test('requireRole lets a holder of the role through and refuses, and logs, anyone else', async () => {
  const { cookie } = await signedIn('cfo@hecla.example')
  const req = request({ cookie, url: 'http://localhost:3000/reports/report-2012-fy/duties/5' })
  await expect(requireRole(req, ['cfo', 'ceo'], { db, now: at(MINUTE) })).resolves.toMatchObject({ id: 'user-cfo' })

  const refusal = await requireRole(req, ['director'], { db, now: at(MINUTE) }).catch((e: unknown) => e)
  expect(refusal).toBeInstanceOf(Response)
  expect((refusal as Response).status).toBe(403)
  const [forbidden] = await events('forbidden')
  expect(forbidden?.user_id).toBe('user-cfo')
  expect(JSON.parse(forbidden!.detail)).toEqual({
    method: 'GET',
    path: '/reports/report-2012-fy/duties/5',
    required: ['director'],
    held: ['cfo', 'disclosure_committee'],
  })
})

test('requireUser sends a visitor without a session to the sign-in page, and back afterwards', async () => {
  const refusal = await requireUser(request({ url: 'http://localhost:3000/reports?form=10-K' }), { db, now: T0 }).catch((e: unknown) => e)
  expect(refusal).toBeInstanceOf(Response)
  expect((refusal as Response).status).toBe(302)
  expect((refusal as Response).headers.get('location')).toBe('/login?redirectTo=%2Freports%3Fform%3D10-K')
})

test('after sign-in only a path on this site is a place to go', () => {
  expect(safeRedirectTo('/reports?form=10-K#top')).toBe('/reports?form=10-K#top')
  for (const unsafe of ['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '', null, '/login', ' /x']) {
    expect(safeRedirectTo(unsafe)).toBe('/')
  }
})

test('the security log and ended sessions cannot be rewritten', async () => {
  await signIn(db, 'ceo@hecla.example', 'wrong', request(), { now: T0 })
  await expect(db.deleteFrom('security_event').execute()).rejects.toThrow(/append-only/)
  await expect(
    db
      .updateTable('security_event')
      .set({ ip: null } as never)
      .execute(),
  ).rejects.toThrow(/append-only/)
  const { cookie } = await signedIn()
  await signOut(db, request({ cookie }), { now: at(MINUTE) })
  await expect(db.updateTable('session').set({ ended_at: null, ended_reason: null }).execute()).rejects.toThrow(/cannot change/)
  await expect(db.deleteFrom('session').execute()).rejects.toThrow(/never deleted/)
})
