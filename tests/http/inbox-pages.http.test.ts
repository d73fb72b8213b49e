import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openDatabase } from '../../db/client'
import { reportCase } from '../../db/commands'
import { machineLookup } from '../../db/machine-lookup'
import { INBOX_PAGE_SIZE } from '../../db/queries/cases'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { openWorkflowRecord } from '../../db/workflow-record'
import { prepareDatabase } from '../../seeds/prepare'
import { startServer, type TestServer } from '../browser/global-setup'
import { signInCookie } from './sessions'

// The case inbox in pages (issue 13), over plain HTTP as a browser without script
// reads it: more matters than a page holds, reported through the command the duty
// pages call, on a server and file of this test's own (the shared server's inbox
// is other tests' to count). The "Older matters" link is a plain address.
let server: TestServer
let cookie: string
// Disclosure Committee matters about employees, reported by the CFO a minute apart: the Disclosure Chair receives them all.
const EXTRA = INBOX_PAGE_SIZE + 7
const caseIdOf = (n: number) => `case-page-${String(n).padStart(3, '0')}`

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-inbox-pages-'))
  const file = path.join(dir, 'app.sqlite')
  await prepareDatabase(file, { today: new Date() })
  const { db } = openDatabase(file)
  const record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(file)))
  for (let n = 0; n < EXTRA; n++) {
    await reportCase(record, {
      reportId: null,
      input: {
        caseId: caseIdOf(n),
        duty: 1,
        subject: { kind: 'employee', userId: 'user-internal-auditor' },
        reporter: { role: 'cfo', userId: 'user-cfo' },
        summary: `Paged matter ${n}.`,
      },
      actor: { userId: 'user-cfo', role: 'cfo' },
      at: new Date(Date.UTC(2021, 0, 1, 12, n)),
    })
  }
  await db.destroy()
  server = await startServer({ databasePath: file })
  cookie = await signInCookie('disclosure@hecla.example', 'disclosure chair', server.baseURL)
})
afterAll(() => server?.stop())

const page = async (address: string) => {
  const response = await fetch(`${server.baseURL}${address}`, { headers: { Cookie: cookie }, redirect: 'manual' })
  return { status: response.status, html: await response.text() }
}
const listed = (html: string) => [...html.matchAll(/data-case-id="([^"]+)"/g)].map((m) => m[1]!)
const olderLink = (html: string) => /<a [^>]*href="([^"]+)"[^>]*rel="next"|<a [^>]*rel="next"[^>]*href="([^"]+)"/.exec(html)
const hrefOf = (m: RegExpExecArray | null) => (m ? (m[1] ?? m[2]!).replaceAll('&amp;', '&') : null)

test('the first page holds the newest matters, says how many there are in all, and links to the older ones', async () => {
  const first = await page('/cases')
  expect(first.status).toBe(200)
  const ids = listed(first.html)
  expect(ids).toHaveLength(INBOX_PAGE_SIZE)
  expect(ids[0]).toBe(caseIdOf(EXTRA - 1))
  expect(ids.at(-1)).toBe(caseIdOf(EXTRA - INBOX_PAGE_SIZE))
  // The count is of every page (the demo's own matters too), not of this one.
  const total = Number(/(\d+) matters/.exec(first.html)?.[1])
  expect(total).toBeGreaterThan(EXTRA)
  expect(hrefOf(olderLink(first.html))).toMatch(/^\/cases\?after=/)
})

test('following the links without script walks every matter once, newest first, and the last page has no next link', async () => {
  const seen: string[] = []
  let address: string | null = '/cases'
  let pages = 0
  let total = 0
  while (address) {
    const { status, html } = await page(address)
    expect(status, address).toBe(200)
    total = Number(/(\d+) matters/.exec(html)?.[1])
    seen.push(...listed(html))
    if (pages > 0) expect(html).toContain('>Newest matters</a>')
    address = hrefOf(olderLink(html))
    pages++
  }
  expect(pages).toBe(Math.ceil(total / INBOX_PAGE_SIZE))
  expect(new Set(seen).size).toBe(seen.length)
  expect(seen).toHaveLength(total)
  const paged = seen.filter((id) => id.startsWith('case-page-'))
  expect(paged).toEqual([...paged].sort().reverse())
  expect(paged).toHaveLength(EXTRA)
})

test('the filters stay in the link, and a matter reported after the first page was read moves nothing on the second', async () => {
  const first = await page('/cases?state=routed')
  const next = hrefOf(olderLink(first.html))!
  expect(next).toMatch(/^\/cases\?state=routed&after=/)
  const before = listed((await page(next)).html)
  const { db } = openDatabase(server.databasePath)
  await reportCase(openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(server.databasePath))), {
    reportId: null,
    input: {
      caseId: 'case-page-late',
      duty: 1,
      subject: { kind: 'employee', userId: 'user-internal-auditor' },
      reporter: { role: 'cfo', userId: 'user-cfo' },
      summary: 'Reported while the inbox was being read.',
    },
    actor: { userId: 'user-cfo', role: 'cfo' },
  })
  await db.destroy()
  expect(listed((await page(next)).html)).toEqual(before)
  expect(listed((await page('/cases?state=routed')).html)[0]).toBe('case-page-late')
})

test('a page address the inbox does not give is a 400 that says why', async () => {
  const bad = await page('/cases?after=yesterday')
  expect(bad.status).toBe(400)
  expect(bad.html).toContain('The page address is not one this inbox gives')
})
