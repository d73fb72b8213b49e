import { createHash, randomBytes } from 'node:crypto'
import { redirect } from '@remix-run/node'
import type { DB } from '../../db/client'
import { hashPassword, verifyPassword } from '../../db/password'
import {
  activeSignInLock,
  appendSecurityEvent,
  countSignInFailures,
  endSession,
  findOpenSession,
  findUserByEmail,
  findUserById,
  insertSession,
  rolesOn,
  touchSession,
} from '../../db/queries/auth'
import type { Executor } from '../../db/queries/executor'
import type { Role } from '../../db/schema'
import { immediateTransaction } from '../../db/transaction'
import { getDb } from './db.server'
import { clientIp } from './request-security.server'

// Session rules from the OWASP Session Management Cheat Sheet: an idle timeout and
// an absolute one, both enforced here on the server (a cookie's own expiry is the
// browser's to ignore); a new random id at every sign-in, so an id planted before
// sign-in is worth nothing (session fixation); only a hash of the id is stored.
export const SESSION_COOKIE = 'attest_session'
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000
// Writing last_seen_at on every request would make every page view a write.
const TOUCH_INTERVAL_MS = 60 * 1000

// OWASP Authentication Cheat Sheet, "Account lockout": lock by the e-mail typed,
// whether or not an account has it, so the lock itself reveals nothing.
export const LOCKOUT_THRESHOLD = 5
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000
export const LOCKOUT_DURATION_MS = 15 * 60 * 1000

export interface CurrentUser {
  id: string
  email: string
  fullName: string
  title: string
  roles: Role[]
}

/** Time comes from the server clock; tests pass `now` to move it. */
export interface AuthOptions {
  db?: DB
  now?: Date
}

export type SignInResult =
  | { ok: true; user: CurrentUser; setCookie: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; lockedUntil: string }

const TOKEN_PATTERN = /^[0-9a-f]{64}$/

function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

function readSessionToken(request: Request): string | null {
  const header = request.headers.get('cookie')
  if (!header) return null
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=')
    if (name === SESSION_COOKIE) {
      const value = rest.join('=')
      return TOKEN_PATTERN.test(value) ? value : null
    }
  }
  return null
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

// `Secure` everywhere but a loopback address: the demo runs on http://localhost,
// where browsers would drop a Secure cookie; anywhere else the cookie must not
// travel over plain http. HttpOnly keeps it from scripts; SameSite=Lax keeps it off
// cross-site POSTs (a second defence behind the origin check). No Max-Age: a
// browser-session cookie, as OWASP advises; the server ends the session anyway.
function cookie(request: Request, value: string, extra: string[] = []): string {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', ...extra]
  if (!LOCAL_HOSTS.has(new URL(request.url).hostname)) parts.push('Secure')
  return parts.join('; ')
}

/** A Set-Cookie value that removes the session cookie from the browser. */
export function clearSessionCookie(request: Request): string {
  return cookie(request, '', ['Max-Age=0', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT'])
}

// An unknown e-mail is checked against this hash so that it costs the same scrypt
// as a known one: the response time must not tell which e-mails have accounts.
// Made on first use with the current parameters, so it follows them if they change.
let dummyHash: Promise<string> | undefined
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(32).toString('hex'))
  return dummyHash
}

async function loadCurrentUser(
  db: Executor,
  user: { id: string; email: string; full_name: string; title: string },
  now: Date,
): Promise<CurrentUser> {
  // Memberships are calendar dates; UTC's calendar day decides which are in force.
  const roles = await rolesOn(db, user.id, now.toISOString().slice(0, 10))
  return { id: user.id, email: user.email, fullName: user.full_name, title: user.title, roles }
}

