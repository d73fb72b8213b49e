import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { findCase } from '../../../db/queries/cases'
import { findDetermination } from '../../../db/queries/determinations'
import { RouteErrorBoundary, errorMeta } from '../../components/error-page'
import { ErrorSummary, FieldError, StatusMessage, TextArea, fieldId } from '../../components/form-fields'
import { UserText } from '../../components/user-text'
import { getDb } from '../../utils/db.server'
import { conflictRefusal, refusalFor } from '../../utils/domain-errors.server'
import { type FieldErrors, type FieldValues, fieldHas } from '../../utils/duty-forms'
import { ExpectedVersionSchema, formValues } from '../../utils/duty-forms.server'
import { readFormData } from '../../utils/form-data.server'
import { refuseIdentityFields, requireBoardCase, requireDirector } from '../../utils/permissions.server'
import { requireSameOrigin } from '../../utils/request-security.server'
import { getRecord } from '../../utils/workflow.server'
import {
  type DeterminationPageData,
  allowedDeterminationSteps,
  determinationWaitsFor,
  loadDeterminationPage,
} from './determination-page.server'
import { DETERMINATION_INTENT_HANDLERS, DeterminationIntentSchema, type DeterminationIntent, refusedWith } from './intents.server'

// The Board's determination of a matter referred to it (duty 5 of the Code of
// Ethics), for the directors who may take part: never the individual it is
// about, whatever seat they hold; administrators and officers are refused (403),
// a director who may not see the matter reads a 404. The rules are the
// determination machine's (machines/board-determination.ts); docs/decisions/017.

const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/

async function boardCaseFor(request: Request, caseIdParam: string | undefined) {
  const user = await requireDirector(request)
  const caseId = caseIdParam ?? ''
  const db = await getDb()
  const record = await getRecord()
  const found = CASE_ID.test(caseId) ? await findCase(db, record, caseId) : undefined
  return { user, db, record, found: await requireBoardCase(request, user, caseId, found, { db }) }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, db, record, found } = await boardCaseFor(request, params.caseId)
  return loadDeterminationPage(db, record, found, user, new Date())
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const { user, db, record, found } = await boardCaseFor(request, params.caseId)
  const form = await readFormData(request)
  await refuseIdentityFields(
    request,
    form,
    { user },
    { message: 'Who signs comes from your session, never from the form: nothing was recorded.' },
  )
  const values = formValues(form)
  const intent = DeterminationIntentSchema.safeParse(form.get('intent'))
  if (!intent.success) return refusedWith(400, { message: intent.error.issues[0]!.message, values })
  const version = ExpectedVersionSchema.safeParse(form.get('expectedVersion') ?? undefined)
  if (!version.success) return refusedWith(400, { intent: intent.data, message: version.error.issues[0]!.message, values })
  const determination = await findDetermination(db, record, found.caseId)
  if (version.data !== (determination?.version ?? 0)) {
    return refusedWith(conflictRefusal().status, { intent: intent.data, message: conflictRefusal().message, values })
  }
  const now = new Date()
  // Asked of the machine before any password is checked: a step that is not open is refused as such.
  if (!allowedDeterminationSteps(found, determination, user, now)[intent.data]) {
    const signed = determination?.context.signatures.some((s) => s.signerUserId === user.id)
    if (intent.data === 'sign' && signed) {
      return refusedWith(409, {
        intent: 'sign',
        message: 'You have signed this determination already: each director signs it once. Nothing was signed.',
      })
    }
    const where = determinationWaitsFor(determination)
    return refusedWith(422, { intent: intent.data, message: `That step is not open now. ${where} Nothing was saved.`, values })
  }
  try {
    const outcome = await DETERMINATION_INTENT_HANDLERS[intent.data]({
      db,
      record,
      request,
      form,
      values,
      user,
      found,
      expectedVersion: version.data,
      now,
    })
    if (!('done' in outcome)) return outcome
    // Post/redirect/get: a reload never signs twice.
    throw redirect(`/cases/${found.caseId}/determination?done=${outcome.done}`)
  } catch (error) {
    if (error instanceof Response) throw error
    const refusal = refusalFor(error)
    if (!refusal) throw error
    return refusedWith(refusal.status, { intent: intent.data, message: refusal.message, values })
  }
}

