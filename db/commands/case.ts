// The commands of a reported matter (duties 1–4): reported and routed, acknowledged
// by each recipient body, resolved or referred to the Board.
import { isFullyAcknowledged, type CaseContext, type CaseEvent, type CaseInput } from '../../machines/case'
import type { DutyReviewEvent } from '../../machines/duty-review'
import type { Body } from '../../machines/roles'
import { NotFoundError } from '../errors'
import { instanceId } from '../ids'
import { listDutyInstances } from '../queries/workflows'
import type { Actor, WorkflowRecord, WriteUnit } from '../workflow-record'
import { SYSTEM, iso } from './shared'

export interface NewCaseRequest {
  reportId: string | null
  input: Omit<CaseInput, 'reportedAt'>
  actor: Actor
  at?: Date
}

/** A matter reported under duties 1–4: the case is opened and routed by the routing rule at once. */
export async function reportCase(record: WorkflowRecord, request: NewCaseRequest) {
  return record.write((unit) => reportCaseInside(unit, request))
}

/** The same, inside a transaction a caller already holds (an answer that raises matters). */
export async function reportCaseInside(unit: WriteUnit, request: NewCaseRequest) {
  const at = request.at ?? new Date()
  const input: CaseInput = { ...request.input, reportedAt: iso(at) }
  const id = instanceId.case(input.caseId)
  const instance = {
    id,
    machineId: 'case',
    reportId: request.reportId,
    subject: {
      caseId: input.caseId,
      reportId: request.reportId,
      duty: input.duty,
      subjectUserId: input.subject.kind === 'none' ? null : input.subject.userId,
    },
    input,
  }
  await unit.append({
    instance,
    expectedVersion: 0,
    event: { type: 'case.route', at: iso(at) } satisfies CaseEvent,
    actor: request.actor,
    recordedAt: at,
  })
  return { instanceId: id }
}

/**
 * A recipient body acknowledges a case. When that makes the case fully
 * acknowledged, every duty workflow whose exception names this case hears of it
 * in the same transaction.
 */
export async function acknowledgeCase(
  record: WorkflowRecord,
  request: { caseId: string; body: Body; expectedVersion: number; actor: Actor; at?: Date },
) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const id = instanceId.case(request.caseId)
    const existing = await unit.load(id)
    if (!existing) throw new NotFoundError('case', request.caseId)
    const result = await unit.append({
      instance: { id },
      expectedVersion: request.expectedVersion,
      event: { type: 'case.acknowledge', body: request.body, at: iso(at) } satisfies CaseEvent,
      actor: request.actor,
      recordedAt: at,
    })
    const context = (result.snapshot as unknown as { context: CaseContext }).context
    if (isFullyAcknowledged(context) && existing.reportId) {
      for (const duty of await listDutyInstances(unit.trx, unit, existing.reportId)) {
        if (duty.context.exception?.caseId !== request.caseId || duty.context.exception.acknowledged) continue
        await unit.append({
          instance: { id: duty.id },
          expectedVersion: duty.version,
          event: { type: 'duty.exceptionAcknowledged', caseId: request.caseId } satisfies DutyReviewEvent,
          actor: SYSTEM,
          recordedAt: at,
        })
      }
    }
    return result
  })
}

/** Resolves or refers a case under review (its recipients decide). */
export async function decideCase(
  record: WorkflowRecord,
  request: {
    caseId: string
    event: Extract<CaseEvent, { type: 'case.resolve' | 'case.refer' }>
    expectedVersion: number
    actor: Actor
    at?: Date
  },
) {
  return record.append({
    instance: { id: instanceId.case(request.caseId) },
    expectedVersion: request.expectedVersion,
    event: request.event,
    actor: request.actor,
    recordedAt: request.at ?? new Date(),
  })
}
