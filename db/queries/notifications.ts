// Reads for the outbox: who can be written to, their settings, the outbox itself.
import type { Addressee } from '../../machines/notifications'
import { type Body, OFFICER_ROLES, type OfficerRole } from '../../machines/roles'
import type { NotificationMode, OutboxState, Role } from '../schema'
import type { Executor } from './executor'

/** The bodies of the Code a person receives matters as, by their roles (as app/utils/permissions.server.ts bodiesOf). */
const BODY_OF_ROLE: Partial<Record<Role, Body>> = {
  disclosure_committee: 'disclosure_committee',
  audit_committee_member: 'audit_committee',
  audit_committee_chair: 'audit_committee',
  chairman: 'chairman',
  ceo: 'ceo',
  director: 'board',
  internal_auditor: 'internal_auditor',
  independent_auditor: 'independent_auditor',
}

export interface MailPerson extends Addressee {
  email: string
  name: string
  roles: Role[]
}

/** Everyone active with a role in force on `today` (a calendar date): the people a mail may go to. */
export async function listMailPeople(db: Executor, today: string): Promise<MailPerson[]> {
  const rows = await db
    .selectFrom('user as u')
    .innerJoin('membership as m', 'm.user_id', 'u.id')
    .select(['u.id', 'u.email', 'u.full_name', 'm.role'])
    .where('u.deactivated_at', 'is', null)
    .where('m.effective_from', '<=', today)
    .where((eb) => eb.or([eb('m.effective_to', 'is', null), eb('m.effective_to', '>', today)]))
    .orderBy('u.id')
    .execute()
  const people = new Map<string, MailPerson>()
  for (const r of rows) {
    const p = people.get(r.id) ?? { userId: r.id, email: r.email, name: r.full_name, roles: [], bodies: [], officerRole: null }
    p.roles.push(r.role)
    const body = BODY_OF_ROLE[r.role]
    if (body && !p.bodies.includes(body)) (p.bodies as Body[]).push(body)
    if ((OFFICER_ROLES as readonly string[]).includes(r.role)) p.officerRole = r.role as OfficerRole
    people.set(r.id, p)
  }
  return [...people.values()]
}

export async function notificationModeOf(db: Executor, userId: string): Promise<NotificationMode> {
  const row = await db.selectFrom('notification_setting').select('mode').where('user_id', '=', userId).executeTakeFirst()
  return row?.mode ?? 'immediate'
}

/** Mails written to a person since an instant that went (or go) on their own, not in a digest. */
export async function listOwnMailTimes(db: Executor, userId: string, since: string): Promise<string[]> {
  const rows = await db
    .selectFrom('outbox_message')
    .select('created_at')
    .where('to_user_id', '=', userId)
    .where('created_at', '>=', since)
    .where('state', 'not in', ['held', 'digested'])
    .where('kind', 'not in', ['digest', 'witness'])
    .execute()
  return rows.map((r) => r.created_at)
}

export interface OutboxListRow {
  id: number
  toName: string
  toAddress: string
  kind: string
  subject: string
  bodyText: string
  hasAttachment: boolean
  state: OutboxState
  attempts: number
  nextAttemptAt: string
  lastError: string | null
  createdAt: string
  sentAt: string | null
  idempotencyKey: string
}

/** The outbox for its administrator: newest first, dead letters first of all. */
export async function listOutbox(db: Executor, options: { limit: number; state?: OutboxState }): Promise<OutboxListRow[]> {
  let q = db
    .selectFrom('outbox_message as o')
    .innerJoin('user as u', 'u.id', 'o.to_user_id')
    .select([
      'o.id',
      'u.full_name',
      'o.to_address',
      'o.kind',
      'o.subject',
      'o.body_text',
      'o.attachment',
      'o.state',
      'o.attempts',
      'o.next_attempt_at',
      'o.last_error',
      'o.created_at',
      'o.sent_at',
      'o.idempotency_key',
    ])
  if (options.state) q = q.where('o.state', '=', options.state)
  const rows = await q
    .orderBy((eb) => eb.case().when('o.state', '=', 'dead').then(0).else(1).end())
    .orderBy('o.id', 'desc')
    .limit(options.limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    toName: r.full_name,
    toAddress: r.to_address,
    kind: r.kind,
    subject: r.subject,
    bodyText: r.body_text,
    hasAttachment: r.attachment !== null,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    idempotencyKey: r.idempotency_key,
  }))
}

/** How many mails are in each state. */
export async function countOutboxByState(db: Executor): Promise<Record<OutboxState, number>> {
  const rows = await db
    .selectFrom('outbox_message')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute()
  const out: Record<OutboxState, number> = { queued: 0, sending: 0, sent: 0, dead: 0, held: 0, digested: 0 }
  for (const r of rows) out[r.state] = Number(r.n)
  return out
}
