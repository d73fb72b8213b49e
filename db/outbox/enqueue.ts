// The transactional outbox's write side (issue 11, docs/decisions/020): called by
// the record inside the write transaction of the events that cause a mail
// (RecordOptions.afterWrite), so the mail rows commit with the events or not at
// all. Who receives what is machines/notifications.ts's; here the rows are written.
import { type NotificationCause, type NoticeKind, mailBody, noticesFor } from '../../machines/notifications'
import { companyDay, deliveryOf } from '../../machines/reminders'
import { getInstalledCompany } from '../queries/company'
import { type MailPerson, listMailPeople, listOwnMailTimes, notificationModeOf } from '../queries/notifications'
import type { Executor } from '../queries/executor'
import { instanceId } from '../ids'
import type { CaseContext } from '../../machines/case'
import type { AppendedEvent, RecordOptions, WriteUnit, WrittenFact } from '../workflow-record'
import type { SigningKey } from '../signing-key'
import { witnessOfHead } from './witness'

/** Where the links in mails point: the app's own address (README, "Notifications"). */
export function appUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.APP_URL || 'http://localhost:3000'
}

export interface NewMail {
  /** Letters, digits, dot, dash, underscore: it becomes the Message-ID's left part. */
  key: string
  to: Pick<MailPerson, 'userId' | 'email'>
  kind: NoticeKind
  subject: string
  body: string
  attachment?: { filename: string; contentType: string; content: string } | null
  causeSequence: number | null
  at: string
  held?: boolean
}

const safeKey = (key: string) => key.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 200)

/**
 * Writes one mail; a mail whose key is already there is the same mail decided
 * again and is left as it is. Returns the row's id, or null when it was there.
 */
