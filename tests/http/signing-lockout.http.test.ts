import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/hecla'
import { startServer, type TestServer } from '../browser/global-setup'

// Wrong passwords at signing count toward the same lock as wrong passwords at
// sign-in. This file locks the CEO out for 15 minutes, so it runs a server and a
// database of its own: the shared one must keep every officer able to sign in.
let server: TestServer
let sqlite: Database.Database
let cookie: string

const REPORT = 'report-2012-fy'
const duty5 = `/reports/${REPORT}/duties/5`

function post(path: string, fields: Record<string, string>, withCookie = true) {
  return fetch(`${server.baseURL}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: server.baseURL, ...(withCookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields),
  })
}

const count = (query: string) => (sqlite.prepare(query).get() as { n: number }).n
const version = () =>
  (
    sqlite.prepare('SELECT version FROM workflow_snapshot WHERE instance_id = ?').get(`duty/${REPORT}/user-ceo/5`) as
      { version: number } | undefined
  )?.version ?? 0
const writes = () => ({
  events: count('SELECT count(*) AS n FROM workflow_event'),
  signOffs: count('SELECT count(*) AS n FROM sign_off'),
})

beforeAll(async () => {
  server = await startServer()
  sqlite = new Database(server.databasePath, { readonly: true, fileMustExist: true })
  const signIn = await post('/login', { email: 'ceo@hecla.example', password: DEMO_PASSWORD, redirectTo: '/' }, false)
  expect(signIn.status).toBe(302)
  cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
  // Duty 5 of the FY2012 10-K, which the CEO has not started: started, answered, confirmed, ready to sign.
  const steps: Record<string, string>[] = [
    { intent: 'start' },
    { intent: 'answer', acknowledgesBoardDetermination: 'on' },
    { intent: 'confirm' },
  ]
  for (const fields of steps) {
    const response = await post(duty5, { ...fields, expectedVersion: String(version()) })
    expect(response.status, fields.intent).toBe(302)
  }
}, 120_000)
afterAll(async () => {
  sqlite?.close()
  await server?.stop()
})

test('after five wrong passwords at signing, the right one neither signs nor signs in, and the officer is told why', async () => {
  const before = writes()
  for (let i = 1; i <= 4; i++) {
    const wrong = await post(duty5, { intent: 'sign', expectedVersion: String(version()), password: `guess-${i}` })
    expect(wrong.status).toBe(401)
    const html = await wrong.text()
    expect(html).toContain('Nothing was signed: that password is not right.')
    expect(html).toContain(
      `After ${5 - i} more wrong password${5 - i === 1 ? '' : 's'}, signing and signing in are refused for 15 minutes.`,
    )
  }
  const fifth = await post(duty5, { intent: 'sign', expectedVersion: String(version()), password: 'guess-5' })
  expect(fifth.status).toBe(429)
  // It says when to try again: the lock's 15 minutes.
  expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(14 * 60)
  expect(Number(fifth.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60)
  const lockedText =
    /Nothing was signed: too many wrong passwords have been entered for your account\. Signing, and signing in, are refused until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M UTC\./
  expect(await fifth.text()).toMatch(lockedText)

  const right = await post(duty5, { intent: 'sign', expectedVersion: String(version()), password: DEMO_PASSWORD })
  expect(right.status).toBe(429)
  expect(await right.text()).toMatch(lockedText)
  expect(writes()).toEqual(before)
  expect(count("SELECT count(*) AS n FROM security_event WHERE kind = 'sign_in_locked' AND user_id = 'user-ceo'")).toBe(1)

  const signIn = await post('/login', { email: 'ceo@hecla.example', password: DEMO_PASSWORD, redirectTo: '/' }, false)
  expect(signIn.status).toBe(429)
  expect(signIn.headers.get('set-cookie')).toBeNull()
  expect(Number(signIn.headers.get('retry-after'))).toBeGreaterThan(14 * 60)
  expect(await signIn.text()).toMatch(
    /Too many wrong passwords have been entered for this e-mail, at sign-in or when signing\. Signing in, and signing, are refused until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M UTC\./,
  )
})
