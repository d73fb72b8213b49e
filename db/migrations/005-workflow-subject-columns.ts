import type { Kysely } from 'kysely'
import { runStatements } from './sql'

// What a workflow is about (its officer, its duty, its case, the person a matter
// concerns) is part of the hashed instance row, as JSON in `subject`. Queries and
// history filters need those ids as columns with indexes, not `json_extract` over
// JSON in every WHERE. Virtual generated columns read them from `subject` itself,
// so they can never disagree with what the chain hashed, and the write path does
// not change (docs/decisions/008-instance-ids.md).
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `ALTER TABLE workflow_instance ADD COLUMN officer_user_id TEXT
       GENERATED ALWAYS AS (json_extract(subject, '$.officerUserId')) VIRTUAL`,
    `ALTER TABLE workflow_instance ADD COLUMN officer_role TEXT
       GENERATED ALWAYS AS (json_extract(subject, '$.officerRole')) VIRTUAL`,
    // A duty workflow names its duty as dutyNumber; a case names the duty it was raised under as duty.
    `ALTER TABLE workflow_instance ADD COLUMN duty_number INTEGER
       GENERATED ALWAYS AS (coalesce(json_extract(subject, '$.dutyNumber'), json_extract(subject, '$.duty'))) VIRTUAL`,
    `ALTER TABLE workflow_instance ADD COLUMN case_id TEXT
       GENERATED ALWAYS AS (json_extract(subject, '$.caseId')) VIRTUAL`,
    `ALTER TABLE workflow_instance ADD COLUMN subject_user_id TEXT
       GENERATED ALWAYS AS (json_extract(subject, '$.subjectUserId')) VIRTUAL`,
    `CREATE INDEX workflow_instance_officer ON workflow_instance(officer_user_id, report_id, duty_number)`,
    `CREATE INDEX workflow_instance_report_duty ON workflow_instance(report_id, machine_id, duty_number)`,
    `CREATE INDEX workflow_instance_case ON workflow_instance(case_id, machine_id)`,
    `CREATE INDEX workflow_instance_subject_user ON workflow_instance(subject_user_id)`,
  ])
}
