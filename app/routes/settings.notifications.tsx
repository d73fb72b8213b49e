import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { saveNotificationSetting } from '../../db/commands'
import { notificationModeOf } from '../../db/queries/notifications'
import { IMMEDIATE_MAILS_A_DAY } from '../../machines/reminders'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { ErrorSummary, StatusMessage } from '../components/form-fields'
import { requireUser } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { readFormData } from '../utils/form-data.server'
import { requireSameOrigin } from '../utils/request-security.server'

// Each person chooses how the app writes to them (issue 11): their own setting
// only — the user comes from the session, never from the form.

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const db = await getDb()
  return { mode: await notificationModeOf(db, user.id), email: user.email, perDay: IMMEDIATE_MAILS_A_DAY }
}

const SettingSchema = z.strictObject({
  mode: z.enum(['immediate', 'digest'], {
    message: 'Choose how you want to hear from the app: each mail as it happens, or one digest a day.',
  }),
})

export async function action({ request }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const user = await requireUser(request)
  const form = await readFormData(request)
  const parsed = SettingSchema.safeParse({ mode: form.get('mode') ?? undefined })
  if (!parsed.success) {
    return data({ message: 'Nothing was changed.', fieldErrors: { mode: parsed.error.issues[0]!.message } }, { status: 400 })
  }
  await saveNotificationSetting(await getDb(), { userId: user.id, mode: parsed.data.mode })
  throw redirect('/settings/notifications?saved=1')
}

export default function NotificationSettings() {
  const { mode, email, perDay } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li aria-current="page">Your notifications</li>
        </ol>
      </nav>
      <h1>Your notifications</h1>
      <p className="page-lede">
        The app writes to you at <strong>{email}</strong> when something needs you: a matter routed to you, a report sent back, a deadline
        close, a notice. Each mail links to its page and says why you receive it; what a matter says stays in the app.
      </p>
      {params.get('saved') && !result ? <StatusMessage message="Saved: how the app writes to you." /> : null}
      {result ? <ErrorSummary message={result.message} fieldErrors={result.fieldErrors} /> : null}
      <Form method="post" className="ow-form">
        <fieldset aria-describedby="mode-hint">
          <legend>How do you want to hear from the app?</legend>
          <p id="mode-hint" className="hint">
            A matter routed to you, and a written notice addressed to you, always come at once.
          </p>
          <div className="ow-radio">
            <input type="radio" id="mode-immediate" name="mode" value="immediate" defaultChecked={mode === 'immediate'} />
            <label htmlFor="mode-immediate">
              Each mail as it happens (after {perDay} in one day, the rest of that day come together in the next morning’s digest)
            </label>
          </div>
          <div className="ow-radio">
            <input type="radio" id="mode-digest" name="mode" value="digest" defaultChecked={mode === 'digest'} />
            <label htmlFor="mode-digest">One digest a day, the morning after</label>
          </div>
        </fieldset>
        <button type="submit" className="ow-secondary-button">
          Save
        </button>
      </Form>
    </>
  )
}

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: 'Your notifications · Code of Ethics attestations' }]
export const ErrorBoundary = RouteErrorBoundary
