import { expect, test } from 'vitest'
import { compareAnswers, pathWords, valueWords } from '../../app/utils/compare-answers'

test('a material item raised last quarter and absent now is removed; a new one added; a changed field named', () => {
  const lastQuarter = {
    items: [
      { itemId: 'a', summary: 'Sale of La Camorra to Rusoro', caseId: 'case-1' },
      { itemId: 'b', summary: 'Isidora mediation', caseId: 'case-2' },
    ],
    noneBeyondReported: false,
    confirmation: { noMdaConcerns: true },
  }
  const now = {
    items: [
      { itemId: 'b', summary: 'Isidora mediation', caseId: 'case-2' },
      { itemId: 'c', summary: 'Canamex investment' },
    ],
    noneBeyondReported: true,
    confirmation: { noMdaConcerns: false, comments: 'Two concerns.' },
  }
  expect(compareAnswers(lastQuarter, now)).toEqual([
    { kind: 'added', path: 'confirmation.comments', before: null, after: 'Two concerns.' },
    { kind: 'changed', path: 'confirmation.noMdaConcerns', before: 'true', after: 'false' },
    { kind: 'removed', path: 'items', before: 'Sale of La Camorra to Rusoro', after: null },
    { kind: 'added', path: 'items', before: null, after: 'Canamex investment' },
    { kind: 'changed', path: 'noneBeyondReported', before: 'false', after: 'true' },
  ])
  expect(compareAnswers(now, structuredClone(now))).toEqual([])
  expect(compareAnswers(null, { items: [] })).toEqual([{ kind: 'changed', path: 'answers', before: 'none', after: 'Items: none' }])
})

test('an entry with no summary or title reads as its fields in words, never as JSON', () => {
  const before = { exceptions: [] as unknown[] }
  const after = { exceptions: [{ dutyNumber: 3, caseId: 'case-9', acknowledged: true, bodies: ['audit_committee'] }] }
  expect(compareAnswers(before, after)).toEqual([
    {
      kind: 'added',
      path: 'exceptions',
      before: null,
      after: 'Duty number: 3; Case id: case-9; Acknowledged: yes; Bodies: audit_committee',
    },
  ])
  expect(compareAnswers({ a: 1 }, { a: { limit: 2, items: [] } })).toEqual([
    { kind: 'changed', path: 'a', before: '1', after: 'Limit: 2; Items: none' },
  ])
})

test('where a change is reads in words, and so do yes and no', () => {
  expect(pathWords('confirmation.noMdaConcerns')).toBe('Confirmation, no MD&A concerns')
  expect(pathWords('accurateAndComplete')).toBe('Accurate and complete')
  expect(pathWords('internal.documentSha256')).toBe('Internal, document SHA-256')
  expect(valueWords('true')).toBe('yes')
  expect(valueWords('false')).toBe('no')
  expect(valueWords('La Camorra')).toBe('La Camorra')
})
