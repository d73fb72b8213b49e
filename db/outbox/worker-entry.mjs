// The outbox thread's entry under `node --import tsx server.ts`: Node 20 does not
// carry a `--import` loader into worker threads (nodejs/node#47747, tsx#354), so
// the thread registers tsx itself, then loads the TypeScript.
import { register } from 'tsx/esm/api'

register()
await import('./worker.ts')
