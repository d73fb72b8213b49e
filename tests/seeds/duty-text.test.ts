import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { DB } from '../../db/client'
import { DUTIES } from '../../machines/duties'
import { seedDemoCompany } from '../../seeds/load'
import { createTestDb, demoPasswordHash } from '../utils/test-db'

// The seed is the source of truth for the duties' words. It is read here, not
// copied: the twelve numbered paragraphs, white space folded (the seed has a page
// break inside duty 4).
const SEED = path.resolve(__dirname, '../../../shared/seeds/001_5419186731bd56ab.txt')

function dutiesFromSeed(): Map<number, string> {
  const text = fs.readFileSync(SEED, 'utf8').replace(/\s+/g, ' ')
  const paragraphs = new Map<number, string>()
  const pattern = /(?:^| )(\d{1,2})\. (.*?)(?= \d{1,2}\. |$)/g
  for (const match of text.matchAll(pattern)) paragraphs.set(Number(match[1]), match[2]!.trim())
  return paragraphs
}

let db: DB
let close: () => Promise<void>
beforeAll(async () => {
  ;({ db, close } = await createTestDb('duty-text'))
  await seedDemoCompany(db, { passwordHash: await demoPasswordHash() })
})
afterAll(() => close())

test('the seed has exactly twelve numbered duties', () => {
  expect([...dutiesFromSeed().keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
})

test.each(DUTIES.map((d) => [d.number]))('duty %i: the catalogue and the database hold the seed’s words', async (n) => {
  const seedText = dutiesFromSeed().get(n)
  const stored = await db.selectFrom('duty').select('text').where('number', '=', n).executeTakeFirstOrThrow()
  expect(DUTIES.find((d) => d.number === n)?.text).toBe(seedText)
  expect(stored.text).toBe(seedText)
})
