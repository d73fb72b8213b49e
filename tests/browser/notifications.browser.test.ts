import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { openDatabase, type DB } from '../../db/client'
import { insertMail } from '../../db/outbox/enqueue'
import { seriousViolations } from './axe'
import { launchBrowser } from './chromium'
import { recordCspViolations, signInThroughForm } from './sign-in'

// The administrator reads the outbox (the demo has no mail server), a dead letter
// first with its last error; a person chooses a daily digest on their settings
// page. Both pages without serious accessibility violations; on the suite's shared
// server. The mails are written straight into the outbox, so no other test's
// matters or reports change.

const baseURL = inject('baseURL')
let page: Page
let close: () => Promise<void>
let cspViolations: string[]
let db: DB

beforeAll(async () => {
  const browser = await launchBrowser()
  close = browser.close
  page = await browser.context.newPage()
  cspViolations = recordCspViolations(page)
  ;({ db } = openDatabase(inject('databasePath')))
  const at = new Date().toISOString()
  await insertMail(db, {
    key: 'browser-test.reminder.user-cfo',
    to: { userId: 'user-cfo', email: 'cfo@hecla.example' },
    kind: 'reminder',
    subject: '2 business days left: the Form 10-Q for quarter 2 of fiscal 2026',
    body: 'Dear Avery Ledger,\n\nTwo business days before the report is due, it still waits for your sign-offs.\n\nOpen it: http://localhost:3000/reports/report-live',
    causeSequence: null,
    at,
  })
  const dead = await insertMail(db, {
    key: 'browser-test.routed.user-audit-chair',
    to: { userId: 'user-audit-chair', email: 'audit.chair@hecla.example' },
    kind: 'case_routed',
    subject: 'A matter reported under duty 2 of the Code of Ethics is routed to you',
    body: 'Dear Morgan Oversight,\n\nA matter was routed to you.',
    causeSequence: null,
    at,
  })
  await db
    .updateTable('outbox_message')
    .set({ state: 'dead', attempts: 6, last_error: 'connect ECONNREFUSED 127.0.0.1:2525' })
    .where('id', '=', dead!)
    .execute()
})
afterAll(async () => {
  await close()
  await db.destroy()
})

test('the administrator reads the outbox: the dead letter first, with its error; a mail opens to its text', async () => {
  await page.goto(`${baseURL}/login`)
  await signInThroughForm(page, 'admin@hecla.example')
  await page.waitForURL(`${baseURL}/`)
  // From the header, where the administrator's pages are linked (the dashboard links it too).
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Outbox' }).click()
  await page.waitForURL(`${baseURL}/admin/outbox`)
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Outbox: the mails the app writes')
  const rows = page.locator('tbody tr')
  await expect.poll(() => rows.first().getAttribute('data-outbox-state')).toBe('dead')
  expect(await rows.first().textContent()).toContain('connect ECONNREFUSED 127.0.0.1:2525')
  await page.getByText('2 business days left').click()
  await expect.poll(() => page.getByText('it still waits for your sign-offs').isVisible()).toBe(true)
  expect(await seriousViolations(page)).toEqual([])
  await page.screenshot({ path: '/tmp/outbox-page.png', fullPage: true })
  expect(cspViolations).toEqual([])
  await page.context().clearCookies()
})

test('a person chooses one digest a day, and the page says so', async () => {
  await page.goto(`${baseURL}/login`)
  await signInThroughForm(page, 'auditor@hecla.example')
  await page.waitForURL(`${baseURL}/`)
  await page.getByRole('link', { name: 'Notifications' }).click()
  await page.waitForURL(`${baseURL}/settings/notifications`)
  expect(await seriousViolations(page)).toEqual([])
  await page.getByLabel('One digest a day, the morning after').check()
  await page.getByRole('button', { name: 'Save' }).click()
  await expect.poll(() => page.getByRole('status').textContent()).toContain('Saved: how the app writes to you.')
  const row = await db
    .selectFrom('notification_setting')
    .select('mode')
    .where('user_id', '=', 'user-independent-auditor')
    .executeTakeFirst()
  expect(row?.mode).toBe('digest')
  await page.screenshot({ path: '/tmp/settings-page.png', fullPage: true })
  // Back as it was, for the other tests of the shared server.
  await page.getByLabel(/Each mail as it happens/).check()
  await page.getByRole('button', { name: 'Save' }).click()
  await expect
    .poll(
      async () =>
        (await db.selectFrom('notification_setting').select('mode').where('user_id', '=', 'user-independent-auditor').executeTakeFirst())
          ?.mode,
    )
    .toBe('immediate')
})
