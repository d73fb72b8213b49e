import fs from 'node:fs'
import SQLite from 'better-sqlite3'
import fc from 'fast-check'
import { afterEach, expect, test } from 'vitest'
import { canonicalJson } from '../../db/canonical-json'
import { machineLookup } from '../../db/machine-lookup'
import { headFilePath, loadVerificationKey } from '../../db/signing-key'
import { verifyChainInParallel, verifyRecord, verifyRecordInParallel } from '../../db/verify'
import { chainedJson, HEAD_FILE_BYTES, writeHeadFile } from '../../db/workflow-record'
import { tamperWith } from '../utils/tamper'
import { copySeededDatabase, type SeededCopy } from '../utils/test-db'

// Issue 13: the verifier's fast paths say exactly what the plain ones say. The
// chained text built from the stored parts is the canonical JSON the write path
// hashes; the worker threads' report is the one-thread report; --no-replay is the
// chain check and names what it leaves out.

let copy: SeededCopy | undefined
afterEach(async () => {
  await copy?.close()
  copy = undefined
})

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  ),
})).value

test('chainedJson over canonical parts is canonicalJson of the chained fields', () => {
  fc.assert(
    fc.property(
      json,
      json,
      fc.nat(),
      fc.nat(),
      fc.option(fc.string(), { nil: null }),
      fc.string(),
      fc.string(),
      (event, subject, sequence, version, userId, role, recordedAt) => {
        const instance = { id: 'w', machineId: 'm', machineVersion: 1, reportId: null, subject, input: null }
        const fields = { sequence, instance, instanceVersion: version, event, actor: { userId, role }, recordedAt, prevHash: 'p' }
        const parts = {
          sequence,
          instanceJson: canonicalJson(instance),
          instanceVersion: version,
          eventJson: canonicalJson(event),
          actor: { userId, role },
          recordedAt,
          prevHash: 'p',
        }
        expect(chainedJson(parts)).toBe(canonicalJson(JSON.parse(canonicalJson(fields))))
      },
    ),
  )
})

test('over worker threads the report is the one-thread report, on a sound and on a damaged copy', async () => {
  copy = copySeededDatabase('verify-parallel')
  const key = loadVerificationKey(copy.keyPath)
  const sound = await verifyRecordInParallel({ file: copy.file, key, workers: 2 })
  expect(sound).toEqual(verifyRecord({ file: copy.file, key, lookup: machineLookup }))
  expect(sound.ok).toBe(true)

  tamperWith(copy.file, (s) => {
    s.prepare(
      'UPDATE chain_checkpoint SET signature = (SELECT signature FROM chain_checkpoint WHERE sequence = 1) WHERE sequence = 5',
    ).run()
    s.prepare(
      `UPDATE workflow_snapshot SET state = '"signed"' WHERE rowid = (SELECT MIN(rowid) FROM workflow_snapshot WHERE state <> '"signed"')`,
    ).run()
    s.prepare('UPDATE workflow_event_state SET state_value = \'"nowhere"\' WHERE sequence = 7').run()
  })
  const parallel = await verifyRecordInParallel({ file: copy.file, key, workers: 2 })
  const single = verifyRecord({ file: copy.file, key, lookup: machineLookup })
  expect(parallel).toEqual(single)
  expect(parallel.problems.map((p) => p.message)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^workflow_event 5: the signed checkpoint does not verify/),
      expect.stringMatching(/^workflow_event_state 7: it says event 7 led to "nowhere"/),
      expect.stringMatching(/^workflow_snapshot .*: the cached state/),
    ]),
  )
  expect(parallel.firstBrokenSequence).toBe(5)
}, 60_000)

test('--no-replay is the chain check: a damaged cache or an older checkpoint is not its business, an edited event is', async () => {
  copy = copySeededDatabase('verify-chain-only')
  const key = loadVerificationKey(copy.keyPath)
  tamperWith(copy.file, (s) => {
    s.prepare(`UPDATE workflow_snapshot SET state = '"signed"' WHERE rowid = 1`).run()
    s.prepare(
      'UPDATE chain_checkpoint SET signature = (SELECT signature FROM chain_checkpoint WHERE sequence = 1) WHERE sequence = 5',
    ).run()
  })
  expect(verifyRecord({ file: copy.file, key, lookup: machineLookup, replay: false })).toMatchObject({ ok: true })
  expect(verifyRecord({ file: copy.file, key, lookup: machineLookup }).ok).toBe(false)

  tamperWith(copy.file, (s) => s.prepare(`UPDATE workflow_event SET recorded_at = '2001-01-01T00:00:00.000Z' WHERE sequence = 9`).run())
  const chainOnly = verifyRecord({ file: copy.file, key, lookup: machineLookup, replay: false })
  expect(chainOnly.problems.map((p) => p.message)).toEqual([
    expect.stringMatching(/^workflow_event 9: its content does not match its hash/),
  ])
}, 60_000)

test('the head file is one padded sector, overwritten in place, and read as JSON', () => {
  copy = copySeededDatabase('head-file')
  const key = loadVerificationKey(copy.keyPath)
  const install = (
    new SQLite(copy.file, { readonly: true }).prepare('SELECT installation_id FROM record_meta').get() as {
      installation_id: string
    }
  ).installation_id
  const file = headFilePath(copy.keyPath, install)
  const head = fs.readFileSync(file, 'utf8')
  // The seeded copy's head was written by the record: one sector.
  expect(Buffer.byteLength(head)).toBe(HEAD_FILE_BYTES)
  // An older, longer file is cut to the sector; a shorter JSON leaves no trace of the longer one.
  fs.writeFileSync(file, `${head.trim()}${' '.repeat(2 * HEAD_FILE_BYTES)}`)
  writeHeadFile(file, head.trim())
  expect(fs.statSync(file).size).toBe(HEAD_FILE_BYTES)
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(JSON.parse(head))
  expect(verifyRecord({ file: copy.file, key, lookup: machineLookup, replay: false }).ok).toBe(true)
})

test('the chain check in segments on threads reports what one pass reports, wherever the damage falls', async () => {
  copy = copySeededDatabase('verify-chain-segments')
  const key = loadVerificationKey(copy.keyPath)
  const file = copy.file
  const events = (new SQLite(file, { readonly: true }).prepare('SELECT COUNT(*) AS n FROM workflow_event').get() as { n: number }).n
  const bounds = [Math.floor(events / 3), Math.floor((2 * events) / 3)]
  const same = async () => {
    const single = verifyRecord({ file, key, lookup: machineLookup, replay: false })
    expect(await verifyChainInParallel({ file, key, lookup: machineLookup, replay: false, splitAt: bounds }, 3)).toEqual(single)
    return single
  }
  expect((await same()).ok).toBe(true)
  // At a segment's first row and around it: an edit, a deleted row, two rows swapped.
  const at = bounds[0]! + 1
  tamperWith(file, (s) => {
    s.prepare(`UPDATE workflow_event SET recorded_at = '2001-01-01T00:00:00.000Z' WHERE sequence = ?`).run(at)
    s.prepare('DELETE FROM workflow_event WHERE sequence = ?').run(bounds[1]!)
    s.prepare('UPDATE workflow_event SET sequence = 1000000 WHERE sequence = ?').run(at + 2)
    s.prepare('UPDATE workflow_event SET sequence = ? WHERE sequence = ?').run(at + 2, at + 3)
    s.prepare('UPDATE workflow_event SET sequence = ? WHERE sequence = 1000000').run(at + 3)
  })
  const damaged = await same()
  expect(damaged.ok).toBe(false)
  expect(damaged.firstBrokenSequence).toBe(at)
}, 60_000)
