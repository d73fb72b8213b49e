import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type EvidenceBundle, evidenceBundleChunks } from '../../db/exports/bundle'
import { verifyBundle } from '../../db/exports/bundle-verify'
import { machineLookup } from '../../db/machine-lookup'
import { loadVerificationKey } from '../../db/signing-key'
import { type SeededCopy, copySeededDatabase } from '../utils/test-db'

// The JSON evidence bundle checks offline — no database, the key it carries (or
// the one named) — and fails, naming the first item that does not hold, when one
// character of a signed field changes: an event's field, a link of another
// workflow, a sign-off's or a signature's manifestation, a checkpoint's signature,
// the public key, the state a workflow is said to be in.

const run = promisify(execFile)
let copy: SeededCopy
let text: string
let recordText: string

async function bundleText(reportId: string | null): Promise<string> {
  const key = loadVerificationKey(copy.keyPath)
  const chunks = await evidenceBundleChunks(copy.db, { lookup: machineLookup, key, reportId, now: new Date('2026-12-03T09:00:00Z') })
  let out = ''
  for await (const chunk of chunks!) out += chunk
  return out
}

beforeAll(async () => {
  copy = copySeededDatabase('bundle')
  text = await bundleText('report-2008-q2')
  recordText = await bundleText(null)
})
afterAll(() => copy.close())

const check = (t: string) => verifyBundle(JSON.parse(t), machineLookup)

/** One character of a string changed for another of its kind (a digit for a digit, a base64 letter for another). */
function oneCharOff(value: string, at: number): string {
  const c = value[at]!
  const swap = /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : c === 'A' ? 'B' : c === 'a' ? 'b' : /[A-Za-z]/.test(c) ? 'A' : 'x'
  return value.slice(0, at) + swap + value.slice(at + 1)
}

describe('a bundle of the Q2 2008 10-Q', () => {
  test('verifies offline: every link, hash, checkpoint, replay and manifestation holds', () => {
    const bundle = JSON.parse(text) as EvidenceBundle
    expect(check(text)).toMatchObject({ ok: true, problems: [] })
    // Its events in full, every other workflow's as bare links, from the genesis to the head.
    expect(bundle.workflows.every((w) => w.reportId === 'report-2008-q2')).toBe(true)
    expect(bundle.workflows.some((w) => w.machineId === 'case')).toBe(false)
    expect(bundle.chain.map((l) => l.sequence)).toEqual(bundle.chain.map((_, i) => i + 1))
    const bare = bundle.chain.filter((l) => l.event === undefined)
    expect(bare.length).toBeGreaterThan(0)
    for (const l of bare) expect(Object.keys(l).sort()).toEqual(['hash', 'prevHash', 'sequence'])
    expect(text).not.toContain('Internal Audit to walk')
    expect(bundle.signOffs.length).toBe(45)
    expect(bundle.signatures.length).toBe(4)
    expect(bundle.publicKey.fingerprint).toBe(loadVerificationKey(copy.keyPath).fingerprint)
    expect(bundle.machines).toEqual(
      expect.arrayContaining([
        { machineId: 'duty-review', version: 3 },
        { machineId: 'report-lifecycle', version: 2 },
      ]),
    )
  })

  type Tamper = (b: EvidenceBundle) => RegExp
  const tampers: Array<[string, Tamper]> = [
    [
      'an event’s field (the time the record took a duty.sign)',
      (b) => {
        const link = b.chain.find((l) => (l.event as { type?: string } | undefined)?.type === 'duty.sign')!
        link.recordedAt = oneCharOff(link.recordedAt!, 18)
        return new RegExp(`^event ${link.sequence}: its hash does not match its fields`)
      },
    ],
    [
      'an event’s field (the role its actor acted in)',
      (b) => {
        const link = b.chain.find((l) => (l.event as { type?: string } | undefined)?.type === 'duty.answer')!
        link.actor!.role = oneCharOff(link.actor!.role, 0)
        return new RegExp(`^event ${link.sequence}: its hash does not match its fields`)
      },
    ],
    [
      'the hash of a link of another workflow',
      (b) => {
        const link = b.chain.find((l) => l.event === undefined)!
        link.hash = oneCharOff(link.hash, 5)
        return new RegExp(`^event ${link.sequence + 1}: does not link to the event before it`)
      },
    ],
    [
      'an officer’s sign-off manifestation (the printed name)',
      (b) => {
        const s = b.signOffs[7]!
        const m = s.manifestation as { officer: { printedName: string } }
        m.officer.printedName = oneCharOff(m.officer.printedName, 1)
        return new RegExp(`^sign_off ${s.id}: its manifestation does not hash to its id`)
      },
    ],
    [
      'a committee’s signature manifestation (the date signed)',
      (b) => {
        const s = b.signatures[1]!
        const m = s.manifestation as { signedAt: string }
        m.signedAt = oneCharOff(m.signedAt, 3)
        return new RegExp(`^signature ${s.id}: its manifestation does not hash to its id`)
      },
    ],
    [
      'a checkpoint’s signature',
      (b) => {
        const c = b.checkpoints[10]!
        c.signature = oneCharOff(c.signature, 0)
        return new RegExp(`^checkpoint ${c.sequence}: its signature does not verify with the public key`)
      },
    ],
    [
      'the public key',
      (b) => {
        const at = b.publicKey.pem.indexOf('\n') + 30
        b.publicKey.pem = oneCharOff(b.publicKey.pem, at)
        return /^publicKey: /
      },
    ],
    [
      'the state a workflow is said to be in',
      (b) => {
        const w = b.workflows.find((x) => x.machineId === 'report-lifecycle')!
        w.state.version += 1
        return new RegExp(`^workflow ${w.id}: its events replay to`)
      },
    ],
  ]
  test.each(tampers)('one character changed in %s: it fails, naming that item first', (_, tamper) => {
    const bundle = JSON.parse(text) as EvidenceBundle
    const first = tamper(bundle)
    const result = check(JSON.stringify(bundle))
    expect(result.ok).toBe(false)
    expect(result.problems[0]).toMatch(first)
  })

  test('checked against the installation’s key, a bundle signed by another key fails on the key', () => {
    const result = verifyBundle(JSON.parse(text), machineLookup, { expectedFingerprint: '0'.repeat(64) })
    expect(result.problems).toEqual([expect.stringMatching(/^publicKey: its fingerprint is [0-9a-f]{64}, not the expected 0{64}/)])
  })
})

