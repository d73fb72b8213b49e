import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, isRouteErrorResponse, useActionData, useLoaderData, useRouteError, useSearchParams } from '@remix-run/react'
import { ErrorSummary, StatusMessage } from '../../components/form-fields'
import { getDb } from '../../utils/db.server'
import { refusalFor } from '../../utils/domain-errors.server'
import { readFormData } from '../../utils/form-data.server'
import { requireFilingPageReader } from '../../utils/permissions.server'
import { requireReport } from '../../utils/report-params.server'
import { requireSameOrigin } from '../../utils/request-security.server'
import { getRecord } from '../../utils/workflow.server'
import { loadFilingPage } from './filing-page.server'
import { FILING_INTENT_HANDLERS, FilingIntentSchema, refusedWith, type FilingActionResult } from './intents.server'

// The report's way to the SEC after the officers' signatures: the committees'
// steps, approval for filing by the CEO and the CFO, the filing itself, and a
// Form 12b-25 when it cannot be on time. Each step is taken here by the people
// who hold it; the rules are the report lifecycle's (machines/report-lifecycle.ts).

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireFilingPageReader(request)
  const db = await getDb()
  const report = await requireReport(db, params.reportId)
  return loadFilingPage(db, await getRecord(), user, report, new Date())
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const user = await requireFilingPageReader(request)
  const db = await getDb()
  const report = await requireReport(db, params.reportId)
  const form = await readFormData(request)
  const intent = FilingIntentSchema.safeParse(form.get('intent'))
  if (!intent.success) return refusedWith(400, { message: intent.error.issues[0]!.message })
  try {
    const outcome = await FILING_INTENT_HANDLERS[intent.data]({
      db,
      record: await getRecord(),
      request,
      form,
      user,
      report,
      now: new Date(),
    })
    if ('redirectTo' in outcome) throw redirect(outcome.redirectTo)
    if (!('done' in outcome)) return outcome
    throw redirect(`/reports/${report.id}/filing?done=${outcome.done}`)
  } catch (error) {
    if (error instanceof Response) throw error
    const refusal = refusalFor(error)
    if (!refusal) throw error
    return refusedWith(refusal.status, { intent: intent.data, message: refusal.message })
  }
}

const DONE: Record<string, string> = {
  approved: 'The Disclosure Committee’s approval is signed and recorded.',
  reviewed: 'The Audit Committee’s review is signed and recorded.',
  sentBack: 'The report is sent back to the officers with your reason; the duties you named are reopened.',
  approvalRecorded: 'Your approval for filing is signed and recorded. The other certifying officer’s approval is still needed.',
  approvedForFiling: 'Your approval for filing is signed: the report is approved for filing.',
  filed: 'The filing is recorded. The report and every sign-off on it are locked.',
  notified: 'The Form 12b-25 is recorded; the due date is extended.',
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

function PasswordField({ id, error }: { id: string; error?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>Your password (to sign)</label>
      <input
        id={id}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  )
}

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} className="field-error">
      {error}
    </p>
  ) : null
}

function SignedBy({ s }: { s: NonNullable<Data['bodies'][number]['done']> }) {
  return (
    <div className="ow-signed-act">
      <p>
        <strong>{s.meaning ?? 'Recorded'}</strong>
        {s.printedName ? (
          <>
            {' '}
            — {s.printedName}, {s.title}
          </>
        ) : null}
      </p>
      <p className="ow-muted">
        {s.signedAt}
        {s.signedAtLocal ? ` (${s.signedAtLocal})` : ''}
      </p>
      {s.note ? <blockquote>{s.note}</blockquote> : null}
    </div>
  )
}

