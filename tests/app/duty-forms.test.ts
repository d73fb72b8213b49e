import { expect, test } from 'vitest'
import { parseDutyAnswers } from '../../machines/duty-answers'
import type { DutyNumber } from '../../machines/duties'
import {
  type ParseContext,
  parseAnswerForm,
  parseExceptionForm,
  utcToZonedWallTime,
  zonedWallTimeToUtc,
} from '../../app/utils/duty-forms.server'
import type { Person } from '../../db/queries/people'
import type { VisibleCase } from '../../app/utils/permissions.server'

// The duty forms read into exactly the shapes machines/duty-answers.ts accepts.
const DRAFT = 'a'.repeat(64)
const people: Person[] = [
  {
    id: 'user-ceo',
    name: 'Phillips S. Baker, Jr.',
    title: 'President and Chief Executive Officer',
    roles: ['ceo', 'disclosure_committee'],
  },
  { id: 'user-chairman', name: 'Robin Gavel', title: 'Chairman of the Board', roles: ['chairman', 'director'] },
]
const canamexCase = {
  id: 'case/case-2012-canamex',
  version: 2,
  state: 'underReview',
  path: 'underReview',
  context: {
    caseId: 'case-2012-canamex',
    duty: 1,
    summary: 'Investment in Canamex Resources Corp.',
    reporter: { role: 'cfo', userId: 'user-cfo' },
  },
} as unknown as VisibleCase

function ctx(n: DutyNumber, extra: Partial<ParseContext> = {}): ParseContext {
  return {
    dutyNumber: n,
    reportId: 'report-2012-fy',
    draftSha256: DRAFT,
    timeZone: 'America/Los_Angeles',
    now: new Date('2013-03-01T00:00:00Z'),
    visibleCases: [canamexCase],
    items: [{ id: 'item-2012-fy-canamex', title: 'Investment in Canamex Resources Corp.' }],
    people,
    ...extra,
  }
}

function form(fields: Record<string, string | string[]>): FormData {
  const f = new FormData()
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) f.append(k, one)
  return f
}

function answersOf(n: DutyNumber, fields: Record<string, string | string[]>, extra?: Partial<ParseContext>) {
  const parsed = parseAnswerForm(form(fields), ctx(n, extra))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors))
  expect(parseDutyAnswers(n, parsed.value.answers).success).toBe(true)
  return parsed.value
}

test('duty 1: citing a case, raising an item as a new case, and a free matter', () => {
  const { answers, newCases } = answersOf(1, {
    cite: 'case-2012-canamex',
    raise: 'item-2012-fy-canamex',
    'item-item-2012-fy-canamex-summary': 'Canamex: 14,000,000 shares at $0.18.',
    'matter-0-summary': '',
  })
  expect(newCases).toHaveLength(1)
  expect(newCases[0]).toMatchObject({ duty: 1, summary: 'Canamex: 14,000,000 shares at $0.18.', subject: { kind: 'none' } })
  expect(newCases[0]!.caseId).toMatch(/^case-2012-fy-d1-[0-9a-f]{8}$/)
  expect(answers).toEqual({
    items: [
      { summary: 'Investment in Canamex Resources Corp.', caseId: 'case-2012-canamex' },
      { itemId: 'item-2012-fy-canamex', summary: 'Canamex: 14,000,000 shares at $0.18.', caseId: newCases[0]!.caseId },
    ],
  })
})

test('duties 1–4: "none beyond those already reported", or a refusal on that field', () => {
  expect(answersOf(2, { noneBeyondReported: 'on' }).answers).toEqual({ items: [], noneBeyondReported: true })
  const refused = parseAnswerForm(form({}), ctx(3))
  expect(refused).toEqual({ ok: false, fieldErrors: { noneBeyondReported: expect.stringContaining('None beyond those already reported') } })
})

