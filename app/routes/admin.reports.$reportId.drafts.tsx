import { createHash, randomUUID } from 'node:crypto'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { beginCertification, registerDraft } from '../../db/commands'
import { listReportDrafts } from '../../db/queries/admin'
import { getPeriodicReport } from '../../db/queries/reports'
import type { PeriodicReport } from '../../db/schema'
import { findReportLifecycle } from '../../db/queries/workflows'
import type { Actor } from '../../db/workflow-record'
import { statePath } from '../../machines/primitives'
import { REPORT_STATE_LABELS, describeReportState } from '../../machines/report-lifecycle'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { UserText } from '../components/user-text'
import { requireRole, type CurrentUser } from '../utils/auth.server'
import { REPORT_ADMIN_ROLES, REPORT_READER_ROLES, officerRolesOf } from '../utils/permissions.server'
import { getDb } from '../utils/db.server'
import { refusalFor } from '../utils/domain-errors.server'
import { storeDraftFile } from '../../db/draft-files'
import { describePeriod, formatInstantUtc } from '../utils/format'
import { readFormData } from '../utils/form-data.server'
import { requireSameOrigin } from '../utils/request-security.server'
import { getRecord } from '../utils/workflow.server'

const MAX_DRAFT_BYTES = 25 * 1024 * 1024
// Room for the multipart envelope around the file: its boundaries, headers and the intent field.
const MAX_FORM_BYTES = MAX_DRAFT_BYTES + 64 * 1024
const TOO_LARGE = `The file is larger than ${MAX_DRAFT_BYTES / 1024 / 1024} MiB: nothing was registered.`

async function loadReport(reportId: string | undefined) {
  const report = reportId ? await getPeriodicReport(await getDb(), reportId) : undefined
  if (!report)
    throw new Response('There is no such periodic report.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  return report
}

/** The report's lifecycle as the record has it; a report without a workflow yet is in its initial state. */
async function lifecycleOf(report: PeriodicReport) {
  const record = await getRecord()
  const { snapshot, context } = await findReportLifecycle(record.db, record, report)
  return { record, snapshot, context }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, REPORT_ADMIN_ROLES)
  const report = await loadReport(params.reportId)
  const { snapshot, context } = await lifecycleOf(report)
  // The report page is for the officers and the reviewing bodies: the administrator is not linked to a page that refuses them.
  const readsReport = officerRolesOf(user.roles).length > 0 || user.roles.some((r) => REPORT_READER_ROLES.includes(r))
  const drafts = await listReportDrafts(await getDb(), report.id)
  return {
    report: { id: report.id, form: report.form, period: describePeriod(report) },
    readsReport,
    drafts: drafts.map((d) => ({ ...d, isCurrent: d.id === report.current_draft_id })),
    lifecycle: {
      state: statePath(snapshot.value).split('.')[0] ?? '',
      description: describeReportState({ value: snapshot.value, context }),
      canBeginCertification: snapshot.can({ type: 'report.beginCertification' }),
      // Asked of the machine with a digest no draft has: once approved for filing, no draft is taken.
      acceptsDrafts: snapshot.can({ type: 'report.registerDraft', sha256: '0'.repeat(64), at: new Date().toISOString() }),
    },
    maxMiB: MAX_DRAFT_BYTES / 1024 / 1024,
  }
}

const UploadDraftSchema = z.object({
  intent: z.literal('uploadDraft'),
  draft: z
    .instanceof(File, { error: 'Choose the draft file to upload.' })
    .refine((file) => file.name !== '' || file.size > 0, { error: 'Choose the draft file to upload.' })
    .refine((file) => file.size > 0, { error: 'The file is empty (0 bytes): nothing was registered. Choose the draft itself.' }),
})

const IntentSchema = z.enum(['uploadDraft', 'beginCertification'], {
  error: 'Nothing was done: the form sent was not one this page offers.',
})

type ActionResult = { ok: true; message: string; detail?: string } | { ok: false; message: string }

