import type { LoaderFunctionArgs } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { renderNoticePdf } from '../../db/exports/notice-pdf.server'
import { findNoticeFacts } from '../../db/queries/determinations'
import { requireUser } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { generatedDownload } from '../utils/draft-download.server'
import { requireNoticeAddressee } from '../utils/permissions.server'
import { getRecord } from '../utils/workflow.server'

// The written notice of the Board's determination as a PDF, for the individual
// it is addressed to alone (the same check as /notices/<caseId>).

const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const caseId = params.caseId ?? ''
  const db = await getDb()
  const facts = CASE_ID.test(caseId) ? await findNoticeFacts(db, await getRecord(), caseId) : undefined
  await requireNoticeAddressee(request, user, caseId, facts?.found, { db })
  return generatedDownload(createReadableStreamFromReadable(renderNoticePdf(facts!, new Date())), 'application/pdf', `notice-${caseId}.pdf`)
}
