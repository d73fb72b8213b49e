import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/hecla'

// Every action reads a form. A POST whose body is something else (JSON, plain
// text, nothing at all, a multipart body that does not parse) is a mistake of the
// sender, not of the server: a 4xx that says so in words, and nothing written.
const baseURL = inject('baseURL')
let sqlite: Database.Database

// A report of this file's own, so that a draft registered by mistake would touch nothing another file expects.
const REPORT = { id: 'report-2016-q1', form: '10-Q', fiscalYear: '2016', fiscalQuarter: '1', periodEnd: '2016-03-31' }

const cookies = new Map<string, string>()

async function signInAs(email: string) {
  const response = await fetch(`${baseURL}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: '/' }),
  })
  expect(response.status, `sign-in of ${email}`).toBe(302)
  return response.headers.get('set-cookie')!.split(';')[0]!
}

beforeAll(async () => {
  sqlite = new Database(inject('databasePath'), { readonly: true, fileMustExist: true })
  cookies.set('admin', await signInAs('admin@hecla.example'))
  cookies.set('cfo', await signInAs('cfo@hecla.example'))
  const created = await fetch(`${baseURL}/admin/reports/new`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL, Cookie: cookies.get('admin')! },
    body: new URLSearchParams({
      form: REPORT.form,
      fiscalYear: REPORT.fiscalYear,
      fiscalQuarter: REPORT.fiscalQuarter,
      periodEnd: REPORT.periodEnd,
    }),
  })
  expect(created.status).toBe(302)
})
afterAll(() => sqlite.close())

const count = (query: string) => (sqlite.prepare(query).get() as { n: number }).n

/** Every row a refused POST to these four routes could leave behind. */
function writes() {
  return {
    reports: count('SELECT count(*) AS n FROM periodic_report'),
    drafts: count('SELECT count(*) AS n FROM report_draft'),
    events: count('SELECT count(*) AS n FROM workflow_event'),
    sessions: count('SELECT count(*) AS n FROM session'),
    signInFailures: count("SELECT count(*) AS n FROM security_event WHERE kind = 'sign_in_failed'"),
  }
}

const routes = [
  { name: 'the sign-in form', path: '/login', who: null },
  { name: 'a new periodic report', path: '/admin/reports/new', who: 'admin' },
  { name: 'a report’s drafts', path: `/admin/reports/${REPORT.id}/drafts`, who: 'admin' },
  { name: 'a duty', path: '/reports/report-2012-fy/duties/6', who: 'cfo' },
] as const

const bodies: { name: string; contentType: string | null; body: string | null }[] = [
  {
    name: 'JSON',
    contentType: 'application/json',
    body: JSON.stringify({ intent: 'start', expectedVersion: '0', email: 'cfo@hecla.example' }),
  },
  { name: 'plain text', contentType: 'text/plain', body: 'intent=start&expectedVersion=0' },
  { name: 'no body at all', contentType: null, body: null },
  { name: 'a multipart body that does not parse', contentType: 'multipart/form-data; boundary=----attest', body: 'this is not multipart' },
  { name: 'multipart without a boundary', contentType: 'multipart/form-data', body: '------attest\r\n' },
]

describe('a POST whose body is not a form is a 4xx that says why, and writes nothing', () => {
  const cases = routes.flatMap((route) => bodies.map((body) => ({ ...route, body })))
  test.each(cases)('$name ($path) with $body.name', async ({ path, who, body }) => {
    const before = writes()
    const headers: Record<string, string> = { Origin: baseURL }
    if (who) headers.Cookie = cookies.get(who)!
    if (body.contentType) headers['Content-Type'] = body.contentType
    const response = await fetch(`${baseURL}${path}`, { method: 'POST', redirect: 'manual', headers, body: body.body })
    expect([400, 415]).toContain(response.status)
    const html = await response.text()
    expect(html).toContain('Nothing was done')
    expect(html).not.toContain('Unexpected Server Error')
    expect(writes()).toEqual(before)
  })
})

test('a draft still uploads as multipart, and a begin-certification form still posts as a plain form', async () => {
  const path = `/admin/reports/${REPORT.id}/drafts`
  const form = new FormData()
  form.append('intent', 'uploadDraft')
  form.append('draft', new Blob(['Form 10-Q for the quarter ended March 31, 2016. Draft 1.\n'], { type: 'text/plain' }), 'q1-2016.txt')
  const headers = { Origin: baseURL, Cookie: cookies.get('admin')! }
  const upload = await fetch(`${baseURL}${path}`, { method: 'POST', redirect: 'manual', headers, body: form })
  expect(upload.status).toBe(200)
  expect(await upload.text()).toContain('Draft 1 is now the current draft')
  const begin = await fetch(`${baseURL}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers,
    body: new URLSearchParams({ intent: 'beginCertification' }),
  })
  expect(begin.status).toBe(200)
  expect(await begin.text()).toContain('Certification has begun.')
})

test('a form refused for its size is answered 413 in words, and the sender’s next requests on the kept-alive socket still get through', async () => {
  // Found by tests/http/bad-input.http.test.ts: after a refused 2 MiB form, the next
  // request on the same socket failed with ECONNRESET (the rest of the body was left
  // on it); cancelling the body instead reset the 413 itself.
  const big = await fetch(`${baseURL}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL },
    body: new URLSearchParams({ email: 'x'.repeat(2 * 1024 * 1024) }),
  })
  expect(big.status).toBe(413)
  expect(await big.text()).toContain('larger than')
  for (let i = 0; i < 3; i++) {
    const next = await fetch(`${baseURL}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: baseURL },
      body: new URLSearchParams({ email: 'a' }),
    })
    expect(next.status).toBe(400)
    await next.arrayBuffer()
  }
  const page = await fetch(`${baseURL}/login`)
  expect(page.headers.get('connection')).toBe('keep-alive')
})
