import { randomBytes } from 'node:crypto'
// The commands of a reported matter (duties 1–4): reported and routed, acknowledged
// by each recipient body, resolved or referred to the Board.
import { isFullyAcknowledged, type CaseContext, type CaseEvent, type CaseInput } from '../../machines/case'
import type { DutyReviewEvent } from '../../machines/duty-review'
import type { Body } from '../../machines/roles'
import { CommandRefusedError, NotFoundError } from '../errors'
import { instanceId } from '../ids'
import { keepRow } from '../kept-rows'
import { findCaseQuestion } from '../queries/cases'
import { listDutyInstances } from '../queries/workflows'
import type { CaseCapacity, CaseMessageKind } from '../schema'
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

/** A note that goes with a step: written in the step's transaction, bound to its event. */
export interface StepNote {
  id?: string
  authorUserId: string
  capacity: Exclude<CaseCapacity, 'reporter'>
  body: string
}

/**
 * A recipient body acknowledges a case, with a note to the other recipients if
 * one is given (in the same transaction, bound to the event). When that makes the
 * case fully acknowledged, every duty workflow whose exception names this case
 * hears of it in the same transaction.
 */
export async function acknowledgeCase(
  record: WorkflowRecord,
  request: { caseId: string; body: Body; expectedVersion: number; actor: Actor; at?: Date; note?: StepNote },
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
    if (request.note) {
      await insertMessage(unit, {
        caseId: request.caseId,
        kind: 'note',
        authorUserId: request.note.authorUserId,
        capacity: request.note.capacity,
        body: request.note.body,
        at,
        id: request.note.id,
        workflowSequence: result.sequence,
      })
    }
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

export interface NewCaseMessage {
  caseId: string
  kind: CaseMessageKind
  /** For an answer: the question it answers (of the same case). */
  replyTo?: string
  authorUserId: string
  capacity: CaseCapacity
  body: string
  at?: Date
  /** Fixed ids for the seeds; a random one otherwise. */
  id?: string
  /** Files that go with it, already stored content-addressed (db/case-files.ts). */
  attachments?: { id?: string; sha256: string; sizeBytes: number; fileName: string }[]
}

async function insertMessage(
  unit: WriteUnit,
  m: Omit<NewCaseMessage, 'at'> & { at: Date; workflowSequence?: number },
): Promise<{ id: string }> {
  const id = m.id ?? `${m.kind}-${randomBytes(8).toString('hex')}`
  await unit.trx
    .insertInto('case_message')
    .values({
      id,
      case_instance_id: instanceId.case(m.caseId),
      kind: m.kind,
      reply_to: m.replyTo ?? null,
      author_user_id: m.authorUserId,
      author_capacity: m.capacity,
      body: m.body,
      written_at: iso(m.at),
      workflow_sequence: m.workflowSequence ?? null,
    })
    .execute()
  const author: Actor = { userId: m.authorUserId, role: m.capacity }
  await keepRow(unit, 'case_message', id, author, m.at)
  for (const file of m.attachments ?? []) {
    const fileId = file.id ?? `file-${randomBytes(8).toString('hex')}`
    await unit.trx
      .insertInto('case_attachment')
      .values({
        id: fileId,
        case_instance_id: instanceId.case(m.caseId),
        message_id: id,
        sha256: file.sha256,
        size_bytes: file.sizeBytes,
        file_name: file.fileName,
        uploaded_by: m.authorUserId,
        uploaded_at: iso(m.at),
      })
      .execute()
    await keepRow(unit, 'case_attachment', fileId, author, m.at)
  }
  return { id }
}

/**
 * A note between the recipients, a question to the reporter, or the reporter's
 * answer: a row beside the case's workflow (the machine decides nothing about
 * them), in one transaction with its files. Who may write which is the route's
 * permission check; here the case must exist and an answer must answer one of
 * its questions.
 */
export async function writeCaseMessage(record: WorkflowRecord, request: NewCaseMessage) {
  const at = request.at ?? new Date()
  return record.write(async (unit) => {
    const existing = await unit.load(instanceId.case(request.caseId))
    if (!existing || existing.machineId !== 'case') throw new NotFoundError('case', request.caseId)
    if (request.kind === 'answer') {
      const question = request.replyTo ? await findCaseQuestion(unit.trx, request.caseId, request.replyTo) : undefined
      if (!question) {
        throw new CommandRefusedError('no_such_question', `${request.replyTo ?? '(none)'} is not a question of case ${request.caseId}`, {
          caseId: request.caseId,
          replyTo: request.replyTo ?? null,
        })
      }
    } else if (request.replyTo !== undefined) {
      throw new CommandRefusedError('no_such_question', 'only an answer replies to a question', { caseId: request.caseId })
    }
    const written = await insertMessage(unit, { ...request, at })
    // A question to the reporter (or their answer) is news to someone: the outbox hears of it in this transaction.
    unit.tell({
      kind: 'caseMessage',
      caseId: request.caseId,
      messageId: written.id,
      messageKind: request.kind,
      authorUserId: request.authorUserId,
      at: iso(at),
    })
    return written
  })
}

/** Records one opening of a case page (who, in which capacity, when): append-only. */
export async function logCaseOpening(
  record: WorkflowRecord,
  request: { caseId: string; userId: string; capacity: 'recipient' | 'reporter'; at?: Date },
) {
  const at = request.at ?? new Date()
  await record.write(async (unit) => {
    const { id } = await unit.trx
      .insertInto('case_access_log')
      .values({
        case_instance_id: instanceId.case(request.caseId),
        user_id: request.userId,
        capacity: request.capacity,
        opened_at: iso(at),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    // Shown to the Audit Committee's chair as who opened the matter: bound to the chain like the thread.
    await keepRow(unit, 'case_access_log', id, { userId: request.userId, role: request.capacity }, at)
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
