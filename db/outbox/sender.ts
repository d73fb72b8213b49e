// The transactional outbox's delivery side (issue 11, docs/decisions/020): claims
// the mails that are due, sends each with nodemailer, marks it sent; on an error
// retries with back-off, and after the last attempt leaves it 'dead' for the
// administrator. The guarantee, honestly: every mail is delivered at least once,
// and with the same Message-ID every time (its idempotency key), so a receiver
// that drops a repeated Message-ID sees it exactly once. A repeat reaches the SMTP
// server only when the sender dies after the server accepted a mail and before
// the 'sent' update commits — a window of one UPDATE.
import { createTransport, type Transporter } from 'nodemailer'
import { sql } from 'kysely'
import type { DB } from '../client'
import type { OutboxMessage } from '../schema'
import { immediateTransaction } from '../transaction'
import type { DeliveryNote } from './delivered'

/** Attempts before a mail is dead: 1 + the retries. */
export const MAX_ATTEMPTS = 6

/** Minutes to wait after the n-th failed attempt: 1, 5, 15, 60, 240 (then dead). */
const BACKOFF_MINUTES = [1, 5, 15, 60, 240]
export function backoffMs(failedAttempts: number): number {
  return BACKOFF_MINUTES[Math.min(failedAttempts, BACKOFF_MINUTES.length) - 1]! * 60_000
}

/**
 * How long a claim holds. A sender that died mid-send leaves its mail 'sending';
 * once the lease lapses another sender (or the same after a restart) takes it
 * again. Longer than an SMTP transaction's timeouts, so a slow send is not taken twice.
 */
export const DEFAULT_LEASE_MS = 5 * 60_000

export const messageIdOf = (key: string) => `<${key}@hecla-attest>`

export interface MailTransport {
  send(message: OutboxMessage, from: string): Promise<void>
  /** Ends the pooled connection, so a process that is done can exit. */
  close(): void
}

/** The transport for `SMTP_URL` (e.g. smtp://user:pass@mail.example:587), or null when it is unset (the demo). */
export function smtpTransport(url: string | undefined): MailTransport | null {
  if (!url) return null
  // One pooled connection, reused from mail to mail: a new SMTP session per mail cost
  // ~100 ms here (connection, greeting, EHLO), so a burst of routed matters waited
  // minutes. Nodemailer waits up to 10 minutes on a silent socket by default; a send
  // that hangs holds the whole pass, so every stage gets 30 s, well inside the lease.
  const transporter: Transporter = createTransport({
    url,
    pool: true,
    maxConnections: 1,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 30_000,
  })
  return {
    async send(m, from) {
      const attachment = m.attachment ? (JSON.parse(m.attachment) as { filename: string; contentType: string; content: string }) : null
      await transporter.sendMail({
        from,
        to: m.to_address,
        subject: m.subject,
        text: m.body_text,
        messageId: messageIdOf(m.idempotency_key),
        headers: { 'X-Hecla-Attest-Kind': m.kind },
        attachments: attachment ? [attachment] : [],
      })
    },
    close() {
      transporter.close()
    },
  }
}

export function mailFrom(env: NodeJS.ProcessEnv = process.env): string {
  return env.SMTP_FROM || 'Code of Ethics attestations <attestations@localhost>'
}

/**
 * Claims the next due mail in one IMMEDIATE transaction: a queued one whose time
 * has come, or a 'sending' one whose lease lapsed (its sender died). One mail at a
 * time, so a lease covers one send and a sender killed mid-pass leaves one mail
 * claimed, not a batch: the others were never taken, and no claim they did not use
 * counts against them. Each claim counts as an attempt, so a mail that kills its
 * sender every time still ends dead — unless the delivery note holds the SMTP server's
 * 250 for it: then it went, and it is recorded sent.
 */
