import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/hecla'

// HTTP as a browser speaks it, against the production build served by server.ts:
// what the middleware, the cookies and the headers do can only be seen here.
const baseURL = inject('baseURL')
let sqlite: Database.Database

beforeAll(() => {
  sqlite = new Database(inject('databasePath'), { readonly: true, fileMustExist: true })
})
afterAll(() => sqlite.close())

function get(path: string, cookie?: string) {
  return fetch(`${baseURL}${path}`, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} })
}

function post(path: string, fields: Record<string, string>, headers: Record<string, string> = { Origin: baseURL }) {
  return fetch(`${baseURL}${path}`, { method: 'POST', redirect: 'manual', headers, body: new URLSearchParams(fields) })
}

async function signInAs(email: string): Promise<string> {
  const response = await post('/login', { email, password: DEMO_PASSWORD, redirectTo: '/' })
  expect(response.status).toBe(302)
  return response.headers.get('set-cookie')!.split(';')[0]!
}

function sessionRows(userId: string) {
  return sqlite.prepare('SELECT ended_reason FROM session WHERE user_id = ? ORDER BY created_at').all(userId) as {
    ended_reason: string | null
  }[]
}

test('the home page sends a visitor without a session to sign in', async () => {
  const response = await get('/')
  expect(response.status).toBe(302)
  expect(response.headers.get('location')).toBe('/login?redirectTo=%2F')
})

test('signing in from this origin redirects and sets an HttpOnly, SameSite=Lax cookie that opens the home page', async () => {
  const response = await post('/login', { email: 'cfo@hecla.example', password: DEMO_PASSWORD, redirectTo: '/' })
  expect(response.status).toBe(302)
  expect(response.headers.get('location')).toBe('/')
  const setCookie = response.headers.get('set-cookie') ?? ''
  expect(setCookie).toMatch(/^attest_session=[0-9a-f]{64};/)
  expect(setCookie).toContain('HttpOnly')
  expect(setCookie).toContain('SameSite=Lax')
  expect(setCookie).toContain('Path=/')
  const home = await get('/', setCookie.split(';')[0])
  expect(home.status).toBe(200)
  expect(await home.text()).toContain('Avery Ledger')
})

test('a sign-in posted from another site is refused with 403 and logged', async () => {
  const response = await post('/login', { email: 'cfo@hecla.example', password: DEMO_PASSWORD }, { Origin: 'https://evil.example' })
  expect(response.status).toBe(403)
  expect(response.headers.get('set-cookie')).toBeNull()
  const rows = sqlite
    .prepare(
      "SELECT detail FROM security_event WHERE kind = 'cross_site_refused' AND json_extract(detail, '$.origin') = 'https://evil.example'",
    )
    .all() as { detail: string }[]
  expect(rows.map((r) => JSON.parse(r.detail))).toContainEqual(
    expect.objectContaining({ method: 'POST', path: '/login', reason: 'origin_mismatch' }),
  )
})

test('a POST with neither Origin nor Sec-Fetch-Site is refused; Sec-Fetch-Site: same-origin alone is enough', async () => {
  const bare = await post('/login', { email: 'cfo@hecla.example', password: DEMO_PASSWORD }, {})
  expect(bare.status).toBe(403)
  const fetchMetadata = await post('/login', { email: 'cfo@hecla.example', password: DEMO_PASSWORD }, { 'Sec-Fetch-Site': 'same-origin' })
  expect(fetchMetadata.status).toBe(302)
})

test('bad input to the sign-in form is a 400 that says what is wrong', async () => {
  const response = await post('/login', { email: 'not-an-address', password: '' })
  expect(response.status).toBe(400)
  const html = await response.text()
  expect(html).toContain('Enter an e-mail address, like name@example.com.')
  expect(html).toContain('Enter your password.')
})

test('wrong credentials are a 401 that reveals nothing else', async () => {
  const known = await post('/login', { email: 'internal.audit@hecla.example', password: 'wrong' })
  const unknown = await post('/login', { email: 'nobody@hecla.example', password: 'wrong' })
  expect([known.status, unknown.status]).toEqual([401, 401])
  const [knownHtml, unknownHtml] = await Promise.all([known.text(), unknown.text()])
  expect(knownHtml).toContain('The e-mail or password is not right.')
  // The same page but for the nonce and the e-mail typed, which the form keeps: nothing tells the two apart.
  const normalize = (html: string, email: string) => html.replace(/nonce="[^"]*"/g, '').replaceAll(email, 'EMAIL')
  expect(normalize(unknownHtml, 'nobody@hecla.example')).toBe(normalize(knownHtml, 'internal.audit@hecla.example'))
})

test('GET /logout changes nothing', async () => {
  const cookie = await signInAs('controller@hecla.example')
  const response = await get('/logout', cookie)
  expect(response.status).toBe(302)
  expect(response.headers.get('set-cookie')).toBeNull()
  expect((await get('/', cookie)).status).toBe(200)
  expect(sessionRows('user-cao').at(-1)?.ended_reason).toBeNull()
})

test('POST /logout ends the session: the cookie no longer works', async () => {
  const cookie = await signInAs('controller@hecla.example')
  const response = await post('/logout', {}, { Origin: baseURL, Cookie: cookie })
  expect(response.status).toBe(302)
  expect(response.headers.get('location')).toBe('/login')
  expect(response.headers.get('set-cookie')).toContain('Max-Age=0')
  const again = await get('/', cookie)
  expect(again.status).toBe(302)
  expect(again.headers.get('location')).toBe('/login?redirectTo=%2F')
  expect(sessionRows('user-cao').at(-1)?.ended_reason).toBe('signed_out')
})

test('pages carry a Content-Security-Policy with a fresh nonce, and every inline script carries it', async () => {
  const first = await get('/login')
  const second = await get('/login')
  const csp = first.headers.get('content-security-policy') ?? ''
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1]
  expect(nonce).toBeTruthy()
  expect(csp).toBe(
    `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; connect-src 'self'; ` +
      "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  )
  expect(second.headers.get('content-security-policy')).not.toContain(nonce)
  expect(first.headers.get('x-content-type-options')).toBe('nosniff')
  expect(first.headers.get('referrer-policy')).toBe('same-origin')

  const html = await first.text()
  const scripts = html.match(/<script\b[^>]*>/g) ?? []
  const inline = scripts.filter((tag) => !/\ssrc=/.test(tag))
  expect(inline.length).toBeGreaterThan(0)
  for (const tag of inline) expect(tag).toContain(`nonce="${nonce}"`)
})

test('a cross-site refusal is a page for a browser and the bare sentence for anything else', async () => {
  const forged = (accept: string) =>
    post('/login', { email: 'cfo@hecla.example', password: 'x' }, { Origin: 'https://evil.example', Accept: accept })
  const browser = await forged('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')
  expect(browser.status).toBe(403)
  expect(browser.headers.get('content-type')).toBe('text/html; charset=utf-8')
  const html = await browser.text()
  expect(html).toContain('<html lang="en">')
  expect(html).toContain('<title>Request refused · Code of Ethics attestations</title>')
  expect(html).not.toMatch(/<script/)
  const other = await forged('*/*')
  expect(other.status).toBe(403)
  expect(other.headers.get('content-type')).toBe('text/plain; charset=utf-8')
  expect(await other.text()).toBe('Refused: this request did not come from this site.')
})
