import type { LoaderFunctionArgs } from '@remix-run/node'
import { findActSignatureRow, findSignOffRow } from '../../db/queries/history'
import { buildReceipt } from '../../db/receipt'
import { getDb } from '../utils/db.server'
import {
  exceptionWordsKeptFrom,
  refuseMatterAboutReader,
  requireHistoryReader,
  requireOwnHistory,
  type SignedException,
} from '../utils/permissions.server'
import { generatedDownload } from '../utils/draft-download.server'

// A signature receipt (db/receipt.ts) as a JSON download. An officer may download
// only the receipts of their own sign-offs and signatures.

const notFound = () =>
  new Response('The record holds no such sign-off.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reader = await requireHistoryReader(request)
  const id = params.signatureId ?? ''
  if (!/^[0-9a-f]{64}$/.test(id)) throw notFound()
  const db = await getDb()
  const signOff = await findSignOffRow(db, id)
  const owner = signOff?.officer_user_id ?? (await findActSignatureRow(db, id))?.signer_user_id
  if (owner === undefined) throw notFound()
  await requireOwnHistory(request, reader, owner)
  if (signOff) {
    const keptFrom = await exceptionWordsKeptFrom(db, reader, signOff.officer_user_id)
    await refuseMatterAboutReader(request, reader, keptFrom(JSON.parse(signOff.manifestation) as SignedException), 'This receipt')
  }
  const receipt = await buildReceipt(db, id)
  if (!receipt) throw notFound()
  return generatedDownload(`${JSON.stringify(receipt, null, 2)}\n`, 'application/json; charset=utf-8', `receipt-${id.slice(0, 12)}.json`)
}
