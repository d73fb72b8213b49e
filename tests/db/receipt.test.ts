import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { buildReceipt, checkReceiptAgainstDatabase, checkReceiptOffline, parseReceipt, type Receipt } from '../../db/receipt'
import { loadVerificationKey } from '../../db/signing-key'
import { type SeededCopy, copySeededDatabase } from '../utils/test-db'

// A receipt of a sign-off proves itself with the public key alone, and against the
// database that the record still holds exactly that sign-off; any one character of
// the sign-off changed in the file makes it fail, naming what.

const run = promisify(execFile)
let copy: SeededCopy
let signOffId: string
let actId: string
let text: string
let receipt: Receipt

beforeAll(async () => {
  copy = copySeededDatabase('receipt')
  const signOff = await copy.db
    .selectFrom('sign_off')
    .select('id')
    .where('report_id', '=', 'report-2008-q2')
    .where('officer_user_id', '=', 'user-cfo')
    .where('duty_number', '=', 1)
    .orderBy('workflow_sequence', 'desc')
    .executeTakeFirstOrThrow()
  signOffId = signOff.id
  actId = (
    await copy.db
      .selectFrom('signature')
      .select('id')
      .where('report_id', '=', 'report-2008-q2')
      .where('act', '=', 'audit_committee_review')
      .executeTakeFirstOrThrow()
  ).id
  receipt = (await buildReceipt(copy.db, signOffId, new Date('2026-12-03T00:00:00Z')))!
  text = JSON.stringify(receipt, null, 2)
})
afterAll(() => copy.close())

const key = () => loadVerificationKey(copy.keyPath)
const offline = (t: string) => {
  const { receipt: r, problems } = parseReceipt(t)
  return r ? checkReceiptOffline(r, key()) : { ok: false, problems }
}
const online = (t: string) => {
  const { receipt: r, problems } = parseReceipt(t)
  return r ? checkReceiptAgainstDatabase(r, key(), copy.file) : { ok: false, problems }
}

test('a receipt of an officer’s sign-off and one of a committee’s signature verify offline and against the database', async () => {
  expect(receipt).toMatchObject({ kind: 'hecla-attest/receipt/v1', table: 'sign_off', id: signOffId })
  expect(receipt.chain.event.event).toMatchObject({ type: 'duty.sign', signatureId: signOffId })
  expect(offline(text)).toEqual({ ok: true, problems: [] })
  expect(online(text)).toEqual({ ok: true, problems: [] })
  const act = JSON.stringify(await buildReceipt(copy.db, actId))
  expect(JSON.parse(act)).toMatchObject({ table: 'signature', id: actId })
  expect(online(act)).toEqual({ ok: true, problems: [] })
  expect(await buildReceipt(copy.db, 'f'.repeat(64))).toBeNull()
})

/** The receipt's text with the character at `at` replaced by another. */
const changedAt = (t: string, at: number) => t.slice(0, at) + (t[at] === 'x' ? 'y' : 'x') + t.slice(at + 1)

test('any single character of the sign-off changed in the file fails offline, naming the manifestation', () => {
  const start = text.indexOf('"manifestation": ')
  const end = text.indexOf('\n  "chain": ')
  expect(end - start).toBeGreaterThan(1000)
  for (let at = start + '"manifestation": '.length; at < end; at++) {
    const check = offline(changedAt(text, at))
    if (check.ok || !check.problems.some((p) => /^manifestation|not JSON/.test(p)))
      throw new Error(`a change at ${at} (${JSON.stringify(text.slice(at - 10, at + 10))}) went unnoticed: ${check.problems.join('; ')}`)
  }
})

test('against the database, a changed sign-off names the row whose manifestation is not the receipt’s', () => {
  const at = text.indexOf('"printedName": "') + '"printedName": "'.length
  const check = online(changedAt(text, at))
  expect(check.ok).toBe(false)
  expect(check.problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^manifestation: its sha-256 is [0-9a-f]{64}, not the receipt's id/),
      `sign_off ${signOffId}: the record's manifestation is not the receipt's`,
    ]),
  )
  // The event's fields and the signed head are checked too.
  const recordedAt = text.indexOf('"recordedAt": "') + '"recordedAt": "'.length + 3
  expect(online(changedAt(text, recordedAt)).problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^chain\.event: its hash is/),
      expect.stringMatching(/the record's event is not the one/),
    ]),
  )
  const forgedHead: Receipt = JSON.parse(text)
  forgedHead.signedHead.signature = Buffer.from('x'.repeat(64)).toString('base64')
  expect(checkReceiptOffline(forgedHead, key()).problems).toEqual([expect.stringMatching(/^signedHead\.signature: does not verify/)])
})

test('`npm run verify -- --receipt <file> [database]`: OK with and without the database, BROKEN naming the manifestation', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-receipt-'))
  try {
    const good = path.join(dir, 'receipt.json')
    const bad = path.join(dir, 'changed.json')
    fs.writeFileSync(good, text)
    fs.writeFileSync(bad, changedAt(text, text.indexOf('"meaningText": "') + 20))
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'db/cli/verify.ts', '--key', copy.keyPath, ...args]).then(
        ({ stdout }) => ({ code: 0, out: stdout }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, out: error.stdout + error.stderr }),
      )
    const [withDb, alone, broken] = await Promise.all([cli('--receipt', good, copy.file), cli('--receipt', good), cli('--receipt', bad)])
    expect(withDb).toMatchObject({ code: 0, out: expect.stringContaining('still holds exactly this sign-off') })
    expect(alone).toMatchObject({ code: 0, out: expect.stringContaining('is signed by this key') })
    expect(broken.code).toBe(1)
    expect(broken.out).toMatch(/BROKEN: .*changed\.json\n {2}- manifestation: its sha-256 is/)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}, 60_000)
