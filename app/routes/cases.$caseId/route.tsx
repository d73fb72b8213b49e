import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { logCaseOpening } from '../../../db/commands'
import { findCase } from '../../../db/queries/cases'
import { ErrorSummary, StatusMessage } from '../../components/form-fields'
import { RouteErrorBoundary, errorMeta } from '../../components/error-page'
import { UserText } from '../../components/user-text'
import { requireUser } from '../../utils/auth.server'
import { getDb } from '../../utils/db.server'
import { conflictRefusal, refusalFor } from '../../utils/domain-errors.server'
import { ExpectedVersionSchema, formValues } from '../../utils/duty-forms.server'
import { readFormData } from '../../utils/form-data.server'
import { refuseIdentityFields, requireCaseViewer } from '../../utils/permissions.server'
import { requireSameOrigin } from '../../utils/request-security.server'
import { getRecord } from '../../utils/workflow.server'
import { type CasePageData, loadCasePage } from './case-page.server'
import { CASE_INTENTS, CASE_INTENT_HANDLERS, MAX_CASE_FILE_BYTES, WORKFLOW_INTENTS, type CaseIntent, refused } from './intents.server'
import { z } from 'zod'

// One reported matter, for the members of the bodies it went to and for its
// reporter: never for the person it is about, nor for anyone else (404, so that
// its existence is not told). Every opening is logged.

const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/

async function caseFor(request: Request, caseIdParam: string | undefined) {
  const user = await requireUser(request)
  const caseId = caseIdParam ?? ''
  const db = await getDb()
  const record = await getRecord()
  const found = CASE_ID.test(caseId) ? await findCase(db, record, caseId) : undefined
  const { viewer } = await requireCaseViewer(request, user, caseId, found, { db })
  return { user, db, record, found: found!, viewer }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, db, record, found, viewer } = await caseFor(request, params.caseId)
  const now = new Date()
  await logCaseOpening(record, { caseId: found.caseId, userId: user.id, capacity: viewer.kind, at: now })
  return loadCasePage(db, record, found, viewer, now)
}

const IntentSchema = z.enum(CASE_INTENTS, { error: 'This form asked for a step this page does not know. Reload the page.' })

export async function action({ request, params }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const { user, record, found, viewer } = await caseFor(request, params.caseId)
  const form = await readFormData(request, {
    maxBytes: MAX_CASE_FILE_BYTES + 64 * 1024,
    tooLargeMessage: 'Nothing was saved: a file attached to a matter is at most 10 MiB.',
  })
  await refuseIdentityFields(
    request,
    form,
    { user },
    { message: 'Who acts comes from your session, never from the form: nothing was saved.' },
  )
  const values = formValues(form)
  const intentParsed = IntentSchema.safeParse(form.get('intent'))
  if (!intentParsed.success) return refused(400, { code: 'invalid_request', message: intentParsed.error.issues[0]!.message, values })
  const intent = intentParsed.data
  let expectedVersion = found.version
  if (WORKFLOW_INTENTS.has(intent)) {
    const versionParsed = ExpectedVersionSchema.safeParse(form.get('expectedVersion') ?? undefined)
    if (!versionParsed.success)
      return refused(400, { intent, code: 'invalid_request', message: versionParsed.error.issues[0]!.message, values })
    expectedVersion = versionParsed.data
    if (expectedVersion !== found.version) {
      const stale = conflictRefusal()
      return refused(stale.status, { intent, code: stale.code, message: stale.message, values })
    }
  }
  try {
    const outcome = await CASE_INTENT_HANDLERS[intent]({ record, form, values, user, viewer, found, expectedVersion, now: new Date() })
    if (!('done' in outcome)) return outcome
    // Post/redirect/get: a reload never sends the form twice.
    throw redirect(`/cases/${found.caseId}?done=${outcome.done}`)
  } catch (error) {
    if (error instanceof Response) throw error
    const refusal = refusalFor(error)
    if (!refusal) throw error
    return refused(refusal.status, { intent, code: refusal.code, message: refusal.message, values })
  }
}

