import type { ActionFunctionArgs, HeadersFunction, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { reportAnonymously } from '../../db/commands'
import { ErrorSummary, SelectField, TextArea, TextField } from '../components/form-fields'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import {
  ALL,
  MIN_PASSPHRASE_LENGTH,
  formatReceiptKey,
  hashPassphrase,
  newReceiptKey,
  receiptKeySha256,
  submissionLimiter,
} from '../utils/anonymous-channel.server'
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
  storeMatterFile,
} from '../utils/matter-form.server'
import { requireSameOrigin } from '../utils/request-security.server'
import { getRecord } from '../utils/workflow.server'

// The anonymous channel: the Audit Committee's procedure for confidential,
// anonymous submissions by employees about accounting, internal accounting
// controls or auditing matters (Exchange Act Rule 10A-3(b)(4)). No account, no
// session, no address or browser kept (request-security.server.ts
// ANONYMOUS_ROUTE_PREFIXES); the reporter leaves with a 16-digit receipt key and
// the passphrase they chose, and follows up at /anonymous/follow-up.

export async function loader() {
  const options = await loadMatterFormOptions(await getDb(), { publicOnly: true })
  return {
    kinds: MATTER_KIND_OPTIONS,
    people: personOptions(options),
    reports: options.reports.map((r) => ({ value: r.id, label: r.label })),
    minPassphrase: MIN_PASSPHRASE_LENGTH,
  }
}

const passphraseSchema = z
  .object({
    passphrase: z
      .string({ error: 'Choose a passphrase.' })
      .min(MIN_PASSPHRASE_LENGTH, { error: `Choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.` })
      .max(1024, { error: 'A passphrase has at most 1,024 characters.' }),
    passphraseAgain: z.string({ error: 'Type the passphrase again.' }),
  })
  .refine((p) => p.passphrase === p.passphraseAgain, {
    error: 'The two passphrases differ: type the same one twice.',
    path: ['passphraseAgain'],
  })

type ActionResult =
  { done: false; message: string; fieldErrors: FieldErrors; values: FieldValues } | { done: true; receiptKey: string; caseState: string }

export async function action({ request }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const wait = submissionLimiter.retryAfter(ALL)
  if (wait > 0) {
    return data<ActionResult>(
      {
        done: false,
        message: `Too many reports have come through this channel in a short time. Nothing was sent. Try again in ${Math.ceil(wait / 60)} minutes.`,
        fieldErrors: {},
        values: {},
      },
      { status: 429, headers: { 'Retry-After': String(wait) } },
    )
  }
  const form = await readFormData(request, {
    maxBytes: MAX_MATTER_FORM_BYTES,
    tooLargeMessage: 'Nothing was sent: the file is larger than 10 MiB. Attach a smaller one.',
  })
  const db = await getDb()
  const parsed = parseMatterForm(form, await loadMatterFormOptions(db, { publicOnly: true }), null)
  const pass = passphraseSchema.safeParse({
    passphrase: form.get('passphrase') ?? undefined,
    passphraseAgain: form.get('passphraseAgain') ?? undefined,
  })
  if (!parsed.ok || !pass.success) {
    const fieldErrors: FieldErrors = parsed.ok ? {} : { ...parsed.fieldErrors }
    if (!pass.success) for (const i of pass.error.issues) fieldErrors[String(i.path[0])] ??= i.message
    return data<ActionResult>(
      { done: false, message: 'Nothing was sent: the form is not complete.', fieldErrors, values: formValues(form, MATTER_FIELDS) },
      { status: 400 },
    )
  }
  submissionLimiter.hit(ALL)
  const m = parsed.matter
  const receiptKey = newReceiptKey()
  await reportAnonymously(await getRecord(), {
    reportId: m.reportId,
    input: { caseId: newMatterCaseId(), duty: m.duty, matterKind: m.matterKind, subject: m.subject, summary: m.summary },
    receipt: { keySha256: receiptKeySha256(receiptKey), passphraseHash: await hashPassphrase(pass.data.passphrase) },
    files: await storeMatterFile(m.file),
  })
  return data<ActionResult>({ done: true, receiptKey: formatReceiptKey(receiptKey), caseState: 'sent to the Audit Committee' })
}

const LABELS = {
  kind: 'Kind of matter',
  summary: 'What happened',
  subject: 'Who it is about',
  reportId: 'Related report',
  file: 'File',
  passphrase: 'Passphrase',
  passphraseAgain: 'The passphrase again',
}

export default function AnonymousChannel() {
  const page = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  if (result?.done) {
    return (
      <section aria-labelledby="anon-done-title">
        <h1 id="anon-done-title">Your report is sent to the Audit Committee</h1>
        <p>Write down this receipt key now. It is shown only this once, and it is not kept anywhere in a form anyone can read back:</p>
        <p className="receipt-key">
          <strong id="receipt-key">{result.receiptKey}</strong>
        </p>
        <p>
          With the key and your passphrase you can <Link to="/anonymous/follow-up">follow up</Link>: see where your report stands, answer
          the Audit Committee’s questions and add information. Nobody, the Audit Committee included, can tell you the key again or reset the
          passphrase.
        </p>
      </section>
    )
  }
  return (
    <section aria-labelledby="anon-title">
      <h1 id="anon-title">Report anonymously to the Audit Committee</h1>
      <p>
        This is the Audit Committee’s channel for confidential, anonymous reports about accounting, internal accounting controls or auditing
        matters, and about any other matter of the Code of Ethics. You need no account. Nothing that could identify you is kept — not your
        address, not your browser, no session — except what you write: leave out what would give you away.
      </p>
      <p>
        Already reported? <Link to="/anonymous/follow-up">Follow up with your receipt key</Link>.
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
          hint="What, when, who was involved, and how it can be checked."
          rows={6}
          required
          values={result?.values}
          errors={result?.fieldErrors}
        />
        <SelectField
          name="subject"
          label={LABELS.subject}
          hint="An officer or a director, or no one in particular (name anyone else in the description)."
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
          <p className="hint" id="f-file-hint">
            A document’s own properties (author, company) can name you: remove them first.
          </p>
          <input id="f-file" name="file" type="file" aria-describedby="f-file-hint" />
        </div>
        <TextField
          name="passphrase"
          type="password"
          autoComplete="new-password"
          label={LABELS.passphrase}
          hint={`At least ${page.minPassphrase} characters. With it and the receipt key you can follow up; it cannot be reset.`}
          required
          errors={result?.fieldErrors}
        />
        <TextField
          name="passphraseAgain"
          type="password"
          autoComplete="new-password"
          label={LABELS.passphraseAgain}
          required
          errors={result?.fieldErrors}
        />
        <button type="submit" className="primary-button">
          Send the report
        </button>
      </Form>
    </section>
  )
}

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: 'Report anonymously · Code of Ethics attestations' }]

export const ErrorBoundary = RouteErrorBoundary
