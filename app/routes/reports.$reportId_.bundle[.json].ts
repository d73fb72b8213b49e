import type { LoaderFunctionArgs } from '@remix-run/node'
import { bundleResponse } from '../utils/bundle-response.server'
import { requireReportExport } from '../utils/report-export.server'

// The JSON evidence bundle of one report: `npm run verify -- <file>` checks it offline.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { report } = await requireReportExport(request, params.reportId, 'This report’s evidence bundle')
  const response = await bundleResponse(report.id, `evidence-bundle-${report.id}.json`)
  if (!response)
    throw new Response('The record holds no event yet.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  return response
}
