import type { DutyNumber } from '../../machines/duties'
import { exceptionCaseDuties } from '../../machines/exception-cases'
import {
  ATTENDEE_ROWS,
  AUDITOR_PARTIES,
  CASE_DUTY_GOES_TO,
  CASE_DUTY_LABELS,
  CASE_DUTY_WORDS,
  COMMENT_ROWS,
  type FieldErrors,
  type FieldValues,
  ID_MAX,
  MATTER_CATEGORIES,
  MATTER_ROWS,
  MEETING_GROUP_LABELS,
  TEXT_MAX,
  casesByItem,
} from '../utils/duty-forms'
import { Checkbox, FieldError, SelectField, TextArea, TextField, YesNo, fieldId } from './form-fields'

// The answer fields of each duty, producing the shapes of machines/duty-answers.ts
// once app/utils/duty-forms.server.ts has read them.

export interface AnswerFormContext {
  dutyNumber: DutyNumber
  draft: { version: number; sha256: string } | null
  timeZone: string
  /**
   * Cases of this duty already reported for the report, that the officer may
   * cite; `itemId` (the case's context.itemId) is the duty 1 item a case was
   * raised from, so that item is offered to cite, never to raise again.
   */
  citeableCases: { caseId: string; summary: string; state: string; itemId?: string | null }[]
  /** Every case of the report the officer may see (for an exception's link). */
  visibleCases: { caseId: string; duty: number; summary: string; state: string }[]
  items: { id: string; title: string; description: string; amounts: string[] }[]
  people: { id: string; label: string }[]
  auditorDefaults: { internal: string; independent: string }
}

interface Props {
  ctx: AnswerFormContext
  values: FieldValues
  errors: FieldErrors
}

const clip = (s: string, n = 140) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

function DraftFacts({ draft }: { draft: AnswerFormContext['draft'] }) {
  if (!draft) return null
  return (
    <>
      <input type="hidden" name="draftSha256" value={draft.sha256} />
      <p className="ow-draft-line">
        About draft {draft.version}, SHA-256 <code className="ow-hash">{draft.sha256}</code>
      </p>
    </>
  )
}

function SubjectSelect({ name, ctx, values, errors }: Props & { name: string }) {
  return (
    <SelectField
      name={name}
      label="Who it is about"
      hint="A matter is never sent to, nor shown to, the person it is about."
      placeholder="No one in particular"
      options={ctx.people.map((p) => ({ value: p.id, label: p.label }))}
      values={values}
      errors={errors}
    />
  )
}

