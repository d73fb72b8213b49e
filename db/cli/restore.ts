// `npm run restore -- <backup file> [--accept-loss]`: puts a backup in place of the
// live database (DATABASE_PATH) after proving it: SQLite's integrity check and the
// whole record verified with this installation's public key. Refuses while the
// server runs; keeps the replaced file; refuses to give up signed events unless
// --accept-loss (docs/decisions/021-backup-and-restore.md).
// Exit code 0 when restored, 1 when refused (nothing changed), 2 on usage.
import { parseArgs } from 'node:util'
import { BackupRefusedError, restoreDatabase } from '../backup'
import { databasePath } from '../client'
import { machineLookup } from '../machine-lookup'
import { signingKeyPath } from '../signing-key'

let args
try {
  args = parseArgs({ allowPositionals: true, options: { 'accept-loss': { type: 'boolean', default: false } } })
} catch (error) {
  console.error((error as Error).message)
  process.exit(2)
}
if (args.positionals.length !== 1) {
  console.error('Usage: npm run restore -- <backup file> [--accept-loss]   (restores into DATABASE_PATH, default data/app.sqlite)')
  process.exit(2)
}
const live = databasePath()
try {
  const done = restoreDatabase({
    backup: args.positionals[0]!,
    target: live,
    keyPath: signingKeyPath(live),
    lookup: machineLookup,
    acceptLoss: args.values['accept-loss'],
  })
  console.log(`Restored ${done.target}: ${done.events} events, verified with this installation's key.`)
  if (done.replacedKeptAt) console.log(`  The file it replaced is kept at ${done.replacedKeptAt}.`)
  if (done.lostEvents > 0)
    console.log(`  ${done.lostEvents} signed events after the backup were given up; the superseded head is kept in chain-heads/.`)
  for (const w of done.report.warnings) console.warn(`  warning: ${w}`)
  process.exit(0)
} catch (error) {
  if (!(error instanceof BackupRefusedError)) throw error
  console.error(`Not restored: ${error.message}`)
  process.exit(1)
}
