import { createHash } from 'node:crypto'
import { canonicalJson } from './canonical-json'
import type { DB } from './client'
import type { SignatureAct, SignatureCapacity } from './schema'

// What an electronic signature manifests (21 CFR 11.50 is the model records
// auditors know: printed name, date and time, meaning), plus exactly what was
// signed. The sign-off's id is the sha-256 of this, and the duty.sign event in
// the hash chain carries that id.

export const MEANINGS = {
  attested_no_exceptions: 'Attested — no exceptions',
  attested_with_exception: 'Attested with exception',
} as const
export type Meaning = keyof typeof MEANINGS

export interface Manifestation {
  kind: 'hecla-attest/sign-off/v1'
  company: { name: string; ticker: string }
  report: { id: string; form: string; fiscalYear: number; fiscalQuarter: number | null; periodEnd: string }
  draft: { id: string; version: number; sha256: string } | null
  duty: { number: number; title: string; text: string }
  officer: { userId: string; role: string; printedName: string; title: string }
  meaning: Meaning
  meaningText: string
  exception: { explanation: string; caseId: string } | null
  /** The answers and evidence recorded in the duty's workflow when it was signed. */
  answers: unknown
  signedAt: string
  signedAtLocal: string
  timeZone: string
}

export function meaningText(meaning: Meaning, exception: { explanation: string } | null): string {
  return meaning === 'attested_with_exception' && exception
    ? `${MEANINGS.attested_with_exception}: ${exception.explanation}`
    : MEANINGS[meaning]
}

/** The instant in the company's own zone, with the zone's abbreviation, e.g. "February 12, 2013, 2:00:00 AM PST". */
export function formatLocal(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeStyle: 'long', timeZone }).format(instant)
}

export function manifestationHash(manifestation: Manifestation): string {
  return createHash('sha256').update(canonicalJson(manifestation)).digest('hex')
}

export interface ManifestationFacts {
  company: { name: string; ticker: string; timeZone: string }
  report: { id: string; form: string; fiscalYear: number; fiscalQuarter: number | null; periodEnd: string }
  draft: { id: string; version: number; sha256: string } | null
  duty: { number: number; title: string; text: string }
  officer: { userId: string; role: string; printedName: string; title: string }
  /** The duty workflow's answers and exception as they stand at signing. */
  answers: unknown
  exception: { explanation: string; caseId: string } | null
  at: Date
}

/**
 * The one builder of what a signature manifests: the duty page shows exactly this
 * before the officer signs, and signing hashes exactly this, so the preview can
 * never say something other than what is signed.
 */
export function buildManifestation(facts: ManifestationFacts): Manifestation {
  const meaning: Meaning = facts.exception ? 'attested_with_exception' : 'attested_no_exceptions'
  return {
    kind: 'hecla-attest/sign-off/v1',
    company: { name: facts.company.name, ticker: facts.company.ticker },
    report: facts.report,
    draft: facts.draft ? { id: facts.draft.id, version: facts.draft.version, sha256: facts.draft.sha256 } : null,
    duty: facts.duty,
    officer: facts.officer,
    meaning,
    meaningText: meaningText(meaning, facts.exception),
    exception: facts.exception ? { explanation: facts.exception.explanation, caseId: facts.exception.caseId } : null,
    answers: facts.answers,
    signedAt: facts.at.toISOString(),
    signedAtLocal: formatLocal(facts.at, facts.company.timeZone),
    timeZone: facts.company.timeZone,
  }
}

// ── Signatures of acts (migration 007): a committee's step, an approval for
// filing, a director's signature of a Board determination. Same manifestation
// discipline as a duty's sign-off: what the page shows before signing is what is
// hashed, and the event that records the act carries the hash.

export const ACT_MEANINGS = {
  disclosure_committee_approval: 'Approved the report',
  audit_committee_review: 'Reviewed the report',
  approval_for_filing: 'Approved the report for filing with the SEC',
  board_determination: 'Signed the Board’s determination',
} as const satisfies Record<SignatureAct, string>

export const CAPACITY_WORDS = {
  disclosure_committee: 'for the Disclosure Committee',
  audit_committee: 'for the Audit Committee',
  ceo: 'as Chief Executive Officer',
  cfo: 'as Chief Financial Officer',
  board: 'as a director, for the Board of Directors',
} as const satisfies Record<SignatureCapacity, string>

export interface ActManifestation {
  kind: 'hecla-attest/signature/v1'
  company: { name: string; ticker: string }
  act: SignatureAct
  capacity: SignatureCapacity
  /** The report acted on, with the draft it stood on; null for an act on no report. */
  report: { id: string; form: string; fiscalYear: number; fiscalQuarter: number | null; periodEnd: string } | null
  draft: { id: string; version: number; sha256: string } | null
  /** What else the act is about, e.g. { determinationId, caseId, violation, actions }; plain JSON. */
  subject: unknown
  signer: { userId: string; printedName: string; title: string }
  meaningText: string
  /** The signer's written note, as signed. */
  note: string | null
  signedAt: string
  signedAtLocal: string
  timeZone: string
}

export interface ActManifestationFacts {
  company: { name: string; ticker: string; timeZone: string }
  act: SignatureAct
  capacity: SignatureCapacity
  report: ActManifestation['report']
  draft: ActManifestation['draft']
  subject?: unknown
  signer: ActManifestation['signer']
  note: string | null
  at: Date
}

/** The one builder of an act's manifestation (the preview and the signature). */
export function buildActManifestation(facts: ActManifestationFacts): ActManifestation {
  return {
    kind: 'hecla-attest/signature/v1',
    company: { name: facts.company.name, ticker: facts.company.ticker },
    act: facts.act,
    capacity: facts.capacity,
    report: facts.report,
    draft: facts.draft ? { id: facts.draft.id, version: facts.draft.version, sha256: facts.draft.sha256 } : null,
    subject: facts.subject ?? null,
    signer: facts.signer,
    meaningText: `${ACT_MEANINGS[facts.act]}, ${CAPACITY_WORDS[facts.capacity]}`,
    note: facts.note,
    signedAt: facts.at.toISOString(),
    signedAtLocal: formatLocal(facts.at, facts.company.timeZone),
    timeZone: facts.company.timeZone,
  }
}

export function actManifestationHash(manifestation: ActManifestation): string {
  return createHash('sha256').update(canonicalJson(manifestation)).digest('hex')
}

/**
 * The signature row of an act, written in the same transaction as the event that
 * carries its hash (`bound.workflowSequence`): hash first with `actManifestationHash`, put
 * the hash in the event, append it, then call this with the appended sequence.
 */
export async function insertSignature(
  trx: DB,
  manifestation: ActManifestation,
  bound: { workflowInstanceId: string; workflowSequence: number },
): Promise<string> {
  const id = actManifestationHash(manifestation)
  await trx
    .insertInto('signature')
    .values({
      id,
      act: manifestation.act,
      capacity: manifestation.capacity,
      report_id: manifestation.report?.id ?? null,
      signer_user_id: manifestation.signer.userId,
      meaning_text: manifestation.meaningText,
      note: manifestation.note,
      printed_name: manifestation.signer.printedName,
      title: manifestation.signer.title,
      signed_at: manifestation.signedAt,
      signed_at_local: manifestation.signedAtLocal,
      time_zone: manifestation.timeZone,
      manifestation: canonicalJson(manifestation),
      workflow_instance_id: bound.workflowInstanceId,
      workflow_sequence: bound.workflowSequence,
    })
    .execute()
  return id
}
