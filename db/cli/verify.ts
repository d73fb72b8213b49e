// `npm run verify [-- <database file>] [--key <key file>] [--older-copy] [--no-replay] [--workers <n>]`
// `npm run verify -- --receipt <receipt.json> [<database file>] [--key <key file>]`
// Checks the file (by default DATABASE_PATH): its hash chain, every signed
// checkpoint and the signed head with the public key kept outside it, every
// workflow replayed with this code's machines against its cached state, and every
// sign-off against its manifestation and its duty.sign event, and every signature
// of an act against its manifestation and the event that carries it. A copy is checked
// with the key beside it unless --key names one. Exit code 0 when the record
// holds, 1 when it does not (or cannot be read), 2 on usage or when no key is found.
// On a record of 50,000 events or more, the replay and the checkpoint signatures
// (or, with --no-replay, the chain itself) run in worker threads, one per core by
// default (--workers). --no-replay is the chain check alone (db/verify.ts
// VerifyOptions.replay): the hashes, every checkpoint's head, the newest
// checkpoint's signature, the head outside the file, every sign-off and signature
// of an act; it says what it left out. --replay (the default) checks everything.
// With --receipt: the receipt's own signature with the public key (the key named,
// beside the receipt, or the installation's); with a database file as well, that
// the record still holds exactly that sign-off.
// `npm run verify -- <bundle.json> [--key <key file>]`: an evidence bundle, offline (db/exports/bundle-cli.ts).
// `npm run verify -- --witness <witness.json> [<database file>]`: that the record still extends the
// signed chain head mailed to the Audit Committee chair (db/outbox/witness.ts), checked with the key
// the witness carries, not with the one beside the file.
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { databasePath } from '../client'
import { isJsonFile, runBundleVerify } from '../exports/bundle-cli'
import { machineLookup } from '../machine-lookup'
import { findVerificationKey, NoVerificationKeyError, signingKeyPath, type SigningKey } from '../signing-key'
import { checkReceiptAgainstDatabase, checkReceiptOffline, parseReceipt } from '../receipt'
import { verifyRecordInParallel } from '../verify'
import { checkWitness } from '../outbox/witness'

let args
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      'older-copy': { type: 'boolean', default: false },
      receipt: { type: 'string' },
      witness: { type: 'string' },
      replay: { type: 'boolean', default: true },
      'no-replay': { type: 'boolean', default: false },
      workers: { type: 'string' },
    },
  })
} catch (error) {
  console.error((error as Error).message)
  process.exit(2)
}
const replay = args.values.replay && !args.values['no-replay']
const workers = args.values.workers === undefined ? undefined : Number(args.values.workers)
if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) {
  console.error('--workers takes a whole number of threads, 1 or more.')
  process.exit(2)
}
if (args.positionals.length > 1) {
  console.error('Verify one database file at a time.')
  process.exit(2)
}
const live = databasePath()
if (args.values.receipt !== undefined) verifyReceipt(path.resolve(args.values.receipt), args.positionals[0])
if (args.values.witness !== undefined) verifyWitness(path.resolve(args.values.witness), args.positionals[0])
const file = args.positionals[0] ? path.resolve(args.positionals[0]) : live
if (isJsonFile(file)) runBundleVerify(file, args.values.key)
if (!fs.existsSync(file)) {
  console.error(`Cannot verify ${file}: there is no such file.`)
  process.exit(1)
}

let key: SigningKey
try {
  key = findVerificationKey(file, { keyPath: args.values.key, installationKeyPath: signingKeyPath(live), liveFile: live })
} catch (error) {
  if (!(error instanceof NoVerificationKeyError)) throw error
  console.error(`Cannot verify ${file}: no key to check its signatures with. Looked for:`)
  for (const place of error.lookedAt) console.error(`  - ${place}`)
  console.error('Put the installation’s signing-key.pub.pem (and its chain-heads/) beside the file, or name the key with --key <path>.')
  process.exit(2)
}