const DONE: Record<DeterminationIntent, string> = {
  record: 'The determination is recorded, with its factors, and signed by you.',
  sign: 'Your signature of the determination is recorded.',
  giveNotice: 'The written notice is given to the individual. They read it on their own page, and acknowledge its receipt there.',
  close: 'The determination is closed.',
}

type Errors = (intent: DeterminationIntent) => { errors: FieldErrors; values: FieldValues | undefined }

export default function DeterminationPage() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const done = searchParams.get('done') as DeterminationIntent | null
  const status = !actionData && done && DONE[done] ? DONE[done] : null
  const formOf: Errors = (intent) =>
    actionData?.intent === intent ? { errors: actionData.fieldErrors, values: actionData.values } : { errors: {}, values: undefined }
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>
            <Link to="/cases">Reported matters</Link>
          </li>
          <li>
            <Link to={`/cases/${page.caseId}`}>Case {page.caseId}</Link>
          </li>
          <li aria-current="page">The Board’s determination</li>
        </ol>
      </nav>
      <header className="ow-page-head">
        <p className="ow-eyebrow">Duty 5 · Board of Directors</p>
        <h1>The Board’s determination</h1>
        <p>
          <span className={`ow-state-badge ow-determination-${page.path}`}>{page.stateLabel}</span>{' '}
          <span id="determination-state">{page.description}</span>
        </p>
      </header>

      {status ? <StatusMessage key={done} message={status} /> : null}
      {actionData ? <ErrorSummary message={actionData.message} fieldErrors={actionData.fieldErrors} /> : null}

      <MatterPanel page={page} />
      <PriorViolationsPanel page={page} />
      {page.factors && page.decision ? <DecisionPanel page={page} /> : null}
      {page.allowed.record ? <RecordForm page={page} form={formOf('record')} /> : null}
      {page.decision ? <SignaturesPanel page={page} form={formOf('sign')} /> : null}
      {page.decision ? <NoticePanel page={page} form={formOf('giveNotice')} /> : null}
    </>
  )
}

function MatterPanel({ page }: { page: DeterminationPageData }) {
  return (
    <section aria-labelledby="matter-title" className="ow-panel">
      <h2 id="matter-title">The matter referred</h2>
      <dl className="ow-facts">
        <div>
          <dt>The individual involved</dt>
          <dd>{page.individual ? `${page.individual.name}, ${page.individual.title}` : 'No one'}</dd>
        </div>
        <div>
          <dt>Reported under</dt>
          <dd>Duty {page.matter.duty}</dd>
        </div>
        <div>
          <dt>Referred to the Board</dt>
          <dd>
            {page.matter.referredAt}
            {page.matter.violationOfCodes ? ', as a violation of the codes' : ''}.
            {page.matter.referralNote ? (
              <>
                <br />
                <UserText>{page.matter.referralNote}</UserText>
              </>
            ) : null}
          </dd>
        </div>
      </dl>
      <blockquote className="ow-duty-text">
        <UserText>{page.matter.summary}</UserText>
      </blockquote>
      <p>
        <Link to={`/cases/${page.caseId}`}>The whole matter: routing, acknowledgements, questions, notes and files</Link>
      </p>
    </section>
  )
}