export default function FilingPage() {
  const d = useLoaderData<typeof loader>()
  const result = useActionData<FilingActionResult>()
  const [params] = useSearchParams()
  const done = params.get('done')
  const errors = result?.fieldErrors ?? {}
  const v = result?.values ?? {}
  const errorFor = (intent: string, field: string) => (result?.intent === intent ? errors[field] : undefined)
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li>{d.canOpenReport ? <Link to={`/reports/${d.report.id}`}>{d.report.heading}</Link> : d.report.heading}</li>
          <li aria-current="page">Review and filing</li>
        </ol>
      </nav>
      <header className="ow-page-head">
        <p className="ow-eyebrow">{d.report.companyName}</p>
        <h1>Review and filing: {d.report.heading}</h1>
      </header>
      {done && DONE[done] && !result ? <StatusMessage message={DONE[done]} /> : null}
      {result ? <ErrorSummary message={result.message} fieldErrors={result.fieldErrors} /> : null}

      <dl className="ow-facts">
        <div>
          <dt>Where it stands</dt>
          <dd>
            <span className={`ow-state-badge ow-report-${d.lifecycle.state}`}>{d.lifecycle.stateLabel}</span>{' '}
            <span id="report-state">{d.lifecycle.description}</span>
          </dd>
        </div>
        <div>
          <dt>Draft</dt>
          <dd>
            {d.draft ? (
              <>
                Draft {d.draft.version}:{' '}
                <a href={`/reports/${d.report.id}/drafts/${d.draft.id}`} download={d.draft.fileName}>
                  {d.draft.fileName}
                </a>
                <br />
                SHA-256 <code className="ow-hash">{d.draft.sha256}</code>
              </>
            ) : (
              'None registered yet'
            )}
          </dd>
        </div>
        {d.due ? (
          <div>
            <dt>Due at the SEC</dt>
            <dd>
              {d.due.dueDateWords}
              {d.due.timeliness ? null : <span id="deadline-status">{` · ${d.due.status}`}</span>}
              {d.notice ? (
                <>
                  <br />
                  Form 12b-25 filed {d.notice.notifiedOn}: extended to <strong>{d.notice.extendedDueDate}</strong>.
                </>
              ) : null}
              {d.due.timeliness ? (
                <>
                  <br />
                  <strong id="timeliness">{d.due.timeliness}</strong>
                </>
              ) : null}
            </dd>
          </div>
        ) : null}
      </dl>

      {d.sentBack ? (
        <section aria-labelledby="sent-back-title" className="ow-panel ow-attention">
          <h2 id="sent-back-title">{`Sent back by the ${d.sentBack.body}`}</h2>
          <p>
            On {d.sentBack.at}, reopening duties {d.sentBack.duties.join(', ')}:
          </p>
          <blockquote id="send-back-reason">{d.sentBack.reason}</blockquote>
        </section>
      ) : null}

      {d.bodies.map((b) => (
        <section key={b.body} aria-labelledby={`${b.body}-title`} className="ow-panel">
          <h2 id={`${b.body}-title`}>
            The {b.title}’s {b.stepWord}
          </h2>
          {b.done ? (
            <SignedBy s={b.done} />
          ) : (
            <p>
              Not yet. <span className="ow-muted">{b.signerWhy}</span>
              {b.signerNames.length > 0 ? <> Who may sign: {b.signerNames.join(', ')}.</> : null}
            </p>
          )}
          {b.canSign ? (
            <Form method="post" className="ow-form" aria-labelledby={`${b.body}-sign-title`}>
              <h3 id={`${b.body}-sign-title`}>
                Sign the {b.title}’s {b.stepWord}
              </h3>
              <input type="hidden" name="intent" value="committeeStep" />
              <input type="hidden" name="body" value={b.body} />
              <p>
                You sign as <strong>{d.signer.name}</strong>, {d.signer.title}: “{b.meaning}”, with the current draft’s SHA-256, the time in
                UTC and in company time.
              </p>
              <div className="field">
                <label htmlFor={`${b.body}-note`}>Note for the record</label>
                <textarea
                  id={`${b.body}-note`}
                  name="note"
                  rows={3}
                  required
                  defaultValue={result?.intent === 'committeeStep' && v.body === b.body ? v.note : ''}
                  aria-invalid={errorFor('committeeStep', 'note') ? true : undefined}
                  aria-describedby={errorFor('committeeStep', 'note') ? `${b.body}-note-error` : undefined}
                />
                <FieldError id={`${b.body}-note-error`} error={errorFor('committeeStep', 'note')} />
              </div>
              <PasswordField id={`${b.body}-password`} error={errorFor('committeeStep', 'password')} />
              <button type="submit" className="primary-button">
                Sign the {b.stepWord}
              </button>
            </Form>
          ) : null}
          {b.canSendBack ? (
            <details className="ow-send-back">
              <summary>Send the report back to the officers instead</summary>
              <Form method="post" className="ow-form">
                <input type="hidden" name="intent" value="sendBack" />
                <input type="hidden" name="body" value={b.body} />
                <div className="field">
                  <label htmlFor={`${b.body}-reason`}>Why it goes back (the officers read this)</label>
                  <textarea
                    id={`${b.body}-reason`}
                    name="reason"
                    rows={3}
                    required
                    defaultValue={result?.intent === 'sendBack' && v.body === b.body ? v.reason : ''}
                    aria-invalid={errorFor('sendBack', 'reason') ? true : undefined}
                  />
                  <FieldError id={`${b.body}-reason-error`} error={errorFor('sendBack', 'reason')} />
                </div>
                <fieldset>
                  <legend>Sign-offs to reopen, for every officer</legend>
                  <div className="ow-checkbox">
                    <input type="checkbox" id={`${b.body}-all`} name="allDuties" />
                    <label htmlFor={`${b.body}-all`}>All twelve duties</label>
                  </div>
                  {d.duties.map((duty) => (
                    <div className="ow-checkbox" key={duty.number}>
                      <input type="checkbox" id={`${b.body}-duty-${duty.number}`} name="duties" value={duty.number} />
                      <label htmlFor={`${b.body}-duty-${duty.number}`}>
                        Duty {duty.number}: {duty.title}
                      </label>
                    </div>
                  ))}
                  <FieldError id={`${b.body}-duties-error`} error={errorFor('sendBack', 'duties')} />
                </fieldset>
                <button type="submit" className="ow-secondary-button">
                  Send back
                </button>
              </Form>
            </details>
          ) : null}
        </section>
      ))}

      <section aria-labelledby="approval-title" className="ow-panel">
        <h2 id="approval-title">Approval for filing by the certifying officers</h2>
        <p className="hint">The CEO and the CFO each approve, once both committees are done (they certify the report under Rule 13a-14).</p>
        <ul className="ow-approvals">
          {d.approvals.map((a) => (
            <li key={a.role} id={`approval-${a.role}`}>
              <strong>{a.holder ?? a.who}</strong>
              {` (${a.who}): ${a.done ? `approved ${a.done.signedAt}` : 'still to approve'}`}
            </li>
          ))}
        </ul>
        {d.approvals
          .filter((a) => a.canApprove)
          .map((a) => (
            <Form method="post" className="ow-form" key={a.role} aria-labelledby="approve-title">
              <h3 id="approve-title">Approve for filing</h3>
              <input type="hidden" name="intent" value="approveForFiling" />
              <p>
                You sign as <strong>{d.signer.name}</strong>, {d.signer.title}: “{a.meaning}”.
              </p>
              <PasswordField id="approve-password" error={errorFor('approveForFiling', 'password')} />
              <button type="submit" className="primary-button">
                Approve for filing
              </button>
            </Form>
          ))}
      </section>

      <section aria-labelledby="filing-title" className="ow-panel">
        <h2 id="filing-title">Filing with the SEC</h2>
        {d.filing ? (
          <p id="filing-record">
            Filed {d.filing.filedAt}, accession <strong>{d.filing.accessionNumber}</strong>
            {d.filing.draftSha256 ? (
              <>
                , draft SHA-256 <code className="ow-hash">{d.filing.draftSha256}</code>
              </>
            ) : null}
            . Locked: nothing on this report can change.
          </p>
        ) : d.canFile ? (
          <Form method="post" className="ow-form">
            <input type="hidden" name="intent" value="file" />
            <div className="field">
              <label htmlFor="accessionNumber">EDGAR accession number</label>
              <input
                id="accessionNumber"
                name="accessionNumber"
                required
                inputMode="numeric"
                placeholder="0000719413-13-000012"
                defaultValue={v.accessionNumber ?? ''}
                aria-invalid={errorFor('file', 'accessionNumber') ? true : undefined}
                aria-describedby="accession-hint"
              />
              <p id="accession-hint" className="hint">
                10 digits, 2 digits, 6 digits, as EDGAR’s acceptance message gives it.
              </p>
              <FieldError id="accession-error" error={errorFor('file', 'accessionNumber')} />
            </div>
            <div className="field">
              <label htmlFor="filedAt">Date and time of filing (UTC)</label>
              <input
                id="filedAt"
                name="filedAt"
                type="datetime-local"
                required
                defaultValue={v.filedAt ?? ''}
                aria-invalid={errorFor('file', 'filedAt') ? true : undefined}
              />
              <FieldError id="filedAt-error" error={errorFor('file', 'filedAt')} />
            </div>
            <p className="hint">Recording the filing locks the report and every sign-off on it at once.</p>
            <button type="submit" className="primary-button">
              Record the filing and lock the report
            </button>
          </Form>
        ) : (
          <p>Not filed. The administrator or the CAO/Controller records the filing once the report is approved for filing.</p>
        )}
      </section>

      <section aria-labelledby="late-title" className="ow-panel">
        <h2 id="late-title">Late filing (Form 12b-25)</h2>
        {d.notice ? (
          <>
            <p>
              Notification filed {d.notice.notifiedOn}; the report is due by <strong>{d.notice.extendedDueDate}</strong>.
            </p>
            <blockquote>{d.notice.narrative}</blockquote>
          </>
        ) : d.canNotify ? (
          <Form method="post" className="ow-form">
            <input type="hidden" name="intent" value="notifyLateFiling" />
            <p className="hint">
              When the report cannot be filed on time, the NT {d.report.heading.slice(5, 9)} is filed no later than {d.due?.noticeDeadline}.
              A 10-K then has 15 more calendar days, a 10-Q 5.
            </p>
            <div className="field">
              <label htmlFor="notifiedOn">Day the Form 12b-25 was filed</label>
              <input
                id="notifiedOn"
                name="notifiedOn"
                type="date"
                required
                defaultValue={v.notifiedOn ?? d.today}
                aria-invalid={errorFor('notifyLateFiling', 'notifiedOn') ? true : undefined}
              />
              <FieldError id="notifiedOn-error" error={errorFor('notifyLateFiling', 'notifiedOn')} />
            </div>
            <div className="field">
              <label htmlFor="narrative">Narrative reason, as stated in the form</label>
              <textarea id="narrative" name="narrative" rows={3} required defaultValue={v.narrative ?? ''} />
              <FieldError id="narrative-error" error={errorFor('notifyLateFiling', 'narrative')} />
            </div>
            <button type="submit" className="ow-secondary-button">
              Record the Form 12b-25
            </button>
          </Form>
        ) : (
          <p>
            {d.filing
              ? 'None: the report was filed without one.'
              : `None recorded.${d.due ? ` A notification may be recorded no later than ${d.due.noticeDeadline}.` : ''}`}
          </p>
        )}
      </section>

      <section aria-labelledby="amendments-title" className="ow-panel">
        <h2 id="amendments-title">Amendments</h2>
        {d.amends ? (
          <p>
            This report amends the <Link to={`/reports/${d.amends.id}/filing`}>{d.amends.title}</Link>: {d.amends.reason}
          </p>
        ) : null}
        {d.amendments.length > 0 ? (
          <ul>
            {d.amendments.map((a) => (
              <li key={a.id}>
                <Link to={`/reports/${a.id}/filing`}>{a.title}</Link>: {a.reason}
              </li>
            ))}
          </ul>
        ) : (
          <p>{d.filing ? 'No amendment of this report.' : 'A report is amended only once it is filed.'}</p>
        )}
        {d.canAmend ? (
          <Form method="post" className="ow-form">
            <input type="hidden" name="intent" value="startAmendment" />
            <div className="field">
              <label htmlFor="amendment-reason">What the amendment corrects or adds</label>
              <textarea id="amendment-reason" name="reason" rows={2} required defaultValue={v.reason ?? ''} />
              <FieldError id="amendment-reason-error" error={errorFor('startAmendment', 'reason')} />
            </div>
            <p className="hint">
              The amendment is a report of its own: its drafts, the officers’ twelve duties and its own filing. This report stays locked.
            </p>
            <button type="submit" className="ow-secondary-button">
              Start an amendment
            </button>
          </Form>
        ) : null}
      </section>
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Review and filing · ${data.report.heading} · ${data.report.companyName}` : 'Review and filing' },
]

export function ErrorBoundary() {
  const error = useRouteError()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const detail = isRouteErrorResponse(error) && typeof error.data === 'string' ? error.data : 'Something went wrong; nothing was changed.'
  return (
    <section aria-labelledby="error-title" className="ow-panel">
      <h1 id="error-title">{status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Something went wrong'}</h1>
      <p>{detail}</p>
      <p>
        <Link to="/">Back to the periodic reports</Link>
      </p>
    </section>
  )
}

// A 429 from a locked signature says when to try again (the action sets it).
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}
