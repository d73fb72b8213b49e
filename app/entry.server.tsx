// Remix's default Node entry (renderToPipeableStream), plus the CSP nonce:
// server.ts puts a fresh nonce in the load context and the Content-Security-Policy
// header; every inline script React and Remix write must carry it or the browser
// refuses to run it.
//
// The document is sent whole, not streamed: no page here suspends (every loader
// returns its data, nothing deferred), so streaming sent the same bytes later, in
// React's 2 kB pieces, each through a web stream and a socket write. Buffered, a
// page took 10–20 % less of the server's time (issue 13, bench/README.md).
import { Writable } from 'node:stream'
import type { AppLoadContext, EntryContext } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { renderToPipeableStream } from 'react-dom/server'
import { NonceProvider } from './utils/nonce'

// With single fetch, Remix rejects unresolved promises after streamTimeout; React
// gets a second more to flush those rejections before it is aborted.
export const streamTimeout = 5_000

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = typeof loadContext.cspNonce === 'string' ? loadContext.cspNonce : undefined

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false
    const chunks: Buffer[] = []
    const body = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk)
        done()
      },
      final(done) {
        responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
        clearTimeout(timeout)
        resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }))
        done()
      },
    })
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          shellRendered = true
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          // Errors in the shell reject above and Remix logs them; log only those after it.
          if (shellRendered) console.error(error)
        },
      },
    )
    const timeout = setTimeout(abort, streamTimeout + 1000)
  })
}
