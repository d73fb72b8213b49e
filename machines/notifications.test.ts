import { expect, test } from 'vitest'
import type { CaseContext } from './case'
import { type Addressee, type NotificationCause, mailBody, noticesFor } from './notifications'
import { routeCase } from './routing'

// The demo company's people, as the bodies they sit on.
const PEOPLE: Addressee[] = [
  { userId: 'ceo', bodies: ['ceo', 'disclosure_committee'], officerRole: 'ceo' },
  { userId: 'cfo', bodies: ['disclosure_committee'], officerRole: 'cfo' },
  { userId: 'cao', bodies: ['disclosure_committee'], officerRole: 'cao' },
  { userId: 'gc', bodies: ['disclosure_committee'], officerRole: null },
  { userId: 'chairman', bodies: ['chairman', 'board'], officerRole: null },
  { userId: 'audit-chair', bodies: ['audit_committee', 'board'], officerRole: null },
  { userId: 'audit-member', bodies: ['audit_committee', 'board'], officerRole: null },
  { userId: 'internal-audit', bodies: ['internal_auditor'], officerRole: null },
]

function caseContext(over: Partial<CaseContext>): CaseContext {
  const base = {
    caseId: 'case-1',
    duty: 3 as const,
    subject: { kind: 'officer' as const, role: 'cfo' as const, userId: 'cfo' },
    reporter: { role: 'cao' as const, userId: 'cao' },
    summary: 'A secret summary.',
    reportedAt: '2013-02-14T18:00:00.000Z',
    acknowledgements: [],
    resolution: null,
    referral: null,
    routedAt: '2013-02-14T18:00:00.000Z',
  }
  const c = { ...base, ...over }
  return { ...c, routing: routeCase({ duty: c.duty, subject: c.subject, reporter: c.reporter }) } as CaseContext
}

const event = (
  machineId: string,
  type: string,
  context: unknown,
  extra: Record<string, unknown> = {},
  reportId = 'r',
): NotificationCause => ({
  kind: 'event',
  sequence: 7,
  machineId,
  reportId,
  subject: extra.subject as Record<string, unknown>,
  event: { type, ...extra },
  context,
  reportWords: 'the Form 10-K for fiscal year 2012',
  actorUserId: (extra.actor as string | undefined) ?? null,
})

test('a matter about the CFO goes to its recipients, never to its subject or its reporter, each once', () => {
  const notices = noticesFor(event('case', 'case.route', caseContext({}), { actor: 'cao' }), PEOPLE)
  // Duty 3 about an officer: the CEO and the Audit Committee (machines/routing.ts); the CEO once, though on two bodies.
  expect(notices.map((n) => n.userId)).toEqual(['ceo', 'audit-chair', 'audit-member'])
  expect(notices.map((n) => n.userId)).not.toContain('cfo')
  expect(notices.map((n) => n.userId)).not.toContain('cao')
  expect(notices.every((n) => n.alwaysImmediate && n.link === '/cases/case-1')).toBe(true)
  for (const n of notices) expect(n.subject + n.what + n.reason).not.toContain('secret')
})

test('a matter about a member of a recipient body never reaches them through that body', () => {
  // Duty 2 goes to the Disclosure Committee and the Audit Committee; the CFO sits on the first and is the subject.
  const ctx = caseContext({ duty: 2, reporter: { role: 'ceo', userId: 'ceo' } })
  const notices = noticesFor(event('case', 'case.route', ctx, { actor: 'ceo' }), PEOPLE)
  expect(notices.map((n) => n.userId)).toEqual(['cao', 'gc', 'audit-chair', 'audit-member'])
})

test('the reporter hears of a question once; the anonymous reporter never', () => {
  const ctx = caseContext({ duty: 1, subject: { kind: 'none' }, reporter: { role: 'ceo', userId: 'ceo' } })
  const q = noticesFor(
    { kind: 'caseMessage', messageId: 'q1', messageKind: 'question', caseId: 'case-1', context: ctx, authorUserId: 'gc' },
    PEOPLE,
  )
  expect(q.map((n) => [n.userId, n.kind])).toEqual([['ceo', 'case_question']])
  const anonymous = caseContext({ duty: 2, subject: { kind: 'none' }, reporter: { kind: 'anonymous' } })
  expect(
    noticesFor(
      { kind: 'caseMessage', messageId: 'q2', messageKind: 'question', caseId: 'case-1', context: anonymous, authorUserId: 'audit-chair' },
      PEOPLE,
    ),
  ).toEqual([])
  // Notes stay on the page.
  expect(
    noticesFor({ kind: 'caseMessage', messageId: 'n1', messageKind: 'note', caseId: 'case-1', context: ctx, authorUserId: 'gc' }, PEOPLE),
  ).toEqual([])
})

