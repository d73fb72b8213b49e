import { afterAll, beforeAll, expect, test } from 'vitest'
import { changeMembership, changeTitle, reportCase } from '../../db/commands'
import { CommandRefusedError } from '../../db/errors'
import { machineLookup } from '../../db/machine-lookup'
import { listCaseSteps } from '../../db/queries/cases'
import { listTimeline } from '../../db/queries/history'
import { loadOrCreateSigningKey } from '../../db/signing-key'
import { openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import { copySeededDatabase, dumpAllTables, type SeededCopy } from '../utils/test-db'

// The dated titles and roles through their commands (db/commands/people.ts) on a
// copy of the seeded record: a change closes the current period and opens the
// next in one transaction; a refused change writes nothing, even when half of it
// would have been allowed; what a page shows for a step is what held that day.

let copy: SeededCopy
let record: WorkflowRecord
beforeAll(() => {
  copy = copySeededDatabase('people')
  record = openWorkflowRecord(copy.db, machineLookup, loadOrCreateSigningKey(copy.keyPath))
})
afterAll(() => copy.close())

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => (e instanceof CommandRefusedError ? e.reason : e),
  )

test('a case’s steps show the title their actor held that day, not today’s', async () => {
  const steps = await listCaseSteps(copy.db, 'case-2008-q2-fx-close-control')
  expect(steps[0]!.actor).toMatchObject({ userId: 'user-cfo', title: 'Vice President and Chief Financial Officer' })
  const canamex = await listCaseSteps(copy.db, 'case-2012-canamex')
  expect(canamex[0]!.actor).toMatchObject({ userId: 'user-cfo', title: 'Senior Vice President and Chief Financial Officer' })
})

test('a refused change writes nothing: an end that would be allowed rolls back with the start that overlaps', async () => {
  const before = await dumpAllTables(copy.db)
  // Ending the CAO/Controller's Disclosure Committee seat would be fine; starting a second CAO role beside the first is not.
  expect(
    await refusal(
      changeMembership(record, {
        userId: 'user-cao',
        companyId: 'company-hecla',
        on: '2026-06-01',
        end: { membershipId: 'membership-cao-disclosure_committee' },
        start: { role: 'cao' },
      }),
    ),
  ).toBe('period_overlaps')
  expect(
    await refusal(
      changeMembership(record, {
        userId: 'user-cao',
        companyId: 'company-hecla',
        on: '2006-01-01',
        end: { membershipId: 'membership-cao-cao' },
      }),
    ),
  ).toBe('period_overlaps')
  expect(
    await refusal(changeTitle(record, { userId: 'user-cao', title: 'Controller', effectiveFrom: '2007-01-01', recordedBy: 'user-admin' })),
  ).toBe('period_overlaps')
  expect(await dumpAllTables(copy.db)).toEqual(before)
})

test('a change of roles and of title takes effect from its day: the steps after it show the new ones, the steps before the old', async () => {
  const at = new Date('2026-06-01T16:00:00.000Z')
  await changeTitle(record, {
    userId: 'user-cao',
    title: 'Chief Accounting Officer',
    effectiveFrom: '2026-06-01',
    recordedBy: 'user-admin',
    at,
  })
  const { startedId } = await changeMembership(record, {
    userId: 'user-cao',
    companyId: 'company-hecla',
    on: '2026-06-01',
    end: { membershipId: 'membership-cao-disclosure_committee' },
    start: { role: 'internal_auditor' },
  })
  expect(startedId).toBe('membership-cao-internal_auditor-2026-06-01')
  const periods = await copy.db
    .selectFrom('title_assignment')
    .select(['title', 'effective_from', 'effective_to'])
    .where('user_id', '=', 'user-cao')
    .orderBy('effective_from')
    .execute()
  expect(periods).toEqual([
    { title: 'Chief Accounting Officer and Controller', effective_from: '2007-01-01', effective_to: '2026-06-01' },
    { title: 'Chief Accounting Officer', effective_from: '2026-06-01', effective_to: null },
  ])
  // A step after the change: the CAO/Controller reports a matter on the day.
  await reportCase(record, {
    reportId: null,
    input: {
      caseId: 'case-2026-inventory-count',
      duty: 2,
      subject: { kind: 'none' },
      reporter: { role: 'cao', userId: 'user-cao' },
      summary: 'The inventory count at Greens Creek was not reconciled before the close.',
    },
    actor: { userId: 'user-cao', role: 'cao' },
    at: new Date('2026-06-02T16:00:00.000Z'),
  })
  const rows = (await listTimeline(copy.db, { actorUserId: 'user-cao' }, { limit: 200 })).rows
  const after = rows.filter((r) => r.recordedAt >= '2026-06-01')
  expect(after.length).toBeGreaterThan(0)
  const before2013 = rows.find((r) => r.recordedAt.startsWith('2013-02-12'))!
  expect(before2013.actorTitle).toBe('Chief Accounting Officer and Controller')
  expect(before2013.actorRolesThen).toEqual(['cao', 'disclosure_committee'])
  for (const r of after) {
    expect(r.actorTitle).toBe('Chief Accounting Officer')
    expect(r.actorRolesThen).toEqual(['cao', 'internal_auditor'])
  }
  // The closed period stays as it is: closing it again is refused.
  expect(
    await refusal(
      changeMembership(record, {
        userId: 'user-cao',
        companyId: 'company-hecla',
        on: '2026-07-01',
        end: { membershipId: 'membership-cao-disclosure_committee' },
      }),
    ),
  ).toBe('membership_closed')
})
