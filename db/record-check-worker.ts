// The thread `verifyInWorker` starts (db/record-check.ts): one `verifyRecord` over
// the file, with the key beside it (the public half is enough), reported back.
import { parentPort, workerData } from 'node:worker_threads'
import { machineLookup } from './machine-lookup'
import { loadVerificationKey } from './signing-key'
import { verifyRecord } from './verify'

const { file, keyPath } = workerData as { file: string; keyPath: string }
parentPort!.postMessage(verifyRecord({ file, key: loadVerificationKey(keyPath), lookup: machineLookup }))
