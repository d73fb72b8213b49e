import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

// Debian's Chromium, never a downloaded one. The background-networking flags
// matter: without them Chromium keeps dialling out and this network refuses it.
export async function launchBrowser(options: { javaScriptEnabled?: boolean } = {}): Promise<{
  context: BrowserContext
  close: () => Promise<void>
}> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  return {
    context,
    close: async () => {
      await context.close()
      fs.rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}
