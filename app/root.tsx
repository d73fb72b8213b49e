import type { LinksFunction } from '@remix-run/node'
import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError } from '@remix-run/react'
import stylesUrl from './styles.css?url'

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesUrl }]

export function Layout({ children }: { children: React.ReactNode }) {
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
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>Every sign-off and workflow event is kept append-only in SQLite.</p>
        </footer>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
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
