// The attestation commands (db/commands/) on the seeded Hecla record: what
// the rules refuse writes nothing; what they allow reaches every workflow concerned.
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  acknowledgeCase,
  acknowledgeDeterminationNotice,
  closeDetermination,
  decideCase,
  giveDeterminationNotice,
  recordDetermination,
  registerDraft,
  reportCase,
  sendDutyEvent,
  signDetermination,
  signDuty,
} from '../../db/commands'
import { CommandRefusedError } from '../../db/errors'
import { instanceId } from '../../db/ids'
import type { DB } from '../../db/client'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey } from '../../db/signing-key'
import { verifyRecord } from '../../db/verify'
import { EventNotAllowedError, WorkflowConflictError, openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import type { DutyNumber } from '../../machines/duties'
import { copySeededDatabase } from '../utils/test-db'

let file: string
let db: DB
let close: () => Promise<void>
let record: WorkflowRecord
const CEO = { userId: 'user-ceo', role: 'ceo' as const }
const CAO = { userId: 'user-cao', role: 'cao' as const }
const FY = 'report-2012-fy'

beforeAll(() => {
  const copy = copySeededDatabase('commands')
  ;({ file, db, close } = copy)
  record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(copy.keyPath))
})
afterAll(async () => {
  expect(verifyRecord({ file, key: record.key, lookup: machineLookup }).problems).toEqual([])
  await close()
})

async function counts() {
  const n = async (t: 'workflow_event' | 'sign_off' | 'chain_checkpoint') =>
    Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return { events: await n('workflow_event'), signOffs: await n('sign_off'), checkpoints: await n('chain_checkpoint') }
}
async function version(id: string) {
  return (await db.selectFrom('workflow_snapshot').select('version').where('instance_id', '=', id).executeTakeFirst())?.version ?? 0
}
async function stateOf(id: string) {
  const row = await db.selectFrom('workflow_snapshot').select(['state', 'snapshot']).where('instance_id', '=', id).executeTakeFirstOrThrow()
  return { state: row.state, context: (JSON.parse(row.snapshot) as { context: Record<string, unknown> }).context }
}
const currentDraftSha = async (reportId: string) =>
  (
    await db
      .selectFrom('periodic_report as r')
      .innerJoin('report_draft as d', 'd.id', 'r.current_draft_id')
      .select('d.sha256')
      .where('r.id', '=', reportId)
      .executeTakeFirstOrThrow()
  ).sha256

test('nothing moves after filing: an answer to a duty of the filed 10-Q is refused and writes nothing', async () => {
  const before = await counts()
  const id = instanceId.duty('report-2008-q2', CEO.userId, 7)
  await expect(
    sendDutyEvent(record, {
      reportId: 'report-2008-q2',
      officer: CEO,
      dutyNumber: 7,
      expectedVersion: await version(id),
      event: { type: 'duty.start' },
      actor: CEO,
    }),
  ).rejects.toMatchObject({ reason: 'report_locked', facts: { accessionNumber: '0000719413-08-000045' } })
  await expect(
    signDuty(record, { reportId: 'report-2008-q2', officer: CEO, dutyNumber: 7, expectedVersion: await version(id) }),
  ).rejects.toBeInstanceOf(CommandRefusedError)
  expect(await counts()).toEqual(before)
})

test('signing with unanswered questions is refused and writes no event and no sign-off', async () => {
  const id = instanceId.duty(FY, CEO.userId, 3)
  await sendDutyEvent(record, { reportId: FY, officer: CEO, dutyNumber: 3, expectedVersion: 0, event: { type: 'duty.start' }, actor: CEO })
  const before = await counts()
  await expect(signDuty(record, { reportId: FY, officer: CEO, dutyNumber: 3, expectedVersion: await version(id) })).rejects.toBeInstanceOf(
    EventNotAllowedError,
  )
  expect(await counts()).toEqual(before)
})

test('a stale form is a conflict and writes nothing', async () => {
  const before = await counts()
  await expect(
    sendDutyEvent(record, {
      reportId: FY,
      officer: CEO,
      dutyNumber: 3,
      expectedVersion: 0,
      event: { type: 'duty.answer', answers: { items: [], noneBeyondReported: true } },
      actor: CEO,
    }),
  ).rejects.toBeInstanceOf(WorkflowConflictError)
  expect(await counts()).toEqual(before)
})