try {
  const report = await verifyRecordInParallel({ file, key, olderCopy: args.values['older-copy'], replay, workers })
  const checkedWith = `checked with the key at ${key.keyPath} (fingerprint ${key.fingerprint.slice(0, 16)}…)`
  for (const w of report.warnings) console.warn(`warning: ${w}`)
  if (report.ok) {
    console.log(
      replay
        ? `OK: ${file} — ${report.events} events in ${report.instances} workflows, ${report.signOffs} sign-offs; ` +
            'the chain, every signed checkpoint, every replay and every sign-off hold.'
        : `OK (the chain check, --no-replay): ${file} — ${report.events} events in ${report.instances} workflows, ${report.signOffs} sign-offs; ` +
            'the hash chain, every checkpoint’s head, the newest checkpoint’s signature and every sign-off hold. ' +
            'Not checked: the workflows’ replay (the cache, the states between events) and the older checkpoints’ signatures; run without --no-replay for those.',
    )
    console.log(`  ${checkedWith}`)
    process.exit(0)
  }
  const chainHolds = report.problems.every(
    (p) => p.table === 'sign_off' || p.table === 'signature' || p.table === 'workflow_snapshot' || p.table === 'workflow_instance',
  )
  console.error(
    report.firstBrokenSequence !== null
      ? `BROKEN: ${file} — first broken sequence number: ${report.firstBrokenSequence}`
      : chainHolds
        ? `BROKEN: ${file} — the hash chain holds; these rows do not:`
        : `BROKEN: ${file}`,
  )
  for (const p of report.problems) console.error(`  - ${p.message}`)
  console.error(`  ${checkedWith}`)
  process.exit(1)
} catch (error) {
  console.error(`Cannot verify ${file}: ${(error as Error).message}`)
  process.exit(1)
}

function verifyReceipt(receiptFile: string, database: string | undefined): never {
  if (!fs.existsSync(receiptFile)) {
    console.error(`Cannot verify ${receiptFile}: there is no such file.`)
    process.exit(1)
  }
  const dbFile = database ? path.resolve(database) : undefined
  if (dbFile && !fs.existsSync(dbFile)) {
    console.error(`Cannot verify against ${dbFile}: there is no such file.`)
    process.exit(1)
  }
  let key: SigningKey
  try {
    key = findVerificationKey(dbFile ?? receiptFile, {
      keyPath: args!.values.key,
      installationKeyPath: signingKeyPath(live),
      liveFile: live,
    })
  } catch (error) {
    if (!(error instanceof NoVerificationKeyError)) throw error
    console.error(`Cannot verify ${receiptFile}: no key to check its signature with. Looked for:`)
    for (const place of error.lookedAt) console.error(`  - ${place}`)
    process.exit(2)
  }
  const { receipt, problems } = parseReceipt(fs.readFileSync(receiptFile, 'utf8'))
  const check = receipt
    ? dbFile
      ? checkReceiptAgainstDatabase(receipt, key, dbFile)
      : checkReceiptOffline(receipt, key)
    : { ok: false, problems }
  const checkedWith = `checked with the key at ${key.keyPath} (fingerprint ${key.fingerprint.slice(0, 16)}…)`
  if (check.ok) {
    console.log(
      dbFile
        ? `OK: ${receiptFile} — ${dbFile} still holds exactly this sign-off (${receipt!.id}), at event ${receipt!.chain.event.sequence}.`
        : `OK: ${receiptFile} — the receipt of ${receipt!.id} is signed by this key (event ${receipt!.chain.event.sequence}).`,
    )
    console.log(`  ${checkedWith}`)
    process.exit(0)
  }
  console.error(`BROKEN: ${receiptFile}${dbFile ? ` against ${dbFile}` : ''}`)
  for (const p of check.problems) console.error(`  - ${p}`)
  console.error(`  ${checkedWith}`)
  process.exit(1)
}

function verifyWitness(witnessFile: string, database: string | undefined): never {
  const dbFile = database ? path.resolve(database) : live
  for (const f of [witnessFile, dbFile]) {
    if (!fs.existsSync(f)) {
      console.error(`Cannot verify: there is no file ${f}.`)
      process.exit(1)
    }
  }
  // The head file beside the installation's key is checked too, with the witnessed key.
  let keyPath: string
  try {
    keyPath = findVerificationKey(dbFile, { keyPath: args!.values.key, installationKeyPath: signingKeyPath(live), liveFile: live }).keyPath
  } catch (error) {
    if (!(error instanceof NoVerificationKeyError)) throw error
    keyPath = signingKeyPath(live)
  }
  const check = checkWitness({ file: dbFile, witnessText: fs.readFileSync(witnessFile, 'utf8'), lookup: machineLookup, keyPath })
  if (check.ok) {
    const w = JSON.parse(fs.readFileSync(witnessFile, 'utf8')) as { sequence: number; keyFingerprint: string }
    console.log(
      `OK: ${dbFile} still extends the head witnessed in ${witnessFile} (event ${w.sequence}), signed by key ${w.keyFingerprint.slice(0, 16)}… from there on.`,
    )
    process.exit(0)
  }
  console.error(`BROKEN: ${dbFile} does not extend the head witnessed in ${witnessFile}`)
  for (const p of check.problems) console.error(`  - ${p}`)
  process.exit(1)
}
