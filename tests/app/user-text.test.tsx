import { renderToStaticMarkup } from 'react-dom/server'
import { expect, test } from 'vitest'
import { ErrorSummary, SelectField, TextField } from '../../app/components/form-fields'
import { ManifestationPreviewList, StoredSignOffList } from '../../app/components/sign-off'
import { UserText } from '../../app/components/user-text'
import { showDirectionControls } from '../../app/utils/user-text'

// Direction overrides and isolates (U+202A–U+202E, U+2066–U+2069) are invisible and
// reorder what is shown: "invoice‮fdp.exe" reads as "invoiceexe.pdf", an answer can
// be made to read as its opposite. Written by a person, they are shown, as a marker.
const RLO = '\u202E'
const CONTROLS = /[\u202A-\u202E\u2066-\u2069]/

test('each of the nine is shown by its name; other text is left alone', () => {
  expect(showDirectionControls(`invoice${RLO}fdp.exe`)).toBe('invoice⟨RLO⟩fdp.exe')
  expect(showDirectionControls('\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069')).toBe(
    '⟨LRE⟩⟨RLE⟩⟨PDF⟩⟨LRO⟩⟨RLO⟩⟨LRI⟩⟨RLI⟩⟨FSI⟩⟨PDI⟩',
  )
  // Right-to-left text itself is no trick: Hebrew and Arabic stay as written.
  expect(showDirectionControls('שלום, مرحبا — $2,520,000')).toBe('שלום, مرحبا — $2,520,000')
})

test('<UserText> isolates the text and marks each control visibly, with what it is', () => {
  const html = renderToStaticMarkup(<UserText>{`Signed ${RLO}on behalf of`}</UserText>)
  expect(html).not.toMatch(CONTROLS)
  expect(html).toMatch(
    /^<bdi>Signed <abbr class="direction-control" title="[^"]*right-to-left override[^"]*">⟨RLO⟩<\/abbr>on behalf of<\/bdi>$/,
  )
  expect(renderToStaticMarkup(<UserText>{'plain'}</UserText>)).toBe('<bdi>plain</bdi>')
})

test('a sign-off shows a name, a title and an exception with their controls marked', () => {
  const stored = renderToStaticMarkup(
    <StoredSignOffList
      s={{
        id: 'a'.repeat(64),
        meaningText: `Attested — with an exception: ${RLO}detaler ton si ti`,
        withException: true,
        printedName: `Avery ${RLO}Ledger`,
        title: `Chief \u2067Financial\u2069 Officer`,
        signedAtUtc: 'Feb 12, 2013, 10:00:00 AM UTC',
        signedAtLocal: 'February 12, 2013 at 2:00:00 AM PST',
        timeZone: 'America/Los_Angeles',
        draft: null,
      }}
    />,
  )
  expect(stored).not.toMatch(CONTROLS)
  expect(stored).toContain('⟨RLO⟩</abbr>detaler ton si ti')
  expect(stored).toContain('⟨RLI⟩</abbr>Financial<')
  const preview = renderToStaticMarkup(
    <ManifestationPreviewList
      m={{
        printedName: `Avery ${RLO}Ledger`,
        title: 'Chief Financial Officer',
        officerTitle: 'Chief Financial Officer',
        atUtc: 'x',
        atLocal: 'y',
        timeZone: 'UTC',
        meaningText: `Attested — with an exception: ${RLO}x`,
        draft: null,
        duty: { number: 6, title: `Review of the draft` },
      }}
    />,
  )
  expect(preview).not.toMatch(CONTROLS)
  expect(preview).toContain('Avery <abbr')
})

test('form fields mark controls in labels, hints, options and errors, and keep the value as typed', () => {
  const select = renderToStaticMarkup(
    <SelectField name="subject" label={`About ${RLO}whom`} options={[{ value: 'u1', label: `Avery ${RLO}Ledger — CFO` }]} />,
  )
  expect(select).not.toMatch(CONTROLS)
  expect(select).toContain('<option value="u1">Avery ⟨RLO⟩Ledger — CFO</option>')
  const field = renderToStaticMarkup(
    <TextField
      name="referenceTitle"
      label={`Reference ${RLO}title`}
      hint={`Hint ${RLO}`}
      values={{ referenceTitle: `Policy ${RLO}` }}
      errors={{ referenceTitle: `Shorten “${RLO}x”` }}
    />,
  )
  // The input's value is what the officer typed, and is sent back as typed: only what is shown as text is marked.
  expect(field).toContain(`value="Policy ${RLO}"`)
  expect(field.replace(`value="Policy ${RLO}"`, '')).not.toMatch(CONTROLS)
  const summary = renderToStaticMarkup(
    <ErrorSummary message={`Not saved ${RLO}`} fieldErrors={{ summary: `Too long ${RLO}` }} labels={{ summary: `Summary ${RLO}` }} />,
  )
  expect(summary).not.toMatch(CONTROLS)
})
