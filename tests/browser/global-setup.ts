import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { CHROMIUM_PATH } from './chromium'
import { serverNodeArgs } from '../../scripts/server-command'

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string
    databasePath: string
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}) before it answered:\n${output()}`)
    try {
      const res = await fetch(`${url}/healthz`)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`The server did not answer ${url}/healthz within 60 s:\n${output()}`)
}

export interface TestServer {
  baseURL: string
  databasePath: string
  stop: () => Promise<void>
}

/**
 * server.ts on a free port with a fresh seeded database of its own, as production
 * runs it. The suite shares one (below); a file whose test would spoil the shared
 * one for the others (locking an officer out, say) starts its own.
 */
export async function startServer(options: { databasePath?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
  if (!fs.existsSync('build/server/index.js') || !fs.existsSync('build/server.js'))
    throw new Error('No production build: run `npm run build` first')
  // A caller may prepare the file first (e.g. bring a report to committee review through the commands).
  const dir = options.databasePath ? path.dirname(options.databasePath) : fs.mkdtempSync(path.join(os.tmpdir(), 'attest-browser-'))
  const databasePath = options.databasePath ?? path.join(dir, 'app.sqlite')
  const port = await freePort()
  const baseURL = `http://127.0.0.1:${port}`
  let log = ''
  const child = spawn(process.execPath, serverNodeArgs(), {
    env: { ...process.env, DATABASE_PATH: databasePath, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (d) => (log += d))
  child.stderr?.on('data', (d) => (log += d))
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitForHealth(baseURL, child, () => log)
  } catch (error) {
    await stop()
    throw error
  }
  return { baseURL, databasePath, stop }
}

export default async function setup(project: TestProject) {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    // A browser test that cannot run is a failure, not a skip.
    throw new Error(`Browser tests need Chromium at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium`)
  }
  const server = await startServer()
  project.provide('baseURL', server.baseURL)
  project.provide('databasePath', server.databasePath)
  return server.stop
}
