import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { sessionsOf } from './sessions'

// /admin/people over HTTP: the administrator reads everyone's titles and roles
// over time and records changes; everyone else is refused (403), reading or
// posting. A refused change — a field that does not parse, a date that overlaps,
// a date in the future, a date before a signature — says why and writes nothing.

const USERS = {
  ceo: 'ceo@hecla.example',
  cfo: 'cfo@hecla.example',
  cao: 'controller@hecla.example',
  disclosureChair: 'disclosure@hecla.example',
  chairman: 'chairman@hecla.example',
  auditChair: 'audit.chair@hecla.example',
  auditMember: 'audit.member@hecla.example',
  internalAuditor: 'internal.audit@hecla.example',
  independentAuditor: 'auditor@hecla.example',
  admin: 'admin@hecla.example',
} as const
type Who = keyof typeof USERS
const OTHERS = (Object.keys(USERS) as Who[]).filter((w) => w !== 'admin')

const baseURL = inject('baseURL')
const databasePath = inject('databasePath')
const session = sessionsOf(USERS)
let sqlite: Database.Database
beforeAll(() => {
  sqlite = new Database(databasePath, { readonly: true, fileMustExist: true })
})
afterAll(() => sqlite.close())

const get = async (who: Who) => fetch(`${baseURL}/admin/people`, { redirect: 'manual', headers: { Cookie: await session(who) } })
const post = async (who: Who, fields: Record<string, string>) =>
  fetch(`${baseURL}/admin/people`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL, Cookie: await session(who) },
    body: new URLSearchParams(fields),
  })
const rows = () => ({
  titles: sqlite.prepare('SELECT * FROM title_assignment ORDER BY id').all(),
  memberships: sqlite.prepare('SELECT * FROM membership ORDER BY id').all(),
  users: sqlite.prepare('SELECT id, title FROM user ORDER BY id').all(),
})
const today = () => new Date().toISOString().slice(0, 10)

test('the administrator reads everyone’s titles and roles, with the CFO’s two titles and their dates', async () => {
  const response = await get('admin')
  expect(response.status).toBe(200)
  const html = await response.text()
  expect(html).toContain('<h1>People, titles and roles</h1>')
  // The text as a reader gets it: names and titles are user text (in <bdi>), and React separates text nodes with comments.
  const text = html.replace(/<!-- -->|<\/?bdi>/g, '')
  expect(text).toContain('Vice President and Chief Financial Officer, January 1, 2007 to May 31, 2011')
  expect(text).toContain('Senior Vice President and Chief Financial Officer, since June 1, 2011')
})

describe.each(OTHERS)('%s', (who) => {
  test('is refused the page and every change (403), and nothing is written', async () => {
    const before = rows()
    expect((await get(who)).status).toBe(403)
    const title = await post(who, { intent: 'title', userId: 'user-cfo', title: 'Chief Financial Officer', effectiveFrom: today() })
    expect(title.status).toBe(403)
    const role = await post(who, {
      intent: 'membership',
      userId: who === 'cfo' ? 'user-cfo' : 'user-ceo',
      endMembershipId: '',
      startRole: 'administrator',
      on: today(),
    })
    expect(role.status).toBe(403)
    expect(rows()).toEqual(before)
  })
})

test.each([
  [
    'a field that does not parse',
    { intent: 'title', userId: 'user-cfo', title: '   ', effectiveFrom: 'June 2011' },
    400,
    /Write the new title/,
  ],
  [
    'a date in the future',
    { intent: 'title', userId: 'user-cfo', title: 'Chief Financial Officer', effectiveFrom: '2999-01-01' },
    422,
    /after today/,
  ],
  [
    'a new title overlapping the current one',
    { intent: 'title', userId: 'user-cfo', title: 'Chief Financial Officer', effectiveFrom: '2011-06-01' },
    409,
    /overlaps a period already recorded/,
  ],
  [
    'a title dated before a signature made under the current one',
    { intent: 'title', userId: 'user-cfo', title: 'Chief Financial Officer', effectiveFrom: '2012-01-01' },
    409,
    /signed on or after that date under their current title/,
  ],
  [
    'the title held already',
    { intent: 'title', userId: 'user-cfo', title: 'Senior Vice President and Chief Financial Officer', effectiveFrom: today() },
    409,
    /holds this title already/,
  ],
  [
    'a role held twice at once',
    { intent: 'membership', userId: 'user-cfo', endMembershipId: '', startRole: 'cfo', on: today() },
    409,
    /not held twice at once/,
  ],
  [
    'a role ended before a step taken in it',
    { intent: 'membership', userId: 'user-cfo', endMembershipId: 'membership-cfo-cfo', startRole: '', on: '2010-01-01' },
    409,
    /acted in that role on or after that date/,
  ],
  [
    'neither an end nor a start',
    { intent: 'membership', userId: 'user-cfo', endMembershipId: '', startRole: '', on: today() },
    400,
    /Choose a role to end/,
  ],
  [
    'a role that is not one',
    { intent: 'membership', userId: 'user-cfo', endMembershipId: '', startRole: 'emperor', on: today() },
    400,
    /Choose a role from the list/,
  ],
])('the administrator’s change refused for %s says why and writes nothing', async (_, fields, status, reason) => {
  const before = rows()
  const response = await post('admin', fields)
  expect(response.status).toBe(status)
  expect(await response.text()).toMatch(reason)
  expect(rows()).toEqual(before)
})

test('the administrator records a title change: the current period closes the day before, the new one opens, and today’s title follows', async () => {
  const response = await post('admin', {
    intent: 'title',
    userId: 'user-independent-auditor',
    title: 'Lead Engagement Partner, Example & Co. LLP (independent auditors)',
    effectiveFrom: today(),
  })
  expect(response.status).toBe(302)
  expect(response.headers.get('location')).toBe('/admin/people?done=title')
  const titles = sqlite
    .prepare(
      "SELECT title, effective_from, effective_to, recorded_by FROM title_assignment WHERE user_id = 'user-independent-auditor' ORDER BY effective_from",
    )
    .all()
  expect(titles).toEqual([
    {
      title: 'Engagement Partner, Example & Co. LLP (independent auditors)',
      effective_from: '2007-01-01',
      effective_to: today(),
      recorded_by: null,
    },
    {
      title: 'Lead Engagement Partner, Example & Co. LLP (independent auditors)',
      effective_from: today(),
      effective_to: null,
      recorded_by: 'user-admin',
    },
  ])
  expect(sqlite.prepare("SELECT title FROM user WHERE id = 'user-independent-auditor'").get()).toEqual({
    title: 'Lead Engagement Partner, Example & Co. LLP (independent auditors)',
  })
})
