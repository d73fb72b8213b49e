// Reads for the reporter's side: "My reports" (the cases a person reported), the
// information they added, and the anonymous channel's receipts. What the reporter
// sees of a case is its state, what it waits for, the recipients' questions and
// their own answers and additions — never the recipients' notes.
import { caseStateWords, caseWaitsFor } from '../../machines/case'
import { reporterUserId } from '../../machines/routing'
import { instanceId } from '../ids'
import { determinationProgress } from './determinations'
import type { Executor } from './executor'
import { type CaseRow, listAllCases } from './cases'
import type { RecordReader } from './workflows'

export interface ReporterCaseRow extends CaseRow {
  stateWords: string
  waitsFor: string
  since: string
}

function asReporterRow(row: CaseRow, determination?: { waitsFor: string; since: string | null }): ReporterCaseRow {
  const waits = caseWaitsFor({ value: row.path, context: row.context }, determination)
  return { ...row, stateWords: caseStateWords(row.path), ...waits }
}

/** The cases this person reported themselves, newest first (never an anonymous one: it names no one). */
export async function listMyReports(db: Executor, reader: RecordReader, userId: string): Promise<ReporterCaseRow[]> {
  const mine = (await listAllCases(db, reader)).filter((r) => reporterUserId(r.context.reporter) === userId)
  const rows: ReporterCaseRow[] = []
  for (const row of mine) rows.push(asReporterRow(row, await determinationProgress(db, reader, row)))
  return rows.sort((a, b) => b.context.reportedAt.localeCompare(a.context.reportedAt) || b.caseId.localeCompare(a.caseId))
}

/** The information the reporter added to a case, oldest first. */
export async function listCaseAdditions(db: Executor, caseId: string) {
  return db
    .selectFrom('case_addition')
    .select(['id', 'body', 'written_at', 'author_user_id'])
    .where('case_instance_id', '=', instanceId.case(caseId))
    .orderBy('written_at')
    .orderBy('id')
    .execute()
}

/** The receipt whose key has this SHA-256, if any. */
export async function findAnonymousReceipt(db: Executor, keySha256: string) {
  return db
    .selectFrom('anonymous_receipt')
    .select(['case_instance_id', 'passphrase_hash'])
    .where('key_sha256', '=', keySha256)
    .executeTakeFirst()
}
