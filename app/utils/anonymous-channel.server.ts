import { createHash, randomInt } from 'node:crypto'
import { hashPassword, verifyPassword } from '../../db/password'
import { findAnonymousReceipt } from '../../db/queries/reporting'
import type { Executor } from '../../db/queries/executor'

// The anonymous channel's receipts and its limits (docs/decisions/015). A receipt
// key is 16 random decimal digits (crypto), shown once; the record keeps its
// SHA-256 only, and the passphrase as a slow hash. A follow-up is refused in the
// same words, after the same slow hash, whether the key is unknown or the
// passphrase wrong. Submissions and failed follow-ups are counted in memory, by
// time alone or by the key's digest: never by address, browser or session.

export const RECEIPT_KEY_DIGITS = 16
export const MIN_PASSPHRASE_LENGTH = 10

/** 16 decimal digits from the operating system's random source, grouped in fours to read. */
export function newReceiptKey(): string {
  let digits = ''
  for (let i = 0; i < RECEIPT_KEY_DIGITS; i++) digits += String(randomInt(10))
  return digits
}

export function formatReceiptKey(key: string): string {
  return key.replace(/(\d{4})(?=\d)/g, '$1 ')
}

/** The key as typed (spaces and dashes allowed), or null when it is not 16 digits. */
export function normalizeReceiptKey(typed: string): string | null {
  const digits = typed.replace(/[\s-]/g, '')
  return new RegExp(`^\\d{${RECEIPT_KEY_DIGITS}}$`).test(digits) ? digits : null
}

export function receiptKeySha256(key: string): string {
  return createHash('sha256').update(`hecla-attest anonymous receipt\u0000${key}`).digest('hex')
}

export const hashPassphrase = hashPassword

// Verified against when the key is unknown, so that an unknown key costs the same scrypt as a wrong passphrase.
let dummy: Promise<string> | undefined
const dummyHash = () => (dummy ??= hashPassword('no receipt has this key'))

/** The case instance id of the receipt, when the key and passphrase match; null otherwise, with no hint which was wrong. */
export async function openReceipt(db: Executor, key: string | null, passphrase: string): Promise<string | null> {
  const receipt = key ? await findAnonymousReceipt(db, receiptKeySha256(key)) : undefined
  const ok = await verifyPassword(passphrase, receipt?.passphrase_hash ?? (await dummyHash()))
  return receipt && ok ? receipt.case_instance_id : null
}

/** A fixed-window counter: at most `limit` hits per `windowMs` for each key. */
export class WindowLimiter {
  private readonly windows = new Map<string, { start: number; hits: number }>()
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Seconds until the key may try again, or 0 when it may now. */
  retryAfter(key: string, now = Date.now()): number {
    const w = this.windows.get(key)
    if (!w || now - w.start >= this.windowMs || w.hits < this.limit) return 0
    return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000))
  }

  hit(key: string, now = Date.now()): void {
    const w = this.windows.get(key)
    if (!w || now - w.start >= this.windowMs) this.windows.set(key, { start: now, hits: 1 })
    else w.hits++
    if (this.windows.size > 10_000) {
      for (const [k, v] of this.windows) if (now - v.start >= this.windowMs) this.windows.delete(k)
    }
  }
}

/** Submissions through the channel, all together: a flood is slowed, a person is never identified. */
export const submissionLimiter = new WindowLimiter(20, 10 * 60 * 1000)
/** Failed follow-ups for one receipt key (by its digest). */
export const followUpFailuresByKey = new WindowLimiter(5, 15 * 60 * 1000)
/** Failed follow-ups all together: guessing keys one try each is slowed too. */
export const followUpFailuresAll = new WindowLimiter(200, 15 * 60 * 1000)

export const ALL = 'all'

export function tooManyTries(retryAfterSeconds: number, what: string): Response {
  const minutes = Math.ceil(retryAfterSeconds / 60)
  return new Response(`Too many ${what} in a short time. Nothing was done. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, {
    status: 429,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': String(retryAfterSeconds) },
  })
}
