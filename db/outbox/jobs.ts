// What the outbox loop does beside sending (issue 11): the reminders before SEC
// deadlines, the daily digests and the weekly witness. Each is written like any
// mail, in one IMMEDIATE transaction with the row that makes it happen once
// (reminder_sent, notification_digest, witness_sent: UNIQUE), so two loops, or a
// loop and `npm run mail:send`, never write it twice.
import { DUTIES } from '../../machines/duties'
import { filingDeadline } from '../../machines/filing-deadline'
import { mailBody } from '../../machines/notifications'
import { companyDay, digestsDue, selectReminders } from '../../machines/reminders'
import { reportProgress } from '../../machines/report-lifecycle'
import type { OfficerRole } from '../../machines/roles'
import type { DB } from '../client'
import { filerCategoryOn, getInstalledCompany } from '../queries/company'
import { type MailPerson, listMailPeople } from '../queries/notifications'
import { findReportLifecycle, listDutyInstances, type RecordReader } from '../queries/workflows'
import type { SigningKey } from '../signing-key'
import { immediateTransaction } from '../transaction'
import { insertMail, sendWitness } from './enqueue'

function reportWords(r: { form: string; fiscal_year: number; fiscal_quarter: number | null; amendment_number: number }): string {
  const form = r.amendment_number ? `Form ${r.form}/A (Amendment No. ${r.amendment_number})` : `Form ${r.form}`
  return r.form === '10-K'
    ? `the ${form} for fiscal year ${r.fiscal_year}`
    : `the ${form} for quarter ${r.fiscal_quarter} of fiscal ${r.fiscal_year}`
}

async function companyClock(db: DB, now: Date) {
  const company = await getInstalledCompany(db)
  const timeZone = company?.time_zone ?? 'America/Los_Angeles'
  return { company, timeZone, today: companyDay(now, timeZone) }
}

/** Reminders due today to officers with unsigned duties and to committee members with pending steps. */
export async function queueReminders(db: DB, reader: RecordReader, options: { now: Date; appUrl: string }): Promise<number> {
  const { company, today } = await companyClock(db, options.now)
  if (!company) return 0
  const people = await listMailPeople(db, today)
  const byId = new Map(people.map((p) => [p.userId, p]))
  const reports = await db.selectFrom('periodic_report').selectAll().where('company_id', '=', company.id).execute()
  let written = 0
  for (const report of reports) {
    const category = await filerCategoryOn(db, company.id, report.period_end)
    if (!category) continue
    const dueDate = filingDeadline({ form: report.form, periodEnd: report.period_end, category }).dueDate
    const lifecycle = await findReportLifecycle(db, reader, report)
    const progress = reportProgress(lifecycle.context)
    const top = lifecycle.path.split('.')[0]!
    // Matters about a person on this report keep them off its committee steps: never remind them of one.
    const subjects = new Set(
      (
        await db
          .selectFrom('workflow_instance')
          .select('subject_user_id')
          .where('report_id', '=', report.id)
          .where('machine_id', '=', 'case')
          .where('subject_user_id', 'is not', null)
          .execute()
      ).map((r) => r.subject_user_id!),
    )
    const duties = top === 'certification' ? await listDutyInstances(db, reader, report.id) : []
    const officers = people.filter((p) => p.officerRole !== null)
    const officerUserIds: Partial<Record<OfficerRole, string>> = {}
    for (const o of officers) officerUserIds[o.officerRole!] = o.userId
    const reminders = selectReminders({
      today,
      dueDate,
      extendedDueDate: progress.lateFilingNotice?.extendedDueDate ?? null,
      steps: {
        reportState: top,
        unsignedDuties: officers.map((o) => {
          const signed = new Set(duties.filter((d) => d.officerUserId === o.userId && d.path === 'signed').map((d) => d.dutyNumber))
          return {
            userId: o.userId,
            role: o.officerRole!,
            dutyNumbers: DUTIES.map((d) => d.number).filter((n) => !signed.has(n)),
          }
        }),
        disclosureCommitteeDone: progress.disclosureCommittee !== null,
        auditCommitteeDone: progress.auditCommittee !== null,
        approvals: { ceo: progress.approvalsForFiling.ceo !== null, cfo: progress.approvalsForFiling.cfo !== null },
        disclosureCommittee: people
          .filter((p) => p.bodies.includes('disclosure_committee') && !subjects.has(p.userId))
          .map((p) => p.userId),
        auditCommittee: people.filter((p) => p.bodies.includes('audit_committee') && !subjects.has(p.userId)).map((p) => p.userId),
        officerUserIds,
      },
    })
    const words = reportWords(report)
    const deadline = progress.lateFilingNotice?.extendedDueDate ?? dueDate
    for (const r of reminders) {
      const person = byId.get(r.userId)
      if (!person) continue
      const done = await immediateTransaction(db, async (trx) => {
        const already = await trx
          .selectFrom('reminder_sent')
          .select('day')
          .where('report_id', '=', report.id)
          .where('user_id', '=', r.userId)
          .where('day', '=', today)
          .executeTakeFirst()
        if (already) return false
        const what =
          `${r.daysLeft} business day${r.daysLeft === 1 ? '' : 's'} before ${words} is due with the SEC (${deadline}` +
          `${progress.lateFilingNotice ? ', the date its Form 12b-25 allows' : ''}), it still waits for ${r.pending}.`
        const id = await insertMail(trx, {
          key: `reminder.${report.id}.${today}.${r.userId}`,
          to: person,
          kind: 'reminder',
          subject: `${r.daysLeft} business day${r.daysLeft === 1 ? '' : 's'} left: ${words}`,
          body: mailBody(
            {
              what,
              reason: person.officerRole
                ? 'You receive this as a certifying officer with duties of this report still unsigned, or its approval for filing still yours to give.'
                : 'You receive this as a member of a committee whose step on this report is still to be taken.',
              link: top === 'certification' ? `/reports/${report.id}` : `/reports/${report.id}/filing`,
            },
            options.appUrl,
            person.name,
          ),
          causeSequence: null,
          at: options.now.toISOString(),
        })
        if (id === null) return false
        await trx
          .insertInto('reminder_sent')
          .values({ report_id: report.id, user_id: r.userId, day: today, business_days_left: r.daysLeft, message_id: id })
          .execute()
        return true
      })
      if (done) written += 1
    }
  }
  return written
}

