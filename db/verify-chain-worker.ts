// A segment of the chain check (db/verify-chain.ts) in a thread of its own, for
// `npm run verify -- --no-replay` on a large record: reads what precedes its
// segment from the file, checks the segment, posts back what it found. Loads
// nothing heavier than the hash, so it starts in a few hundred milliseconds.
import { parentPort, workerData } from 'node:worker_threads'
import SQLite from 'better-sqlite3'
import { genesisHash } from './chain-hash'
import { verificationKeyFromPem } from './signing-key'
import { checkChainSegment, readInstanceRows, segmentStart, type VerifierThreadTask } from './verify-chain'

export interface ChainWorkerTask extends VerifierThreadTask {
  from: number
  to: number
  headPosition: number | null
}

const task = workerData as ChainWorkerTask
const sqlite = new SQLite(task.file, { readonly: true, fileMustExist: true })
try {
  const key = verificationKeyFromPem(task)
  const instances = readInstanceRows(sqlite)
  const genesis = genesisHash(task.installationId)
  const start =
    task.from <= 1
      ? { from: 1, rowsBefore: 0, prevHash: genesis, versionsBefore: new Map<string, number>() }
      : segmentStart(sqlite, task.from, genesis)
  parentPort!.postMessage(
    checkChainSegment(sqlite, key, task.installationId, instances, {
      ...start,
      to: task.to,
      headPosition: task.headPosition,
      signatures: 'none',
    }),
  )
} finally {
  sqlite.close()
}
