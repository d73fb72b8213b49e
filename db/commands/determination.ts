// The Board's determination (duty 5) of a case referred to it.
import type { BoardDeterminationEvent } from '../../machines/board-determination'
import type { CaseContext } from '../../machines/case'
import { CommandRefusedError, NotFoundError } from '../errors'
import { instanceId } from '../ids'
import type { Actor, WorkflowRecord } from '../workflow-record'

/** A step of the determination; the workflow starts with its first step, from the referred case. */
export async function sendDeterminationEvent(
  record: WorkflowRecord,
  request: { caseId: string; event: BoardDeterminationEvent; expectedVersion: number; actor: Actor; at?: Date },
) {
  return record.write(async (unit) => {
    const referred = await unit.load(instanceId.case(request.caseId))
    if (!referred) throw new NotFoundError('case', request.caseId)
    if (referred.snapshot.value !== 'referredForDetermination') {
      throw new CommandRefusedError('case_not_referred', `case ${request.caseId} is in ${JSON.stringify(referred.snapshot.value)}`, {
        caseId: request.caseId,
      })
    }
    const c = (referred.snapshot as unknown as { context: CaseContext }).context
    return unit.append({
      instance: {
        id: instanceId.determination(request.caseId),
        machineId: 'board-determination',
        reportId: referred.reportId,
        subject: { caseId: request.caseId, subjectUserId: c.subject.kind === 'none' ? null : c.subject.userId },
        input: { caseId: request.caseId, subject: c.subject, reporter: c.reporter },
      },
      expectedVersion: request.expectedVersion,
      event: request.event,
      actor: request.actor,
      recordedAt: request.at,
    })
  })
}
