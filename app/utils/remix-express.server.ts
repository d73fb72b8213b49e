// Remix behind Express, as @remix-run/express 2.17 does it, except for one thing:
// the response body is written with backpressure. Remix's own writer
// (`writeReadableStreamToWritable` of @remix-run/node) ignores what `res.write`
// returns, so a download read more slowly than it is produced piles up in the
// socket's buffer: streaming the whole record's evidence bundle (773 MB on the
// twenty-year record) took the server to 941 MB of memory (issue 13, bench/README.md).
// Here the next chunk is read only once the response has drained, so a slow reader
// slows the export down instead.
import type { IncomingHttpHeaders } from 'node:http'
import {
  createReadableStreamFromReadable,
  createRequestHandler as createRemixHandler,
  type AppLoadContext,
  type ServerBuild,
} from '@remix-run/node'
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'

export function createRequestHandler(options: {
  build: ServerBuild
  mode?: string
  getLoadContext?: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext
}) {
  const handle = createRemixHandler(options.build, options.mode)
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      const response = await handle(remixRequest(req, res), options.getLoadContext?.(req, res))
      await sendResponse(res, response)
    } catch (error) {
      next(error)
    }
  }
}

function remixHeaders(requestHeaders: IncomingHttpHeaders): Headers {
  const headers = new Headers()
  for (const [key, values] of Object.entries(requestHeaders)) {
    if (values === undefined) continue
    if (Array.isArray(values)) for (const value of values) headers.append(key, value)
    else headers.set(key, values)
  }
  return headers
}

function remixRequest(req: ExpressRequest, res: ExpressResponse): Request {
  // req.hostname has no port: take it from X-Forwarded-Host or Host, as the adapter does.
  const portOf = (header: string | undefined) => Number.parseInt(header?.split(':')[1] ?? '', 10)
  const forwardedPort = portOf(req.get('X-Forwarded-Host'))
  const hostPort = portOf(req.get('host'))
  const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : null
  const url = new URL(`${req.protocol}://${req.hostname}${port === null ? '' : `:${port}`}${req.originalUrl}`)
  // Loaders and actions are aborted when the client goes before the response is sent.
  let controller: AbortController | null = new AbortController()
  const signal = controller.signal
  res.on('finish', () => (controller = null))
  res.on('close', () => controller?.abort())
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers: remixHeaders(req.headers), signal }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    init.body = createReadableStreamFromReadable(req)
    init.duplex = 'half'
  }
  return new Request(url.href, init)
}

/** Resolves true once `res` can take more, false when the connection closed first. */
function drained(res: ExpressResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (writable: boolean) => {
      res.off('drain', onDrain)
      res.off('close', onClose)
      resolve(writable)
    }
    const onDrain = () => done(true)
    const onClose = () => done(false)
    res.on('drain', onDrain)
    res.on('close', onClose)
  })
}

export async function sendResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText
  res.status(response.status)
  for (const [key, value] of response.headers) res.append(key, value)
  if (!response.body) {
    res.end()
    return
  }
  const reader = response.body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (!res.write(value) && !(await drained(res))) {
        // The reader went away: stop producing (an export's generator is closed through cancel).
        await reader.cancel()
        return
      }
    }
    res.end()
  } catch (error) {
    res.destroy(error as Error)
    throw error
  }
}
