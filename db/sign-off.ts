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
