import type { Role } from '../../db/schema'
import { readsHistory, receivingBodiesOf } from './permissions.server'

// The parts of the app a person's roles open, for the header: the matters their
// bodies receive, the sign-off history, and the administrator's pages. Only links
// the routes' own checks would let through (tests/http/sections.http.test.ts walks
// each person's links), so nobody is shown a door that answers 403.

export interface Section {
  href: string
  label: string
}

export function sectionsFor(roles: readonly Role[]): Section[] {
  const sections: Section[] = []
  if (receivingBodiesOf(roles).length > 0) sections.push({ href: '/cases', label: 'Matters received' })
  if (readsHistory(roles)) sections.push({ href: '/history', label: 'History' })
  if (roles.includes('administrator')) sections.push({ href: '/admin/people', label: 'People' }, { href: '/admin/outbox', label: 'Outbox' })
  return sections
}