test('the bundle of the whole record holds every report’s lifecycle and duty reviews, and verifies', () => {
  const bundle = JSON.parse(recordText) as EvidenceBundle
  expect(new Set(bundle.workflows.map((w) => w.reportId))).toEqual(new Set(['report-2008-q2', 'report-2012-fy', 'report-live']))
  expect(check(recordText)).toMatchObject({ ok: true, problems: [] })
})

test('npm run export writes a bundle; npm run verify checks one with no database and names the first item that fails', async () => {
  const dir = path.dirname(copy.file)
  const out = path.join(dir, 'bundle.json')
  const env = { ...process.env, DATABASE_PATH: path.join(dir, 'no-such.sqlite'), SIGNING_KEY_PATH: copy.keyPath }
  await run(process.execPath, ['--import', 'tsx', 'db/cli/export.ts', 'bundle', 'report-2008-q2', '--database', copy.file, '--out', out], {
    env,
  })
  // What the command wrote is the bundle, and it holds.
  expect(check(fs.readFileSync(out, 'utf8'))).toMatchObject({ ok: true, problems: [] })
  const bundle = JSON.parse(fs.readFileSync(out, 'utf8')) as EvidenceBundle
  const link = bundle.chain.find((l) => l.event !== undefined)!
  link.recordedAt = oneCharOff(link.recordedAt!, 18)
  fs.writeFileSync(out, JSON.stringify(bundle))
  const broken = await run(process.execPath, ['--import', 'tsx', 'db/cli/verify.ts', out], { env }).catch(
    (e: { code: number; stderr: string }) => e,
  )
  expect((broken as { code: number }).code).toBe(1)
  expect((broken as { stderr: string }).stderr).toContain(
    `the first item that fails: event ${link.sequence}: its hash does not match its fields`,
  )
}, 40_000)
