// A real SMTP server on a loopback port for the outbox tests (smtp-server +
// mailparser). STARTTLS is disabled: smtp-server's built-in certificate has
// expired, and the client is told `ignoreTLS` (SMTP_URL ...?ignoreTLS=true).
// A mail counts as received only once the server has answered its DATA with 250,
// as a real mail server takes responsibility for a mail only then; `holdData`
// delays that answer, so a test can kill the sender "mid-send" deterministically.
import { type AddressObject, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  messageId: string
  to: string[]
  subject: string
  text: string
  kind: string | null
  attachments: Array<{ filename: string; content: string }>
}

export interface TestSmtpServer {
  port: number
  url: string
  /** The mails taken (answered 250), parsed; each lands a moment after its 250. */
  received: ReceivedMail[]
  /** The Message-IDs of the mails taken, in the order of their 250. */
  accepted: string[]
  /** Mails whose DATA arrived, accepted or not. */
  dataSeen: string[]
  /** From now on, the answer to DATA waits until `release()` or until its client is gone. */
  holdData(): void
  /** No more holding; the answers held so far are given now. */
  release(): void
  /** No more holding; the answers held so far still wait for their clients to go. */
  stopHolding(): void
  /** Resolves when `n` connections have closed in all. */
  waitForClosed(n: number, timeoutMs?: number): Promise<void>
  /** Resolves when `n` DATA commands have arrived in all. */
  waitForData(n: number, timeoutMs?: number): Promise<void>
  waitForReceived(n: number, timeoutMs?: number): Promise<void>
  /** Resolves once every mail taken so far has been read into `received`. */
  settled(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? ''))

async function until(check: () => boolean, timeoutMs: number, what: string) {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = []
  const accepted: string[] = []
  const dataSeen: string[] = []
  const closedSessions = new Set<string>()
  let holding = false
  let held: { session: string; answer: () => void }[] = []
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onClose(session) {
      closedSessions.add(session.id)
      // A held answer whose client is gone is given now (a refusal nobody reads).
      for (const h of held.filter((h) => h.session === session.id)) h.answer()
      held = held.filter((h) => h.session !== session.id)
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('error', (error) => callback(error))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks)
        const messageId = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('utf8'))?.[1] ?? ''
        dataSeen.push(messageId)
        const answer = () => {
          // The client went away before the answer: no 250 was given, the mail was not taken.
          if (closedSessions.has(session.id)) return callback(new Error('connection closed'))
          // Taken, and answered at once: the longer a server waits after the final dot, the likelier
          // a client that dies meanwhile sends the mail again (RFC 1047). What it says is read after.
          accepted.push(messageId)
          callback()
          void simpleParser(raw).then((parsed) =>
            received.push({
              messageId,
              to: addresses(parsed.to),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              kind: (parsed.headers.get('x-hecla-attest-kind') as string | undefined) ?? null,
              attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? '', content: a.content.toString('utf8') })),
            }),
          )
        }
        if (holding) held.push({ session: session.id, answer })
        else answer()
      })
    },
  })
  // A sender killed mid-session resets its connection: a real mail server shrugs that off,
  // and so does this one (unhandled, smtp-server's 'error' event would end the test run).
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as { port: number }).port
  return {
    port,
    url: `smtp://127.0.0.1:${port}/?ignoreTLS=true`,
    received,
    accepted,
    dataSeen,
    holdData: () => {
      holding = true
    },
    stopHolding: () => {
      holding = false
    },
    waitForClosed: (n, timeoutMs = 15_000) => until(() => closedSessions.size >= n, timeoutMs, `${n} closed connections`),
    release: () => {
      holding = false
      const all = held
      held = []
      for (const h of all) h.answer()
    },
    waitForData: (n, timeoutMs = 15_000) => until(() => dataSeen.length >= n, timeoutMs, `${n} DATA commands`),
    waitForReceived: (n, timeoutMs = 15_000) => until(() => received.length >= n, timeoutMs, `${n} mails`),
    settled: (timeoutMs = 15_000) => until(() => received.length >= accepted.length, timeoutMs, 'the mails taken to be read'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