/** The digests of every day that is over: one mail a person and day, listing the mails it holds. */
export async function queueDigests(db: DB, options: { now: Date; appUrl: string }): Promise<number> {
  const { timeZone, today } = await companyClock(db, options.now)
  const held = await db.selectFrom('outbox_message').select(['id', 'to_user_id', 'created_at']).where('state', '=', 'held').execute()
  const groups = digestsDue(
    held.map((h) => ({ id: h.id, userId: h.to_user_id, day: companyDay(new Date(h.created_at), timeZone) })),
    today,
  )
  let written = 0
  for (const g of groups) {
    const done = await immediateTransaction(db, async (trx) => {
      const already = await trx
        .selectFrom('notification_digest')
        .select('message_id')
        .where('user_id', '=', g.userId)
        .where('day', '=', g.day)
        .executeTakeFirst()
      const items = await trx
        .selectFrom('outbox_message')
        .selectAll()
        .where('id', 'in', g.ids)
        .where('state', '=', 'held')
        .orderBy('id')
        .execute()
      if (items.length === 0) return false
      let digestId = already?.message_id ?? null
      if (digestId === null) {
        const person = await trx
          .selectFrom('user')
          .select(['id', 'email', 'full_name'])
          .where('id', '=', g.userId)
          .executeTakeFirstOrThrow()
        const body = [
          `Dear ${person.full_name},`,
          '',
          `What happened on ${g.day} that concerns you (${items.length} ${items.length === 1 ? 'item' : 'items'}):`,
          '',
          ...items.flatMap((m, i) => [`${i + 1}. ${m.subject}`, ...linkAndReason(m.body_text), '']),
          `You receive one digest a day instead of a mail for each event: ${new URL('/settings/notifications', options.appUrl).href}`,
          '— Code of Ethics attestations, Hecla Mining Company',
        ].join('\n')
        digestId = await insertMail(trx, {
          key: `digest.${g.day}.${g.userId}`,
          to: { userId: person.id, email: person.email },
          kind: 'digest',
          subject: `Your daily digest for ${g.day}: ${items.length} ${items.length === 1 ? 'item' : 'items'}`,
          body,
          causeSequence: null,
          at: options.now.toISOString(),
        })
        if (digestId === null) return false
        await trx.insertInto('notification_digest').values({ user_id: g.userId, day: g.day, message_id: digestId }).execute()
      }
      await trx
        .updateTable('outbox_message')
        .set({ state: 'digested', digest_id: digestId })
        .where(
          'id',
          'in',
          items.map((m) => m.id),
        )
        .execute()
      return true
    })
    if (done) written += 1
  }
  return written
}

/** The link and the reason lines of a mail's body, for its line in a digest. */
function linkAndReason(body: string): string[] {
  return body
    .split('\n')
    .filter((l) => l.startsWith('Open it: ') || l.startsWith('Why you receive this: '))
    .map((l) => `   ${l}`)
}

/** The ISO week of a calendar date, e.g. "2026-W49": the weekly witness goes once in each. */
export function isoWeek(day: string): string {
  const d = new Date(`${day}T00:00:00Z`)
  const weekday = (d.getUTCDay() + 6) % 7
  d.setUTCDate(d.getUTCDate() - weekday + 3)
  // d is now the Thursday of its week, whose year is the week's year (ISO 8601).
  const year = d.getUTCFullYear()
  const week = 1 + Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7)
  return `${year}-W${String(week).padStart(2, '0')}`
}

/** The weekly witness to the Audit Committee chair: the signed head as it is now, once an ISO week. */
export async function queueWeeklyWitness(db: DB, key: SigningKey, options: { now: Date; appUrl: string }): Promise<number> {
  const { today } = await companyClock(db, options.now)
  return immediateTransaction(db, async (trx) => {
    const head = await trx.selectFrom('workflow_event').select('sequence').orderBy('sequence', 'desc').limit(1).executeTakeFirst()
    if (!head) return 0
    const before = await trx
      .selectFrom('witness_sent')
      .select('period')
      .where('reason', '=', 'weekly')
      .where('period', '=', isoWeek(today))
      .executeTakeFirst()
    if (before) return 0
    const people: MailPerson[] = await listMailPeople(trx, today)
    await sendWitness(trx, key, {
      reason: 'weekly',
      period: isoWeek(today),
      sequence: head.sequence,
      at: options.now.toISOString(),
      people,
      appUrl: options.appUrl,
    })
    return 1
  })
}
