import { sql } from 'kysely'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import { acknowledgeCase, decideCase, logCaseOpening, reportCase, writeCaseMessage } from '../../db/commands'
import { CommandRefusedError, NotFoundError, WorkflowConflictError } from '../../db/errors'
import { machineLookup } from '../../db/machine-lookup'
import { countCasesAwaiting, listCaseAccess, listCaseMessages, listInbox } from '../../db/queries/cases'
import { loadOrCreateSigningKey } from '../../db/signing-key'
import { openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import type { Body } from '../../machines/roles'
import { copySeededDatabase } from '../utils/test-db'

// The inbox query and the access log, on a copy of the seeded demo history (the
// Q2 2008 10-Q with its six duty 1 matters and its duty 2 matter of the close,
// the FY2012 10-K with the Canamex matter), plus matters reported here.
let db: DB
let close: () => Promise<void>
let record: WorkflowRecord

const AUDIT_CHAIR = { userId: 'user-audit-chair', bodies: ['audit_committee', 'board'] as Body[] }
const DISCLOSURE_CHAIR = { userId: 'user-disclosure-chair', bodies: ['disclosure_committee'] as Body[] }
const CEO = { userId: 'user-ceo', bodies: ['disclosure_committee', 'ceo'] as Body[] }
const CHAIRMAN = { userId: 'user-chairman', bodies: ['chairman', 'board'] as Body[] }
const version = async (caseId: string) =>
  (await db.selectFrom('workflow_snapshot').select('version').where('instance_id', '=', `case/${caseId}`).executeTakeFirstOrThrow()).version

beforeAll(async () => {
  const copy = copySeededDatabase('case-inbox')
  ;({ db, close } = copy)
  record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(copy.keyPath))
  // Reported after every seeded case, a day apart, so "newest first" is known.
  await reportCase(record, {
    reportId: null,
    input: {
      caseId: 'case-unit-about-ceo',
      duty: 3,
      subject: { kind: 'officer', role: 'ceo', userId: 'user-ceo' },
      reporter: { role: 'cfo', userId: 'user-cfo' },
      summary: 'A conflict of interest of the CEO.',
    },
    actor: { userId: 'user-cfo', role: 'cfo' },
    at: new Date('2020-01-01T12:00:00Z'),
  })
  await reportCase(record, {
    reportId: null,
    input: {
      caseId: 'case-unit-about-employee',
      duty: 4,
      subject: { kind: 'employee', userId: 'user-internal-auditor' },
      reporter: { role: 'cao', userId: 'user-cao' },
      summary: 'A possible breach of the securities laws by an employee.',
    },
    actor: { userId: 'user-cao', role: 'cao' },
    at: new Date('2020-01-02T12:00:00Z'),
  })
})
afterAll(() => close())

test('the Audit Committee’s inbox: the matters routed to it, newest first, with what each waits for and since when', async () => {
  const rows = await listInbox(db, record, AUDIT_CHAIR)
  // The demo history's closed 2009 violation (seeds/history.ts) sits between the unit's matters and 2008's.
  expect(rows.map((r) => r.caseId)).toEqual([
    'case-unit-about-employee',
    'case-unit-about-ceo',
    'case-2009-supplier-relative',
    'case-2008-q2-fx-close-control',
  ])
  const [employee, ceo, , fx] = rows
  expect(employee).toMatchObject({
    path: 'routed',
    bodies: ['audit_committee'],
    waitsFor: 'acknowledgement by the Chief Executive Officer and the Audit Committee',
    since: '2020-01-02T12:00:00.000Z',
    awaitsViewer: true,
    report: null,
  })
  expect(ceo).toMatchObject({ waitsFor: 'acknowledgement by the Chairman of the Board and the Audit Committee', awaitsViewer: true })
  expect(fx).toMatchObject({
    path: 'resolved',
    since: '2008-07-18T18:00:00.000Z',
    awaitsViewer: false,
    report: { id: 'report-2008-q2', form: '10-Q', fiscalYear: 2008, fiscalQuarter: 2 },
  })
  expect(await countCasesAwaiting(db, record, AUDIT_CHAIR)).toBe(2)
})

