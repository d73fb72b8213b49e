import { createHash } from 'node:crypto'
import type { DB } from '../db/client'
import { hashPassword } from '../db/password'
import { DUTIES } from '../machines/duties'
import { DEMO_PASSWORD, company, filerCategories, reports, reviewBodySettings, users } from './hecla'

export function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}

// Memberships of the demo start on a fixed day so that seeding is reproducible.
const MEMBERSHIP_START = '2007-01-01'

/**
 * Loads the Hecla demo company (people, duties, reports, material information)
 * unless it is there already; one transaction, so a failure leaves nothing
 * half-seeded. Drafts and workflow history come from seeds/history.ts, through
 * the record. Returns whether it wrote anything.
 */
export async function seedDemoCompany(db: DB, options: { passwordHash?: string } = {}): Promise<boolean> {
  const present = await db.selectFrom('company').select('id').where('id', '=', company.id).executeTakeFirst()
  if (present) return false
  // One hash for every demo login: the demo password is printed at start anyway.
  const passwordHash = options.passwordHash ?? (await hashPassword(DEMO_PASSWORD))

  await db.transaction().execute(async (trx) => {
    const dutyCount = await trx
      .selectFrom('duty')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    if (Number(dutyCount.n) === 0) {
      await trx
        .insertInto('duty')
        .values(
          DUTIES.map((d) => ({
            number: d.number,
            kind: d.kind,
            title: d.title,
            text: d.text,
            recipients: JSON.stringify(d.recipients),
            bound_to_draft: d.boundToDraft ? (1 as const) : (0 as const),
          })),
        )
        .execute()
    }
    await trx.insertInto('company').values(company).execute()
    await trx
      .insertInto('filer_category')
      .values(filerCategories.map((f) => ({ ...f, company_id: company.id })))
      .execute()
    for (const user of users) {
      await trx
        .insertInto('user')
        .values({ id: user.id, email: user.email, full_name: user.full_name, title: user.title, password_hash: passwordHash })
        .execute()
      await trx
        .insertInto('title_assignment')
        .values({
          id: `title-${user.id}-${MEMBERSHIP_START}`,
          user_id: user.id,
          title: user.title,
          effective_from: MEMBERSHIP_START,
          effective_to: null,
          recorded_by: null,
          recorded_at: `${MEMBERSHIP_START}T00:00:00.000Z`,
        })
        .execute()
      await trx
        .insertInto('membership')
        .values(
          user.roles.map((role) => ({
            id: `membership-${user.id.replace(/^user-/, '')}-${role}`,
            user_id: user.id,
            company_id: company.id,
            role,
            effective_from: MEMBERSHIP_START,
          })),
        )
        .execute()
    }
    await trx
      .insertInto('review_body_setting')
      .values(reviewBodySettings.map((r) => ({ ...r, company_id: company.id, updated_at: MEMBERSHIP_START + 'T00:00:00.000Z' })))
      .execute()
    for (const report of reports) {
      await trx
        .insertInto('periodic_report')
        .values({
          id: report.id,
          company_id: company.id,
          form: report.form,
          fiscal_year: report.fiscal_year,
          fiscal_quarter: report.fiscal_quarter,
          period_end: report.period_end,
          created_by: 'user-admin',
        })
        .execute()
      for (const item of report.items) {
        await trx
          .insertInto('material_information_item')
          .values({
            id: item.id,
            report_id: report.id,
            title: item.title,
            description: item.description,
            source: item.source,
            source_date: item.source_date,
            recorded_by: 'user-cao',
            recorded_at: item.recorded_at,
          })
          .execute()
        if (item.amounts.length > 0) {
          await trx
            .insertInto('material_amount')
            .values(item.amounts.map((a, i) => ({ id: `${item.id}-amount-${i + 1}`, item_id: item.id, position: i + 1, ...a })))
            .execute()
        }
      }
    }
  })
  return true
}
