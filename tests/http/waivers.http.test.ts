import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/hecla'

// The waiver register over plain HTTP, against the production build: who may
// open /waivers and what each sees (the Board and the Audit Committee the whole
// register, an officer their own waivers, others 403); that only the
// administrator records, and that every refusal — a role that may not, a field
// that does not parse, a rule of the register — says why and writes nothing.

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
// The Board (the Chairman and the directors on the Audit Committee), the Audit Committee, the administrator who keeps it.
const WHOLE_REGISTER: Who[] = ['chairman', 'auditChair', 'auditMember', 'admin']
const OFFICERS: Who[] = ['ceo', 'cfo', 'controller']

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

const get = (who: Who) => fetch(`${baseURL}/waivers`, { redirect: 'manual', headers: { Cookie: cookies.get(who)! } })
const post = (fields: Record<string, string>, who: Who) =>
  fetch(`${baseURL}/waivers`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL, Cookie: cookies.get(who)! },
    body: new URLSearchParams(fields),
  })

const count = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
const writes = () => ({ waivers: count('waiver'), disclosures: count('waiver_disclosure') })
const listed = (html: string) => [...html.matchAll(/data-waiver-id="([^"]+)" data-standing="([^"]+)"/g)].map((m) => [m[1], m[2]])

const WAIVER = {
  intent: 'waiver',
  provision: '3',
  officerUserId: 'user-cfo',
  reason: 'HTTP test: the CFO may keep a seat on the board of a supplier’s charity.',
  approver: 'committee',
  committeeName: 'Audit Committee',
  // A Tuesday before Thanksgiving 2012: due Tuesday, November 27, 2012.
  approvedOn: '2012-11-20',
}

describe('who opens the waiver register', () => {
  test.each(EVERYONE)('%s', async (who) => {
    const response = await get(who)
    const reads = WHOLE_REGISTER.includes(who) || OFFICERS.includes(who)
    expect(response.status).toBe(reads ? 200 : 403)
    const html = await response.text()
    if (!reads) expect(html).toContain('The waiver register is for the Board of Directors')
    // Only the administrator is offered the form.
    if (reads) expect(html.includes('Record a waiver'), who).toBe(who === 'admin')
    // The dashboard links the register only where it opens.
    const dashboard = await (await fetch(`${baseURL}/`, { headers: { Cookie: cookies.get(who)! } })).text()
    expect(dashboard.includes('href="/waivers"'), who).toBe(reads)
  })
})

describe('recording a waiver and its disclosure', () => {
  let waiverId = ''

  test('no one but the administrator records: 403, nothing written', async () => {
    const before = writes()
    for (const who of EVERYONE.filter((w) => w !== 'admin')) {
      const response = await post(WAIVER, who)
      expect(response.status, who).toBe(403)
    }
    expect(writes()).toEqual(before)
  })

  test.each([
    [{ provision: '13' }, 400, 'Choose the provision waived'],
    [{ reason: '' }, 400, 'Give the reason for the waiver'],
    [{ committeeName: '' }, 400, 'Name the committee the Board named'],
    [{ approvedOn: '2012-11-31' }, 400, 'is not a date of the calendar'],
    [{ approvedOn: '2999-01-04' }, 422, 'The date of approval is after today'],
    [{ officerUserId: 'user-chairman' }, 422, 'held no such role on the day of approval'],
    [{ intent: 'nothing' }, 400, 'does not say what to record'],
  ])('refused with its reason, nothing written: %o', async (change, status, words) => {
    const before = writes()
    const response = await post({ ...WAIVER, ...change }, 'admin')
    expect(response.status).toBe(status)
    expect(await response.text()).toContain(words)
    expect(writes()).toEqual(before)
  })

  test('the administrator records it; it is overdue, in words and marked, for the register’s readers and its officer only', async () => {
    const before = writes()
    const response = await post(WAIVER, 'admin')
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/waivers?done=waiver')
    expect(writes()).toEqual({ ...before, waivers: before.waivers + 1 })
    const row = sqlite.prepare('SELECT * FROM waiver WHERE reason = ?').get(WAIVER.reason) as Record<string, unknown>
    expect(row).toMatchObject({
      duty_number: 3,
      officer_role: 'cfo',
      approver: 'committee',
      committee_name: 'Audit Committee',
      recorded_by: 'user-admin',
    })
    waiverId = String(row.id)
    for (const who of [...WHOLE_REGISTER, 'cfo'] as Who[]) {
      const html = await (await get(who)).text()
      expect(listed(html), who).toContainEqual([waiverId, 'overdue'])
      expect(html).toContain('Overdue: not disclosed, due November 27, 2012')
      expect(html).toContain('class="is-overdue"')
    }
    for (const who of ['ceo', 'controller'] as Who[]) {
      const html = await (await get(who)).text()
      expect(
        listed(html).map((l) => l[0]),
        who,
      ).not.toContain(waiverId)
      expect(html).not.toContain(WAIVER.reason.slice(0, 20))
    }
  })

  test('a disclosure by someone else, malformed, or dated before the approval is refused and writes nothing', async () => {
    const before = writes()
    const disclosure = {
      intent: 'disclosure',
      waiverId,
      kind: 'form_8k',
      accessionNumber: '0000719413-12-000061',
      disclosedOn: '2012-11-28',
    }
    expect((await post(disclosure, 'auditChair')).status).toBe(403)
    const malformed = await post({ ...disclosure, accessionNumber: '719413-12-61' }, 'admin')
    expect(malformed.status).toBe(400)
    expect(await malformed.text()).toContain('accession number must read like 0000719413-12-000045')
    const website = await post({ ...disclosure, kind: 'website', websiteUrl: 'javascript:alert(1)' }, 'admin')
    expect(website.status).toBe(400)
    const early = await post({ ...disclosure, disclosedOn: '2012-11-19' }, 'admin')
    expect(early.status).toBe(422)
    expect(await early.text()).toContain('must lie between the waiver’s approval and today')
    const missing = await post({ ...disclosure, waiverId: 'waiver-that-is-not' }, 'admin')
    expect(missing.status).toBe(404)
    expect(writes()).toEqual(before)
  })

  test('the disclosure is recorded once: a day late, shown so; a second is refused', async () => {
    const disclosure = {
      intent: 'disclosure',
      waiverId,
      kind: 'form_8k',
      accessionNumber: '0000719413-12-000061',
      disclosedOn: '2012-11-28',
    }
    const before = writes()
    const response = await post(disclosure, 'admin')
    expect(response.status).toBe(302)
    expect(writes()).toEqual({ ...before, disclosures: before.disclosures + 1 })
    const html = await (await get('auditMember')).text()
    expect(listed(html)).toContainEqual([waiverId, 'disclosed_late'])
    expect(html).toContain('Disclosed on November 28, 2012, after the due date of November 27, 2012')
    expect(html).toContain('0000719413-12-000061')
    const again = await post({ ...disclosure, accessionNumber: '0000719413-12-000062' }, 'admin')
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('a disclosure is recorded once')
    expect(writes()).toEqual({ ...before, disclosures: before.disclosures + 1 })
  })
})
