import { randomBytes } from 'node:crypto'
import type { NewWaiver, NewWaiverDisclosure } from '../../machines/waiver-register'
import { CommandRefusedError, NotFoundError } from '../errors'
import { keepRow } from '../kept-rows'
import type { WorkflowRecord } from '../workflow-record'
import { iso } from './shared'

// The waiver register's two writes, each one transaction of the record's write
// path: a waiver, and later its disclosure. Both rows are append-only; a waiver
// is disclosed once. Who may record is the route's permission check; here the
// officer must hold a certifying role on the day of approval, and no date may
// lie in the future or a disclosure precede its approval.

const newId = (prefix: string) => `${prefix}-${randomBytes(8).toString('hex')}`

export async function recordWaiver(
  record: WorkflowRecord,
  request: { companyId: string; waiver: NewWaiver; recordedBy: string; at?: Date; id?: string },
): Promise<{ id: string }> {
  const at = request.at ?? new Date()
  const w = request.waiver
  if (w.approvedOn > iso(at).slice(0, 10)) {
    throw new CommandRefusedError('waiver_date_in_future', `approved on ${w.approvedOn}, after today`, { approvedOn: w.approvedOn })
  }
  return record.write(async (unit) => {
    const held = await unit.trx
      .selectFrom('membership')
      .select('role')
      .where('user_id', '=', w.officerUserId)
      .where('company_id', '=', request.companyId)
      .where('role', 'in', ['ceo', 'cfo', 'cao'])
      .where('effective_from', '<=', w.approvedOn)
      .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>', w.approvedOn)]))
      .execute()
    if (held.length !== 1) {
      throw new CommandRefusedError('not_a_certifying_officer', `${w.officerUserId} held ${held.length} officer roles on ${w.approvedOn}`, {
        officerUserId: w.officerUserId,
        approvedOn: w.approvedOn,
      })
    }
    const id = request.id ?? newId('waiver')
    await unit.trx
      .insertInto('waiver')
      .values({
        id,
        company_id: request.companyId,
        duty_number: w.dutyNumber,
        officer_user_id: w.officerUserId,
        officer_role: held[0]!.role as 'ceo' | 'cfo' | 'cao',
        reason: w.reason,
        approver: w.approver,
        committee_name: w.committeeName,
        approved_on: w.approvedOn,
        recorded_by: request.recordedBy,
        recorded_at: iso(at),
      })
      .execute()
    await keepRow(unit, 'waiver', id, { userId: request.recordedBy, role: 'administrator' }, at)
    return { id }
  })
}

export async function recordWaiverDisclosure(
  record: WorkflowRecord,
  request: { companyId: string; disclosure: NewWaiverDisclosure; recordedBy: string; at?: Date; id?: string },
): Promise<{ id: string }> {
  const at = request.at ?? new Date()
  const d = request.disclosure
  return record.write(async (unit) => {
    const waiver = await unit.trx
      .selectFrom('waiver')
      .select(['id', 'approved_on'])
      .where('id', '=', d.waiverId)
      .where('company_id', '=', request.companyId)
      .executeTakeFirst()
    if (!waiver) throw new NotFoundError('waiver', d.waiverId)
    const already = await unit.trx
      .selectFrom('waiver_disclosure')
      .select('disclosed_on')
      .where('waiver_id', '=', d.waiverId)
      .executeTakeFirst()
    if (already) {
      throw new CommandRefusedError('waiver_already_disclosed', `${d.waiverId} was disclosed on ${already.disclosed_on}`, {
        disclosedOn: already.disclosed_on,
      })
    }
    if (d.disclosedOn < waiver.approved_on || d.disclosedOn > iso(at).slice(0, 10)) {
      throw new CommandRefusedError('waiver_disclosure_date', `disclosed on ${d.disclosedOn}, approved on ${waiver.approved_on}`, {
        approvedOn: waiver.approved_on,
        disclosedOn: d.disclosedOn,
      })
    }
    const id = request.id ?? newId('waiver-disclosure')
    await unit.trx
      .insertInto('waiver_disclosure')
      .values({
        id,
        waiver_id: d.waiverId,
        kind: d.kind,
        accession_number: d.accessionNumber,
        website_url: d.websiteUrl,
        disclosed_on: d.disclosedOn,
        recorded_by: request.recordedBy,
        recorded_at: iso(at),
      })
      .execute()
    await keepRow(unit, 'waiver_disclosure', id, { userId: request.recordedBy, role: 'administrator' }, at)
    return { id }
  })
}
