import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError, useRouteLoaderData } from '@remix-run/react'
import { ErrorPage, errorMeta } from './components/error-page'
import { UserText } from './components/user-text'
import { getCurrentUser } from './utils/auth.server'
import { sectionsFor } from './utils/sections.server'
import { useNonce } from './utils/nonce'
import stylesUrl from './styles.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesUrl }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request)
  return { user: user ? { fullName: user.fullName, title: user.title, sections: sectionsFor(user.roles) } : null }
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce()
  // Undefined only when the root loader did not run: it failed itself, or an error
  // reached the root's boundary from an action (Remix then runs no loader at or
  // below the boundary). Every page route has a boundary of its own for that
  // reason, and `$.tsx` catches unknown addresses, so this is a crash; the header
  // then claims nothing rather than offer "Sign in" to someone signed in.
  const session = useRouteLoaderData<typeof loader>('root')
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
          {session ? <SessionNav user={session.user} /> : null}
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

function SessionNav({ user }: { user: { fullName: string; title: string; sections: { href: string; label: string }[] } | null }) {
  return (
    <nav className="session-nav" aria-label="Account">
      {user ? (
        <>
          <span className="session-user">
            Signed in as{' '}
            <strong>
              <UserText>{user.fullName}</UserText>
            </strong>
            , <UserText>{user.title}</UserText>
          </span>
          {user.sections.map((s) => (
            <a key={s.href} href={s.href}>
              {s.label}
            </a>
          ))}
          <a href="/cases/new">Report a matter</a>
          <a href="/cases/mine">My reports</a>
          <a href="/settings/notifications">Notifications</a>
          {/* A form, not a link: signing out changes state, so it is a POST. */}
          <Form method="post" action="/logout" className="inline-form">
            <button type="submit" className="link-button">
              Sign out
            </button>
          </Form>
        </>
      ) : (
        <>
          <a href="/login">Sign in</a>
          <a href="/anonymous">Report anonymously</a>
        </>
      )}
    </nav>
  )
}

// What reaches the root: a failure of the root loader, or a crash in a page without a boundary of its own.
export function ErrorBoundary() {
  return <ErrorPage error={useRouteError()} />
}

export const meta: MetaFunction = ({ error }) => (error ? errorMeta(error) : [])
