import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/hecla'

// Who may do what, route by route, asked over plain HTTP with the cookies of real
// sign-ins of every demo user, against the production build. What the server
// answers is half of it; the other half is that a refused write left no row,
// read from the database file itself (read-only).

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
const OFFICERS: Who[] = ['ceo', 'cfo', 'controller']
// The officers, and the bodies that review their sign-offs (app/utils/permissions.server.ts).
const REPORT_READERS: Who[] = [...OFFICERS, 'disclosure', 'chairman', 'auditChair', 'auditMember']
// Report administration: the administrator and the CAO/Controller.
const REPORT_ADMINS: Who[] = ['admin', 'controller']
const notIn = (allowed: Who[]) => EVERYONE.filter((who) => !allowed.includes(who))

// Reports of this file's own, so that nothing here touches what other files of the suite expect.
const ADMIN_REPORT = { id: 'report-2015-q1', form: '10-Q', fiscalYear: '2015', fiscalQuarter: '1', periodEnd: '2015-03-31' }
const CONTROLLER_REPORT = { id: 'report-2015-q2', form: '10-Q', fiscalYear: '2015', fiscalQuarter: '2', periodEnd: '2015-06-30' }

const cookies = new Map<Who, string>()
let sqlite: Database.Database

beforeAll(async () => {
  sqlite = new Database(databasePath, { readonly: true, fileMustExist: true })
  for (const who of EVERYONE) {
    const response = await fetch(`${baseURL}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: baseURL },
      body: new URLSearchParams({ email: USERS[who], password: DEMO_PASSWORD, redirectTo: '/' }),
    })
    expect(response.status, `sign-in of ${who}`).toBe(302)
    cookies.set(who, response.headers.get('set-cookie')!.split(';')[0]!)
  }
})
afterAll(() => sqlite.close())

function get(route: string, who?: Who) {
  return fetch(`${baseURL}${route}`, { redirect: 'manual', headers: who ? { Cookie: cookies.get(who)! } : {} })
}

function post(route: string, body: URLSearchParams | FormData, who?: Who, origin: string | null = baseURL) {
  const headers: Record<string, string> = {}
  if (who) headers.Cookie = cookies.get(who)!
  if (origin) headers.Origin = origin
  return fetch(`${baseURL}${route}`, { method: 'POST', redirect: 'manual', headers, body })
}

function reportForm(report: typeof ADMIN_REPORT) {
  return new URLSearchParams({
    form: report.form,
    fiscalYear: report.fiscalYear,
    fiscalQuarter: report.fiscalQuarter,
    periodEnd: report.periodEnd,
  })
}

function draftUpload(content: string, fileName = 'draft.txt') {
  const form = new FormData()
  form.append('intent', 'uploadDraft')
  form.append('draft', new Blob([content], { type: 'text/plain' }), fileName)
  return form
}

const count = (query: string, ...params: unknown[]) => (sqlite.prepare(query).get(...params) as { n: number }).n
const reportRows = (id: string) => count('SELECT count(*) AS n FROM periodic_report WHERE id = ?', id)
const draftRows = (reportId: string) => count('SELECT count(*) AS n FROM report_draft WHERE report_id = ?', reportId)
const eventRows = () => count('SELECT count(*) AS n FROM workflow_event')
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

describe('pages (GET): without a session, to sign in; with one, only what the role allows', () => {
  const pages: { route: string; allowed: Who[] }[] = [
    { route: '/', allowed: EVERYONE },
    { route: '/admin/reports/new', allowed: REPORT_ADMINS },
    { route: '/admin/reports/report-2012-fy/drafts', allowed: REPORT_ADMINS },
    { route: '/reports/report-2012-fy', allowed: REPORT_READERS },
    { route: '/reports/report-2008-q2', allowed: REPORT_READERS },
    { route: '/reports/report-2012-fy/duties/6', allowed: OFFICERS },
  ]

  test.each(pages.map((p) => [p.route]))('GET %s without a session → 302 to /login', async (route) => {
    const response = await get(route)
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/login?redirectTo=${encodeURIComponent(route)}`)
  })

  const cases = pages.flatMap((p) => EVERYONE.map((who) => ({ route: p.route, who, status: p.allowed.includes(who) ? 200 : 403 })))
  test.each(cases)('GET $route as $who → $status', async ({ route, who, status }) => {
    const response = await get(route, who)
    expect(response.status).toBe(status)
  })

  test('GET /admin/reports/<unknown>/drafts: 404 for a report administrator, 403 for anyone else (no probing)', async () => {
    expect((await get('/admin/reports/report-1999-q9/drafts', 'admin')).status).toBe(404)
    expect((await get('/admin/reports/report-1999-q9/drafts', 'auditor')).status).toBe(403)
  })
})

