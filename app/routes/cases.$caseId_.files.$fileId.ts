import fs from 'node:fs'
import { Readable } from 'node:stream'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { caseFilePath } from '../../db/case-files'
import { findCase, findCaseAttachment } from '../../db/queries/cases'
import { requireUser } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { attachmentDisposition, draftContentType } from '../utils/draft-download.server'
import { requireCaseViewer } from '../utils/permissions.server'
import { getRecord } from '../utils/workflow.server'

// A file attached to a reported matter, for the case's recipients only: its
// reporter reads the thread, not the files; anyone else gets the case's 404.

const notFound = (message: string) => new Response(message, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = await getDb()
  const caseId = params.caseId ?? ''
  const found = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(caseId) ? await findCase(db, await getRecord(), caseId) : undefined
  const { viewer } = await requireCaseViewer(request, user, caseId, found, { db })
  if (viewer.kind !== 'recipient') throw notFound('Files of a matter are for the bodies it went to.')
  const file = await findCaseAttachment(db, caseId, params.fileId ?? '')
  if (!file) throw notFound('There is no such file of this matter.')
  const stored = caseFilePath(file.sha256)
  let size: number
  try {
    size = (await fs.promises.stat(stored)).size
  } catch {
    throw notFound('The file is not held on this server. Ask the administrator.')
  }
  return new Response(createReadableStreamFromReadable(Readable.from(fs.createReadStream(stored))), {
    headers: {
      'Content-Type': draftContentType(file.file_name),
      'Content-Disposition': attachmentDisposition(file.file_name),
      'Content-Length': String(size),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      ETag: `"${file.sha256}"`,
    },
  })
}
