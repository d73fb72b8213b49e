import { type ReactNode, useEffect, useRef } from 'react'
import { type FieldErrors, type FieldValues, fieldHas, fieldValue } from '../utils/duty-forms'
import { showDirectionControls } from '../utils/user-text'
import { UserText, asUserText } from './user-text'

// Labelled fields that show their own refusal next to them (aria-invalid,
// aria-describedby), and keep what was typed when the server sends the form
// back. Plain inputs: everything works without JavaScript. Labels, hints, options
// and errors often carry what someone wrote (a case's summary, a person's name, a
// value echoed back): shown through UserText, so direction controls in them are
// visible. A field's value is left exactly as typed: it is sent back as it is.

export const fieldId = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`

interface Common {
  name: string
  label: ReactNode
  hint?: ReactNode
  values?: FieldValues
  errors?: FieldErrors
  required?: boolean
}

function describedBy(name: string, hint: unknown, error: unknown) {
  const ids = [hint ? `${fieldId(name)}-hint` : null, error ? `${fieldId(name)}-error` : null].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}

function Hint({ name, hint }: { name: string; hint?: ReactNode }) {
  return hint ? (
    <p className="hint" id={`${fieldId(name)}-hint`}>
      {asUserText(hint)}
    </p>
  ) : null
}

export function FieldError({ name, errors }: { name: string; errors?: FieldErrors }) {
  const error = errors?.[name]
  return error ? (
    <p className="field-error" id={`${fieldId(name)}-error`}>
      <UserText>{error}</UserText>
    </p>
  ) : null
}

export function TextField({
  type = 'text',
  maxLength,
  autoComplete,
  defaultValue,
  className,
  pattern,
  ...p
}: Common & { type?: string; maxLength?: number; autoComplete?: string; defaultValue?: string; className?: string; pattern?: string }) {
  const error = p.errors?.[p.name]
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={fieldId(p.name)}>{asUserText(p.label)}</label>
      <Hint name={p.name} hint={p.hint} />
      <input
        id={fieldId(p.name)}
        name={p.name}
        type={type}
        required={p.required}
        maxLength={maxLength}
        pattern={pattern}
        autoComplete={autoComplete ?? 'off'}
        defaultValue={p.values?.[p.name] !== undefined ? fieldValue(p.values, p.name) : defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(p.name, p.hint, error)}
      />
      <FieldError name={p.name} errors={p.errors} />
    </div>
  )
}

export function TextArea({
  rows = 4,
  maxLength = 20_000,
  defaultValue,
  ...p
}: Common & { rows?: number; maxLength?: number; defaultValue?: string }) {
  const error = p.errors?.[p.name]
  return (
    <div className="field">
      <label htmlFor={fieldId(p.name)}>{asUserText(p.label)}</label>
      <Hint name={p.name} hint={p.hint} />
      <textarea
        id={fieldId(p.name)}
        name={p.name}
        rows={rows}
        required={p.required}
        maxLength={maxLength}
        defaultValue={p.values?.[p.name] !== undefined ? fieldValue(p.values, p.name) : defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(p.name, p.hint, error)}
      />
      <FieldError name={p.name} errors={p.errors} />
    </div>
  )
}

export function SelectField({
  options,
  placeholder,
  defaultValue,
  ...p
}: Common & { options: readonly { value: string; label: string }[]; placeholder?: string; defaultValue?: string }) {
  const error = p.errors?.[p.name]
  return (
    <div className="field">
      <label htmlFor={fieldId(p.name)}>{asUserText(p.label)}</label>
      <Hint name={p.name} hint={p.hint} />
      <select
        id={fieldId(p.name)}
        name={p.name}
        required={p.required}
        defaultValue={p.values?.[p.name] !== undefined ? fieldValue(p.values, p.name) : (defaultValue ?? '')}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(p.name, p.hint, error)}
      >
        {placeholder !== undefined ? <option value="">{showDirectionControls(placeholder)}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {showDirectionControls(o.label)}
          </option>
        ))}
      </select>
      <FieldError name={p.name} errors={p.errors} />
    </div>
  )
}

/** One checkbox; `value` lets several share a name (a list of choices). */
export function Checkbox({ value = 'on', ...p }: Common & { value?: string }) {
  const error = p.errors?.[p.name]
  const id = value === 'on' ? fieldId(p.name) : fieldId(`${p.name}-${value}`)
  return (
    <div className="ow-check">
      <input
        id={id}
        type="checkbox"
        name={p.name}
        value={value}
        required={p.required}
        defaultChecked={fieldHas(p.values, p.name, value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={value === 'on' ? describedBy(p.name, p.hint, error) : undefined}
      />
      <label htmlFor={id}>{asUserText(p.label)}</label>
      {value === 'on' ? (
        <>
          <Hint name={p.name} hint={p.hint} />
          <FieldError name={p.name} errors={p.errors} />
        </>
      ) : null}
    </div>
  )
}

/** A question answered yes or no, as a fieldset of two radio buttons. */
export function YesNo({ yes, no, ...p }: Common & { yes: string; no: string }) {
  const error = p.errors?.[p.name]
  return (
    <fieldset className="ow-choice" id={fieldId(p.name)} aria-describedby={describedBy(p.name, p.hint, error)}>
      <legend>{asUserText(p.label)}</legend>
      <Hint name={p.name} hint={p.hint} />
      {(['yes', 'no'] as const).map((v) => (
        <div className="ow-check" key={v}>
          <input
            id={`${fieldId(p.name)}-${v}`}
            type="radio"
            name={p.name}
            value={v}
            required={p.required}
            defaultChecked={fieldHas(p.values, p.name, v)}
            aria-invalid={error ? true : undefined}
          />
          <label htmlFor={`${fieldId(p.name)}-${v}`}>
            <UserText>{v === 'yes' ? yes : no}</UserText>
          </label>
        </div>
      ))}
      <FieldError name={p.name} errors={p.errors} />
    </fieldset>
  )
}

/** The refusal at the top of the page: what went wrong, each reason linked to its field. */
export function ErrorSummary({
  message,
  fieldErrors,
  labels,
}: {
  message: string
  fieldErrors?: FieldErrors
  labels?: Record<string, string>
}) {
  const entries = Object.entries(fieldErrors ?? {})
  const ref = useFocusOnChange([message, fieldErrors])
  return (
    <div role="alert" className="form-error" id="form-error" tabIndex={-1} ref={ref}>
      <p>
        <strong>
          <UserText>{message}</UserText>
        </strong>
      </p>
      {entries.length ? (
        <ul>
          {entries.map(([name, error]) => (
            <li key={name}>
              {name === 'form' ? (
                <UserText>{error}</UserText>
              ) : (
                <a href={`#${fieldId(name)}`}>
                  {labels?.[name] ? (
                    <>
                      <UserText>{labels[name]}</UserText>:{' '}
                    </>
                  ) : null}
                  <UserText>{error}</UserText>
                </a>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

/** Focus moves to a message when it appears, so a keyboard or screen-reader user lands on what just happened. */
function useFocusOnChange(deps: unknown[]) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    ref.current?.focus()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps)
  return ref
}

/** What a step did, said once it is done; focused when it appears (give it a `key` per message). */
export function StatusMessage({ message, children }: { message: string; children?: ReactNode }) {
  const ref = useFocusOnChange([message])
  return (
    <div role="status" className="ow-form-status" tabIndex={-1} ref={ref} id="form-status">
      <p>{message}</p>
      {children}
    </div>
  )
}
