import type { AnyStateMachine } from 'xstate'
import { expect, test } from 'vitest'
import { statePath } from './primitives'
import { knownMachineVersions } from './registry'
import { stateWords } from './state-words'

// Every state value of every machine the record can replay (current and retired
// versions) has words of its own: no page falls back to a code name.

type StateNodeLike = { key: string; type: string; states: Record<string, StateNodeLike> }

/** Every state value a node's children can take (a parallel node: one of each region at once). */
function valuesOf(node: StateNodeLike): unknown[] {
  const children = Object.values(node.states)
  const of = (child: StateNodeLike): unknown[] =>
    child.type === 'atomic' || child.type === 'final' ? [child.key] : valuesOf(child).map((v) => ({ [child.key]: v }))
  if (node.type !== 'parallel') return children.flatMap(of)
  return children.reduce<Record<string, unknown>[]>(
    (combos, region) => combos.flatMap((combo) => valuesOf(region).map((v) => ({ ...combo, [region.key]: v }))),
    [{}],
  )
}

test.each(knownMachineVersions().map((m) => [`${m.id} v${m.version}`, m.id, m.machine] as const))(
  '%s: each state value reads in words, never as its code name',
  (_, id, machine: AnyStateMachine) => {
    const values = valuesOf(machine.root as unknown as StateNodeLike)
    // The kept rows' workflow has one state by design (machines/kept-rows.ts); every other machine has several.
    expect(values.length).toBeGreaterThan(id === 'kept-rows' ? 0 : 3)
    for (const value of values) {
      const words = stateWords(id, value)
      expect(words, statePath(value)).toMatch(/^[A-Z]/)
      // camelCase (readyToSign, awaitingApprovalForFiling) is the code's, not the users'.
      expect(words, statePath(value)).not.toMatch(/[a-z][A-Z]/)
    }
  },
)

test('the committees inside committee review are spelt out, and a case reads as its inbox says', () => {
  expect(stateWords('report-lifecycle', { committeeReview: { disclosureCommittee: 'approved', auditCommittee: 'awaitingReview' } })).toBe(
    'Committee review (approved by the Disclosure Committee; the Audit Committee to review)',
  )
  expect(stateWords('duty-review', { answered: { exceptionRaised: 'awaitingAcknowledgement' } })).toBe('Exception raised')
  expect(stateWords('case', 'routed')).toBe('Waiting for acknowledgement')
  expect(stateWords('board-determination', 'noticeGiven')).toBe('Notice given')
})
