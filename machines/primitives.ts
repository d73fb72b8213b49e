import { z } from 'zod'

// Small value schemas every machine shares. Machines get time only from events
// (no clock), so every timestamp is checked here once: ISO-8601, UTC ("Z").

/** A SHA-256 digest, lower-case hex as node:crypto's `digest('hex')` writes it, so equal drafts compare equal as strings. */
export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest: 64 lower-case hex characters')

/** An instant, ISO-8601 in UTC, e.g. 2012-11-19T14:30:00Z. */
export const utcInstantSchema = z.iso.datetime({ offset: false, local: false })

/** A calendar day, e.g. 2012-11-19. */
export const calendarDateSchema = z.iso.date()

// U+0000 is no character anyone writes, and C-string APIs (SQLite's text
// functions, exports, most viewers) end the text there: what is shown or printed
// would be less than what was signed. Refused rather than stripped, so what is
// stored is what was written. Version 1 machines accepted it (v1/primitives.ts).
const NO_NUL = 'must not contain the NUL character (U+0000)'
const hasNoNul = (s: string) => !s.includes('\u0000')

/** Text that may be left empty (e.g. duty 6's comments on an accurate draft): no NUL, at most 20,000 characters. */
export const optionalTextSchema = z.string().max(20_000).refine(hasNoNul, NO_NUL)

/** Written text that says something: blank strings and NUL are refused, nothing is trimmed (stored as written). */
export const writtenTextSchema = optionalTextSchema.regex(/\S/, 'must not be blank')

export const idSchema = z.string().min(1).max(200).regex(/\S/, 'must not be blank').refine(hasNoNul, NO_NUL)
export const caseIdSchema = idSchema
export const userIdSchema = idSchema

/** The state as a dotted path, e.g. `answered.exceptionRaised`, from a live or a persisted snapshot. */
export function statePath(value: unknown): string {
  if (typeof value === 'string') return value
  if (!value || typeof value !== 'object') return ''
  const entries = Object.entries(value)
  if (entries.length !== 1) return entries.map(([k, v]) => `${k}.${statePath(v)}`).join(' + ')
  const [key, child] = entries[0]!
  const rest = statePath(child)
  return rest ? `${key}.${rest}` : key
}