// Duties 1–4: each matter is a case of its own, or there is none beyond those reported.
function ReportedMatters({ ctx, values, errors }: Props) {
  const n = ctx.dutyNumber as 1 | 2 | 3 | 4
  const categories = n === 1 ? null : Object.entries(MATTER_CATEGORIES[n]).map(([value, label]) => ({ value, label }))
  const raisedAs = casesByItem(ctx.citeableCases)
  return (
    <>
      {ctx.citeableCases.length ? (
        <fieldset className="ow-group" id={fieldId('cite')}>
          <legend>Cases already reported under duty {n}</legend>
          <p className="hint">Tick each case you know of, to list it in your answer.</p>
          <FieldError name="cite" errors={errors} />
          {ctx.citeableCases.map((c) => (
            <div className="ow-cited-case" key={c.caseId}>
              <Checkbox
                name="cite"
                value={c.caseId}
                label={
                  <>
                    Case <code>{c.caseId}</code>: {clip(c.summary, 220)} <span className="ow-muted">({c.state})</span>
                  </>
                }
                values={values}
                errors={errors}
              />
              {categories ? (
                <SelectField
                  name={`cite-${c.caseId}-category`}
                  label={`Kind of matter, case ${c.caseId}`}
                  placeholder="Choose…"
                  options={categories}
                  values={values}
                  errors={errors}
                />
              ) : null}
            </div>
          ))}
        </fieldset>
      ) : null}
      {n === 1 && ctx.items.length ? (
        <fieldset className="ow-group" id={fieldId('raise')}>
          <legend>Material information known for this report</legend>
          <p className="hint">Tick an item to bring it to the Disclosure Committee now: it becomes a new case, sent with your answer.</p>
          <FieldError name="raise" errors={errors} />
          {ctx.items.map((item) => {
            const caseId = raisedAs.get(item.id)
            // Already a case: offered as that case, above, never raised a second time.
            return caseId ? (
              <div className="ow-raise-item" key={item.id}>
                <p>
                  “{item.title}” is already case <code>{caseId}</code>: tick it under “Cases already reported under duty 1” to list it in
                  your answer.
                </p>
              </div>
            ) : (
              <div className="ow-raise-item" key={item.id}>
                <Checkbox
                  name="raise"
                  value={item.id}
                  label={<>Raise “{item.title}” to the Disclosure Committee as a new case</>}
                  values={values}
                  errors={errors}
                />
                {item.amounts.length ? <p className="hint">Figures: {item.amounts.join('; ')}</p> : null}
                <TextArea
                  name={`item-${item.id}-summary`}
                  label={`What the Disclosure Committee should know about “${item.title}”`}
                  rows={3}
                  defaultValue={`${item.title}${item.title.endsWith('.') ? '' : '.'} ${item.description}`}
                  values={values}
                  errors={errors}
                />
              </div>
            )
          })}
        </fieldset>
      ) : null}
      {Array.from({ length: n === 1 ? 1 : MATTER_ROWS }, (_, i) => (
        <fieldset className="ow-group ow-matter-row" key={i}>
          <legend>{n === 1 ? 'Other material information, not listed above (optional)' : `New matter ${i + 1} (optional)`}</legend>
          {categories ? (
            <SelectField
              name={`matter-${i}-category`}
              label="Kind of matter"
              placeholder="Choose…"
              options={categories}
              values={values}
              errors={errors}
            />
          ) : null}
          {n !== 1 ? <SubjectSelect name={`matter-${i}-subject`} ctx={ctx} values={values} errors={errors} /> : null}
          <TextArea name={`matter-${i}-summary`} label="What the matter is" rows={3} maxLength={TEXT_MAX} values={values} errors={errors} />
        </fieldset>
      ))}
      <Checkbox
        name="noneBeyondReported"
        label="None beyond those already reported"
        hint="Tick this if you know of no matter under this duty other than those listed or already reported."
        values={values}
        errors={errors}
      />
    </>
  )
}

// Duties 7–9 begin "Establish …": an officer who must answer "not established" can.
function Controls({ values, errors }: Props) {
  return (
    <>
      <YesNo
        name="established"
        required
        label="Are they established for the period?"
        yes="Yes, established for the period"
        no="No — not established (needs an exception, raised as a duty 2 matter: a significant deficiency in internal controls)"
        values={values}
        errors={errors}
      />
      <YesNo
        name="operatingEffectively"
        required
        label="Are they operating effectively?"
        yes="Yes, operating effectively"
        no="No — not operating effectively (needs an exception)"
        values={values}
        errors={errors}
      />
      <TextArea
        name="changesInPeriod"
        required
        label="Changes in the period"
        hint="Write “None” if there were none."
        rows={3}
        values={values}
        errors={errors}
      />
      <div className="ow-field-pair">
        <TextField
          name="referenceTitle"
          label="Reference document: title"
          hint="The document that sets them out. Required if they are established."
          maxLength={TEXT_MAX}
          values={values}
          errors={errors}
        />
        <TextField
          name="referenceIdentifier"
          label="Reference document: identifier"
          hint="Required if they are established."
          maxLength={ID_MAX}
          values={values}
          errors={errors}
        />
      </div>
    </>
  )
}

