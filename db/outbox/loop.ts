// The outbox loop (issue 11): every few seconds, the digests of days that are
// over, today's reminders, the weekly witness, then the mails that are due. Runs
// inside `npm start` (server.ts) and alone (`npm run mail:send`, db/cli/mail-send.ts).
import type { DB } from '../client'
import type { RecordReader } from '../queries/workflows'
import { appUrl } from './enqueue'
import { queueDigests, queueReminders, queueWeeklyWitness } from './jobs'
import type { DeliveryNote } from './delivered'
import { type MailTransport, type SendResult, sendDue } from './sender'

export interface OutboxPass extends SendResult {
  reminders: number
  digests: number
  witnesses: number
}

/** One pass: write what the calendar makes due, then send what is due. Without a transport, nothing is sent. */
export async function runOutboxPass(
  db: DB,
  reader: RecordReader,
  transport: MailTransport | null,
  options: { now?: () => Date; leaseMs?: number; appUrl?: string; note?: DeliveryNote } = {},
): Promise<OutboxPass> {
  const now = options.now ?? (() => new Date())
  const url = options.appUrl ?? appUrl()
  const digests = await queueDigests(db, { now: now(), appUrl: url })
  const reminders = await queueReminders(db, reader, { now: now(), appUrl: url })
  const witnesses = await queueWeeklyWitness(db, reader.key, { now: now(), appUrl: url })
  const sent = await sendDue(db, transport, { now, leaseMs: options.leaseMs, note: options.note })
  return { ...sent, reminders, digests, witnesses }
}

export interface OutboxLoop {
  /** Waits for a pass under way to end, then stops and closes the transport: no mail is left half-marked by a shutdown. */
  stop(): Promise<void>
}

/**
 * Runs a pass every `intervalMs`, one at a time. In the server it runs only with a
 * transport (SMTP_URL set): without one the demo's mails simply wait in the outbox
 * for the administrator, and the loop writes nothing of its own, so a test server
 * (no SMTP_URL) is not touched by it.
 */
export function startOutboxLoop(
  db: DB,
  reader: RecordReader,
  transport: MailTransport,
  options: {
    intervalMs: number
    leaseMs?: number
    note?: DeliveryNote
    onError?: (error: unknown) => void
    onPass?: (pass: OutboxPass) => void
  },
): OutboxLoop {
  let stopped = false
  let running: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  const tick = () => {
    running = runOutboxPass(db, reader, transport, { leaseMs: options.leaseMs, note: options.note })
      .then((pass) => options.onPass?.(pass))
      .catch((error) => options.onError?.(error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs)
      })
  }
  timer = setTimeout(tick, 0)
  return {
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
      transport.close()
      options.note?.close()
    },
  }
}
