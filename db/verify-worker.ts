// One of `verifyRecordInParallel`'s threads (db/verify.ts): replays its share of
// the workflows and checks its range of checkpoint signatures on a read-only
// connection of its own, and posts back the problems it found. Started through
// worker-boot.mjs, which lets a worker thread load TypeScript.
import { parentPort, workerData } from 'node:worker_threads'
import SQLite from 'better-sqlite3'
import { machineLookup } from './machine-lookup'
import { verificationKeyFromPem } from './signing-key'
import { checkpointSignatureProblems, replayWorkflows, type VerifyWorkerResult, type VerifyWorkerTask } from './verify'

const task = workerData as VerifyWorkerTask
const sqlite = new SQLite(task.file, { readonly: true, fileMustExist: true })
try {
  const key = verificationKeyFromPem(task)
  const signatures = task.signatureRanges.flatMap(([from, to]) => checkpointSignatureProblems(sqlite, key, task.installationId, from, to))
  const replay = replayWorkflows(sqlite, machineLookup, task.instances, task.hasStateTable, task.upTo)
  const result: VerifyWorkerResult = { signatures, replay: replay.map((problems, i) => ({ id: task.instances[i]!.id, problems })) }
  parentPort!.postMessage(result)
} finally {
  sqlite.close()
}