describe('creating a periodic report (POST /admin/reports/new)', () => {
  test('without a session → 302 to /login, and no row', async () => {
    const response = await post('/admin/reports/new', reportForm(ADMIN_REPORT))
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/login?redirectTo=%2Fadmin%2Freports%2Fnew')
    expect(reportRows(ADMIN_REPORT.id)).toBe(0)
  })

  test.each(notIn(REPORT_ADMINS))('as %s → 403, and no row', async (who) => {
    const response = await post('/admin/reports/new', reportForm(ADMIN_REPORT), who)
    expect(response.status).toBe(403)
    expect(reportRows(ADMIN_REPORT.id)).toBe(0)
  })

  test('from another site, even with the administrator’s cookie → 403, and no row', async () => {
    const forged = await post('/admin/reports/new', reportForm(ADMIN_REPORT), 'admin', 'https://evil.example')
    expect(forged.status).toBe(403)
    const bare = await post('/admin/reports/new', reportForm(ADMIN_REPORT), 'admin', null)
    expect(bare.status).toBe(403)
    expect(reportRows(ADMIN_REPORT.id)).toBe(0)
  })

  test('as the administrator → 302 to the new report’s drafts, and the row names who created it', async () => {
    const response = await post('/admin/reports/new', reportForm(ADMIN_REPORT), 'admin')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(`/admin/reports/${ADMIN_REPORT.id}/drafts`)
    const row = sqlite
      .prepare('SELECT form, fiscal_year, fiscal_quarter, period_end, created_by, current_draft_id FROM periodic_report WHERE id = ?')
      .get(ADMIN_REPORT.id)
    expect(row).toEqual({
      form: '10-Q',
      fiscal_year: 2015,
      fiscal_quarter: 1,
      period_end: '2015-03-31',
      created_by: 'user-admin',
      current_draft_id: null,
    })
  })

  test('as the CAO/Controller → 302, and a row', async () => {
    const response = await post('/admin/reports/new', reportForm(CONTROLLER_REPORT), 'controller')
    expect(response.status).toBe(302)
    expect(sqlite.prepare('SELECT created_by FROM periodic_report WHERE id = ?').get(CONTROLLER_REPORT.id)).toEqual({
      created_by: 'user-cao',
    })
  })

  test('the same period twice → 409 that names the existing report; a 10-K with a quarter → 400', async () => {
    const total = count('SELECT count(*) AS n FROM periodic_report')
    const duplicate = await post('/admin/reports/new', reportForm(ADMIN_REPORT), 'admin')
    expect(duplicate.status).toBe(409)
    expect(await duplicate.text()).toContain('exists already')
    const samePeriodEnd = await post('/admin/reports/new', reportForm({ ...ADMIN_REPORT, fiscalQuarter: '3' }), 'admin')
    expect(samePeriodEnd.status).toBe(409)
    const tenKWithQuarter = await post(
      '/admin/reports/new',
      new URLSearchParams({ form: '10-K', fiscalYear: '2015', fiscalQuarter: '2', periodEnd: '2015-12-31' }),
      'admin',
    )
    expect(tenKWithQuarter.status).toBe(400)
    expect(await tenKWithQuarter.text()).toContain('A Form 10-K covers the whole fiscal year: leave the quarter empty.')
    expect(count('SELECT count(*) AS n FROM periodic_report')).toBe(total)
  })
})

