// The record check's thread from the source: Node 20 does not carry a `--import`
// loader into worker threads (nodejs/node#47747), so the thread registers tsx itself.
import { register } from 'tsx/esm/api'

register()
await import('./record-check-worker.ts')
