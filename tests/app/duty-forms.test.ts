import { describe, expect, test } from 'vitest'
import { INTENTS } from '../../app/utils/duty-forms'
import { parseDutyAnswers } from '../../machines/duty-answers'
import { DUTIES, type DutyNumber } from '../../machines/duties'
import { DUTY_ACTIONS } from '../../machines/duty-review'
import {
  type ParseContext,
  answersToValues,
  parseAnswerForm,
  parseExceptionForm,
  utcToZonedWallTime,
  zonedWallTimeToUtc,
} from '../../app/utils/duty-forms.server'
import type { Person } from '../../db/queries/people'
import type { VisibleCase } from '../../app/utils/permissions.server'
import { DRAFT_A, otherVariants, variantAnswers } from '../support/sample-answers'

// The duty forms read into exactly the shapes machines/duty-answers.ts accepts.
const DRAFT = DRAFT_A
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

/** A case as listVisibleCases gives it: only what the parsers read. */
const visibleCase = (caseId: string, duty: number, summary: string, itemId?: string) =>
  ({
    id: `case/${caseId}`,
    version: 2,
    state: 'underReview',
    path: 'underReview',
    context: { caseId, duty, summary, reporter: { role: 'cfo', userId: 'user-cfo' }, ...(itemId ? { itemId } : {}) },
  }) as unknown as VisibleCase
const deficiencyCase = visibleCase('case-2012-reconciliations', 2, 'Reconciliations late at Greens Creek.')

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

test('duty 1: citing a case not raised from an item, raising an item as a new case, and a free matter', () => {
  const { answers, newCases } = answersOf(1, {
    cite: 'case-2012-canamex',
    raise: 'item-2012-fy-canamex',
    'item-item-2012-fy-canamex-summary': 'Canamex: 14,000,000 shares at $0.18.',
    'matter-0-summary': '',
  })
  expect(newCases).toHaveLength(1)
  expect(newCases[0]).toMatchObject({
    duty: 1,
    summary: 'Canamex: 14,000,000 shares at $0.18.',
    subject: { kind: 'none' },
    itemId: 'item-2012-fy-canamex',
  })
  expect(newCases[0]!.caseId).toMatch(/^case-2012-fy-d1-[0-9a-f]{8}$/)
  expect(answers).toEqual({
    items: [
      { summary: 'Investment in Canamex Resources Corp.', caseId: 'case-2012-canamex' },
      { itemId: 'item-2012-fy-canamex', summary: 'Canamex: 14,000,000 shares at $0.18.', caseId: newCases[0]!.caseId },
    ],
  })
})

