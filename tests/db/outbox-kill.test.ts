// No mail lost, none delivered twice, when processes die (issue 11, ADR 020):
// the writer is killed after its transactions committed and before anything was
// sent; the sender is killed mid-send (its mail's DATA arrived, the SMTP server
// had not yet answered 250); a new sender takes over once the lease lapses. At
// the SMTP server, every mail of the outbox arrives, each Message-ID exactly once.
// Each process is `node --import tsx`, not the tsx CLI: that one runs the script
// in a child process a SIGKILL would miss (tests/support/write-load.ts).
import { type ChildProcess, spawn } from 'node:child_process'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { deliveryNotePath } from '../../db/outbox/delivered'
import { messageIdOf } from '../../db/outbox/sender'
import { type TestSmtpServer, startTestSmtpServer } from '../support/smtp-test-server'
import { copySeededDatabase, type SeededCopy } from '../utils/test-db'

let copy: SeededCopy
let smtp: TestSmtpServer
const children: ChildProcess[] = []

beforeAll(async () => {
  copy = copySeededDatabase('outbox-kill')
  smtp = await startTestSmtpServer()
})
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  await smtp.close()
  await copy.close()
})

function start(script: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, DATABASE_PATH: copy.file, SIGNING_KEY_PATH: copy.keyPath, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  return child
}

const line = (child: ChildProcess, text: string) =>
  new Promise<void>((resolve, reject) => {
    let out = ''
    let err = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes(text)) resolve()
    })
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => reject(new Error(`exited (${code}) before "${text}": ${out}${err}`)))
  })

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })

const rows = () => copy.db.selectFrom('outbox_message').select(['id', 'idempotency_key', 'state', 'attempts']).orderBy('id').execute()

const SENDER_ENV = () => ({ SMTP_URL: smtp.url, OUTBOX_LEASE_MS: '1500' })

