// `npm run verify [-- <database file>] [--key <signing key path>] [--older-copy]`
// Recomputes the hash chain of the file (by default DATABASE_PATH), checks every
// signed checkpoint with the key kept outside it, and names the first broken
// sequence number. Exit code 0 when the record holds, 1 when it does not, 2 on usage.
import { parseArgs } from 'node:util'
import { databasePath } from '../client'
import { machineLookup } from '../machine-lookup'
import { loadVerificationKey, signingKeyPath } from '../signing-key'
import { verifyRecord } from '../verify'

let args
try {
  args = parseArgs({
    allowPositionals: true,
    options: { key: { type: 'string' }, 'older-copy': { type: 'boolean', default: false } },
  })
} catch (error) {
  console.error((error as Error).message)
  process.exit(2)
}
const live = databasePath()
const file = args.positionals[0] ? (await import('node:path')).resolve(args.positionals[0]) : live
// The key belongs to the installation, not to a copy: by default the live one's.
const keyPath = args.values.key ?? signingKeyPath(live)

try {
  const report = verifyRecord({ file, key: loadVerificationKey(keyPath), lookup: machineLookup, olderCopy: args.values['older-copy'] })
  for (const w of report.warnings) console.warn(`warning: ${w}`)
  if (report.ok) {
    console.log(`OK: ${file} — ${report.events} events in ${report.instances} workflows; the chain and every signed checkpoint hold.`)
    process.exit(0)
  }
  console.error(`BROKEN: ${file} — first broken sequence number: ${report.firstBrokenSequence ?? '(none; see below)'}`)
  for (const p of report.problems) console.error(`  - ${p.message}`)
  process.exit(1)
} catch (error) {
  console.error(`Cannot verify ${file}: ${(error as Error).message}`)
  process.exit(1)
}