function Duty10({ ctx, values, errors }: Props) {
  const groups = Object.entries(MEETING_GROUP_LABELS).map(([value, label]) => ({ value, label }))
  return (
    <>
      <DraftFacts draft={ctx.draft} />
      <TextField name="heldOn" type="date" required label="Date of the meeting" values={values} errors={errors} />
      <fieldset
        className="ow-group"
        id={fieldId('attendees')}
        aria-describedby={errors.attendees ? `${fieldId('attendees')}-error` : 'attendees-hint'}
      >
        <legend>Attendees</legend>
        <p className="hint" id="attendees-hint">
          The duty names senior management, division heads and accounting staff: at least one of each. Empty rows are ignored.
        </p>
        <FieldError name="attendees" errors={errors} />
        {Array.from({ length: ATTENDEE_ROWS }, (_, i) => (
          <div className="ow-field-pair" key={i}>
            <TextField
              name={`attendee-${i}-name`}
              label={`Attendee ${i + 1}: name and position`}
              maxLength={TEXT_MAX}
              values={values}
              errors={errors}
            />
            <SelectField
              name={`attendee-${i}-group`}
              label={`Attendee ${i + 1}: group`}
              placeholder="Choose…"
              options={groups}
              values={values}
              errors={errors}
            />
          </div>
        ))}
      </fieldset>
      <fieldset className="ow-group">
        <legend>Comments on the draft, and what was done about each</legend>
        <p className="hint">Empty rows are ignored.</p>
        {Array.from({ length: COMMENT_ROWS }, (_, i) => (
          <div className="ow-field-pair" key={i}>
            <TextArea name={`comment-${i}-text`} label={`Comment ${i + 1}`} rows={2} values={values} errors={errors} />
            <TextArea name={`comment-${i}-disposition`} label={`Comment ${i + 1}: disposition`} rows={2} values={values} errors={errors} />
          </div>
        ))}
      </fieldset>
    </>
  )
}

function Duty11({ ctx, values, errors }: Props) {
  const duty2 = ctx.visibleCases.filter((c) => c.duty === 2)
  return (
    <>
      <TextField name="consultedOn" type="date" required label="Date you consulted the Audit Committee" values={values} errors={errors} />
      <YesNo
        name="weaknessesIdentified"
        required
        label="Has the Audit Committee identified any weaknesses or concerns with respect to internal controls?"
        yes="Yes (needs its duty 2 case, and an exception)"
        no="No"
        values={values}
        errors={errors}
      />
      <TextArea name="summary" required label="Summary of what the Audit Committee said" rows={3} values={values} errors={errors} />
      <SelectField
        name="caseId"
        label="The control-deficiency case (duty 2) recording the weakness"
        hint={
          duty2.length
            ? 'Only if weaknesses were identified.'
            : 'There is no duty 2 case for this report yet: if weaknesses were identified, raise one under duty 2 first.'
        }
        placeholder="None"
        options={duty2.map((c) => ({ value: c.caseId, label: `${c.caseId}: ${clip(c.summary, 80)}` }))}
        values={values}
        errors={errors}
      />
    </>
  )
}

function Duty12({ ctx, values, errors }: Props) {
  return (
    <>
      <DraftFacts draft={ctx.draft} />
      {AUDITOR_PARTIES.map((party) => {
        const p = party.prefix
        return (
          <fieldset className="ow-group" key={p}>
            <legend>{party.label}</legend>
            <TextField
              name={`${p}-confirmedBy`}
              required
              label="Confirmed by"
              defaultValue={p === 'internal' ? ctx.auditorDefaults.internal : ctx.auditorDefaults.independent}
              maxLength={TEXT_MAX}
              values={values}
              errors={errors}
            />
            <TextField
              name={`${p}-confirmedAt`}
              type="datetime-local"
              required
              label={`Confirmed at (company time, ${ctx.timeZone})`}
              values={values}
              errors={errors}
            />
            <TextField
              name={`${p}-documentSha256`}
              required
              label="SHA-256 of the document confirmed"
              hint="The current draft’s, filled in for you."
              className="ow-field-hash"
              defaultValue={ctx.draft?.sha256}
              maxLength={64}
              values={values}
              errors={errors}
            />
            <Checkbox
              name={`${p}-noMaterialMisstatements`}
              required
              label="They are not aware of any material misstatements or omissions in the draft"
              values={values}
              errors={errors}
            />
            <YesNo
              name={`${p}-noMdaConcerns`}
              required
              label="Do they have any concerns about the management’s discussion and analysis (MD&A)?"
              yes="No concerns about the MD&A"
              no="They have concerns about the MD&A (needs an exception)"
              values={values}
              errors={errors}
            />
          </fieldset>
        )
      })}
    </>
  )
}

