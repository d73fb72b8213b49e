// `npm run backup -- <backup file>`: an online backup of the live database
// (DATABASE_PATH) while the server runs, with the public key and the signed chain
// head beside it — never the private key (docs/decisions/021-backup-and-restore.md).
// Exit code 0 when done, 1 when refused (nothing written), 2 on usage.
import { parseArgs } from 'node:util'
import { BackupRefusedError, backupDatabase } from '../backup'
import { databasePath } from '../client'
import { signingKeyPath } from '../signing-key'

let args
try {
  args = parseArgs({ allowPositionals: true, options: {} })
} catch (error) {
  console.error((error as Error).message)
  process.exit(2)
}
if (args.positionals.length !== 1) {
  console.error('Usage: npm run backup -- <backup file>   (backs up DATABASE_PATH, default data/app.sqlite)')
  process.exit(2)
}
const live = databasePath()
try {
  const done = await backupDatabase({ live, keyPath: signingKeyPath(live), target: args.positionals[0]! })
  console.log(
    `Backed up ${live} to ${done.file}: ${done.events} events, ${done.bytes} bytes, ${done.files} drafts and case files; ` +
      `the public key and the signed head (event ${done.signedHead ?? 'none'}) beside it, not the private key.`,
  )
  process.exit(0)
} catch (error) {
  if (!(error instanceof BackupRefusedError)) throw error
  console.error(`Not backed up: ${error.message}`)
  process.exit(1)
}
