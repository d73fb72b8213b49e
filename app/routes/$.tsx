import type { MetaFunction } from '@remix-run/node'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'

// Every address no other route matches. Without this route Remix answers such an
// address with a 404 of its own, raised before any loader runs, the root's
// included: the error page could not know who is signed in and offered "Sign in"
// to someone who was. Here the root loader runs first, as for any page.

function notFound(): never {
  throw new Response('There is nothing at this address. Check it, or start again from the periodic reports.', {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  })
}

export async function loader() {
  notFound()
}

// A POST to an unknown address is the same 404, not the router's "no action" 405.
export async function action() {
  notFound()
}

// Never rendered (the loader always throws), but a route without a component would be a resource route, answered without the page.
export default function NotFound() {
  return null
}

export const meta: MetaFunction = ({ error }) => errorMeta(error)

export const ErrorBoundary = RouteErrorBoundary
