import { expect, inject, test } from 'vitest'
import { PEOPLE, type Person } from './access-policy'
import { sessionsOf } from './sessions'

// The header's links to the parts of the app a person's roles open
// (app/utils/sections.server.ts): each person sees the ones their work needs, and
// every link shown opens (200), never a refusal.

const baseURL = inject('baseURL')
const session = sessionsOf(PEOPLE)

const EXPECTED: Record<Person, string[]> = {
  ceo: ['Matters received', 'History'],
  cfo: ['Matters received', 'History'],
  cao: ['Matters received', 'History'],
  disclosureChair: ['Matters received', 'History'],
  chairman: ['Matters received', 'History'],
  auditChair: ['Matters received', 'History'],
  auditMember: ['Matters received', 'History'],
  internalAuditor: [],
  independentAuditor: [],
  administrator: ['People', 'Outbox'],
}

test.each(Object.keys(PEOPLE) as Person[])('%s: the header links to what their roles open, and each opens', async (who) => {
  const cookie = await session(who)
  const home = await (await fetch(`${baseURL}/`, { headers: { Cookie: cookie } })).text()
  const nav = /<nav class="session-nav"[^>]*>([\s\S]*?)<\/nav>/.exec(home)?.[1] ?? ''
  const links = [...nav.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map(([, href, label]) => ({ href: href!, label: label! }))
  const sections = links.filter((l) => !['/cases/new', '/cases/mine', '/settings/notifications'].includes(l.href))
  expect(sections.map((l) => l.label)).toEqual(EXPECTED[who])
  for (const { href } of sections) expect((await fetch(`${baseURL}${href}`, { headers: { Cookie: cookie } })).status, href).toBe(200)
})
