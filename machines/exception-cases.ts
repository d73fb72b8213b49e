import type { CaseDuty } from './case'
import type { DutyNumber } from './duties'

// Which duty an exception's case is raised under. Pure data with no
// dependencies, so the pages' browser code can load it without the machines.

/**
 * The duties under which the case of an exception on duty `dutyNumber` may have
 * been raised, the first being the one a new case is raised under. An exception
 * is a matter brought "to the attention of" the duty's bodies, so its case is one
 * of duties 1–4, routed by machines/routing.ts:
 * - duties 1–4: a matter under the duty itself;
 * - duty 5 ("violations of the Code of Business Conduct and Ethics or of these
 *   additional procedures"): duty 4 ("violation of the Code of Business Conduct
 *   and Ethics or of these additional procedures") or duty 3 ("any violation of
 *   the Company's Code of Business Conduct and Ethics");
 * - duties 7, 8, 9 (systems, records, controls not established or not operating)
 *   and 11 (a weakness the Audit Committee identified): duty 2 (a), "significant
 *   deficiencies in the design or operation of internal controls", which goes to
 *   the Disclosure Committee and the Audit Committee;
 * - duties 6, 10, 12 (the draft not accurate or complete, comments on it, an
 *   auditor's MD&A concern): duty 1, "material information … that affects the
 *   disclosures", or duty 2 when it stems from a control deficiency or fraud.
 */
export const EXCEPTION_CASE_DUTIES: Readonly<Record<DutyNumber, readonly CaseDuty[]>> = {
  1: [1],
  2: [2],
  3: [3],
  4: [4],
  5: [4, 3],
  6: [1, 2],
  7: [2],
  8: [2],
  9: [2],
  10: [1, 2],
  11: [2],
  12: [1, 2],
}

/** The duties an exception's case on this duty may be raised under (EXCEPTION_CASE_DUTIES). */
export function exceptionCaseDuties(dutyNumber: DutyNumber): readonly CaseDuty[] {
  return EXCEPTION_CASE_DUTIES[dutyNumber]
}

/** The duty a new case for an exception on this duty is raised under, e.g. 2 for duties 7–9. */
export function exceptionCaseDutyFor(dutyNumber: DutyNumber): CaseDuty {
  return EXCEPTION_CASE_DUTIES[dutyNumber][0]!
}

/** Whether a case raised under `caseDuty` may carry an exception on `dutyNumber`: what `duty.raiseException` must be checked against. */
export function isExceptionCaseDuty(dutyNumber: DutyNumber, caseDuty: number): boolean {
  return (EXCEPTION_CASE_DUTIES[dutyNumber] as readonly number[]).includes(caseDuty)
}
