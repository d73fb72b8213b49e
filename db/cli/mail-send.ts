// `npm run mail:send [-- --watch] [--interval <seconds>]`: the outbox on its own,
// without the server. One pass by default: the digests of days that are over,
// today's reminders, the weekly witness, then every mail that is due, to the SMTP
// server of SMTP_URL (SMTP_FROM the sender). Without SMTP_URL it writes the
// reminders, digests and witness into the outbox (the administrator reads them at
// /admin/outbox) and sends nothing. With --watch it goes on every few seconds
// until stopped (SIGTERM, SIGINT), finishing the pass under way.
import { parseArgs } from 'node:util'
import { databasePath, openDatabase } from '../client'
import { machineLookup } from '../machine-lookup'
import { openDeliveryNote } from '../outbox/delivered'
import { runOutboxPass, startOutboxLoop } from '../outbox/loop'
import { smtpTransport } from '../outbox/sender'
import { loadOrCreateSigningKey, signingKeyPath } from '../signing-key'

const { values } = parseArgs({ options: { watch: { type: 'boolean', default: false }, interval: { type: 'string', default: '5' } } })
const file = databasePath()
const { db } = openDatabase(file)
const reader = { lookup: machineLookup, key: loadOrCreateSigningKey(signingKeyPath(file)) }
const transport = smtpTransport(process.env.SMTP_URL)
const leaseMs = process.env.OUTBOX_LEASE_MS ? Number(process.env.OUTBOX_LEASE_MS) : undefined

if (!values.watch) {
  const note = openDeliveryNote(file)
  const pass = await runOutboxPass(db, reader, transport, { leaseMs, note })
  note.close()
  console.log(
    `Outbox: ${pass.sent} sent, ${pass.failed} to retry, ${pass.dead} dead; written: ${pass.reminders} reminders, ${pass.digests} digests, ${pass.witnesses} witness.` +
      (transport ? '' : ' SMTP_URL is not set: nothing was sent; the mails wait in the outbox (/admin/outbox).'),
  )
  transport?.close()
  await db.destroy()
} else {
  if (!transport) {
    console.error(
      'SMTP_URL is not set: there is nowhere to send to. Set it, or run without --watch to write the day’s reminders and digests.',
    )
    process.exit(2)
  }
  const loop = startOutboxLoop(db, reader, transport, {
    intervalMs: Number(values.interval) * 1000,
    leaseMs,
    note: openDeliveryNote(file),
    onPass: (p) => {
      if (p.sent || p.failed || p.dead) console.log(`sent ${p.sent}, retry ${p.failed}, dead ${p.dead}`)
    },
    onError: (e) => console.error(`outbox pass failed: ${(e as Error).message}`),
  })
  console.log('Outbox sender running.')
  const stop = () => {
    void loop.stop().then(() => db.destroy().then(() => process.exit(0)))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
