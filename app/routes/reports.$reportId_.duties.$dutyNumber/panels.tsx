// The duty page's panels. Each draws one part of the page from the loader's data;
// forms post to the route's action with their intent and the workflow version seen.
import { Form, Link, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import type { DutyAnswers } from '../../../machines/duty-answers'
import type { DutyReopenReason } from '../../../machines/duty-review'
import { AnswerSummary } from '../../components/answer-summary'
import { ExceptionFields, type AnswerFormContext } from '../../components/duty-answer-fields'
import { TextField } from '../../components/form-fields'
import { ManifestationPreviewList, StoredSignOffList, type ManifestationPreview, type StoredSignOff } from '../../components/sign-off'
import type { FieldErrors, FieldValues, Intent } from '../../utils/duty-forms'

const REOPEN_WORDS: Record<DutyReopenReason, string> = {
  newDraft: 'Reopened by a new draft',
  withdrawn: 'Signature withdrawn',
  sentBack: 'Sent back by a committee',
}

export function SubmitButton({
  intent,
  label,
  pending,
  secondary,
}: {
  intent: Intent
  label: string
  pending: string
  secondary?: boolean
}) {
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

/** The hidden fields every form of the page carries: what it asks for, and the version of the workflow it was drawn from. */
export function IntentFields({ intent, version }: { intent: Intent; version: number }) {
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="expectedVersion" value={version} />
    </>
  )
}

function Panel({ id, title, className, children }: { id: string; title: string; className?: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className={`ow-panel${className ? ` ${className}` : ''}`}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  )
}

export function DutyWordsPanel({ duty }: { duty: { text: string; goesTo: string[]; boundToDraft: boolean } }) {
  return (
    <Panel id="words-title" title="The duty, in the Code’s words">
      <blockquote className="ow-duty-text ow-duty-text-large">{duty.text}</blockquote>
      {duty.goesTo.length ? <p className="hint">Matters under this duty go to {duty.goesTo.join(' and ')}.</p> : null}
      {duty.boundToDraft ? <p className="hint">A sign-off here is about one draft: a newer draft reopens it.</p> : null}
    </Panel>
  )
}

export function StatePanel({
  workflow,
  inCommitteeReview,
}: {
  workflow: {
    path: string
    stateLabel: string
    waitingFor: string
    version: number
    reopenedBy: { reason: DutyReopenReason; at: string } | null
  }
  inCommitteeReview: boolean
}) {
  return (
    <Panel id="state-title" title="Where it stands" className="ow-state-panel">
      <p>
        <span className={`ow-state-badge ow-state-${workflow.path.replaceAll('.', '-')}`}>{workflow.stateLabel}</span>
      </p>
      <p className="ow-waiting" id="waiting-for">
        {workflow.waitingFor}
      </p>
      {workflow.reopenedBy ? (
        <p className="hint">
          {REOPEN_WORDS[workflow.reopenedBy.reason]} on {workflow.reopenedBy.at}.
        </p>
      ) : null}
      {inCommitteeReview ? <p className="ow-notice">Every signature is in: the report is in committee review.</p> : null}
    </Panel>
  )
}

export function SignOffPanel({ signOff }: { signOff: StoredSignOff }) {
  return (
    <Panel id="sign-off-title" title="Your sign-off" className="ow-sign-off-panel">
      <StoredSignOffList s={signOff} />
    </Panel>
  )
}

export function ExceptionPanel({
  exception,
}: {
  exception: { explanation: string; caseId: string; acknowledged: boolean; caseDescription: string | null }
}) {
  return (
    <Panel id="exception-title" title="Exception" className="ow-exception-panel">
      <p>{exception.explanation}</p>
      <p>
        Case{' '}
        <Link to={`/cases/${exception.caseId}`}>
          <code>{exception.caseId}</code>
        </Link>
        {exception.acknowledged
          ? ': every recipient has acknowledged it.'
          : exception.caseDescription
            ? `: ${exception.caseDescription}`
            : ': waiting for its recipients to acknowledge it.'}
      </p>
    </Panel>
  )
}

export function AnswersPanel({
  dutyNumber,
  answers,
  adverse,
  timeZone,
}: {
  dutyNumber: number
  answers: unknown
  adverse: string | null
  timeZone: string
}) {
  return (
    <Panel id="answers-title" title="Your recorded answers">
      <AnswerSummary dutyNumber={dutyNumber} answers={answers as DutyAnswers} timeZone={timeZone} />
      {adverse ? (
        <p className="ow-notice">
          An exception is needed before you can sign: {adverse}. Raise it below, with a written explanation and a case.
        </p>
      ) : null}
    </Panel>
  )
}

export function ConfirmPanel({ version }: { version: number }) {
  return (
    <Panel id="confirm-title" title="Confirm" className="ow-action-panel">
      <p>Confirming says these answers are final; you then sign.</p>
      <Form method="post">
        <IntentFields intent="confirm" version={version} />
        <SubmitButton intent="confirm" label="Confirm my answers" pending="Confirming…" />
      </Form>
    </Panel>
  )
}

export function RaiseExceptionPanel({
  ctx,
  version,
  values,
  errors,
  secondary,
}: {
  ctx: AnswerFormContext
  version: number
  values: FieldValues
  errors: FieldErrors
  secondary: boolean
}) {
  return (
    <Panel id="exception-form-title" title="Raise an exception" className="ow-action-panel">
      <p>
        An exception is signed as part of your attestation. It needs a written explanation and a case, and every recipient of the case must
        acknowledge it before you can sign.
      </p>
      <Form method="post" className="ow-duty-form">
        <IntentFields intent="raiseException" version={version} />
        <ExceptionFields ctx={ctx} values={values} errors={errors} />
        <SubmitButton intent="raiseException" label="Raise the exception" pending="Raising…" secondary={secondary} />
      </Form>
    </Panel>
  )
}

export function SignPanel({
  preview,
  dutyNumber,
  version,
  errors,
}: {
  preview: ManifestationPreview
  dutyNumber: number
  version: number
  errors: FieldErrors
}) {
  return (
    <Panel id="sign-title" title="Sign" className="ow-action-panel ow-sign-panel">
      <p>This is the signature you are about to make:</p>
      <ManifestationPreviewList m={preview} />
      <Form method="post" className="ow-sign-form">
        <IntentFields intent="sign" version={version} />
        <TextField
          name="password"
          type="password"
          required
          autoComplete="current-password"
          label="Your password, to sign"
          hint="Asked again for every signature: the signature must be your own act."
          errors={errors}
        />
        <SubmitButton intent="sign" label={`Sign duty ${dutyNumber}`} pending="Signing…" />
      </Form>
    </Panel>
  )
}

export function WithdrawPanel({ dutyNumber, version, errors }: { dutyNumber: number; version: number; errors: FieldErrors }) {
  return (
    <Panel id="withdraw-title" title="Withdraw your signature" className="ow-action-panel">
      <p>Until the report is approved for filing you may withdraw this signature; the sign-off stays on record as withdrawn.</p>
      <Form method="post">
        <IntentFields intent="withdraw" version={version} />
        <div className="ow-check">
          <input
            id="f-confirmWithdraw"
            type="checkbox"
            name="confirmWithdraw"
            required
            aria-invalid={errors.confirmWithdraw ? true : undefined}
            aria-describedby={errors.confirmWithdraw ? 'f-confirmWithdraw-error' : undefined}
          />
          <label htmlFor="f-confirmWithdraw">I withdraw my signature of duty {dutyNumber}</label>
        </div>
        {errors.confirmWithdraw ? (
          <p className="field-error" id="f-confirmWithdraw-error">
            {errors.confirmWithdraw}
          </p>
        ) : null}
        <SubmitButton intent="withdraw" label="Withdraw my signature" pending="Withdrawing…" secondary />
      </Form>
    </Panel>
  )
}

export function EarlierSignOffsPanel({ signOffs }: { signOffs: StoredSignOff[] }) {
  return (
    <Panel id="earlier-title" title="Earlier sign-offs of this duty">
      <p className="hint">Withdrawn, or voided by a new draft. They stay on record.</p>
      {signOffs.map((s) => (
        <StoredSignOffList key={s.id} s={s} />
      ))}
    </Panel>
  )
}

export function NothingToDoPanel({ waitingFor }: { waitingFor: string }) {
  return (
    <Panel id="nothing-title" title="Nothing for you to do now">
      <p>{waitingFor}</p>
    </Panel>
  )
}

/** After a signature: straight on to the next duty that still needs this officer, or back to the report. */
export function NextDutyPanel({ reportId, next }: { reportId: string; next: { number: number; title: string } | null }) {
  return (
    <Panel id="next-title" title="What comes next" className="ow-next-panel">
      {next ? (
        <p>
          <Link to={`/reports/${reportId}/duties/${next.number}`} className="primary-button">
            Next duty: {next.number}. {next.title}
          </Link>
        </p>
      ) : (
        <>
          <p>Every one of your duties for this report is signed.</p>
          <p>
            <Link to={`/reports/${reportId}`} className="primary-button">
              Back to the report
            </Link>
          </p>
        </>
      )}
    </Panel>
  )
}

/** The draft a duty is about, downloadable by its file name, with the SHA-256 a signature names. */
export function DraftLink({
  reportId,
  draft,
}: {
  reportId: string
  draft: { id: string; version: number; fileName: string; sha256: string } | null
}) {
  return (
    <Panel id="draft-title" title="The draft you attest to">
      {draft ? (
        <>
          <p>
            Download draft {draft.version}:{' '}
            <a href={`/reports/${reportId}/drafts/${draft.id}`} download={draft.fileName}>
              {draft.fileName}
            </a>
          </p>
          <p className="hint">
            Its SHA-256 fingerprint: <code className="ow-hash">{draft.sha256}</code>
          </p>
        </>
      ) : (
        <p>No draft has been registered yet: this duty can be answered once there is one.</p>
      )}
    </Panel>
  )
}
