import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { sessionsOf } from './sessions'

// The outbox and the notification settings over plain HTTP, against the
// production build (issue 11): only the administrator opens /admin/outbox; each
// person reads and changes their own setting only — the person comes from the
// session, a user id in the form changes nothing — and a bad choice is refused
// with the reason, writing nothing.

const baseURL = inject('baseURL')
const databasePath = inject('databasePath')

const USERS = {
  ceo: 'ceo@hecla.example',
  cfo: 'cfo@hecla.example',
  controller: 'controller@hecla.example',
  disclosure: 'disclosure@hecla.example',
  chairman: 'chairman@hecla.example',
  auditChair: 'audit.chair@hecla.example',
  auditMember: 'audit.member@hecla.example',
  internalAudit: 'internal.audit@hecla.example',
  auditor: 'auditor@hecla.example',
  admin: 'admin@hecla.example',
} as const
type Who = keyof typeof USERS
const EVERYONE = Object.keys(USERS) as Who[]
const cookieOf = sessionsOf(USERS)

let sqlite: Database.Database
beforeAll(() => {
  sqlite = new Database(databasePath, { readonly: true, fileMustExist: true })
})
afterAll(() => sqlite.close())

const get = async (path: string, who: Who) => fetch(`${baseURL}${path}`, { redirect: 'manual', headers: { Cookie: await cookieOf(who) } })
const post = async (fields: Record<string, string>, who: Who) =>
  fetch(`${baseURL}/settings/notifications`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL, Cookie: await cookieOf(who) },
    body: new URLSearchParams(fields),
  })
const settings = () =>
  sqlite.prepare('SELECT user_id, mode FROM notification_setting ORDER BY user_id').all() as { user_id: string; mode: string }[]

describe('who opens the outbox', () => {
  test.each(EVERYONE)('%s', async (who) => {
    const response = await get('/admin/outbox', who)
    expect(response.status).toBe(who === 'admin' ? 200 : 403)
    const html = await response.text()
    if (who === 'admin') {
      expect(html).toContain('Outbox: the mails the app writes')
      expect(html).toContain('No mail server is set (SMTP_URL)')
    }
  })
})

test('signed out, the outbox and the settings send to the sign-in page', async () => {
  for (const path of ['/admin/outbox', '/settings/notifications']) {
    const response = await fetch(`${baseURL}${path}`, { redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toContain('/login')
  }
})

test('an unknown state filter of the outbox is refused in words', async () => {
  const response = await get('/admin/outbox?state=lost', 'admin')
  expect(response.status).toBe(400)
  expect(await response.text()).toContain('There is no such state of a mail')
})

describe('everyone reads their own setting', () => {
  test.each(EVERYONE)('%s', async (who) => {
    const response = await get('/settings/notifications', who)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain(USERS[who])
    expect(html).toContain('How do you want to hear from the app?')
  })
})

test('a person changes their own setting, and only theirs, whatever user id the form names', async () => {
  const response = await post({ mode: 'digest', userId: 'user-ceo', user_id: 'user-ceo' }, 'auditor')
  expect(response.status).toBe(302)
  expect(response.headers.get('location')).toBe('/settings/notifications?saved=1')
  expect(settings().find((s) => s.user_id === 'user-independent-auditor')?.mode).toBe('digest')
  expect(settings().find((s) => s.user_id === 'user-ceo')).toBeUndefined()
  const page = await (await get('/settings/notifications?saved=1', 'auditor')).text()
  expect(page).toMatch(/id="mode-digest"[^>]*checked/)
  // And back.
  expect((await post({ mode: 'immediate' }, 'auditor')).status).toBe(302)
  expect(settings().find((s) => s.user_id === 'user-independent-auditor')?.mode).toBe('immediate')
})

test('a choice that is not one of the two is refused with the reason, and nothing is written', async () => {
  const before = settings()
  for (const fields of [{ mode: 'hourly' }, {}, { mode: '' }] as Record<string, string>[]) {
    const response = await post(fields, 'internalAudit')
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('Choose how you want to hear from the app')
  }
  expect(settings()).toEqual(before)
})