/** The answer fields of one duty. */
export function DutyAnswerFields(props: Props) {
  const { ctx, values, errors } = props
  switch (ctx.dutyNumber) {
    case 1:
    case 2:
    case 3:
    case 4:
      return <ReportedMatters {...props} />
    case 5:
      return (
        <Checkbox
          name="acknowledgesBoardDetermination"
          required
          label="I acknowledge that the Board of Directors, or the persons it designates, determines the actions to be taken for violations of the Code of Business Conduct and Ethics or of these additional procedures by the CEO and the Senior Financial Officers."
          values={values}
          errors={errors}
        />
      )
    case 6:
      return (
        <>
          <DraftFacts draft={ctx.draft} />
          <YesNo
            name="accurateAndComplete"
            required
            label="Having carefully reviewed this draft, is it accurate and complete?"
            yes="Yes, accurate and complete"
            no="No (say what, and raise an exception)"
            values={values}
            errors={errors}
          />
          <TextArea
            name="comments"
            label="Comments"
            hint="Required if the draft is not accurate or not complete."
            rows={4}
            values={values}
            errors={errors}
          />
        </>
      )
    case 7:
    case 8:
    case 9:
      return <Controls {...props} />
    case 10:
      return <Duty10 {...props} />
    case 11:
      return <Duty11 {...props} />
    case 12:
      return <Duty12 {...props} />
  }
}

/**
 * An exception: the written explanation and the case it links to, raised under
 * the duty the machines' rule gives this duty (machines/duty-answers.ts
 * exceptionCaseDuties): e.g. duties 7–9 raise a duty 2 case.
 */
export function ExceptionFields({ ctx, values, errors }: Props) {
  const allowed = exceptionCaseDuties(ctx.dutyNumber)
  const linkable = ctx.visibleCases.filter((c) => (allowed as readonly number[]).includes(c.duty))
  const only = allowed.length === 1 ? allowed[0]! : null
  return (
    <>
      <TextArea name="explanation" required label="Written explanation of the exception" rows={4} values={values} errors={errors} />
      <fieldset className="ow-choice" id={fieldId('link')}>
        <legend>The case it links to</legend>
        <FieldError name="link" errors={errors} />
        <div className="ow-check">
          <input id={`${fieldId('link')}-new`} type="radio" name="link" value="new" defaultChecked={(values.link ?? 'new') === 'new'} />
          <label htmlFor={`${fieldId('link')}-new`}>
            Raise a new case now, with the explanation as its summary
            {only ? (
              <>
                {' '}
                — under duty {only} ({CASE_DUTY_WORDS[only]}), to {CASE_DUTY_GOES_TO[only]}
              </>
            ) : null}
          </label>
        </div>
        <div className="ow-option-fields ow-field-pair">
          {only ? (
            <>
              <input type="hidden" name="newCaseDuty" value={String(only)} />
              <FieldError name="newCaseDuty" errors={errors} />
            </>
          ) : (
            <SelectField
              name="newCaseDuty"
              label="New case: raised under"
              hint={allowed.map((d) => `Duty ${d} goes to ${CASE_DUTY_GOES_TO[d]}.`).join(' ')}
              options={allowed.map((d) => ({ value: String(d), label: CASE_DUTY_LABELS[d] }))}
              defaultValue={String(allowed[0])}
              values={values}
              errors={errors}
            />
          )}
          <SelectField
            name="newCaseSubject"
            label="New case: who it is about"
            placeholder="No one in particular"
            options={ctx.people.map((p) => ({ value: p.id, label: p.label }))}
            values={values}
            errors={errors}
          />
        </div>
        {linkable.length ? (
          <>
            <div className="ow-check">
              <input
                id={`${fieldId('link')}-existing`}
                type="radio"
                name="link"
                value="existing"
                defaultChecked={values.link === 'existing'}
              />
              <label htmlFor={`${fieldId('link')}-existing`}>Link a case already reported under duty {allowed.join(' or ')}</label>
            </div>
            <div className="ow-option-fields">
              <SelectField
                name="existingCaseId"
                label="Case already reported"
                placeholder="Choose…"
                options={linkable.map((c) => ({ value: c.caseId, label: `${c.caseId} (duty ${c.duty}): ${clip(c.summary, 80)}` }))}
                values={values}
                errors={errors}
              />
            </div>
          </>
        ) : null}
      </fieldset>
    </>
  )
}
