import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openDatabase } from '../../db/client'
import { createPeriodicReport } from '../../db/queries/admin'
import { prepareDatabase } from '../../seeds/prepare'
import { startServer, type TestServer } from '../browser/global-setup'
import { signInCookie } from './sessions'

// The dashboard in pages (issue 13), over plain HTTP as a browser without script
// reads it, on a server and file of this test's own: twelve more reports than the
// demo's, none of them filed, so the older ones are overdue on a page not shown.
let server: TestServer
let cookie: string

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-dashboard-pages-'))
  const file = path.join(dir, 'app.sqlite')
  await prepareDatabase(file, { today: new Date() })
  const { db } = openDatabase(file)
  for (const year of [2014, 2015, 2016]) {
    for (const [quarter, end] of [
      [1, '03-31'],
      [2, '06-30'],
      [3, '09-30'],
    ] as const)
      await createPeriodicReport(db, {
        companyId: 'company-hecla',
        form: '10-Q',
        fiscalYear: year,
        fiscalQuarter: quarter,
        periodEnd: `${year}-${end}`,
        createdBy: 'user-admin',
        at: new Date(`${year}-${end}T12:00:00Z`),
      })
    await createPeriodicReport(db, {
      companyId: 'company-hecla',
      form: '10-K',
      fiscalYear: year,
      fiscalQuarter: null,
      periodEnd: `${year}-12-31`,
      createdBy: 'user-admin',
      at: new Date(`${year}-12-31T12:00:00Z`),
    })
  }
  await db.destroy()
  server = await startServer({ databasePath: file })
  cookie = await signInCookie('cfo@hecla.example', 'cfo', server.baseURL)
})
afterAll(() => server?.stop())

const page = async (address: string) => {
  const response = await fetch(`${server.baseURL}${address}`, { headers: { Cookie: cookie }, redirect: 'manual' })
  return { status: response.status, html: await response.text() }
}
const cards = (html: string) => [...html.matchAll(/<h3><a [^>]*href="\/reports\/([^"]+)"/g)].map((m) => m[1]!)
const olderLink = (html: string) => /<a rel="next"[^>]* href="([^"]+)">Older reports<\/a>/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? null

test('the first page draws the twelve newest reports, counts all of them, and names the overdue ones it does not draw', async () => {
  const first = await page('/')
  expect(first.status).toBe(200)
  const shown = cards(first.html)
  expect(shown).toHaveLength(12)
  expect(first.html).toContain('>15 reports<')
  // The 2014 reports are on the second page, unfiled and long past their due dates.
  expect(shown).not.toContain('report-2014-q1')
  expect(first.html).toContain('Overdue, on another page:')
  expect(first.html).toContain('href="/reports/report-2014-q1"')
  expect(olderLink(first.html)).toMatch(/^\/\?after=/)
})

test('the "Older reports" link, followed without script, draws the rest once, with the way back to the newest', async () => {
  const first = await page('/')
  const second = await page(olderLink(first.html)!)
  expect(second.status).toBe(200)
  const all = [...cards(first.html), ...cards(second.html)]
  expect(new Set(all).size).toBe(15)
  expect(all.slice(-2)).toEqual(['report-2012-fy', 'report-2008-q2'])
  expect(olderLink(second.html)).toBeNull()
  expect(second.html).toContain('>Newest reports</a>')
  // The demo's filed 10-Q is drawn here with the CFO's own sign-offs, as on a one-page dashboard.
  expect(second.html.replaceAll('<!-- -->', '')).toContain('12 of 12 duties signed')
})

test('a page address the dashboard does not give is a 400 that says why', async () => {
  for (const address of ['/?after=report-1999-q1', '/?after=%3Cscript%3E']) {
    const bad = await page(address)
    expect(bad.status, address).toBe(400)
    expect(bad.html).toContain('the page address is not one this list gives')
  }
})
