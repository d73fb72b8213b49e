import { spawn } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { DEMO_PASSWORD } from '../seeds/hecla'
import { serverNodeArgs } from '../scripts/server-command'
const file = process.argv[2]!
const n = Number(process.argv[3] ?? 300)
const port = 3917
const origin = `http://127.0.0.1:${port}`
const server = spawn(process.execPath, [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.PROF] : []), ...serverNodeArgs()], { env: { ...process.env, DATABASE_PATH: file, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' }, stdio: ['ignore', 'ignore', 'inherit'] })
process.on('exit', () => server.kill('SIGKILL'))
for (;;) { try { if ((await fetch(`${origin}/healthz`)).ok) break } catch {} await new Promise((r) => setTimeout(r, 50)) }
async function signIn(email: string) {
  const r = await fetch(`${origin}/login`, { method: 'POST', redirect: 'manual', headers: { Origin: origin }, body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: '/' }) })
  await r.arrayBuffer(); return r.headers.get('set-cookie')!.split(';')[0]!
}
const ceo = await signIn('ceo@hecla.example'), ac = await signIn('audit.chair@hecla.example'), dc = await signIn('disclosure@hecla.example')
const pages: [string, string, string][] = [
  ['baseline', ceo, '/bench/baseline'], ['baseline.data', ceo, '/bench/baseline.data'], ['dashboard.data', ceo, '/_root.data'], ['duty.data', ceo, '/reports/report-2025-fy/duties/6.data'], ['timeline.data', ac, '/history.data?person=user-cfo&duty=7'], ['dashboard', ceo, '/'], ['report', ceo, '/reports/report-2025-fy'], ['duty', ceo, '/reports/report-2025-fy/duties/6'],
  ['matrix', ac, '/reports/report-2025-fy/history'], ['timeline', ac, '/history?person=user-cfo&duty=7'], ['compare', ac, `/history/compare?officer=user-cfo&from=${process.argv[4] ?? 'report-2008-q2'}&to=report-2026-q3`], ['inbox', dc, '/cases'],
]
const only = process.argv[5] ? new RegExp(process.argv[5]) : null
for (const round of [0, 1]) for (const [name, cookie, address] of pages) {
  if (only && !only.test(name) && name !== 'baseline') continue
  let bytes = 0, ctx = 0
  for (let i = 0; i < 30; i++) await (await fetch(origin + address, { headers: { Cookie: cookie } })).text()
  const t = performance.now()
  for (let i = 0; i < n; i++) { const body = await (await fetch(origin + address, { headers: { Cookie: cookie } })).text(); bytes = body.length; const m = body.match(/<script>window\.__remixContext[\s\S]*?<\/script>/g); ctx = (body.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? []).reduce((a, s) => a + s.length, 0) }
  const ms = (performance.now() - t) / n
  if (round === 1) console.log(`${name.padEnd(10)} ${ms.toFixed(2)} ms/req  html ${bytes} B  scripts ${ctx} B`)
}
server.kill('SIGTERM'); await new Promise((r) => server.once('exit', r))