test('killed between commit and send, and mid-send, then restarted: every mail delivered, each Message-ID exactly once', async () => {
  // 1. Between commit and send: the writer's transactions committed their mails; it dies before any is sent.
  const writer = start('tests/support/outbox-writer.ts', [copy.file, copy.keyPath])
  await line(writer, 'committed')
  await killed(writer)
  const committed = await rows()
  expect(committed.length).toBeGreaterThanOrEqual(6)
  expect(committed.every((r) => r.state === 'queued')).toBe(true)
  expect(smtp.received).toEqual([])

  // 2. Mid-send: the sender's first mail reached DATA; the server holds its answer; the sender is killed.
  smtp.holdData()
  const first = start('db/cli/mail-send.ts', ['--watch', '--interval', '0.2'], SENDER_ENV())
  await smtp.waitForData(1, 30_000)
  await killed(first)
  // The server sees the connection drop before it answered: the mail was not taken.
  smtp.stopHolding()
  await smtp.waitForClosed(1)
  const afterKill = await rows()
  // The sender claims one mail at a time: only the one on the wire is 'sending'; the others were never taken.
  const inFlight = afterKill.filter((r) => r.state === 'sending')
  expect(inFlight).toHaveLength(1)
  expect(inFlight[0]!.attempts).toBe(1)
  const onTheWire = smtp.dataSeen[0]!
  expect(messageIdOf(inFlight[0]!.idempotency_key)).toBe(onTheWire)
  expect(afterKill.filter((r) => r.id !== inFlight[0]!.id).every((r) => r.state === 'queued' && r.attempts === 0)).toBe(true)
  expect(smtp.received).toEqual([])

  // 3. Restarted: the queued mails go at once, the one in flight once its lease lapses.
  const second = start('db/cli/mail-send.ts', ['--watch', '--interval', '0.2'], SENDER_ENV())
  const start2 = Date.now()
  for (;;) {
    const now = await rows()
    if (now.every((r) => r.state === 'sent') && smtp.received.length >= now.length) break
    if (Date.now() - start2 > 30_000) throw new Error(`not all sent: ${JSON.stringify(now.map((r) => r.state))}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  // Give a duplicate, if there were one, the time to arrive.
  await new Promise((r) => setTimeout(r, 1000))
  second.kill('SIGTERM')
  await new Promise((r) => second.once('exit', r))

  const final = await rows()
  expect(final.every((r) => r.state === 'sent')).toBe(true)
  const ids = smtp.received.map((m) => m.messageId)
  expect(new Set(ids).size).toBe(final.length)
  expect(ids.length).toBe(final.length)
  expect([...ids].sort()).toEqual(final.map((r) => messageIdOf(r.idempotency_key)).sort())
  // The mail on the wire at the kill went on its second attempt, every other on its first.
  for (const r of final) expect(r.attempts).toBe(r.id === inFlight[0]!.id ? 2 : 1)
  expect(smtp.dataSeen.filter((id) => id === onTheWire)).toHaveLength(2)
}, 90_000)

const until = async (check: () => boolean, what: string, timeoutMs = 30_000) => {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

test('killed after the SMTP server took a mail and before the record said so: after the restart the mail does not go again', async () => {
  const writer = start('tests/support/outbox-writer.ts', [copy.file, copy.keyPath, 'note'])
  await line(writer, 'committed')
  await killed(writer)
  const batch = (await rows()).filter((r) => r.state === 'queued')
  expect(batch.length).toBeGreaterThanOrEqual(6)
  const receivedBefore = smtp.received.length
  const dataBefore = smtp.dataSeen.length

  // The sender's first mail reaches DATA; while the server holds its answer, this test takes the
  // record's write lock, so that once the 250 comes the sender cannot write 'sent'; then it is killed.
  smtp.holdData()
  const first = start('db/cli/mail-send.ts', ['--watch', '--interval', '0.2'], SENDER_ENV())
  await smtp.waitForData(dataBefore + 1, 30_000)
  const lock = new SQLite(copy.file)
  lock.exec('BEGIN IMMEDIATE')
  smtp.release()
  await smtp.waitForReceived(receivedBefore + 1)
  const taken = smtp.received.at(-1)!.messageId
  const note = new SQLite(deliveryNotePath(copy.file), { readonly: true })
  const noted = () =>
    (note.prepare('SELECT idempotency_key AS key FROM delivered').all() as { key: string }[]).map((r) => messageIdOf(r.key))
  await until(() => noted().includes(taken), 'the delivery note')
  await killed(first)
  lock.exec('ROLLBACK')
  lock.close()
  const stuck = (await rows()).find((r) => messageIdOf(r.idempotency_key) === taken)!
  expect(stuck).toMatchObject({ state: 'sending', attempts: 1 })

  // Restarted: once the lease lapses the mail is claimed again, found taken, and marked sent without going again.
  const second = start('db/cli/mail-send.ts', ['--watch', '--interval', '0.2'], SENDER_ENV())
  const ids = new Set(batch.map((r) => r.id))
  await until(() => smtp.received.length >= receivedBefore + batch.length, 'the rest of the batch')
  const mine = async () => (await rows()).filter((r) => ids.has(r.id))
  const start2 = Date.now()
  while (!(await mine()).every((r) => r.state === 'sent')) {
    if (Date.now() - start2 > 30_000) throw new Error(`not all sent: ${JSON.stringify(await mine())}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  await new Promise((r) => setTimeout(r, 1000))
  second.kill('SIGTERM')
  await new Promise((r) => second.once('exit', r))

  const received = smtp.received.slice(receivedBefore).map((m) => m.messageId)
  expect(received.sort()).toEqual(batch.map((r) => messageIdOf(r.idempotency_key)).sort())
  expect(received.filter((id) => id === taken)).toHaveLength(1)
  // Claimed twice, sent once; and the note keeps nothing the record already says.
  expect((await mine()).find((r) => r.id === stuck.id)!.attempts).toBe(2)
  expect(noted()).toEqual([])
  note.close()
}, 90_000)
