import type { Executor } from './executor'

export interface WaiverRow {
  id: string
  dutyNumber: number | null
  officerUserId: string
  officerName: string
  officerRole: 'ceo' | 'cfo' | 'cao'
  reason: string
  approver: 'board' | 'committee'
  committeeName: string | null
  approvedOn: string
  recordedAt: string
  disclosure: { kind: 'form_8k' | 'website'; accessionNumber: string | null; websiteUrl: string | null; disclosedOn: string } | null
}

/** The register, newest approval first; `officerUserId` narrows it to one officer's own waivers. */
export async function listWaivers(db: Executor, companyId: string, filter: { officerUserId?: string } = {}): Promise<WaiverRow[]> {
  let query = db
    .selectFrom('waiver as w')
    .innerJoin('user as u', 'u.id', 'w.officer_user_id')
    .leftJoin('waiver_disclosure as d', 'd.waiver_id', 'w.id')
    .select([
      'w.id',
      'w.duty_number',
      'w.officer_user_id',
      'u.full_name',
      'w.officer_role',
      'w.reason',
      'w.approver',
      'w.committee_name',
      'w.approved_on',
      'w.recorded_at',
      'd.kind',
      'd.accession_number',
      'd.website_url',
      'd.disclosed_on',
    ])
    .where('w.company_id', '=', companyId)
  if (filter.officerUserId !== undefined) query = query.where('w.officer_user_id', '=', filter.officerUserId)
  const rows = await query.orderBy('w.approved_on', 'desc').orderBy('w.recorded_at', 'desc').execute()
  return rows.map((r) => ({
    id: r.id,
    dutyNumber: r.duty_number,
    officerUserId: r.officer_user_id,
    officerName: r.full_name,
    officerRole: r.officer_role,
    reason: r.reason,
    approver: r.approver,
    committeeName: r.committee_name,
    approvedOn: r.approved_on,
    recordedAt: r.recorded_at,
    disclosure:
      r.kind && r.disclosed_on
        ? { kind: r.kind, accessionNumber: r.accession_number, websiteUrl: r.website_url, disclosedOn: r.disclosed_on }
        : null,
  }))
}
