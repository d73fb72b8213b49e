import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { reportMatter } from '../../db/commands'
import { ErrorSummary, SelectField, TextArea } from '../components/form-fields'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { requireUser } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import type { FieldErrors, FieldValues } from '../utils/duty-forms'
import { readFormData } from '../utils/form-data.server'
import {
  MATTER_FIELDS,
  MATTER_KIND_OPTIONS,
  MAX_MATTER_FORM_BYTES,
  formValues,
  loadMatterFormOptions,
  newMatterCaseId,
  parseMatterForm,
  personOptions,
  reporterOf,
  storeMatterFile,
} from '../utils/matter-form.server'
import { requireSameOrigin } from '../utils/request-security.server'
import { getRecord } from '../utils/workflow.server'

// Anyone signed in reports a matter, at any time, not only an officer inside a
// duty: its kind decides its duty and so who receives it (machines/routing.ts).
// The reporter follows it from "My reports" (/cases/mine).

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const options = await loadMatterFormOptions(await getDb())
  return {
    kinds: MATTER_KIND_OPTIONS,
    people: personOptions({ ...options, people: options.people.filter((p) => p.id !== user.id) }),
    reports: options.reports.map((r) => ({ value: r.id, label: r.label })),
  }
}

type ActionResult = { message: string; fieldErrors: FieldErrors; values: FieldValues }

export async function action({ request }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const user = await requireUser(request)
  const form = await readFormData(request, {
    maxBytes: MAX_MATTER_FORM_BYTES,
    tooLargeMessage: 'Nothing was reported: the file is larger than 10 MiB. Attach a smaller one.',
  })
  const db = await getDb()
  const parsed = parseMatterForm(form, await loadMatterFormOptions(db), user.id)
  if (!parsed.ok) {
    return data<ActionResult>(
      {
        message: 'Nothing was reported: the form is not complete.',
        fieldErrors: parsed.fieldErrors,
        values: formValues(form, MATTER_FIELDS),
      },
      { status: 400 },
    )
  }
  const m = parsed.matter
  const { reporter, actorRole } = reporterOf(user)
  const caseId = newMatterCaseId()
  await reportMatter(await getRecord(), {
    reportId: m.reportId,
    input: { caseId, duty: m.duty, matterKind: m.matterKind, subject: m.subject, reporter, summary: m.summary },
    actor: { userId: user.id, role: actorRole },
    files: await storeMatterFile(m.file),
  })
  return redirect(`/cases/mine?reported=${encodeURIComponent(caseId)}`)
}

const LABELS = { kind: 'Kind of matter', summary: 'What happened', subject: 'Who it is about', reportId: 'Related report', file: 'File' }

export default function NewMatter() {
  const page = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  return (
    <section aria-labelledby="new-matter-title">
      <p>
        <Link to="/cases/mine">My reports</Link>
      </p>
      <h1 id="new-matter-title">Report a matter</h1>
      <p>
        Anyone at the company may report a matter at any time. It goes to the bodies the Code of Ethics names for its kind, never to the
        person it is about. You follow it, and answer the recipients’ questions, under “My reports”.
      </p>
      <p>
        To report without giving your name, use the <Link to="/anonymous">anonymous channel</Link> instead (sign out first).
      </p>
      {result ? <ErrorSummary message={result.message} fieldErrors={result.fieldErrors} labels={LABELS} /> : null}
      <Form method="post" encType="multipart/form-data">
        <SelectField
          name="kind"
          label={LABELS.kind}
          options={page.kinds}
          placeholder="Choose one"
          required
          values={result?.values}
          errors={result?.fieldErrors}
        />
        <TextArea
          name="summary"
          label={LABELS.summary}
          hint="In your own words: what, when, who was involved, and how you know."
          rows={6}
          required
          values={result?.values}
          errors={result?.fieldErrors}
        />
        <SelectField
          name="subject"
          label={LABELS.subject}
          options={page.people}
          placeholder="No one in particular"
          values={result?.values}
          errors={result?.fieldErrors}
        />
        <SelectField
          name="reportId"
          label={LABELS.reportId}
          options={page.reports}
          placeholder="None"
          values={result?.values}
          errors={result?.fieldErrors}
        />
        <div className="field">
          <label htmlFor="f-file">File (optional, at most 10 MiB)</label>
          <input id="f-file" name="file" type="file" aria-describedby={result?.fieldErrors.file ? 'f-file-error' : undefined} />
          {result?.fieldErrors.file ? (
            <p className="field-error" id="f-file-error">
              {result.fieldErrors.file}
            </p>
          ) : null}
        </div>
        <button type="submit" className="primary-button">
          Report the matter
        </button>
      </Form>
    </section>
  )
}

export const meta: MetaFunction = ({ error }) => (error ? errorMeta(error) : [{ title: 'Report a matter · Code of Ethics attestations' }])

export const ErrorBoundary = RouteErrorBoundary
