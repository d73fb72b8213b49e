import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import {
  Form,
  Link,
  isRouteErrorResponse,
  useActionData,
  useLoaderData,
  useNavigation,
  useParams,
  useRouteError,
  useSearchParams,
} from '@remix-run/react'
import { ZodError } from 'zod'
import { CommandRefusedError, sendDutyEvent, signDuty } from '../../db/attestation'
import { listMaterialInformation } from '../../db/queries/reports'
import { formatLocal, meaningText } from '../../db/sign-off'
import { EventNotAllowedError, InvalidWorkflowInputError, WorkflowConflictError, WorkflowNotFoundError } from '../../db/workflow-record'
import { BODY_NAMES, OFFICER_TITLES } from '../../machines/roles'
import { dutyByNumber, type DutyNumber, type Recipient } from '../../machines/duties'
import { adverseFinding, type DutyAnswers } from '../../machines/duty-answers'
import { type DutyReviewEvent, describeDutyState, dutyReviewMachine } from '../../machines/duty-review'
import { AnswerSummary } from '../components/answer-summary'
import { type AnswerFormContext, DutyAnswerFields, ExceptionFields } from '../components/duty-answer-fields'
import { ErrorSummary, TextField } from '../components/form-fields'
import { ManifestationPreviewList, StoredSignOffList } from '../components/sign-off'
import { WorkflowDiagram } from '../components/workflow-diagram'
import { reauthenticate, signingRefusal } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { readFormData } from '../utils/form-data.server'
import {
  ExpectedVersionSchema,
  IntentSchema,
  type NewCase,
  type ParseContext,
  SignSchema,
  WithdrawSchema,
  answersToValues,
  formValues,
  parseAnswerForm,
  parseExceptionForm,
} from '../utils/duty-forms.server'
import type { FieldErrors, FieldValues, Intent } from '../utils/duty-forms'
import { describePeriod, formatAmount, formatInstantUtc } from '../utils/format'
import {
  type FoundReport,
  type OwnDutyWorkflow,
  dutyStateLabel,
  findUserRecord,
  listPeople,
  listSignOffs,
  listVisibleCases,
  loadOwnDutyWorkflow,
  loadReportLifecycle,
  requireDutyNumber,
  requireReport,
} from '../utils/officer-walk.server'
import { type Officer, refuseIdentityFields, requireOfficer } from '../utils/permissions.server'
import { requireSameOrigin } from '../utils/request-security.server'
import { getRecord } from '../utils/workflow.server'
import { DUTY_WORKFLOW_WORDS, workflowDiagram } from '../utils/workflow-diagram.server'

// The seed's own recipients of duties 1–4; the routing rule picks, per case, who of
// "the Chairman of the Board or the CEO" receives it (never the person it is about).
const RECIPIENT_WORDS: Record<Recipient, string> = {
  disclosure_committee: 'the Disclosure Committee',
  audit_committee: 'the Audit Committee',
  chairman_or_ceo: 'the Chairman of the Board or the CEO (never the person a matter is about)',
  board: 'the Board of Directors',
  internal_auditor: "the Company's internal auditor",
  independent_auditor: 'the independent auditors',
}

/** What the workflow allows now, asked of the restored snapshot itself. */
function allowedActions(wf: OwnDutyWorkflow, draftSha256: string | null, now: Date): Record<Intent, boolean> {
  const at = now.toISOString()
  const s = wf.snapshot
  const c = wf.context
  // An answer's guards read the answer itself; whether this state takes answers at all is in the definition.
  const takesAnswers = ['inProgress', 'answered.noException', 'answered.exceptionRaised', 'readyToSign'].some((p) => s.matches(p as never))
  return {
    start: s.can({ type: 'duty.start' }),
    // Duties 6, 10 and 12 are about "the draft": with none registered there is nothing to answer about.
    answer: takesAnswers && (!c.boundToDraft || (draftSha256 !== null && c.currentDraftSha256 === draftSha256)),
    raiseException: s.can({ type: 'duty.raiseException', explanation: 'x', caseId: 'x' }),
    confirm: s.can({ type: 'duty.confirm' }),
    sign: s.can({ type: 'duty.sign', at, signatureId: 'preview', draftSha256: c.boundToDraft ? draftSha256 : null }),
    withdraw: s.can({ type: 'duty.reopen', reason: 'withdrawn', at }),
  }
}