test('a send back reaches the three officers with its reason and duties', () => {
  const notices = noticesFor(
    event(
      'report-lifecycle',
      'report.sendBack',
      {},
      { body: 'audit_committee', reason: 'Look at the MD&A again.', dutyNumbers: [6, 12], actor: 'audit-chair' },
    ),
    PEOPLE,
  )
  expect(notices.map((n) => n.userId)).toEqual(['ceo', 'cfo', 'cao'])
  expect(notices[0]!.what).toContain('“Look at the MD&A again.”')
  expect(notices[0]!.what).toContain('6, 12')
  expect(notices[0]!.link).toBe('/reports/r')
})

test('approval for filing is news once both approvals are in; filing goes to officers and committee members', () => {
  const half = noticesFor(event('report-lifecycle', 'report.approveForFiling', { approvalsForFiling: { ceo: {}, cfo: null } }), PEOPLE)
  expect(half).toEqual([])
  const both = noticesFor(
    event('report-lifecycle', 'report.approveForFiling', { approvalsForFiling: { ceo: {}, cfo: {} } }, { actor: 'cfo' }),
    PEOPLE,
  )
  expect(both.map((n) => n.userId).sort()).toEqual(['audit-chair', 'audit-member', 'cao', 'ceo', 'gc'])
  const filed = noticesFor(event('report-lifecycle', 'report.file', {}, { accessionNumber: '0000719413-13-000012', actor: 'cao' }), PEOPLE)
  expect(filed.map((n) => n.userId).sort()).toEqual(['audit-chair', 'audit-member', 'ceo', 'cfo', 'gc'])
  expect(filed[0]!.link).toBe('/reports/r/filing')
})

test('a new draft reopening three of an officer’s duties is one mail: the three notices share one key', () => {
  const reopen = (duty: number) =>
    noticesFor(
      {
        ...event(
          'duty-review',
          'duty.reopen',
          {},
          { reason: 'newDraft', draftSha256: 'ab'.repeat(32), subject: { officerUserId: 'cfo', dutyNumber: duty } },
        ),
        sequence: duty,
      } as NotificationCause,
      PEOPLE,
    )
  const keys = [6, 10, 12].map((d) => reopen(d)[0]!.dedupe)
  expect(new Set(keys).size).toBe(1)
  expect(reopen(6)[0]!.userId).toBe('cfo')
  // A send back's reopening has its own mail.
  expect(noticesFor(event('duty-review', 'duty.reopen', {}, { reason: 'sentBack', subject: { officerUserId: 'cfo' } }), PEOPLE)).toEqual([])
})

test('the written notice goes to the individual, as a link to /notices/<case>, never with its text', () => {
  const ctx = {
    caseId: 'case-1',
    subject: { kind: 'employee', userId: 'internal-audit' },
    routing: { recipients: ['board'], excludedUserIds: [] },
  }
  const notices = noticesFor(
    event('board-determination', 'determination.giveNotice', ctx, { text: 'You are censured.', actor: 'chairman' }),
    PEOPLE,
  )
  expect(notices).toHaveLength(1)
  expect(notices[0]).toMatchObject({
    userId: 'internal-audit',
    kind: 'determination_notice',
    link: '/notices/case-1',
    alwaysImmediate: true,
  })
  expect(JSON.stringify(notices)).not.toContain('censured')
})

test('a mail says what happened, links to its page, and says why', () => {
  const body = mailBody(
    { what: 'Something happened.', reason: 'You receive this as X.', link: '/cases/case-1' },
    'https://attest.example',
    'Avery',
  )
  expect(body).toContain('Dear Avery,')
  expect(body).toContain('Open it: https://attest.example/cases/case-1')
  expect(body).toContain('Why you receive this: You receive this as X.')
})
