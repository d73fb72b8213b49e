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
  expect(compareAnswers(null, { items: [] })).toEqual([{ kind: 'changed', path: 'answers', before: 'null', after: '{"items":[]}' }])
})

test('where a change is reads in words, and so do yes and no', () => {
  expect(pathWords('confirmation.noMdaConcerns')).toBe('Confirmation, no MD&A concerns')
  expect(pathWords('accurateAndComplete')).toBe('Accurate and complete')
  expect(pathWords('internal.documentSha256')).toBe('Internal, document SHA-256')
  expect(valueWords('true')).toBe('yes')
  expect(valueWords('false')).toBe('no')
  expect(valueWords('La Camorra')).toBe('La Camorra')
})
