import { expect, test } from 'vitest'
import { BOARD_ACTIONS } from './board-determination'
import { BOARD_ACTION_WORDS, FACTOR_WORDS, actionWords, decisionActionWords } from './determination-words'
import { dutyByNumber } from './duties'

// The Board's page, the notice and its PDF speak duty 5's own words: each action
// and each factor, as the page writes it, is found in the duty's text (the
// catalogue's, pinned to the seed by tests/seeds/duty-text.test.ts).
const duty5 = dutyByNumber(5).text
const asInTheCode = (words: string) => (words.charAt(0).toLowerCase() + words.slice(1)).replaceAll('’', "'")

test('each action is named in the words of duty 5', () => {
  for (const action of BOARD_ACTIONS) {
    // The code lists "written notices" in the plural, as a kind of action; one notice goes to one individual.
    const words = asInTheCode(BOARD_ACTION_WORDS[action]).replace(/^written notice /, 'written notices ')
    expect(duty5, action).toContain(words)
  }
})

test('each of the five factors is named in the words of duty 5', () => {
  for (const factor of ['natureAndSeverity', 'occurrence', 'intent', 'advisedBeforehand', 'priorViolations'] as const) {
    expect(duty5, factor).toContain(asInTheCode(FACTOR_WORDS[factor]))
  }
  expect(duty5).toContain('all relevant information')
})

test('a suspension says whether with pay and with benefits; the actions follow the decision', () => {
  expect(actionWords('suspension', { withPay: false, withBenefits: true })).toBe(
    'Suspension without pay and with benefits (as determined by the Board)',
  )
  expect(decisionActionWords({ violation: false, decidedBy: 'board', rationale: 'None.' })).toEqual([])
  expect(decisionActionWords({ violation: true, decidedBy: 'board', rationale: 'R.', actions: ['censure', 'termination'] })).toEqual([
    'Censure by the Board',
    'Termination of the individual’s employment',
  ])
})
