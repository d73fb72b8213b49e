// A worker thread does not inherit the main thread's TypeScript loader (tsx
// registers its hooks per thread), so each verify worker registers it before
// loading db/verify-worker.ts. Plain JavaScript, as it must load before the hooks.
import { register } from 'tsx/esm/api'

register()
await import('./verify-worker.ts')
