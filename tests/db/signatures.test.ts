import { createHash } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { canonicalJson } from '../../db/canonical-json'
import { type ActManifestationFacts, actManifestationHash, buildActManifestation, insertSignature } from '../../db/sign-off'
import { type SeededCopy, copySeededDatabase } from '../utils/test-db'

// Signatures of acts (migration 007): a committee's step, an approval for filing,
// a director's signature of a determination. The id is the hash of what was
// signed, and the row, once written, can be neither changed nor removed.
const FACTS: ActManifestationFacts = {
  company: { name: 'Hecla Mining Company', ticker: 'HL', timeZone: 'America/Los_Angeles' },
  act: 'audit_committee_review',
  capacity: 'audit_committee',
  report: { id: 'report-2012-fy', form: '10-K', fiscalYear: 2012, fiscalQuarter: null, periodEnd: '2012-12-31' },
  draft: { id: 'draft-2012-fy-v1', version: 1, sha256: 'd'.repeat(64) },
  signer: { userId: 'user-audit-chair', printedName: 'Morgan Oversight', title: 'Director, Chair of the Audit Committee' },
  note: 'Reviewed the draft with the independent auditors on February 19.',
  at: new Date('2013-02-20T01:30:00.000Z'),
}

let copy: SeededCopy
beforeAll(() => {
  copy = copySeededDatabase('signatures')
})
afterAll(() => copy.close())

test('an act’s manifestation says who, in which capacity, meaning what, with the note and both clocks', () => {
  const m = buildActManifestation(FACTS)
  expect(m).toMatchObject({
    kind: 'hecla-attest/signature/v1',
    act: 'audit_committee_review',
    capacity: 'audit_committee',
    meaningText: 'Reviewed the report, for the Audit Committee',
    note: FACTS.note,
    signedAt: '2013-02-20T01:30:00.000Z',
    timeZone: 'America/Los_Angeles',
  })
  expect(m.signedAtLocal).toMatch(/February 19, 2013.*5:30:00 PM PST/)
  expect(actManifestationHash(m)).toBe(createHash('sha256').update(canonicalJson(m)).digest('hex'))
  // One changed word of the note is another signature.
  expect(actManifestationHash(buildActManifestation({ ...FACTS, note: 'Reviewed the draft.' }))).not.toBe(actManifestationHash(m))
})

test('a signature row is bound to an event, keyed by its hash, and append-only', async () => {
  const event = await copy.db
    .selectFrom('workflow_event')
    .select(['sequence', 'instance_id'])
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  const m = buildActManifestation(FACTS)
  const id = await insertSignature(copy.db, m, { workflowInstanceId: event.instance_id, workflowSequence: event.sequence })
  expect(id).toBe(actManifestationHash(m))
  const row = await copy.db.selectFrom('signature').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  expect(row).toMatchObject({
    act: 'audit_committee_review',
    capacity: 'audit_committee',
    printed_name: 'Morgan Oversight',
    note: FACTS.note,
  })
  expect(JSON.parse(row.manifestation)).toEqual(m)
  // A second signature cannot claim the same event.
  await expect(
    insertSignature(copy.db, buildActManifestation({ ...FACTS, note: 'another' }), {
      workflowInstanceId: event.instance_id,
      workflowSequence: event.sequence,
    }),
  ).rejects.toThrow(/UNIQUE/)
  await expect(
    copy.db
      .updateTable('signature')
      .set({ note: 'changed' } as never)
      .where('id', '=', id)
      .execute(),
  ).rejects.toThrow(/append-only/)
  await expect(copy.db.deleteFrom('signature').where('id', '=', id).execute()).rejects.toThrow(/append-only/)
  // An act that is not one of the four, or a capacity that is not a body or office, is refused by the table itself.
  await expect(
    insertSignature(
      copy.db,
      { ...buildActManifestation(FACTS), act: 'approval' as never },
      { workflowInstanceId: event.instance_id, workflowSequence: 1 },
    ),
  ).rejects.toThrow(/CHECK/)
})
