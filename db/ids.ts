// Workflow instance ids say what a workflow is about, readably and uniquely: one
// review per (report, officer, duty), one lifecycle per report, one case, one
// determination per case. The id is built from facts the server knows (the
// session's user, the route's report and duty), never read from a form; the same
// facts are also stored in the hashed `subject` and exposed as columns
// (docs/decisions/008-instance-ids.md).
export const instanceId = {
  report: (reportId: string) => `report/${reportId}`,
  duty: (reportId: string, officerUserId: string, dutyNumber: number) => `duty/${reportId}/${officerUserId}/${dutyNumber}`,
  case: (caseId: string) => `case/${caseId}`,
  determination: (caseId: string) => `determination/${caseId}`,
  /** The workflow that binds one table's kept rows to the chain (machines/kept-rows.ts). */
  keptRows: (table: string) => `kept-rows/${table}`,
}
