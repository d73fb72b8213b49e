import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { renderPacketPdf } from '../../db/exports/packet-pdf.server'
import { machineLookup } from '../../db/machine-lookup'
import { findPacketFacts } from '../../db/queries/packet'
import { loadVerificationKey } from '../../db/signing-key'
import { type SeededCopy, copySeededDatabase } from '../utils/test-db'

// The PDF certification packet, read back with poppler's pdftotext: every
// manifestation of the report (the officers' sign-offs and the signatures of the
// committees and the approvers) with its meaning, printed name and date; the cover;
// "Page 1 of N" on a packet of N pages; a name in letters beyond Latin-1; and never a
// reported matter's confidential notes, questions or answers.

const run = promisify(execFile)
const UNICODE_NAME = 'Ávery Łedger-Żółć Δημήτρης Ёлкин'
let copy: SeededCopy
const texts = new Map<string, { text: string; pages: number }>()

/** pdftotext's words, one space between each (a line wrapped in the PDF reads as one). */
const words = (s: string) => s.replace(/\s+/g, ' ').trim()

beforeAll(async () => {
  copy = copySeededDatabase('packet')
  // The matrix names each officer as they are now: one of them with letters no Latin-1 font has.
  await copy.db.updateTable('user').set({ full_name: UNICODE_NAME }).where('id', '=', 'user-cfo').execute()
  const reader = { lookup: machineLookup, key: loadVerificationKey(copy.keyPath) }
  for (const reportId of ['report-2008-q2', 'report-2012-fy']) {
    const facts = await findPacketFacts(copy.db, reader, reportId, { namesCases: true, now: new Date('2026-12-03T09:00:00Z') })
    const file = path.join(path.dirname(copy.file), `${reportId}.pdf`)
    const doc = renderPacketPdf(facts!)
    await new Promise<void>((resolve, reject) =>
      doc
        .pipe(fs.createWriteStream(file))
        .on('finish', () => resolve())
        .on('error', reject),
    )
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-'])
    texts.set(reportId, { text: words(stdout), pages: stdout.split('\f').filter((p) => p.trim()).length })
  }
}, 60_000)
afterAll(() => copy.close())

describe.each(['report-2008-q2', 'report-2012-fy'])('the packet of %s', (reportId) => {
  test('holds every sign-off and every signature of the report as manifested: meaning, printed name, date', async () => {
    const { text } = texts.get(reportId)!
    const signOffs = await copy.db
      .selectFrom('sign_off')
      .select(['id', 'printed_name', 'meaning_text', 'signed_at_local'])
      .where('report_id', '=', reportId)
      .execute()
    expect(signOffs.length).toBeGreaterThan(0)
    for (const s of signOffs) {
      expect(text).toContain(s.id)
      expect(text).toContain(words(s.printed_name))
      expect(text).toContain(words(s.signed_at_local))
    }
    // One "Meaning:" line for each sign-off, each quoting its meaning.
    expect(text.match(/Meaning: Attested/g)?.length).toBe(signOffs.length)
    for (const m of new Set(signOffs.map((s) => s.meaning_text))) expect(text).toContain(`Meaning: ${words(m)}`)
    const acts = await copy.db
      .selectFrom('signature')
      .select(['id', 'printed_name', 'meaning_text', 'signed_at_local'])
      .where('report_id', '=', reportId)
      .execute()
    for (const a of acts) {
      expect(text).toContain(a.id)
      expect(text).toContain(words(`${a.printed_name}: ${a.meaning_text}`))
      expect(text).toContain(words(a.signed_at_local))
    }
    if (reportId === 'report-2008-q2') expect(acts.length).toBe(4)
  })

  test('numbers its pages “Page i of n”, every one, and names an officer in any Unicode letters', () => {
    const { text, pages } = texts.get(reportId)!
    expect(pages).toBeGreaterThan(1)
    for (let i = 1; i <= pages; i++) expect(text).toContain(`Page ${i} of ${pages}`)
    expect(text).not.toContain(`Page ${pages + 1} of`)
    expect(text).toContain(UNICODE_NAME)
  })
})

test('the cover names the company, the form, the period, the due and filed dates and the accession number; the end, the signed head', async () => {
  const { text } = texts.get('report-2008-q2')!
  for (const s of [
    'Company: Hecla Mining Company (HL)',
    'Form: 10-Q',
    'Period: Quarter 2 of fiscal 2008, ended June 30, 2008',
    'Due date: August 11, 2008',
    'Filed: Aug 8, 2008',
    'Accession number: 0000719413-08-000045',
  ])
    expect(text).toContain(s)
  const head = await copy.db.selectFrom('chain_checkpoint').selectAll().orderBy('sequence', 'desc').limit(1).executeTakeFirstOrThrow()
  expect(text).toContain(`Head hash: ${head.head_hash}`)
  expect(text).toContain(`Key fingerprint (SHA-256 of the public key): ${loadVerificationKey(copy.keyPath).fingerprint}`)
  expect(texts.get('report-2012-fy')!.text).toContain('Filed: not filed')
})

test('the Q2 2008 packet says each reported matter’s outcome, never its notes, questions, answers or resolution note', async () => {
  const reportId = 'report-2008-q2'
  const { text } = texts.get(reportId)!
  const cases = await copy.db
    .selectFrom('workflow_instance as i')
    .innerJoin('workflow_snapshot as s', 's.instance_id', 'i.id')
    .select(['i.id', 's.snapshot'])
    .where('i.report_id', '=', reportId)
    .where('i.machine_id', '=', 'case')
    .execute()
  expect(cases.length).toBeGreaterThan(0)
  const secrets: string[] = []
  for (const c of cases) {
    const context = (JSON.parse(c.snapshot) as { context: { resolution: { note: string } | null; reporter: unknown } }).context
    if (context.resolution) secrets.push(context.resolution.note)
    const messages = await copy.db.selectFrom('case_message').select('body').where('case_instance_id', '=', c.id).execute()
    secrets.push(...messages.map((m) => m.body))
  }
  expect(secrets.length).toBeGreaterThan(0)
  for (const secret of secrets) expect(text.includes(words(secret).slice(0, 60)), `the packet quotes “${secret}”`).toBe(false)
  expect(text).toContain('case-2008-q2-fx-close-control (duty 2): resolved; outcome: remediated')
  expect(text.match(/: resolved; outcome: disclosed/g)?.length).toBe(6)
})
