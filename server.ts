// The production server: prepares the SQLite file, then serves the Remix build.
// Run by `npm start` after `npm run build`.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { databasePath } from './db/client'
import { prepareDatabase } from './db/prepare'
import { DEMO_PASSWORD, users } from './seeds/hecla'

const port = Number(process.env.PORT || 3000)
const host = process.env.HOST || '127.0.0.1'
const file = databasePath()

const { migrated, seeded } = await prepareDatabase(file)
console.log(`Database ${file}: ${migrated.length ? `migrated (${migrated.join(', ')})` : 'up to date'}${seeded ? ', demo company seeded' : ''}`)

const buildPath = path.resolve('build/server/index.js')
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild

const app = express()
app.disable('x-powered-by')
app.use(compression())
app.use((_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Referrer-Policy', 'same-origin')
  next()
})
// Fingerprinted assets never change; everything else is revalidated.
app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }))
app.use(express.static('build/client', { maxAge: '1h' }))
app.all('*', createRequestHandler({ build, mode: process.env.NODE_ENV }))

const server = app.listen(port, host, () => {
  const shown = host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host
  console.log(`Serving on http://${shown}:${port}`)
  console.log(`Demo logins (password for all: ${DEMO_PASSWORD}):`)
  for (const u of users) console.log(`  ${u.email.padEnd(30)} ${u.full_name} — ${u.title}`)
})

function stop() {
  server.close(() => process.exit(0))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
