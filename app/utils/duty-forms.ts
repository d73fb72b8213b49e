import type { DutyNumber } from '../../machines/duties'
import type { DutyAnswersFor, MEETING_GROUPS } from '../../machines/duty-answers'

// The vocabulary the duty forms and their server-side parsing share: field
// names, fixed row counts, and the words shown for each choice. Plain module
// (no server code) so the page components can import it.

/** What a form posted, kept to redisplay it after a refusal (never the password). */
export type FieldValues = Record<string, string | string[]>
export type FieldErrors = Record<string, string>

/** The limit of machines/primitives.ts `writtenTextSchema`, shown in the fields. */
export const TEXT_MAX = 20_000
export const ID_MAX = 200

// Fixed rows keep the forms working without JavaScript; empty rows are ignored.
export const MATTER_ROWS = 3
export const ATTENDEE_ROWS = 6
export const COMMENT_ROWS = 3

export const INTENTS = ['start', 'answer', 'raiseException', 'confirm', 'sign', 'withdraw'] as const
export type Intent = (typeof INTENTS)[number]

type MeetingGroup = (typeof MEETING_GROUPS)[number]
// Duty 10 names "senior management, division heads, accounting staff and others".
export const MEETING_GROUP_LABELS: Record<MeetingGroup, string> = {
  senior_management: 'Senior management',
  division_head: 'Division head',
  accounting_staff: 'Accounting staff',
  other: 'Other, involved in the disclosure process',
}

type CategoryOf<N extends 2 | 3 | 4> = DutyAnswersFor<N>['items'][number]['category']
export const MATTER_CATEGORIES: { 2: Record<CategoryOf<2>, string>; 3: Record<CategoryOf<3>, string>; 4: Record<CategoryOf<4>, string> } = {
  // Duty 2 (a) and (b).
  2: {
    significant_deficiency: 'Significant deficiency in the design or operation of internal controls',
    fraud: 'Fraud involving management or employees with a significant role in financial reporting',
  },
  // Duty 3: "any violation … including any actual or apparent conflicts of interest".
  3: {
    code_violation: 'Violation of the Code of Business Conduct and Ethics',
    conflict_of_interest: 'Actual or apparent conflict of interest',
  },
  // Duty 4: laws, rules and regulations, or the codes.
  4: {
    securities_law_violation: 'Material violation of the securities laws, rules or regulations',
    other_law_violation: 'Material violation of other laws, rules or regulations',
    code_violation: 'Violation of the Code of Business Conduct and Ethics',
    procedures_violation: 'Violation of these additional procedures (the Code of Ethics)',
  },
}

export const AUDITOR_PARTIES = [
  { key: 'internalAuditor', prefix: 'internal', label: "The Company's internal auditor" },
  { key: 'independentAuditors', prefix: 'independent', label: 'The independent auditors' },
] as const

/**
 * The duty under which an exception's new case is raised, by default: a draft
 * found inaccurate or an MD&A concern is material information (duty 1); a
 * control not operating or a weakness is a control deficiency (duty 2); the
 * Board's duty 5 is about violations of the codes (duty 4). The officer may
 * choose another.
 */
export const EXCEPTION_CASE_DUTY: Record<DutyNumber, 1 | 2 | 3 | 4> = {
  1: 1,
  2: 2,
  3: 3,
  4: 4,
  5: 4,
  6: 1,
  7: 2,
  8: 2,
  9: 2,
  10: 1,
  11: 2,
  12: 1,
}

export const CASE_DUTY_LABELS: Record<1 | 2 | 3 | 4, string> = {
  1: 'Duty 1 — material information',
  2: 'Duty 2 — control deficiencies or fraud',
  3: 'Duty 3 — Code violations, conflicts of interest',
  4: 'Duty 4 — violations of law or of the codes',
}

export function fieldValue(values: FieldValues | undefined, name: string): string {
  const v = values?.[name]
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '')
}

export function fieldHas(values: FieldValues | undefined, name: string, value: string): boolean {
  const v = values?.[name]
  return Array.isArray(v) ? v.includes(value) : v === value
}
