import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { addCaseInformation, writeCaseMessage } from '../../db/commands'
import { findCase, listCaseMessages } from '../../db/queries/cases'
import { listCaseAdditions, listMyReports } from '../../db/queries/reporting'
import { MATTER_KINDS } from '../../machines/case'
import { reporterUserId } from '../../machines/routing'
import { ErrorSummary, StatusMessage, TextArea } from '../components/form-fields'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { UserText } from '../components/user-text'
import { requireUser } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { CASE_DUTY_WORDS, type FieldErrors, type FieldValues } from '../utils/duty-forms'
import { refusalFor } from '../utils/domain-errors.server'
import { formatInstantUtc } from '../utils/format'
import { readFormData } from '../utils/form-data.server'
import { reporterFollowUpSchema } from '../utils/reporter-follow-up.server'
import { requireSameOrigin } from '../utils/request-security.server'
import { getRecord } from '../utils/workflow.server'

// "My reports": the matters the signed-in person reported, and only theirs, each
// with its state, what it waits for, the recipients' questions and their own
// answers (they answer here) and anything they added. Never the recipients' notes.

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = await getDb()
  const rows = await listMyReports(db, await getRecord(), user.id)
  return {
    cases: await Promise.all(
      rows.map(async (r) => ({
        caseId: r.caseId,
        kind: r.context.matterKind ? MATTER_KINDS[r.context.matterKind].words : CASE_DUTY_WORDS[r.context.duty],
        summary: r.context.summary,
        reportedAt: formatInstantUtc(r.context.reportedAt),
        stateWords: r.stateWords,
        waitsFor: r.waitsFor,
        since: formatInstantUtc(r.since),
        messages: (await listCaseMessages(db, r.caseId, { includeNotes: false })).map((m) => ({
          id: m.id,
          kind: m.kind,
          replyTo: m.reply_to,
          body: m.body,
          at: formatInstantUtc(m.written_at),
        })),
        additions: (await listCaseAdditions(db, r.caseId)).map((a) => ({ id: a.id, body: a.body, at: formatInstantUtc(a.written_at) })),
      })),
    ),
  }
}

type ActionResult = { caseId: string | null; message: string; fieldErrors: FieldErrors; values: FieldValues }

export async function action({ request }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const user = await requireUser(request)
  const form = await readFormData(request, { maxBytes: 256 * 1024 })
  const values: FieldValues = Object.fromEntries([...form].filter(([, v]) => typeof v === 'string')) as FieldValues
  const parsed = reporterFollowUpSchema.safeParse(Object.fromEntries(form))
  const caseId = typeof form.get('caseId') === 'string' ? String(form.get('caseId')) : null
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {}
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? 'form')] ??= issue.message
    return data<ActionResult>({ caseId, message: 'Nothing was sent: the form is not complete.', fieldErrors, values }, { status: 400 })
  }
  const db = await getDb()
  const record = await getRecord()
  const found = await findCase(db, record, parsed.data.caseId)
  // Only one's own report: another's reads like one that does not exist.
  if (!found || reporterUserId(found.context.reporter) !== user.id) {
    throw new Response(`There is no matter “${parsed.data.caseId}” that you reported.`, {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  try {
    if (parsed.data.intent === 'answer') {
      await writeCaseMessage(record, {
        caseId: found.caseId,
        kind: 'answer',
        replyTo: parsed.data.questionId,
        authorUserId: user.id,
        capacity: 'reporter',
        body: parsed.data.body,
      })
    } else {
      await addCaseInformation(record, { caseId: found.caseId, authorUserId: user.id, body: parsed.data.body })
    }
  } catch (error) {
    const refusal = refusalFor(error)
    if (!refusal) throw error
    return data<ActionResult>({ caseId, message: refusal.message, fieldErrors: {}, values }, { status: refusal.status })
  }
  return redirect(`/cases/mine?sent=${encodeURIComponent(found.caseId)}#${encodeURIComponent(found.caseId)}`)
}

export default function MyReports() {
  const page = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const reported = params.get('reported')
  const sent = params.get('sent')
  return (
    <section aria-labelledby="my-reports-title">
      <h1 id="my-reports-title">My reports</h1>
      <p>
        <Link to="/cases/new">Report a matter</Link>
      </p>
      {reported ? <StatusMessage message={`Your matter is reported as ${reported} and has gone to its recipients.`} /> : null}
      {sent ? <StatusMessage message={`Sent: it is added to ${sent}.`} /> : null}
      {result ? <ErrorSummary message={result.message} fieldErrors={result.fieldErrors} /> : null}
      {page.cases.length === 0 ? <p>You have not reported any matter.</p> : null}
      {page.cases.map((c) => (
        <article key={c.caseId} id={c.caseId} aria-labelledby={`${c.caseId}-title`} className="case-summary">
          <h2 id={`${c.caseId}-title`}>
            <Link to={`/cases/${c.caseId}`}>{c.caseId}</Link>: {c.kind}
          </h2>
          <p>
            <UserText>{c.summary}</UserText>
          </p>
          <dl>
            <dt>Reported</dt>
            <dd>{c.reportedAt}</dd>
            <dt>State</dt>
            <dd>{c.stateWords}</dd>
            <dt>Waits for</dt>
            <dd>
              {c.waitsFor} (since {c.since})
            </dd>
          </dl>
          <h3>Questions from the recipients</h3>
          {c.messages.filter((m) => m.kind === 'question').length === 0 ? <p>No questions yet.</p> : null}
          {c.messages
            .filter((m) => m.kind === 'question')
            .map((q) => (
              <div key={q.id} className="case-question">
                <p>
                  <strong>Question</strong> ({q.at}): <UserText>{q.body}</UserText>
                </p>
                {c.messages
                  .filter((a) => a.replyTo === q.id)
                  .map((a) => (
                    <p key={a.id}>
                      <strong>Your answer</strong> ({a.at}): <UserText>{a.body}</UserText>
                    </p>
                  ))}
                <Form method="post">
                  <input type="hidden" name="intent" value="answer" />
                  <input type="hidden" name="caseId" value={c.caseId} />
                  <input type="hidden" name="questionId" value={q.id} />
                  <TextArea
                    name="body"
                    label="Your answer"
                    required
                    values={result?.caseId === c.caseId && result.values.questionId === q.id ? result.values : undefined}
                    errors={result?.caseId === c.caseId && result.values.questionId === q.id ? result.fieldErrors : undefined}
                  />
                  <button type="submit">Send the answer</button>
                </Form>
              </div>
            ))}
          <h3>What you added</h3>
          {c.additions.length === 0 ? <p>Nothing yet.</p> : null}
          {c.additions.map((a) => (
            <p key={a.id}>
              ({a.at}) <UserText>{a.body}</UserText>
            </p>
          ))}
          <Form method="post">
            <input type="hidden" name="intent" value="add" />
            <input type="hidden" name="caseId" value={c.caseId} />
            <TextArea
              name="body"
              label="Add information"
              values={result?.caseId === c.caseId && result.values.intent === 'add' ? result.values : undefined}
              errors={result?.caseId === c.caseId && result.values.intent === 'add' ? result.fieldErrors : undefined}
            />
            <button type="submit">Add it</button>
          </Form>
        </article>
      ))}
    </section>
  )
}

export const meta: MetaFunction = ({ error }) => (error ? errorMeta(error) : [{ title: 'My reports · Code of Ethics attestations' }])

export const ErrorBoundary = RouteErrorBoundary
