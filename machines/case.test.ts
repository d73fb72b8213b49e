import { describe, expect, test } from 'vitest'
import { AT, LATER, caseModelEvents, caseRandomEvents, checkEverySimplePath, leafStateIds } from '../tests/support/machine-models'
import {
  CASE_MACHINE_VERSION,
  CASE_STATE_WORDS,
  MATTER_KINDS,
  type MatterKind,
  caseInputSchema,
  recipientBodiesOf,
  type CaseEvent,
  type CaseInput,
  caseMachine,
  caseStateWords,
  describeCaseState,
  isFullyAcknowledged,
} from './case'
import { initialSnapshot, replay } from './replay'
import type { Body } from './roles'
import { routeCase } from './routing'

const reporter = { role: 'cfo' as const, userId: 'user-cfo' }
const aboutTheCeo = { kind: 'officer' as const, role: 'ceo' as const, userId: 'user-baker' }
const anEmployee = { kind: 'employee' as const, userId: 'user-employee' }

const input = (duty: CaseInput['duty'], subject: CaseInput['subject'] = anEmployee): CaseInput => ({
  caseId: `case-${duty}`,
  duty,
  subject,
  reporter,
  summary: 'Hecla bought 14,000,000 Canamex shares at $0.18.',
  reportedAt: AT,
})
const route: CaseEvent = { type: 'case.route', at: AT }
const ack = (body: Body): CaseEvent => ({ type: 'case.acknowledge', body, at: LATER })
const at = (i: CaseInput, events: CaseEvent[]) => replay(caseMachine, i, events)

describe('every simple path of the case model replays to the same snapshot', () => {
  for (const duty of [1, 2, 3, 4] as const) {
    for (const [name, subject] of [
      ['an employee', anEmployee],
      ['the CEO', aboutTheCeo],
    ] as const) {
      test(`duty ${duty}, about ${name}`, () => {
        const result = checkEverySimplePath(caseMachine, input(duty, subject), caseModelEvents as never)
        expect(result.failures).toEqual([])
        expect([...result.reached].sort()).toEqual(leafStateIds(caseMachine).sort())
      })
    }
  }
})

test('the machine is named and versioned for the registry', () => {
  expect(caseMachine.id).toBe('case')
  expect(CASE_MACHINE_VERSION).toBe(3)
})

describe('version 3: anyone reports, and the kind of matter decides the duty', () => {
  test.each([
    ['an employee', { kind: 'employee' as const, userId: 'user-employee' }],
    ['a director', { kind: 'director' as const, userId: 'user-director' }],
    ['the anonymous channel', { kind: 'anonymous' as const }],
  ])('a matter reported by %s is taken and routed', (_name, anyone) => {
    const snapshot = at({ ...input(3, aboutTheCeo), reporter: anyone, matterKind: 'code_violation' }, [route])
    expect(snapshot.value).toBe('routed')
    expect(snapshot.context.reporter).toEqual(anyone)
  })

  test('an anonymous matter goes to the Audit Committee alone, whatever its duty', () => {
    for (const duty of [1, 2, 3, 4] as const) {
      const snapshot = at({ ...input(duty), reporter: { kind: 'anonymous' } }, [route])
      expect(snapshot.context.routing?.recipients).toEqual(['audit_committee'])
    }
  })

  test('an anonymous reporter is no one: it names no user, so no recipient is left out as its reporter', () => {
    const snapshot = at({ ...input(2), reporter: { kind: 'anonymous' } }, [route])
    expect(recipientBodiesOf(snapshot.context, { userId: 'user-audit-chair', bodies: ['audit_committee'] })).toEqual(['audit_committee'])
    expect(recipientBodiesOf(snapshot.context, { userId: 'user-employee', bodies: ['audit_committee'] })).toEqual([])
  })

  test.each(Object.entries(MATTER_KINDS))('%s is a duty %s matter, and no other duty', (kind, { duty }) => {
    const ok = { ...input(duty), matterKind: kind as MatterKind }
    expect(caseInputSchema.safeParse(ok).success).toBe(true)
    const other = (duty === 4 ? 1 : duty + 1) as CaseInput['duty']
    expect(caseInputSchema.safeParse({ ...input(other), matterKind: kind }).success).toBe(false)
  })

  test('a reporter of no known kind is refused', () => {
    expect(caseInputSchema.safeParse({ ...input(3), reporter: { kind: 'visitor', userId: 'x' } }).success).toBe(false)
    expect(caseInputSchema.safeParse({ ...input(3), reporter: { kind: 'anonymous', userId: 'user-cfo' } }).success).toBe(false)
  })
})

test('routing stores the routing rule’s recipients, without the subject', () => {
  const routed = at(input(3, aboutTheCeo), [route])
  expect(routed.context.routing).toEqual(routeCase({ duty: 3, subject: aboutTheCeo, reporter }))
  expect(routed.context.routing?.recipients).toEqual(['chairman', 'audit_committee'])
  expect(routed.context.routing?.excludedUserIds).toEqual(['user-baker'])
})

test('only a routed recipient acknowledges, each once, and the last one opens the review', () => {
  const routed = at(input(3, aboutTheCeo), [route])
  expect(routed.can(ack('ceo'))).toBe(false)
  expect(routed.can(ack('board'))).toBe(false)
  expect(routed.can(ack('disclosure_committee'))).toBe(false)
  expect(routed.can({ type: 'case.acknowledge', body: 'chairman', at: 'soon' })).toBe(false)
  const once = at(input(3, aboutTheCeo), [route, ack('chairman')])
  expect(once.value).toBe('routed')
  expect(once.can(ack('chairman'))).toBe(false)
  expect(isFullyAcknowledged(once.context)).toBe(false)
  expect(describeCaseState(once)).toBe('Case case-3 (duty 3): waiting for the Audit Committee to acknowledge it.')
  const both = at(input(3, aboutTheCeo), [route, ack('chairman'), ack('audit_committee')])
  expect(both.value).toBe('underReview')
  expect(isFullyAcknowledged(both.context)).toBe(true)
  expect(at(input(1), []).can(ack('disclosure_committee'))).toBe(false)
})

