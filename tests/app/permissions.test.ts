import { afterAll, beforeAll, expect, test } from 'vitest'
import type { CurrentUser } from '../../app/utils/auth.server'
import { type Officer, canSeeCase, requireOwnDutyWorkflow, visibleCases } from '../../app/utils/permissions.server'
import { CLIENT_IP_HEADER } from '../../app/utils/request-security.server'
import type { DB } from '../../db/client'
import { reportCase } from '../../db/commands'
import { instanceId } from '../../db/ids'
import { machineLookup } from '../../db/machine-lookup'
import { listCaseInstances, type RecordReader } from '../../db/queries/workflows'
import { loadOrCreateSigningKey } from '../../db/signing-key'
import { openWorkflowRecord } from '../../db/workflow-record'
import type { Role } from '../../db/schema'
import { users } from '../../seeds/hecla'
import { copySeededDatabase } from '../utils/test-db'

// The permission rules of app/utils/permissions.server.ts on the seeded company,
// with its people as the seeds give them their roles.
let db: DB
let close: () => Promise<void>
let reader: RecordReader
const FY = 'report-2012-fy'
const CASE_ABOUT_CEO = 'case-2012-about-the-ceo'

function person(id: string): CurrentUser {
  const u = users.find((x) => x.id === id)!
  return { id: u.id, email: u.email, fullName: u.full_name, title: u.title, roles: u.roles as Role[] }
}
const officer = (id: string, role: Officer['role']): Officer => ({ user: person(id), role })

beforeAll(async () => {
  const copy = copySeededDatabase('permissions')
  ;({ db, close } = copy)
  const key = loadOrCreateSigningKey(copy.keyPath)
  reader = { lookup: machineLookup, key }
  // Duty 1 goes to the Disclosure Committee, and the CEO sits on it: a matter
  // about the CEO is routed there, with the CEO excluded.
  await reportCase(openWorkflowRecord(db, machineLookup, key), {
    reportId: FY,
    input: {
      caseId: CASE_ABOUT_CEO,
      duty: 1,
      subject: { kind: 'officer', role: 'ceo', userId: 'user-ceo' },
      reporter: { userId: 'user-cfo', role: 'cfo' },
      summary: 'A side letter the CEO signed with a supplier, not reflected in the draft.',
    },
    actor: { userId: 'user-cfo', role: 'cfo' },
    at: new Date('2013-02-14T10:00:00Z'),
  })
})
afterAll(() => close())

function request(url = `http://localhost/reports/${FY}/duties/4`) {
  return new Request(url, { headers: { [CLIENT_IP_HEADER]: '203.0.113.9' } })
}

const forbiddenEvents = (userId: string) =>
  db.selectFrom('security_event').select(['kind', 'detail']).where('user_id', '=', userId).where('kind', '=', 'forbidden').execute()

test('a matter about the CEO, routed to the Disclosure Committee the CEO sits on, is never shown to the CEO', async () => {
  const cases = await listCaseInstances(db, reader, FY)
  const aboutCeo = cases.find((c) => c.id === instanceId.case(CASE_ABOUT_CEO))!
  expect(aboutCeo.context.routing).toEqual({ recipients: ['disclosure_committee'], excludedUserIds: ['user-ceo'] })
  const ceo = person('user-ceo')
  expect(ceo.roles).toContain('disclosure_committee')

  expect(canSeeCase(ceo, aboutCeo.context)).toBe(false)
  expect(visibleCases(ceo, cases).map((c) => c.context.caseId)).toEqual(['case-2012-canamex'])
  // The committee's other members see it, and so does its reporter; someone outside the committee does not.
  for (const id of ['user-disclosure-chair', 'user-cao', 'user-cfo']) expect(canSeeCase(person(id), aboutCeo.context), id).toBe(true)
  expect(canSeeCase(person('user-audit-member'), aboutCeo.context)).toBe(false)
})

test('the subject of a matter does not see it even as its reporter', () => {
  const context = {
    reporter: { userId: 'user-ceo', role: 'ceo' as const },
    routing: { recipients: ['disclosure_committee' as const], excludedUserIds: ['user-ceo'] },
  }
  expect(canSeeCase(person('user-ceo'), context)).toBe(false)
  expect(canSeeCase(person('user-disclosure-chair'), context)).toBe(true)
})

test('a duty workflow stored for the CFO is refused in the CEO’s session (403, logged), even at the CEO’s own id', async () => {
  const before = (await forbiddenEvents('user-ceo')).length
  const cfoSubject = { reportId: FY, officerUserId: 'user-cfo', officerRole: 'cfo', dutyNumber: 4 }
  const refusal = await requireOwnDutyWorkflow(
    request(),
    officer('user-ceo', 'ceo'),
    { id: instanceId.duty(FY, 'user-ceo', 4), subject: cfoSubject },
    { db },
  ).then(
    () => null,
    (thrown: unknown) => thrown,
  )
  expect(refusal).toBeInstanceOf(Response)
  expect((refusal as Response).status).toBe(403)
  expect(await (refusal as Response).text()).toBe('This duty workflow is not yours.')
  const logged = await forbiddenEvents('user-ceo')
  expect(logged).toHaveLength(before + 1)
  expect(JSON.parse(logged.at(-1)!.detail!)).toMatchObject({ reason: 'not_own_duty', instanceId: instanceId.duty(FY, 'user-ceo', 4) })
})

test('a duty workflow is the officer’s only in the capacity it was started in; without a subject it is no one’s', async () => {
  const ceo = officer('user-ceo', 'ceo')
  const own = { reportId: FY, officerUserId: 'user-ceo', officerRole: 'ceo', dutyNumber: 4 }
  await expect(requireOwnDutyWorkflow(request(), ceo, { id: instanceId.duty(FY, 'user-ceo', 4), subject: own }, { db })).resolves.toBe(
    undefined,
  )
  for (const subject of [{ ...own, officerRole: 'cfo' }, null, {}]) {
    const refused = await requireOwnDutyWorkflow(request(), ceo, { id: instanceId.duty(FY, 'user-ceo', 4), subject }, { db }).then(
      () => null,
      (thrown: unknown) => thrown,
    )
    expect((refused as Response | null)?.status, JSON.stringify(subject)).toBe(403)
  }
})
