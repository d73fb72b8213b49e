// The witness of the record (issue 11): the signed chain head as of an event, as a
// small JSON file mailed to the Audit Committee chair, and the check that a record
// still extends it (`npm run verify -- --witness <file> [database]`).
//
// Why it adds something to `npm run verify`: someone who holds the database file
// AND its signing key can rewrite the chain and re-sign every checkpoint and the
// head file; the verify then passes with the key they left. A witness carries the
// public key that signed its head (and its fingerprint) and sits in mailboxes
// outside the app: the record must still hold that event with that hash, and every
// checkpoint from there on must verify with that key — a new key or a changed
// event is caught.
import { createHash, createPublicKey } from 'node:crypto'
import SQLite from 'better-sqlite3'
import { z } from 'zod'
import type { MachineLookup } from '../workflow-record'
import type { Executor } from '../queries/executor'
import { type SigningKey, verifyCheckpoint } from '../signing-key'
import { verifyRecord } from '../verify'

export const WITNESS_KIND = 'hecla-attest/witness/v1'

export const witnessSchema = z.strictObject({
  kind: z.literal(WITNESS_KIND),
  installationId: z.string().min(1),
  sequence: z.number().int().positive(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.string().min(1),
  keyFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  /** The public half of the key that signed the head (SPKI PEM). */
  publicKey: z.string().min(1),
  signedAt: z.string(),
})
export type Witness = z.infer<typeof witnessSchema>

/** The witness of the head at `sequence`, from its signed checkpoint; null when there is no such event. */
export async function witnessOfHead(db: Executor, key: SigningKey, sequence: number): Promise<Witness | null> {
  const meta = await db.selectFrom('record_meta').select('installation_id').executeTakeFirstOrThrow()
  const c = await db.selectFrom('chain_checkpoint').selectAll().where('sequence', '=', sequence).executeTakeFirst()
  if (!c) return null
  return {
    kind: WITNESS_KIND,
    installationId: meta.installation_id,
    sequence: c.sequence,
    headHash: c.head_hash,
    signature: c.signature,
    keyFingerprint: c.key_fingerprint,
    publicKey: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    signedAt: c.signed_at,
  }
}

export interface WitnessCheck {
  ok: boolean
  problems: string[]
}

/**
 * Whether the record in `file` still extends the witnessed head: the witness is
 * signed by the key it names; the record is the same installation; its event at
 * the witnessed sequence has the witnessed hash; and the whole record verifies
 * with the witnessed key (db/verify.ts), which checks every link of the chain and
 * every checkpoint after the head with that key, and the head file beside it.
 */
export function checkWitness(options: { file: string; witnessText: string; lookup: MachineLookup; keyPath: string }): WitnessCheck {
  let parsed: Witness
  try {
    const result = witnessSchema.safeParse(JSON.parse(options.witnessText))
    if (!result.success) return { ok: false, problems: [`the witness file is not a witness: ${result.error.issues[0]!.message}`] }
    parsed = result.data
  } catch {
    return { ok: false, problems: ['the witness file is not JSON'] }
  }
  const publicKey = createPublicKey(parsed.publicKey)
  const fingerprint = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
  const key: SigningKey = { privateKey: null, publicKey, fingerprint, keyPath: options.keyPath }
  const problems: string[] = []
  if (fingerprint !== parsed.keyFingerprint) problems.push('the witness names a key fingerprint its public key does not have')
  const claim = { installationId: parsed.installationId, sequence: parsed.sequence, headHash: parsed.headHash }
  if (!verifyCheckpoint(key, claim, parsed.signature)) problems.push('the witness’s signature does not verify with its own key')
  if (problems.length > 0) return { ok: false, problems }

  const sqlite = new SQLite(options.file, { readonly: true, fileMustExist: true })
  try {
    const meta = sqlite.prepare('SELECT installation_id FROM record_meta').get() as { installation_id: string } | undefined
    if (meta?.installation_id !== parsed.installationId)
      problems.push(`the record is installation ${meta?.installation_id ?? '(none)'}, the witness is of ${parsed.installationId}`)
    const event = sqlite.prepare('SELECT hash FROM workflow_event WHERE sequence = ?').get(parsed.sequence) as { hash: string } | undefined
    if (!event) problems.push(`the record holds no event ${parsed.sequence}: it was cut back before the witnessed head`)
    else if (event.hash !== parsed.headHash)
      problems.push(`event ${parsed.sequence} has hash ${event.hash}, the witness says ${parsed.headHash}: the record was rewritten`)
    const foreign = sqlite
      .prepare('SELECT MIN(sequence) AS s FROM chain_checkpoint WHERE sequence >= ? AND key_fingerprint <> ?')
      .get(parsed.sequence, parsed.keyFingerprint) as { s: number | null }
    if (foreign.s !== null)
      problems.push(
        `from event ${foreign.s} the record is signed by another key than the witnessed one (${parsed.keyFingerprint.slice(0, 16)}…)`,
      )
  } finally {
    sqlite.close()
  }
  const report = verifyRecord({ file: options.file, key, lookup: options.lookup })
  for (const p of report.problems) problems.push(`with the witnessed key: ${p.message}`)
  return { ok: problems.length === 0, problems }
}
