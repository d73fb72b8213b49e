import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, sign, verify, type KeyObject } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { canonicalJson } from './canonical-json'
import { DomainError } from './errors'

// The chain head is signed with an Ed25519 key that lives OUTSIDE the database
// file: someone who rewrites the whole chain consistently inside the file still
// cannot sign the new heads. The public key sits beside it, never only in the file.

export function signingKeyPath(databaseFile: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.SIGNING_KEY_PATH || path.join(path.dirname(databaseFile), 'signing-key.pem'))
}

export function publicKeyPath(keyPath: string) {
  return `${keyPath.replace(/\.pem$/, '')}.pub.pem`
}

/** Where the latest signed head of an installation's chain is kept, outside the database. */
export function headFilePath(keyPath: string, installationId: string) {
  return path.join(path.dirname(keyPath), 'chain-heads', `${installationId}.json`)
}

export interface SigningKey {
  privateKey: KeyObject | null
  publicKey: KeyObject
  fingerprint: string
  /** The file the key was read from (for a verification key, possibly the public one); chain-heads/ sit beside it. */
  keyPath: string
}

function fingerprintOf(publicKey: KeyObject) {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
}

/** Loads the key pair, creating it (mode 0600) on first start. */
export function loadOrCreateSigningKey(keyPath: string): SigningKey {
  if (!fs.existsSync(keyPath)) {
    fs.mkdirSync(path.dirname(keyPath), { recursive: true })
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    // 'wx' refuses to overwrite a key another process created a moment ago.
    try {
      fs.writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' })
      fs.writeFileSync(publicKeyPath(keyPath), publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  const privateKey = createPrivateKey(fs.readFileSync(keyPath))
  const publicKey = createPublicKey(privateKey)
  const pubFile = publicKeyPath(keyPath)
  if (!fs.existsSync(pubFile)) fs.writeFileSync(pubFile, publicKey.export({ type: 'spki', format: 'pem' }))
  return { privateKey, publicKey, fingerprint: fingerprintOf(publicKey), keyPath }
}

/**
 * For verification only, and the public half is all it needs: `keyPath` names the
 * private key (its `.pub.pem` beside it is read first, so the private one need not
 * be there) or the public key itself.
 */
export function loadVerificationKey(keyPath: string): SigningKey {
  const found = verificationKeyFiles(keyPath).find((f) => fs.existsSync(f))
  if (!found) throw new NoVerificationKeyError(verificationKeyFiles(keyPath))
  // createPublicKey derives the public half when handed the private key.
  const publicKey = createPublicKey(fs.readFileSync(found))
  return { privateKey: null, publicKey, fingerprint: fingerprintOf(publicKey), keyPath: found }
}

/** A verification key as a worker thread is handed it (the verifier's threads): only the public half travels, as text. */
export interface SentVerificationKey {
  publicKeyPem: string
  fingerprint: string
  keyPath: string
}

/** The key to hand a thread (verificationKeyFromPem takes it back). */
export function sentVerificationKey(key: SigningKey): SentVerificationKey {
  return {
    publicKeyPem: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: key.fingerprint,
    keyPath: key.keyPath,
  }
}

export function verificationKeyFromPem(sent: SentVerificationKey): SigningKey {
  return { privateKey: null, publicKey: createPublicKey(sent.publicKeyPem), fingerprint: sent.fingerprint, keyPath: sent.keyPath }
}

function verificationKeyFiles(keyPath: string) {
  return keyPath.endsWith('.pub.pem') ? [keyPath] : [publicKeyPath(keyPath), keyPath]
}

export class NoVerificationKeyError extends DomainError {
  readonly code = 'no_verification_key' as const
  constructor(readonly lookedAt: string[]) {
    super(`No signing key found; looked for ${lookedAt.join(', ')}`)
  }
}

/**
 * The key to verify a database file with. Named with --key, that one only.
 * Otherwise a copy is checked with the key beside it (a copy travels with its
 * signing-key.pub.pem and chain-heads/), then with the installation's
 * (SIGNING_KEY_PATH, or beside the live database); the live file the other way round.
 */
export function findVerificationKey(
  file: string,
  options: { keyPath?: string; installationKeyPath: string; liveFile: string },
): SigningKey {
  const beside = path.join(path.dirname(path.resolve(file)), 'signing-key.pem')
  const places = options.keyPath
    ? [path.resolve(options.keyPath)]
    : path.resolve(file) === path.resolve(options.liveFile)
      ? [options.installationKeyPath, beside]
      : [beside, options.installationKeyPath]
  const files = [...new Set(places.flatMap(verificationKeyFiles))]
  const place = places.find((p) => verificationKeyFiles(p).some((f) => fs.existsSync(f)))
  if (!place) throw new NoVerificationKeyError(files)
  return loadVerificationKey(place)
}

export interface CheckpointClaim {
  installationId: string
  sequence: number
  headHash: string
}

export function signCheckpoint(key: SigningKey, claim: CheckpointClaim): string {
  if (!key.privateKey) throw new Error('This key can verify but not sign')
  return sign(null, Buffer.from(canonicalJson(claim)), key.privateKey).toString('base64')
}

export function verifyCheckpoint(key: SigningKey, claim: CheckpointClaim, signature: string): boolean {
  try {
    return verify(null, Buffer.from(canonicalJson(claim)), key.publicKey, Buffer.from(signature, 'base64'))
  } catch {
    return false
  }
}

const sealKeys = new WeakMap<KeyObject, Buffer>()

/**
 * The HMAC key that seals the snapshot cache (docs/decisions/009). Derived from the
 * private signing key, so it is wherever that key is and never in the file, and a
 * seal can never be mistaken for a checkpoint signature. A verification-only key
 * has none: whoever holds only the public key can replay, not trust the cache.
 */
export function snapshotSealKey(key: SigningKey): Buffer | null {
  if (!key.privateKey) return null
  let derived = sealKeys.get(key.privateKey)
  if (!derived) {
    const secret = key.privateKey.export({ type: 'pkcs8', format: 'der' })
    derived = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'hecla-attest/snapshot-seal/v1', 32))
    sealKeys.set(key.privateKey, derived)
  }
  return derived
}
