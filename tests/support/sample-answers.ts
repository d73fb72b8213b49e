// Sample answers for each of the twelve duties, in the shapes of
// machines/duty-answers.ts: one factory for the machine tests, the model-based
// paths and the form tests, instead of a copy in each.
import { type DutyNumber, dutyByNumber } from '../../machines/duties'
import type { DutyAnswers, DutyAnswersFor } from '../../machines/duty-answers'

export const DRAFT_A = 'a'.repeat(64)
export const DRAFT_B = 'b'.repeat(64)
export const DRAFT_C = 'c'.repeat(64)

type Base = { [N in DutyNumber]: (draftSha256: string) => DutyAnswersFor<N> }

const confirmation = (confirmedBy: string, documentSha256: string) => ({
  confirmedBy,
  confirmedAt: '2013-02-19T17:00:00.000Z',
  documentSha256,
  noMaterialMisstatements: true as const,
  noMdaConcerns: true,
})

// The answers of an officer who finds nothing to report and nothing wrong.
const BASE: Base = {
  1: () => ({ items: [], noneBeyondReported: true }),
  2: () => ({ items: [], noneBeyondReported: true }),
  3: () => ({ items: [], noneBeyondReported: true }),
  4: () => ({ items: [], noneBeyondReported: true }),
  5: () => ({ acknowledgesBoardDetermination: true }),
  6: (draftSha256) => ({ draftSha256, accurateAndComplete: true, comments: '' }),
  7: () => controls(7),
  8: () => controls(8),
  9: () => controls(9),
  10: (draftSha256) => ({
    draftSha256,
    meetings: [
      {
        heldOn: '2013-02-18',
        attendees: [
          { name: 'Senior vice-president, operations', group: 'senior_management' },
          { name: 'Head, Greens Creek unit', group: 'division_head' },
          { name: 'Corporate controller staff', group: 'accounting_staff' },
        ],
        comments: [],
      },
    ],
  }),
  11: () => ({ consultedOn: '2013-02-19', weaknessesIdentified: false, summary: 'No weaknesses or concerns identified.' }),
  12: (draftSha256) => ({
    draftSha256,
    internalAuditor: confirmation('Internal audit director', draftSha256),
    independentAuditors: confirmation('Independent auditors', draftSha256),
  }),
}

function controls(duty: 7 | 8 | 9) {
  return {
    established: true,
    operatingEffectively: true,
    changesInPeriod: 'none',
    referenceDocument: { title: 'Accounting Policies Manual', identifier: `APM-2012-${duty}` },
  }
}

/**
 * A complete answer to the duty, with nothing adverse, on `overrides.draftSha256`
 * (DRAFT_A by default: duty 12's confirmations follow it); `overrides` replaces
 * whole fields, e.g. `sampleAnswers(7, { operatingEffectively: false })`.
 */
export function sampleAnswers<N extends DutyNumber>(dutyNumber: N, overrides: Partial<DutyAnswersFor<N>> = {}): DutyAnswersFor<N> {
  const draft = 'draftSha256' in overrides && typeof overrides.draftSha256 === 'string' ? overrides.draftSha256 : DRAFT_A
  const base = (BASE[dutyNumber] as (draftSha256: string) => DutyAnswersFor<N>)(draft)
  const merged = { ...base, ...overrides }
  for (const key of Object.keys(merged) as Array<keyof typeof merged>) if (merged[key] === undefined) delete merged[key]
  return merged
}

/**
 * The answers the model-based tests move between: `first` is `sampleAnswers`;
 * `revised` changes something without a finding; `adverse` is a finding that
 * needs an exception (the draft inaccurate, a control not operating, a
 * weakness, an MD&A concern); `notEstablished` is duties 7–9's other finding.
 */
export type AnswerVariant = 'first' | 'revised' | 'adverse' | 'notEstablished'

export function variantAnswers(dutyNumber: DutyNumber, variant: AnswerVariant, draftSha256: string = DRAFT_A): DutyAnswers {
  const n = dutyNumber
  if (variant === 'first') return dutyByNumber(n).boundToDraft ? sampleAnswers(n as 6 | 10 | 12, { draftSha256 }) : sampleAnswers(n)
  const revised = variant === 'revised'
  switch (n) {
    case 1:
      return sampleAnswers(1, {
        items: [
          {
            itemId: 'canamex-2012',
            summary: 'Hecla bought 14,000,000 Canamex shares at $0.18 (about 15%), subject to TSX Venture Exchange approval.',
            caseId: 'case-material-1',
          },
        ],
      })
    case 2:
      return {
        items: [
          { summary: 'Reconciliation control not operating at La Camorra.', caseId: 'case-control-1', category: 'significant_deficiency' },
        ],
      }
    case 3:
      return {
        items: [
          { summary: 'Apparent conflict of interest in a supplier contract.', caseId: 'case-conduct-1', category: 'conflict_of_interest' },
        ],
      }
    case 4:
      return { items: [{ summary: 'Late Form 4 filing.', caseId: 'case-law-1', category: 'securities_law_violation' }] }
    case 5:
      return sampleAnswers(5)
    case 6:
      return revised
        ? sampleAnswers(6, { draftSha256, comments: 'Read twice.' })
        : sampleAnswers(6, { draftSha256, accurateAndComplete: false, comments: 'The gold guidance in MD&A still says 115,000 oz.' })
    case 7:
    case 8:
    case 9:
      if (revised) return sampleAnswers(n, { changesInPeriod: 'Venezuelan subsidiaries sold; their ledgers closed.' })
      if (variant === 'adverse') return sampleAnswers(n, { operatingEffectively: false })
      return sampleAnswers(n, {
        established: false,
        operatingEffectively: false,
        changesInPeriod: 'The reconciliation procedures were never adopted after the merger.',
        referenceDocument: undefined,
      })
    case 10: {
      const first = sampleAnswers(10, { draftSha256 })
      return {
        ...first,
        meetings: first.meetings.map((m) => ({
          ...m,
          comments: [{ text: 'Reserve table footnote unclear.', disposition: 'Footnote rewritten.' }],
        })),
      }
    }
    case 11:
      return revised
        ? sampleAnswers(11, { summary: 'No weaknesses; the committee asked about IT access reviews.' })
        : sampleAnswers(11, { weaknessesIdentified: true, summary: 'Concern over IT access controls.', caseId: 'case-control-2' })
    case 12: {
      const first = sampleAnswers(12, { draftSha256 })
      return { ...first, independentAuditors: { ...first.independentAuditors, noMdaConcerns: revised } }
    }
  }
}

/** The variants that differ from `first` for the duty: what the model offers as a change of answer. */
export function otherVariants(dutyNumber: DutyNumber): AnswerVariant[] {
  switch (dutyNumber) {
    case 1:
    case 2:
    case 3:
    case 4:
      return ['revised']
    case 5:
      return []
    // Both findings of "Establish …"; a revision without a finding is walked for the other duties.
    case 7:
    case 8:
    case 9:
      return ['adverse', 'notEstablished']
    case 6:
      return ['revised', 'adverse']
    case 10:
      return ['revised']
    case 11:
    case 12:
      return ['adverse']
  }
}
