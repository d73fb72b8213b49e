import { expect, test } from 'vitest'
import { maySignForBody, reviewSigners, type ReviewSignerFacts } from './review-signers'

const audit: ReviewSignerFacts = {
  body: 'audit_committee',
  rule: 'chair',
  chairUserId: 'chair',
  memberUserIds: ['chair', 'member', 'other'],
  subjectUserIds: [],
}

test('by default the chair signs, and no other member', () => {
  expect(reviewSigners(audit)).toMatchObject({ who: 'chair', userIds: ['chair'] })
  expect(maySignForBody(audit, 'member')).toBe(false)
  expect(maySignForBody(audit, 'outsider')).toBe(false)
})

test('a chair who is the subject of a matter on the report does not sign; any other member does', () => {
  const s = reviewSigners({ ...audit, subjectUserIds: ['chair'] })
  expect(s).toMatchObject({ who: 'any_member', userIds: ['member', 'other'] })
  expect(s.why).toMatch(/subject of a matter/)
})

test('an absent chair (not named, or no longer a member) leaves any member to sign', () => {
  expect(reviewSigners({ ...audit, chairUserId: null })).toMatchObject({ who: 'any_member', userIds: ['chair', 'member', 'other'] })
  expect(reviewSigners({ ...audit, chairUserId: 'gone' }).why).toMatch(/no chair at present/)
})

test('with the setting "any member", every member but a subject signs', () => {
  const s = reviewSigners({ ...audit, rule: 'any_member', subjectUserIds: ['member'] })
  expect(s).toMatchObject({ who: 'any_member', userIds: ['chair', 'other'] })
  expect(maySignForBody({ ...audit, rule: 'any_member', subjectUserIds: ['member'] }, 'member')).toBe(false)
})

test('when every member is a subject, nobody may sign, and the page can say why', () => {
  const s = reviewSigners({ ...audit, memberUserIds: ['chair'], subjectUserIds: ['chair'] })
  expect(s).toMatchObject({ who: 'nobody', userIds: [] })
})