export async function claimNext(db: DB, options: { now: Date; leaseMs: number; note?: DeliveryNote }): Promise<OutboxMessage | undefined> {
  const now = options.now.toISOString()
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs).toISOString()
  const recordedSent: string[] = []
  const claimed = await immediateTransaction(db, async (trx) => {
    // A lapsed claim on the last attempt: the sender died during it. The delivery note says
    // whether the SMTP server took the mail first; without it nobody knows whether it went.
    const lapsed = await trx
      .selectFrom('outbox_message')
      .select(['id', 'idempotency_key'])
      .where('state', '=', 'sending')
      .where('lease_until', '<=', now)
      .where('attempts', '>=', MAX_ATTEMPTS)
      .execute()
    for (const m of lapsed) {
      const taken = options.note?.wasTaken(m.idempotency_key) ?? false
      await trx
        .updateTable('outbox_message')
        .set(
          taken
            ? { state: 'sent', sent_at: now, lease_until: null, last_error: null }
            : {
                state: 'dead',
                lease_until: null,
                last_error: 'The sender stopped during the last attempt; the mail may or may not have gone.',
              },
        )
        .where('id', '=', m.id)
        .execute()
      if (taken) recordedSent.push(m.idempotency_key)
    }
    const due = await trx
      .selectFrom('outbox_message')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('state', '=', 'sending'), eb('lease_until', '<=', now)]),
        ]),
      )
      .orderBy('id')
      .limit(1)
      .executeTakeFirst()
    if (!due) return undefined
    return trx
      .updateTable('outbox_message')
      .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), lease_until: leaseUntil }))
      .where('id', '=', due.id)
      .returningAll()
      .executeTakeFirstOrThrow()
  })
  // The record says 'sent' now (committed): the note is no longer needed for these.
  for (const key of recordedSent) options.note?.forget(key)
  return claimed
}

export interface SendResult {
  sent: number
  failed: number
  dead: number
}

/** One pass: claim, send and mark up to `limit` due mails, one after the other. Nothing to do without a transport. */
export async function sendDue(
  db: DB,
  transport: MailTransport | null,
  options: { now?: () => Date; leaseMs?: number; limit?: number; from?: string; note?: DeliveryNote } = {},
): Promise<SendResult> {
  const result = { sent: 0, failed: 0, dead: 0 }
  if (!transport) return result
  const now = options.now ?? (() => new Date())
  const limit = options.limit ?? 50
  const note = options.note
  for (let n = 0; n < limit; n++) {
    const m = await claimNext(db, { now: now(), leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS, ...(note ? { note } : {}) })
    if (!m) break
    // Taken by the SMTP server before a sender died, the record not yet told: it does not go again.
    const alreadyTaken = note?.wasTaken(m.idempotency_key) ?? false
    try {
      if (!alreadyTaken) {
        await transport.send(m, options.from ?? mailFrom())
        note?.taken(m.idempotency_key)
      }
    } catch (error) {
      const dead = m.attempts >= MAX_ATTEMPTS
      await db
        .updateTable('outbox_message')
        .set({
          state: dead ? 'dead' : 'queued',
          lease_until: null,
          last_error: String((error as Error).message ?? error).slice(0, 2000),
          next_attempt_at: new Date(now().getTime() + (dead ? 0 : backoffMs(m.attempts))).toISOString(),
        })
        .where('id', '=', m.id)
        .where('state', '=', 'sending')
        .execute()
      if (dead) result.dead += 1
      else result.failed += 1
      continue
    }
    // Only the claim's own row moves: a sender whose lease lapsed meanwhile finds it taken again and changes nothing.
    await db
      .updateTable('outbox_message')
      .set({ state: 'sent', sent_at: now().toISOString(), lease_until: null, last_error: null })
      .where('id', '=', m.id)
      .where('state', '=', 'sending')
      .execute()
    note?.forget(m.idempotency_key)
    result.sent += 1
  }
  return result
}

/** Mails still to go (queued or claimed): what a loop waits for. */
export async function pendingCount(db: DB): Promise<number> {
  const row = await db
    .selectFrom('outbox_message')
    .select(sql<number>`count(*)`.as('n'))
    .where('state', 'in', ['queued', 'sending'])
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
