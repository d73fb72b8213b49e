import type { MetaDescriptor } from '@remix-run/node'
import { isRouteErrorResponse, useRouteError } from '@remix-run/react'

// The one error page: a heading and a <title> per status, in plain words. What a
// route threw as a Response (403 "Your role does not allow this.", 415 "Nothing
// was done: …") is its own message to the person and is shown; what the router
// made itself (`internal`: "No route matches URL …", "You made a POST request …")
// and anything from a crash never is: it means nothing to an officer, and a
// stack or a path tells an attacker about the server.

const SITE = 'Code of Ethics attestations'

interface Words {
  title: string
  heading: string
  /** Shown when the route gave no message of its own (or its message is not for a person). */
  fallback: string
}

const GENERIC: Words = {
  title: 'Something went wrong',
  heading: 'Something went wrong',
  fallback: 'The error was logged. Nothing you submitted was saved unless the page said so.',
}

function wordsFor(status: number): Words {
  if (status === 404) {
    return {
      title: 'Page not found',
      heading: 'This page does not exist',
      fallback: 'There is nothing at this address. Check it, or start again from the periodic reports.',
    }
  }
  if (status === 403) {
    return {
      title: 'No access',
      heading: 'You do not have access to this page',
      fallback: 'Your role does not allow this. Ask the administrator if you think it should.',
    }
  }
  if (status === 405) {
    return {
      title: 'Request not accepted',
      heading: 'This page does not take that request',
      fallback: 'Nothing was done. Go back to the page you came from and use its own buttons.',
    }
  }
  if (status >= 400 && status < 500) {
    return { title: 'Request not accepted', heading: 'Your request was not accepted', fallback: 'Nothing was done.' }
  }
  return GENERIC
}

/** The status, words and message (if any is fit to show) of what a route or the router threw. */
function describe(error: unknown): Words & { message: string | null } {
  if (!isRouteErrorResponse(error)) return { ...GENERIC, message: null }
  const words = wordsFor(error.status)
  // The router's own (its type hides the flag, the object carries it) and 5xx: the generic words only.
  const internal = (error as { internal?: boolean }).internal === true
  if (internal || error.status >= 500) return { ...words, message: null }
  const data: unknown = error.data
  const message = typeof data === 'string' ? data : data && typeof data === 'object' && 'message' in data ? String(data.message) : null
  return { ...words, message: message?.trim() ? message : null }
}

/** The document title of an error page: `meta` of the route whose ErrorBoundary renders it. */
export function errorMeta(error: unknown): MetaDescriptor[] {
  return [{ title: `${describe(error).title} · ${SITE}` }]
}

export function ErrorPage({ error }: { error: unknown }) {
  const { heading, fallback, message } = describe(error)
  return (
    <section aria-labelledby="error-title" className="error-page">
      <h1 id="error-title">{heading}</h1>
      <p>{message ?? fallback}</p>
      <p>
        <a href="/">Back to the periodic reports</a>
      </p>
    </section>
  )
}

/**
 * For a route's `ErrorBoundary` export. A route with a boundary of its own keeps
 * the root loader's data when it fails (Remix renders the layout with the data of
 * every route above the boundary), so the header still shows who is signed in;
 * had the error bubbled to the root, an action's refusal would have no user to show.
 */
export function RouteErrorBoundary() {
  return <ErrorPage error={useRouteError()} />
}
