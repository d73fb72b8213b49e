import type { DB } from '../client'
import type { Form, PeriodicReport } from '../schema'
import { immediateTransaction } from '../transaction'
import type { Executor } from './executor'

export interface NewReportPeriod {
  form: Form
  fiscalYear: number
  /** 1–3 for a Form 10-Q; null for a Form 10-K. */
  fiscalQuarter: number | null
  periodEnd: string
}

/**
 * A report of the company that the new one would duplicate: the same form for the
 * same fiscal period (the table's UNIQUE rules), or the same form for the same
 * period end (two quarters cannot end on one day).
 */
export async function findConflictingReport(db: Executor, companyId: string, period: NewReportPeriod) {
  return db
    .selectFrom('periodic_report')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('form', '=', period.form)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('fiscal_year', '=', period.fiscalYear),
          period.fiscalQuarter === null ? eb('fiscal_quarter', 'is', null) : eb('fiscal_quarter', '=', period.fiscalQuarter),
        ]),
        eb('period_end', '=', period.periodEnd),
      ]),
    )
    .orderBy('period_end')
    .limit(1)
    .executeTakeFirst()
}

/** The report's id, readable and stable: `report-2013-q1`, `report-2013-fy` (as the demo seeds name theirs). */
export function periodicReportId(period: Pick<NewReportPeriod, 'fiscalYear' | 'fiscalQuarter'>): string {
  return `report-${period.fiscalYear}-${period.fiscalQuarter === null ? 'fy' : `q${period.fiscalQuarter}`}`
}

export type CreatePeriodicReportResult = { created: true; id: string } | { created: false; existing: PeriodicReport }

/**
 * Creates a periodic report, checking for a duplicate and inserting in one
 * IMMEDIATE transaction, so two administrators submitting the same period at
 * once get one report and one clear refusal (the UNIQUE indexes stay the backstop).
 */
export async function createPeriodicReport(
  db: DB,
  request: NewReportPeriod & { companyId: string; createdBy: string; at: Date },
): Promise<CreatePeriodicReportResult> {
  return immediateTransaction(db, async (trx) => {
    const existing = await findConflictingReport(trx, request.companyId, request)
    if (existing) return { created: false, existing }
    const id = periodicReportId(request)
    const taken = await trx.selectFrom('periodic_report').selectAll().where('id', '=', id).executeTakeFirst()
    if (taken) return { created: false, existing: taken }
    await trx
      .insertInto('periodic_report')
      .values({
        id,
        company_id: request.companyId,
        form: request.form,
        fiscal_year: request.fiscalYear,
        fiscal_quarter: request.fiscalQuarter,
        period_end: request.periodEnd,
        current_draft_id: null,
        created_by: request.createdBy,
        created_at: request.at.toISOString(),
      })
      .execute()
    return { created: true, id }
  })
}

/** Every draft of a report, newest first, with who uploaded it. */
export async function listReportDrafts(db: Executor, reportId: string) {
  return db
    .selectFrom('report_draft as d')
    .innerJoin('user as u', 'u.id', 'd.uploaded_by')
    .select([
      'd.id',
      'd.version',
      'd.sha256',
      'd.size_bytes',
      'd.file_name',
      'd.uploaded_at',
      'u.full_name as uploaded_by_name',
      'u.title as uploaded_by_title',
    ])
    .where('d.report_id', '=', reportId)
    .orderBy('d.version', 'desc')
    .execute()
}
