import { describe, expect, test } from 'vitest'
import type { Body, OfficerRole } from './roles'
import { type CaseSubject, type Reporter, routeCase, routingReasons } from './routing'

const USERS = { ceo: 'user-baker', cfo: 'user-cfo', cao: 'user-controller' } as const
const reporters: Reporter[] = (['ceo', 'cfo', 'cao'] as const).map((role) => ({ role, userId: USERS[role] }))

const subjects = {
  'the CEO': { kind: 'officer', role: 'ceo', userId: USERS.ceo },
  'the CFO': { kind: 'officer', role: 'cfo', userId: USERS.cfo },
  'the CAO/Controller': { kind: 'officer', role: 'cao', userId: USERS.cao },
  'a director': { kind: 'director', userId: 'user-director' },
  'the Chairman': { kind: 'director', userId: 'user-chairman', isChairman: true },
  'an Audit Committee member': { kind: 'director', userId: 'user-ac-member', isAuditCommitteeMember: true },
  'an employee': { kind: 'employee', userId: 'user-employee' },
} as const satisfies Record<string, CaseSubject>
type SubjectName = keyof typeof subjects

// Duties 3 and 4 go to "the Chairman of the Board or the CEO and to the Audit
// Committee". Written out by hand, one row per subject, one column per reporter.
const CHAIRMAN: Body[] = ['chairman', 'audit_committee']
const CEO: Body[] = ['ceo', 'audit_committee']
const AUDIT_COMMITTEE_ONLY: Body[] = ['audit_committee']
const DUTIES_3_AND_4: Record<SubjectName, Record<OfficerRole, Body[]>> = {
  'the CEO': { ceo: CHAIRMAN, cfo: CHAIRMAN, cao: CHAIRMAN },
  'the CFO': { ceo: CHAIRMAN, cfo: CEO, cao: CEO },
  'the CAO/Controller': { ceo: CHAIRMAN, cfo: CEO, cao: CEO },
  'a director': { ceo: CHAIRMAN, cfo: CEO, cao: CEO },
  // The CEO reporting about the Chairman: nobody else holds either office.
  'the Chairman': { ceo: AUDIT_COMMITTEE_ONLY, cfo: CEO, cao: CEO },
  'an Audit Committee member': { ceo: CHAIRMAN, cfo: CEO, cao: CEO },
  'an employee': { ceo: CHAIRMAN, cfo: CEO, cao: CEO },
}

const expected = (duty: 1 | 2 | 3 | 4, subject: SubjectName, reporter: OfficerRole): Body[] =>
  duty === 1 ? ['disclosure_committee'] : duty === 2 ? ['disclosure_committee', 'audit_committee'] : DUTIES_3_AND_4[subject][reporter]

test('a matter about no one (material information) goes to the Disclosure Committee and excludes no one', () => {
  const routing = routeCase({ duty: 1, subject: { kind: 'none' }, reporter: { role: 'cfo', userId: 'user-cfo' } })
  expect(routing).toEqual({ recipients: ['disclosure_committee'], excludedUserIds: [] })
})

describe('routeCase follows the seed and never routes a matter to its subject', () => {
  for (const duty of [1, 2, 3, 4] as const) {
    for (const [name, subject] of Object.entries(subjects) as Array<[SubjectName, CaseSubject]>) {
      for (const reporter of reporters) {
        test(`duty ${duty}, about ${name}, reported by the ${reporter.role.toUpperCase()}`, () => {
          const routing = routeCase({ duty, subject, reporter })
          expect(routing.recipients).toEqual(expected(duty, name, reporter.role))
          if (subject.kind !== 'none') expect(routing.excludedUserIds).toContain(subject.userId)
          // A one-person body made of the subject is never a recipient.
          if (subject.kind === 'officer' && subject.role === 'ceo') expect(routing.recipients).not.toContain('ceo')
          if (subject.kind === 'director' && subject.isChairman) expect(routing.recipients).not.toContain('chairman')
          if (duty >= 3) expect(routing.recipients).toContain('audit_committee')
        })
      }
    }
  }
})

test('duty 5 goes to the Board without its subject, even a director', () => {
  for (const subject of Object.values(subjects)) {
    expect(routeCase({ duty: 5, subject, reporter: reporters[1]! })).toEqual({
      recipients: ['board'],
      excludedUserIds: [subject.userId],
    })
  }
})

test('duties 6–12 are not reported matters', () => {
  for (const duty of [0, 6, 7, 8, 9, 10, 11, 12, 13]) {
    expect(() => routeCase({ duty, subject: subjects['an employee'], reporter: reporters[0]! })).toThrow(/not a reported matter/)
  }
})

describe('routingReasons says why, from the same branches as routeCase', () => {
  const cfo: Reporter = { role: 'cfo', userId: USERS.cfo }
  const ceo: Reporter = { role: 'ceo', userId: USERS.ceo }
  test('the CEO as the subject of a duty 3 matter: the Chairman receives it, and why', () => {
    const reasons = routingReasons({ duty: 3, subject: subjects['the CEO'], reporter: cfo })
    expect(reasons).toContain('The CEO is the subject, so the Chairman of the Board receives it.')
    expect(routeCase({ duty: 3, subject: subjects['the CEO'], reporter: cfo }).recipients).toEqual(CHAIRMAN)
  })
  test('the Chairman as the subject: the CEO receives it; reported by the CEO, only the Audit Committee', () => {
    expect(routingReasons({ duty: 4, subject: subjects['the Chairman'], reporter: cfo })).toContain(
      'The Chairman of the Board is the subject, so the CEO receives it.',
    )
    expect(routingReasons({ duty: 4, subject: subjects['the Chairman'], reporter: ceo })).toContain(
      'The Chairman of the Board is the subject and the CEO reported it, so only the Audit Committee receives it.',
    )
  })
  test('a matter about no one names no exclusion; one about someone says they never see it', () => {
    expect(routingReasons({ duty: 1, subject: { kind: 'none' }, reporter: cfo })).toHaveLength(1)
    expect(routingReasons({ duty: 2, subject: subjects['an employee'], reporter: cfo }).at(-1)).toMatch(/never receives it nor sees it/)
  })
})
