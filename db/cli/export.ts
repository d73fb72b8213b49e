// `npm run export -- packet <report id> [--out <file>] [--database <file>] [--key <key file>]`
// `npm run export -- bundle [<report id>] [--out <file>] [--database <file>] [--key <key file>]`
// Writes a report's PDF certification packet, or the JSON evidence bundle of a
// report (or, without a report id, of the whole record), streamed to the file
// (default: packet-<id>.pdf, bundle-<id|record>.json in the current folder; `-`
// for standard output). The database (default DATABASE_PATH) is opened read-only:
// nothing is written. Progress goes to standard error. Exit 0 when written,
// 1 when the report or the file does not exist, 2 on usage (docs/decisions/018).
import fs from 'node:fs'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { databasePath } from '../client'
import { bundleReadable, evidenceBundleChunks } from '../exports/bundle'
import { renderPacketPdf } from '../exports/packet-pdf.server'
import { machineLookup } from '../machine-lookup'
import { findPacketFacts } from '../queries/packet'
import type { Database } from '../schema'
import { findVerificationKey, NoVerificationKeyError, signingKeyPath } from '../signing-key'

const usage =
  'Usage: npm run export -- packet <report id> [--out <file>] [--database <file>]\n' +
  '       npm run export -- bundle [<report id>] [--out <file>] [--database <file>]'

let args
try {
  args = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, database: { type: 'string' }, key: { type: 'string' } },
  })
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`)
  process.exit(2)
}
const [what, reportId, ...rest] = args.positionals
if ((what !== 'packet' && what !== 'bundle') || rest.length > 0 || (what === 'packet' && !reportId)) {
  console.error(usage)
  process.exit(2)
}
const live = databasePath()
const file = args.values.database ? path.resolve(args.values.database) : live
if (!fs.existsSync(file)) {
  console.error(`Cannot export from ${file}: there is no such file.`)
  process.exit(1)
}
let key
try {
  key = findVerificationKey(file, { keyPath: args.values.key, installationKeyPath: signingKeyPath(live), liveFile: live })
} catch (error) {
  if (!(error instanceof NoVerificationKeyError)) throw error
  console.error(`Cannot export from ${file}: no signing key (its public half is enough). Looked for:`)
  for (const place of error.lookedAt) console.error(`  - ${place}`)
  process.exit(2)
}

const sqlite = new SQLite(file, { readonly: true, fileMustExist: true })
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
const now = new Date()
const reader = { lookup: machineLookup, key }
const outName = args.values.out ?? (what === 'packet' ? `packet-${reportId}.pdf` : `bundle-${reportId ?? 'record'}.json`)
try {
  const source =
    what === 'packet'
      ? await (async () => {
          const facts = await findPacketFacts(db, reader, reportId!, { namesCases: true, now })
          return facts ? renderPacketPdf(facts) : null
        })()
      : await (async () => {
          const chunks = await evidenceBundleChunks(db, { lookup: machineLookup, key, reportId: reportId ?? null, now })
          return chunks ? bundleReadable(chunks) : null
        })()
  if (!source) {
    console.error(reportId ? `There is no periodic report “${reportId}” in ${file}.` : `The record in ${file} holds no event.`)
    process.exit(1)
  }
  let bytes = 0
  let shown = 0
  const progress = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      if (process.stderr.isTTY && bytes - shown > 256 * 1024) {
        shown = bytes
        process.stderr.write(`\r${Math.round(bytes / 1024)} kB written…`)
      }
      done(null, chunk)
    },
  })
  const target = outName === '-' ? process.stdout : fs.createWriteStream(path.resolve(outName))
  await pipeline(source, progress, target)
  if (outName !== '-') console.error(`${process.stderr.isTTY ? '\r' : ''}Wrote ${path.resolve(outName)} (${bytes} bytes).`)
} finally {
  await db.destroy()
}
