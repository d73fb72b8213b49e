import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { databasePath } from './client'

// Drafts are kept content-addressed beside the database file: `drafts/<sha-256>`,
// one file a content, written once, never overwritten.

export function draftsDirectory(databaseFile: string = databasePath()): string {
  return path.join(path.dirname(databaseFile), 'drafts')
}

export function draftFilePath(sha256: string, databaseFile?: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('A draft is stored under its SHA-256 (64 hex digits).')
  return path.join(draftsDirectory(databaseFile), sha256)
}

/** Stores the bytes under their SHA-256 unless a file is there already. */
export async function storeDraftFile(sha256: string, bytes: Uint8Array, databaseFile?: string) {
  await storeContentAddressed(draftsDirectory(databaseFile), draftFilePath(sha256, databaseFile), sha256, bytes)
}

/** Writes `bytes` to `target` (`dir/<sha256>`) once: never overwritten, never seen half-written. */
export async function storeContentAddressed(dir: string, target: string, sha256: string, bytes: Uint8Array) {
  await fs.promises.mkdir(dir, { recursive: true })
  if (fs.existsSync(target)) return
  // Written aside, flushed, then linked into place: link() fails rather than replace
  // an existing file, so a reader never sees a half-written file and a stored one is never rewritten.
  const temporary = path.join(dir, `.${sha256}.${randomBytes(8).toString('hex')}.tmp`)
  const handle = await fs.promises.open(temporary, 'wx', 0o400)
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await fs.promises.link(temporary, target)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    await fs.promises.unlink(temporary)
  }
}
