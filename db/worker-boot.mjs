// A worker thread's first module when the code runs from its TypeScript source
// (tsx, Vitest, the dev server): Node 20 carries no `--import` loader into a worker
// (nodejs/node#47747, tsx#354), so the thread registers tsx itself, then loads its
// module (workerData.entry: a file URL, or a path relative to db/). Plain
// JavaScript, as it must load before the hooks. Started by db/worker-thread.ts and
// by the verifier's threads (db/verify.ts).
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(new URL(workerData.entry, import.meta.url).href)
