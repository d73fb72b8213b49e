import { expect, test } from 'vitest'
import { checkEverySimplePath } from '../tests/support/machine-models'
import { type KeptRowEvent, keptRowsMachine } from './kept-rows'
import { initialSnapshot, replay } from './replay'

const kept = (key: string, table: KeptRowEvent['table'] = 'case_message'): KeptRowEvent => ({
  type: 'row.kept',
  table,
  key,
  columns: ['id', 'body'],
  sha256: 'a'.repeat(64),
})

test('every simple path of the model (up to three rows, with rows of another table and malformed ones offered) replays to the same snapshot', () => {
  // The machine counts rows, so its states never repeat: the model offers events while fewer than three are kept.
  const check = checkEverySimplePath(keptRowsMachine, { table: 'case_message' }, (snapshot) =>
    (snapshot.context as { kept: number }).kept >= 3
      ? []
      : [
          kept(`note-${(snapshot.context as { kept: number }).kept}`),
          kept('file-1', 'case_attachment'),
          { ...kept('note-x'), sha256: 'not a hash' },
          { ...kept('note-y'), columns: [] },
        ],
  )
  expect(check.failures).toEqual([])
  expect(check.longest).toBe(3)
  expect(check.paths).toBe(4)
})

test('a row of its own table is counted; another table’s, or a malformed one, is refused', () => {
  const snapshot = replay(keptRowsMachine, { table: 'waiver' }, [kept('waiver-1', 'waiver'), kept('waiver-2', 'waiver')])
  expect(snapshot.context).toEqual({ table: 'waiver', kept: 2 })
  expect(snapshot.hasTag('keeping')).toBe(true)
  expect(snapshot.can(kept('note-1'))).toBe(false)
  expect(snapshot.can({ ...kept('waiver-3', 'waiver'), key: '' })).toBe(false)
  expect(snapshot.can({ ...kept('waiver-3', 'waiver'), columns: ['Not A Column'] })).toBe(false)
  expect(snapshot.can({ ...kept('waiver-3', 'waiver'), extra: 1 } as never)).toBe(false)
  expect(snapshot.can(kept('waiver-3', 'waiver'))).toBe(true)
})

test('its input names a kept table, and nothing else', () => {
  expect(() => initialSnapshot(keptRowsMachine, { table: 'sign_off' } as never)).toThrow()
  expect(initialSnapshot(keptRowsMachine, { table: 'case_access_log' }).context).toEqual({ table: 'case_access_log', kept: 0 })
})