describe('registering a draft (POST /admin/reports/:reportId/drafts, multipart)', () => {
  const route = `/admin/reports/${ADMIN_REPORT.id}/drafts`

  test('without a session → 302 to /login, and no draft', async () => {
    const response = await post(route, draftUpload('anonymous'))
    expect(response.status).toBe(302)
    expect(draftRows(ADMIN_REPORT.id)).toBe(0)
  })

  test.each(notIn(REPORT_ADMINS))('as %s → 403, and no draft', async (who) => {
    const response = await post(route, draftUpload(`a draft from ${who}`), who)
    expect(response.status).toBe(403)
    expect(draftRows(ADMIN_REPORT.id)).toBe(0)
  })

  test('from another site, with the administrator’s cookie → 403, and no draft', async () => {
    const response = await post(route, draftUpload('forged'), 'admin', 'https://evil.example')
    expect(response.status).toBe(403)
    expect(draftRows(ADMIN_REPORT.id)).toBe(0)
  })

  test('an empty file, or none → 400, and no draft', async () => {
    expect((await post(route, draftUpload(''), 'admin')).status).toBe(400)
    const noFile = new FormData()
    noFile.append('intent', 'uploadDraft')
    expect((await post(route, noFile, 'admin')).status).toBe(400)
    expect(draftRows(ADMIN_REPORT.id)).toBe(0)
  })

  test('as the administrator → 200, a report_draft row with the server’s SHA-256, and the file stored under it', async () => {
    const content = 'Form 10-Q for the quarter ended March 31, 2015. Draft 1.\n'
    const response = await post(route, draftUpload(content, 'q1-2015-draft-1.txt'), 'admin')
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('Draft 1 is now the current draft')
    const row = sqlite
      .prepare('SELECT version, sha256, size_bytes, file_name, uploaded_by FROM report_draft WHERE report_id = ?')
      .get(ADMIN_REPORT.id)
    expect(row).toEqual({
      version: 1,
      sha256: sha256(content),
      size_bytes: Buffer.byteLength(content),
      file_name: 'q1-2015-draft-1.txt',
      uploaded_by: 'user-admin',
    })
    const stored = path.join(path.dirname(databasePath), 'drafts', sha256(content))
    expect(fs.readFileSync(stored, 'utf8')).toBe(content)
    // The report's workflow took the draft: the lifecycle's snapshot names it.
    const snapshot = sqlite.prepare("SELECT snapshot FROM workflow_snapshot WHERE instance_id = 'report/' || ?").get(ADMIN_REPORT.id) as {
      snapshot: string
    }
    expect(JSON.parse(snapshot.snapshot).context.currentDraft.sha256).toBe(sha256(content))
  })

  test('the same file again → 409 and nothing registered; the CAO/Controller registers a new one → 200', async () => {
    const again = await post(route, draftUpload('Form 10-Q for the quarter ended March 31, 2015. Draft 1.\n', 'copy.txt'), 'controller')
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('This file is already the current draft')
    expect(draftRows(ADMIN_REPORT.id)).toBe(1)
    const second = await post(route, draftUpload('Form 10-Q for the quarter ended March 31, 2015. Draft 2.\n'), 'controller')
    expect(second.status).toBe(200)
    expect(
      sqlite.prepare('SELECT version, uploaded_by FROM report_draft WHERE report_id = ? ORDER BY version DESC').get(ADMIN_REPORT.id),
    ).toEqual({
      version: 2,
      uploaded_by: 'user-cao',
    })
  })
})

describe('beginning certification (POST /admin/reports/:reportId/drafts, intent=beginCertification)', () => {
  const route = `/admin/reports/${ADMIN_REPORT.id}/drafts`
  const begin = () => new URLSearchParams({ intent: 'beginCertification' })
  const lifecycleState = () =>
    (
      sqlite.prepare("SELECT state FROM workflow_snapshot WHERE instance_id = 'report/' || ?").get(ADMIN_REPORT.id) as
        { state: string } | undefined
    )?.state

  test.each(notIn(REPORT_ADMINS))('as %s → 403, and no event', async (who) => {
    const events = eventRows()
    expect((await post(route, begin(), who)).status).toBe(403)
    expect(eventRows()).toBe(events)
    expect(lifecycleState()).toBe('drafting')
  })

  test('as the administrator → 200, and the report is in certification; a second time → 409', async () => {
    expect((await post(route, begin(), 'admin')).status).toBe(200)
    expect(lifecycleState()).toBe('certification')
    const events = eventRows()
    expect((await post(route, begin(), 'admin')).status).toBe(409)
    expect(eventRows()).toBe(events)
  })
})

describe('the officers’ duty pages take no write from anyone else', () => {
  test.each(notIn(OFFICERS))('POST /reports/report-2012-fy/duties/6 as %s → 403, and no event', async (who) => {
    const events = eventRows()
    const response = await post('/reports/report-2012-fy/duties/6', new URLSearchParams({ intent: 'start', expectedVersion: '0' }), who)
    expect(response.status).toBe(403)
    expect(eventRows()).toBe(events)
  })

  test('a cross-site POST to a duty, with an officer’s cookie → 403, and no event', async () => {
    const events = eventRows()
    const response = await post(
      '/reports/report-2012-fy/duties/6',
      new URLSearchParams({ intent: 'start', expectedVersion: '0' }),
      'cfo',
      'https://evil.example',
    )
    expect(response.status).toBe(403)
    expect(eventRows()).toBe(events)
  })
})