const DONE: Record<CaseIntent, string> = {
  acknowledge: 'Acknowledged. The record names you as having acknowledged it for your body.',
  resolve: 'The matter is resolved.',
  refer: 'The matter is referred to the Board of Directors for its determination.',
  note: 'Your note is added. Only the recipients of this matter read the notes.',
  ask: 'Your question is sent to the reporter.',
  answer: 'Your answer is sent to the recipients.',
}

export default function CasePage() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const done = searchParams.get('done') as CaseIntent | null
  const status = !actionData && done && DONE[done] ? DONE[done] : null
  const errorsFor = (intent: CaseIntent) => (actionData?.intent === intent ? actionData.fieldErrors : {})
  const isRecipient = page.viewer.kind === 'recipient'
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>{isRecipient ? <Link to="/cases">Reported matters</Link> : <Link to="/">Periodic reports</Link>}</li>
          <li aria-current="page">Case {page.caseId}</li>
        </ol>
      </nav>
      <header className="ow-page-head">
        <p className="ow-eyebrow">
          Duty {page.duty.number}: {page.duty.kind} · {isRecipient ? 'you received it' : 'you reported it'}
        </p>
        <h1>Case {page.caseId}</h1>
      </header>

      {status ? <StatusMessage key={done} message={status} /> : null}
      {actionData ? (
        <>
          <ErrorSummary message={actionData.message} fieldErrors={actionData.fieldErrors} />
          {actionData.code === 'workflow_conflict' ? (
            <p>
              <a href={`/cases/${page.caseId}`} className="ow-secondary-button">
                Reload this matter
              </a>
            </p>
          ) : null}
        </>
      ) : null}

      <MatterPanel page={page} />
      {page.boardDetermination ? (
        <section aria-labelledby="board-determination-title" className="ow-panel ow-action-panel">
          <h2 id="board-determination-title">The Board’s determination</h2>
          <p>
            <Link to={`/cases/${page.caseId}/determination`}>Open the Board’s determination</Link>: the factors, the prior violations found
            in the record, the decision and its signatures, the written notice.
          </p>
        </section>
      ) : null}
      <RoutingPanel page={page} />
      <AcknowledgementsPanel page={page} />
      {isRecipient ? <ActionsPanel page={page} errorsFor={errorsFor} /> : null}
      <QuestionsPanel page={page} errorsFor={errorsFor} />
      {isRecipient ? <NotesPanel page={page} errorsFor={errorsFor} /> : null}
      {isRecipient && page.files.length > 0 ? <FilesPanel page={page} /> : null}
      {page.access ? <AccessLogPanel access={page.access} /> : null}
    </>
  )
}

type Errors = (intent: CaseIntent) => Record<string, string>

function MatterPanel({ page }: { page: CasePageData }) {
  return (
    <section aria-labelledby="matter-title" className="ow-panel">
      <h2 id="matter-title">The matter</h2>
      <blockquote className="ow-duty-text">
        <UserText>{page.matter}</UserText>
      </blockquote>
      {page.additions.length > 0 ? (
        <>
          <h3>Added by the reporter since</h3>
          {page.additions.map((a) => (
            <blockquote key={a.id} className="ow-duty-text">
              <p className="ow-muted">{a.at}</p>
              <UserText>{a.body}</UserText>
            </blockquote>
          ))}
        </>
      ) : null}
      <dl className="ow-facts">
        <div>
          <dt>Reported by</dt>
          <dd>
            {page.reporter.name}, {page.reporter.title} <span className="ow-muted">({page.reporter.at})</span>
          </dd>
        </div>
        <div>
          <dt>About</dt>
          <dd>{page.subject ? `${page.subject.name}, ${page.subject.title}` : 'No one in particular'}</dd>
        </div>
        <div>
          <dt>Report</dt>
          <dd>{page.report ? page.report.heading : 'Not tied to a periodic report'}</dd>
        </div>
        <div>
          <dt>Duty</dt>
          <dd>
            Duty {page.duty.number}: {page.duty.title}
          </dd>
        </div>
        <div>
          <dt>Where it stands</dt>
          <dd>
            <span className={`ow-state-badge ow-case-${page.state}`}>{page.stateWords}</span>{' '}
            <span id="case-state">
              Waits for {page.waitsFor}, since {page.since}.
            </span>
          </dd>
        </div>
        {page.decision ? (
          <div>
            <dt>{page.decision.kind === 'resolved' ? 'Resolution' : 'Referral'}</dt>
            <dd>
              <strong>{page.decision.words}</strong>, {page.decision.at}
              {page.decision.by ? ` by ${page.decision.by}` : ''}.
              <br />
              <UserText>{page.decision.note}</UserText>
            </dd>
          </div>
        ) : null}
      </dl>
    </section>
  )
}