function refused(message: string, status: number) {
  return data<ActionResult>({ ok: false, message }, { status })
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const user = await requireRole(request, REPORT_ADMIN_ROLES)
  const report = await loadReport(params.reportId)
  const actor: Actor = { userId: user.id, role: user.roles.find((role) => REPORT_ADMIN_ROLES.includes(role))! }
  // Both forms of this page, the upload (multipart) and begin certification (urlencoded), are read the same way.
  const form = await readFormData(request, { maxBytes: MAX_FORM_BYTES, tooLargeMessage: TOO_LARGE })
  const intent = IntentSchema.safeParse(form.get('intent'))
  if (!intent.success) return refused(intent.error.issues[0]!.message, 400)
  try {
    if (intent.data === 'uploadDraft') return await uploadDraft(form, report, user, actor)
    return await startCertification(report, actor)
  } catch (error) {
    const refusal = refusalFor(error)
    if (refusal) return refused(refusal.message, refusal.status)
    throw error
  }
}

async function uploadDraft(form: FormData, report: PeriodicReport, user: CurrentUser, actor: Actor) {
  const parsed = UploadDraftSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) return refused(parsed.error.issues[0]?.message ?? 'Choose the draft file to upload.', 400)
  // A file just over the limit fits in the form's allowance: refused here, on the page, with the same words.
  if (parsed.data.draft.size > MAX_DRAFT_BYTES) return refused(TOO_LARGE, 413)

  const bytes = new Uint8Array(await parsed.data.draft.arrayBuffer())
  // Computed here, never taken from the client: duties 6, 10 and 12 are signed
  // against this digest, so it must be of the bytes the server holds.
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const { record, snapshot, context } = await lifecycleOf(report)
  if (context.currentDraft?.sha256 === sha256) {
    return refused('This file is already the current draft (same SHA-256): nothing was registered.', 409)
  }
  if (!snapshot.can({ type: 'report.registerDraft', sha256, at: new Date().toISOString() })) {
    return refused('This report has been approved for filing: it takes no new draft.', 409)
  }
  // Written before the transaction: a draft row must never name a file that is
  // not on disk. A file left over by a failed transaction is harmless (content-addressed).
  await storeDraftFile(sha256, bytes)
  const result = await registerDraft(record, {
    reportId: report.id,
    draftId: `draft-${randomUUID()}`,
    sha256,
    sizeBytes: bytes.byteLength,
    fileName: cleanFileName(parsed.data.draft.name),
    uploadedBy: { ...actor, userId: user.id },
  })
  const reopened = result.reopened.length
  return data<ActionResult>({
    ok: true,
    message: `Draft ${result.version} is now the current draft of the Form ${report.form}, registered by ${user.fullName}.`,
    // Duties 6, 10 and 12 speak of "a draft" and "the draft": a sign-off there is about one draft only.
    detail:
      reopened === 0
        ? 'No duty workflow had to be reopened: no officer had answered or signed duties 6, 10 or 12 of an earlier draft.'
        : `${reopened} duty workflow${reopened === 1 ? ' was' : 's were'} reopened: duties 6, 10 and 12 (review of the draft, meetings on the draft, the auditors' confirmation) must be done again on this draft.`,
  })
}

async function startCertification(report: PeriodicReport, actor: Actor) {
  const { record, snapshot } = await lifecycleOf(report)
  if (!snapshot.can({ type: 'report.beginCertification' })) {
    return refused('Certification cannot begin now: it begins once, from drafting, after a first draft is registered.', 409)
  }
  await beginCertification(record, { reportId: report.id, actor })
  return data<ActionResult>({
    ok: true,
    message: 'Certification has begun.',
    detail: 'The CEO, the CFO and the CAO/Controller can now answer and sign the twelve duties of the Code of Ethics for this report.',
  })
}

/** The name as uploaded, minus control characters, at most 255 characters. */
function cleanFileName(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 255)
  return cleaned || 'draft'
}

