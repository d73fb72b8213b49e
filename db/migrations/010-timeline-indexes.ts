import type { Kysely } from 'kysely'
import { runStatements } from './sql'

// Indexes for the history timeline (db/queries/history.ts `listTimeline`), so that
// every combination of its filters is served by an index and pages by keyset.
// The timeline is ordered newest first by (recorded_at, sequence); each index on
// workflow_event ends in recorded_at, and SQLite appends the rowid (= sequence) to
// every index entry, so with equality on the leading columns one index walk gives
// the filter, the date range, the order and the cursor at once:
// - no event filter, or a date range alone: (recorded_at);
// - the person who acted: (actor_user_id, recorded_at);
// - the kind of event: (event_type, recorded_at);
// - both: (actor_user_id, event_type, recorded_at).
// Filters on the workflow (report, duty) start from workflow_instance — by report:
// workflow_instance_report (002); by duty, with or without the report: the index
// below — and reach each instance's few events by the unique (instance_id,
// instance_version) index of 002.
export async function up(db: Kysely<unknown>) {
  await runStatements(db, [
    `CREATE INDEX workflow_event_recorded ON workflow_event(recorded_at)`,
    `CREATE INDEX workflow_event_actor_recorded ON workflow_event(actor_user_id, recorded_at)`,
    `CREATE INDEX workflow_event_type_recorded ON workflow_event(event_type, recorded_at)`,
    `CREATE INDEX workflow_event_actor_type_recorded ON workflow_event(actor_user_id, event_type, recorded_at)`,
    `CREATE INDEX workflow_instance_duty_report ON workflow_instance(duty_number, report_id)`,
  ])
}
