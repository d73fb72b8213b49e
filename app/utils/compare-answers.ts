import { canonicalJson } from '../../db/canonical-json'

// Quarter over quarter (issue 10): what changed in an officer's signed answers to
// one duty between two reports. Plain fields compare by value; a list (e.g. the
// material items of duty 1) compares by its entries, so an item raised last
// quarter and absent now shows as removed.

export interface AnswerChange {
  kind: 'changed' | 'added' | 'removed'
  /** Where in the answers, e.g. "items" or "confirmation.noMdaConcerns". */
  path: string
  before: string | null
  after: string | null
}

/**
 * A value as the page shows it: text as written; a list as its entries; a group of
 * fields as "Field: value; …" in the answers' own field names — never JSON, which
 * the audit committee does not read. Yes and no stay "true" and "false" here
 * (valueWords says them at display).
 */
function words(value: unknown): string {
  if (value === null || value === undefined) return 'none'
  if (typeof value === 'string') return value
  if (typeof value !== 'object') return String(value)
  if (Array.isArray(value)) return value.length ? value.map(entryWords).join('; ') : 'none'
  const fields = Object.entries(value as Record<string, unknown>)
  return fields.length ? fields.map(([key, v]) => `${pathWords(key)}: ${valueWords(words(v))}`).join('; ') : 'none'
}

/** A list entry in a few words: its summary or title when it has one, else its fields. */
function entryWords(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>
    for (const key of ['summary', 'title', 'name', 'description']) if (typeof v[key] === 'string') return v[key]
  }
  return words(value)
}

export function compareAnswers(before: unknown, after: unknown, path = ''): AnswerChange[] {
  const at = (key: string) => (path ? `${path}.${key}` : key)
  if (Array.isArray(before) && Array.isArray(after)) {
    const keysBefore = new Map(before.map((v) => [canonicalJson(v), v]))
    const keysAfter = new Map(after.map((v) => [canonicalJson(v), v]))
    return [
      ...[...keysBefore]
        .filter(([k]) => !keysAfter.has(k))
        .map(([, v]): AnswerChange => ({ kind: 'removed', path, before: entryWords(v), after: null })),
      ...[...keysAfter]
        .filter(([k]) => !keysBefore.has(k))
        .map(([, v]): AnswerChange => ({ kind: 'added', path, before: null, after: entryWords(v) })),
    ]
  }
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
    return keys.flatMap((key) => {
      if (!(key in after)) return [{ kind: 'removed' as const, path: at(key), before: words(before[key]), after: null }]
      if (!(key in before)) return [{ kind: 'added' as const, path: at(key), before: null, after: words(after[key]) }]
      return compareAnswers(before[key], after[key], at(key))
    })
  }
  if (canonicalJson(before ?? null) === canonicalJson(after ?? null)) return []
  return [
    {
      kind: 'changed',
      path: path || 'answers',
      before: before === undefined ? null : words(before),
      after: after === undefined ? null : words(after),
    },
  ]
}

const ACRONYMS: Record<string, string> = { mda: 'MD&A', sec: 'SEC', ceo: 'CEO', cfo: 'CFO', cao: 'CAO', sha256: 'SHA-256' }

/**
 * Where a change is, in words for the page: "confirmation.noMdaConcerns" reads
 * "Confirmation, no MD&A concerns" — the answers' own field names, not the code's notation.
 */
export function pathWords(path: string): string {
  const parts = path.split('.').map((part) =>
    part
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/\b([A-Z][a-z]+)\b/g, (w) => w.toLowerCase())
      .replace(/\b(mda|sec|ceo|cfo|cao|sha256)\b/gi, (w) => ACRONYMS[w.toLowerCase()]!),
  )
  const text = parts.join(', ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** A value as a person reads it: yes and no rather than true and false. */
export function valueWords(value: string): string {
  return value === 'true' ? 'yes' : value === 'false' ? 'no' : value
}
