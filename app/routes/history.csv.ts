import type { LoaderFunctionArgs } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { getInstalledCompany } from '../../db/queries/company'
import { getDb } from '../utils/db.server'
import { requireHistoryReader, seesCaseIds } from '../utils/permissions.server'
import { timelineCsv } from '../utils/timeline-csv.server'
import { readTimelineQuery } from '../utils/timeline-params.server'
import { generatedDownload } from '../utils/draft-download.server'

// The CSV of the events behind a filtered timeline (the same GET filters as /history).

export async function loader({ request }: LoaderFunctionArgs) {
  const reader = await requireHistoryReader(request)
  const query = readTimelineQuery(new URL(request.url), reader)
  const db = await getDb()
  const company = await getInstalledCompany(db)
  const stream = timelineCsv(db, query.filters, company?.time_zone ?? 'UTC', seesCaseIds(reader))
  return generatedDownload(createReadableStreamFromReadable(stream), 'text/csv; charset=utf-8', 'history-events.csv')
}
