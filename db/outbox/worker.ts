// The thread `startOutboxThread` runs (db/outbox/thread.ts): the outbox loop on a
// connection of its own, until the server says stop.
import { parentPort, workerData } from 'node:worker_threads'
import { databasePath, openDatabase } from '../client'
import { machineLookup } from '../machine-lookup'
import { loadOrCreateSigningKey, signingKeyPath } from '../signing-key'
import { openDeliveryNote } from './delivered'
import { startOutboxLoop } from './loop'
import { smtpTransport } from './sender'

const options = workerData as { intervalMs: number; leaseMs?: number }
const file = databasePath()
const { db } = openDatabase(file)
const transport = smtpTransport(process.env.SMTP_URL)
if (!transport) throw new Error('SMTP_URL is not set: the outbox thread has nowhere to send to')
const loop = startOutboxLoop(db, { lookup: machineLookup, key: loadOrCreateSigningKey(signingKeyPath(file)) }, transport, {
  intervalMs: options.intervalMs,
  leaseMs: options.leaseMs,
  note: openDeliveryNote(file),
  onError: (error) => console.error(`Outbox: ${(error as Error).message}`),
})
parentPort!.on('message', (message) => {
  if (message === 'stop')
    void loop
      .stop()
      .then(() => db.destroy())
      .then(() => process.exit(0))
})
