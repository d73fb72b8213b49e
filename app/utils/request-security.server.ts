import type { DB } from '../../db/client'
import { appendSecurityEvent } from '../../db/queries/auth'
import type { Executor } from '../../db/queries/executor'
import { getDb } from './db.server'

/**
 * The client's address as server.ts saw it on the socket. server.ts overwrites
 * this header on every request, so a client cannot choose what the log records.
 * (Under `vite dev` nothing sets it and the log records no address.)
 */
export const CLIENT_IP_HEADER = 'x-attest-client-ip'

export function clientIp(request: Request): string | null {
  if (isAnonymousRoute(new URL(request.url).pathname)) return null
  return request.headers.get(CLIENT_IP_HEADER) || null
}

/**
 * The pages of the anonymous channel (Exchange Act Rule 10A-3(b)(4);
 * docs/decisions/015): whoever uses them is no one to this system. Decided here,
 * once: on these paths server.ts passes no client address on, `clientIp` gives
 * none to any log, and `getCurrentUser` neither reads nor touches a session, so
 * no address, browser or session is ever stored for them.
 */
export const ANONYMOUS_ROUTE_PREFIXES = ['/anonymous'] as const

export function isAnonymousRoute(pathname: string): boolean {
  // `/anonymous.data` is the same page's data request (Remix single fetch).
  return ANONYMOUS_ROUTE_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`) || pathname.startsWith(`${p}.`))
}

// Methods that must not change state; everything else needs a same-origin caller.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export type OriginVerdict = { allowed: true } | { allowed: false; reason: 'origin_mismatch' | 'origin_missing' }

function normalizeOrigin(value: string): string | null {
  try {
    return new URL(value).origin
  } catch {
    return null
  }
}

/**
 * CSRF defence by origin (OWASP CSRF Prevention Cheat Sheet, "Verifying origin
 * with standard headers"): a signature or a report must never be submitted by
 * another site riding on an officer's session. Browsers send Origin on every POST
 * form and fetch; when a privacy setting strips it, Sec-Fetch-Site still says
 * whether the request came from this origin. With neither, the request is refused.
 */
export function checkSameOrigin(request: {
  method: string
  ownOrigin: string
  origin: string | null | undefined
  secFetchSite: string | null | undefined
}): OriginVerdict {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return { allowed: true }
  if (request.origin) {
    const own = normalizeOrigin(request.ownOrigin)
    // "null" (a sandboxed frame, a cross-site redirect) never parses to an origin.
    return own !== null && normalizeOrigin(request.origin) === own ? { allowed: true } : { allowed: false, reason: 'origin_mismatch' }
  }
  if (request.secFetchSite === 'same-origin') return { allowed: true }
  return { allowed: false, reason: 'origin_missing' }
}

export async function recordCrossSiteRefusal(
  db: Executor,
  refusal: {
    method: string
    path: string
    origin: string | null | undefined
    secFetchSite: string | null | undefined
    reason: string
    ip: string | null
    now?: Date
  },
) {
  await appendSecurityEvent(db, {
    occurred_at: (refusal.now ?? new Date()).toISOString(),
    kind: 'cross_site_refused',
    user_id: null,
    email_attempted: null,
    ip: refusal.ip,
    detail: JSON.stringify({
      reason: refusal.reason,
      method: refusal.method,
      path: refusal.path,
      origin: refusal.origin ?? null,
      secFetchSite: refusal.secFetchSite ?? null,
    }),
  })
}

export const CROSS_SITE_MESSAGE = 'Refused: this request did not come from this site.'

/**
 * For actions: throws a 403 Response unless the request came from this origin.
 * server.ts checks every request before Remix sees it; this is the same check for
 * code that runs without server.ts (`vite dev`), and a second line behind it.
 */
export async function requireSameOrigin(request: Request, options: { db?: DB; now?: Date } = {}): Promise<void> {
  const url = new URL(request.url)
  const origin = request.headers.get('origin')
  const secFetchSite = request.headers.get('sec-fetch-site')
  const verdict = checkSameOrigin({ method: request.method, ownOrigin: url.origin, origin, secFetchSite })
  if (verdict.allowed) return
  await recordCrossSiteRefusal(options.db ?? (await getDb()), {
    method: request.method,
    path: url.pathname,
    origin,
    secFetchSite,
    reason: verdict.reason,
    ip: clientIp(request),
    now: options.now,
  })
  throw new Response(CROSS_SITE_MESSAGE, { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}
