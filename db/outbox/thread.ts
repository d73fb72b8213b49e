// The outbox's sender inside `npm start`, in a thread of its own (ADR 020, amended
// 2026-12-04). On the request thread, the moment between the SMTP server's 250 and
// the 'sent' commit waited behind page rendering under load: the crash soak's kills
// landed there 4 times in 20 (a repeat of the same Message-ID each). In a worker the
// sender's own event loop answers at once, and pages never wait on mail.
// The worker dies with the process, as a SIGKILL demands; a child process would
// outlive it and leave two senders.
import type { Worker } from 'node:worker_threads'
import { startWorker } from '../worker-thread'

export interface OutboxThread {
  /** Finishes the pass under way, closes the connection and ends the thread. */
  stop(): Promise<void>
}

export function startOutboxThread(options: { intervalMs: number; leaseMs?: number }): OutboxThread {
  let stopping = false
  let worker: Worker
  const start = () => {
    // The worker inherits the environment (DATABASE_PATH, SIGNING_KEY_PATH, SMTP_URL, SMTP_FROM); the compiled
    // server ships it beside itself (build/outbox-worker.js).
    worker = startWorker(import.meta.url, { source: './worker.ts', compiled: './outbox-worker.js' }, { workerData: options })
    worker.on('error', (error) => console.error(`Outbox: the sender stopped: ${error.message}`))
    worker.on('exit', (code) => {
      // A sender that died for any reason but a shutdown is started again: mails must not wait for a restart.
      if (!stopping) {
        console.error(`Outbox: the sender ended (${code}); starting it again.`)
        setTimeout(start, options.intervalMs)
      }
    })
  }
  start()
  return {
    stop() {
      stopping = true
      return new Promise<void>((resolve) => {
        worker.once('exit', () => resolve())
        worker.postMessage('stop')
      })
    },
  }
}
