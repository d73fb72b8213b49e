import type { CaseSubject } from '../../machines/routing'
import { ANONYMOUS_CHANNEL_USER_ID, type Role } from '../schema'
import type { Executor } from './executor'

export interface Person {
  id: string
  name: string
  title: string
  roles: Role[]
}

/** Everyone at the company with the roles in force on `today` (a calendar date). */
export async function listPeople(db: Executor, companyId: string, today = new Date().toISOString().slice(0, 10)): Promise<Person[]> {
  const rows = await db
    .selectFrom('user as u')
    .innerJoin('membership as m', 'm.user_id', 'u.id')
    .select(['u.id', 'u.full_name', 'u.title', 'm.role'])
    .where('m.company_id', '=', companyId)
    .where('u.deactivated_at', 'is', null)
    .where('m.effective_from', '<=', today)
    .where((eb) => eb.or([eb('m.effective_to', 'is', null), eb('m.effective_to', '>', today)]))
    .orderBy('u.full_name')
    .execute()
  const people = new Map<string, Person>()
  for (const r of rows) {
    const p = people.get(r.id) ?? { id: r.id, name: r.full_name, title: r.title, roles: [] }
    p.roles.push(r.role)
    people.set(r.id, p)
  }
  // Administrators keep the system; a matter about one is about an employee like any other.
  return [...people.values()]
}

/** What the routing rule needs to know about the person a matter is about. */
export function subjectFor(person: Person): CaseSubject {
  const officerRole = (['ceo', 'cfo', 'cao'] as const).find((r) => person.roles.includes(r))
  if (officerRole) return { kind: 'officer', role: officerRole, userId: person.id }
  if (person.roles.includes('director') || person.roles.includes('chairman')) {
    return {
      kind: 'director',
      userId: person.id,
      isChairman: person.roles.includes('chairman'),
      isAuditCommitteeMember: person.roles.some((r) => r === 'audit_committee_member' || r === 'audit_committee_chair'),
    }
  }
  return { kind: 'employee', userId: person.id }
}

/**
 * A person's name and title: today's (`user.title`), or with `at` the title they
 * held that UTC day (title_assignment, migration 016), which is what a signature
 * made then states. A day before any dated title falls back to today's.
 */
export async function findUserRecord(db: Executor, userId: string, at?: Date) {
  const user = await db.selectFrom('user').select(['id', 'full_name', 'title']).where('id', '=', userId).executeTakeFirst()
  if (!user || !at) return user
  const held = await titleOn(db, userId, at.toISOString().slice(0, 10))
  return { ...user, title: held ?? user.title }
}

/** The title a person held on a calendar day ('YYYY-MM-DD'), or undefined when the register has none for it. */
export async function titleOn(db: Executor, userId: string, day: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('title_assignment')
    .select('title')
    .where('user_id', '=', userId)
    .where('effective_from', '<=', day)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>', day)]))
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.title
}

/** A person's dated titles, oldest first. */
export async function listTitleAssignments(db: Executor, userId: string) {
  return db
    .selectFrom('title_assignment')
    .select(['id', 'title', 'effective_from', 'effective_to', 'recorded_by', 'recorded_at'])
    .where('user_id', '=', userId)
    .orderBy('effective_from')
    .execute()
}

/** A person's memberships, every period, oldest first. */
export async function listMemberships(db: Executor, userId: string) {
  return db
    .selectFrom('membership')
    .select(['id', 'company_id', 'role', 'effective_from', 'effective_to'])
    .where('user_id', '=', userId)
    .orderBy('effective_from')
    .orderBy('role')
    .execute()
}

/** Everyone with an account, deactivated or not, by name: the administrator's list of people (not the anonymous channel, which is no one). */
export async function listAccounts(db: Executor) {
  return db
    .selectFrom('user')
    .select(['id', 'full_name', 'email', 'title', 'deactivated_at'])
    .where('id', '!=', ANONYMOUS_CHANNEL_USER_ID)
    .orderBy('full_name')
    .execute()
}
