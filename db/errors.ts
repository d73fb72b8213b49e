// The errors the database layer raises. They say what happened in the domain's
// terms and carry the facts (ids, versions) a caller needs; they carry no HTTP
// status and no page wording. app/utils/domain-errors.server.ts is the one place
// that turns each `code` into a status and a sentence for a person
// (docs/decisions/007-errors-without-http-status.md).

export type DomainErrorCode =
  | 'not_found'
  | 'workflow_conflict'
  | 'event_not_allowed'
  | 'invalid_workflow_input'
  | 'command_refused'
  | 'unknown_machine_version'
  | 'stored_event_refused'
  | 'no_verification_key'

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode
}

/** Things a command or query can look for by id. */
export type Entity = 'periodic_report' | 'workflow' | 'case' | 'draft' | 'person' | 'duty_workflow' | 'waiver' | 'membership'

export class NotFoundError extends DomainError {
  readonly code = 'not_found'
  constructor(
    readonly entity: Entity,
    readonly id: string,
  ) {
    super(`No ${entity} ${id}`)
  }
}

/** The record holds no workflow of that id (a `NotFoundError` of entity 'workflow'). */
export class WorkflowNotFoundError extends NotFoundError {
  constructor(readonly instanceId: string) {
    super('workflow', instanceId)
  }
}

/** Optimistic concurrency: the caller saw another version of the workflow than the record holds. */
export class WorkflowConflictError extends DomainError {
  readonly code = 'workflow_conflict'
  constructor(
    readonly instanceId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`${instanceId} is at version ${actual}, not ${expected}`)
  }
}

/** The machine refuses the event in the state the workflow is in (`snapshot.can(event)` is false). */
export class EventNotAllowedError extends DomainError {
  readonly code = 'event_not_allowed'
  constructor(
    readonly instanceId: string,
    readonly eventType: string,
    readonly state: unknown,
  ) {
    super(`${eventType} is not allowed for ${instanceId} in state ${JSON.stringify(state)}`)
  }
}

export class InvalidWorkflowInputError extends DomainError {
  readonly code = 'invalid_workflow_input'
  constructor(
    readonly machineId: string,
    cause: unknown,
  ) {
    super(`A ${machineId} workflow cannot start with that input: ${(cause as Error)?.message ?? String(cause)}`, { cause })
  }
}

/** Why a command refused, beyond what a machine decides. */
export type RefusalReason =
  | 'draft_unchanged'
  | 'duty_not_started'
  | 'case_not_referred'
  | 'report_not_in_certification'
  | 'report_locked'
  | 'no_draft'
  | 'exception_case_duty'
  | 'not_review_signer'
  | 'not_filing_approver'
  | 'report_not_filed'
  | 'no_such_question'
  | 'not_a_certifying_officer'
  | 'waiver_date_in_future'
  | 'waiver_already_disclosed'
  | 'waiver_disclosure_date'
  | 'not_a_director'
  | 'subject_takes_no_part'
  | 'already_signed'
  | 'not_notice_addressee'
  | 'effective_date_in_future'
  | 'title_unchanged'
  | 'period_overlaps'
  | 'signed_under_current_title'
  | 'membership_closed'
  | 'acted_in_role_after'

export class CommandRefusedError extends DomainError {
  readonly code = 'command_refused'
  constructor(
    readonly reason: RefusalReason,
    /** For logs and tests; never shown to a person as it is. */
    detail: string,
    readonly facts: Record<string, unknown> = {},
  ) {
    super(detail)
  }
}

export class UnknownMachineVersionError extends DomainError {
  readonly code = 'unknown_machine_version'
  constructor(
    readonly machineId: string,
    readonly version: number,
  ) {
    super(
      `Workflow machine ${machineId} version ${version} is stored in the database but this code does not know it. ` +
        `Keep the old machine in machines/registry.ts under its version (see docs/decisions/005-workflow-record.md, "Changing a machine").`,
    )
  }
}
