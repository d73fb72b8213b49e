// The hash chain's arithmetic on its own, with no machine or database behind it:
// the write path (db/workflow-record.ts, which re-exports these) and the verifier's
// threads (db/verify-chain.ts) import it, and a thread that needs only this starts
// in a fraction of the time one that loads the machines does.
import { createHash, hash as oneShotHash } from 'node:crypto'
import { canonicalJson } from './canonical-json'

export const GENESIS_PREFIX = 'hecla-attest/genesis/'

export interface ChainedFields {
  sequence: number
  instance: { id: string; machineId: string; machineVersion: number; reportId: string | null; subject: unknown; input: unknown }
  instanceVersion: number
  event: unknown
  actor: { userId: string | null; role: string }
  recordedAt: string
  prevHash: string
}

/** The hash of one event: sha-256 over the canonical form, which includes the previous hash. */
export function eventHash(fields: ChainedFields): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex')
}

/** The chained fields whose larger parts are already canonical JSON text: the instance's (once per workflow) and the event as stored. */
export interface ChainedParts {
  sequence: number
  instanceJson: string
  instanceVersion: number
  eventJson: string
  actor: { userId: string | null; role: string }
  recordedAt: string
  prevHash: string
}

/**
 * `canonicalJson(fields)` spelled out, its keys in canonical order, for parts
 * already canonical: the verifier hashes a million events without parsing and
 * re-serialising each one (issue 13; docs/decisions/024). Equal to `eventHash`'s
 * input whenever `eventJson` and `instanceJson` are canonical, which is how the
 * write path stores them (tests/db/chained-json.test.ts pins it).
 */
export function chainedJson(p: ChainedParts): string {
  return (
    `{"actor":{"role":${JSON.stringify(p.actor.role)},"userId":${JSON.stringify(p.actor.userId)}},` +
    `"event":${p.eventJson},"instance":${p.instanceJson},"instanceVersion":${JSON.stringify(p.instanceVersion)},` +
    `"prevHash":${JSON.stringify(p.prevHash)},"recordedAt":${JSON.stringify(p.recordedAt)},"sequence":${JSON.stringify(p.sequence)}}`
  )
}

export function chainedHash(p: ChainedParts): string {
  // The one-shot hash: no Hash object per event (node >= 20.12).
  return oneShotHash('sha256', chainedJson(p), 'hex')
}

export function genesisHash(installationId: string): string {
  return createHash('sha256').update(`${GENESIS_PREFIX}${installationId}`).digest('hex')
}
