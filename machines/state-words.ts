import { DETERMINATION_STATE_LABELS } from './board-determination'
import { caseStateWords } from './case'
import { dutyStateLabel } from './duty-review'
import { statePath } from './primitives'
import { reportStateLabel } from './report-lifecycle'

// The one table of a workflow's state in words, by machine, for every page that
// says where a workflow stood (the timeline's "from → to", the CSV): no page shows
// a state's code name. Each machine's own labels stay beside it; this only picks
// the right one, and spells out the two committees inside "Committee review".

const COMMITTEE_WORDS: Readonly<Record<string, string>> = {
  'disclosureCommittee.awaitingApproval': 'the Disclosure Committee to approve',
  'disclosureCommittee.approved': 'approved by the Disclosure Committee',
  'auditCommittee.awaitingReview': 'the Audit Committee to review',
  'auditCommittee.reviewed': 'reviewed by the Audit Committee',
}

function reportWords(value: unknown): string {
  const label = reportStateLabel(value)
  const regions = (value as { committeeReview?: Record<string, unknown> } | null)?.committeeReview
  if (!regions || typeof regions !== 'object') return label
  const parts = Object.entries(regions).map(([region, sub]) => COMMITTEE_WORDS[`${region}.${statePath(sub)}`] ?? region)
  return `${label} (${parts.join('; ')})`
}

const capitalised = (words: string) => words.charAt(0).toUpperCase() + words.slice(1)

const BY_MACHINE: Readonly<Record<string, (value: unknown) => string>> = {
  'duty-review': dutyStateLabel,
  'report-lifecycle': reportWords,
  case: (value) => capitalised(caseStateWords(value)),
  'board-determination': (value) => DETERMINATION_STATE_LABELS[statePath(value)] ?? statePath(value),
  'kept-rows': () => 'Binding its rows to the record',
}

/** A workflow's state in words, from its machine's id and a state value (live or as stored). */
export function stateWords(machineId: string, value: unknown): string {
  const words = BY_MACHINE[machineId]
  return words ? words(value) : statePath(value)
}

/** "From → to" in words: the state before an event and the state it led to. */
export function stateChangeWords(machineId: string, before: unknown, after: unknown): { before: string; after: string } {
  return { before: stateWords(machineId, before), after: stateWords(machineId, after) }
}