export async function insertMail(trx: Executor, mail: NewMail): Promise<number | null> {
  const row = await trx
    .insertInto('outbox_message')
    .values({
      idempotency_key: safeKey(mail.key),
      to_user_id: mail.to.userId,
      to_address: mail.to.email,
      kind: mail.kind,
      subject: mail.subject,
      body_text: mail.body,
      attachment: mail.attachment ? JSON.stringify(mail.attachment) : null,
      cause_sequence: mail.causeSequence,
      created_at: mail.at,
      state: mail.held ? 'held' : 'queued',
      next_attempt_at: mail.at,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst()
  return row?.id ?? null
}

function reportWords(r: { form: string; fiscal_year: number; fiscal_quarter: number | null; amendment_number: number }): string {
  const form = r.amendment_number ? `Form ${r.form}/A (Amendment No. ${r.amendment_number})` : `Form ${r.form}`
  return r.form === '10-K'
    ? `the ${form} for fiscal year ${r.fiscal_year}`
    : `the ${form} for quarter ${r.fiscal_quarter} of fiscal ${r.fiscal_year}`
}

async function causesOf(unit: WriteUnit, events: readonly AppendedEvent[], facts: readonly WrittenFact[]): Promise<NotificationCause[]> {
  const words = new Map<string, string | null>()
  const wordsOf = async (reportId: string | null) => {
    if (!reportId) return null
    if (!words.has(reportId)) {
      const r = await unit.trx.selectFrom('periodic_report').selectAll().where('id', '=', reportId).executeTakeFirst()
      words.set(reportId, r ? reportWords(r) : null)
    }
    return words.get(reportId)!
  }
  const causes: NotificationCause[] = []
  for (const e of events) {
    causes.push({
      kind: 'event',
      sequence: e.sequence,
      machineId: e.machineId,
      reportId: e.reportId,
      subject: e.subject,
      event: e.event as NotificationCause & { type: string },
      context: (e.snapshot as unknown as { context: unknown }).context,
      reportWords: await wordsOf(e.reportId),
      actorUserId: e.actor.userId,
    } as NotificationCause)
  }
  for (const f of facts) {
    const loaded = await unit.load(instanceId.case(f.caseId))
    if (!loaded) continue
    causes.push({
      kind: 'caseMessage',
      messageId: f.messageId,
      messageKind: f.messageKind,
      caseId: f.caseId,
      context: loaded.snapshot.context as CaseContext,
      authorUserId: f.authorUserId,
    })
  }
  return causes
}

/** The after-write hook the app opens its record with. */
export function outboxHook(options: { appUrl?: string } = {}): NonNullable<RecordOptions['afterWrite']> {
  return (unit, written) => enqueueNotifications(unit, written, { appUrl: options.appUrl ?? appUrl() })
}

export async function enqueueNotifications(
  unit: WriteUnit,
  written: { events: readonly AppendedEvent[]; facts: readonly WrittenFact[] },
  options: { appUrl: string },
) {
  const at = written.events.at(-1)?.recordedAt ?? written.facts.at(-1)?.at ?? new Date().toISOString()
  const company = await getInstalledCompany(unit.trx)
  const timeZone = company?.time_zone ?? 'America/Los_Angeles'
  const today = companyDay(new Date(at), timeZone)
  const people = await listMailPeople(unit.trx, today)
  const byId = new Map(people.map((p) => [p.userId, p]))
  for (const cause of await causesOf(unit, written.events, written.facts)) {
    for (const notice of noticesFor(cause, people)) {
      const person = byId.get(notice.userId)
      if (!person) continue
      const delivery = deliveryOf({
        mode: await notificationModeOf(unit.trx, person.userId),
        alwaysImmediate: notice.alwaysImmediate,
        immediateToday: await immediateToday(unit.trx, person.userId, at, today, timeZone),
      })
      await insertMail(unit.trx, {
        key: `${notice.dedupe}.${notice.kind}.${person.userId}`,
        to: person,
        kind: notice.kind,
        subject: notice.subject,
        body: mailBody(notice, options.appUrl, person.name),
        causeSequence: cause.kind === 'event' ? cause.sequence : null,
        at,
        held: delivery === 'digest',
      })
    }
  }
  // Witness of the record at each filing: the Audit Committee chair receives the signed head as of the filing.
  const filing = written.events.find((e) => e.event.type === 'report.file')
  if (filing?.reportId) {
    const last = written.events.at(-1)!
    await sendWitness(unit.trx, unit.key, {
      reason: 'filing',
      period: filing.reportId,
      sequence: last.sequence,
      at,
      people,
      appUrl: options.appUrl,
    })
  }
}

async function immediateToday(trx: Executor, userId: string, at: string, today: string, timeZone: string) {
  const since = new Date(new Date(at).getTime() - 36 * 3600_000).toISOString()
  return (await listOwnMailTimes(trx, userId, since)).filter((t) => companyDay(new Date(t), timeZone) === today).length
}

/**
 * The signed chain head at `sequence` to each Audit Committee chair, once a
 * (reason, period): the file they keep outside the app is what `npm run verify --
 * --witness` checks a record against, so a rewrite by someone holding the file and
 * the key is still caught.
 */
export async function sendWitness(
  trx: Executor,
  key: SigningKey,
  w: { reason: 'filing' | 'weekly'; period: string; sequence: number; at: string; people: readonly MailPerson[]; appUrl: string },
) {
  const already = await trx
    .selectFrom('witness_sent')
    .select('sequence')
    .where('reason', '=', w.reason)
    .where('period', '=', w.period)
    .executeTakeFirst()
  if (already) return
  const witness = await witnessOfHead(trx, key, w.sequence)
  if (!witness) return
  const chairs = w.people.filter((p) => p.roles.includes('audit_committee_chair'))
  let first: number | null = null
  for (const chair of chairs) {
    const id = await insertMail(trx, {
      key: `witness.${w.reason}.${w.period}.${chair.userId}`,
      to: chair,
      kind: 'witness',
      subject: `Witness of the record: signed chain head at event ${witness.sequence}`,
      body: [
        `Dear ${chair.name},`,
        '',
        `Attached is the signed head of the record of Code of Ethics attestations as of event ${witness.sequence}` +
          (w.reason === 'filing' ? ', at the filing of a periodic report.' : ', as every week.'),
        `Head hash: ${witness.headHash}`,
        `Signing key fingerprint: ${witness.keyFingerprint}`,
        '',
        'Keep this mail and its attachment outside the app. Anyone can check that the record still extends this head with',
        '  npm run verify -- --witness <the attached file> [database]',
        'which fails if the record was rewritten, even by someone who holds the database file and its signing key.',
        '',
        `Why you receive this: you chair the Audit Committee, which oversees the record of the officers' attestations.`,
        `The record's own check: ${new URL('/history/verify', w.appUrl).href}`,
      ].join('\n'),
      attachment: {
        filename: `witness-${witness.sequence}.json`,
        contentType: 'application/json',
        content: JSON.stringify(witness, null, 2),
      },
      causeSequence: witness.sequence,
      at: w.at,
    })
    first ??= id
  }
  if (first !== null)
    await trx
      .insertInto('witness_sent')
      .values({ reason: w.reason, period: w.period, sequence: witness.sequence, message_id: first })
      .execute()
}
