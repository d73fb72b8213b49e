import SQLite from 'better-sqlite3'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { canonicalJson } from '../../db/canonical-json'
import { machineLookup } from '../../db/machine-lookup'
import type { Signature } from '../../db/schema'
import { actManifestationHash } from '../../db/sign-off'
import { loadVerificationKey } from '../../db/signing-key'
import { verifyRecord } from '../../db/verify'
import { type SeededCopy, copySeededDatabase } from '../utils/test-db'

// The signatures of acts (a committee's step, an approval for filing) are checked
// as officers' sign-offs are: someone holding the file, triggers dropped, edits a
// row, and verify names the row and what does not hold.

let copy: SeededCopy
beforeEach(async () => {
  copy = copySeededDatabase('tamper-signatures')
  await copy.db.destroy()
})
afterEach(() => copy.close())

function tamper(statements: (sqlite: SQLite.Database) => void) {
  const sqlite = new SQLite(copy.file)
  for (const t of sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[])
    sqlite.exec(`DROP TRIGGER ${t.name}`)
  sqlite.pragma('foreign_keys = OFF')
  sqlite.transaction(() => statements(sqlite))()
  sqlite.close()
}

const verify = () => verifyRecord({ file: copy.file, key: loadVerificationKey(copy.keyPath), lookup: machineLookup })

function signatures(s: SQLite.Database): Signature[] {
  return s.prepare("SELECT * FROM signature WHERE report_id = 'report-2008-q2' ORDER BY workflow_sequence").all() as Signature[]
}

test('the seeded record verifies, its committees’ steps and approvals for filing among what is checked', () => {
  const report = verify()
  expect(report.problems).toEqual([])
  // The Q2 2008 10-Q: the Disclosure Committee, the Audit Committee, the CEO's and the CFO's approvals.
  expect(report.signatures).toBeGreaterThanOrEqual(4)
})

test('a signature whose manifestation was edited (one word of its note) fails, naming the row and why', () => {
  let id = ''
  tamper((s) => {
    const row = signatures(s).find((r) => r.act === 'audit_committee_review')!
    id = row.id
    const m = JSON.parse(row.manifestation) as { note: string }
    m.note = `${m.note} (amended)`
    s.prepare('UPDATE signature SET manifestation = ?, note = ? WHERE id = ?').run(canonicalJson(m), m.note, id)
  })
  const report = verify()
  expect(report.ok).toBe(false)
  expect(report.problems).toEqual([
    expect.objectContaining({ table: 'signature', row: id, message: expect.stringMatching(/is not the sha-256 of its manifestation/) }),
  ])
})

test('a signature rewritten throughout (its id recomputed) no longer matches the event that carries it', () => {
  let forged = ''
  tamper((s) => {
    const row = signatures(s).find((r) => r.act === 'audit_committee_review')!
    const m = JSON.parse(row.manifestation) as { note: string }
    m.note = 'Reviewed nothing.'
    forged = actManifestationHash(m as never)
    s.prepare('UPDATE signature SET id = ?, manifestation = ?, note = ? WHERE id = ?').run(forged, canonicalJson(m), m.note, row.id)
  })
  const messages = verify().problems.map((p) => p.message)
  expect(messages).toEqual(
    expect.arrayContaining([
      expect.stringMatching(new RegExp(`^signature ${forged}: event \\d+, which it names, carries signature [0-9a-f]{64}, not this one`)),
      expect.stringMatching(
        /^workflow_event \d+: its report.auditCommitteeReview carries signature [0-9a-f]{64}, which has no signature row/,
      ),
    ]),
  )
})

test('a signature copied onto another event (the CEO’s approval moved to the CFO’s) fails, naming the event and the signer', () => {
  let ceo: Signature | undefined
  let cfoSequence = 0
  tamper((s) => {
    const approvals = signatures(s).filter((r) => r.act === 'approval_for_filing')
    ceo = approvals.find((r) => r.capacity === 'ceo')!
    const cfo = approvals.find((r) => r.capacity === 'cfo')!
    cfoSequence = cfo.workflow_sequence
    s.prepare('DELETE FROM signature WHERE id = ?').run(cfo.id)
    s.prepare('UPDATE signature SET workflow_sequence = ? WHERE id = ?').run(cfoSequence, ceo.id)
  })
  const report = verify()
  expect(report.ok).toBe(false)
  const about = report.problems.filter((p) => p.table === 'signature' && p.row === ceo!.id).map((p) => p.message)
  expect(about).toEqual(
    expect.arrayContaining([
      expect.stringContaining(`event ${cfoSequence}, which it names, carries signature`),
      expect.stringContaining(`event ${cfoSequence}, which it names, was recorded for user-cfo, not its signer user-ceo`),
    ]),
  )
})

test('a signature moved to another report’s workflow names the report it is not of', () => {
  let id = ''
  tamper((s) => {
    const row = signatures(s).find((r) => r.act === 'disclosure_committee_approval')!
    id = row.id
    s.prepare("UPDATE signature SET workflow_instance_id = 'report/report-2012-fy' WHERE id = ?").run(id)
  })
  const messages = verify()
    .problems.filter((p) => p.row === id)
    .map((p) => p.message)
  expect(messages.join('\n')).toMatch(/belongs to report\/report-2008-q2, not to its workflow report\/report-2012-fy/)
  expect(messages.join('\n')).toMatch(/is of report report-2012-fy, not of its report report-2008-q2/)
})
