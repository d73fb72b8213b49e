import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, isRouteErrorResponse, useActionData, useLoaderData, useParams, useRouteError, useSearchParams } from '@remix-run/react'
import { DutyAnswerFields } from '../../components/duty-answer-fields'
import { ErrorSummary, StatusMessage } from '../../components/form-fields'
import { WorkflowDiagram } from '../../components/workflow-diagram'
import { getDb } from '../../utils/db.server'
import { readFormData } from '../../utils/form-data.server'
import { conflictRefusal, refusalFor } from '../../utils/domain-errors.server'
import { ExpectedVersionSchema, IntentSchema, formValues } from '../../utils/duty-forms.server'
import type { FieldValues, Intent } from '../../utils/duty-forms'
import { refuseIdentityFields, requireOfficer } from '../../utils/permissions.server'
import { requireDutyNumber, requireReport } from '../../utils/report-params.server'
import { requireSameOrigin } from '../../utils/request-security.server'
import { getRecord } from '../../utils/workflow.server'
import { loadDutyPage, loadOwnDutyWorkflow } from './duty-page.server'
import { INTENT_HANDLERS, refused } from './intents.server'
import {
  AnswersPanel,
  ConfirmPanel,
  DutyWordsPanel,
  EarlierSignOffsPanel,
  NextDutyPanel,
  DraftLink,
  ExceptionPanel,
  IntentFields,
  NothingToDoPanel,
  RaiseExceptionPanel,
  SignOffPanel,
  SignPanel,
  StatePanel,
  SubmitButton,
  WithdrawPanel,
} from './panels'

// One officer's review of one duty. The page is not a child of the report page
// (the `_` after `$reportId`): its loader alone runs for it, and a refused action
// does not re-run the report's loader.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request)
  const db = await getDb()
  const report = await requireReport(db, params.reportId)
  return loadDutyPage(db, request, officer, report, requireDutyNumber(params.dutyNumber))
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const officer = await requireOfficer(request)
  const db = await getDb()
  const report = await requireReport(db, params.reportId)
  const dutyNumber = requireDutyNumber(params.dutyNumber)
  const form = await readFormData(request)
  await refuseIdentityFields(request, form, officer)
  const values = formValues(form)

  const intentParsed = IntentSchema.safeParse(form.get('intent'))
  if (!intentParsed.success) return refused(400, { code: 'invalid_request', message: intentParsed.error.issues[0]!.message, values })
  const intent = intentParsed.data
  const versionParsed = ExpectedVersionSchema.safeParse(form.get('expectedVersion') ?? undefined)
  if (!versionParsed.success) {
    return refused(400, { intent, code: 'invalid_request', message: versionParsed.error.issues[0]!.message, values })
  }
  const expectedVersion = versionParsed.data

  const wf = await loadOwnDutyWorkflow(db, request, officer, report, dutyNumber)
  // Checked before anything else is read from the form: a stale page must not raise cases either.
  if (wf.version !== expectedVersion) {
    const stale = conflictRefusal()
    return refused(stale.status, { intent, code: stale.code, message: stale.message, values })
  }

  try {
    const outcome = await INTENT_HANDLERS[intent]({
      db,
      record: await getRecord(),
      request,
      form,
      values,
      officer,
      report,
      dutyNumber,
      wf,
      expectedVersion,
      now: new Date(),
    })
    if (!('done' in outcome)) return outcome
    // Post/redirect/get: a reload never sends the form twice.
    throw redirect(`/reports/${report.id}/duties/${dutyNumber}?done=${outcome.done}`)
  } catch (error) {
    if (error instanceof Response) throw error
    const refusal = refusalFor(error)
    if (!refusal) throw error
    return refused(refusal.status, { intent, code: refusal.code, message: refusal.message, values })
  }
}

// What the page says after each step, and the states it is true in: a status is
// shown only while the workflow still stands where that step left it, so going
// Back after signing never shows "…then sign" above the signature already made.
const DONE: Record<string, { text: string; holdsIn: (path: string) => boolean }> = {
  start: { text: 'The review is started. Record your answers below.', holdsIn: (p) => p === 'inProgress' },
  answer: {
    text: 'Your answers are recorded. Check them below, then confirm them — or raise an exception.',
    holdsIn: (p) => p.startsWith('answered'),
  },
  raiseException: {
    text: 'The exception is recorded and its case has gone to its recipients. You can confirm once every recipient has acknowledged it.',
    holdsIn: (p) => p.startsWith('answered.exceptionRaised'),
  },
  confirm: {
    text: 'Your answers are confirmed. Check the signature below, then sign with your password.',
    holdsIn: (p) => p === 'readyToSign',
  },
  signed: { text: 'Signed. Your sign-off is kept below.', holdsIn: (p) => p === 'signed' },
  'signed-last': {
    text: 'Signed. That was the last signature the report needed: it has gone to committee review.',
    holdsIn: (p) => p === 'signed',
  },
  withdraw: {
    text: 'Your signature is withdrawn. Your answers are kept; confirm and sign again when you are ready.',
    holdsIn: (p) => p === 'inProgress' || p.startsWith('answered'),
  },
}