test('an exception is signed only after every recipient of its case acknowledged it, and the sign-off says so', async () => {
  const n: DutyNumber = 6
  const id = instanceId.duty(FY, CEO.userId, n)
  const sha = await currentDraftSha(FY)
  await sendDutyEvent(record, { reportId: FY, officer: CEO, dutyNumber: n, expectedVersion: 0, event: { type: 'duty.start' }, actor: CEO })
  await sendDutyEvent(record, {
    reportId: FY,
    officer: CEO,
    dutyNumber: n,
    expectedVersion: 1,
    actor: CEO,
    event: {
      type: 'duty.answer',
      answers: { draftSha256: sha, accurateAndComplete: false, comments: 'Note 12 omits the Canamex subscription.' },
    },
  })
  // The inaccuracy is a matter for the Disclosure Committee and the Audit Committee (duty 2).
  await reportCase(record, {
    reportId: FY,
    input: {
      caseId: 'case-2012-note-12',
      duty: 2,
      subject: { kind: 'none' },
      reporter: CEO,
      summary: 'Note 12 of draft 1 omits the Canamex subscription.',
    },
    actor: CEO,
  })
  expect((await stateOf(instanceId.case('case-2012-note-12'))).context.routing).toEqual({
    recipients: ['disclosure_committee', 'audit_committee'],
    excludedUserIds: [],
  })
  await sendDutyEvent(record, {
    reportId: FY,
    officer: CEO,
    dutyNumber: n,
    expectedVersion: 2,
    actor: CEO,
    event: {
      type: 'duty.raiseException',
      explanation: 'Note 12 omits the Canamex subscription; raised as case-2012-note-12.',
      caseId: 'case-2012-note-12',
    },
  })
  const before = await counts()
  await expect(
    sendDutyEvent(record, { reportId: FY, officer: CEO, dutyNumber: n, expectedVersion: 3, event: { type: 'duty.confirm' }, actor: CEO }),
  ).rejects.toBeInstanceOf(EventNotAllowedError)
  await expect(signDuty(record, { reportId: FY, officer: CEO, dutyNumber: n, expectedVersion: 3 })).rejects.toBeInstanceOf(
    EventNotAllowedError,
  )
  expect(await counts()).toEqual(before)

  const caseId = instanceId.case('case-2012-note-12')
  await acknowledgeCase(record, {
    caseId: 'case-2012-note-12',
    body: 'disclosure_committee',
    expectedVersion: await version(caseId),
    actor: { userId: 'user-disclosure-chair', role: 'disclosure_committee' },
  })
  expect((await stateOf(id)).context.exception).toMatchObject({ acknowledged: false })
  await acknowledgeCase(record, {
    caseId: 'case-2012-note-12',
    body: 'audit_committee',
    expectedVersion: await version(caseId),
    actor: { userId: 'user-audit-chair', role: 'audit_committee_chair' },
  })
  // The last acknowledgement reached the duty in the same transaction.
  expect((await stateOf(id)).context.exception).toMatchObject({ acknowledged: true })
  await sendDutyEvent(record, {
    reportId: FY,
    officer: CEO,
    dutyNumber: n,
    expectedVersion: await version(id),
    event: { type: 'duty.confirm' },
    actor: CEO,
  })
  const signed = await signDuty(record, {
    reportId: FY,
    officer: CEO,
    dutyNumber: n,
    expectedVersion: await version(id),
    at: new Date('2013-02-20T18:30:00Z'),
  })
  expect(signed.manifestation).toMatchObject({
    meaning: 'attested_with_exception',
    meaningText: 'Attested with exception: Note 12 omits the Canamex subscription; raised as case-2012-note-12.',
    officer: { printedName: 'Phillips S. Baker, Jr.', title: 'President and Chief Executive Officer' },
    signedAt: '2013-02-20T18:30:00.000Z',
    signedAtLocal: 'February 20, 2013 at 10:30:00 AM PST',
    draft: { version: 1, sha256: sha },
  })
  const row = await db.selectFrom('sign_off').selectAll().where('id', '=', signed.signOffId).executeTakeFirstOrThrow()
  expect(row).toMatchObject({
    meaning: 'attested_with_exception',
    draft_sha256: sha,
    officer_user_id: 'user-ceo',
    signed_at_local: 'February 20, 2013 at 10:30:00 AM PST',
  })
})

