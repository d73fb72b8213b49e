import { expect, test } from 'vitest'
import { readFormData } from '../../app/utils/form-data.server'

const url = 'http://127.0.0.1:3000/login'

function post(body: BodyInit | null, contentType?: string, extra: Record<string, string> = {}) {
  const headers = new Headers(extra)
  if (contentType) headers.set('Content-Type', contentType)
  return new Request(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit)
}

/** The Response readFormData threw, with its text. */
async function refusal(request: Request, options?: Parameters<typeof readFormData>[1]) {
  const thrown = await readFormData(request, options).then(
    () => null,
    (e: unknown) => e,
  )
  expect(thrown).toBeInstanceOf(Response)
  const response = thrown as Response
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') }
}

test('a form, urlencoded or multipart with a file, is read as FormData', async () => {
  const plain = await readFormData(post(new URLSearchParams({ email: 'cfo@hecla.example', password: 'x' })))
  expect(Object.fromEntries(plain)).toEqual({ email: 'cfo@hecla.example', password: 'x' })

  const multipart = new FormData()
  multipart.append('intent', 'uploadDraft')
  multipart.append('draft', new Blob(['draft 1'], { type: 'text/plain' }), 'draft-1.txt')
  const encoded = new Request(url, { method: 'POST', body: multipart })
  const form = await readFormData(encoded)
  expect(form.get('intent')).toBe('uploadDraft')
  const file = form.get('draft') as File
  expect(file).toBeInstanceOf(File)
  expect([file.name, await file.text()]).toEqual(['draft-1.txt', 'draft 1'])
})

test('a body that is not a form is a 415 that names what was sent', async () => {
  const json = await refusal(post('{"email":"cfo@hecla.example"}', 'application/json'))
  expect(json.status).toBe(415)
  expect(json.type).toBe('text/plain; charset=utf-8')
  expect(json.text).toMatch(/^Nothing was done: this page takes a form sent from its own page, and this request sent JSON instead\./)
  expect((await refusal(post('a=1', 'text/plain'))).text).toContain('sent plain text instead')
  expect((await refusal(post(null))).text).toContain('sent no form at all')
  // What a client claims is shown, but never more than a type's worth of it.
  const odd = await refusal(post('x', `application/${'x'.repeat(300)}`))
  expect(odd.status).toBe(415)
  expect(odd.text.length).toBeLessThan(400)
})

test('a multipart body that does not parse is a 400', async () => {
  for (const request of [
    post('this is not multipart', 'multipart/form-data; boundary=----attest'),
    post('------attest\r\n', 'multipart/form-data'),
  ]) {
    const { status, text } = await refusal(request)
    expect(status).toBe(400)
    expect(text).toMatch(/^Nothing was done: the form that arrived could not be read/)
  }
})

test('a form larger than the route allows is a 413, whether or not it says its length', async () => {
  const big = new URLSearchParams({ password: 'x'.repeat(5000) }).toString()
  const declared = await refusal(post(big, 'application/x-www-form-urlencoded'), { maxBytes: 4096 })
  expect(declared.status).toBe(413)
  expect(declared.text).toBe('Nothing was done: the form is larger than the 4 KiB this page takes.')

  // A chunked body carries no Content-Length: it is counted as it arrives; past the limit
  // the rest is read and thrown away (so the connection can carry the next request), never kept.
  let pulled = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++
      controller.enqueue(new TextEncoder().encode('a='.padEnd(1024, 'x')))
      if (pulled > 1000) controller.close()
    },
  })
  const chunked = await refusal(post(stream, 'application/x-www-form-urlencoded'), { maxBytes: 4096, tooLargeMessage: 'Too big.' })
  expect(chunked).toMatchObject({ status: 413, text: 'Too big.' })
  expect(pulled).toBe(1001)

  // A body that never ends is given up past 32 MiB: the refusal still comes.
  let endless = 0
  const flood = new ReadableStream<Uint8Array>({
    pull(controller) {
      endless++
      controller.enqueue(new Uint8Array(64 * 1024))
    },
  })
  expect(await refusal(post(flood, 'application/x-www-form-urlencoded'), { maxBytes: 4096, tooLargeMessage: 'Too big.' })).toMatchObject({
    status: 413,
  })
  expect(endless * 64 * 1024).toBeGreaterThan(32 * 1024 * 1024)
  expect(endless * 64 * 1024).toBeLessThan(33 * 1024 * 1024)

  const fits = await readFormData(post(big, 'application/x-www-form-urlencoded'), { maxBytes: 8192 })
  expect(fits.get('password')).toHaveLength(5000)
})
