import { randomBytes } from 'node:crypto'
// Reporting by anyone signed in (`/cases/new`) and through the anonymous channel
// (`/anonymous`, Exchange Act Rule 10A-3(b)(4)): the case is opened and routed as
// an officer's is (reportCaseInside), with its files, in one transaction; the
// anonymous one with its receipt (the key's SHA-256 and the passphrase's slow
// hash) and nothing else about who sent it (docs/decisions/015).
import type { CaseInput } from '../../machines/case'
import { NotFoundError } from '../errors'
import { instanceId } from '../ids'
import { keepRow } from '../kept-rows'
import { ANONYMOUS_CHANNEL_USER_ID } from '../schema'
import type { Actor, WorkflowRecord, WriteUnit } from '../workflow-record'
import { reportCaseInside } from './case'
import { iso } from './shared'

/** A file already stored content-addressed (db/case-files.ts). */
export interface StoredCaseFile {
  sha256: string
  sizeBytes: number
  fileName: string
}

/** Who the anonymous channel's steps are recorded as: no user, only the channel. */
export const ANONYMOUS_ACTOR: Actor = { userId: null, role: 'anonymous_channel' }

async function attach(unit: WriteUnit, caseId: string, uploader: Actor, at: Date, files: readonly StoredCaseFile[]) {
  const uploadedBy = uploader.userId ?? ANONYMOUS_CHANNEL_USER_ID
  for (const file of files) {
    const id = `file-${randomBytes(8).toString('hex')}`
    await unit.trx
      .insertInto('case_attachment')
      .values({
        id,
        case_instance_id: instanceId.case(caseId),
        message_id: null,
        sha256: file.sha256,
        size_bytes: file.sizeBytes,
        file_name: file.fileName,
        uploaded_by: uploadedBy,
        uploaded_at: iso(at),
      })
      .execute()
    await keepRow(unit, 'case_attachment', id, uploader, at)
  }
}

/** A matter reported by someone signed in, with its files: routed at once. */
export async function reportMatter(
  record: WorkflowRecord,
  request: {
    reportId: string | null
    input: Omit<CaseInput, 'reportedAt'>
    actor: Actor & { userId: string }
    files?: readonly StoredCaseFile[]
    at?: Date
  },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const result = await reportCaseInside(unit, { reportId: request.reportId, input: request.input, actor: request.actor, at })
    await attach(unit, request.input.caseId, request.actor, at, request.files ?? [])
    return result
  })
}

/** A matter sent through the anonymous channel, with the receipt its reporter comes back with. */
export async function reportAnonymously(
  record: WorkflowRecord,
  request: {
    reportId: string | null
    input: Omit<CaseInput, 'reportedAt' | 'reporter'>
    receipt: { keySha256: string; passphraseHash: string }
    files?: readonly StoredCaseFile[]
    at?: Date
  },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const result = await reportCaseInside(unit, {
      reportId: request.reportId,
      input: { ...request.input, reporter: { kind: 'anonymous' } },
      actor: ANONYMOUS_ACTOR,
      at,
    })
    await unit.trx
      .insertInto('anonymous_receipt')
      .values({
        case_instance_id: instanceId.case(request.input.caseId),
        key_sha256: request.receipt.keySha256,
        passphrase_hash: request.receipt.passphraseHash,
      })
      .execute()
    await keepRow(unit, 'anonymous_receipt', instanceId.case(request.input.caseId), ANONYMOUS_ACTOR, at)
    await attach(unit, request.input.caseId, ANONYMOUS_ACTOR, at, request.files ?? [])
    return result
  })
}

/** More information the reporter adds to their matter (author null: the anonymous channel). */
export async function addCaseInformation(
  record: WorkflowRecord,
  request: { caseId: string; authorUserId: string | null; body: string; at?: Date },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const existing = await unit.load(instanceId.case(request.caseId))
    if (!existing || existing.machineId !== 'case') throw new NotFoundError('case', request.caseId)
    const id = `addition-${randomBytes(8).toString('hex')}`
    await unit.trx
      .insertInto('case_addition')
      .values({
        id,
        case_instance_id: instanceId.case(request.caseId),
        author_user_id: request.authorUserId,
        body: request.body,
        written_at: iso(at),
      })
      .execute()
    const author: Actor = request.authorUserId === null ? ANONYMOUS_ACTOR : { userId: request.authorUserId, role: 'reporter' }
    await keepRow(unit, 'case_addition', id, author, at)
    return { id }
  })
}