test('a new draft reopens the sign-offs about the draft (duties 6, 10, 12) and leaves the others signed', async () => {
  const duty6 = instanceId.duty(FY, CEO.userId, 6)
  const duty7 = instanceId.duty(FY, CAO.userId, 7)
  expect((await stateOf(duty6)).state).toBe('signed')
  expect((await stateOf(duty7)).state).toBe('signed')
  const content = 'Hecla Mining Company, Form 10-K for 2012. Draft 2, with the Canamex subscription in note 12.\n'
  const { createHash } = await import('node:crypto')
  const sha = createHash('sha256').update(content).digest('hex')
  const result = await registerDraft(record, {
    reportId: FY,
    draftId: 'draft-2012-fy-v2',
    sha256: sha,
    sizeBytes: content.length,
    fileName: 'hecla-10k-2012-draft-2.txt',
    uploadedBy: { userId: 'user-cao', role: 'cao' },
  })
  expect(result.version).toBe(2)
  expect(result.reopened).toEqual([duty6])
  const reopened = await stateOf(duty6)
  expect(reopened.state).toBe('inProgress')
  expect(reopened.context).toMatchObject({ currentDraftSha256: sha, signature: null, lastReopen: { reason: 'newDraft' } })
  expect((await stateOf(duty7)).state).toBe('signed')
  expect((await stateOf(duty7)).context.currentDraftSha256).toBe(sha)
  // The sign-off of draft 1 stays in the record: reopening adds, never removes.
  expect(await db.selectFrom('sign_off').select('id').where('workflow_instance_id', '=', duty6).execute()).toHaveLength(1)
})

test('a code violation goes to the CEO and the Audit Committee, is referred, and ends in a Board determination with notice', async () => {
  const at = (s: string) => new Date(s)
  await reportCase(record, {
    reportId: FY,
    input: {
      caseId: 'case-2012-supplier',
      duty: 3,
      subject: { kind: 'employee', userId: 'user-internal-auditor' },
      reporter: { userId: 'user-cfo', role: 'cfo' },
      summary: 'An undisclosed interest in a supplier.',
    },
    actor: { userId: 'user-cfo', role: 'cfo' },
    at: at('2013-02-14T10:00:00Z'),
  })
  const caseId = instanceId.case('case-2012-supplier')
  const routing = (await stateOf(caseId)).context.routing
  expect(routing).toEqual({ recipients: ['ceo', 'audit_committee'], excludedUserIds: ['user-internal-auditor'] })
  await acknowledgeCase(record, { caseId: 'case-2012-supplier', body: 'ceo', expectedVersion: 1, actor: CEO })
  await acknowledgeCase(record, {
    caseId: 'case-2012-supplier',
    body: 'audit_committee',
    expectedVersion: 2,
    actor: { userId: 'user-audit-chair', role: 'audit_committee_chair' },
  })
  await decideCase(record, {
    caseId: 'case-2012-supplier',
    expectedVersion: 3,
    actor: { userId: 'user-audit-chair', role: 'audit_committee_chair' },
    event: { type: 'case.refer', violationOfCodes: true, note: 'A conflict of interest: for the Board.', at: '2013-02-15T10:00:00Z' },
  })
  const caseIdOf = 'case-2012-supplier'
  const factors = {
    natureAndSeverity: { description: 'Undisclosed interest in a supplier.', severity: 'serious' as const },
    occurrence: 'single' as const,
    intent: 'inadvertent' as const,
    advisedBeforehand: false,
  }
  const decision = {
    violation: true as const,
    decidedBy: 'board' as const,
    rationale: 'A single, inadvertent conflict.',
    actions: ['written_notice_of_violation' as const, 'censure' as const],
  }
  // The subject (an employee here) is no director; an officer who is no director may not sign.
  await expect(
    recordDetermination(record, {
      caseId: caseIdOf,
      factors,
      decision,
      signerUserId: 'user-cfo',
      expectedVersion: 0,
      at: at('2013-02-18T11:00:00Z'),
    }),
  ).rejects.toMatchObject({ reason: 'not_a_director' })
  const first = await recordDetermination(record, {
    caseId: caseIdOf,
    factors,
    decision,
    signerUserId: 'user-chairman',
    expectedVersion: 0,
    at: at('2013-02-18T11:00:00Z'),
  })
  expect(first.priorViolations).toEqual([])
  await signDetermination(record, {
    caseId: caseIdOf,
    signerUserId: 'user-audit-chair',
    expectedVersion: 2,
    at: at('2013-02-18T11:30:00Z'),
  })
  await expect(
    signDetermination(record, { caseId: caseIdOf, signerUserId: 'user-audit-chair', expectedVersion: 3, at: at('2013-02-18T11:40:00Z') }),
  ).rejects.toMatchObject({ reason: 'already_signed' })
  await giveDeterminationNotice(record, {
    caseId: caseIdOf,
    directorUserId: 'user-chairman',
    text: 'The Board has determined that there has been a violation of the Code of Business Conduct and Ethics.',
    expectedVersion: 3,
    at: at('2013-02-18T12:00:00Z'),
  })
  await expect(
    acknowledgeDeterminationNotice(record, {
      caseId: caseIdOf,
      userId: 'user-chairman',
      expectedVersion: 4,
      at: at('2013-02-18T12:30:00Z'),
    }),
  ).rejects.toMatchObject({ reason: 'not_notice_addressee' })
  await acknowledgeDeterminationNotice(record, {
    caseId: caseIdOf,
    userId: 'user-internal-auditor',
    expectedVersion: 4,
    at: at('2013-02-18T12:30:00Z'),
  })
  await closeDetermination(record, {
    caseId: caseIdOf,
    directorUserId: 'user-chairman',
    expectedVersion: 5,
    at: at('2013-02-18T13:00:00Z'),
  })
  const signatures = await db
    .selectFrom('signature')
    .select(['signer_user_id', 'act', 'capacity', 'report_id'])
    .where('workflow_instance_id', '=', instanceId.determination(caseIdOf))
    .orderBy('workflow_sequence')
    .execute()
  expect(signatures).toEqual([
    { signer_user_id: 'user-chairman', act: 'board_determination', capacity: 'board', report_id: FY },
    { signer_user_id: 'user-audit-chair', act: 'board_determination', capacity: 'board', report_id: FY },
  ])
  expect((await stateOf(instanceId.determination('case-2012-supplier'))).state).toBe('closed')
})