async function parseContext(
  db: Awaited<ReturnType<typeof getDb>>,
  report: FoundReport,
  officer: Officer,
  n: DutyNumber,
  now: Date,
): Promise<ParseContext> {
  return {
    dutyNumber: n,
    reportId: report.id,
    draftSha256: report.draft?.sha256 ?? null,
    timeZone: report.time_zone,
    now,
    visibleCases: await listVisibleCases(db, report.id, officer.user),
    items: n === 1 ? (await listMaterialInformation(db, report.id)).map((i) => ({ id: i.id, title: i.title })) : [],
    people: await listPeople(db, report.company_id),
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request)
  const db = await getDb()
  const report = await requireReport(db, params.reportId)
  const n = requireDutyNumber(params.dutyNumber)
  const duty = dutyByNumber(n)
  const now = new Date()
  const wf = await loadOwnDutyWorkflow(db, request, officer, report, n)
  const draft = report.draft
  const allowed = allowedActions(wf, draft?.sha256 ?? null, now)
  const ctx = await parseContext(db, report, officer, n, now)
  const me = await findUserRecord(db, officer.user.id)
  const lifecycle = await loadReportLifecycle(db, report)
  const signOffs = await listSignOffs(db, wf.instanceId)
  const c = wf.context
  const currentSignOff = c.signature ? (signOffs.find((s) => s.id === c.signature!.signatureId) ?? null) : null
  const toStored = (s: (typeof signOffs)[number]) => ({
    id: s.id,
    meaningText: s.meaning_text,
    withException: s.meaning === 'attested_with_exception',
    printedName: s.printed_name,
    title: s.title,
    signedAtUtc: formatInstantUtc(s.signed_at),
    signedAtLocal: s.signed_at_local,
    timeZone: s.time_zone,
    draft: s.draft_id && s.draft_sha256 ? { id: s.draft_id, version: s.draft_version, sha256: s.draft_sha256 } : null,
  })
  const auditor = (role: 'internal_auditor' | 'independent_auditor') => {
    const p = ctx.people.find((x) => x.roles.includes(role))
    return p ? `${p.name}, ${p.title}` : ''
  }
  const formContext: AnswerFormContext = {
    dutyNumber: n,
    draft: draft ? { version: draft.version, sha256: draft.sha256 } : null,
    timeZone: report.time_zone,
    citeableCases: ctx.visibleCases
      .filter((k) => k.context.duty === n)
      .map((k) => ({ caseId: k.context.caseId, summary: k.context.summary, state: stateWords(k.path) })),
    visibleCases: ctx.visibleCases.map((k) => ({
      caseId: k.context.caseId,
      duty: k.context.duty,
      summary: k.context.summary,
      state: stateWords(k.path),
    })),
    items:
      n === 1
        ? (await listMaterialInformation(db, report.id)).map((i) => ({
            id: i.id,
            title: i.title,
            description: i.description,
            amounts: i.amounts.map((a) => `${a.label}: ${formatAmount(a.value, a.unit)}`),
          }))
        : [],
    people: ctx.people.filter((p) => !p.roles.includes('administrator')).map((p) => ({ id: p.id, label: `${p.name} — ${p.title}` })),
    auditorDefaults: { internal: auditor('internal_auditor'), independent: auditor('independent_auditor') },
  }
  const exceptionCase = c.exception ? ctx.visibleCases.find((k) => k.context.caseId === c.exception!.caseId) : undefined
  return {
    report: {
      id: report.id,
      heading:
        report.form === '10-K'
          ? `Form 10-K for fiscal year ${report.fiscal_year}`
          : `Form 10-Q for quarter ${report.fiscal_quarter} of fiscal ${report.fiscal_year}`,
      period: describePeriod(report),
      inCommitteeReview: lifecycle.path.startsWith('committeeReview'),
    },
    duty: {
      number: n,
      title: duty.title,
      text: duty.text,
      boundToDraft: duty.boundToDraft,
      goesTo: duty.kind === 'report' ? duty.recipients.map((r) => RECIPIENT_WORDS[r]) : [],
    },
    officer: { name: me.full_name, title: me.title, officerTitle: OFFICER_TITLES[officer.role] },
    workflow: {
      version: wf.version,
      path: wf.path,
      stateLabel: dutyStateLabel(wf.path),
      waitingFor: describeDutyState({ value: wf.snapshot.value, context: c }),
      answers: c.answers,
      adverse: c.answers ? adverseFinding(c.answers) : null,
      exception: c.exception
        ? {
            ...c.exception,
            caseState: exceptionCase ? stateWords(exceptionCase.path) : null,
            caseDescription: exceptionCase ? describeCaseWords(exceptionCase) : null,
          }
        : null,
      reopenedBy: c.lastReopen ? { reason: c.lastReopen.reason, at: formatInstantUtc(c.lastReopen.at) } : null,
    },
    allowed,
    preview: allowed.sign
      ? {
          printedName: me.full_name,
          title: me.title,
          officerTitle: OFFICER_TITLES[officer.role],
          atUtc: formatInstantUtc(now.toISOString()),
          atLocal: formatLocal(now, report.time_zone),
          timeZone: report.time_zone,
          meaningText: meaningText(c.exception ? 'attested_with_exception' : 'attested_no_exceptions', c.exception),
          draft: draft ? { version: draft.version, sha256: draft.sha256 } : null,
          duty: { number: n, title: duty.title },
        }
      : null,
    signOff: currentSignOff ? toStored(currentSignOff) : null,
    earlierSignOffs: signOffs.filter((s) => s.id !== currentSignOff?.id).map(toStored),
    diagram: workflowDiagram(dutyReviewMachine, wf.path, DUTY_WORKFLOW_WORDS, duty.boundToDraft ? [] : ['isNewDraftReopen']),
    formContext,
    answerValues: answersToValues(c.answers, report.time_zone),
  }
}

