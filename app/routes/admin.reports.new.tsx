import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { createPeriodicReport } from '../../db/queries/admin'
import { getInstalledCompany } from '../../db/queries/company'
import { FORMS } from '../../db/schema'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { requireRole } from '../utils/auth.server'
import { REPORT_ADMIN_ROLES } from '../utils/permissions.server'
import { getDb } from '../utils/db.server'
import { describePeriod } from '../utils/format'
import { readFormData } from '../utils/form-data.server'
import { requireSameOrigin } from '../utils/request-security.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, REPORT_ADMIN_ROLES)
  return null
}

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value)

const NewReportSchema = z
  .object({
    form: z.enum(FORMS, { error: 'Choose Form 10-Q or Form 10-K.' }),
    fiscalYear: z
      .string({ error: 'Enter the fiscal year.' })
      .trim()
      .regex(/^\d{4}$/, { error: 'Enter the fiscal year as four digits, e.g. 2013.' })
      .transform(Number)
      .pipe(z.number().min(1900, { error: 'Enter a fiscal year from 1900 on.' })),
    fiscalQuarter: z.preprocess(
      blankToUndefined,
      z.enum(['1', '2', '3'], { error: 'Choose quarter 1, 2 or 3.' }).transform(Number).optional(),
    ),
    periodEnd: z.iso.date({ error: 'Enter the last day of the period as a date, e.g. 2013-03-31.' }),
  })
  .superRefine((value, ctx) => {
    // Form 10-Q covers each of the first three fiscal quarters (Exchange Act Rule
    // 13a-13); the fourth is reported in the Form 10-K, which covers the year.
    if (value.form === '10-Q' && value.fiscalQuarter === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['fiscalQuarter'],
        message: 'A Form 10-Q is for quarter 1, 2 or 3: choose one (the fourth quarter is in the Form 10-K).',
      })
    }
    if (value.form === '10-K' && value.fiscalQuarter !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['fiscalQuarter'],
        message: 'A Form 10-K covers the whole fiscal year: leave the quarter empty.',
      })
    }
    // A fiscal year need not end in December, but its periods end within a year of it.
    const endYear = Number(value.periodEnd.slice(0, 4))
    if (Math.abs(endYear - value.fiscalYear) > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['periodEnd'],
        message: `The period end (${value.periodEnd}) is not within a year of fiscal ${value.fiscalYear}.`,
      })
    }
  })

type FieldName = 'form' | 'fiscalYear' | 'fiscalQuarter' | 'periodEnd'
type FieldErrors = Partial<Record<FieldName, string>>

export async function action({ request }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const user = await requireRole(request, REPORT_ADMIN_ROLES)
  // Four short fields.
  const form = await readFormData(request, { maxBytes: 16 * 1024 })
  const values = {
    form: String(form.get('form') ?? ''),
    fiscalYear: String(form.get('fiscalYear') ?? ''),
    fiscalQuarter: String(form.get('fiscalQuarter') ?? ''),
    periodEnd: String(form.get('periodEnd') ?? ''),
  }
  const parsed = NewReportSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) {
    const flat = z.flattenError(parsed.error).fieldErrors as Partial<Record<FieldName, string[]>>
    const fieldErrors: FieldErrors = {}
    for (const name of ['form', 'fiscalYear', 'fiscalQuarter', 'periodEnd'] as const) if (flat[name]?.[0]) fieldErrors[name] = flat[name][0]
    return data({ message: 'The report was not created: correct the fields below.', fieldErrors, values }, { status: 400 })
  }

  const db = await getDb()
  const company = await getInstalledCompany(db)
  if (!company) throw new Response('No company has been set up yet.', { status: 503 })
  const result = await createPeriodicReport(db, {
    companyId: company.id,
    form: parsed.data.form,
    fiscalYear: parsed.data.fiscalYear,
    fiscalQuarter: parsed.data.fiscalQuarter ?? null,
    periodEnd: parsed.data.periodEnd,
    createdBy: user.id,
    at: new Date(),
  })
  if (!result.created) {
    const existing = result.existing
    return data(
      {
        message: `Nothing was created: the Form ${existing.form} for ${describePeriod(existing).replace(/^./, (c) => c.toLowerCase())} exists already.`,
        existingId: existing.id,
        fieldErrors: {} as FieldErrors,
        values,
      },
      { status: 409 },
    )
  }
  // Next step for a new report: its first draft.
  return redirect(`/admin/reports/${result.id}/drafts`)
}

