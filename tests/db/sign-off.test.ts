import { createHash } from 'node:crypto'
import { expect, test } from 'vitest'
import { canonicalJson } from '../../db/canonical-json'
import { type Manifestation, type ManifestationFacts, buildManifestation, manifestationHash } from '../../db/sign-off'
import { dutyByNumber } from '../../machines/duties'

// What a signature hashes (db/sign-off.ts): everything the officer attested to,
// the answers and the duty's own words included. A sign-off's id is this hash,
// and the duty.sign event in the chain carries it.
const duty7 = dutyByNumber(7)
// Duty 7's answers as the form records them (machines/duty-answers.ts).
const ANSWERS = {
  established: true,
  operatingEffectively: true,
  changesInPeriod: 'none',
  referenceDocument: { title: 'Accounting Policies Manual', identifier: 'APM-2012-7' },
}
const FACTS: ManifestationFacts = {
  company: { name: 'Hecla Mining Company', ticker: 'HL', timeZone: 'America/Los_Angeles' },
  report: { id: 'report-2012-fy', form: '10-K', fiscalYear: 2012, fiscalQuarter: null, periodEnd: '2012-12-31' },
  draft: { id: 'draft-2012-fy-v1', version: 1, sha256: 'd'.repeat(64) },
  duty: { number: 7, title: duty7.title, text: duty7.text },
  officer: { userId: 'user-cfo', role: 'cfo', printedName: 'Avery Ledger', title: 'Vice President and Chief Financial Officer' },
  answers: ANSWERS,
  exception: null,
  at: new Date('2013-02-14T22:00:00.000Z'),
}

test('the manifestation is what the officer attests to: the duty’s words, the answers, who, when, and the meaning', () => {
  const m = buildManifestation(FACTS)
  expect(m).toEqual({
    kind: 'hecla-attest/sign-off/v1',
    company: { name: 'Hecla Mining Company', ticker: 'HL' },
    report: FACTS.report,
    draft: FACTS.draft,
    duty: { number: 7, title: duty7.title, text: duty7.text },
    officer: FACTS.officer,
    meaning: 'attested_no_exceptions',
    meaningText: 'Attested — no exceptions',
    exception: null,
    answers: FACTS.answers,
    signedAt: '2013-02-14T22:00:00.000Z',
    // Intl's wording of the local time differs between ICU versions ("at" or ","); the instant does not.
    signedAtLocal: expect.stringMatching(/^February 14, 2013(,| at) 2:00:00\sPM PST$/),
    timeZone: 'America/Los_Angeles',
  })
})

test('the hash of a manifestation is sha-256 over its canonical JSON (known answer)', () => {
  // A literal, so that the known answer does not hang on Intl's wording of signedAtLocal.
  const m: Manifestation = {
    ...buildManifestation(FACTS),
    duty: { number: 7, title: 'Systems for GAAP recording', text: 'Establish and maintain systems …' },
    signedAtLocal: 'February 14, 2013 at 2:00:00 PM PST',
  }
  expect(manifestationHash(m)).toBe(createHash('sha256').update(canonicalJson(m)).digest('hex'))
  expect(manifestationHash(m)).toBe('8c57cb71b91f20edc759366bff1946f03abca6d3210f7248c7cd1173cf805213')
  expect(manifestationHash({ ...m, answers: { ...ANSWERS, established: false } })).toBe(
    'e81e85615abee437fa8a2cdca40db44e3ef01c24c16150e5bc0b73f69bfc41da',
  )
})

test('two signatures that differ only in the answers hash differently', () => {
  const base = manifestationHash(buildManifestation(FACTS))
  for (const changed of [
    { ...ANSWERS, operatingEffectively: false },
    { ...ANSWERS, changesInPeriod: 'A new revenue recognition control at Greens Creek.' },
    { ...ANSWERS, referenceDocument: { ...ANSWERS.referenceDocument, identifier: 'APM-2012-8' } },
    null,
  ]) {
    expect(manifestationHash(buildManifestation({ ...FACTS, answers: changed })), JSON.stringify(changed)).not.toBe(base)
  }
})

test('two signatures that differ only in the duty’s words hash differently', () => {
  const base = manifestationHash(buildManifestation(FACTS))
  const other = dutyByNumber(8)
  expect(manifestationHash(buildManifestation({ ...FACTS, duty: { ...FACTS.duty, text: `${duty7.text} ` } }))).not.toBe(base)
  expect(manifestationHash(buildManifestation({ ...FACTS, duty: { ...FACTS.duty, text: other.text } }))).not.toBe(base)
  expect(manifestationHash(buildManifestation({ ...FACTS, duty: { ...FACTS.duty, title: other.title } }))).not.toBe(base)
})

test('who signs, when, on which draft, and with which exception are in the hash too', () => {
  const base = manifestationHash(buildManifestation(FACTS))
  const variants: Partial<ManifestationFacts>[] = [
    { officer: { ...FACTS.officer, userId: 'user-ceo' } },
    { at: new Date('2013-02-14T22:00:01.000Z') },
    { draft: { ...FACTS.draft!, sha256: 'e'.repeat(64) } },
    { exception: { explanation: 'A deficiency at La Camorra.', caseId: 'case-2012-x' } },
  ]
  for (const v of variants) expect(manifestationHash(buildManifestation({ ...FACTS, ...v })), JSON.stringify(v)).not.toBe(base)
})
