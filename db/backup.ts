// Backups and restores of the record (issue 12; docs/decisions/021-backup-and-restore.md).
// A backup is taken with SQLite's online backup while the server runs; the public
// key and the signed chain head travel beside it, the private key never does. A
// restore refuses a file whose record does not verify with the installation's key,
// never deletes what it replaces, and says when it would lose signed events.
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { caseFilesDirectory } from './case-files'
import { openSqlite } from './client'
import { draftsDirectory } from './draft-files'
import type { MachineLookup } from './workflow-record'
import { headFilePath, loadVerificationKey, publicKeyPath, type SigningKey } from './signing-key'
import { verifyRecord, type VerifyReport } from './verify'

/** A backup or restore that was not done, and why; nothing was changed. Only the CLIs raise it. */
export class BackupRefusedError extends Error {
  constructor(
    readonly reason:
      | 'no_such_file'
      | 'target_exists'
      | 'not_a_database'
      | 'integrity_failed'
      | 'record_broken'
      | 'other_installation'
      | 'other_key'
      | 'would_lose_events'
      | 'server_running',
    message: string,
  ) {
    super(message)
  }
}

/** The file a running server names itself in (server.ts), so that a restore never swaps the file under it. */
export const serverPidFile = (databaseFile: string) => `${databaseFile}.server-pid`

interface SignedHead {
  installationId: string
  sequence: number
  headHash: string
  signature: string
}

function readHead(file: string): SignedHead | null {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as SignedHead) : null
}

function installationOf(file: string): string {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true })
  try {
    const row = sqlite.prepare('SELECT installation_id FROM record_meta').get() as { installation_id: string } | undefined
    if (!row) throw new BackupRefusedError('not_a_database', `${file} holds no record (record_meta is empty)`)
    return row.installation_id
  } catch (error) {
    if (error instanceof BackupRefusedError) throw error
    throw new BackupRefusedError('not_a_database', `${file} is not a database of this app: ${(error as Error).message}`)
  } finally {
    sqlite.close()
  }
}

/**
 * The content-addressed stores beside a database (drafts, case files): every file
 * of `from` that `to` lacks is copied; none is ever overwritten (its name is its
 * SHA-256). Temporary files of a write in progress are left.
 */
function copyContentAddressed(fromDatabase: string, toDatabase: string): number {
  let copied = 0
  for (const dirOf of [draftsDirectory, caseFilesDirectory]) {
    const from = dirOf(fromDatabase)
    if (!fs.existsSync(from)) continue
    const to = dirOf(toDatabase)
    fs.mkdirSync(to, { recursive: true })
    for (const name of fs.readdirSync(from)) {
      if (!/^[0-9a-f]{64}$/.test(name) || fs.existsSync(path.join(to, name))) continue
      fs.copyFileSync(path.join(from, name), path.join(to, name), fs.constants.COPYFILE_EXCL)
      copied++
    }
  }
  return copied
}

export interface BackupResult {
  file: string
  installationId: string
  /** The last event in the backup. */
  events: number
  /** The signed head copied beside it (at or before the backup's last event). */
  signedHead: number | null
  bytes: number
  /** Drafts and case files copied beside it. */
  files: number
}

/**
 * Copies the live file to `target` with SQLite's online backup API while the server
 * keeps writing. All pages are copied in one step, inside one read transaction: in
 * WAL mode that is a consistent snapshot and the writer is never blocked.
 * The signed head is copied FIRST: it is published after each commit, so the
 * snapshot taken next holds at least the events it signs (a head ahead of the
 * file would read as a cut tail).
 */
export async function backupDatabase(options: { live: string; keyPath: string; target: string }): Promise<BackupResult> {
  const target = path.resolve(options.target)
  if (!fs.existsSync(options.live)) throw new BackupRefusedError('no_such_file', `There is no database at ${options.live}`)
  if (fs.existsSync(target)) throw new BackupRefusedError('target_exists', `${target} exists already: a backup never overwrites a file`)
  const dir = path.dirname(target)
  fs.mkdirSync(dir, { recursive: true })
  const install = installationOf(options.live)
  const liveHead = headFilePath(options.keyPath, install)
  // Beside the backup: the public key and the head, as verify expects of a copy
  // (db/signing-key.ts findVerificationKey): `<dir>/signing-key.pub.pem`, `<dir>/chain-heads/`.
  const besideKey = path.join(dir, 'signing-key.pem')
  const headCopy = headFilePath(besideKey, install)
  fs.mkdirSync(path.dirname(headCopy), { recursive: true })
  if (fs.existsSync(liveHead)) fs.copyFileSync(liveHead, headCopy)
  fs.copyFileSync(publicKeyPath(options.keyPath), publicKeyPath(besideKey))

  const source = openSqlite(options.live)
  try {
    const partial = `${target}.partial`
    fs.rmSync(partial, { force: true })
    await source.backup(partial, { progress: () => Number.MAX_SAFE_INTEGER })
    fs.renameSync(partial, target)
  } finally {
    source.close()
  }
  // After the snapshot: a draft or a case file is stored before the row that names it.
  const files = copyContentAddressed(options.live, target)
  const copy = new SQLite(target, { readonly: true, fileMustExist: true })
  const events = (copy.prepare('SELECT COALESCE(MAX(sequence), 0) AS n FROM workflow_event').get() as { n: number }).n
  copy.close()
  return {
    file: target,
    installationId: install,
    events,
    signedHead: readHead(headCopy)?.sequence ?? null,
    bytes: fs.statSync(target).size,
    files,
  }
}

