import type { DB } from '../../db/client'
import { findReportWithDraft, type ReportWithDraft } from '../../db/queries/reports'
import type { DutyNumber } from '../../machines/duties'

// A route's parameters, checked before anything is read with them: an unknown
// report or duty is a 404 the reader understands, never a 500.

const notFound = (message: string) => new Response(message, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

export async function requireReport(db: DB, reportId: string | undefined): Promise<ReportWithDraft> {
  const report = reportId ? await findReportWithDraft(db, reportId) : undefined
  if (!report) throw notFound(`There is no periodic report “${reportId ?? ''}”.`)
  return report
}

/** Duties are numbered 1 to 12 in the Code of Ethics; anything else is not a page. */
export function requireDutyNumber(raw: string | undefined): DutyNumber {
  if (!raw || !/^(?:[1-9]|1[0-2])$/.test(raw)) {
    throw notFound(`There is no duty “${raw ?? ''}”: the Code of Ethics has twelve, numbered 1 to 12.`)
  }
  return Number(raw) as DutyNumber
}
