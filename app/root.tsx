import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node'
import {
  Form,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import { getCurrentUser } from './utils/auth.server'
import { useNonce } from './utils/nonce'
import stylesUrl from './styles.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesUrl }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request)
  return { user: user ? { fullName: user.fullName, title: user.title } : null }
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce()
  // Undefined when the root loader itself failed: the error page still gets a header.
  const user = useRouteLoaderData<typeof loader>('root')?.user ?? null
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <a href="/" className="brand">
            Code of Ethics attestations
          </a>
          <span className="brand-sub">Pre-filing sign-offs of the CEO and Senior Financial Officers</span>
          <SessionNav user={user} />
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>Every sign-off and every step of every review is kept on record, never changed or deleted.</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

function SessionNav({ user }: { user: { fullName: string; title: string } | null }) {
  return (
    <nav className="session-nav" aria-label="Account">
      {user ? (
        <>
          <span className="session-user">
            Signed in as <strong>{user.fullName}</strong>, {user.title}
          </span>
          {/* A form, not a link: signing out changes state, so it is a POST. */}
          <Form method="post" action="/logout" className="inline-form">
            <button type="submit" className="link-button">
              Sign out
            </button>
          </Form>
        </>
      ) : (
        <a href="/login">Sign in</a>
      )}
    </nav>
  )
}

export function ErrorBoundary() {
  const error = useRouteError()
  const title = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : 'Something went wrong'
  const detail = isRouteErrorResponse(error)
    ? typeof error.data === 'string'
      ? error.data
      : (error.data as { message?: string } | null)?.message
    : 'The error was logged. Nothing you submitted was saved unless the page said so.'
  return (
    <section aria-labelledby="error-title">
      <h1 id="error-title">{title}</h1>
      {detail ? <p>{detail}</p> : null}
      <p>
        <a href="/">Back to the periodic reports</a>
      </p>
    </section>
  )
}
