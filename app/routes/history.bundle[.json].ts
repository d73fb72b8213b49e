import type { LoaderFunctionArgs } from '@remix-run/node'
import { listCitedCaseIdsAbout } from '../../db/queries/cases'
import { bundleResponse } from '../utils/bundle-response.server'
import { getDb } from '../utils/db.server'
import { refuseMatterAboutReader, requireExportReader } from '../utils/permissions.server'

// The JSON evidence bundle of the whole record (every report's lifecycle and duty
// reviews in full; every other workflow as links only).

export async function loader({ request }: LoaderFunctionArgs) {
  const reader = await requireExportReader(request)
  await refuseMatterAboutReader(
    request,
    reader,
    (await listCitedCaseIdsAbout(await getDb(), reader.user.id, null)).size > 0,
    'The evidence bundle of the whole record',
  )
  const response = await bundleResponse(null, 'evidence-bundle-record.json')
  if (!response)
    throw new Response('The record holds no event yet.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  return response
}
