import { expect, test } from 'vitest'
import { EVENT_WORDS } from './event-words'
import { knownMachineVersions } from './registry'

// Every event a registered machine accepts, current or retired (old histories are
// shown too), has its words; and no words are kept for an event nothing accepts.
// XState's own events (a parallel state's done event) are never stored.
const accepted = new Set(knownMachineVersions().flatMap((v) => v.machine.root.events.filter((type) => !type.startsWith('xstate.'))))

test('every kind of event any machine accepts has its words, in a sentence’s lower case', () => {
  const missing = [...accepted].filter((type) => !(type in EVENT_WORDS))
  expect(missing).toEqual([])
  for (const words of Object.values(EVENT_WORDS)) expect(words).toMatch(/^[a-z]/)
})

test('no words are kept for an event no machine accepts', () => {
  expect(Object.keys(EVENT_WORDS).filter((type) => !accepted.has(type))).toEqual([])
})
