import { afterAll, beforeAll, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import { createPeriodicReport, listReportDrafts, periodicReportId } from '../../db/queries/admin'
import { listDashboardReports } from '../../db/queries/dashboard'
import type { RecordReader } from '../../db/queries/workflows'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey } from '../../db/signing-key'
import { copySeededDatabase } from '../utils/test-db'

// On the seeded demo company and its history (the Q2 2008 10-Q filed and locked,
// the FY2012 10-K in certification, partly signed).
let db: DB
let close: () => Promise<void>
let reader: RecordReader

beforeAll(() => {
  const copy = copySeededDatabase('dashboard')
  ;({ db, close } = copy)
  reader = { lookup: machineLookup, key: loadOrCreateSigningKey(copy.keyPath) }
})
afterAll(() => close())

test('the dashboard lists the reports newest period first, with each report workflow’s snapshot', async () => {
  const rows = await listDashboardReports(db, reader, 'company-hecla')
  // The live report of the seeded day (tests/utils/seed-day.ts: the Q2 2026 10-Q, in certification) comes first.
  expect(rows.map((r) => r.id)).toEqual(['report-live', 'report-2012-fy', 'report-2008-q2'])
  const q2 = rows[2]!
  expect(q2.lifecycle?.value).toBe('locked')
  expect(q2.lifecycle?.context.filing?.accessionNumber).toMatch(/^\d{10}-\d{2}-\d{6}$/)
  expect(rows[1]!.lifecycle?.value).toBe('certification')
  expect(rows[0]!).toMatchObject({ lifecycle: { value: 'certification' }, draft_version: 1, signed_duties: 0 })
})

test('signed duties: all three officers’ of 36, or one officer’s own of 12', async () => {
  const all = await listDashboardReports(db, reader, 'company-hecla')
  const cfo = await listDashboardReports(db, reader, 'company-hecla', { officerUserId: 'user-cfo' })
  expect(all.find((r) => r.id === 'report-2008-q2')!.signed_duties).toBe(36)
  expect(cfo.find((r) => r.id === 'report-2008-q2')!.signed_duties).toBe(12)
  const fyAll = all.find((r) => r.id === 'report-2012-fy')!.signed_duties
  const fyCfo = cfo.find((r) => r.id === 'report-2012-fy')!.signed_duties
  expect(fyAll).toBeGreaterThan(0)
  expect(fyAll).toBeLessThan(36)
  expect(fyCfo).toBeLessThanOrEqual(12)
  expect(fyCfo).toBeLessThanOrEqual(fyAll!)
  // Someone who holds no duty workflow has signed nothing.
  const nobody = await listDashboardReports(db, reader, 'company-hecla', { officerUserId: 'user-admin' })
  expect(nobody.map((r) => r.signed_duties)).toEqual([0, 0, 0])
  // A page of the dashboard: the duties are counted for the reports it picks, and for no other.
  const picked = await listDashboardReports(db, reader, 'company-hecla', { countSignedOf: (ids) => ids.slice(1, 2) })
  expect(picked.map((r) => r.signed_duties)).toEqual(all.map((r, i) => (i === 1 ? r.signed_duties : null)))
  expect(picked.map((r) => r.lifecycle)).toEqual(all.map((r) => r.lifecycle))
})

test('a new report has no workflow and nothing signed; the same period twice is refused', async () => {
  const q1 = { form: '10-Q' as const, fiscalYear: 2016, fiscalQuarter: 1, periodEnd: '2016-03-31' }
  const created = await createPeriodicReport(db, {
    ...q1,
    companyId: 'company-hecla',
    createdBy: 'user-admin',
    at: new Date('2016-04-01T12:00:00Z'),
  })
  expect(created).toEqual({ created: true, id: 'report-2016-q1' })
  const row = (await listDashboardReports(db, reader, 'company-hecla')).find((r) => r.id === 'report-2016-q1')!
  expect(row).toMatchObject({ lifecycle: null, signed_duties: 0, draft_version: null })

  const again = await createPeriodicReport(db, { ...q1, companyId: 'company-hecla', createdBy: 'user-cao', at: new Date() })
  expect(again).toMatchObject({ created: false, existing: { id: 'report-2016-q1' } })
  // Another quarter ending the same day is the same period under another name.
  const sameEnd = await createPeriodicReport(db, {
    ...q1,
    fiscalQuarter: 2,
    companyId: 'company-hecla',
    createdBy: 'user-cao',
    at: new Date(),
  })
  expect(sameEnd).toMatchObject({ created: false, existing: { id: 'report-2016-q1' } })
  // UNIQUE treats NULL quarters as distinct: the second 10-K of a year is caught all the same.
  const tenK = await createPeriodicReport(db, {
    form: '10-K',
    fiscalYear: 2012,
    fiscalQuarter: null,
    periodEnd: '2012-12-30',
    companyId: 'company-hecla',
    createdBy: 'user-admin',
    at: new Date(),
  })
  expect(tenK).toMatchObject({ created: false, existing: { id: 'report-2012-fy' } })
})

test('report ids read like the seeds’, and drafts list newest first', async () => {
  expect(periodicReportId({ fiscalYear: 2013, fiscalQuarter: 1 })).toBe('report-2013-q1')
  expect(periodicReportId({ fiscalYear: 2013, fiscalQuarter: null })).toBe('report-2013-fy')
  const drafts = await listReportDrafts(db, 'report-2008-q2')
  expect(drafts.map((d) => d.version)).toEqual([2, 1])
  expect(drafts[0]).toMatchObject({ file_name: 'hecla-10q-2008-q2-draft-2.txt', uploaded_by_name: 'Jordan Tally' })
})
