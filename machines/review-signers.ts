// Who may take a committee's step on a periodic report (the Disclosure
// Committee's approval, the Audit Committee's review, or sending it back).
// Pure: the application gathers the members, the chair and the people the
// report's matters are about, and asks.

import type { ReviewBody } from './report-lifecycle'
import { bodyTitle } from './roles'

export type SignerRule = 'chair' | 'any_member'

export interface ReviewSignerFacts {
  body: ReviewBody
  rule: SignerRule
  /** The chair named in the company's settings; null when none is named. */
  chairUserId: string | null
  /** Active members of the body (deactivated people are not members). */
  memberUserIds: readonly string[]
  /** People a reported matter on this report is about: none of them acts for a body on it. */
  subjectUserIds: readonly string[]
}

export type ReviewSigners =
  | { who: 'chair'; userIds: string[]; why: string }
  | { who: 'any_member'; userIds: string[]; why: string }
  | { who: 'nobody'; userIds: []; why: string }

/**
 * The people who may sign for the body on this report, and why, in words for the
 * page. The chair signs when the setting says so; any member signs when the
 * setting says so, or when the chair is absent (not named, not an active member)
 * or is the subject of a matter on the report. A subject never signs.
 */
export function reviewSigners(facts: ReviewSignerFacts): ReviewSigners {
  const name = bodyTitle(facts.body)
  const eligible = facts.memberUserIds.filter((id) => !facts.subjectUserIds.includes(id))
  const chairIsMember = facts.chairUserId !== null && facts.memberUserIds.includes(facts.chairUserId)
  if (facts.rule === 'chair' && chairIsMember) {
    if (!facts.subjectUserIds.includes(facts.chairUserId!)) {
      return { who: 'chair', userIds: [facts.chairUserId!], why: `The chair of the ${name} signs for it (the company's setting).` }
    }
  }
  if (eligible.length === 0) {
    return { who: 'nobody', userIds: [], why: `No member of the ${name} may sign: every member is the subject of a matter on this report.` }
  }
  const why =
    facts.rule === 'any_member'
      ? `Any member of the ${name} may sign for it (the company's setting).`
      : chairIsMember
        ? `The chair of the ${name} is the subject of a matter on this report, so any other member signs for it.`
        : `The ${name} has no chair at present, so any member signs for it.`
  return { who: 'any_member', userIds: eligible, why }
}

export function maySignForBody(facts: ReviewSignerFacts, userId: string): boolean {
  return (reviewSigners(facts).userIds as string[]).includes(userId)
}
