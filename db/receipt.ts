// A signature receipt: one sign-off (an officer's of a duty, or a signature of an
// act) as its holder can keep it outside the app — its manifestation, the hash
// that is its id, its place in the chain (the event that carries the id, with
// every field that event's hash covers) and the chain head at that event as the
// installation's key signed it. Without the database the receipt proves itself to
// whoever holds the public key; with it, that the record still holds exactly that
// sign-off (docs/decisions/016).
import SQLite from 'better-sqlite3'
import { canonicalJson } from './canonical-json'
import type { Executor } from './queries/executor'
import { actManifestationHash, manifestationHash } from './sign-off'
import { type SigningKey, verifyCheckpoint } from './signing-key'
import { type ChainedFields, eventHash, installationId } from './workflow-record'
import { type EventRow, type InstanceRow, chainedFields } from './verify-chain'

export const RECEIPT_KIND = 'hecla-attest/receipt/v1'

export interface Receipt {
  kind: typeof RECEIPT_KIND
  /** 'sign_off' for an officer's sign-off of a duty, 'signature' for a signature of an act. */
  table: 'sign_off' | 'signature'
  /** The sha-256 of the canonical manifestation; the sign-off's id. */
  id: string
  manifestation: unknown
  chain: {
    installationId: string
    /** Every field the event's hash covers, as the record stores them. */
    event: ChainedFields
    eventHash: string
  }
  /** The chain head at the sign-off's event, signed by the installation's key (its checkpoint). */
  signedHead: { sequence: number; headHash: string; keyFingerprint: string; signature: string }
  /** When the receipt was issued (UTC); not covered by any signature. */
  issuedAt: string
}

export interface ReceiptCheck {
  ok: boolean
  /** What does not hold, each naming the field or the row. */
  problems: string[]
}

/** The receipt of a sign-off or signature by its id, or null when the record holds neither. */
export async function buildReceipt(db: Executor, id: string, now: Date = new Date()): Promise<Receipt | null> {
  const signOff = await db.selectFrom('sign_off').select(['manifestation', 'workflow_sequence']).where('id', '=', id).executeTakeFirst()
  const act = signOff
    ? undefined
    : await db.selectFrom('signature').select(['manifestation', 'workflow_sequence']).where('id', '=', id).executeTakeFirst()
  const row = signOff ?? act
  if (!row) return null
  const event = await db.selectFrom('workflow_event').selectAll().where('sequence', '=', row.workflow_sequence).executeTakeFirst()
  if (!event) return null
  const instance = await db.selectFrom('workflow_instance').selectAll().where('id', '=', event.instance_id).executeTakeFirstOrThrow()
  const checkpoint = await db.selectFrom('chain_checkpoint').selectAll().where('sequence', '=', event.sequence).executeTakeFirst()
  return {
    kind: RECEIPT_KIND,
    table: signOff ? 'sign_off' : 'signature',
    id,
    manifestation: JSON.parse(row.manifestation) as unknown,
    chain: { installationId: await installationId(db), event: chainedFields(event, instance), eventHash: event.hash },
    signedHead: {
      sequence: event.sequence,
      headHash: checkpoint?.head_hash ?? '',
      keyFingerprint: checkpoint?.key_fingerprint ?? '',
      signature: checkpoint?.signature ?? '',
    },
    issuedAt: now.toISOString(),
  }
}

/** A receipt from the text of its file; anything else is named as a problem. */
export function parseReceipt(text: string): { receipt: Receipt | null; problems: string[] } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return { receipt: null, problems: [`the receipt is not JSON (${(error as Error).message})`] }
  }
  const r = parsed as Partial<Receipt> | null
  const problems: string[] = []
  if (!r || typeof r !== 'object') return { receipt: null, problems: ['the receipt is not a JSON object'] }
  if (r.kind !== RECEIPT_KIND) problems.push(`kind: ${JSON.stringify(r.kind)} is not ${RECEIPT_KIND}`)
  if (r.table !== 'sign_off' && r.table !== 'signature')
    problems.push(`table: ${JSON.stringify(r.table)} is neither sign_off nor signature`)
  if (typeof r.id !== 'string') problems.push('id: missing')
  if (!r.chain || typeof r.chain !== 'object' || !r.chain.event || typeof r.chain.event !== 'object') problems.push('chain: missing')
  if (!r.signedHead || typeof r.signedHead !== 'object') problems.push('signedHead: missing')
  return problems.length ? { receipt: null, problems } : { receipt: r as Receipt, problems }
}

/**
 * The receipt on its own, with the public key: its id is the hash of its
 * manifestation, the event it names carries that id and hashes to the head, and
 * the head is signed by this key.
 */
