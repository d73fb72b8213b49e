import { listCitedCaseIdsAbout } from '../../db/queries/cases'
import { getDb } from './db.server'
import { refuseMatterAboutReader, requireExportReader } from './permissions.server'
import { requireReport } from './report-params.server'

/**
 * The checks before a report's export (the packet, the bundle): a reader of every
 * officer's history, a report that exists, and nothing in it that the officers
 * wrote about a matter concerning the reader (403 with the reason, otherwise).
 */
export async function requireReportExport(request: Request, reportId: string | undefined, what: string) {
  const reader = await requireExportReader(request)
  const db = await getDb()
  const report = await requireReport(db, reportId)
  await refuseMatterAboutReader(request, reader, (await listCitedCaseIdsAbout(db, reader.user.id, report.id)).size > 0, what)
  return { reader, db, report }
}
