import { createHash } from 'node:crypto'
import path from 'node:path'
import { databasePath } from './client'
import { storeContentAddressed } from './draft-files'

// Files attached to reported matters, kept like drafts: `case-files/<sha-256>`
// beside the database file, one file a content, written once, never overwritten.
// Their rows (case_attachment) say which case they belong to; only the case's
// recipients download them (app/routes/cases.$caseId_.files.$fileId.ts).

export function caseFilesDirectory(databaseFile: string = databasePath()): string {
  return path.join(path.dirname(databaseFile), 'case-files')
}

export function caseFilePath(sha256: string, databaseFile?: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('A case file is stored under its SHA-256 (64 hex digits).')
  return path.join(caseFilesDirectory(databaseFile), sha256)
}

/** Stores the bytes under their SHA-256 and returns it. */
export async function storeCaseFile(bytes: Uint8Array, databaseFile?: string): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  await storeContentAddressed(caseFilesDirectory(databaseFile), caseFilePath(sha256, databaseFile), sha256, bytes)
  return sha256
}
