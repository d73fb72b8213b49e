import { beforeAll, describe, expect, inject, test } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/hecla'

// A page behind sign-in must not be kept by the browser or anything between: after
// sign-out, Back (or the next person at the machine) would show it again from the
// cache. Every response to a signed-in request says `no-store`, whatever it is.
const baseURL = inject('baseURL')
const cookies = new Map<string, string>()

beforeAll(async () => {
  for (const email of ['cfo@hecla.example', 'admin@hecla.example']) {
    const response = await fetch(`${baseURL}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: baseURL },
      body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: '/' }),
    })
    expect(response.status).toBe(302)
    cookies.set(email, response.headers.get('set-cookie')!.split(';')[0]!)
  }
})

function get(path: string, email: string) {
  return fetch(`${baseURL}${path}`, { redirect: 'manual', headers: { Cookie: cookies.get(email)! } })
}

const cfo = 'cfo@hecla.example'
const admin = 'admin@hecla.example'

describe('every response to a signed-in request is no-store', () => {
  const requests = [
    { what: 'the dashboard', path: '/', who: cfo, status: 200 },
    { what: 'a report page', path: '/reports/report-2012-fy', who: cfo, status: 200 },
    { what: 'a duty page', path: '/reports/report-2012-fy/duties/6', who: cfo, status: 200 },
    { what: 'the new-report page', path: '/admin/reports/new', who: admin, status: 200 },
    { what: 'a report’s drafts', path: '/admin/reports/report-2012-fy/drafts', who: admin, status: 200 },
    // Single fetch: what the router asks for on a client-side navigation.
    { what: 'the dashboard’s data', path: '/_root.data', who: cfo, status: 200 },
    { what: 'a duty page’s data', path: '/reports/report-2012-fy/duties/6.data', who: cfo, status: 200 },
    { what: 'a refusal', path: '/admin/reports/new', who: cfo, status: 403 },
    { what: 'a refusal’s data', path: '/admin/reports/new.data', who: cfo, status: 403 },
    { what: 'a page that does not exist', path: '/no/such/page', who: cfo, status: 404 },
  ]
  test.each(requests)('$what ($path) → $status, Cache-Control: no-store', async ({ path, who, status }) => {
    const response = await get(path, who)
    expect(response.status).toBe(status)
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  test('an action’s answer too (a refused signature)', async () => {
    const response = await fetch(`${baseURL}/reports/report-2012-fy/duties/6`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: baseURL, Cookie: cookies.get(cfo)! },
      body: new URLSearchParams({ intent: 'sign', expectedVersion: '999' }),
    })
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.headers.get('cache-control')).toBe('no-store')
  })
})

test('the sign-in page and its redirects are no-store too; fingerprinted assets stay cacheable', async () => {
  const login = await fetch(`${baseURL}/login`)
  expect(login.headers.get('cache-control')).toBe('no-store')
  const toLogin = await fetch(`${baseURL}/`, { redirect: 'manual' })
  expect(toLogin.status).toBe(302)
  expect(toLogin.headers.get('cache-control')).toBe('no-store')

  const asset = /href="(\/assets\/[^"]+\.css)"/.exec(await login.text())?.[1]
  expect(asset).toBeTruthy()
  const css = await fetch(`${baseURL}${asset}`)
  expect(css.status).toBe(200)
  expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
})