test('never a matter about the viewer (the CEO), nor, as a recipient, one they reported (the CFO)', async () => {
  const ceo = await listInbox(db, record, CEO)
  expect(ceo.map((r) => r.caseId)).not.toContain('case-unit-about-ceo')
  // Received as the CEO (duty 4, about an employee) and as a Disclosure Committee member (the seeded matters).
  expect(ceo.find((r) => r.caseId === 'case-unit-about-employee')?.bodies).toEqual(['ceo'])
  expect(ceo.filter((r) => r.bodies.includes('disclosure_committee')).map((r) => r.caseId)).toContain('case-2012-canamex')
  const cfo = await listInbox(db, record, { userId: 'user-cfo', bodies: ['disclosure_committee'] })
  // The CFO reported the Canamex matter and the matter of the close: as their reporter, not their recipient.
  expect(cfo.map((r) => r.caseId)).not.toContain('case-2012-canamex')
  expect(cfo.map((r) => r.caseId)).not.toContain('case-2008-q2-fx-close-control')
  expect(await listInbox(db, record, { userId: 'user-admin', bodies: [] })).toEqual([])
})

test('filters by state and by body', async () => {
  const disclosure = await listInbox(db, record, DISCLOSURE_CHAIR, { state: 'resolved' })
  expect(disclosure).toHaveLength(7)
  expect(disclosure.every((r) => r.path === 'resolved')).toBe(true)
  const underReview = await listInbox(db, record, DISCLOSURE_CHAIR, { state: 'underReview' })
  expect(underReview.map((r) => r.caseId)).toEqual(['case-2012-canamex'])
  const asCeo = await listInbox(db, record, CEO, { body: 'ceo' })
  expect(asCeo.map((r) => r.caseId)).toEqual(['case-unit-about-employee', 'case-2009-supplier-relative'])
})

test('what awaits whom moves with the acknowledgements: each body until it acknowledges, then the decision awaits both', async () => {
  const id = 'case-unit-about-ceo'
  expect((await listInbox(db, record, CHAIRMAN)).find((r) => r.caseId === id)?.awaitsViewer).toBe(true)
  await acknowledgeCase(record, {
    caseId: id,
    body: 'chairman',
    expectedVersion: await version(id),
    actor: { userId: 'user-chairman', role: 'chairman' },
  })
  expect((await listInbox(db, record, CHAIRMAN)).find((r) => r.caseId === id)?.awaitsViewer).toBe(false)
  expect((await listInbox(db, record, AUDIT_CHAIR)).find((r) => r.caseId === id)).toMatchObject({
    awaitsViewer: true,
    waitsFor: 'acknowledgement by the Audit Committee',
  })
  await acknowledgeCase(record, {
    caseId: id,
    body: 'audit_committee',
    expectedVersion: await version(id),
    actor: { userId: 'user-audit-chair', role: 'audit_committee_chair' },
  })
  for (const viewer of [CHAIRMAN, AUDIT_CHAIR]) {
    expect((await listInbox(db, record, viewer)).find((r) => r.caseId === id)).toMatchObject({ path: 'underReview', awaitsViewer: true })
  }
  // Referred, it is with the Board too: every director but its subject receives it; it waits for no recipient's step.
  await decideCase(record, {
    caseId: id,
    event: { type: 'case.refer', violationOfCodes: true, note: 'A violation of the Code.', at: new Date().toISOString() },
    expectedVersion: await version(id),
    actor: { userId: 'user-audit-chair', role: 'audit_committee_chair' },
  })
  const member = (await listInbox(db, record, { userId: 'user-audit-member', bodies: ['audit_committee', 'board'] })).find(
    (r) => r.caseId === id,
  )
  expect(member).toMatchObject({ path: 'referredForDetermination', bodies: ['audit_committee', 'board'], awaitsViewer: false })
  expect((await listInbox(db, record, CHAIRMAN, { body: 'board' })).map((r) => r.caseId)).toContain(id)
})

test('the access log: every opening appended, read newest first with who opened it; never updated nor deleted', async () => {
  const id = 'case-unit-about-employee'
  await logCaseOpening(record, { caseId: id, userId: 'user-audit-member', capacity: 'recipient', at: new Date('2020-02-01T10:00:00Z') })
  await logCaseOpening(record, { caseId: id, userId: 'user-cao', capacity: 'reporter', at: new Date('2020-02-01T11:00:00Z') })
  await logCaseOpening(record, { caseId: id, userId: 'user-audit-member', capacity: 'recipient', at: new Date('2020-02-01T12:00:00Z') })
  const log = await listCaseAccess(db, id)
  expect(log.map((l) => [l.user_id, l.capacity, l.opened_at])).toEqual([
    ['user-audit-member', 'recipient', '2020-02-01T12:00:00.000Z'],
    ['user-cao', 'reporter', '2020-02-01T11:00:00.000Z'],
    ['user-audit-member', 'recipient', '2020-02-01T10:00:00.000Z'],
  ])
  expect(log[0]!.full_name).toBe('Taylor Quorum')
  expect(await listCaseAccess(db, 'case-unit-about-ceo')).toEqual([])
  await expect(sql`UPDATE case_access_log SET user_id = 'user-admin'`.execute(db)).rejects.toThrow(/append-only/)
  await expect(sql`DELETE FROM case_access_log`.execute(db)).rejects.toThrow(/append-only/)
  await expect(logCaseOpening(record, { caseId: 'case-that-is-not', userId: 'user-cao', capacity: 'reporter' })).rejects.toThrow(
    /FOREIGN KEY/,
  )
})