function PriorViolationsPanel({ page }: { page: DeterminationPageData }) {
  return (
    <section aria-labelledby="prior-title" className="ow-panel">
      <h2 id="prior-title">Prior violations</h2>
      <p className="hint">
        {page.factorWords.priorViolations}: found in the record (the Board’s earlier determinations that this individual committed a
        violation, decided before this matter was referred), never typed.
      </p>
      {page.priorViolations.length === 0 ? (
        <p id="prior-none">None: the record holds no earlier violation determined by the Board for this individual.</p>
      ) : (
        <ul className="ow-prior-violations">
          {page.priorViolations.map((p) => (
            <li key={p.caseId} data-prior-case-id={p.caseId}>
              {p.link ? <Link to={`/cases/${p.caseId}`}>Case {p.caseId}</Link> : <>Case {p.caseId}</>}
              {p.decidedAt ? `, determined ${p.decidedAt}` : ''}
              {p.actions.length ? `: ${p.actions.join('; ')}` : ''}.
              {p.rationale ? (
                <>
                  <br />
                  <span className="ow-muted">
                    <UserText>{p.rationale}</UserText>
                  </span>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function DecisionPanel({ page }: { page: DeterminationPageData }) {
  const decision = page.decision!
  return (
    <section aria-labelledby="decision-title" className="ow-panel">
      <h2 id="decision-title">The determination</h2>
      <p>
        <strong id="determination-words">
          {decision.violation
            ? 'The Board has determined that there has been a violation.'
            : 'The Board has determined that there has been no violation.'}
        </strong>{' '}
        Determined by: {decision.decidedBy}, {decision.decidedAt}.
      </p>
      {decision.actions.length ? (
        <>
          <h3>Actions</h3>
          <ul id="determination-actions">
            {decision.actions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>Reasons</h3>
      <p className="ow-message">
        <UserText>{decision.rationale}</UserText>
      </p>
      <h3>The factors weighed</h3>
      <dl className="ow-facts" id="determination-factors">
        {page.factors!.rows.map((r) => (
          <div key={r.label}>
            <dt>{r.label}</dt>
            <dd>
              <UserText>{r.value}</UserText>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  )
}

function Radios({
  name,
  legend,
  options,
  form,
}: {
  name: string
  legend: string
  options: readonly { value: string; label: string }[]
  form: ReturnType<Errors>
}) {
  const error = form.errors[name]
  return (
    <fieldset className="ow-choice" id={fieldId(name)} aria-describedby={error ? `${fieldId(name)}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <div className="ow-check" key={o.value}>
          <input
            type="radio"
            id={`${fieldId(name)}-${o.value}`}
            name={name}
            value={o.value}
            required
            defaultChecked={fieldHas(form.values, name, o.value)}
            aria-invalid={error ? true : undefined}
          />
          <label htmlFor={`${fieldId(name)}-${o.value}`}>{o.label}</label>
        </div>
      ))}
      <FieldError name={name} errors={form.errors} />
    </fieldset>
  )
}

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

function RecordForm({ page, form }: { page: DeterminationPageData; form: ReturnType<Errors> }) {
  const yesNo = [
    { value: 'yes', label: 'Yes' },
    { value: 'no', label: 'No' },
  ]
  return (
    <section aria-labelledby="record-title" className="ow-panel ow-action-panel">
      <h2 id="record-title">Weigh the factors and record the determination</h2>
      <p className="hint">
        Duty 5: the Board takes into account all relevant information. The prior violations above are weighed as the record holds them.
        Recording the determination signs it as yours; each other director who took it signs it after you.
      </p>
      <Form method="post" className="ow-duty-form">
        <input type="hidden" name="intent" value="record" />
        <input type="hidden" name="expectedVersion" value={page.version} />
        <h3>The factors</h3>
        <TextArea
          name="natureDescription"
          label={`${page.factorWords.natureAndSeverity}: what happened`}
          required
          rows={3}
          values={form.values}
          errors={form.errors}
        />
        <Radios name="severity" legend="How severe it is" options={page.choices.severity} form={form} />
        <Radios name="occurrence" legend={page.factorWords.occurrence} options={page.choices.occurrence} form={form} />
        <Radios name="intentional" legend={page.factorWords.intent} options={page.choices.intentional} form={form} />
        <Radios name="advisedBeforehand" legend={page.factorWords.advisedBeforehand} options={yesNo} form={form} />
        <TextArea
          name="otherRelevantInformation"
          label={`${page.factorWords.otherRelevantInformation} (optional)`}
          rows={2}
          values={form.values}
          errors={form.errors}
        />
        <h3>The decision</h3>
        <Radios name="violation" legend="Has there been a violation?" options={yesNo} form={form} />
        <Radios name="decidedBy" legend="Determined by" options={page.choices.decidedBy} form={form} />
        <fieldset className="ow-choice" id={fieldId('actions')}>
          <legend>Actions the Board takes (when it has determined a violation)</legend>
          {page.choices.actions.map((a) => (
            <div className="ow-check" key={a.value}>
              <input
                type="checkbox"
                id={`${fieldId('actions')}-${a.value}`}
                name="actions"
                value={a.value}
                defaultChecked={fieldHas(form.values, 'actions', a.value)}
              />
              <label htmlFor={`${fieldId('actions')}-${a.value}`}>{a.label}</label>
            </div>
          ))}
          <FieldError name="actions" errors={form.errors} />
        </fieldset>
        <fieldset className="ow-choice" id={fieldId('suspensionPay')}>
          <legend>With a suspension: pay</legend>
          {(['with', 'without'] as const).map((v) => (
            <div className="ow-check" key={v}>
              <input
                type="radio"
                id={`${fieldId('suspensionPay')}-${v}`}
                name="suspensionPay"
                value={v}
                defaultChecked={fieldHas(form.values, 'suspensionPay', v)}
              />
              <label htmlFor={`${fieldId('suspensionPay')}-${v}`}>{v === 'with' ? 'With pay' : 'Without pay'}</label>
            </div>
          ))}
          <FieldError name="suspensionPay" errors={form.errors} />
        </fieldset>
        <fieldset className="ow-choice" id={fieldId('suspensionBenefits')}>
          <legend>With a suspension: benefits</legend>
          {(['with', 'without'] as const).map((v) => (
            <div className="ow-check" key={v}>
              <input
                type="radio"
                id={`${fieldId('suspensionBenefits')}-${v}`}
                name="suspensionBenefits"
                value={v}
                defaultChecked={fieldHas(form.values, 'suspensionBenefits', v)}
              />
              <label htmlFor={`${fieldId('suspensionBenefits')}-${v}`}>{v === 'with' ? 'With benefits' : 'Without benefits'}</label>
            </div>
          ))}
          <FieldError name="suspensionBenefits" errors={form.errors} />
        </fieldset>
        <TextArea name="rationale" label="The Board’s reasons" required rows={3} values={form.values} errors={form.errors} />
        <h3>Your signature</h3>
        <p className="hint">
          You sign: “Signed the Board’s determination”, as a director, for the Board of Directors, with your printed name, title and the
          time.
        </p>
        <TextArea name="note" label="Your note (optional)" rows={2} values={form.values} errors={form.errors} />
        <PasswordField id="record-password" error={form.errors.password} />
        <button type="submit" className="primary-button">
          Record and sign the determination
        </button>
      </Form>
    </section>
  )
}

function SignaturesPanel({ page, form }: { page: DeterminationPageData; form: ReturnType<Errors> }) {
  const signing = page.path === 'decided'
  return (
    <section aria-labelledby="signatures-title" className="ow-panel">
      <h2 id="signatures-title">The directors’ signatures</h2>
      <ol id="determination-signatures">
        {page.signatures.map((s) => (
          <li key={s.id}>
            <strong>
              <UserText>{s.name}</UserText>
            </strong>
            , <UserText>{s.title}</UserText> — signed {s.signedAt} <span className="ow-muted">({s.signedAtLocal})</span>
            {s.note ? (
              <>
                <br />
                <UserText>{s.note}</UserText>
              </>
            ) : null}
          </li>
        ))}
      </ol>
      <h3>{signing ? 'Yet to sign' : 'Did not sign'}</h3>
      {page.notSigned.length === 0 ? (
        <p id="determination-not-signed">Every director who may take part has signed.</p>
      ) : (
        <ul id="determination-not-signed">
          {page.notSigned.map((d) => (
            <li key={d.id}>
              {d.name}, {d.title}
            </li>
          ))}
        </ul>
      )}
      {page.allowed.sign ? (
        <Form method="post" className="ow-duty-form" aria-labelledby="sign-title">
          <h3 id="sign-title">Sign the determination</h3>
          <p className="hint">Sign only if you took this determination. Once the notice is given, no one else can sign.</p>
          <input type="hidden" name="intent" value="sign" />
          <input type="hidden" name="expectedVersion" value={page.version} />
          <TextArea name="note" label="Your note (optional)" rows={2} values={form.values} errors={form.errors} />
          <PasswordField id="sign-password" error={form.errors.password} />
          <button type="submit" className="primary-button">
            Sign the determination
          </button>
        </Form>
      ) : signing && page.youSigned ? (
        <p>You have signed this determination.</p>
      ) : null}
    </section>
  )
}

function NoticePanel({ page, form }: { page: DeterminationPageData; form: ReturnType<Errors> }) {
  return (
    <section aria-labelledby="notice-title" className="ow-panel">
      <h2 id="notice-title">Written notice to the individual</h2>
      {page.notice ? (
        <>
          <p>Given {page.notice.at}.</p>
          <blockquote className="ow-duty-text">
            <UserText>{page.notice.text}</UserText>
          </blockquote>
          <p id="notice-acknowledgement">
            {page.acknowledgedAt
              ? `The individual acknowledged receipt on ${page.acknowledgedAt}.`
              : 'The individual has not acknowledged receipt yet.'}
          </p>
        </>
      ) : (
        <p>Not given yet.</p>
      )}
      {page.allowed.giveNotice ? (
        <Form method="post" className="ow-duty-form" aria-labelledby="give-notice-title">
          <h3 id="give-notice-title">Give the written notice</h3>
          <p className="hint">
            The individual reads the notice, its actions, its date and the directors who signed it on a page of their own, and downloads it
            as a PDF; they never see the matter’s notes, messages, reporter or files.
          </p>
          <input type="hidden" name="intent" value="giveNotice" />
          <input type="hidden" name="expectedVersion" value={page.version} />
          <TextArea
            name="noticeText"
            label="The notice"
            required
            rows={5}
            defaultValue={page.suggestedNotice}
            values={form.values}
            errors={form.errors}
          />
          <button type="submit" className="primary-button">
            Give the notice
          </button>
        </Form>
      ) : null}
      {page.closedAt ? <p>Closed {page.closedAt}.</p> : null}
      {page.allowed.close ? (
        <Form method="post" className="ow-duty-form" aria-labelledby="close-title">
          <h3 id="close-title">Close the determination</h3>
          {!page.acknowledgedAt ? (
            <p className="hint">The individual has not acknowledged the notice yet; the Board may close without it.</p>
          ) : null}
          <input type="hidden" name="intent" value="close" />
          <input type="hidden" name="expectedVersion" value={page.version} />
          <button type="submit" className="ow-secondary-button">
            Close the determination
          </button>
        </Form>
      ) : null}
    </section>
  )
}

// A 429 from a locked signature says when to try again (the action sets it), as on the filing page.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

export const meta: MetaFunction<typeof loader> = ({ data, error }) =>
  error ? errorMeta(error) : [{ title: data ? `The Board’s determination · Case ${data.caseId}` : 'The Board’s determination' }]

export const ErrorBoundary = RouteErrorBoundary
