import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { getInstalledCompany } from '../../db/queries/company'
import { findReviewBodySetting, listBodyMembers, saveReviewBodySetting } from '../../db/queries/review'
import { REVIEW_BODIES } from '../../machines/report-lifecycle'
import { bodyTitle } from '../../machines/roles'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { ErrorSummary, StatusMessage } from '../components/form-fields'
import { requireRole } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { readFormData } from '../utils/form-data.server'
import { requireSameOrigin } from '../utils/request-security.server'

// Who signs a committee's step on a periodic report: a setting of the company
// (issue 8). By default the chair; any member when the chair is the subject of
// a matter on the report or absent (machines/review-signers.ts decides).

async function companyOrThrow() {
  const db = await getDb()
  const company = await getInstalledCompany(db)
  if (!company) throw new Response('No company has been set up yet.', { status: 503 })
  return { db, company }
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['administrator'])
  const { db, company } = await companyOrThrow()
  const today = new Date().toISOString().slice(0, 10)
  const bodies = await Promise.all(
    REVIEW_BODIES.map(async (body) => ({
      body,
      title: bodyTitle(body),
      ...(await findReviewBodySetting(db, company.id, body)),
      members: (await listBodyMembers(db, body, today)).map((m) => ({ id: m.id, name: m.full_name, title: m.title })),
    })),
  )
  return { bodies }
}

const SettingSchema = z.strictObject({
  body: z.enum(REVIEW_BODIES, { message: 'Choose the committee.' }),
  rule: z.enum(['chair', 'any_member'], { message: 'Choose who signs: the chair, or any member.' }),
  chairUserId: z.string().max(200),
})

export async function action({ request }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const user = await requireRole(request, ['administrator'])
  const { db, company } = await companyOrThrow()
  const form = await readFormData(request)
  const parsed = SettingSchema.safeParse({ body: form.get('body'), rule: form.get('rule'), chairUserId: form.get('chairUserId') ?? '' })
  if (!parsed.success) {
    return data(
      { message: 'Nothing was changed.', fieldErrors: { [String(parsed.error.issues[0]!.path[0])]: parsed.error.issues[0]!.message } },
      { status: 400 },
    )
  }
  const { body, rule, chairUserId } = parsed.data
  const members = await listBodyMembers(db, body, new Date().toISOString().slice(0, 10))
  if (chairUserId !== '' && !members.some((m) => m.id === chairUserId)) {
    return data(
      { message: 'Nothing was changed.', fieldErrors: { chairUserId: `The chair must be a current member of the ${bodyTitle(body)}.` } },
      { status: 400 },
    )
  }
  await saveReviewBodySetting(db, {
    companyId: company.id,
    body,
    rule,
    chairUserId: chairUserId || null,
    updatedBy: user.id,
    at: new Date(),
  })
  throw redirect(`/admin/committee-signers?saved=${body}`)
}

export default function CommitteeSigners() {
  const { bodies } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const saved = params.get('saved')
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li aria-current="page">Who signs for the committees</li>
        </ol>
      </nav>
      <h1>Who signs for the committees</h1>
      <p className="page-lede">
        The Disclosure Committee approves each periodic report and the Audit Committee reviews it. Choose who signs for each: its chair (any
        other member signs when the chair is the subject of a matter on the report, or when there is no chair), or any member.
      </p>
      {saved && !result ? (
        <StatusMessage
          message={`Saved: who signs for the ${saved === 'disclosure_committee' || saved === 'audit_committee' ? bodyTitle(saved) : 'committee'}.`}
        />
      ) : null}
      {result ? <ErrorSummary message={result.message} fieldErrors={result.fieldErrors} /> : null}
      {bodies.map((b) => (
        <section key={b.body} aria-labelledby={`${b.body}-title`} className="ow-panel">
          <h2 id={`${b.body}-title`}>{b.title}</h2>
          <Form method="post" className="ow-form">
            <input type="hidden" name="body" value={b.body} />
            <fieldset>
              <legend>Who signs for the {b.title}</legend>
              <div className="ow-radio">
                <input type="radio" id={`${b.body}-chair`} name="rule" value="chair" defaultChecked={b.rule === 'chair'} />
                <label htmlFor={`${b.body}-chair`}>Its chair</label>
              </div>
              <div className="ow-radio">
                <input type="radio" id={`${b.body}-any`} name="rule" value="any_member" defaultChecked={b.rule === 'any_member'} />
                <label htmlFor={`${b.body}-any`}>Any member</label>
              </div>
            </fieldset>
            <div className="field">
              <label htmlFor={`${b.body}-chair-person`}>Chair</label>
              <select id={`${b.body}-chair-person`} name="chairUserId" defaultValue={b.chairUserId ?? ''}>
                <option value="">No chair at present</option>
                {b.members.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}, {m.title}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="ow-secondary-button">
              Save for the {b.title}
            </button>
          </Form>
        </section>
      ))}
    </>
  )
}

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: 'Who signs for the committees · Code of Ethics attestations' }]
export const ErrorBoundary = RouteErrorBoundary
