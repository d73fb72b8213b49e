// The production server: prepares the SQLite file, then serves the Remix build.
// `npm run build` compiles it (esbuild) to build/server.js, which `npm start` runs with node (docs/decisions/023).
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import {
  CLIENT_IP_HEADER,
  CROSS_SITE_MESSAGE,
  checkSameOrigin,
  isAnonymousRoute,
  recordCrossSiteRefusal,
} from './app/utils/request-security.server'
import { createRequestHandler } from './app/utils/remix-express.server'
import { serverPidFile } from './db/backup'
import { databasePath, openDatabase } from './db/client'
import { startOutboxThread, type OutboxThread } from './db/outbox/thread'
import { prepareDatabase } from './seeds/prepare'
import { DEMO_PASSWORD, users } from './seeds/hecla'

const port = Number(process.env.PORT || 3000)
const host = process.env.HOST || '127.0.0.1'
const file = databasePath()

const { migrated, seeded } = await prepareDatabase(file, { today: new Date() })
console.log(
  `Database ${file}: ${migrated.length ? `migrated (${migrated.join(', ')})` : 'up to date'}${seeded ? ', demo company seeded' : ''}`,
)

const buildPath = path.resolve('build/server/index.js')
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild
// For the security log written before a request reaches Remix.
const { db } = openDatabase(file)

// No inline script runs without this response's nonce, so injected markup cannot
// run script (OWASP XSS Prevention: CSP as defence in depth); form-action and
// frame-ancestors keep forms posting only here and the pages out of others' frames.
function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ')
}

// Static: no session is looked up for a refused request, so the page names no one and needs no script.
const CROSS_SITE_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Request refused · Code of Ethics attestations</title></head>
<body><main><h1>This request was refused</h1><p>${CROSS_SITE_MESSAGE} Nothing was done. If you sent it from a page of this site, go back to that page, reload it and try again.</p><p><a href="/">Back to the periodic reports</a></p></main></body>
</html>
`

const app = express()
app.disable('x-powered-by')
app.use(compression())
app.use((req, res, next) => {
  const nonce = randomBytes(16).toString('base64')
  res.locals.cspNonce = nonce
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce))
  // Whatever the client sent under this name is replaced by the socket's address;
  // the anonymous channel's pages get none at all (docs/decisions/015).
  if (isAnonymousRoute(req.path)) delete req.headers[CLIENT_IP_HEADER]
  else req.headers[CLIENT_IP_HEADER] = req.ip ?? ''
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Referrer-Policy', 'same-origin')
  next()
})
// Every state-changing request must come from this origin, checked here so that no
// route can forget it (OWASP CSRF Prevention Cheat Sheet); actions check again.
app.use((req, res, next) => {
  const origin = req.get('origin')
  const secFetchSite = req.get('sec-fetch-site')
  const verdict = checkSameOrigin({ method: req.method, ownOrigin: `${req.protocol}://${req.get('host')}`, origin, secFetchSite })
  if (verdict.allowed) return next()
  recordCrossSiteRefusal(db, {
    method: req.method,
    path: req.path,
    origin,
    secFetchSite,
    reason: verdict.reason,
    ip: isAnonymousRoute(req.path) ? null : (req.ip ?? null),
  })
    .then(() => {
      // A browser asks for HTML and is shown a page (a title and a language, as every page here); anything else, the sentence.
      const page = req.accepts(['text/plain', 'text/html']) === 'text/html'
      res
        .status(403)
        .type(page ? 'html' : 'text/plain')
        .send(page ? CROSS_SITE_PAGE : CROSS_SITE_MESSAGE)
    })
    .catch(next)
})
// Fingerprinted assets never change; everything else is revalidated.
app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }))
// The rest of build/client is what public/ holds; with nothing there (today), every page
// request would look for a file on disk first (a stat and an error each: issue 13's profile).
if (fs.readdirSync('build/client').some((name) => name !== 'assets')) app.use(express.static('build/client', { maxAge: '1h' }))
// Everything past the static files is answered by Remix, and none of it may be kept
// by a cache: a page, a `.data` request or a download behind sign-in is the
// officer's own, and after sign-out Back would show it again from the browser's
// cache (OWASP Session Management Cheat Sheet, "Web Content Caching"). Decided here,
// once, so no route can forget it; the few pages without a session (sign-in, a
// redirect to it) carry a one-time CSP nonce and are not worth caching either.
// A route that sets a Cache-Control of its own only adds to this one, and no-store wins.
app.use((_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store')
  next()
})
app.all(
  '*',
  createRequestHandler({ build, mode: process.env.NODE_ENV, getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }) }),
)

// Each demo person with the title they hold today (titles are dated: the demo CFO's changed in 2011), not the seed's first.
const titles = new Map((await db.selectFrom('user').select(['id', 'title']).execute()).map((u) => [u.id, u.title]))
const server = app.listen(port, host, () => {
  const shown = host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host
  console.log(`Serving on http://${shown}:${port}`)
  console.log(`Demo logins (password for all: ${DEMO_PASSWORD}):`)
  for (const u of users) console.log(`  ${u.email.padEnd(30)} ${u.full_name} — ${titles.get(u.id) ?? u.title}`)
})

// `npm run restore` refuses to swap the file under a running server (docs/decisions/021).
const pidFile = serverPidFile(file)
fs.writeFileSync(pidFile, String(process.pid))
process.on('exit', () => {
  try {
    if (fs.readFileSync(pidFile, 'utf8') === String(process.pid)) fs.rmSync(pidFile)
  } catch {
    // Already gone.
  }
})

// The outbox's sender, in a thread of this process (issue 11, docs/decisions/020): every few
// seconds when SMTP_URL names a server. Without it the mails wait in the outbox
// for the administrator (/admin/outbox) and the loop is not started at all.
let outbox: OutboxThread | null = null
if (process.env.SMTP_URL) {
  outbox = startOutboxThread({
    intervalMs: Number(process.env.OUTBOX_INTERVAL_MS || 5000),
    // How long a claim holds before another pass may take the mail again (ADR 020); as for `npm run mail:send`.
    leaseMs: process.env.OUTBOX_LEASE_MS ? Number(process.env.OUTBOX_LEASE_MS) : undefined,
  })
  console.log(`Notifications: sending through ${new URL(process.env.SMTP_URL).host} (npm run mail:send can also send them).`)
} else {
  console.log('Notifications: SMTP_URL is not set; mails wait in the outbox for the administrator (/admin/outbox).')
}

function stop() {
  // The pass under way ends first, so no mail is left claimed by a clean shutdown.
  void (outbox?.stop() ?? Promise.resolve()).then(() => server.close(() => process.exit(0)))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
