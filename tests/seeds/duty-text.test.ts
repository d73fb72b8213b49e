import { createHash } from 'node:crypto'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import { DUTIES } from '../../machines/duties'
import { seedDemoCompany } from '../../seeds/load'
import { createTestDb, demoPasswordHash } from '../utils/test-db'

// The duties' words are the Code of Ethics' own, verbatim. The source document is
// not part of this repository, so its twelve numbered paragraphs are pinned here by
// the SHA-256 of their normalised text: white space runs folded to one space (the
// document has a page break inside duty 4), trimmed, Unicode NFC. Computed once from
// Hecla Mining Company's "Code of Ethics for the Chief Executive Officer and Senior
// Financial Officers" (the text file whose own SHA-256 is
// 494230734876e3b318611bbdc5264587d17a3d6a155ad1839c9ffe2f706b878f), splitting it at
// "N. " paragraph numbers. A changed word, comma or quote in the catalogue fails here.
const SEED_PARAGRAPH_SHA256: Record<number, { sha256: string; length: number }> = {
  1: { sha256: '6ef00221e61715d85a7cf89205556367ee43bfe837442de2fa772c7595b7d175', length: 560 },
  2: { sha256: 'f7c8c2c81bc10484fde3bb69460b697a47051617a35d1e87c4f05dc5b98d9b32', length: 548 },
  3: { sha256: '1a9d6c97e864cc788c9c5a3a5cf2cd0dfee3d9a465f080c867834cd496917670', length: 508 },
  4: { sha256: '9375ad2a28ae2f6a4e5703df90d266cbfcc5d6505b5c5e6aaacb47636c10d81b', length: 471 },
  5: { sha256: '9a9b74cf42a6710faadda1fd6063e5ec92d14189f6a4d75104245ffa1f6d70fb', length: 1330 },
  6: { sha256: '91f5017eb6d635cd86c458631ddcd13dcfa0b8404c99a3f56a23a98b994465bc', length: 159 },
  7: { sha256: 'a739c0b619b2d1144d1e7493a085aa034530e2b9e6845bb81738c3982af8d967', length: 264 },
  8: { sha256: 'b35912cb0df2206a6aaf70e1106016bdf593ef3bf0d43c746613227dc9214148', length: 185 },
  9: { sha256: 'bbfc40c66c6ed138849c56f6456f8f02276e2bbea694dee9ebd2d8bc121405d1', length: 419 },
  10: { sha256: '15ef58196057a47a41232cc9ae5293916d4d15f54453448bf3525b1cc4fd8258', length: 178 },
  11: { sha256: 'f90f5dd5ec27443237319d609a18045064e40d228b8854f4620ef843d510a5e1', length: 150 },
  12: { sha256: '78cf37a162d0f12c418dbf84037140c2071e5c1e29a5e5e5c3dbe2d8aab045bd', length: 265 },
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim().normalize('NFC')
const sha256 = (text: string) => createHash('sha256').update(normalise(text)).digest('hex')

let db: DB
let close: () => Promise<void>
beforeAll(async () => {
  ;({ db, close } = await createTestDb('duty-text'))
  await seedDemoCompany(db, { passwordHash: await demoPasswordHash() })
})
afterAll(() => close())

test('the catalogue holds exactly the twelve duties of the code, in order', () => {
  expect(DUTIES.map((d) => d.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
})

test.each(DUTIES.map((d) => [d.number]))('duty %i: the catalogue and the database hold the code’s words', async (n) => {
  const pinned = SEED_PARAGRAPH_SHA256[n]!
  const catalogue = DUTIES.find((d) => d.number === n)!.text
  const stored = await db.selectFrom('duty').select('text').where('number', '=', n).executeTakeFirstOrThrow()
  expect({ length: normalise(catalogue).length, sha256: sha256(catalogue) }).toEqual(pinned)
  expect(stored.text).toBe(catalogue)
})

test('one changed character in a duty’s words changes its pinned hash', () => {
  const text = DUTIES[0]!.text
  expect(sha256(text.replace('Disclosure Committee', 'Disclosure  Committee'))).toBe(SEED_PARAGRAPH_SHA256[1]!.sha256)
  expect(sha256(text.replace('Disclosure Committee', 'Disclosure committee'))).not.toBe(SEED_PARAGRAPH_SHA256[1]!.sha256)
})
