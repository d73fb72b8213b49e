import { expect, inject, test } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/hecla'

// A draft's file name is written by whoever uploads it. With a right-to-left
// override in it, "invoice‮fdp.exe" would be shown as "invoiceexe.pdf": the drafts
// page shows the override as a marker instead.
const baseURL = inject('baseURL')
const REPORT = { id: 'report-2016-q2', form: '10-Q', fiscalYear: '2016', fiscalQuarter: '2', periodEnd: '2016-06-30' }

/** The page as a person sees it: the markup before the first script (the router's data follows, as data). */
const shown = (html: string) => html.slice(0, html.indexOf('<script'))

test('a draft’s file name with a direction override is listed with the override visible', async () => {
  const signIn = await fetch(`${baseURL}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL },
    body: new URLSearchParams({ email: 'admin@hecla.example', password: DEMO_PASSWORD, redirectTo: '/' }),
  })
  const headers = { Origin: baseURL, Cookie: signIn.headers.get('set-cookie')!.split(';')[0]! }
  const created = await fetch(`${baseURL}/admin/reports/new`, {
    method: 'POST',
    redirect: 'manual',
    headers,
    body: new URLSearchParams({
      form: REPORT.form,
      fiscalYear: REPORT.fiscalYear,
      fiscalQuarter: REPORT.fiscalQuarter,
      periodEnd: REPORT.periodEnd,
    }),
  })
  expect(created.status).toBe(302)

  const form = new FormData()
  form.append('intent', 'uploadDraft')
  form.append('draft', new Blob(['Form 10-Q, Q2 2016, draft 1.\n'], { type: 'text/plain' }), 'invoice\u202Efdp.exe')
  const upload = await fetch(`${baseURL}/admin/reports/${REPORT.id}/drafts`, { method: 'POST', redirect: 'manual', headers, body: form })
  expect(upload.status).toBe(200)

  const page = await fetch(`${baseURL}/admin/reports/${REPORT.id}/drafts`, { headers })
  const html = shown(await page.text())
  expect(html).toContain('invoice<abbr class="direction-control"')
  expect(html).toContain('⟨RLO⟩</abbr>fdp.exe')
  expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/)
})
