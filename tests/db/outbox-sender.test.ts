// The sender's retries (issue 11, ADR 020): a mail the mail server cannot take is
// tried again after 1, 5, 15, 60 and 240 minutes, then left 'dead' with its last
// error, and never claimed again. Against a real refusal: a loopback port where no
// server listens. A lease that lapses on the last attempt ends dead too, unless the
// delivery note holds the server's 250 for it.
import net from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openDeliveryNote } from '../../db/outbox/delivered'
import { insertMail } from '../../db/outbox/enqueue'
import { isoWeek } from '../../db/outbox/jobs'
import { MAX_ATTEMPTS, claimNext, sendDue, smtpTransport } from '../../db/outbox/sender'
import { copySeededDatabase, type SeededCopy } from '../utils/test-db'

let copy: SeededCopy
let closedPort: number

beforeAll(async () => {
  copy = copySeededDatabase('outbox-sender')
  // A port that was free a moment ago: nothing listens there, so each connection is refused.
  const probe = net.createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
  closedPort = (probe.address() as net.AddressInfo).port
  await new Promise<void>((r) => probe.close(() => r()))
})
afterAll(() => copy.close())

const row = (id: number) => copy.db.selectFrom('outbox_message').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const T0 = new Date('2026-03-02T17:00:00Z')
const plus = (minutes: number) => new Date(T0.getTime() + minutes * 60_000)

test('refused by the mail server: retried with back-off, then dead with its last error, and left alone', async () => {
  const id = (await insertMail(copy.db, {
    key: 'sender-test.retry',
    to: { userId: 'user-cfo', email: 'cfo@hecla.example' },
    kind: 'reminder',
    subject: 'A reminder',
    body: 'Dear Avery Ledger, a reminder.',
    causeSequence: null,
    at: T0.toISOString(),
  }))!
  const transport = smtpTransport(`smtp://127.0.0.1:${closedPort}/?ignoreTLS=true&connectionTimeout=2000`)
  let minute = 0
  const waits: number[] = []
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // Not yet due a moment before its time.
    if (attempt > 1) expect(await sendDue(copy.db, transport, { now: () => plus(minute - 0.5) })).toEqual({ sent: 0, failed: 0, dead: 0 })
    const result = await sendDue(copy.db, transport, { now: () => plus(minute) })
    const r = await row(id)
    expect(r.attempts).toBe(attempt)
    expect(r.last_error).toMatch(/ECONNREFUSED/)
    if (attempt < MAX_ATTEMPTS) {
      expect(result).toEqual({ sent: 0, failed: 1, dead: 0 })
      expect(r.state).toBe('queued')
      const wait = (new Date(r.next_attempt_at).getTime() - plus(minute).getTime()) / 60_000
      waits.push(wait)
      minute += wait
    } else {
      expect(result).toEqual({ sent: 0, failed: 0, dead: 1 })
      expect(r.state).toBe('dead')
    }
  }
  expect(waits).toEqual([1, 5, 15, 60, 240])
  expect(await sendDue(copy.db, transport, { now: () => plus(100_000) })).toEqual({ sent: 0, failed: 0, dead: 0 })
  expect((await row(id)).state).toBe('dead')
}, 60_000)

test('a claim that lapses on the last attempt ends dead, saying the mail may or may not have gone', async () => {
  const id = (await insertMail(copy.db, {
    key: 'sender-test.lapsed',
    to: { userId: 'user-cfo', email: 'cfo@hecla.example' },
    kind: 'reminder',
    subject: 'Another reminder',
    body: 'Dear Avery Ledger, another reminder.',
    causeSequence: null,
    at: T0.toISOString(),
  }))!
  await copy.db
    .updateTable('outbox_message')
    .set({ attempts: MAX_ATTEMPTS - 1 })
    .where('id', '=', id)
    .execute()
  // A sender claims it (its last attempt) and dies: nothing marks it.
  expect((await claimNext(copy.db, { now: T0, leaseMs: 60_000 }))?.id).toBe(id)
  expect(await claimNext(copy.db, { now: plus(0.5), leaseMs: 60_000 })).toBeUndefined()
  expect(await claimNext(copy.db, { now: plus(2), leaseMs: 60_000 })).toBeUndefined()
  const r = await row(id)
  expect(r.state).toBe('dead')
  expect(r.last_error).toContain('may or may not have gone')
})

test('a claim that lapses on the last attempt after the mail server took the mail ends sent, from the delivery note', async () => {
  const id = (await insertMail(copy.db, {
    key: 'sender-test.lapsed-taken',
    to: { userId: 'user-cfo', email: 'cfo@hecla.example' },
    kind: 'reminder',
    subject: 'A third reminder',
    body: 'Dear Avery Ledger, a third reminder.',
    causeSequence: null,
    at: T0.toISOString(),
  }))!
  await copy.db
    .updateTable('outbox_message')
    .set({ attempts: MAX_ATTEMPTS - 1 })
    .where('id', '=', id)
    .execute()
  const note = openDeliveryNote(copy.file)
  try {
    // The last attempt's sender got the server's 250, noted it, and died before the record said 'sent'.
    const claimed = await claimNext(copy.db, { now: T0, leaseMs: 60_000, note })
    expect(claimed?.id).toBe(id)
    note.taken(claimed!.idempotency_key)
    expect(await claimNext(copy.db, { now: plus(2), leaseMs: 60_000, note })).toBeUndefined()
    const r = await row(id)
    expect(r.state).toBe('sent')
    expect(r.last_error).toBeNull()
    expect(r.sent_at).toBe(plus(2).toISOString())
    // The record says it now: the note lets it go.
    expect(note.wasTaken(claimed!.idempotency_key)).toBe(false)
  } finally {
    note.close()
  }
})

test('what a mail says cannot be rewritten, and no mail is deleted', async () => {
  const id = (await copy.db.selectFrom('outbox_message').select('id').orderBy('id').executeTakeFirstOrThrow()).id
  await expect(
    copy.db
      .updateTable('outbox_message')
      .set({ body_text: 'Something else.' } as never)
      .where('id', '=', id)
      .execute(),
  ).rejects.toThrow(/never rewritten/)
  await expect(copy.db.deleteFrom('outbox_message').where('id', '=', id).execute()).rejects.toThrow(/never deleted/)
})

test('the weekly witness counts ISO weeks: the week of a year’s first Thursday is its first', () => {
  expect(isoWeek('2026-12-03')).toBe('2026-W49')
  expect(isoWeek('2021-01-03')).toBe('2020-W53')
  expect(isoWeek('2024-12-30')).toBe('2025-W01')
  expect(isoWeek('2026-01-01')).toBe('2026-W01')
})
