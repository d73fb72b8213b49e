// The verification page's check (issue 10), kept off the server's event loop
// (issue 13): on a record of a million events `verifyRecord` takes minutes, and run
// inside a request it held every other request for as long. The check runs in a
// worker thread of its own, one at a time per process; a reader who opens the page
// while one runs joins it; a result younger than REFRESH_MS is shown again rather
// than checked anew, so opening the page over and over does not keep a core busy.
import type { VerifyReport } from './verify'
import { signingKeyPath } from './signing-key'
import { startWorker } from './worker-thread'

export const REFRESH_MS = 60_000

export interface RecordCheck {
  /** Null when the check could not finish; `error` says why. */
  report: VerifyReport | null
  error?: string
  startedAt: string
  finishedAt: string
}

export interface RecordCheckState {
  /** The last check that ended, if any. */
  last: RecordCheck | null
  /** A check under way, if any: when it started. */
  running: { startedAt: string } | null
}

export type RunCheck = () => Promise<VerifyReport>

export interface RecordChecker {
  /** Starts a check unless one runs or the last is fresh; waits up to `waitMs` for the one under way. */
  check(options: { waitMs: number; now?: () => Date }): Promise<RecordCheckState>
}

export function recordChecker(run: RunCheck): RecordChecker {
  let last: RecordCheck | null = null
  let running: { startedAt: string; done: Promise<void> } | null = null
  return {
    async check({ waitMs, now = () => new Date() }) {
      const fresh = last && now().getTime() - Date.parse(last.finishedAt) < REFRESH_MS
      if (!running && !fresh) {
        const startedAt = now().toISOString()
        const done = run().then(
          (report) => {
            last = { report, startedAt, finishedAt: now().toISOString() }
          },
          (error: Error) => {
            // Not a verdict on the record: the check itself did not finish (its thread died, the key was missing).
            last = { report: null, error: error.message, startedAt, finishedAt: now().toISOString() }
          },
        )
        running = {
          startedAt,
          done: done.finally(() => {
            running = null
          }),
        }
      }
      if (running) await Promise.race([running.done, new Promise((r) => setTimeout(r, waitMs))])
      return { last, running: running ? { startedAt: running.startedAt } : null }
    },
  }
}

/** `verifyRecord` in a worker thread: the same check as `npm run verify`, with the machines of this code base. */
export function verifyInWorker(options: { file: string; keyPath: string }): Promise<VerifyReport> {
  return new Promise((resolve, reject) => {
    // In the build, the compiled thread is beside the Remix bundle (package.json's build: build/server/record-check-worker.js).
    const worker = startWorker(
      import.meta.url,
      { source: './record-check-worker.ts', compiled: './record-check-worker.js' },
      { workerData: options },
    )
    worker.once('message', (report: VerifyReport) => resolve(report))
    worker.once('error', reject)
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`the check's thread ended (${code})`))))
  })
}

// One checker a file and process: one check at a time, whoever opens the page.
const checkers = new Map<string, RecordChecker>()

/** The checker of the database `file`, checking it with the key beside it (SIGNING_KEY_PATH). */
export function recordCheckOf(file: string): RecordChecker {
  let checker = checkers.get(file)
  if (!checker) {
    checker = recordChecker(() => verifyInWorker({ file, keyPath: signingKeyPath(file) }))
    checkers.set(file, checker)
  }
  return checker
}