function stateWords(path: string) {
  return (
    (
      {
        reported: 'reported',
        routed: 'waiting for acknowledgement',
        underReview: 'acknowledged, under review',
        resolved: 'resolved',
        referredForDetermination: 'referred to the Board',
      } as Record<string, string>
    )[path] ?? path
  )
}

function describeCaseWords(k: Awaited<ReturnType<typeof listVisibleCases>>[number]) {
  const pending = (k.context.routing?.recipients ?? []).filter((b) => !k.context.acknowledgements.some((a) => a.body === b))
  return pending.length
    ? `Waiting for ${pending.map((b) => BODY_NAMES[b]).join(' and ')} to acknowledge it.`
    : 'Every recipient has acknowledged it.'
}

type ActionResult = { intent: Intent | null; message: string; fieldErrors: FieldErrors; values: FieldValues }

function refused(status: number, result: Partial<ActionResult> & { message: string }) {
  return data<ActionResult>({ intent: null, fieldErrors: {}, values: {}, ...result }, { status })
}

const CONFLICT =
  'Someone else moved this workflow while you were looking at it: nothing was saved. Reload the page to see where it stands now, then try again.'

/** The write path's refusals, as 4xx the officer can read: never a 500 for a request that was merely wrong. */
function refusalOf(error: unknown): { status: number; message: string } | null {
  if (error instanceof WorkflowConflictError) return { status: 409, message: CONFLICT }
  if (error instanceof EventNotAllowedError) {
    return {
      status: 422,
      message: 'That step is not open in the state this duty is in now: nothing was saved. Reload the page to see what it waits for.',
    }
  }
  if (error instanceof ZodError)
    return { status: 400, message: `The request is not valid: ${error.issues.map((i) => i.message).join('; ')}.` }
  if (error instanceof CommandRefusedError || error instanceof InvalidWorkflowInputError || error instanceof WorkflowNotFoundError) {
    return { status: error.status, message: error.message }
  }
  return null
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const officer = await requireOfficer(request)
  const db = await getDb()
  const report = await requireReport(db, params.reportId)
  const n = requireDutyNumber(params.dutyNumber)
  const form = await readFormData(request)
  await refuseIdentityFields(request, form, officer)
  const values = formValues(form)

  const intentParsed = IntentSchema.safeParse(form.get('intent'))
  if (!intentParsed.success) return refused(400, { message: intentParsed.error.issues[0]!.message, values })
  const intent = intentParsed.data
  const versionParsed = ExpectedVersionSchema.safeParse(form.get('expectedVersion') ?? undefined)
  if (!versionParsed.success) return refused(400, { intent, message: versionParsed.error.issues[0]!.message, values })
  const expectedVersion = versionParsed.data

  const wf = await loadOwnDutyWorkflow(db, request, officer, report, n)
  // Checked before anything else is read from the form: a stale page must not raise cases either.
  if (wf.version !== expectedVersion) return refused(409, { intent, message: CONFLICT, values })

  const now = new Date()
  const record = await getRecord()
  const base = {
    reportId: report.id,
    officer: { userId: officer.user.id, role: officer.role },
    dutyNumber: n,
    expectedVersion,
    actor: { userId: officer.user.id, role: officer.role },
  }
  const self = `/reports/${report.id}/duties/${n}`
  const notNow = () =>
    refused(422, {
      intent,
      message: `That step is not open now. ${describeDutyState({ value: wf.snapshot.value, context: wf.context })} Nothing was saved.`,
      values,
    })

  try {
    switch (intent) {
      case 'start':
      case 'confirm': {
        const event: DutyReviewEvent = intent === 'start' ? { type: 'duty.start' } : { type: 'duty.confirm' }
        if (!wf.snapshot.can(event)) return notNow()
        await sendDutyEvent(record, { ...base, event, at: now })
        break
      }
      case 'answer': {
        const ctx = await parseContext(db, report, officer, n, now)
        const parsed = parseAnswerForm(form, ctx)
        if (!parsed.ok)
          return refused(400, {
            intent,
            message: 'Your answers were not saved: some need your attention.',
            fieldErrors: parsed.fieldErrors,
            values,
          })
        const event: DutyReviewEvent = { type: 'duty.answer', answers: parsed.value.answers }
        // Asked before any case is raised, so a refused answer leaves no case behind.
        if (!wf.snapshot.can(event)) return notNow()
        await sendDutyEvent(record, { ...base, event, at: now, newCases: newCaseRequests(report.id, officer, parsed.value.newCases, now) })
        break
      }
      case 'raiseException': {
        const ctx = await parseContext(db, report, officer, n, now)
        const parsed = parseExceptionForm(form, ctx)
        if (!parsed.ok)
          return refused(400, {
            intent,
            message: 'The exception was not raised: some fields need your attention.',
            fieldErrors: parsed.fieldErrors,
            values,
          })
        const { explanation, link } = parsed.value
        const caseId = 'existingCaseId' in link ? link.existingCaseId : link.newCase.caseId
        const event: DutyReviewEvent = { type: 'duty.raiseException', explanation, caseId }
        if (!wf.snapshot.can(event)) return notNow()
        const newCases = 'newCase' in link ? newCaseRequests(report.id, officer, [{ ...link.newCase, summary: explanation }], now) : []
        await sendDutyEvent(record, { ...base, event, at: now, newCases })
        break
      }
      case 'sign': {
        const parsed = SignSchema.safeParse({ password: form.get('password') ?? undefined })
        if (!parsed.success) {
          return refused(400, {
            intent,
            message: 'Nothing was signed.',
            fieldErrors: { password: parsed.error.issues[0]!.message },
            values,
          })
        }
        // Every signature is the officer's own act: the password again, each time (reauthenticate logs a failure).
        const reauth = await reauthenticate(db, officer.user, parsed.data.password, request)
        if (!reauth.ok) {
          const { status, ...refusal } = signingRefusal(reauth)
          return refused(status, { intent, ...refusal, values })
        }
        const draftSha = report.draft?.sha256 ?? null
        if (
          !wf.snapshot.can({
            type: 'duty.sign',
            at: now.toISOString(),
            signatureId: 'preview',
            draftSha256: wf.context.boundToDraft ? draftSha : null,
          })
        )
          return notNow()
        const result = await signDuty(record, { ...base })
        throw redirect(`${self}?done=${result.submittedForReview ? 'signed-last' : 'signed'}`)
      }
      case 'withdraw': {
        const parsed = WithdrawSchema.safeParse({ confirmWithdraw: form.get('confirmWithdraw') ?? undefined })
        if (!parsed.success)
          return refused(400, {
            intent,
            message: 'Your signature was not withdrawn.',
            fieldErrors: { confirmWithdraw: parsed.error.issues[0]!.message },
            values,
          })
        const event: DutyReviewEvent = { type: 'duty.reopen', reason: 'withdrawn', at: now.toISOString() }
        if (!wf.snapshot.can(event)) return notNow()
        await sendDutyEvent(record, { ...base, event, at: now })
        break
      }
    }
  } catch (error) {
    if (error instanceof Response) throw error
    const refusal = refusalOf(error)
    if (!refusal) throw error
    return refused(refusal.status, { intent, message: refusal.message, values })
  }
  // Post/redirect/get: a reload never sends the form twice.
  throw redirect(`${self}?done=${intent}`)
}

