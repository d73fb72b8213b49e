import { expect, test } from 'vitest'
import { compareAnswers } from '../../app/utils/compare-answers'

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
