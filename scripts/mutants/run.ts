// Mutation check of the rules that matter most (scripts/mutants/mutants.json).
// For each mutant: copy the repository's tracked files into a temp folder
// (node_modules symlinked), make ONE textual change, run the suites that should
// catch it, and say whether they did. `npm run test:mutants [-- <id>...]`.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

interface Mutant {
  id: string
  /** The rule the mutant breaks, in the issue's words. */
  rule: string
  /** What the change does, in a few words. */
  change: string
  file: string
  search: string
  replace: string
  /** Vitest files run with the unit config (vite.config.ts). */
  unit?: string[]
  /** Vitest files run with the browser config, against a production build of the copy. */
  http?: string[]
}

interface SuiteResult {
  failed: string[]
  /** Set when the run failed without a failing test to name (a file that did not load, a build that broke). */
  error?: string
}

const root = process.cwd()
const mutants = JSON.parse(fs.readFileSync(path.join(root, 'scripts/mutants/mutants.json'), 'utf8')) as Mutant[]
const only = process.argv.slice(2)
const selected = only.length ? mutants.filter((m) => only.includes(m.id)) : mutants
const unknown = only.filter((id) => !mutants.some((m) => m.id === id))
if (unknown.length) fail(`No such mutant: ${unknown.join(', ')}`)
const SUITE_TIMEOUT_MS = 20 * 60_000

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}

function occurrences(text: string, search: string) {
  let n = 0
  for (let i = text.indexOf(search); i !== -1; i = text.indexOf(search, i + 1)) n++
  return n
}

// Every search string must be found exactly once before anything runs: a refactor
// that moves the code must fail here, not quietly turn a mutant into a no-op.
for (const m of mutants) {
  if (!m.unit?.length && !m.http?.length) fail(`Mutant ${m.id} names no suite to catch it`)
  for (const f of [...(m.unit ?? []), ...(m.http ?? [])])
    if (!fs.existsSync(path.join(root, f))) fail(`Mutant ${m.id}: its suite ${f} does not exist`)
  const source = path.join(root, m.file)
  if (!fs.existsSync(source)) fail(`Mutant ${m.id}: ${m.file} does not exist`)
  const n = occurrences(fs.readFileSync(source, 'utf8'), m.search)
  if (n !== 1) fail(`Mutant ${m.id}: its search string is found ${n} times in ${m.file}, not exactly once:\n${m.search}`)
}

const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
if (tracked.status !== 0) fail(`git ls-files failed: ${tracked.stderr}`)
const files = tracked.stdout.split('\0').filter(Boolean)
const nodeModules = fs.realpathSync(path.join(root, 'node_modules'))

function copyRepository(dir: string) {
  for (const f of files) {
    const from = path.join(root, f)
    if (!fs.existsSync(from)) continue // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true })
    fs.cpSync(from, path.join(dir, f), { verbatimSymlinks: true })
  }
  fs.symlinkSync(nodeModules, path.join(dir, 'node_modules'), 'dir')
}

function run(dir: string, command: string, args: string[], log: string) {
  const result = spawnSync(command, args, {
    cwd: dir,
    encoding: 'utf8',
    timeout: SUITE_TIMEOUT_MS,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, CI: '1' },
  })
  fs.appendFileSync(log, `$ ${command} ${args.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}\n`)
  return result
}

function vitest(dir: string, config: string | null, suite: string[], log: string): SuiteResult {
  const report = path.join(dir, `vitest-report-${Date.now()}.json`)
  const args = [
    'run',
    ...(config ? ['--config', config] : []),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...suite,
  ]
  const result = run(dir, path.join(dir, 'node_modules/.bin/vitest'), args, log)
  if (!fs.existsSync(report))
    return { failed: [], error: result.error ? String(result.error) : `vitest exited ${result.status} without a report` }
  const json = JSON.parse(fs.readFileSync(report, 'utf8')) as {
    testResults: { name: string; status: string; message?: string; assertionResults: { status: string; fullName: string }[] }[]
  }
  const failed: string[] = []
  for (const file of json.testResults) {
    const rel = path.relative(dir, file.name)
    const tests = file.assertionResults.filter((a) => a.status === 'failed')
    for (const t of tests) failed.push(`${rel} > ${t.fullName}`)
    if (!tests.length && file.status === 'failed') failed.push(`${rel} (${(file.message ?? 'failed').split('\n')[0]})`)
  }
  if (!failed.length && result.status !== 0) return { failed, error: `vitest exited ${result.status} with no failing test` }
  return { failed }
}

const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-mutants-logs-'))
let killed = 0
let survived = 0
let broken = 0
for (const m of selected) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `attest-mutant-${m.id}-`))
  const log = path.join(logDir, `${m.id}.log`)
  const started = Date.now()
  try {
    copyRepository(dir)
    const target = path.join(dir, m.file)
    const text = fs.readFileSync(target, 'utf8')
    if (occurrences(text, m.search) !== 1) throw new Error(`the search string is not in the copy of ${m.file} exactly once`)
    fs.writeFileSync(
      target,
      text.replace(m.search, () => m.replace),
    )

    const results: SuiteResult[] = []
    if (m.unit?.length) results.push(vitest(dir, null, m.unit, log))
    if (m.http?.length) {
      const build = run(dir, 'npm', ['run', 'build'], log)
      // A mutant that does not build is not caught by a test: say so rather than count it killed.
      if (build.status !== 0) results.push({ failed: [], error: `npm run build failed (exit ${build.status})` })
      else results.push(vitest(dir, 'tests/browser/vitest.config.ts', m.http, log))
    }
    const failed = results.flatMap((r) => r.failed)
    const errors = results.flatMap((r) => (r.error ? [r.error] : []))
    const seconds = Math.round((Date.now() - started) / 1000)
    if (failed.length) {
      killed++
      console.log(`killed    ${m.id} (${seconds} s): ${failed[0]}${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}`)
    } else if (errors.length) {
      broken++
      console.log(`error     ${m.id} (${seconds} s): ${errors.join('; ')} — see ${log}`)
    } else {
      survived++
      console.log(`survived  ${m.id} (${seconds} s): ${m.rule} [${m.change}; ran ${[...(m.unit ?? []), ...(m.http ?? [])].join(', ')}]`)
    }
  } catch (error) {
    broken++
    console.log(`error     ${m.id}: ${(error as Error).message} — see ${log}`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
console.log(`${killed} killed, ${survived} survived${broken ? `, ${broken} could not be run` : ''} (logs in ${logDir})`)
process.exit(survived || broken ? 1 : 0)