test('duty 1: an item already raised as a case is cited as that case, never raised again', () => {
  const raisedFromItem = visibleCase('case-2012-canamex', 1, 'Investment in Canamex Resources Corp.', 'item-2012-fy-canamex')
  const both = parseAnswerForm(
    form({ cite: 'case-2012-canamex', raise: 'item-2012-fy-canamex', 'item-item-2012-fy-canamex-summary': 'Canamex again.' }),
    ctx(1, { visibleCases: [raisedFromItem] }),
  )
  expect(both).toEqual({
    ok: false,
    fieldErrors: {
      raise:
        '“Investment in Canamex Resources Corp.” is already case case-2012-canamex: tick that case under “Cases already reported” to list it, rather than raising it again.',
    },
  })
  // Raising it alone, without ticking the case, is refused the same way.
  const alone = parseAnswerForm(form({ raise: 'item-2012-fy-canamex' }), ctx(1, { visibleCases: [raisedFromItem] }))
  expect(alone.ok === false && alone.fieldErrors.raise).toContain('is already case case-2012-canamex')
  // Cited, the answer keeps the item it is about.
  expect(answersOf(1, { cite: 'case-2012-canamex' }, { visibleCases: [raisedFromItem] })).toEqual({
    answers: { items: [{ itemId: 'item-2012-fy-canamex', summary: 'Investment in Canamex Resources Corp.', caseId: 'case-2012-canamex' }] },
    newCases: [],
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
      established: 'yes',
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
      established: 'yes',
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

test('an exception links a visible case, or raises a new one, under the duty the rule gives (duties 7–9: a duty 2 matter)', () => {
  const c = ctx(7, { visibleCases: [canamexCase, deficiencyCase] })
  const existing = parseExceptionForm(
    form({ explanation: 'Late recording.', link: 'existing', existingCaseId: 'case-2012-reconciliations' }),
    c,
  )
  expect(existing).toEqual({ ok: true, value: { explanation: 'Late recording.', link: { existingCaseId: 'case-2012-reconciliations' } } })
  const material = parseExceptionForm(form({ explanation: 'Late recording.', link: 'existing', existingCaseId: 'case-2012-canamex' }), c)
  expect(material).toEqual({
    ok: false,
    fieldErrors: {
      existingCaseId: 'An exception on duty 7 links a case raised under duty 2; case case-2012-canamex was raised under duty 1.',
    },
  })
  for (const posted of [{}, { newCaseDuty: '2' }] as Record<string, string>[]) {
    const raised = parseExceptionForm(form({ explanation: 'Late recording.', link: 'new', newCaseSubject: '', ...posted }), c)
    expect(raised.ok && 'newCase' in raised.value.link && raised.value.link.newCase).toMatchObject({ duty: 2, subject: { kind: 'none' } })
  }
  const otherDuty = parseExceptionForm(form({ explanation: 'Late recording.', link: 'new', newCaseDuty: '1', newCaseSubject: '' }), c)
  expect(otherDuty).toEqual({
    ok: false,
    fieldErrors: { newCaseDuty: 'An exception on duty 7 raises its case under duty 2 (control deficiencies or fraud), no other.' },
  })
  const unknown = parseExceptionForm(form({ explanation: 'x', link: 'existing', existingCaseId: 'case-about-me' }), c)
  expect(unknown.ok === false && unknown.fieldErrors.existingCaseId).toBe('Choose the case the exception links to.')
  // Duty 6 may choose duty 1 or 2; duty 3 only its own.
  const draft = parseExceptionForm(form({ explanation: 'Note 12.', link: 'new', newCaseDuty: '2', newCaseSubject: '' }), ctx(6))
  expect(draft.ok && 'newCase' in draft.value.link && draft.value.link.newCase.duty).toBe(2)
  const choose = parseExceptionForm(form({ explanation: 'Note 12.', link: 'new', newCaseSubject: '' }), ctx(6))
  expect(choose.ok === false && choose.fieldErrors.newCaseDuty).toBe('Choose the duty the new case is raised under: duty 1 or duty 2.')
  const conflict = parseExceptionForm(
    form({ explanation: 'x', link: 'existing', existingCaseId: 'case-2012-reconciliations' }),
    ctx(3, { visibleCases: c.visibleCases }),
  )
  expect(conflict.ok).toBe(false)
})

describe('duties 7–9: established, or not', () => {
  const fields = { operatingEffectively: 'no', changesInPeriod: 'Never adopted after the merger.' }
  test('"not established" is an answer, with or without a document', () => {
    expect(answersOf(9, { ...fields, established: 'no', referenceTitle: '', referenceIdentifier: '' }).answers).toEqual({
      established: false,
      operatingEffectively: false,
      changesInPeriod: 'Never adopted after the merger.',
    })
    expect(
      answersOf(9, { ...fields, established: 'no', referenceTitle: 'Draft policy', referenceIdentifier: 'DC-DRAFT' }).answers,
    ).toMatchObject({
      referenceDocument: { title: 'Draft policy', identifier: 'DC-DRAFT' },
    })
  })
  test('refusals name their field', () => {
    const operating = parseAnswerForm(form({ ...fields, established: 'no', operatingEffectively: 'yes' }), ctx(7))
    expect(operating.ok === false && operating.fieldErrors.operatingEffectively).toContain(
      'What is not established cannot be operating effectively',
    )
    const noDocument = parseAnswerForm(form({ ...fields, established: 'yes' }), ctx(7))
    expect(noDocument.ok === false && noDocument.fieldErrors.referenceTitle).toBe('Enter the title of the document that sets them out.')
    const unanswered = parseAnswerForm(form(fields), ctx(8))
    expect(unanswered.ok === false && unanswered.fieldErrors.established).toBe('Say whether they are established for the period.')
    const ticked = parseAnswerForm(form({ ...fields, established: 'on' }), ctx(8))
    expect(ticked.ok === false && ticked.fieldErrors.established).toBe('Say whether they are established for the period.')
  })
})

test('written text holding the NUL character is refused on its field, with words', () => {
  const nul = parseAnswerForm(
    form({
      established: 'yes',
      operatingEffectively: 'yes',
      changesInPeriod: 'None\u0000',
      referenceTitle: 'T',
      referenceIdentifier: 'I\u0000',
    }),
    ctx(7),
  )
  expect(nul.ok === false && nul.fieldErrors).toEqual({
    changesInPeriod: expect.stringMatching(/^Remove the invisible NUL character \(U\+0000\) from the changes in the period/),
    referenceIdentifier: expect.stringContaining('NUL character (U+0000)'),
  })
  const comments = parseAnswerForm(form({ draftSha256: DRAFT, accurateAndComplete: 'yes', comments: '\u0000' }), ctx(6))
  expect(comments.ok === false && comments.fieldErrors.comments).toContain('NUL')
  const exception = parseExceptionForm(form({ explanation: 'Late\u0000', link: 'new', newCaseSubject: '' }), ctx(7))
  expect(exception.ok === false && exception.fieldErrors.explanation).toContain('NUL')
})

test('duty 12: a confirmation about another document than the current draft is refused', () => {
  const party = (p: string, sha: string) => ({
    [`${p}-confirmedBy`]: `${p} auditor`,
    [`${p}-confirmedAt`]: '2013-02-20T10:00',
    [`${p}-documentSha256`]: sha,
    [`${p}-noMaterialMisstatements`]: 'on',
    [`${p}-noMdaConcerns`]: 'yes',
  })
  const other = parseAnswerForm(form({ draftSha256: DRAFT, ...party('internal', DRAFT), ...party('independent', 'b'.repeat(64)) }), ctx(12))
  expect(other).toEqual({
    ok: false,
    fieldErrors: { 'independent-documentSha256': 'The confirmation must be about the current draft (SHA-256 aaaaaaaaaaaa…).' },
  })
})

test('the forms’ intents are the duty machine’s actions', () => {
  expect([...INTENTS]).toEqual([...DUTY_ACTIONS])
})

describe('recorded answers, shown again in the form and posted back, are the same answers', () => {
  for (const { number } of DUTIES) {
    for (const variant of ['first', ...otherVariants(number)] as const) {
      test(`duty ${number}, ${variant}`, () => {
        const answers = variantAnswers(number, variant, DRAFT)
        const items = 'items' in answers ? answers.items : []
        const cases = items.map((i) => visibleCase(i.caseId, number, i.summary, i.itemId))
        // Duty 11's weakness is a duty 2 case already reported.
        if ('caseId' in answers && answers.caseId) cases.push(visibleCase(answers.caseId, 2, 'IT access controls.'))
        const values = { ...answersToValues(answers, 'America/Los_Angeles'), draftSha256: DRAFT }
        expect(answersOf(number, values, { visibleCases: cases, items: [] }).answers).toEqual(answers)
      })
    }
  }
})

test('wall-clock times in the company’s zone, across daylight saving', () => {
  expect(zonedWallTimeToUtc('2013-02-20T10:00', 'America/Los_Angeles')?.toISOString()).toBe('2013-02-20T18:00:00.000Z')
  expect(zonedWallTimeToUtc('2012-07-01T10:00', 'America/Los_Angeles')?.toISOString()).toBe('2012-07-01T17:00:00.000Z')
  expect(zonedWallTimeToUtc('2013-02-30T10:00', 'America/Los_Angeles')).toBeNull()
  expect(zonedWallTimeToUtc('yesterday', 'America/Los_Angeles')).toBeNull()
  expect(utcToZonedWallTime('2013-02-20T18:00:00.000Z', 'America/Los_Angeles')).toBe('2013-02-20T10:00')
})
