import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { acknowledgeDeterminationNotice } from '../../db/commands'
import { findNoticeFacts } from '../../db/queries/determinations'
import { decisionActionWords, determinationWords } from '../../machines/determination-words'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { ErrorSummary, StatusMessage } from '../components/form-fields'
import { UserText } from '../components/user-text'
import { requireUser } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { conflictRefusal, refusalFor } from '../utils/domain-errors.server'
import { ExpectedVersionSchema } from '../utils/duty-forms.server'
import { formatInstantUtc } from '../utils/format'
import { readFormData } from '../utils/form-data.server'
import { refuseIdentityFields, requireNoticeAddressee } from '../utils/permissions.server'
import { requireSameOrigin } from '../utils/request-security.server'
import { getRecord } from '../utils/workflow.server'
import { data } from '@remix-run/node'

// The written notice of the Board's determination (duty 5: "written notices to
// the individual involved that the Board has determined that there has been a
// violation"), for that individual alone: the determination, its actions, its
// date and the directors who signed it; never the matter's notes, messages,
// reporter or files. The only page about a case its subject may open. Anyone
// else reads a 404, as for no notice at all (docs/decisions/017).

const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/

async function noticeFor(request: Request, caseIdParam: string | undefined) {
  const user = await requireUser(request)
  const caseId = caseIdParam ?? ''
  const db = await getDb()
  const record = await getRecord()
  const facts = CASE_ID.test(caseId) ? await findNoticeFacts(db, record, caseId) : undefined
  await requireNoticeAddressee(request, user, caseId, facts?.found, { db })
  return { user, record, facts: facts! }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { facts } = await noticeFor(request, params.caseId)
  return {
    caseId: facts.caseId,
    version: facts.found.version,
    company: facts.company?.name ?? '',
    individual: facts.individual,
    violation: facts.decision.violation,
    determination: determinationWords(facts.decision),
    actions: decisionActionWords(facts.decision),
    rationale: facts.decision.rationale,
    decidedAt: formatInstantUtc(facts.decidedAt),
    notice: { text: facts.notice!.text, at: formatInstantUtc(facts.notice!.at) },
    signatures: facts.signatures.map((s) => ({ id: s.id, name: s.name, title: s.title, signedAt: formatInstantUtc(s.signedAt) })),
    acknowledgedAt: facts.acknowledgedAt ? formatInstantUtc(facts.acknowledgedAt) : null,
    // The machine takes the acknowledgement once, by the individual, while the notice waits for it.
    mayAcknowledge: facts.found.snapshot.can({
      type: 'determination.acknowledgeNotice',
      byUserId: facts.individual.userId,
      at: new Date().toISOString(),
    }),
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const { user, record, facts } = await noticeFor(request, params.caseId)
  const form = await readFormData(request)
  await refuseIdentityFields(request, form, { user }, { message: 'Who acknowledges comes from your session, never from the form.' })
  if (form.get('intent') !== 'acknowledge') {
    return data({ message: 'This form asked for a step this page does not know. Reload the page.' }, { status: 400 })
  }
  const version = ExpectedVersionSchema.safeParse(form.get('expectedVersion') ?? undefined)
  if (!version.success) return data({ message: version.error.issues[0]!.message }, { status: 400 })
  if (version.data !== facts.found.version) return data({ message: conflictRefusal().message }, { status: conflictRefusal().status })
  try {
    await acknowledgeDeterminationNotice(record, { caseId: facts.caseId, userId: user.id, expectedVersion: version.data, at: new Date() })
  } catch (error) {
    const refusal = refusalFor(error)
    if (!refusal) throw error
    return data({ message: refusal.message }, { status: refusal.status })
  }
  throw redirect(`/notices/${facts.caseId}?done=acknowledged`)
}

export default function NoticePage() {
  const page = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const done = !actionData && searchParams.get('done') === 'acknowledged'
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li aria-current="page">Notice from the Board of Directors</li>
        </ol>
      </nav>
      <header className="ow-page-head">
        <p className="ow-eyebrow">{page.company} · Code of Ethics for the CEO and Senior Financial Officers, duty 5</p>
        <h1>Notice from the Board of Directors</h1>
      </header>
      {done ? <StatusMessage key="done" message="Your acknowledgement of receipt is recorded. The Board sees when you gave it." /> : null}
      {actionData ? <ErrorSummary message={actionData.message} /> : null}

      <section aria-labelledby="notice-title" className="ow-panel">
        <h2 id="notice-title">The notice</h2>
        <dl className="ow-facts">
          <div>
            <dt>To</dt>
            <dd>
              <UserText>{page.individual.name}</UserText>, <UserText>{page.individual.title}</UserText>
            </dd>
          </div>
          <div>
            <dt>Given</dt>
            <dd>{page.notice.at}</dd>
          </div>
          <div>
            <dt>Reference</dt>
            <dd>Matter {page.caseId}</dd>
          </div>
        </dl>
        <blockquote className="ow-duty-text" id="notice-text">
          <UserText>{page.notice.text}</UserText>
        </blockquote>
        <p>
          <a href={`/notices/${page.caseId}.pdf`} download>
            Download this notice (PDF)
          </a>
        </p>
      </section>

      <section aria-labelledby="determination-title" className="ow-panel">
        <h2 id="determination-title">The Board’s determination</h2>
        <p>
          <strong id="determination-words">{page.determination}</strong> Determined {page.decidedAt}.
        </p>
        {page.actions.length ? (
          <>
            <h3>Actions</h3>
            <ul id="notice-actions">
              {page.actions.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </>
        ) : null}
        <h3>The Board’s reasons</h3>
        <p className="ow-message">
          <UserText>{page.rationale}</UserText>
        </p>
        <h3>Signed by</h3>
        <ol id="notice-signatures">
          {page.signatures.map((s) => (
            <li key={s.id}>
              <UserText>{s.name}</UserText>, <UserText>{s.title}</UserText> — {s.signedAt}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="ack-title" className="ow-panel ow-action-panel">
        <h2 id="ack-title">Acknowledgement of receipt</h2>
        {page.acknowledgedAt ? (
          <p id="notice-acknowledged">You acknowledged receipt of this notice on {page.acknowledgedAt}.</p>
        ) : page.mayAcknowledge ? (
          <Form method="post" className="ow-duty-form">
            <p>Acknowledging receipt says that you have received this notice; it does not say that you agree with it.</p>
            <input type="hidden" name="intent" value="acknowledge" />
            <input type="hidden" name="expectedVersion" value={page.version} />
            <button type="submit" className="primary-button">
              Acknowledge receipt
            </button>
          </Form>
        ) : (
          <p>The Board has closed this matter; there is nothing to acknowledge.</p>
        )}
      </section>
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ error }) =>
  error ? errorMeta(error) : [{ title: 'Notice from the Board of Directors' }]

export const ErrorBoundary = RouteErrorBoundary