test('notes, questions and answers: append-only rows; an answer answers a question of its case; the reporter’s view has no notes', async () => {
  const id = 'case-unit-about-employee'
  const q = await writeCaseMessage(record, {
    caseId: id,
    kind: 'question',
    authorUserId: 'user-audit-chair',
    capacity: 'audit_committee',
    body: 'Which trades?',
  })
  await writeCaseMessage(record, {
    caseId: id,
    kind: 'note',
    authorUserId: 'user-audit-chair',
    capacity: 'audit_committee',
    body: 'Ask Legal.',
  })
  await writeCaseMessage(record, {
    caseId: id,
    kind: 'answer',
    replyTo: q.id,
    authorUserId: 'user-cao',
    capacity: 'reporter',
    body: 'Two in May.',
  })
  await expect(
    writeCaseMessage(record, {
      caseId: id,
      kind: 'answer',
      replyTo: 'question-none',
      authorUserId: 'user-cao',
      capacity: 'reporter',
      body: 'x',
    }),
  ).rejects.toBeInstanceOf(CommandRefusedError)
  // A question of another case is not one to answer here.
  const other = await writeCaseMessage(record, {
    caseId: 'case-2008-q2-fx-close-control',
    kind: 'question',
    authorUserId: 'user-audit-chair',
    capacity: 'audit_committee',
    body: 'Elsewhere?',
  })
  await expect(
    writeCaseMessage(record, { caseId: id, kind: 'answer', replyTo: other.id, authorUserId: 'user-cao', capacity: 'reporter', body: 'x' }),
  ).rejects.toBeInstanceOf(CommandRefusedError)
  await expect(
    writeCaseMessage(record, {
      caseId: 'case-that-is-not',
      kind: 'note',
      authorUserId: 'user-cao',
      capacity: 'audit_committee',
      body: 'x',
    }),
  ).rejects.toBeInstanceOf(NotFoundError)
  // The table refuses it too, whoever writes: an answer to no question of its case.
  await expect(
    sql`INSERT INTO case_message (id, case_instance_id, kind, reply_to, author_user_id, author_capacity, body, written_at)
        VALUES ('answer-forged', ${`case/${id}`}, 'answer', ${other.id}, 'user-cao', 'reporter', 'x', '2020-01-01')`.execute(db),
  ).rejects.toThrow(/same case/)
  expect((await listCaseMessages(db, id, { includeNotes: false })).map((m) => [m.kind, m.body])).toEqual([
    ['question', 'Which trades?'],
    ['answer', 'Two in May.'],
  ])
  expect((await listCaseMessages(db, id, { includeNotes: true })).map((m) => m.kind).sort()).toEqual(['answer', 'note', 'question'])
  await expect(sql`UPDATE case_message SET body = 'changed'`.execute(db)).rejects.toThrow(/append-only/)
  await expect(sql`DELETE FROM case_message`.execute(db)).rejects.toThrow(/append-only/)
})

test('a note that goes with an acknowledgement is written in its transaction: a refused acknowledgement leaves no note', async () => {
  const id = 'case-unit-about-employee'
  const before = (await listCaseMessages(db, id, { includeNotes: true })).length
  const stale = acknowledgeCase(record, {
    caseId: id,
    body: 'ceo',
    expectedVersion: 0,
    actor: { userId: 'user-ceo', role: 'ceo' },
    note: { authorUserId: 'user-ceo', capacity: 'ceo', body: 'Seen.' },
  })
  await expect(stale).rejects.toBeInstanceOf(WorkflowConflictError)
  expect(await listCaseMessages(db, id, { includeNotes: true })).toHaveLength(before)
  const done = await acknowledgeCase(record, {
    caseId: id,
    body: 'ceo',
    expectedVersion: await version(id),
    actor: { userId: 'user-ceo', role: 'ceo' },
    note: { authorUserId: 'user-ceo', capacity: 'ceo', body: 'Seen.' },
  })
  const note = await db.selectFrom('case_message').selectAll().where('body', '=', 'Seen.').executeTakeFirstOrThrow()
  expect(note).toMatchObject({ kind: 'note', author_capacity: 'ceo', workflow_sequence: done.sequence })
})