export async function signIn(
  db: DB,
  email: string,
  password: string,
  request: Request,
  options: { now?: Date } = {},
): Promise<SignInResult> {
  const now = options.now ?? new Date()
  const at = now.toISOString()
  const emailAttempted = normalizeEmail(email)
  const ip = clientIp(request)
  const user = await findUserByEmail(db, emailAttempted)

  const lock = await activeSignInLock(db, emailAttempted, at)
  if (lock) {
    // No password check while locked: a guess made now cannot succeed, whatever it is.
    await appendSecurityEvent(db, {
      occurred_at: at,
      kind: 'sign_in_failed',
      user_id: user?.id ?? null,
      email_attempted: emailAttempted,
      ip,
      detail: JSON.stringify({ reason: 'locked', lockedUntil: lock.lockedUntil }),
    })
    return { ok: false, reason: 'locked', lockedUntil: lock.lockedUntil }
  }

  // Always run scrypt, for an unknown e-mail too (see dummyPasswordHash).
  const passwordMatches = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()))
  const failure = !user
    ? 'unknown_email'
    : !user.password_hash
      ? 'no_password'
      : !passwordMatches
        ? 'wrong_password'
        : user.deactivated_at
          ? 'deactivated'
          : null

  // The lock is checked again inside the write lock: a parallel attempt may have
  // locked this e-mail while this one was hashing.
  return immediateTransaction(db, async (trx): Promise<SignInResult> => {
    const lockNow = await activeSignInLock(trx, emailAttempted, at)
    if (failure || lockNow || !user) {
      await appendSecurityEvent(trx, {
        occurred_at: at,
        kind: 'sign_in_failed',
        user_id: user?.id ?? null,
        email_attempted: emailAttempted,
        ip,
        detail: JSON.stringify(lockNow ? { reason: 'locked', lockedUntil: lockNow.lockedUntil } : { reason: failure ?? 'unknown_email' }),
      })
      if (lockNow) return { ok: false, reason: 'locked', lockedUntil: lockNow.lockedUntil }
      const failures = await countSignInFailures(trx, emailAttempted, new Date(now.getTime() - LOCKOUT_WINDOW_MS).toISOString())
      if (failures < LOCKOUT_THRESHOLD) return { ok: false, reason: 'invalid' }
      const lockedUntil = new Date(now.getTime() + LOCKOUT_DURATION_MS).toISOString()
      await appendSecurityEvent(trx, {
        occurred_at: at,
        kind: 'sign_in_locked',
        user_id: user?.id ?? null,
        email_attempted: emailAttempted,
        ip,
        detail: JSON.stringify({ failures, lockedUntil }),
      })
      return { ok: false, reason: 'locked', lockedUntil }
    }
    // A session this browser already had ends here: one browser, one session.
    const previous = readSessionToken(request)
    if (previous) await endSession(trx, sessionIdOf(previous), at, 'signed_out')
    const token = randomBytes(32).toString('hex')
    await insertSession(trx, {
      id: sessionIdOf(token),
      user_id: user.id,
      created_at: at,
      last_seen_at: at,
      expires_at: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString(),
      ended_at: null,
      ended_reason: null,
      ip,
      user_agent: request.headers.get('user-agent'),
    })
    await appendSecurityEvent(trx, {
      occurred_at: at,
      kind: 'sign_in_succeeded',
      user_id: user.id,
      email_attempted: emailAttempted,
      ip,
      detail: '{}',
    })
    return { ok: true, user: await loadCurrentUser(trx, user, now), setCookie: cookie(request, token) }
  })
}

/** Ends the request's session on the server; returns the Set-Cookie value that clears the browser's copy. */
export async function signOut(db: DB, request: Request, options: { now?: Date } = {}): Promise<string> {
  const token = readSessionToken(request)
  if (token) {
    const at = (options.now ?? new Date()).toISOString()
    const id = sessionIdOf(token)
    const session = await findOpenSession(db, id)
    if (session && (await endSession(db, id, at, 'signed_out'))) {
      await appendSecurityEvent(db, {
        occurred_at: at,
        kind: 'signed_out',
        user_id: session.user_id,
        email_attempted: null,
        ip: clientIp(request),
        detail: '{}',
      })
    }
  }
  return clearSessionCookie(request)
}