export function checkReceiptOffline(receipt: Receipt, key: SigningKey): ReceiptCheck {
  const problems: string[] = []
  let hash = ''
  try {
    hash =
      receipt.table === 'sign_off'
        ? manifestationHash(receipt.manifestation as never)
        : actManifestationHash(receipt.manifestation as never)
  } catch {
    problems.push('manifestation: cannot be put in canonical form')
  }
  const kind = (receipt.manifestation as { kind?: unknown } | null)?.kind
  const expectedKind = receipt.table === 'sign_off' ? 'hecla-attest/sign-off/v1' : 'hecla-attest/signature/v1'
  if (kind !== expectedKind) problems.push(`manifestation.kind: ${JSON.stringify(kind)} is not ${expectedKind}`)
  if (hash && hash !== receipt.id)
    problems.push(`manifestation: its sha-256 is ${hash}, not the receipt's id ${String(receipt.id)} (it was changed)`)
  const event = receipt.chain.event
  const signatureId = (event.event as { signatureId?: unknown } | null)?.signatureId
  if (signatureId !== receipt.id)
    problems.push(`chain.event.event.signatureId: ${JSON.stringify(signatureId)} is not the receipt's id ${String(receipt.id)}`)
  let recomputed = ''
  try {
    recomputed = eventHash(event)
  } catch {
    problems.push('chain.event: cannot be put in canonical form')
  }
  if (recomputed && recomputed !== receipt.chain.eventHash)
    problems.push(`chain.event: its hash is ${recomputed}, not chain.eventHash ${String(receipt.chain.eventHash)} (it was changed)`)
  if (receipt.chain.eventHash !== receipt.signedHead.headHash) problems.push('signedHead.headHash: is not chain.eventHash')
  if (event.sequence !== receipt.signedHead.sequence) problems.push('signedHead.sequence: is not chain.event.sequence')
  if (receipt.signedHead.keyFingerprint !== key.fingerprint)
    problems.push(`signedHead.keyFingerprint: ${String(receipt.signedHead.keyFingerprint)} is not this key's (${key.fingerprint})`)
  const claim = {
    installationId: receipt.chain.installationId,
    sequence: receipt.signedHead.sequence,
    headHash: receipt.signedHead.headHash,
  }
  if (!verifyCheckpoint(key, claim, String(receipt.signedHead.signature)))
    problems.push(`signedHead.signature: does not verify with the key at ${key.keyPath}`)
  return { ok: problems.length === 0, problems }
}

/**
 * The receipt against a database file: everything checkReceiptOffline checks, and
 * the record still holds exactly this sign-off — the row with its id and this
 * manifestation, the event at its sequence with these fields and this hash, and
 * the same signed checkpoint.
 */
export function checkReceiptAgainstDatabase(receipt: Receipt, key: SigningKey, file: string): ReceiptCheck {
  const problems = [...checkReceiptOffline(receipt, key).problems]
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true })
  try {
    const install = (sqlite.prepare('SELECT installation_id FROM record_meta').get() as { installation_id: string } | undefined)
      ?.installation_id
    if (install !== receipt.chain.installationId)
      problems.push(`chain.installationId: ${String(receipt.chain.installationId)} is not this record's (${String(install)})`)
    const table = receipt.table === 'sign_off' ? 'sign_off' : 'signature'
    const row = sqlite.prepare(`SELECT manifestation, workflow_sequence FROM ${table} WHERE id = ?`).get(receipt.id) as
      { manifestation: string; workflow_sequence: number } | undefined
    if (!row) problems.push(`${table} ${String(receipt.id)}: the record holds no such row`)
    else {
      let mine = ''
      try {
        mine = canonicalJson(receipt.manifestation)
      } catch {
        mine = ''
      }
      if (row.manifestation !== mine) problems.push(`${table} ${receipt.id}: the record's manifestation is not the receipt's`)
      if (row.workflow_sequence !== receipt.chain.event.sequence)
        problems.push(`${table} ${receipt.id}: the record binds it to event ${row.workflow_sequence}, not ${receipt.chain.event.sequence}`)
    }
    const event = sqlite.prepare('SELECT * FROM workflow_event WHERE sequence = ?').get(receipt.chain.event.sequence) as
      EventRow | undefined
    if (!event) problems.push(`workflow_event ${receipt.chain.event.sequence}: the record does not hold it`)
    else {
      const instance = sqlite.prepare('SELECT * FROM workflow_instance WHERE id = ?').get(event.instance_id) as InstanceRow | undefined
      if (event.hash !== receipt.chain.eventHash)
        problems.push(`workflow_event ${event.sequence}: its hash in the record is not the receipt's chain.eventHash`)
      if (!instance || canonicalJson(chainedFields(event, instance)) !== canonicalJson(receipt.chain.event))
        problems.push(`workflow_event ${event.sequence}: the record's event is not the one in the receipt`)
      else if (eventHash(chainedFields(event, instance)) !== event.hash)
        problems.push(`workflow_event ${event.sequence}: its content in the record does not match its hash`)
    }
    const checkpoint = sqlite
      .prepare('SELECT head_hash, signature FROM chain_checkpoint WHERE sequence = ?')
      .get(receipt.signedHead.sequence) as { head_hash: string; signature: string } | undefined
    if (!checkpoint || checkpoint.head_hash !== receipt.signedHead.headHash)
      problems.push(`chain_checkpoint ${receipt.signedHead.sequence}: the record's signed head is not the receipt's`)
  } finally {
    sqlite.close()
  }
  return { ok: problems.length === 0, problems }
}