function RoutingPanel({ page }: { page: CasePageData }) {
  return (
    <section aria-labelledby="routing-title" className="ow-panel">
      <h2 id="routing-title">Who receives it, and why</h2>
      <p>{page.routing.bodies}.</p>
      <ul>
        {page.routing.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </section>
  )
}

function AcknowledgementsPanel({ page }: { page: CasePageData }) {
  return (
    <section aria-labelledby="ack-title" className="ow-panel">
      <h2 id="ack-title">Acknowledgements</h2>
      <div className="ow-table-scroll">
        <table className="ow-cases">
          <caption className="visually-hidden">Each receiving body’s acknowledgement</caption>
          <thead>
            <tr>
              <th scope="col">Body</th>
              <th scope="col">Acknowledged</th>
            </tr>
          </thead>
          <tbody>
            {page.acknowledgements.map((a) => (
              <tr key={a.body} data-body={a.body}>
                <th scope="row">{a.bodyName}</th>
                <td>{a.at ? `By ${a.by ? `${a.by.name}, ${a.by.title}` : 'the system'}, ${a.at}` : 'Not yet'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

/** Which body a recipient acts for: a choice when they belong to several, otherwise said and sent along. */
function ActingFor({ page, id }: { page: CasePageData; id: string }) {
  if (page.viewer.kind !== 'recipient') return null
  const bodies = page.viewer.bodies
  if (bodies.length === 1) return <input type="hidden" name="actingFor" value={bodies[0]!.value} />
  return (
    <div className="field">
      <label htmlFor={id}>Acting for</label>
      <select id={id} name="actingFor" required defaultValue="">
        <option value="">Choose a body</option>
        {bodies.map((b) => (
          <option key={b.value} value={b.value}>
            {b.label.charAt(0).toUpperCase() + b.label.slice(1)}
          </option>
        ))}
      </select>
    </div>
  )
}

function ActionsPanel({ page, errorsFor }: { page: CasePageData; errorsFor: Errors }) {
  const { allowed } = page
  const any = allowed.acknowledgeFor.length > 0 || allowed.resolve || allowed.refer
  return (
    <section aria-labelledby="actions-title" className="ow-panel ow-action-panel">
      <h2 id="actions-title">What you can do now</h2>
      {!any ? <p>No step of this matter is open to you now: it waits for {page.waitsFor}.</p> : null}
      {allowed.acknowledgeFor.map((body) => {
        const label = page.viewer.kind === 'recipient' ? page.viewer.bodies.find((b) => b.value === body)!.label : body
        return (
          <Form method="post" key={body} className="ow-duty-form">
            <input type="hidden" name="intent" value="acknowledge" />
            <input type="hidden" name="expectedVersion" value={page.version} />
            <input type="hidden" name="body" value={body} />
            <div className="field">
              <label htmlFor={`ack-note-${body}`}>Note to the other recipients (optional)</label>
              <textarea id={`ack-note-${body}`} name="note" rows={2} maxLength={20_000} />
              {errorsFor('acknowledge').note ? <p className="field-error">{errorsFor('acknowledge').note}</p> : null}
            </div>
            <button type="submit" className="primary-button">
              Acknowledge for {label}
            </button>
          </Form>
        )
      })}
      {allowed.resolve ? (
        <Form method="post" className="ow-duty-form" aria-labelledby="resolve-title">
          <h3 id="resolve-title">Resolve the matter</h3>
          <input type="hidden" name="intent" value="resolve" />
          <input type="hidden" name="expectedVersion" value={page.version} />
          <ActingFor page={page} id="resolve-acting-for" />
          <fieldset className="ow-choice">
            <legend>Outcome</legend>
            {page.outcomes.map((o) => (
              <div className="ow-check" key={o.value}>
                <input type="radio" id={`outcome-${o.value}`} name="outcome" value={o.value} required />
                <label htmlFor={`outcome-${o.value}`}>{o.label}</label>
              </div>
            ))}
            {errorsFor('resolve').outcome ? <p className="field-error">{errorsFor('resolve').outcome}</p> : null}
          </fieldset>
          <div className="field">
            <label htmlFor="resolve-note">Note on the resolution</label>
            <textarea id="resolve-note" name="note" rows={3} required maxLength={20_000} />
            {errorsFor('resolve').note ? <p className="field-error">{errorsFor('resolve').note}</p> : null}
          </div>
          <button type="submit" className="primary-button">
            Resolve
          </button>
        </Form>
      ) : null}
      {allowed.refer ? (
        <Form method="post" className="ow-duty-form" aria-labelledby="refer-title">
          <h3 id="refer-title">Refer to the Board for a determination</h3>
          <input type="hidden" name="intent" value="refer" />
          <input type="hidden" name="expectedVersion" value={page.version} />
          <ActingFor page={page} id="refer-acting-for" />
          <div className="ow-check">
            <input type="checkbox" id="refer-violation" name="violationOfCodes" required={page.referNeedsViolation} />
            <label htmlFor="refer-violation">It is a violation of the Code of Business Conduct and Ethics or of these procedures</label>
          </div>
          {errorsFor('refer').violationOfCodes ? <p className="field-error">{errorsFor('refer').violationOfCodes}</p> : null}
          <div className="field">
            <label htmlFor="refer-note">Why it goes to the Board</label>
            <textarea id="refer-note" name="note" rows={3} required maxLength={20_000} />
            {errorsFor('refer').note ? <p className="field-error">{errorsFor('refer').note}</p> : null}
          </div>
          <button type="submit" className="ow-secondary-button">
            Refer to the Board
          </button>
        </Form>
      ) : null}
    </section>
  )
}

function Message({ m }: { m: CasePageData['notes'][number] }) {
  return (
    <>
      <p className="ow-muted">
        {m.author}, {m.authorTitle} ({m.capacity}), {m.at}
      </p>
      <p className="ow-message">
        <UserText>{m.body}</UserText>
      </p>
      {m.files.length ? (
        <ul>
          {m.files.map((f) => (
            <li key={f.id}>
              File: <UserText>{f.fileName}</UserText>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  )
}

function FileField({ id }: { id: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>Attach a file (optional, at most 10 MiB)</label>
      <input type="file" id={id} name="file" />
    </div>
  )
}

function QuestionsPanel({ page, errorsFor }: { page: CasePageData; errorsFor: Errors }) {
  const isRecipient = page.viewer.kind === 'recipient'
  return (
    <section aria-labelledby="questions-title" className="ow-panel">
      <h2 id="questions-title">Questions to the reporter</h2>
      {page.questions.length === 0 ? <p>No question has been asked.</p> : null}
      <ol className="ow-thread">
        {page.questions.map((q) => (
          <li key={q.id} data-question-id={q.id}>
            <Message m={q} />
            {q.answers.length ? (
              <ol aria-label="Answers" className="ow-thread">
                {q.answers.map((a) => (
                  <li key={a.id}>
                    <Message m={a} />
                  </li>
                ))}
              </ol>
            ) : (
              <p className="ow-muted">Not answered yet.</p>
            )}
            {!isRecipient ? (
              <Form method="post" encType="multipart/form-data" className="ow-duty-form">
                <input type="hidden" name="intent" value="answer" />
                <input type="hidden" name="questionId" value={q.id} />
                <div className="field">
                  <label htmlFor={`answer-${q.id}`}>Your answer</label>
                  <textarea id={`answer-${q.id}`} name="text" rows={3} required maxLength={20_000} />
                  {errorsFor('answer').text ? <p className="field-error">{errorsFor('answer').text}</p> : null}
                </div>
                <FileField id={`answer-file-${q.id}`} />
                <button type="submit" className="primary-button">
                  Send the answer
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ol>
      {isRecipient ? (
        <Form method="post" encType="multipart/form-data" className="ow-duty-form" aria-labelledby="ask-title">
          <h3 id="ask-title">Ask the reporter</h3>
          <input type="hidden" name="intent" value="ask" />
          <ActingFor page={page} id="ask-acting-for" />
          <div className="field">
            <label htmlFor="ask-text">Your question</label>
            <textarea id="ask-text" name="text" rows={3} required maxLength={20_000} />
            {errorsFor('ask').text ? <p className="field-error">{errorsFor('ask').text}</p> : null}
          </div>
          <FileField id="ask-file" />
          <button type="submit" className="ow-secondary-button">
            Send the question
          </button>
        </Form>
      ) : null}
    </section>
  )
}

function NotesPanel({ page, errorsFor }: { page: CasePageData; errorsFor: Errors }) {
  return (
    <section aria-labelledby="notes-title" className="ow-panel">
      <h2 id="notes-title">Notes between the recipients</h2>
      <p className="hint">The reporter does not see these notes.</p>
      {page.notes.length === 0 ? <p>No note yet.</p> : null}
      <ol className="ow-thread">
        {page.notes.map((n) => (
          <li key={n.id}>
            <Message m={n} />
          </li>
        ))}
      </ol>
      <Form method="post" encType="multipart/form-data" className="ow-duty-form" aria-labelledby="note-title">
        <h3 id="note-title">Add a note</h3>
        <input type="hidden" name="intent" value="note" />
        <ActingFor page={page} id="note-acting-for" />
        <div className="field">
          <label htmlFor="note-text">Your note</label>
          <textarea id="note-text" name="text" rows={3} required maxLength={20_000} />
          {errorsFor('note').text ? <p className="field-error">{errorsFor('note').text}</p> : null}
        </div>
        <FileField id="note-file" />
        <button type="submit" className="ow-secondary-button">
          Add the note
        </button>
      </Form>
    </section>
  )
}

function FilesPanel({ page }: { page: CasePageData }) {
  return (
    <section aria-labelledby="files-title" className="ow-panel">
      <h2 id="files-title">Files</h2>
      <ul>
        {page.files.map((f) => (
          <li key={f.id}>
            <a href={`/cases/${page.caseId}/files/${f.id}`} download={f.fileName}>
              <UserText>{f.fileName}</UserText>
            </a>{' '}
            <span className="ow-muted">
              ({f.sizeBytes.toLocaleString('en-US')} bytes, from {f.by}) SHA-256 <code className="ow-hash">{f.sha256}</code>
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}

function AccessLogPanel({ access }: { access: NonNullable<CasePageData['access']> }) {
  return (
    <section aria-labelledby="access-title" className="ow-panel">
      <h2 id="access-title">Who opened this matter</h2>
      <p className="hint">Every opening of this page is recorded; as chair of the Audit Committee you see them all.</p>
      <div className="ow-table-scroll">
        <table className="ow-cases">
          <caption className="visually-hidden">Openings of this case page, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Who</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {access.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  {a.name}, {a.title} <span className="ow-muted">({a.capacity})</span>
                </th>
                <td>{a.at}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data, error }) =>
  error ? errorMeta(error) : [{ title: data ? `Case ${data.caseId} · Reported matters` : 'Reported matter' }]

export const ErrorBoundary = RouteErrorBoundary
