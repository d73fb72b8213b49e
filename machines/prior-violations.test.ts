import { expect, test } from 'vitest'
import type { BoardDeterminationContext } from './board-determination'
import { priorViolationsOf } from './prior-violations'

// Determinations written as the record stores their contexts; only those that
// found a violation by the same person, decided before the matter now weighed, count.

type D = Pick<BoardDeterminationContext, 'caseId' | 'subject' | 'decision'>
const CAO = { kind: 'officer', role: 'cao', userId: 'user-cao' } as const
const CFO = { kind: 'officer', role: 'cfo', userId: 'user-cfo' } as const

const violation = (caseId: string, subject: D['subject'], decidedAt: string): D => ({
  caseId,
  subject,
  decision: { violation: true, decidedBy: 'board', rationale: `Rationale of ${caseId}.`, actions: ['censure'], decidedAt },
})

const DETERMINATIONS: D[] = [
  violation('case-2010-late-disclosure', CAO, '2010-05-04T15:00:00Z'),
  violation('case-2008-gift', CAO, '2008-09-10T15:00:00Z'),
  {
    caseId: 'case-2009-cleared',
    subject: CAO,
    decision: { violation: false, decidedBy: 'board', rationale: 'None.', decidedAt: '2009-03-01T15:00:00Z' },
  },
  { caseId: 'case-2012-pending', subject: CAO, decision: null },
  violation('case-2011-other-person', CFO, '2011-01-01T15:00:00Z'),
  violation('case-2013-later', CAO, '2013-06-01T15:00:00Z'),
  violation('case-2012-now', CAO, '2012-11-01T15:00:00Z'),
]

test('the same person’s earlier violations, oldest first; not the matter itself, not a cleared or pending one, not a later one, not another person’s', () => {
  const found = priorViolationsOf('user-cao', DETERMINATIONS, { caseId: 'case-2012-now', before: '2012-12-01T00:00:00Z' })
  expect(found).toEqual([
    { caseId: 'case-2008-gift', decidedAt: '2008-09-10T15:00:00Z', actions: ['censure'], rationale: 'Rationale of case-2008-gift.' },
    {
      caseId: 'case-2010-late-disclosure',
      decidedAt: '2010-05-04T15:00:00Z',
      actions: ['censure'],
      rationale: 'Rationale of case-2010-late-disclosure.',
    },
  ])
})

test('someone with no violation on record has none; a decision at the very instant of referral is not prior', () => {
  expect(priorViolationsOf('user-ceo', DETERMINATIONS, { caseId: 'case-x', before: '2030-01-01T00:00:00Z' })).toEqual([])
  expect(priorViolationsOf('user-cfo', DETERMINATIONS, { caseId: 'case-x', before: '2011-01-01T15:00:00Z' }).map((v) => v.caseId)).toEqual(
    [],
  )
  expect(priorViolationsOf('user-cfo', DETERMINATIONS, { caseId: 'case-x', before: '2011-01-01T15:00:01Z' }).map((v) => v.caseId)).toEqual([
    'case-2011-other-person',
  ])
})
