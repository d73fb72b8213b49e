import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { getCurrentUser, safeRedirectTo, signIn } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { formatInstantUtc } from '../utils/format'
import { readFormData } from '../utils/form-data.server'
import { requireSameOrigin } from '../utils/request-security.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectTo(new URL(request.url).searchParams.get('redirectTo'))
  if (await getCurrentUser(request)) throw redirect(redirectTo)
  return { redirectTo }
}

const SignInSchema = z.object({
  email: z
    .string({ error: 'Enter your e-mail address.' })
    .trim()
    .min(1, { error: 'Enter your e-mail address.' })
    .max(254, { error: 'An e-mail address has at most 254 characters.' })
    .toLowerCase()
    .pipe(z.email({ error: 'Enter an e-mail address, like name@example.com.' })),
  // The cap keeps a megabyte "password" from tying up scrypt; real ones are far shorter.
  password: z
    .string({ error: 'Enter your password.' })
    .min(1, { error: 'Enter your password.' })
    .max(1024, { error: 'A password has at most 1,024 characters.' }),
  redirectTo: z.string().optional(),
})

// One message for an unknown e-mail, a wrong password and a deactivated account:
// telling them apart would tell an attacker which e-mails have accounts.
const WRONG_CREDENTIALS = 'The e-mail or password is not right.'

export async function action({ request }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  // An e-mail, a password of at most 1,024 characters (percent-encoded, up to 9 bytes each) and where to go next.
  const form = await readFormData(request, { maxBytes: 16 * 1024 })
  const email = typeof form.get('email') === 'string' ? String(form.get('email')) : ''
  const parsed = SignInSchema.safeParse(Object.fromEntries(form))
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors
    return data(
      { message: 'The form is not complete.', fieldErrors: { email: fieldErrors.email?.[0], password: fieldErrors.password?.[0] }, email },
      { status: 400 },
    )
  }

  const result = await signIn(await getDb(), parsed.data.email, parsed.data.password, request)
  if (result.ok) {
    return redirect(safeRedirectTo(parsed.data.redirectTo), { headers: { 'Set-Cookie': result.setCookie } })
  }
  if (result.reason === 'locked') {
    const retryAfter = Math.max(1, Math.ceil((new Date(result.lockedUntil).getTime() - Date.now()) / 1000))
    return data(
      {
        // The same words whether or not an account has this e-mail: the lock must not tell them apart.
        message: `Too many wrong passwords have been entered for this e-mail, at sign-in or when signing. Signing in, and signing, are refused until ${formatInstantUtc(result.lockedUntil)}. Try again then.`,
        fieldErrors: {},
        email,
      },
      { status: 429, headers: { 'Retry-After': String(retryAfter) } },
    )
  }
  return data({ message: WRONG_CREDENTIALS, fieldErrors: {}, email }, { status: 401 })
}

export default function Login() {
  const { redirectTo } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const submitting = useNavigation().state === 'submitting'
  const fieldErrors: { email?: string; password?: string } = actionData?.fieldErrors ?? {}
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      {actionData ? (
        <div role="alert" className="form-error" id="sign-in-error">
          <p>{actionData.message}</p>
          {fieldErrors.email || fieldErrors.password ? (
            <ul>
              {fieldErrors.email ? <li>{fieldErrors.email}</li> : null}
              {fieldErrors.password ? <li>{fieldErrors.password}</li> : null}
            </ul>
          ) : null}
        </div>
      ) : null}
      <Form method="post">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div className="field">
          <label htmlFor="email">E-mail</label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={actionData?.email}
            aria-invalid={fieldErrors.email ? true : undefined}
            aria-describedby={fieldErrors.email ? 'email-error' : undefined}
          />
          {fieldErrors.email ? (
            <p className="field-error" id="email-error">
              {fieldErrors.email}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={fieldErrors.password ? true : undefined}
            aria-describedby={fieldErrors.password ? 'password-error' : undefined}
          />
          {fieldErrors.password ? (
            <p className="field-error" id="password-error">
              {fieldErrors.password}
            </p>
          ) : null}
        </div>
        <button type="submit" className="primary-button" disabled={submitting}>
          {submitting ? 'Signing in…' : 'Sign in'}
        </button>
      </Form>
    </section>
  )
}

// A document response takes only the headers a route's `headers` export passes on: without this, the lock's Retry-After was lost.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers()
}

export const meta: MetaFunction = ({ error }) => (error ? errorMeta(error) : [{ title: 'Sign in · Code of Ethics attestations' }])

export const ErrorBoundary = RouteErrorBoundary
