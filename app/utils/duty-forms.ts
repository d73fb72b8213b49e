import type { CaseDuty } from '../../machines/case'
import type { DutyAnswersFor, MEETING_GROUPS } from '../../machines/duty-answers'
import type { DutyAction } from '../../machines/duty-review'

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

/**
 * A form's intent is one of the officer's actions on the duty workflow, as
 * machines/duty-review.ts DUTY_ACTIONS lists them (written out here so the
 * page's browser code does not load the machine; tests/app/duty-forms.test.ts
 * checks that the lists agree).
 */
export const INTENTS = ['start', 'answer', 'raiseException', 'confirm', 'sign', 'withdraw'] as const satisfies readonly DutyAction[]
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

// The duty an exception's case is raised under is the machines' rule:
// machines/duty-answers.ts exceptionCaseDuties.
/** What a case under each duty is about, in a few words. */
export const CASE_DUTY_WORDS: Record<CaseDuty, string> = {
  1: 'material information',
  2: 'control deficiencies or fraud',
  3: 'Code violations, conflicts of interest',
  4: 'violations of law or of the codes',
}

export const CASE_DUTY_LABELS: Record<CaseDuty, string> = {
  1: `Duty 1 — ${CASE_DUTY_WORDS[1]}`,
  2: `Duty 2 — ${CASE_DUTY_WORDS[2]}`,
  3: `Duty 3 — ${CASE_DUTY_WORDS[3]}`,
  4: `Duty 4 — ${CASE_DUTY_WORDS[4]}`,
}

/** Where a case raised under each duty goes (machines/routing.ts, from the seed's duties 1–4). */
export const CASE_DUTY_GOES_TO: Record<CaseDuty, string> = {
  1: 'the Disclosure Committee',
  2: 'the Disclosure Committee and the Audit Committee',
  3: 'the Chairman of the Board or the CEO, and the Audit Committee',
  4: 'the Chairman of the Board or the CEO, and the Audit Committee',
}

/**
 * The duty 1 items already raised as a case, by item id: such an item is cited
 * as that case, never raised a second time (machines/case.ts `itemId`).
 */
export function casesByItem(cases: ReadonlyArray<{ caseId: string; itemId?: string | null }>): Map<string, string> {
  const byItem = new Map<string, string>()
  for (const c of cases) if (c.itemId && !byItem.has(c.itemId)) byItem.set(c.itemId, c.caseId)
  return byItem
}

export function fieldValue(values: FieldValues | undefined, name: string): string {
  const v = values?.[name]
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '')
}

export function fieldHas(values: FieldValues | undefined, name: string, value: string): boolean {
  const v = values?.[name]
  return Array.isArray(v) ? v.includes(value) : v === value
}
