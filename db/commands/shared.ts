// What the commands of every workflow share: the system actor, the report's row
// inside the transaction, and sending an event to the report's
// lifecycle or to every duty workflow of a report.
import type { ReportLifecycleEvent } from '../../machines/report-lifecycle'
import type { DB } from '../client'
import { CommandRefusedError, NotFoundError } from '../errors'
import { instanceId } from '../ids'
import { certificationFacts, listDutyInstances } from '../queries/workflows'
import type { Actor, WriteUnit } from '../workflow-record'
import type { DutyReviewEvent } from '../../machines/duty-review'

/** Events the app sends on its own account (a case's acknowledgement reaching a duty, a lock). */
export const SYSTEM: Actor = { userId: null, role: 'system' }

export const iso = (d: Date) => d.toISOString()

export async function requireReportRow(trx: DB, reportId: string) {
  const report = await trx.selectFrom('periodic_report').selectAll().where('id', '=', reportId).executeTakeFirst()
  if (!report) throw new NotFoundError('periodic_report', reportId)
  return report
}

export async function versionOf(unit: WriteUnit, id: string): Promise<number> {
  const row = await unit.trx.selectFrom('workflow_snapshot').select('version').where('instance_id', '=', id).executeTakeFirst()
  return row?.version ?? 0
}

/** Sends an event to the report's lifecycle, creating the workflow on its first event. */
export async function sendToReport(unit: WriteUnit, reportId: string, event: ReportLifecycleEvent, actor: Actor, at: Date) {
  const report = await requireReportRow(unit.trx, reportId)
  const id = instanceId.report(reportId)
  return unit.append({
    instance: { id, machineId: 'report-lifecycle', reportId, subject: { reportId }, input: { form: report.form } },
    expectedVersion: await versionOf(unit, id),
    event,
    actor,
    recordedAt: at,
  })
}

/** Sends one event to every duty workflow of the report that accepts it (approval, lock). */
export async function sendToEveryDuty(unit: WriteUnit, reportId: string, event: DutyReviewEvent, at: Date) {
  for (const duty of await listDutyInstances(unit.trx, unit, reportId)) {
    const instance = await unit.load(duty.id)
    if (!instance || !instance.snapshot.can(event)) continue
    await unit.append({ instance: { id: duty.id }, expectedVersion: instance.version, event, actor: SYSTEM, recordedAt: at })
  }
}

/** After a signature: when every officer has signed every duty, the report goes to committee review. */
export async function submitIfComplete(unit: WriteUnit, reportId: string, at: Date) {
  const lifecycle = await unit.load(instanceId.report(reportId))
  if (!lifecycle) return null
  const event: ReportLifecycleEvent = { type: 'report.submitForReview', ...(await certificationFacts(unit.trx, unit, reportId, at)) }
  if (!lifecycle.snapshot.can(event)) return null
  return sendToReport(unit, reportId, event, SYSTEM, at)
}

/**
 * A filed report is what the SEC has: every later command on it is refused with
 * the filing named (accession number and time), before anything is written.
 */
export async function requireReportNotFiled(unit: WriteUnit, reportId: string) {
  await requireReportRow(unit.trx, reportId)
  const lifecycle = await unit.load(instanceId.report(reportId))
  const filing = (lifecycle?.snapshot.context as { filing?: { filedAt: string; accessionNumber: string } | null } | undefined)?.filing
  if (filing) {
    throw new CommandRefusedError('report_locked', `${reportId} was filed (${filing.accessionNumber})`, {
      accessionNumber: filing.accessionNumber,
      filedAt: filing.filedAt,
    })
  }
}