test('duty 3: a matter about the CEO is raised with the CEO as its subject, so it never routes to them', () => {
  const { answers, newCases } = answersOf(3, {
    'matter-0-category': 'conflict_of_interest',
    'matter-0-subject': 'user-ceo',
    'matter-0-summary': 'A supplier owned by a relative.',
  })
  expect(newCases[0]!.subject).toEqual({ kind: 'officer', role: 'ceo', userId: 'user-ceo' })
  expect(answers).toEqual({
    items: [{ summary: 'A supplier owned by a relative.', caseId: newCases[0]!.caseId, category: 'conflict_of_interest' }],
  })
})

test('duties 5 to 9 and 11', () => {
  expect(answersOf(5, { acknowledgesBoardDetermination: 'on' }).answers).toEqual({ acknowledgesBoardDetermination: true })
  expect(answersOf(6, { draftSha256: DRAFT, accurateAndComplete: 'yes', comments: '' }).answers).toEqual({
    draftSha256: DRAFT,
    accurateAndComplete: true,
    comments: '',
  })
  expect(
    answersOf(8, {
      established: 'on',
      operatingEffectively: 'yes',
      changesInPeriod: 'None',
      referenceTitle: 'Records Retention Policy',
      referenceIdentifier: 'LEG-POL-014',
    }).answers,
  ).toEqual({
    established: true,
    operatingEffectively: true,
    changesInPeriod: 'None',
    referenceDocument: { title: 'Records Retention Policy', identifier: 'LEG-POL-014' },
  })
  expect(answersOf(11, { consultedOn: '2013-02-19', weaknessesIdentified: 'no', summary: 'None identified.', caseId: '' }).answers).toEqual(
    {
      consultedOn: '2013-02-19',
      weaknessesIdentified: false,
      summary: 'None identified.',
    },
  )
})

test('duty 6: a draft found inaccurate needs a comment; another draft’s hash is refused', () => {
  const noComment = parseAnswerForm(form({ draftSha256: DRAFT, accurateAndComplete: 'no', comments: ' ' }), ctx(6))
  expect(noComment).toEqual({ ok: false, fieldErrors: { comments: 'Say what is inaccurate or incomplete.' } })
  const other = parseAnswerForm(form({ draftSha256: 'b'.repeat(64), accurateAndComplete: 'yes' }), ctx(6))
  expect(other.ok === false && other.fieldErrors.draftSha256).toContain('This form was for another draft')
})

test('duty 10: empty rows are ignored; the three groups the duty names must attend', () => {
  const base = { draftSha256: DRAFT, heldOn: '2013-02-14' }
  const { answers } = answersOf(10, {
    ...base,
    'attendee-0-name': 'VP Operations',
    'attendee-0-group': 'senior_management',
    'attendee-1-name': '',
    'attendee-1-group': '',
    'attendee-2-name': 'GM, Greens Creek',
    'attendee-2-group': 'division_head',
    'attendee-3-name': 'Assistant Controller',
    'attendee-3-group': 'accounting_staff',
    'comment-0-text': 'Tie MD&A to operating statistics.',
    'comment-0-disposition': 'Done.',
    'comment-1-text': '',
    'comment-1-disposition': '',
  })
  expect(answers).toEqual({
    draftSha256: DRAFT,
    meetings: [
      {
        heldOn: '2013-02-14',
        attendees: [
          { name: 'VP Operations', group: 'senior_management' },
          { name: 'GM, Greens Creek', group: 'division_head' },
          { name: 'Assistant Controller', group: 'accounting_staff' },
        ],
        comments: [{ text: 'Tie MD&A to operating statistics.', disposition: 'Done.' }],
      },
    ],
  })
  const missing = parseAnswerForm(
    form({ ...base, 'attendee-0-name': 'Assistant Controller', 'attendee-0-group': 'accounting_staff' }),
    ctx(10),
  )
  expect(missing.ok === false && missing.fieldErrors.attendees).toContain('at least one attendee of each')
  const future = parseAnswerForm(form({ ...base, heldOn: '2013-03-02' }), ctx(10))
  expect(future.ok === false && future.fieldErrors.heldOn).toBe('The date of the meeting cannot be in the future.')
})

