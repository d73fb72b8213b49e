import type { ActionFunctionArgs, HeadersFunction, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { addCaseInformation, writeCaseMessage } from '../../db/commands'
import { findCase, listCaseMessages } from '../../db/queries/cases'
import { determinationProgress } from '../../db/queries/determinations'
import { listCaseAdditions } from '../../db/queries/reporting'
import { ANONYMOUS_CHANNEL_USER_ID } from '../../db/schema'
import { MATTER_KINDS, caseStateWords, caseWaitsFor } from '../../machines/case'
import { ErrorSummary, StatusMessage, TextArea, TextField } from '../components/form-fields'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { UserText } from '../components/user-text'
import {
  ALL,
  followUpFailuresAll,
  followUpFailuresByKey,
  normalizeReceiptKey,
  openReceipt,
  receiptKeySha256,
} from '../utils/anonymous-channel.server'
import { getDb } from '../utils/db.server'
import { refusalFor } from '../utils/domain-errors.server'
import { CASE_DUTY_WORDS, type FieldErrors } from '../utils/duty-forms'
import { formatInstantUtc } from '../utils/format'
import { readFormData } from '../utils/form-data.server'
import { reporterFollowUpSchema } from '../utils/reporter-follow-up.server'
import { requireSameOrigin } from '../utils/request-security.server'
import { getRecord } from '../utils/workflow.server'

// The anonymous reporter comes back with the receipt key and the passphrase:
// every request carries both (there is no session on these pages), and each is
// checked against the slow hash. A wrong pair is refused in the same words, after
// the same work, whether the key exists or not; failed tries are counted by the
// key's digest and all together, and slowed with 429 and Retry-After.

// The same words for an unknown key and a wrong passphrase: they must not tell which.
const NO_MATCH = 'The receipt key and passphrase do not open a report. Check both and try again. Nothing was shown or sent.'

type Refused = { open: false; message: string; fieldErrors: FieldErrors }

async function view(caseId: string) {
  const db = await getDb()
  const record = await getRecord()
  const found = await findCase(db, record, caseId)
  if (!found) return null
  const c = found.context
  const waits = caseWaitsFor({ value: found.snapshot.value, context: c }, await determinationProgress(db, record, found))
  return {
    kind: c.matterKind ? MATTER_KINDS[c.matterKind].words : CASE_DUTY_WORDS[c.duty],
    summary: c.summary,
    reportedAt: formatInstantUtc(c.reportedAt),
    stateWords: caseStateWords(found.path),
    waitsFor: waits.waitsFor,
    since: formatInstantUtc(waits.since),
    messages: (await listCaseMessages(db, caseId, { includeNotes: false })).map((m) => ({
      id: m.id,
      kind: m.kind,
      replyTo: m.reply_to,
      body: m.body,
      at: formatInstantUtc(m.written_at),
    })),
    additions: (await listCaseAdditions(db, caseId)).map((a) => ({ id: a.id, body: a.body, at: formatInstantUtc(a.written_at) })),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const form = await readFormData(request, { maxBytes: 256 * 1024 })
  const typedKey = typeof form.get('receiptKey') === 'string' ? String(form.get('receiptKey')) : ''
  const passphrase = typeof form.get('passphrase') === 'string' ? String(form.get('passphrase')).slice(0, 1024) : ''
  const key = normalizeReceiptKey(typedKey)
  const bucket = key ? receiptKeySha256(key) : 'malformed'
  const wait = Math.max(followUpFailuresAll.retryAfter(ALL), followUpFailuresByKey.retryAfter(bucket))
  if (wait > 0) {
    return data<Refused>(
      {
        open: false,
        message: `Too many tries that did not match, in a short time. Nothing was shown or sent. Try again in ${Math.ceil(wait / 60)} minutes.`,
        fieldErrors: {},
      },
      { status: 429, headers: { 'Retry-After': String(wait) } },
    )
  }
  if (!key || passphrase === '') {
    const fieldErrors: FieldErrors = {}
    if (!key) fieldErrors.receiptKey = 'Enter the 16-digit receipt key you were given.'
    if (passphrase === '') fieldErrors.passphrase = 'Enter your passphrase.'
    return data<Refused>({ open: false, message: 'Nothing was shown: the form is not complete.', fieldErrors }, { status: 400 })
  }
  const caseInstanceId = await openReceipt(await getDb(), key, passphrase)
  if (!caseInstanceId) {
    followUpFailuresByKey.hit(bucket)
    followUpFailuresAll.hit(ALL)
    return data<Refused>({ open: false, message: NO_MATCH, fieldErrors: {} }, { status: 403 })
  }
  const caseId = caseInstanceId.replace(/^case\//, '')
  const intent = form.get('intent')
  let sent: string | null = null
  let refusal: { message: string; fieldErrors: FieldErrors; status: number } | null = null
  if (intent === 'answer' || intent === 'add') {
    const parsed = reporterFollowUpSchema.safeParse({ ...Object.fromEntries(form), caseId })
    if (!parsed.success) {
      const fieldErrors: FieldErrors = {}
      for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? 'form')] ??= issue.message
      refusal = { message: 'Nothing was sent: the form is not complete.', fieldErrors, status: 400 }
    } else {
      try {
        const record = await getRecord()
        if (parsed.data.intent === 'answer') {
          await writeCaseMessage(record, {
            caseId,
            kind: 'answer',
            replyTo: parsed.data.questionId,
            authorUserId: ANONYMOUS_CHANNEL_USER_ID,
            capacity: 'reporter',
            body: parsed.data.body,
          })
          sent = 'Your answer is sent to the Audit Committee.'
        } else {
          await addCaseInformation(record, { caseId, authorUserId: null, body: parsed.data.body })
          sent = 'Your information is added to the report.'
        }
      } catch (error) {
        const r = refusalFor(error)
        if (!r) throw error
        refusal = { message: r.message, fieldErrors: {}, status: r.status }
      }
    }
  } else if (intent !== null && intent !== 'open') {
    refusal = { message: 'Choose to open the report, answer a question or add information.', fieldErrors: {}, status: 400 }
  }
  const page = await view(caseId)
  if (!page) return data<Refused>({ open: false, message: NO_MATCH, fieldErrors: {} }, { status: 403 })
  // The key and passphrase go back in the page's own forms (hidden), as there is no session to carry them.
  return data(
    {
      open: true as const,
      receiptKey: typedKey,
      passphrase,
      page,
      sent,
      refusal: refusal ? { message: refusal.message, fieldErrors: refusal.fieldErrors } : null,
    },
    { status: refusal?.status ?? 200 },
  )
}

function Credentials({ receiptKey, passphrase }: { receiptKey: string; passphrase: string }) {
  return (
    <>
      <input type="hidden" name="receiptKey" value={receiptKey} />
      <input type="hidden" name="passphrase" value={passphrase} />
    </>
  )
}

export default function AnonymousFollowUp() {
  const result = useActionData<typeof action>()
  if (result && result.open) {
    const { page } = result
    return (
      <section aria-labelledby="follow-title">
        <h1 id="follow-title">Your anonymous report</h1>
        {result.sent ? <StatusMessage message={result.sent} /> : null}
        {result.refusal ? <ErrorSummary message={result.refusal.message} fieldErrors={result.refusal.fieldErrors} /> : null}
        <h2>{page.kind}</h2>
        <p>
          <UserText>{page.summary}</UserText>
        </p>
        <dl>
          <dt>Sent</dt>
          <dd>{page.reportedAt}</dd>
          <dt>State</dt>
          <dd id="report-state">{page.stateWords}</dd>
          <dt>Waits for</dt>
          <dd>
            {page.waitsFor} (since {page.since})
          </dd>
        </dl>
        <h2>Questions from the Audit Committee</h2>
        {page.messages.filter((m) => m.kind === 'question').length === 0 ? <p>No questions yet.</p> : null}
        {page.messages
          .filter((m) => m.kind === 'question')
          .map((q) => (
            <div key={q.id} className="case-question">
              <p>
                <strong>Question</strong> ({q.at}): <UserText>{q.body}</UserText>
              </p>
              {page.messages
                .filter((a) => a.replyTo === q.id)
                .map((a) => (
                  <p key={a.id}>
                    <strong>Your answer</strong> ({a.at}): <UserText>{a.body}</UserText>
                  </p>
                ))}
              <Form method="post">
                <Credentials receiptKey={result.receiptKey} passphrase={result.passphrase} />
                <input type="hidden" name="intent" value="answer" />
                <input type="hidden" name="questionId" value={q.id} />
                <TextArea name={`body`} label="Your answer" required />
                <button type="submit">Send the answer</button>
              </Form>
            </div>
          ))}
        <h2>What you added</h2>
        {page.additions.length === 0 ? <p>Nothing yet.</p> : null}
        {page.additions.map((a) => (
          <p key={a.id}>
            ({a.at}) <UserText>{a.body}</UserText>
          </p>
        ))}
        <Form method="post">
          <Credentials receiptKey={result.receiptKey} passphrase={result.passphrase} />
          <input type="hidden" name="intent" value="add" />
          <TextArea name="body" label="Add information" required />
          <button type="submit">Add it</button>
        </Form>
        <p>
          <Link to="/anonymous/follow-up">Close the report</Link> (you will need the key and passphrase again).
        </p>
      </section>
    )
  }
  return (
    <section aria-labelledby="follow-title">
      <h1 id="follow-title">Follow up on an anonymous report</h1>
      <p>Enter the receipt key you were given when you sent the report, and the passphrase you chose.</p>
      {result ? <ErrorSummary message={result.message} fieldErrors={result.fieldErrors} /> : null}
      <Form method="post">
        <input type="hidden" name="intent" value="open" />
        <TextField
          name="receiptKey"
          label="Receipt key"
          hint="16 digits, e.g. 1234 5678 9012 3456."
          autoComplete="off"
          required
          errors={result?.fieldErrors}
        />
        <TextField
          name="passphrase"
          type="password"
          autoComplete="current-password"
          label="Passphrase"
          required
          errors={result?.fieldErrors}
        />
        <button type="submit" className="primary-button">
          Open my report
        </button>
      </Form>
      <p>
        <Link to="/anonymous">Send a new anonymous report</Link>
      </p>
    </section>
  )
}

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: 'Follow up on an anonymous report · Code of Ethics attestations' }]

export const ErrorBoundary = RouteErrorBoundary
