// `npx tsx bench/cpu-profile.ts <file.cpuprofile> [top]` (issue 13): where a
// server's time went, from the profile `node --cpu-prof` writes on exit — self
// time by function and by package/file, so "the dashboard is slow" becomes "the
// dashboard spends 40 % in better-sqlite3's step and 20 % in JSON.parse".
// Run the server with `node --cpu-prof --cpu-prof-dir=DIR build/server.js` (or `bench/pages.ts --profile DIR`),
// load one page with wrk, then stop it with SIGTERM (server.ts exits cleanly).
import fs from 'node:fs'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: Node[]
  samples: number[]
  timeDeltas: number[]
}

const [file, topArg] = process.argv.slice(2)
if (!file) throw new Error('usage: tsx bench/cpu-profile.ts <file.cpuprofile> [top]')
const top = Number(topArg ?? 25)
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const self = new Map<number, number>()
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
const total = [...self.values()].reduce((a, b) => a + b, 0)

/** A readable place: the package under node_modules, or the app's own file. */
function place(url: string) {
  if (!url) return '(native)'
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (nm) return nm[1]!
  return url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '')
}

const functions = new Map<string, number>()
const places = new Map<string, number>()
for (const [id, us] of self) {
  const node = byId.get(id)!
  const { functionName, url, lineNumber } = node.callFrame
  const where = place(url)
  const key = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`
  functions.set(key, (functions.get(key) ?? 0) + us)
  places.set(where, (places.get(where) ?? 0) + us)
}
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (of ${(total / 1e6).toFixed(1)} s sampled)`)
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`)
}
show('self time by place', places)
show('self time by function', functions)
