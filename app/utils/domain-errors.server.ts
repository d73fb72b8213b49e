import { ZodError } from 'zod'
import { DomainError, type Entity, type RefusalReason } from '../../db/errors'

// The one place where what the database layer refused becomes an HTTP status and
// a sentence for a person (docs/decisions/007-errors-without-http-status.md).
// Components read the `code`, never compare message strings.

export type RefusalCode =
  'not_found' | 'workflow_conflict' | 'event_not_allowed' | 'invalid_workflow_input' | RefusalReason | 'invalid_request'

export interface Refusal {
  status: number
  code: RefusalCode
  message: string
}

const ENTITY_WORDS: Record<Entity, string> = {
  periodic_report: 'periodic report',
  workflow: 'workflow',
  duty_workflow: 'review of this duty',
  case: 'reported matter',
  draft: 'draft',
  person: 'person',
  waiver: 'waiver',
  membership: 'role',
}

const REASONS: Record<RefusalReason, { status: number; message: string }> = {
  draft_unchanged: { status: 409, message: 'This file is the current draft already (same SHA-256): nothing was registered.' },
  duty_not_started: { status: 422, message: 'This duty has no answers yet: record your answers before you sign. Nothing was signed.' },
  case_not_referred: { status: 409, message: 'This matter has not been referred to the Board for a determination: nothing was recorded.' },
  report_not_in_certification: {
    status: 409,
    message:
      'Duties are signed only while the report is in certification (after its draft is registered and before the committees review it). Nothing was signed.',
  },
  report_locked: { status: 409, message: 'This report has been filed and is locked: nothing can change it now.' },
  not_review_signer: {
    status: 403,
    message: 'You may not act for this committee on this report (see who signs for it on the page). Nothing was recorded.',
  },
  report_not_filed: {
    status: 409,
    message: 'Only a report filed with the SEC can be amended: this one has not been filed. Nothing was created.',
  },
  not_filing_approver: {
    status: 403,
    message: 'Only the CEO and the CFO, who certify the report, approve it for filing. Nothing was recorded.',
  },
  exception_case_duty: {
    status: 422,
    message:
      'That case is not a matter of the kind this duty raises: choose or raise a case under the duty the form offers. Nothing was saved.',
  },
  no_such_question: {
    status: 422,
    message: 'That answer does not answer a question of this matter: answer one of the questions shown. Nothing was saved.',
  },
  not_a_certifying_officer: {
    status: 422,
    message:
      'A waiver of the code is granted to a certifying officer (the CEO, the CFO or the Chief Accounting Officer or Controller): that person held no such role on the day of approval. Nothing was recorded.',
  },
  waiver_date_in_future: {
    status: 422,
    message: 'The date of approval is after today: record a waiver once it is approved. Nothing was recorded.',
  },
  waiver_already_disclosed: {
    status: 409,
    message: 'This waiver’s disclosure is recorded already: a disclosure is recorded once. Nothing was recorded.',
  },
  waiver_disclosure_date: {
    status: 422,
    message: 'The date of disclosure must lie between the waiver’s approval and today. Nothing was recorded.',
  },
  not_a_director: {
    status: 403,
    message: 'Only a director sitting on the Board that day takes part in the Board’s determination. Nothing was signed.',
  },
  subject_takes_no_part: {
    status: 403,
    message: 'The individual a matter is about never takes part in the Board’s determination about them. Nothing was signed.',
  },
  already_signed: { status: 409, message: 'You have signed this determination already: each director signs it once. Nothing was signed.' },
  not_notice_addressee: {
    status: 403,
    message: 'Only the individual the notice is addressed to acknowledges its receipt. Nothing was recorded.',
  },
  effective_date_in_future: {
    status: 422,
    message: 'The date it takes effect is after today: record a change of title once it has taken effect. Nothing was recorded.',
  },
  title_unchanged: { status: 409, message: 'That person holds this title already. Nothing was recorded.' },
  period_overlaps: {
    status: 409,
    message:
      'That date overlaps a period already recorded: a new title starts after the current one began, a role ends on or after it began, and a role is not held twice at once. Nothing was recorded.',
  },
  signed_under_current_title: {
    status: 409,
    message:
      'This person signed on or after that date under their current title: a change dated before a signature would contradict what they signed. Choose a later date. Nothing was recorded.',
  },
  membership_closed: { status: 409, message: 'That role has ended already: an ended role is not ended again. Nothing was recorded.' },
  acted_in_role_after: {
    status: 409,
    message:
      'This person acted in that role on or after that date: a role ends after the last step taken in it. Choose a later date. Nothing was recorded.',
  },
  no_draft: { status: 422, message: 'No draft of this report is registered yet: there is nothing to attest to. Nothing was saved.' },
}

export const CONFLICT_MESSAGE =
  'Someone else moved this workflow while you were looking at it: nothing was saved. Reload the page to see where it stands now, then try again.'

/** A form sent from a page whose workflow has moved on since: the same refusal as the record's own conflict. */
export function conflictRefusal(): Refusal {
  return { status: 409, code: 'workflow_conflict', message: CONFLICT_MESSAGE }
}

/** The refusal a person should read for an error of the database layer or of validation; null for a real fault (a 500). */
export function refusalFor(error: unknown): Refusal | null {
  if (error instanceof ZodError) {
    return { status: 400, code: 'invalid_request', message: `The request is not valid: ${error.issues.map((i) => i.message).join('; ')}.` }
  }
  if (!(error instanceof DomainError)) return null
  const e = error as DomainError & Record<string, unknown>
  switch (e.code) {
    case 'not_found':
      return {
        status: 404,
        code: 'not_found',
        message: `There is no ${ENTITY_WORDS[e.entity as Entity] ?? 'such thing'} “${String(e.id)}”.`,
      }
    case 'workflow_conflict':
      return conflictRefusal()
    case 'event_not_allowed':
      return {
        status: 422,
        code: 'event_not_allowed',
        message: 'That step is not open in the state this stands in now: nothing was saved. Reload the page to see what it waits for.',
      }
    case 'invalid_workflow_input':
      return { status: 422, code: 'invalid_workflow_input', message: 'That cannot be started with what was sent: nothing was saved.' }
    case 'command_refused': {
      const reason = e.reason as RefusalReason
      const facts = (e.facts ?? {}) as Record<string, unknown>
      // Name the filing, so the person knows which record they hit.
      if (reason === 'report_locked' && typeof facts.accessionNumber === 'string') {
        return {
          status: 409,
          code: reason,
          message: `This report was filed with the SEC on ${String(facts.filedAt).slice(0, 10)} (accession ${facts.accessionNumber}) and is locked: nothing can change it now. Nothing was saved.`,
        }
      }
      if (reason === 'not_review_signer' && typeof facts.why === 'string') {
        return { status: 403, code: reason, message: `${facts.why} Nothing was recorded.` }
      }
      return { code: reason, ...REASONS[reason] }
    }
    case 'unknown_machine_version':
    case 'stored_event_refused':
    case 'no_verification_key':
      return null
  }
}