test('duty 12: both confirmations, the time typed in the company’s zone stored in UTC', () => {
  const party = (p: string) => ({
    [`${p}-confirmedBy`]: `${p} auditor`,
    [`${p}-confirmedAt`]: '2013-02-20T10:00',
    [`${p}-documentSha256`]: DRAFT,
    [`${p}-noMaterialMisstatements`]: 'on',
    [`${p}-noMdaConcerns`]: 'yes',
  })
  const { answers } = answersOf(12, { draftSha256: DRAFT, ...party('internal'), ...party('independent') })
  const confirmation = (who: string) => ({
    confirmedBy: who,
    confirmedAt: '2013-02-20T18:00:00.000Z',
    documentSha256: DRAFT,
    noMaterialMisstatements: true,
    noMdaConcerns: true,
  })
  expect(answers).toEqual({
    draftSha256: DRAFT,
    internalAuditor: confirmation('internal auditor'),
    independentAuditors: confirmation('independent auditor'),
  })
  const misstated = parseAnswerForm(
    form({ draftSha256: DRAFT, ...party('internal'), ...party('independent'), 'internal-noMaterialMisstatements': '' }),
    ctx(12),
  )
  expect(misstated.ok === false && misstated.fieldErrors['internal-noMaterialMisstatements']).toContain('cannot be confirmed away')
})

test('written text over 20,000 characters is refused, never cut', () => {
  const long = parseAnswerForm(
    form({
      established: 'on',
      operatingEffectively: 'yes',
      changesInPeriod: 'x'.repeat(20_001),
      referenceTitle: 'T',
      referenceIdentifier: 'I',
    }),
    ctx(7),
  )
  expect(long.ok === false && long.fieldErrors.changesInPeriod).toMatch(/^Shorten .*at most 20,000 characters\.$/)
  const comments = parseAnswerForm(form({ draftSha256: DRAFT, accurateAndComplete: 'yes', comments: 'x'.repeat(20_001) }), ctx(6))
  expect(comments.ok).toBe(false)
})

test('an exception links a visible case or raises a new one under the duty chosen', () => {
  const existing = parseExceptionForm(
    form({ explanation: 'Late recording.', link: 'existing', existingCaseId: 'case-2012-canamex' }),
    ctx(7),
  )
  expect(existing).toEqual({ ok: true, value: { explanation: 'Late recording.', link: { existingCaseId: 'case-2012-canamex' } } })
  const raised = parseExceptionForm(form({ explanation: 'Late recording.', link: 'new', newCaseDuty: '2', newCaseSubject: '' }), ctx(7))
  expect(raised.ok && 'newCase' in raised.value.link && raised.value.link.newCase).toMatchObject({ duty: 2, subject: { kind: 'none' } })
  const unknown = parseExceptionForm(form({ explanation: 'x', link: 'existing', existingCaseId: 'case-about-me' }), ctx(7))
  expect(unknown.ok === false && unknown.fieldErrors.existingCaseId).toBe('Choose the case the exception links to.')
})

test('wall-clock times in the company’s zone, across daylight saving', () => {
  expect(zonedWallTimeToUtc('2013-02-20T10:00', 'America/Los_Angeles')?.toISOString()).toBe('2013-02-20T18:00:00.000Z')
  expect(zonedWallTimeToUtc('2012-07-01T10:00', 'America/Los_Angeles')?.toISOString()).toBe('2012-07-01T17:00:00.000Z')
  expect(zonedWallTimeToUtc('2013-02-30T10:00', 'America/Los_Angeles')).toBeNull()
  expect(zonedWallTimeToUtc('yesterday', 'America/Los_Angeles')).toBeNull()
  expect(utcToZonedWallTime('2013-02-20T18:00:00.000Z', 'America/Los_Angeles')).toBe('2013-02-20T10:00')
})