test('an answer and the cases it raises land together: a refused answer leaves no case behind', async () => {
  const CFO = { userId: 'user-cfo', role: 'cfo' as const }
  const id = instanceId.duty(FY, CFO.userId, 1)
  const newCases = [
    {
      reportId: FY,
      input: { caseId: 'case-2012-atomic', duty: 1 as const, subject: { kind: 'none' as const }, reporter: CFO, summary: 'A matter.' },
      actor: CFO,
    },
  ]
  const before = await counts()
  // Not started yet: the answer is refused, so the case it would raise is not written either.
  await expect(
    sendDutyEvent(record, {
      reportId: FY,
      officer: CFO,
      dutyNumber: 1,
      expectedVersion: 0,
      actor: CFO,
      event: { type: 'duty.answer', answers: { items: [{ summary: 'A matter.', caseId: 'case-2012-atomic' }] } },
      newCases,
    }),
  ).rejects.toBeInstanceOf(EventNotAllowedError)
  expect(await counts()).toEqual(before)
  expect(await db.selectFrom('workflow_instance').select('id').where('id', '=', instanceId.case('case-2012-atomic')).execute()).toEqual([])
  await sendDutyEvent(record, { reportId: FY, officer: CFO, dutyNumber: 1, expectedVersion: 0, actor: CFO, event: { type: 'duty.start' } })
  await sendDutyEvent(record, {
    reportId: FY,
    officer: CFO,
    dutyNumber: 1,
    expectedVersion: await version(id),
    actor: CFO,
    event: { type: 'duty.answer', answers: { items: [{ summary: 'A matter.', caseId: 'case-2012-atomic' }] } },
    newCases,
  })
  expect((await stateOf(instanceId.case('case-2012-atomic'))).state).toBe('routed')
  expect(JSON.parse((await stateOf(id)).state)).toEqual({ answered: 'noException' })
})
