import { z } from 'zod'
import { type Body, officerRoleSchema } from './roles'
import { userIdSchema } from './primitives'

// Who a reported matter goes to. The seed's duties 1–4 name the recipients;
// duty 5 sends violations to the Board. One rule on top of the seed: a matter is
// never routed to, nor shown to, the person it is about.

export const caseSubjectSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('officer'), role: officerRoleSchema, userId: userIdSchema }),
  z.strictObject({
    kind: z.literal('director'),
    userId: userIdSchema,
    isChairman: z.boolean().optional(),
    isAuditCommitteeMember: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('employee'), userId: userIdSchema }),
  // Material information (duty 1) or a control deficiency (duty 2) need not be
  // about anyone: such a matter excludes no one.
  z.strictObject({ kind: z.literal('none') }),
])
export type CaseSubject = z.infer<typeof caseSubjectSchema>

export const reporterSchema = z.strictObject({ role: officerRoleSchema, userId: userIdSchema })
export type Reporter = z.infer<typeof reporterSchema>

export interface Routing {
  recipients: Body[]
  /** People who must never receive nor see the matter: always its subject. */
  excludedUserIds: string[]
}

export type RoutedDuty = 1 | 2 | 3 | 4 | 5

export function routeCase({ duty, subject, reporter }: { duty: number; subject: CaseSubject; reporter: Reporter }): Routing {
  const excludedUserIds = subject.kind === 'none' ? [] : [subject.userId]
  switch (duty) {
    case 1:
      // Duty 1: "promptly to bring to the attention of the Disclosure Committee".
      return { recipients: ['disclosure_committee'], excludedUserIds }
    case 2:
      // Duty 2: "the Disclosure Committee and the Audit committee".
      return { recipients: ['disclosure_committee', 'audit_committee'], excludedUserIds }
    case 3:
    case 4: {
      // Duties 3 and 4: "the Chairman of the Board or the CEO and to the Audit Committee".
      const chairmanOrCeo = chooseChairmanOrCeo(subject, reporter)
      return { recipients: chairmanOrCeo ? [chairmanOrCeo, 'audit_committee'] : ['audit_committee'], excludedUserIds }
    }
    case 5:
      // Duty 5: "The Board of Directors shall determine … appropriate actions".
      // A director who is the subject stays excluded from the Board's deliberation.
      return { recipients: ['board'], excludedUserIds }
    default:
      throw new Error(`Duty ${duty} is not a reported matter: only duties 1–4 (and 5, the Board's determination) are routed`)
  }
}

function chooseChairmanOrCeo(subject: CaseSubject, reporter: Reporter): 'chairman' | 'ceo' | null {
  const ceoIsSubject = subject.kind === 'officer' && subject.role === 'ceo'
  const ceoIsReporter = reporter.role === 'ceo'
  const chairmanIsSubject = subject.kind === 'director' && subject.isChairman === true
  if (chairmanIsSubject) {
    // The CEO reporting a matter about the Chairman already knows it: the
    // "Chairman or CEO" limb has no one else to go to, the Audit Committee still does.
    return ceoIsReporter ? null : 'ceo'
  }
  // The seed names the CEO as one choice; the CEO cannot receive a matter about
  // themselves, and a report from the CEO to the CEO tells no one new.
  return ceoIsSubject || ceoIsReporter ? 'chairman' : 'ceo'
}
