import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'

// Retired machine versions are frozen copies, byte for byte
// (docs/decisions/012-frozen-machine-versions.md): the histories they recorded
// replay under exactly the code that wrote them. A change to one of these files,
// even a reformatting, is a change to what an old history means; a new version
// goes in a new file and a new pin here.
const FROZEN: Readonly<Record<string, string>> = {
  'v1/board-determination.ts': '545e0d2f72d7f028f73a9c040cd3167448caf24dd5c61a34fbbaf5fd0079802d',
  'v1/case.ts': 'fa48b122f50ab9054eb6615436e6cd97e400c08353f47ba2ff54909548bde00c',
  'v1/duty-answers.ts': '725cffc87341bf7bbd741069c3ad15fd5084d66745a5d510a8888ccd2d60d867',
  'v1/duty-review.ts': 'f487570d897c572b47496911ccd9a1978aaf824bd2f08aa355a79967d0f7bac3',
  'v1/primitives.ts': '1fc3fdaf15e59c42c7ce9d19d34329626ab843bd154b51746871f5a5f64c34f7',
  'v1/report-lifecycle.ts': '28248999f7d8b54571cb2b4e6a776cc4414d78391d359fe427653400bb03f385',
  'v1/routing.ts': 'a269f82f837357e491319b790f0e3132d2eff93331349d36b918b0af8b59eab4',
  'v2/board-determination.ts': '01478bfbb18423feb83cecc2b8ce21f7605caf9b603c9981b433994ee222d356',
  'v2/case.ts': 'cd2977242d57d0761b1aa8d6a7faebfcdf3e3454dc3f0e58aefbd8ff383ca836',
  'v2/duty-answers.ts': 'b9c0e9714a7bb76052d7d3128ed4133eda3667c2dd52a52207832e2510a8ce43',
  'v2/duty-review.ts': '05ff512bb3b4a3e780eb75367c58e45d746e70551ff94a7d80bc29c2d477ca22',
  'v2/routing.ts': 'dfff362823b6b04c05eca35ce22bc4d275118df7d7d0c6cdde0a01fd4a6b7b21',
}

const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../machines')
const frozenFiles = fs
  .readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^v\d+$/.test(d.name))
  .flatMap((d) => fs.readdirSync(path.join(here, d.name)).map((f) => `${d.name}/${f}`))
  .sort()

test('every file of a retired version is pinned, and no pin names a file that is gone', () => {
  expect(frozenFiles).toEqual(Object.keys(FROZEN).sort())
})

test.each(Object.entries(FROZEN))('%s is byte for byte the version that was retired', (file, sha256) => {
  const actual = createHash('sha256')
    .update(fs.readFileSync(path.join(here, file)))
    .digest('hex')
  expect(actual, `${file} changed: a retired machine must not change (write a new version instead)`).toBe(sha256)
})
