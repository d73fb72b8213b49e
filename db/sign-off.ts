import { createHash } from 'node:crypto'
import { canonicalJson } from './canonical-json'

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
