// `npm run verify -- <bundle.json> [--key <public key>]`: the offline check of an
// evidence bundle (db/exports/bundle-verify.ts), for db/cli/verify.ts. No database.
import fs from 'node:fs'
import { machineLookup } from '../machine-lookup'
import { loadVerificationKey } from '../signing-key'
import { verifyBundle } from './bundle-verify'

/** Whether a file is a JSON document (a bundle) rather than a SQLite database. */
export function isJsonFile(file: string): boolean {
  if (!fs.existsSync(file)) return false
  const fd = fs.openSync(file, 'r')
  try {
    const head = Buffer.alloc(64)
    const read = fs.readSync(fd, head, 0, 64, 0)
    return head.subarray(0, read).toString('utf8').trimStart().startsWith('{')
  } finally {
    fs.closeSync(fd)
  }
}

/** Checks the bundle, prints what holds or the first item that fails (and every other), and exits 0 or 1. */
export function runBundleVerify(file: string, keyPath?: string): never {
  let parsed: unknown
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    console.error(`BROKEN: ${file} — it is not JSON (${(error as Error).message})`)
    process.exit(1)
  }
  const expectedFingerprint = keyPath ? loadVerificationKey(keyPath).fingerprint : undefined
  const check = verifyBundle(parsed, machineLookup, { expectedFingerprint })
  const keyWords = check.fingerprint
    ? expectedFingerprint
      ? `checked with the key at ${keyPath} (fingerprint ${check.fingerprint})`
      : `checked with the public key the bundle carries, fingerprint ${check.fingerprint}: compare it with the installation's (the packet prints it, or pass --key)`
    : ''
  if (check.ok) {
    const c = check.counts
    console.log(
      `OK: ${file} — ${c.events} chain links (${c.includedEvents} events in full) of ${c.workflows} workflows, ${c.checkpoints} signed checkpoints, ` +
        `${c.signOffs} sign-offs and ${c.signatures} signatures of acts; the chain to the signed head at event ${check.head!.sequence}, every replay and every manifestation hold.`,
    )
    console.log(`  ${keyWords}`)
    process.exit(0)
  }
  console.error(`BROKEN: ${file} — the first item that fails: ${check.problems[0]}`)
  for (const p of check.problems.slice(1)) console.error(`  - ${p}`)
  if (keyWords) console.error(`  ${keyWords}`)
  process.exit(1)
}
