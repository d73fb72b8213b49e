import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { messageIdOf } from '../../db/outbox/sender'
import { prepareDatabase } from '../../seeds/prepare'
import { startServer, type TestServer } from '../browser/global-setup'
import { type TestSmtpServer, startTestSmtpServer } from '../support/smtp-test-server'
import { signInCookie } from './sessions'

// `npm start` sends the outbox itself when SMTP_URL is set (issue 11): the sender
// runs in a thread of the server (db/outbox/thread.ts). A matter reported over
// HTTP reaches its recipients' mailboxes at a real SMTP server on loopback, and a
// SIGTERM lets the thread finish and the server exit.

let smtp: TestSmtpServer
let server: TestServer
let file: string

beforeAll(async () => {
  smtp = await startTestSmtpServer()
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'attest-outbox-server-')), 'app.sqlite')
  await prepareDatabase(file, { today: new Date() })
  server = await startServer({ databasePath: file, env: { SMTP_URL: smtp.url, OUTBOX_INTERVAL_MS: '200' } })
}, 60_000)
afterAll(async () => {
  await server?.stop()
  await smtp?.close()
})

test('a matter reported on the running server is mailed to its recipients by the server’s own sender, once each', async () => {
  const cookie = await signInCookie('internal.audit@hecla.example', 'internal audit', server.baseURL)
  const response = await fetch(`${server.baseURL}/cases/new`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: server.baseURL, Cookie: cookie },
    body: new URLSearchParams({ kind: 'code_violation', summary: 'The outbox thread test’s matter.', subject: 'user-cfo', reportId: '' }),
  })
  expect(response.status).toBe(302)
  const db = new Database(file, { readonly: true })
  try {
    // The routing mails of the matter, and the week's witness of the record to the Audit Committee chair.
    const queued = () =>
      db.prepare('SELECT idempotency_key AS key, kind, to_address AS address FROM outbox_message ORDER BY id').all() as {
        key: string
        kind: string
        address: string
      }[]
    const routed = queued().filter((q) => q.kind === 'case_routed')
    expect(routed.map((q) => q.address).sort()).toEqual(['audit.chair@hecla.example', 'audit.member@hecla.example', 'ceo@hecla.example'])
    const deadline = Date.now() + 20_000
    while ((db.prepare("SELECT count(*) AS n FROM outbox_message WHERE state <> 'sent'").get() as { n: number }).n > 0) {
      if (Date.now() > deadline) throw new Error(`the outbox was not sent: ${JSON.stringify(queued())}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    const all = queued()
    expect(all.map((q) => q.kind).sort()).toEqual(['case_routed', 'case_routed', 'case_routed', 'witness'])
    expect(smtp.received.map((m) => m.messageId).sort()).toEqual(all.map((q) => messageIdOf(q.key)).sort())
    // The subject of the matter is not among its recipients.
    expect(smtp.received.flatMap((m) => m.to)).not.toContain('cfo@hecla.example')
  } finally {
    db.close()
  }
}, 60_000)
