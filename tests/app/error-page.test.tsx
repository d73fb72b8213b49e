import { renderToStaticMarkup } from 'react-dom/server'
import { expect, test } from 'vitest'
import { ErrorPage, errorMeta } from '../../app/components/error-page'

// The error page in isolation: which words for which status, and never the text
// of an error the router or the server made (a stack, a route id, "No route matches").
const render = (error: unknown) => renderToStaticMarkup(<ErrorPage error={error} />)

/** What `useRouteError()` returns for a thrown Response (internal: made by the router itself, not by a route). */
class ErrorResponse {
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly data: unknown,
    readonly internal = false,
  ) {}
}

test('a route’s own 404 and 403 show its words under a heading in plain words', () => {
  const notFound = render(new ErrorResponse(404, 'Not Found', 'There is no such periodic report.'))
  expect(notFound).toContain('<h1 id="error-title">This page does not exist</h1>')
  expect(notFound).toContain('There is no such periodic report.')
  const forbidden = render(new ErrorResponse(403, '', 'Your role does not allow this.'))
  expect(forbidden).toContain('<h1 id="error-title">You do not have access to this page</h1>')
  expect(forbidden).toContain('Your role does not allow this.')
  expect(errorMeta(new ErrorResponse(404, 'Not Found', 'x'))).toEqual([{ title: 'Page not found · Code of Ethics attestations' }])
  expect(errorMeta(new ErrorResponse(403, '', 'x'))).toEqual([{ title: 'No access · Code of Ethics attestations' }])
})

test('the router’s own error text is never shown', () => {
  const noRoute = render(new ErrorResponse(404, 'Not Found', new Error('No route matches URL "/nope"'), true))
  expect(noRoute).toContain('This page does not exist')
  expect(noRoute).not.toContain('No route matches')
  const noAction = render(
    new ErrorResponse(405, 'Method Not Allowed', new Error('You made a POST request to "/" but did not provide an `action`'), true),
  )
  expect(noAction).not.toContain('You made a POST request')
  expect(noAction).toContain('This page does not take that request')
  expect(errorMeta(new ErrorResponse(405, 'Method Not Allowed', 'x', true))).toEqual([
    { title: 'Request not accepted · Code of Ethics attestations' },
  ])
})

test('a refused request (4xx) shows the route’s reason; a 500 only a generic message, never the error', () => {
  const unsupported = render(new ErrorResponse(415, '', 'Nothing was done: this page takes a form sent from its own page.'))
  expect(unsupported).toContain('Your request was not accepted')
  expect(unsupported).toContain('Nothing was done: this page takes a form sent from its own page.')

  const crash = new Error('SQLITE_CORRUPT at /srv/data/app.sqlite')
  crash.stack = 'Error: SQLITE_CORRUPT\n    at secretFunction (/srv/app/db/x.ts:1:1)'
  for (const error of [crash, new ErrorResponse(500, 'Internal Server Error', 'Unexpected Server Error'), 'a thrown string']) {
    const html = render(error)
    expect(html).toContain('Something went wrong')
    expect(html).toContain('Nothing you submitted was saved unless the page said so.')
    expect(html).not.toMatch(/SQLITE|secretFunction|Unexpected Server Error|a thrown string/)
  }
  expect(errorMeta(crash)).toEqual([{ title: 'Something went wrong · Code of Ethics attestations' }])
})