export default function ReportDrafts() {
  const { report, readsReport, drafts, lifecycle, maxMiB } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting' ? navigation.formData?.get('intent') : null
  const current = drafts.find((d) => d.isCurrent)
  return (
    <section className="admin-page" aria-labelledby="drafts-title">
      <p className="breadcrumbs">
        <Link to="/">Periodic reports</Link> <span aria-hidden="true">›</span>{' '}
        {readsReport ? <Link to={`/reports/${report.id}`}>Form {report.form}</Link> : `Form ${report.form}`}{' '}
        <span aria-hidden="true">›</span> Drafts
      </p>
      <h1 id="drafts-title">Drafts of the Form {report.form}</h1>
      <p className="page-lede">{report.period}</p>

      {actionData ? (
        actionData.ok ? (
          <div role="status" className="form-success">
            <p>
              <strong>{actionData.message}</strong>
            </p>
            {actionData.detail ? <p>{actionData.detail}</p> : null}
          </div>
        ) : (
          <div role="alert" className="form-error">
            <p>{actionData.message}</p>
          </div>
        )
      ) : null}

      <div className="panel-grid">
        <section className="panel" aria-labelledby="status-title">
          <h2 id="status-title">
            Where the report stands <span className="state-badge">{REPORT_STATE_LABELS[lifecycle.state] ?? 'Unknown'}</span>
          </h2>
          <p>{lifecycle.description}</p>
          {lifecycle.canBeginCertification ? (
            <Form method="post" className="form-actions">
              <input type="hidden" name="intent" value="beginCertification" />
              <button type="submit" className="primary-button" disabled={busy === 'beginCertification'}>
                {busy === 'beginCertification' ? 'Beginning…' : 'Begin certification'}
              </button>
              <span className="hint">
                The officers sign against draft {current?.version ?? '?'}; a later draft reopens duties 6, 10 and 12.
              </span>
            </Form>
          ) : lifecycle.state === 'drafting' ? (
            <p className="hint">Certification can begin once a first draft is registered.</p>
          ) : null}
        </section>

        <section className="panel" aria-labelledby="upload-title">
          <h2 id="upload-title">Register a new draft</h2>
          {lifecycle.acceptsDrafts ? (
            // Keyed by the number of drafts, so the file field empties once a draft is registered.
            <Form method="post" encType="multipart/form-data" key={drafts.length}>
              <input type="hidden" name="intent" value="uploadDraft" />
              <div className="field">
                <label htmlFor="draft">Draft file</label>
                <input id="draft" name="draft" type="file" required aria-describedby="draft-hint" />
                <p className="hint" id="draft-hint">
                  Up to {maxMiB} MiB. The server computes its SHA-256, which the officers&rsquo; sign-offs of duties 6, 10 and 12 name;
                  {drafts.length > 0 ? ' a new draft reopens those duties for every officer.' : ' this will be the first draft.'}
                </p>
              </div>
              <button type="submit" className="primary-button" disabled={busy === 'uploadDraft'}>
                {busy === 'uploadDraft' ? 'Registering…' : 'Register draft'}
              </button>
            </Form>
          ) : (
            <p className="hint">
              This report has been approved for filing: what was signed is what goes to the SEC, so it takes no new draft.
            </p>
          )}
        </section>
      </div>

      <section aria-labelledby="list-title">
        <h2 id="list-title">Drafts</h2>
        {drafts.length === 0 ? (
          <p className="empty-state">No draft registered yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="drafts-table">
              <caption className="visually-hidden">Drafts of the report, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">File</th>
                  <th scope="col">Size</th>
                  <th scope="col">SHA-256</th>
                  <th scope="col">Registered by</th>
                  <th scope="col">Registered (UTC)</th>
                </tr>
              </thead>
              <tbody>
                {drafts.map((d) => (
                  <tr key={d.id} className={d.isCurrent ? 'is-current' : undefined}>
                    <th scope="row">
                      Draft {d.version}
                      {d.isCurrent ? <span className="current-badge">Current</span> : null}
                    </th>
                    <td className="file-name">
                      <UserText>{d.file_name}</UserText>
                    </td>
                    <td className="numeric">{formatBytes(d.size_bytes)}</td>
                    <td>
                      <code className="digest">{d.sha256}</code>
                    </td>
                    <td>
                      <UserText>{d.uploaded_by_name}</UserText>
                    </td>
                    <td>{formatInstantUtc(d.uploaded_at).replace(/ UTC$/, '')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  )
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes.toLocaleString('en-US')} ${bytes === 1 ? 'byte' : 'bytes'}`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

export const meta: MetaFunction<typeof loader> = ({ data, error }) =>
  error
    ? errorMeta(error)
    : [{ title: data ? `Drafts · Form ${data.report.form}, ${data.report.period} · Code of Ethics attestations` : 'Drafts' }]

export const ErrorBoundary = RouteErrorBoundary
