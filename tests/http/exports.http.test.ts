import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { verifyBundle } from '../../db/exports/bundle-verify'
import { machineLookup } from '../../db/machine-lookup'
import { sessionsOf } from './sessions'

// The packet and the bundles over HTTP, per route × role × own/other record: the
// history readers of every officer (the Audit Committee, the Chairman, the
// Disclosure Committee) download them; a certifying officer is refused, whoever's
// report it is (a packet and a bundle hold every officer's sign-offs); the
// auditors and the administrator are refused; nothing of the record is written.

const run = promisify(execFile)
const USERS = {
  ceo: 'ceo@hecla.example',
  cfo: 'cfo@hecla.example',
  cao: 'controller@hecla.example',
  disclosureChair: 'disclosure@hecla.example',
  chairman: 'chairman@hecla.example',
  auditChair: 'audit.chair@hecla.example',
  auditMember: 'audit.member@hecla.example',
  internalAuditor: 'internal.audit@hecla.example',
  independentAuditor: 'auditor@hecla.example',
  admin: 'admin@hecla.example',
} as const
type Who = keyof typeof USERS
const READERS = ['disclosureChair', 'chairman', 'auditChair', 'auditMember'] as const
const OFFICERS = ['ceo', 'cfo', 'cao'] as const
const OUTSIDERS = ['internalAuditor', 'independentAuditor', 'admin'] as const
const PACKET = '/reports/report-2012-fy/packet.pdf'
const ROUTES = [PACKET, '/reports/report-2008-q2/bundle.json', '/history/bundle.json'] as const

const baseURL = inject('baseURL')
const databasePath = inject('databasePath')
let sqlite: Database.Database
beforeAll(() => {
  sqlite = new Database(databasePath, { readonly: true, fileMustExist: true })
})
afterAll(() => sqlite?.close())

const as = sessionsOf(USERS)
const get = async (who: Who, url: string) => fetch(`${baseURL}${url}`, { redirect: 'manual', headers: { Cookie: await as(who) } })
/** The record's own rows: what a download must never add to. */
const recordCounts = () =>
  ['workflow_event', 'chain_checkpoint', 'sign_off', 'signature', 'workflow_instance'].map(
    (t) => (sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
  )

describe.each(ROUTES)('%s', (route) => {
  test('the history readers of every officer download it; officers, auditors and the administrator are refused, nothing written', async () => {
    const before = recordCounts()
    for (const who of READERS) {
      const response = await get(who, route)
      expect(response.status, who).toBe(200)
      expect(response.headers.get('content-disposition'), who).toMatch(/^attachment; filename="[a-z0-9-]+\.(pdf|json)"$/)
      const body = Buffer.from(await response.arrayBuffer())
      if (route === PACKET) expect(body.subarray(0, 5).toString(), who).toBe('%PDF-')
      else expect(body.subarray(0, 1).toString(), who).toBe('{')
    }
    for (const who of [...OFFICERS, ...OUTSIDERS]) {
      const response = await get(who, route)
      expect(response.status, who).toBe(403)
      expect(response.headers.get('content-type'), who).not.toMatch(/pdf|json/)
    }
    expect(recordCounts()).toEqual(before)
  }, 60_000)
})

test('an unknown report is a 404 for a reader, and still a 403 for an officer', async () => {
  for (const url of ['/reports/no-such-report/packet.pdf', '/reports/no-such-report/bundle.json']) {
    expect((await get('auditMember', url)).status).toBe(404)
    expect((await get('cfo', url)).status).toBe(403)
  }
})

test('the downloaded bundle of the Q2 2008 10-Q verifies offline, with the installation’s key', async () => {
  const response = await get('auditChair', '/reports/report-2008-q2/bundle.json')
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const bundle = (await response.json()) as { signOffs: unknown[]; publicKey: { fingerprint: string } }
  expect(bundle.signOffs.length).toBe(45)
  const result = verifyBundle(bundle, machineLookup)
  expect(result.problems).toEqual([])
  const checkpoint = sqlite.prepare('SELECT key_fingerprint FROM chain_checkpoint ORDER BY sequence DESC LIMIT 1').get() as {
    key_fingerprint: string
  }
  expect(bundle.publicKey.fingerprint).toBe(checkpoint.key_fingerprint)
})

test('the Chairman’s packet says “a reported matter” where the Audit Committee’s names the case', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attest-packet-http-'))
  try {
    const textOf = async (who: Who) => {
      const file = path.join(dir, `${who}.pdf`)
      fs.writeFileSync(file, Buffer.from(await (await get(who, PACKET)).arrayBuffer()))
      return (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout.replace(/\s+/g, ' ')
    }
    const audit = await textOf('auditMember')
    expect(audit).toContain('case-2012-canamex (duty 1)')
    expect(audit).toMatch(/Page 1 of \d+/)
    const chairman = await textOf('chairman')
    expect(chairman).not.toContain('case-2012-canamex (duty 1)')
    expect(chairman).toContain('A reported matter (duty 1)')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
