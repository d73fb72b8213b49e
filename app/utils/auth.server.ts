import { createHash, randomBytes } from 'node:crypto'
import { redirect } from '@remix-run/node'
import type { DB } from '../../db/client'
import { hashPassword, verifyPassword } from '../../db/password'
import {
  activeSignInLock,
  appendSecurityEvent,
  countPasswordFailures,
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
import { formatInstantUtc } from './format'
import { clientIp, isAnonymousRoute } from './request-security.server'

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
// whether or not an account has it, so the lock itself reveals nothing. Wrong
// passwords at signing count too: whoever finds a browser signed in could
// otherwise guess the password there without limit (and then sign, or sign in).
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

/** The password asked again before a signature: right, wrong (and how many more before the lock), or locked. */
export type ReauthResult =
  { ok: true } | { ok: false; reason: 'wrong'; attemptsLeft: number } | { ok: false; reason: 'locked'; lockedUntil: string }

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

/**
 * After a wrong password has been logged (inside the caller's write transaction):
 * counts the e-mail's failures in the window and, at the threshold, logs the lock.
 */
async function lockIfTooManyFailures(
  trx: Executor,
  who: { email: string; userId: string | null; ip: string | null; now: Date },
): Promise<{ lockedUntil: string } | { attemptsLeft: number }> {
  const failures = await countPasswordFailures(trx, who.email, new Date(who.now.getTime() - LOCKOUT_WINDOW_MS).toISOString())
  if (failures < LOCKOUT_THRESHOLD) return { attemptsLeft: LOCKOUT_THRESHOLD - failures }
  const lockedUntil = new Date(who.now.getTime() + LOCKOUT_DURATION_MS).toISOString()
  await appendSecurityEvent(trx, {
    occurred_at: who.now.toISOString(),
    kind: 'sign_in_locked',
    user_id: who.userId,
    email_attempted: who.email,
    ip: who.ip,
    detail: JSON.stringify({ failures, lockedUntil }),
  })
  return { lockedUntil }
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
      const outcome = await lockIfTooManyFailures(trx, { email: emailAttempted, userId: user?.id ?? null, ip, now })
      return 'lockedUntil' in outcome ? { ok: false, reason: 'locked', lockedUntil: outcome.lockedUntil } : { ok: false, reason: 'invalid' }
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
  // The anonymous channel's pages know no one: no session is read, touched or ended there.
  if (isAnonymousRoute(new URL(request.url).pathname)) return null
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
 * officer's own act, not that of whoever found the browser open. A wrong password
 * is logged and counts toward the same lock as a wrong one at sign-in; while the
 * account is locked the password is not even checked, and signing in is refused too.
 */
export async function reauthenticate(
  db: DB,
  user: Pick<CurrentUser, 'id'>,
  password: string,
  request: Request,
  options: { now?: Date } = {},
): Promise<ReauthResult> {
  const now = options.now ?? new Date()
  const at = now.toISOString()
  const ip = clientIp(request)
  const row = await findUserById(db, user.id)
  // The lock is kept by the e-mail as sign-in normalises it.
  const email = row ? normalizeEmail(row.email) : null
  const logFailure = (trx: Executor, detail: Record<string, unknown>) =>
    appendSecurityEvent(trx, {
      occurred_at: at,
      kind: 'reauth_failed',
      user_id: row?.id ?? null,
      email_attempted: email,
      ip,
      detail: JSON.stringify(detail),
    })

  const lock = email ? await activeSignInLock(db, email, at) : null
  if (lock) {
    await logFailure(db, { reason: 'locked', lockedUntil: lock.lockedUntil })
    return { ok: false, reason: 'locked', lockedUntil: lock.lockedUntil }
  }
  const matches = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash()))
  const failure = !row ? 'unknown_user' : !row.password_hash || !matches ? 'wrong_password' : row.deactivated_at ? 'deactivated' : null

  // Checked again inside the write lock, as at sign-in: a parallel attempt may have locked the account meanwhile.
  return immediateTransaction(db, async (trx): Promise<ReauthResult> => {
    const lockNow = email ? await activeSignInLock(trx, email, at) : null
    if (lockNow) {
      await logFailure(trx, { reason: 'locked', lockedUntil: lockNow.lockedUntil })
      return { ok: false, reason: 'locked', lockedUntil: lockNow.lockedUntil }
    }
    if (!failure) {
      // A right password ends the run of wrong ones (OWASP: reset the counter on success; migration 021).
      if (email)
        await appendSecurityEvent(trx, {
          occurred_at: at,
          kind: 'reauth_succeeded',
          user_id: row!.id,
          email_attempted: email,
          ip,
          detail: '{}',
        })
      return { ok: true }
    }
    await logFailure(trx, { reason: failure })
    if (!email) return { ok: false, reason: 'wrong', attemptsLeft: 0 }
    const outcome = await lockIfTooManyFailures(trx, { email, userId: row?.id ?? null, ip, now })
    return 'lockedUntil' in outcome
      ? { ok: false, reason: 'locked', lockedUntil: outcome.lockedUntil }
      : { ok: false, reason: 'wrong', attemptsLeft: outcome.attemptsLeft }
  })
}

/**
 * The seconds until a signing lock ends, for the Retry-After header of a 429 (RFC 9110 §10.2.3); null when not locked.
 * `now` is the moment of the answer, not the request's start: the lock is dated after the password hash,
 * so counting from the request's start would promise more than the lock's fifteen minutes (CI saw 901 s).
 */
export function retryAfterSeconds(result: Exclude<ReauthResult, { ok: true }>, now = new Date()): number | null {
  if (result.reason !== 'locked') return null
  return Math.max(1, Math.ceil((new Date(result.lockedUntil).getTime() - now.getTime()) / 1000))
}

/** What the duty page tells an officer whose signature `reauthenticate` refused, in words and as the HTTP status. */
export function signingRefusal(result: Exclude<ReauthResult, { ok: true }>): {
  status: 401 | 429
  message: string
  fieldErrors: { password: string }
} {
  if (result.reason === 'locked') {
    return {
      status: 429,
      message: `Nothing was signed: too many wrong passwords have been entered for your account. Signing, and signing in, are refused until ${formatInstantUtc(result.lockedUntil)}. If those attempts were not yours, tell the administrator.`,
      fieldErrors: { password: `Signing is locked until ${formatInstantUtc(result.lockedUntil)}: no password is checked until then.` },
    }
  }
  const left = result.attemptsLeft
  return {
    status: 401,
    message: `Nothing was signed: that password is not right. After ${left} more wrong password${left === 1 ? '' : 's'}, signing and signing in are refused for ${LOCKOUT_DURATION_MS / 60_000} minutes.`,
    fieldErrors: { password: 'The password is not right. Enter the password you sign in with.' },
  }
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