export interface RestoreResult {
  target: string
  events: number
  /** Where the file that was replaced now is (never deleted), or null when there was none. */
  replacedKeptAt: string | null
  /** Signed events after the backup's last one that the restore gave up (only with acceptLoss). */
  lostEvents: number
  report: VerifyReport
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Puts the backup at `target` after proving it: SQLite's integrity check, and the
 * whole record verified with the INSTALLATION's public key (a file re-signed with
 * a key of its own is refused), against the installation's signed head when there
 * is one. A head beyond the backup's last event means signed events would be lost:
 * refused unless `acceptLoss`, and then the superseded head is kept beside the new one.
 */
export function restoreDatabase(options: {
  backup: string
  target: string
  /** The installation's signing key path (its .pub.pem and chain-heads/ beside it). */
  keyPath: string
  lookup: MachineLookup
  acceptLoss?: boolean
  now?: Date
}): RestoreResult {
  const backup = path.resolve(options.backup)
  const target = path.resolve(options.target)
  if (!fs.existsSync(backup)) throw new BackupRefusedError('no_such_file', `There is no backup at ${backup}`)
  const pidFile = serverPidFile(target)
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim())
    if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
      throw new BackupRefusedError('server_running', `The server (process ${pid}) is serving ${target}: stop it before restoring`)
    }
  }
  const install = installationOf(backup)
  if (fs.existsSync(target) && installationOf(target) !== install) {
    throw new BackupRefusedError('other_installation', `${backup} is the record of another installation than ${target}`)
  }

  const check = new SQLite(backup, { readonly: true, fileMustExist: true })
  const integrity = check.pragma('integrity_check', { simple: true })
  check.close()
  if (integrity !== 'ok') throw new BackupRefusedError('integrity_failed', `${backup} fails SQLite's integrity check: ${String(integrity)}`)

  const installationKey: SigningKey | null =
    fs.existsSync(publicKeyPath(options.keyPath)) || fs.existsSync(options.keyPath) ? loadVerificationKey(options.keyPath) : null
  const besideKey = path.join(path.dirname(backup), 'signing-key.pem')
  if (!installationKey && !fs.existsSync(publicKeyPath(besideKey))) {
    throw new BackupRefusedError('record_broken', `No key to verify ${backup} with: neither the installation's nor one beside the backup`)
  }
  const key = installationKey ?? loadVerificationKey(besideKey)
  // The head signed outside the file for this installation (the live one's, else the backup's own).
  const installationHead = readHead(headFilePath(key.keyPath, install))
  const report = verifyRecord({ file: backup, key, lookup: options.lookup, olderCopy: true })
  if (!report.ok) {
    const first = report.problems[0]?.message ?? 'unknown problem'
    throw new BackupRefusedError(
      'record_broken',
      `${backup} does not verify with the key at ${key.keyPath} (${report.problems.length} problems; first: ${first})`,
    )
  }
  if (installationKey && fs.existsSync(publicKeyPath(besideKey))) {
    const backupKey = loadVerificationKey(besideKey)
    if (backupKey.fingerprint !== installationKey.fingerprint) {
      throw new BackupRefusedError(
        'other_key',
        `${backup} travels with another key (${backupKey.fingerprint.slice(0, 16)}…) than this installation's`,
      )
    }
  }
  const lostEvents = installationHead ? Math.max(0, installationHead.sequence - report.events) : 0
  if (lostEvents > 0 && !options.acceptLoss) {
    throw new BackupRefusedError(
      'would_lose_events',
      `${backup} ends at event ${report.events}, but this installation signed a head at event ${installationHead!.sequence}: ` +
        `restoring it gives up ${lostEvents} signed events. Restore a later backup, or accept the loss explicitly.`,
    )
  }

  const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-')
  fs.mkdirSync(path.dirname(target), { recursive: true })
  const incoming = `${target}.restoring`
  fs.copyFileSync(backup, incoming)
  let replacedKeptAt: string | null = null
  if (fs.existsSync(target)) {
    // The replaced file is folded into one file first (its WAL checkpointed), then kept.
    const old = openSqlite(target)
    old.pragma('wal_checkpoint(TRUNCATE)')
    old.close()
    replacedKeptAt = `${target}.replaced-${stamp}`
    fs.renameSync(target, replacedKeptAt)
  }
  // A WAL left beside the target belongs to the replaced file and would be replayed into the new one.
  for (const suffix of ['-wal', '-shm']) fs.rmSync(target + suffix, { force: true })
  fs.renameSync(incoming, target)
  copyContentAddressed(backup, target)
  if (lostEvents > 0 && installationHead) {
    const headFile = headFilePath(key.keyPath, install)
    fs.renameSync(headFile, headFile.replace(/\.json$/, `.superseded-${stamp}.json`))
    const backupHead = readHead(headFilePath(besideKey, install))
    if (backupHead) fs.writeFileSync(headFile, JSON.stringify(backupHead))
  }
  return { target, events: report.events, replacedKeptAt, lostEvents, report }
}
