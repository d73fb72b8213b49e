// The response writer of app/utils/remix-express.server.ts reads the body only as fast as
// the client takes it (issue 13: Remix's own writer buffered a 773 MB export in memory).
// A real Express server on loopback and a real socket that stops reading.
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { sendResponse } from '../../app/utils/remix-express.server'

const CHUNK = 64 * 1024
const CHUNKS = 1024 // 64 MiB in all

function countingBody() {
  const seen = { pulled: 0, cancelled: false }
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled === CHUNKS * CHUNK) return controller.close()
        seen.pulled += CHUNK
        controller.enqueue(new Uint8Array(CHUNK).fill(0x61))
      },
      cancel() {
        seen.cancelled = true
      },
    },
    { highWaterMark: 0 },
  )
  return { body, seen }
}

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})

async function serve(body: ReadableStream<Uint8Array>) {
  const app = express()
  app.get('/export', (_req, res, next) => {
    sendResponse(res, new Response(body, { headers: { 'Content-Type': 'application/octet-stream' } })).catch(next)
  })
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return (server.address() as AddressInfo).port
}

/** Waits until `read()` stops changing for a while (the writer has stopped pulling). */
async function settled(read: () => number) {
  let last = -1
  for (let stable = 0; stable < 5;) {
    await new Promise((r) => setTimeout(r, 60))
    const now = read()
    stable = now === last ? stable + 1 : 0
    last = now
  }
  return last
}

describe('the response writer', () => {
  it('stops reading the body while the client does not read, and sends all of it once the client does', async () => {
    const { body, seen } = countingBody()
    const port = await serve(body)
    const socket = net.connect(port, '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.pause()
    socket.write('GET /export HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')
    // Only what the socket buffers on both sides (a few MiB), not the 64 MiB of the body.
    const pulledWhilePaused = await settled(() => seen.pulled)
    expect(pulledWhilePaused).toBeLessThan(16 * 1024 * 1024)

    let received = 0
    socket.on('data', (chunk: Buffer) => (received += chunk.length))
    socket.resume()
    await new Promise((resolve) => socket.once('end', resolve))
    expect(seen.pulled).toBe(CHUNKS * CHUNK)
    expect(received).toBeGreaterThan(CHUNKS * CHUNK)
  })

  it('stops producing when the client goes away', async () => {
    const { body, seen } = countingBody()
    const port = await serve(body)
    const socket = net.connect(port, '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.pause()
    socket.write('GET /export HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    await settled(() => seen.pulled)
    socket.destroy()
    await expect.poll(() => seen.cancelled).toBe(true)
    expect(seen.pulled).toBeLessThan(CHUNKS * CHUNK)
  })
})
