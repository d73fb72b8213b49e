import type { CaseSubject } from '../../machines/routing'
import type { Role } from '../schema'
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

export async function findUserRecord(db: Executor, userId: string) {
  return db.selectFrom('user').select(['id', 'full_name', 'title']).where('id', '=', userId).executeTakeFirst()
}
