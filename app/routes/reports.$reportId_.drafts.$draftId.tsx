import fs from 'node:fs'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { Readable } from 'node:stream'
import { listReportDrafts } from '../../db/queries/admin'
import { getDb } from '../utils/db.server'
import { draftFilePath } from '../../db/draft-files'
import { attachmentDisposition, draftContentType } from '../utils/draft-download.server'
import { requireReportReader } from '../utils/permissions.server'
import { requireReport } from '../utils/report-params.server'

// A draft of a report, as stored: the officers attest to it (duties 6, 10, 12), so
// they and the report's readers may download it by its file name.

const notFound = (message: string) => new Response(message, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireReportReader(request)
  const db = await getDb()
  const report = await requireReport(db, params.reportId)
  const draft = (await listReportDrafts(db, report.id)).find((d) => d.id === params.draftId)
  if (!draft) throw notFound('There is no such draft of this report.')
  const file = draftFilePath(draft.sha256)
  let size: number
  try {
    size = (await fs.promises.stat(file)).size
  } catch {
    throw notFound('The file of this draft is not held on this server. Ask the administrator.')
  }
  return new Response(createReadableStreamFromReadable(Readable.from(fs.createReadStream(file))), {
    headers: {
      'Content-Type': draftContentType(draft.file_name),
      'Content-Disposition': attachmentDisposition(draft.file_name),
      'Content-Length': String(size),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-cache',
      ETag: `"${draft.sha256}"`,
    },
  })
}
