import type { LoaderFunctionArgs } from '@remix-run/node'
import { listCitedCaseIdsAbout } from '../../db/queries/cases'
import { bundleResponse } from '../utils/bundle-response.server'
import { getDb } from '../utils/db.server'
import { refuseMatterAboutReader, requireExportReader } from '../utils/permissions.server'
import { requireReport } from '../utils/report-params.server'

// The JSON evidence bundle of one report: `npm run verify -- <file>` checks it offline.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reader = await requireExportReader(request)
  const db = await getDb()
  const report = await requireReport(db, params.reportId)
  await refuseMatterAboutReader(
    request,
    reader,
    await listCitedCaseIdsAbout(db, reader.user.id, report.id),
    'This report’s evidence bundle',
  )
  const response = await bundleResponse(report.id, `evidence-bundle-${report.id}.json`)
  if (!response)
    throw new Response('The record holds no event yet.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  return response
}
