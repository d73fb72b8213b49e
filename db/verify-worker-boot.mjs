// A worker thread does not inherit the main thread's TypeScript loader (tsx
// registers its hooks per thread), so each verify worker registers it before
// loading its module (workerData.entry, relative to db/). Plain JavaScript, as
// it must load before the hooks.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(new URL(workerData.entry, import.meta.url).href)