export default function NewPeriodicReport() {
  const actionData = useActionData<typeof action>()
  const submitting = useNavigation().state === 'submitting'
  const fieldErrors: FieldErrors = actionData?.fieldErrors ?? {}
  const values = actionData?.values
  const describedBy = (name: FieldName, hint?: string) =>
    [hint, fieldErrors[name] ? `${name}-error` : undefined].filter(Boolean).join(' ') || undefined
  return (
    <section className="admin-page" aria-labelledby="new-report-title">
      <p className="breadcrumbs">
        <Link to="/">Periodic reports</Link> <span aria-hidden="true">›</span> New periodic report
      </p>
      <h1 id="new-report-title">New periodic report</h1>
      <p className="page-lede">
        A periodic report is created empty: register its first draft next, then begin certification so that the CEO, CFO and CAO/Controller
        can sign the twelve duties.
      </p>
      {actionData ? (
        <div role="alert" className="form-error">
          <p>{actionData.message}</p>
          {'existingId' in actionData && actionData.existingId ? (
            <p>
              <Link to={`/admin/reports/${actionData.existingId}/drafts`}>Open the existing report&rsquo;s drafts</Link>
            </p>
          ) : null}
          {Object.values(fieldErrors).length > 0 ? (
            <ul>
              {Object.values(fieldErrors).map((error) => (
                <li key={error}>{error}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <Form method="post" className="panel form-panel" noValidate>
        <fieldset className="field" aria-describedby={describedBy('form')}>
          <legend>Form</legend>
          <div className="choice">
            <input id="form-10q" type="radio" name="form" value="10-Q" required defaultChecked={values?.form === '10-Q'} />
            <label htmlFor="form-10q">Form 10-Q, quarterly report</label>
          </div>
          <div className="choice">
            <input id="form-10k" type="radio" name="form" value="10-K" required defaultChecked={values?.form === '10-K'} />
            <label htmlFor="form-10k">Form 10-K, annual report</label>
          </div>
          <FieldError name="form" error={fieldErrors.form} />
        </fieldset>
        <div className="field">
          <label htmlFor="fiscalYear">Fiscal year</label>
          <input
            id="fiscalYear"
            name="fiscalYear"
            inputMode="numeric"
            pattern="[0-9]{4}"
            maxLength={4}
            required
            className="input-short"
            defaultValue={values?.fiscalYear}
            aria-invalid={fieldErrors.fiscalYear ? true : undefined}
            aria-describedby={describedBy('fiscalYear')}
          />
          <FieldError name="fiscalYear" error={fieldErrors.fiscalYear} />
        </div>
        <div className="field">
          <label htmlFor="fiscalQuarter">Fiscal quarter (Form 10-Q only)</label>
          <select
            id="fiscalQuarter"
            name="fiscalQuarter"
            className="input-short"
            defaultValue={values?.fiscalQuarter ?? ''}
            aria-invalid={fieldErrors.fiscalQuarter ? true : undefined}
            aria-describedby={describedBy('fiscalQuarter', 'fiscalQuarter-hint')}
          >
            <option value="">None (Form 10-K)</option>
            <option value="1">Quarter 1</option>
            <option value="2">Quarter 2</option>
            <option value="3">Quarter 3</option>
          </select>
          <p className="hint" id="fiscalQuarter-hint">
            The fourth quarter is reported in the Form 10-K.
          </p>
          <FieldError name="fiscalQuarter" error={fieldErrors.fiscalQuarter} />
        </div>
        <div className="field">
          <label htmlFor="periodEnd">Period end date</label>
          <input
            id="periodEnd"
            name="periodEnd"
            type="date"
            required
            className="input-short"
            defaultValue={values?.periodEnd}
            aria-invalid={fieldErrors.periodEnd ? true : undefined}
            aria-describedby={describedBy('periodEnd', 'periodEnd-hint')}
          />
          <p className="hint" id="periodEnd-hint">
            The last day of the fiscal quarter or year; the SEC due date is counted from it.
          </p>
          <FieldError name="periodEnd" error={fieldErrors.periodEnd} />
        </div>
        <div className="form-actions">
          <button type="submit" className="primary-button" disabled={submitting}>
            {submitting ? 'Creating…' : 'Create report'}
          </button>
          <Link to="/">Cancel</Link>
        </div>
      </Form>
    </section>
  )
}

function FieldError({ name, error }: { name: FieldName; error?: string }) {
  return error ? (
    <p className="field-error" id={`${name}-error`}>
      {error}
    </p>
  ) : null
}

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: 'New periodic report · Code of Ethics attestations' }]

export const ErrorBoundary = RouteErrorBoundary
