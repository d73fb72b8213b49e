import type { BoardAction, BoardDeterminationContext } from './board-determination'

// Duty 5's fifth factor, "whether or not the individual in question had
// committed other violations in the past", found from the record rather than
// typed: the Board's earlier determinations that a violation occurred, about the
// same person, decided before the matter now weighed. Pure: the caller passes
// the determinations it read (their trusted snapshots' contexts).

export interface PriorViolation {
  caseId: string
  decidedAt: string
  actions: BoardAction[]
  rationale: string
}

type DeterminationLike = Pick<BoardDeterminationContext, 'caseId' | 'subject' | 'decision'>

/**
 * The violations the Board determined earlier about `subjectUserId`, oldest
 * first: never the matter itself, never a determination of no violation, never
 * one decided at or after `before` (an ISO instant: when the matter now weighed
 * was referred), never one about someone else.
 */
export function priorViolationsOf(
  subjectUserId: string,
  determinations: readonly DeterminationLike[],
  current: { caseId: string; before: string },
): PriorViolation[] {
  const found: PriorViolation[] = []
  for (const d of determinations) {
    if (d.caseId === current.caseId || d.subject.userId !== subjectUserId) continue
    const decision = d.decision
    if (!decision || !decision.violation) continue
    if (Date.parse(decision.decidedAt) >= Date.parse(current.before)) continue
    found.push({ caseId: d.caseId, decidedAt: decision.decidedAt, actions: [...decision.actions], rationale: decision.rationale })
  }
  return found.sort((a, b) => Date.parse(a.decidedAt) - Date.parse(b.decidedAt))
}