export default function DutyPage() {
  const {
    report,
    duty,
    workflow,
    officer,
    allowed,
    preview,
    signOff,
    earlierSignOffs,
    signOffsNotOnRecord,
    diagram,
    formContext,
    answerValues,
    nextDuty,
  } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const done = searchParams.get('done')
  const said = !actionData && done ? DONE[done] : undefined
  const status = said?.holdsIn(workflow.path) ? said.text : null
  const errorsFor = (intent: Intent) => (actionData?.intent === intent ? actionData.fieldErrors : {})
  const valuesFor = (intent: Intent, fallback: FieldValues = {}) => (actionData?.intent === intent ? actionData.values : fallback)
  const anyAction = Object.values(allowed).some(Boolean)
  const answerForm = (
    <Form method="post" className="ow-duty-form">
      <IntentFields intent="answer" version={workflow.version} />
      <DutyAnswerFields ctx={formContext} values={valuesFor('answer', answerValues)} errors={errorsFor('answer')} />
      <SubmitButton intent="answer" label="Record my answers" pending="Recording…" />
    </Form>
  )

  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li>
            <Link to={`/reports/${report.id}`}>{report.heading}</Link>
          </li>
          <li aria-current="page">Duty {duty.number}</li>
        </ol>
      </nav>
      <header className="ow-page-head">
        <p className="ow-eyebrow">{`${report.heading} · your review as ${officer.officerTitle}`}</p>
        <h1>
          Duty {duty.number}: {duty.title}
        </h1>
      </header>

      {status ? <StatusMessage key={done} message={status} /> : null}
      {actionData ? (
        <>
          <ErrorSummary message={actionData.message} fieldErrors={actionData.fieldErrors} />
          {actionData.code === 'workflow_conflict' ? (
            <p>
              <a href={`/reports/${report.id}/duties/${duty.number}`} className="ow-secondary-button">
                Reload this duty
              </a>
            </p>
          ) : null}
        </>
      ) : null}

      <div className="ow-duty-layout">
        <div className="ow-duty-main">
          {signOff ? <NextDutyPanel reportId={report.id} next={nextDuty} /> : null}
          <DutyWordsPanel duty={duty} />
          {duty.boundToDraft ? <DraftLink reportId={report.id} draft={report.draft} /> : null}
          <StatePanel workflow={workflow} inCommitteeReview={report.inCommitteeReview} />
          {signOff ? <SignOffPanel signOff={signOff} /> : null}
          {workflow.exception ? <ExceptionPanel exception={workflow.exception} /> : null}
          {workflow.answers ? (
            <AnswersPanel dutyNumber={duty.number} answers={workflow.answers} adverse={workflow.adverse} timeZone={formContext.timeZone} />
          ) : null}
          {allowed.answer && !workflow.answers ? (
            <section aria-labelledby="answer-title" className="ow-panel ow-action-panel">
              <h2 id="answer-title">Record your answers</h2>
              {allowed.start ? <p className="hint">Recording your first answers starts your review of this duty.</p> : null}
              {answerForm}
            </section>
          ) : null}
          {allowed.confirm ? <ConfirmPanel version={workflow.version} /> : null}
          {allowed.raiseException ? (
            <RaiseExceptionPanel
              ctx={formContext}
              version={workflow.version}
              values={valuesFor('raiseException')}
              errors={errorsFor('raiseException')}
              secondary={!workflow.adverse}
            />
          ) : null}
          {allowed.sign && preview ? (
            <SignPanel preview={preview} dutyNumber={duty.number} version={workflow.version} errors={errorsFor('sign')} />
          ) : null}
          {allowed.answer && workflow.answers ? (
            <section aria-labelledby="answer-title" className="ow-panel">
              <h2 id="answer-title">Change your answers</h2>
              {/* Native disclosure: works without JavaScript; open when the server sent the form back. */}
              <details className="ow-details" open={actionData?.intent === 'answer'}>
                <summary>Show the answer form</summary>
                <p className="hint">Changing an answer sends it back to be confirmed again.</p>
                {answerForm}
              </details>
            </section>
          ) : null}
          {allowed.withdraw ? <WithdrawPanel dutyNumber={duty.number} version={workflow.version} errors={errorsFor('withdraw')} /> : null}
          {!anyAction && !signOff ? <NothingToDoPanel waitingFor={workflow.waitingFor} /> : null}
          {earlierSignOffs.length ? <EarlierSignOffsPanel signOffs={earlierSignOffs} /> : null}
          {signOffsNotOnRecord ? (
            <p className="ow-notice" role="note">
              {signOffsNotOnRecord === 1 ? 'One sign-off' : `${signOffsNotOnRecord} sign-offs`} stored for this duty{' '}
              {signOffsNotOnRecord === 1 ? 'is' : 'are'} not held by the record’s hash chain and {signOffsNotOnRecord === 1 ? 'is' : 'are'}{' '}
              not shown: the record does not vouch for {signOffsNotOnRecord === 1 ? 'it' : 'them'}. Tell the Audit Committee and the
              administrator.
            </p>
          ) : null}
        </div>

        <aside aria-labelledby="diagram-title" className="ow-duty-aside">
          <h2 id="diagram-title">The workflow of this duty</h2>
          <WorkflowDiagram states={diagram} titleId="diagram-title" />
        </aside>
      </div>
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: d ? `Duty ${d.duty.number}: ${d.duty.title} · ${d.report.heading}` : 'Duty' },
]

export function ErrorBoundary() {
  const error = useRouteError()
  const params = useParams()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const detail = isRouteErrorResponse(error) && typeof error.data === 'string' ? error.data : 'Something went wrong; nothing was changed.'
  return (
    <section aria-labelledby="error-title" className="ow-panel">
      <h1 id="error-title">{status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Something went wrong'}</h1>
      <p>{detail}</p>
      <p>
        {params.reportId ? (
          <Link to={`/reports/${params.reportId}`}>Back to the report</Link>
        ) : (
          <Link to="/">Back to the periodic reports</Link>
        )}
      </p>
    </section>
  )
}

// A 429 from a locked signature says when to try again (the action sets it).
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}
