// What the page benchmarks share (bench/pages.ts, bench/page-cost.ts): the addresses the
// record's own reports give, a free port on loopback, waiting for the server, signing in.
import net from 'node:net'
import Database from 'better-sqlite3'
import { DEMO_PASSWORD } from '../seeds/hecla'

/** The record's event count and the reports the pages open: the newest filed 10-K, the first and last filed. */
export function benchAddresses(file: string) {
  // What the pages show depends on the record: read it once (read-only) to pick the addresses.
  const read = new Database(file, { readonly: true, fileMustExist: true })
  const events = (read.prepare('SELECT count(*) AS n FROM workflow_event').get() as { n: number }).n
  const filed = read
    .prepare(
      `SELECT r.id, r.form FROM periodic_report r JOIN workflow_snapshot s ON s.instance_id = 'report/' || r.id
       WHERE s.state LIKE '%locked%' OR s.state LIKE '%filed%' ORDER BY r.period_end`,
    )
    .all() as { id: string; form: string }[]
  read.close()
  return {
    events,
    tenK: [...filed].reverse().find((r) => r.form === '10-K')?.id ?? 'report-2008-q2',
    firstFiled: filed[0]?.id ?? 'report-2008-q2',
    lastFiled: filed.at(-1)?.id ?? 'report-2012-fy',
  }
}

export function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/** Polls /healthz until the server answers (within two minutes). */
export async function answered(origin: string): Promise<void> {
  for (const deadline = Date.now() + 120_000; ;) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the server did not answer within 120 s')
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Signs a demo person in; their session cookie (name=value). */
export async function signIn(origin: string, email: string): Promise<string> {
  const response = await fetch(`${origin}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: origin },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: '/' }),
  })
  await response.arrayBuffer()
  if (response.status !== 302) throw new Error(`sign-in of ${email} answered ${response.status}`)
  return response.headers.get('set-cookie')!.split(';')[0]!
}