/** Each new matter is its own case, reported and routed with the event that raised it (one transaction). */
function newCaseRequests(reportId: string, officer: Officer, cases: NewCase[], at: Date) {
  return cases.map((c) => ({
    reportId,
    input: {
      caseId: c.caseId,
      duty: c.duty,
      subject: c.subject,
      reporter: { role: officer.role, userId: officer.user.id },
      summary: c.summary,
    },
    actor: { userId: officer.user.id, role: officer.role },
    at,
  }))
}

const DONE: Record<string, string> = {
  start: 'The review is started. Record your answers below.',
  answer: 'Your answers are recorded. Check them below, then confirm them — or raise an exception.',
  raiseException:
    'The exception is recorded and its case has gone to its recipients. You can confirm once every recipient has acknowledged it.',
  confirm: 'Your answers are confirmed. Check the signature below, then sign with your password.',
  signed: 'Signed. Your sign-off is kept below.',
  'signed-last': 'Signed. That was the last signature the report needed: it has gone to committee review.',
  withdraw: 'Your signature is withdrawn. Your answers are kept; confirm and sign again when you are ready.',
}

export default function DutyPage() {
  const { report, duty, officer, workflow, allowed, preview, signOff, earlierSignOffs, diagram, formContext, answerValues } =
    useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const done = searchParams.get('done')
  const status = actionData ? null : done ? DONE[done] : null
  const errorsFor = (intent: Intent) => (actionData?.intent === intent ? actionData.fieldErrors : {})
  const valuesFor = (intent: Intent, fallback: FieldValues = {}) => (actionData?.intent === intent ? actionData.values : fallback)
  const hidden = (intent: Intent) => (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="expectedVersion" value={workflow.version} />
    </>
  )
  const anyAction = Object.values(allowed).some(Boolean)
  const answerForm = (
    <Form method="post" className="ow-duty-form">
      {hidden('answer')}
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

      {status ? (
        <div role="status" className="ow-form-status">
          <p>{status}</p>
        </div>
      ) : null}
      {actionData ? (
        <>
          <ErrorSummary message={actionData.message} fieldErrors={actionData.fieldErrors} />
          {actionData.message === CONFLICT ? (
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
          <section aria-labelledby="words-title" className="ow-panel">
            <h2 id="words-title">The duty, in the Code’s words</h2>
            <blockquote className="ow-duty-text ow-duty-text-large">{duty.text}</blockquote>
            {duty.goesTo.length ? <p className="hint">Matters under this duty go to {duty.goesTo.join(' and ')}.</p> : null}
            {duty.boundToDraft ? <p className="hint">A sign-off here is about one draft: a newer draft reopens it.</p> : null}
          </section>

          <section aria-labelledby="state-title" className="ow-panel ow-state-panel">
            <h2 id="state-title">Where it stands</h2>
            <p>
              <span className={`ow-state-badge ow-state-${workflow.path.replace('.', '-')}`}>{workflow.stateLabel}</span>
            </p>
            <p className="ow-waiting" id="waiting-for">
              {workflow.waitingFor}
            </p>
            {workflow.reopenedBy ? (
              <p className="hint">
                {workflow.reopenedBy.reason === 'newDraft' ? 'Reopened by a new draft' : 'Signature withdrawn'} on {workflow.reopenedBy.at}.
              </p>
            ) : null}
            {report.inCommitteeReview ? <p className="ow-notice">Every signature is in: the report is in committee review.</p> : null}
            <p className="hint">Workflow version {workflow.version}.</p>
          </section>

          {signOff ? (
            <section aria-labelledby="sign-off-title" className="ow-panel ow-sign-off-panel">
              <h2 id="sign-off-title">Your sign-off</h2>
              <StoredSignOffList s={signOff} />
            </section>
          ) : null}

          {workflow.exception ? (
            <section aria-labelledby="exception-title" className="ow-panel ow-exception-panel">
              <h2 id="exception-title">Exception</h2>
              <p>{workflow.exception.explanation}</p>
              <p>
                Case <code>{workflow.exception.caseId}</code>
                {workflow.exception.acknowledged
                  ? ': every recipient has acknowledged it.'
                  : workflow.exception.caseDescription
                    ? `: ${workflow.exception.caseDescription}`
                    : ': waiting for its recipients to acknowledge it.'}
              </p>
            </section>
          ) : null}

          {workflow.answers ? (
            <section aria-labelledby="answers-title" className="ow-panel">
              <h2 id="answers-title">Your recorded answers</h2>
              <AnswerSummary dutyNumber={duty.number} answers={workflow.answers as DutyAnswers} timeZone={formContext.timeZone} />
              {workflow.adverse ? (
                <p className="ow-notice">
                  An exception is needed before you can sign: {workflow.adverse}. Raise it below, with a written explanation and a case.
                </p>
              ) : null}
            </section>
          ) : null}

          {allowed.start ? (
            <section aria-labelledby="start-title" className="ow-panel ow-action-panel">
              <h2 id="start-title">Begin</h2>
              <p>Starting the review records that you have begun; your answers come next.</p>
              <Form method="post">
                {hidden('start')}
                <SubmitButton intent="start" label={`Start the review of duty ${duty.number}`} pending="Starting…" />
              </Form>
            </section>
          ) : null}

          {allowed.answer && !workflow.answers ? (
            <section aria-labelledby="answer-title" className="ow-panel ow-action-panel">
              <h2 id="answer-title">Record your answers</h2>
              {answerForm}
            </section>
          ) : null}

          {allowed.confirm ? (
            <section aria-labelledby="confirm-title" className="ow-panel ow-action-panel">
              <h2 id="confirm-title">Confirm</h2>
              <p>Confirming says these answers are final; you then sign.</p>
              <Form method="post">
                {hidden('confirm')}
                <SubmitButton intent="confirm" label="Confirm my answers" pending="Confirming…" />
              </Form>
            </section>
          ) : null}

          {allowed.raiseException ? (
            <section aria-labelledby="exception-form-title" className="ow-panel ow-action-panel">
              <h2 id="exception-form-title">Raise an exception</h2>
              <p>
                An exception is signed as part of your attestation. It needs a written explanation and a case, and every recipient of the
                case must acknowledge it before you can sign.
              </p>
              <Form method="post" className="ow-duty-form">
                {hidden('raiseException')}
                <ExceptionFields ctx={formContext} values={valuesFor('raiseException')} errors={errorsFor('raiseException')} />
                <SubmitButton intent="raiseException" label="Raise the exception" pending="Raising…" secondary={!workflow.adverse} />
              </Form>
            </section>
          ) : null}

          {allowed.sign && preview ? (
            <section aria-labelledby="sign-title" className="ow-panel ow-action-panel ow-sign-panel">
              <h2 id="sign-title">Sign</h2>
              <p>This is the signature you are about to make:</p>
              <ManifestationPreviewList m={preview} />
              <Form method="post" className="ow-sign-form">
                {hidden('sign')}
                <TextField
                  name="password"
                  type="password"
                  required
                  autoComplete="current-password"
                  label="Your password, to sign"
                  hint="Asked again for every signature: the signature must be your own act."
                  errors={errorsFor('sign')}
                />
                <SubmitButton intent="sign" label={`Sign duty ${duty.number}`} pending="Signing…" />
              </Form>
            </section>
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

          {allowed.withdraw ? (
            <section aria-labelledby="withdraw-title" className="ow-panel ow-action-panel">
              <h2 id="withdraw-title">Withdraw your signature</h2>
              <p>Until the report is approved for filing you may withdraw this signature; the sign-off stays on record as withdrawn.</p>
              <Form method="post">
                {hidden('withdraw')}
                <div className="ow-check">
                  <input
                    id="f-confirmWithdraw"
                    type="checkbox"
                    name="confirmWithdraw"
                    required
                    aria-invalid={errorsFor('withdraw').confirmWithdraw ? true : undefined}
                    aria-describedby={errorsFor('withdraw').confirmWithdraw ? 'f-confirmWithdraw-error' : undefined}
                  />
                  <label htmlFor="f-confirmWithdraw">I withdraw my signature of duty {duty.number}</label>
                </div>
                {errorsFor('withdraw').confirmWithdraw ? (
                  <p className="field-error" id="f-confirmWithdraw-error">
                    {errorsFor('withdraw').confirmWithdraw}
                  </p>
                ) : null}
                <SubmitButton intent="withdraw" label="Withdraw my signature" pending="Withdrawing…" secondary />
              </Form>
            </section>
          ) : null}

          {!anyAction && !signOff ? (
            <section aria-labelledby="nothing-title" className="ow-panel">
              <h2 id="nothing-title">Nothing for you to do now</h2>
              <p>{workflow.waitingFor}</p>
            </section>
          ) : null}

          {earlierSignOffs.length ? (
            <section aria-labelledby="earlier-title" className="ow-panel">
              <h2 id="earlier-title">Earlier sign-offs of this duty</h2>
              <p className="hint">Withdrawn, or voided by a new draft. They stay on record.</p>
              {earlierSignOffs.map((s) => (
                <StoredSignOffList key={s.id} s={s} />
              ))}
            </section>
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

function SubmitButton({ intent, label, pending, secondary }: { intent: Intent; label: string; pending: string; secondary?: boolean }) {
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle' && navigation.formData?.get('intent') === intent
  return (
    <button
      type="submit"
      className={secondary ? 'ow-secondary-button' : 'primary-button'}
      disabled={busy}
      aria-disabled={busy || undefined}
    >
      {busy ? pending : label}
    </button>
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
