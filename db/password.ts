import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

// scrypt with OWASP's parameters (N=2^17, r=8, p=1). It needs 128 MiB, above
// node's default maxmem of 32 MiB, hence maxmem. The parameters travel with the
// hash so that raising them later leaves old hashes verifiable.
const N = 2 ** 17
const r = 8
const p = 1
const KEY_LENGTH = 32

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))))
}

function maxmemFor(n: number, blockSize: number) {
  return 128 * n * blockSize + 16 * 1024 * 1024
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, KEY_LENGTH, { N, r, p, maxmem: maxmemFor(N, r) })
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, nText, rText, pText, saltText, keyText] = stored.split('$')
  if (scheme !== 'scrypt' || !saltText || !keyText) return false
  const n = Number(nText)
  const blockSize = Number(rText)
  const parallel = Number(pText)
  const expected = Buffer.from(keyText, 'base64')
  const actual = await scryptAsync(password, Buffer.from(saltText, 'base64'), expected.length, {
    N: n,
    r: blockSize,
    p: parallel,
    maxmem: maxmemFor(n, blockSize),
  })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
