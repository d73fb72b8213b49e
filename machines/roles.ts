import { z } from 'zod'

// The code binds three officers: the CEO and the "Senior Financial Officers",
// i.e. the Chief Financial Officer and the Chief Accounting Officer or Controller.
export const OFFICER_ROLES = ['ceo', 'cfo', 'cao'] as const
export type OfficerRole = (typeof OFFICER_ROLES)[number]
export const officerRoleSchema = z.enum(OFFICER_ROLES)

export const OFFICER_TITLES: Record<OfficerRole, string> = {
  ceo: 'Chief Executive Officer',
  cfo: 'Chief Financial Officer',
  cao: 'Chief Accounting Officer or Controller',
}

// Everyone a matter or a confirmation can go to. `ceo` is here as a recipient:
// duties 3 and 4 send matters to "the Chairman of the Board or the CEO".
export const BODIES = [
  'disclosure_committee',
  'audit_committee',
  'chairman',
  'ceo',
  'board',
  'internal_auditor',
  'independent_auditor',
] as const
export type Body = (typeof BODIES)[number]
export const bodySchema = z.enum(BODIES)

/** A body's name without the article, as a heading names it: "Disclosure Committee". */
export const bodyTitle = (body: Body): string => BODY_NAMES[body].replace(/^the /, '')

export const BODY_NAMES: Record<Body, string> = {
  disclosure_committee: 'the Disclosure Committee',
  audit_committee: 'the Audit Committee',
  chairman: 'the Chairman of the Board',
  ceo: 'the Chief Executive Officer',
  board: 'the Board of Directors',
  internal_auditor: "the Company's internal auditor",
  independent_auditor: 'the independent auditors',
}

/** Bodies of one person: a matter about that person can never go to them. */
export const ONE_PERSON_BODIES: readonly Body[] = ['chairman', 'ceo']
