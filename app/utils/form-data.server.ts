// The one way an action reads its form. `request.formData()` throws a TypeError
// on a body that is not a form (JSON, plain text, none, a multipart body that does
// not parse), which Remix answers with a 500: a sender's mistake dressed up as the
// server's. Here each of those is a 4xx that says what was wrong, thrown before
// the action has read or written anything.

/** Enough for the largest form a page here sends (a duty's answers: a few texts of at most 20,000 characters). */
export const DEFAULT_MAX_FORM_BYTES = 1024 * 1024

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data'])

// What the messages call a body by its media type; anything else is named as sent, shortened.
const TYPE_WORDS: Record<string, string> = {
  'application/json': 'JSON',
  'text/plain': 'plain text',
  'application/xml': 'XML',
  'text/xml': 'XML',
  'application/octet-stream': 'raw bytes',
}

function refuse(status: number, message: string): never {
  throw new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

function sizeWords(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`
  return `${bytes.toLocaleString('en-US')} bytes`
}

// A body refused for its size is still read to its end, up to this much, and thrown
// away: cancelling the stream destroys the socket under the answer (the sender reads
// ECONNRESET instead of the 413), and leaving the rest unread makes the next request on
// the kept-alive connection fail (both found by tests/http/bad-input.http.test.ts).
// Past this, the connection is given up: nobody fills a form this large.
const DRAIN_LIMIT_BYTES = 32 * 1024 * 1024

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, already: number) {
  let total = already
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    total += value.byteLength
    if (total > DRAIN_LIMIT_BYTES) {
      await reader.cancel().catch(() => {})
      return
    }
  }
}

/** The body, read up to `maxBytes`; beyond that it is counted and discarded, never held whole. */
async function readCapped(request: Request, maxBytes: number, tooLarge: string): Promise<Uint8Array<ArrayBuffer>> {
  if (!request.body) return new Uint8Array()
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await drain(reader, total)
      refuse(413, tooLarge)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/**
 * The request's form, urlencoded or multipart (files included), or a thrown
 * Response: 415 when the body is not a form, 413 when it is larger than
 * `maxBytes`, 400 when it does not parse. The message is for a person and says
 * that nothing was done; routes let it propagate to their ErrorBoundary.
 */
export async function readFormData(request: Request, options: { maxBytes?: number; tooLargeMessage?: string } = {}): Promise<FormData> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FORM_BYTES
  const tooLarge = options.tooLargeMessage ?? `Nothing was done: the form is larger than the ${sizeWords(maxBytes)} this page takes.`
  const contentType = request.headers.get('content-type') ?? ''
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase()
  if (!FORM_TYPES.has(mediaType)) {
    const sent = !mediaType ? 'no form at all' : `${TYPE_WORDS[mediaType] ?? `“${mediaType.slice(0, 60)}”`} instead`
    if (request.body) await drain(request.body.getReader(), 0)
    refuse(415, `Nothing was done: this page takes a form sent from its own page, and this request sent ${sent}.`)
  }
  // A declared length says "too large" before a byte is kept; a body without one is counted as it arrives.
  const declared = Number(request.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    if (request.body) await drain(request.body.getReader(), 0)
    refuse(413, tooLarge)
  }
  const bytes = await readCapped(request, maxBytes, tooLarge)
  try {
    // The platform's own parser, given the bytes already read and the original Content-Type (with its boundary).
    return await new Response(bytes, { headers: { 'Content-Type': contentType } }).formData()
  } catch {
    refuse(
      400,
      'Nothing was done: the form that arrived could not be read (it was damaged or cut short). Reload the page and send it again.',
    )
  }
}
