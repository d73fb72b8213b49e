import type { BoardAction, DeterminationDecision, DeterminationFactors } from './board-determination'
import type { SEVERITY_LEVELS } from './board-determination'

// The words of duty 5 of the Code of Ethics, for the Board's page, the written
// notice and its PDF: each action and each factor as the code names them
// ("… and shall include written notices to the individual involved that the
// Board has determined that there has been a violation, censure by the Board,
// demotion or re-assignment of the individual involved, suspension with or
// without pay or benefits (as determined by the Board) and termination of the
// individual's employment. … the nature and severity of the violation, whether
// the violation was a single occurrence or repeated occurrences, whether the
// violation appears to have been intentional or inadvertent, whether the
// individual in question had been advised prior to the violation as to the
// proper course of action and whether or not the individual in question had
// committed other violations in the past"). Pure: no dependencies.

export const BOARD_ACTION_WORDS: Readonly<Record<BoardAction, string>> = {
  written_notice_of_violation: 'Written notice to the individual involved that the Board has determined that there has been a violation',
  censure: 'Censure by the Board',
  demotion_or_reassignment: 'Demotion or re-assignment of the individual involved',
  suspension: 'Suspension with or without pay or benefits (as determined by the Board)',
  termination: 'Termination of the individual’s employment',
}

export const FACTOR_WORDS = {
  natureAndSeverity: 'The nature and severity of the violation',
  occurrence: 'Whether the violation was a single occurrence or repeated occurrences',
  intent: 'Whether the violation appears to have been intentional or inadvertent',
  advisedBeforehand: 'Whether the individual in question had been advised prior to the violation as to the proper course of action',
  priorViolations: 'Whether or not the individual in question had committed other violations in the past',
  otherRelevantInformation: 'All other relevant information',
} as const

export const SEVERITY_WORDS: Readonly<Record<(typeof SEVERITY_LEVELS)[number], string>> = {
  minor: 'Minor',
  moderate: 'Moderate',
  serious: 'Serious',
  severe: 'Severe',
}

export const OCCURRENCE_WORDS: Readonly<Record<DeterminationFactors['occurrence'], string>> = {
  single: 'A single occurrence',
  repeated: 'Repeated occurrences',
}

export const INTENT_WORDS: Readonly<Record<DeterminationFactors['intent'], string>> = {
  intentional: 'Appears to have been intentional',
  inadvertent: 'Appears to have been inadvertent',
}

export const DECIDED_BY_WORDS: Readonly<Record<DeterminationDecision['decidedBy'], string>> = {
  board: 'The Board of Directors',
  board_designee: 'Persons the Board of Directors designated to determine it',
}

/** One action as the notice states it: a suspension says whether with pay and with benefits. */
export function actionWords(action: BoardAction, suspension?: { withPay: boolean; withBenefits: boolean }): string {
  if (action !== 'suspension' || !suspension) return BOARD_ACTION_WORDS[action]
  return `Suspension ${suspension.withPay ? 'with' : 'without'} pay and ${suspension.withBenefits ? 'with' : 'without'} benefits (as determined by the Board)`
}

/** The actions of a decision in the order the code lists them, in its words. */
export function decisionActionWords(decision: DeterminationDecision): string[] {
  return decision.violation ? decision.actions.map((a) => actionWords(a, decision.suspension)) : []
}

/** The determination in one sentence, as the notice opens. */
export function determinationWords(decision: DeterminationDecision): string {
  return decision.violation
    ? 'The Board of Directors has determined that there has been a violation.'
    : 'The Board of Directors has determined that there has been no violation.'
}