test('resolving or referring waits for every acknowledgement', () => {
  const partly = at(input(2), [route, ack('disclosure_committee')])
  expect(partly.can({ type: 'case.resolve', outcome: 'remediated', note: 'Fixed.', at: LATER })).toBe(false)
  expect(partly.can({ type: 'case.refer', violationOfCodes: true, note: 'Fraud.', at: LATER })).toBe(false)
})

test('referral to the Board: duties 3 and 4, or a violation of the codes', () => {
  const refer = (violationOfCodes: boolean): CaseEvent => ({ type: 'case.refer', violationOfCodes, note: 'Referred.', at: LATER })
  expect(at(input(1), [route, ack('disclosure_committee')]).can(refer(false))).toBe(false)
  expect(at(input(1), [route, ack('disclosure_committee')]).can(refer(true))).toBe(true)
  expect(at(input(4), [route, ack('ceo'), ack('audit_committee')]).can(refer(false))).toBe(true)
  const referred = at(input(4), [route, ack('ceo'), ack('audit_committee'), refer(false)])
  expect(referred.value).toBe('referredForDetermination')
  expect(referred.status).toBe('done')
})

test('a resolution needs an outcome and a note; nothing moves after the end', () => {
  const review = at(input(1), [route, ack('disclosure_committee')])
  expect(review.can({ type: 'case.resolve', outcome: 'ignored' as never, note: 'x', at: LATER })).toBe(false)
  expect(review.can({ type: 'case.resolve', outcome: 'disclosed', note: ' ', at: LATER })).toBe(false)
  const resolved = at(input(1), [
    route,
    ack('disclosure_committee'),
    { type: 'case.resolve', outcome: 'disclosed', note: 'In the 10-K.', at: LATER },
  ])
  expect(describeCaseState(resolved)).toBe('Case case-1 (duty 1) is resolved (disclosed).')
  for (const event of caseRandomEvents()) expect(resolved.can(event), event.type).toBe(false)
})

test('a matter about no one excludes no one and cannot go to the Board', () => {
  const material = { ...input(1), subject: { kind: 'none' as const } }
  const review = at(material, [route, ack('disclosure_committee')])
  expect(review.context.routing?.excludedUserIds).toEqual([])
  expect(review.can({ type: 'case.refer', violationOfCodes: true, note: 'No one to refer.', at: LATER })).toBe(false)
  expect(review.can({ type: 'case.resolve', outcome: 'disclosed', note: 'In the 10-K.', at: LATER })).toBe(true)
})

test('a case for a duty that is not a reported matter cannot be opened', () => {
  expect(() => initialSnapshot(caseMachine, { ...input(1), duty: 5 as never })).toThrow()
  expect(() => initialSnapshot(caseMachine, { ...input(1), summary: '' })).toThrow()
})

test('tags: a case blocks filing until every recipient has acknowledged it', () => {
  const tags = (events: CaseEvent[]) =>
    (['blocksFiling', 'awaitingRouting', 'awaitingAcknowledgement', 'acknowledged', 'underReview', 'closed'] as const).filter((t) =>
      at(input(2), events).hasTag(t),
    )
  expect(tags([])).toEqual(['blocksFiling', 'awaitingRouting'])
  expect(tags([route, ack('disclosure_committee')])).toEqual(['blocksFiling', 'awaitingAcknowledgement'])
  expect(tags([route, ack('disclosure_committee'), ack('audit_committee')])).toEqual(['acknowledged', 'underReview'])
  const resolved = [
    route,
    ack('disclosure_committee'),
    ack('audit_committee'),
    { type: 'case.resolve', outcome: 'remediated', note: 'Fixed.', at: LATER },
  ]
  expect(tags(resolved as CaseEvent[])).toEqual(['acknowledged', 'closed'])
})

test('every state has words, and a case may name the item it was raised from (duty 1 only)', () => {
  for (const key of Object.keys(caseMachine.root.states)) expect(CASE_STATE_WORDS[key], key).toMatch(/^[a-z][A-Za-z ,]+$/)
  expect(caseStateWords('routed')).toBe('waiting for acknowledgement')
  expect(at({ ...input(1), itemId: 'item-2012-fy-canamex' }, []).context.itemId).toBe('item-2012-fy-canamex')
  expect(at(input(1), []).context).not.toHaveProperty('itemId')
  expect(() => initialSnapshot(caseMachine, { ...input(2), itemId: 'item-2012-fy-canamex' })).toThrow()
})

test('written text and ids holding the NUL character are refused', () => {
  expect(() => initialSnapshot(caseMachine, { ...input(1), summary: 'Canamex\u0000' })).toThrow()
  expect(() => initialSnapshot(caseMachine, { ...input(1), caseId: 'case\u0000' })).toThrow()
  expect(() => initialSnapshot(caseMachine, { ...input(1), subject: { kind: 'employee', userId: 'user\u0000' } })).toThrow()
  const review = at(input(1), [route, ack('disclosure_committee')])
  expect(review.can({ type: 'case.resolve', outcome: 'disclosed', note: 'In the 10-K\u0000', at: LATER })).toBe(false)
})
