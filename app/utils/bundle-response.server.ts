import { createReadableStreamFromReadable } from '@remix-run/node'
import { bundleReadable, evidenceBundleChunks } from '../../db/exports/bundle'
import { getDb } from './db.server'
import { getRecord } from './workflow.server'
import { generatedDownload } from './draft-download.server'

// The JSON evidence bundle of a report, or of the whole record, streamed as it is
// written (docs/decisions/018). Null: no such report, or no event yet.
export async function bundleResponse(reportId: string | null, fileName: string): Promise<Response | null> {
  const record = await getRecord()
  const chunks = await evidenceBundleChunks(await getDb(), { lookup: record.lookup, key: record.key, reportId, now: new Date() })
  if (!chunks) return null
  return generatedDownload(createReadableStreamFromReadable(bundleReadable(chunks)), 'application/json; charset=utf-8', fileName)
}
