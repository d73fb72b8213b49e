// The demo's live report: besides the two reports of the seed documents (2008,
// 2012), the periodic report whose SEC due date is the first on or after the day
// the demo database is created, so that a new user's dashboard counts real days
// to a real deadline. Its period and dates are computed from that day, the
// company's fiscal year end and the filer category in force (machines/filing-deadline.ts).
// The id is fixed whatever the day, so that pages and tests can name it.
import { registerDraft, beginCertification } from '../db/commands'
import type { FilerCategory, Form } from '../db/schema'
import type { WorkflowRecord } from '../db/workflow-record'
import { calendarDateWords, filingDeadline } from '../machines/filing-deadline'
import { company } from './hecla'
import { sha256Hex } from './load'

export const LIVE_REPORT_ID = 'report-live'
export const LIVE_DRAFT_ID = 'draft-live-v1'

const CAO = { userId: 'user-cao', role: 'cao' }
const ADMIN = { userId: 'user-admin', role: 'administrator' }

export interface LivePeriod {
  form: Form
  fiscal_year: number
  /** 1–3 for a Form 10-Q; null for the Form 10-K. */
  fiscal_quarter: number | null
  period_end: string
}

export interface LiveReport extends LivePeriod {
  id: typeof LIVE_REPORT_ID
  dueDate: string
  /** Whether the period was over on the creation day (its last day is still inside it). */
  periodEnded: boolean
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The last day of a month, `month` counted from 1 and allowed past 12 (month 15 of 2026 is March 2027). */
function monthEnd(year: number, month: number): string {
  const y = year + Math.floor((month - 1) / 12)
  const m = ((((month - 1) % 12) + 12) % 12) + 1
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return `${y}-${pad(m)}-${pad(last)}`
}

/**
 * The periods of fiscal year `fiscalYear` (named, as Hecla's, by the calendar year
 * it ends in) for a fiscal year ending on the last day of a month ('MM-DD'): three
 * quarters on Form 10-Q, then the year on Form 10-K.
 */
export function fiscalPeriods(fiscalYear: number, fiscalYearEnd: string): LivePeriod[] {
  const match = /^(\d{2})-(\d{2})$/.exec(fiscalYearEnd)
  const month = Number(match?.[1])
  if (!match || month < 1 || month > 12 || monthEnd(fiscalYear, month) !== `${fiscalYear}-${fiscalYearEnd}`) {
    throw new Error(`Unsupported fiscal year end '${fiscalYearEnd}': expected the last day of a month, 'MM-DD'`)
  }
  const quarters = [1, 2, 3].map((q) => ({
    form: '10-Q' as const,
    fiscal_year: fiscalYear,
    fiscal_quarter: q,
    period_end: monthEnd(fiscalYear - 1, month + 3 * q),
  }))
  return [...quarters, { form: '10-K' as const, fiscal_year: fiscalYear, fiscal_quarter: null, period_end: monthEnd(fiscalYear, month) }]
}

/**
 * The report whose SEC due date is the first on or after `today` ('YYYY-MM-DD'):
 * due dates follow period ends in order (a 10-K's 60–90 days after the year end
 * come before the next quarter's 40–45), so it is the first period, in order,
 * whose due date has not passed.
 */
export function livePeriodFor(
  today: string,
  options: { fiscalYearEnd: string; categoryOn: (periodEnd: string) => FilerCategory | null },
): LiveReport {
  const year = Number(today.slice(0, 4))
  const candidates = [year - 1, year, year + 1].flatMap((y) => fiscalPeriods(y, options.fiscalYearEnd))
  for (const period of candidates) {
    const category = options.categoryOn(period.period_end)
    if (!category) continue
    const { dueDate } = filingDeadline({ form: period.form, periodEnd: period.period_end, category })
    if (dueDate >= today) return { id: LIVE_REPORT_ID, ...period, dueDate, periodEnded: period.period_end < today }
  }
  throw new Error(`No filer category is in force for the periods around ${today}`)
}

/** The live report's first draft: a stand-in text, as the seed documents' drafts are. */
export function liveDraft(report: LivePeriod) {
  const what =
    report.form === '10-K'
      ? `Form 10-K for the fiscal year ended ${calendarDateWords(report.period_end)}`
      : `Form 10-Q for the quarter ended ${calendarDateWords(report.period_end)}`
  const content = `${company.name}, ${what}. Draft 1.\n`
  const slug = report.form === '10-K' ? `10k-${report.fiscal_year}` : `10q-${report.fiscal_year}-q${report.fiscal_quarter}`
  return { id: LIVE_DRAFT_ID, fileName: `hecla-${slug}-draft-1.txt`, content, sha256: sha256Hex(content) }
}

/**
 * Seeds the live report for the day of `today` (its UTC calendar day; the seed
 * CLI and the server pass the real moment, tests pin one) unless it is there:
 * the report row; then, when its period has ended, its first draft and the start
 * of certification, through the same commands the app uses (no signatures); when
 * it has not, nothing more: the report is drafting. Returns what it seeded.
 */
export async function seedLiveReport(record: WorkflowRecord, today: Date): Promise<LiveReport | null> {
  const db = record.db
  if (await db.selectFrom('periodic_report').select('id').where('id', '=', LIVE_REPORT_ID).executeTakeFirst()) return null
  const stored = await db.selectFrom('company').select(['id', 'fiscal_year_end']).where('id', '=', company.id).executeTakeFirstOrThrow()
  const categories = await db
    .selectFrom('filer_category')
    .select(['category', 'effective_from'])
    .where('company_id', '=', stored.id)
    .orderBy('effective_from', 'desc')
    .execute()
  const day = today.toISOString().slice(0, 10)
  const live = livePeriodFor(day, {
    fiscalYearEnd: stored.fiscal_year_end,
    categoryOn: (periodEnd) => categories.find((c) => c.effective_from <= periodEnd)?.category ?? null,
  })
  // Never a second report of a period the demo holds already (a creation day in 2013 would name the FY2012 10-K).
  const existing = await db
    .selectFrom('periodic_report')
    .select('id')
    .where('company_id', '=', stored.id)
    .where('form', '=', live.form)
    .where('period_end', '=', live.period_end)
    .executeTakeFirst()
  if (existing) return null
  await db
    .insertInto('periodic_report')
    .values({
      id: live.id,
      company_id: stored.id,
      form: live.form,
      fiscal_year: live.fiscal_year,
      fiscal_quarter: live.fiscal_quarter,
      period_end: live.period_end,
      created_by: ADMIN.userId,
      created_at: today.toISOString(),
    })
    .execute()
  if (live.periodEnded) {
    const draft = liveDraft(live)
    await registerDraft(record, {
      reportId: live.id,
      draftId: draft.id,
      sha256: draft.sha256,
      sizeBytes: Buffer.byteLength(draft.content),
      fileName: draft.fileName,
      uploadedBy: CAO,
      // A minute before the moment of creation, so that no event of the seed is dated after it.
      at: new Date(today.getTime() - 60_000),
    })
    await beginCertification(record, { reportId: live.id, actor: ADMIN, at: today })
  }
  return live
}