/** The signed-in user, or null. Ends a session found idle or past its absolute limit. */
export async function getCurrentUser(request: Request, options: AuthOptions = {}): Promise<CurrentUser | null> {
  const token = readSessionToken(request)
  if (!token) return null
  const db = options.db ?? (await getDb())
  const now = options.now ?? new Date()
  const id = sessionIdOf(token)
  const session = await findOpenSession(db, id)
  if (!session) return null

  const idleEnd = new Date(session.last_seen_at).getTime() + IDLE_TIMEOUT_MS
  const absoluteEnd = new Date(session.expires_at).getTime()
  const lapse = Math.min(idleEnd, absoluteEnd)
  if (now.getTime() >= lapse) {
    // ended_at records when the session stopped being usable, not when it was noticed.
    await endSession(db, id, new Date(lapse).toISOString(), idleEnd < absoluteEnd ? 'idle' : 'expired')
    return null
  }
  if (session.deactivated_at) return null
  if (now.getTime() - new Date(session.last_seen_at).getTime() >= TOUCH_INTERVAL_MS) {
    await touchSession(db, id, now.toISOString())
  }
  return loadCurrentUser(db, { id: session.user_id, email: session.email, full_name: session.full_name, title: session.title }, now)
}

/** The signed-in user; otherwise redirects to the sign-in page, which brings them back here. */
export async function requireUser(request: Request, options: AuthOptions = {}): Promise<CurrentUser> {
  const user = await getCurrentUser(request, options)
  if (user) return user
  const url = new URL(request.url)
  const loginUrl = `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`
  const headers = readSessionToken(request) ? { 'Set-Cookie': clearSessionCookie(request) } : undefined
  throw redirect(loginUrl, { headers })
}

/**
 * The signed-in user if they hold one of `roles`; otherwise a 403 Response, and
 * the refusal goes in the security log (someone reaching for a duty that is not
 * theirs is something the Audit Committee may need to see).
 */
export async function requireRole(request: Request, roles: readonly Role[], options: AuthOptions = {}): Promise<CurrentUser> {
  const user = await requireUser(request, options)
  if (user.roles.some((role) => roles.includes(role))) return user
  const url = new URL(request.url)
  await appendSecurityEvent(options.db ?? (await getDb()), {
    occurred_at: (options.now ?? new Date()).toISOString(),
    kind: 'forbidden',
    user_id: user.id,
    email_attempted: null,
    ip: clientIp(request),
    detail: JSON.stringify({ method: request.method, path: url.pathname, required: roles, held: user.roles }),
  })
  throw new Response('Your role does not allow this.', { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

/**
 * Asks for the password again before a signature: the signature must be the
 * officer's own act, not that of whoever found the browser open. A wrong
 * password is logged and returns false.
 */
export async function reauthenticate(
  db: DB,
  user: Pick<CurrentUser, 'id'>,
  password: string,
  request: Request,
  options: { now?: Date } = {},
): Promise<boolean> {
  const row = await findUserById(db, user.id)
  const matches = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash()))
  if (row && row.password_hash && matches && !row.deactivated_at) return true
  await appendSecurityEvent(db, {
    occurred_at: (options.now ?? new Date()).toISOString(),
    kind: 'reauth_failed',
    user_id: row?.id ?? null,
    email_attempted: row?.email ?? null,
    ip: clientIp(request),
    detail: JSON.stringify({ reason: !row ? 'unknown_user' : row.deactivated_at ? 'deactivated' : 'wrong_password' }),
  })
  return false
}

/**
 * Where to go after signing in: only a path on this site. Anything else (an
 * absolute URL, `//host`, a backslash that some browsers read as a slash) would
 * make the sign-in page an open redirect for phishing.
 */
export function safeRedirectTo(to: unknown, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || /[\\\s]/.test(to)) return fallback
  const base = 'http://attest.invalid'
  try {
    const url = new URL(to, base)
    if (url.origin !== base) return fallback
    // Coming back to the sign-in or sign-out page would be a loop or a surprise.
    if (url.pathname === '/login' || url.pathname === '/logout') return fallback
    return url.pathname + url.search + url.hash
  } catch {
    return fallback
  }
}
