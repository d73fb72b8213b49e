import type { LoaderFunctionArgs } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { renderPacketPdf } from '../../db/exports/packet-pdf.server'
import { findPacketFacts } from '../../db/queries/packet'
import { seesCaseIds } from '../utils/permissions.server'
import { requireReportExport } from '../utils/report-export.server'
import { getRecord } from '../utils/workflow.server'
import { generatedDownload } from '../utils/draft-download.server'

// The report's PDF certification packet (docs/decisions/018), piped to the response.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { reader, db, report } = await requireReportExport(request, params.reportId, 'This report’s certification packet')
  const facts = await findPacketFacts(db, await getRecord(), report.id, { namesCases: seesCaseIds(reader), now: new Date() })
  if (!facts)
    throw new Response('There is no such periodic report.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  return generatedDownload(
    createReadableStreamFromReadable(renderPacketPdf(facts)),
    'application/pdf',
    `certification-packet-${report.id}.pdf`,
  )
}
