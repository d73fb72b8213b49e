import { z } from 'zod'
import { type Body, officerRoleSchema } from '../roles'
import { userIdSchema } from '../primitives'

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

/** Which of "the Chairman of the Board or the CEO" receives a duty 3 or 4 matter, and why, in a person's words. */
function chairmanOrCeoChoice(subject: CaseSubject, reporter: Reporter): { body: 'chairman' | 'ceo' | null; why: string } {
  const ceoIsSubject = subject.kind === 'officer' && subject.role === 'ceo'
  const ceoIsReporter = reporter.role === 'ceo'
  const chairmanIsSubject = subject.kind === 'director' && subject.isChairman === true
  if (chairmanIsSubject) {
    // The CEO reporting a matter about the Chairman already knows it: the
    // "Chairman or CEO" limb has no one else to go to, the Audit Committee still does.
    return ceoIsReporter
      ? { body: null, why: 'the Chairman of the Board is the subject and the CEO reported it, so only the Audit Committee receives it' }
      : { body: 'ceo', why: 'the Chairman of the Board is the subject, so the CEO receives it' }
  }
  // The seed names the CEO as one choice; the CEO cannot receive a matter about
  // themselves, and a report from the CEO to the CEO tells no one new.
  if (ceoIsSubject) return { body: 'chairman', why: 'the CEO is the subject, so the Chairman of the Board receives it' }
  if (ceoIsReporter) return { body: 'chairman', why: 'the CEO reported it, so the Chairman of the Board receives it' }
  return { body: 'ceo', why: 'the CEO receives it, as the first of the two the code names' }
}

function chooseChairmanOrCeo(subject: CaseSubject, reporter: Reporter): 'chairman' | 'ceo' | null {
  return chairmanOrCeoChoice(subject, reporter).body
}

const DUTY_ROUTE_WORDS: Record<RoutedDuty, string> = {
  1: 'Duty 1 brings material information that affects the disclosures to the Disclosure Committee.',
  2: 'Duty 2 brings significant deficiencies in internal controls, and fraud by people with a significant role in financial reporting, to the Disclosure Committee and the Audit Committee.',
  3: 'Duty 3 brings violations of the Code of Business Conduct and Ethics, conflicts of interest included, to the Chairman of the Board or the CEO, and to the Audit Committee.',
  4: 'Duty 4 brings evidence of material violations of securities laws, rules, regulations or the codes to the Chairman of the Board or the CEO, and to the Audit Committee.',
  5: 'Duty 5 has the Board of Directors determine the actions for a violation.',
}

/**
 * Why a matter goes where `routeCase` sends it, one sentence a line, from the same
 * branches: the duty's own rule, which of "the Chairman or the CEO" receives it,
 * and that the person it is about is left out, whatever body they sit on.
 */
export function routingReasons({ duty, subject, reporter }: { duty: RoutedDuty; subject: CaseSubject; reporter: Reporter }): string[] {
  const reasons = [DUTY_ROUTE_WORDS[duty]]
  if (duty === 3 || duty === 4) {
    const why = chairmanOrCeoChoice(subject, reporter).why
    reasons.push(`${why.charAt(0).toUpperCase()}${why.slice(1)}.`)
  }
  if (subject.kind !== 'none') {
    reasons.push('The person it is about never receives it nor sees it, even as a member of a body it goes to.')
  }
  return reasons
}
