// Checks a JSON evidence bundle (db/exports/bundle.ts) with no database: the
// public key and its fingerprint, every link of the chain from the genesis hash
// to the head, every included event's hash over its fields, every checkpoint's
// signature, every included workflow replayed through its registered machine
// version to the state the bundle claims, and every sign-off and signature of an
// act: its id is the hash of its manifestation and its event carries it. Each
// problem names its item, in the order of the file, so the first is the first
// item that fails (docs/decisions/018).
import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import { canonicalJson } from '../canonical-json'
import { actManifestationHash, manifestationHash } from '../sign-off'
import { verifyCheckpoint, type SigningKey } from '../signing-key'
import { eventHash, genesisHash, replayInstanceFrom, type MachineLookup } from '../workflow-record'
import { BUNDLE_KIND, type BundleLink, type BundleSignOff, type BundleWorkflow, type EvidenceBundle } from './bundle'

export interface BundleCheck {
  ok: boolean
  /** Each names its item ("event 123: …", "sign_off <id>: …"); the first is the first item that fails. */
  problems: string[]
  counts: { workflows: number; events: number; includedEvents: number; checkpoints: number; signOffs: number; signatures: number }
  fingerprint: string | null
  head: { sequence: number; headHash: string } | null
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function fingerprintOf(key: KeyObject) {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')
}

/** The signature events of acts: which event type records each act (a Board determination is not bundled). */
const ACT_EVENT_TYPES: Record<string, string> = {
  disclosure_committee_approval: 'report.disclosureCommitteeApprove',
  audit_committee_review: 'report.auditCommitteeReview',
  approval_for_filing: 'report.approveForFiling',
}

/**
 * `expectedFingerprint`: the installation's key as the checker knows it from
 * elsewhere (the packet, `--key`); without it the bundle's own key is used and
 * its fingerprint reported for the checker to compare.
 */
export function verifyBundle(input: unknown, lookup: MachineLookup, options: { expectedFingerprint?: string } = {}): BundleCheck {
  const problems: string[] = []
  const counts = { workflows: 0, events: 0, includedEvents: 0, checkpoints: 0, signOffs: 0, signatures: 0 }
  const fail = (fingerprint: string | null = null): BundleCheck => ({ ok: false, problems, counts, fingerprint, head: null })
  if (!isObject(input)) {
    problems.push('bundle: is not a JSON object')
    return fail()
  }
  const b = input as Partial<EvidenceBundle>
  if (b.kind !== BUNDLE_KIND) problems.push(`kind: ${JSON.stringify(b.kind)} is not ${BUNDLE_KIND}`)
  for (const part of ['workflows', 'chain', 'checkpoints', 'signOffs', 'signatures'] as const) {
    if (!Array.isArray(b[part])) problems.push(`${part}: missing`)
  }
  if (typeof b.installationId !== 'string') problems.push('installationId: missing')
  if (!isObject(b.head)) problems.push('head: missing')
  if (!isObject(b.publicKey) || typeof b.publicKey.pem !== 'string') problems.push('publicKey: missing')
  if (problems.length) return fail()

  // The key: the PEM must be a public key whose fingerprint is the one stated (and the one expected).
  let publicKey: KeyObject
  try {
    publicKey = createPublicKey(b.publicKey!.pem)
  } catch {
    problems.push('publicKey: its PEM is not a public key')
    return fail()
  }
  const fingerprint = fingerprintOf(publicKey)
  if (fingerprint !== b.publicKey!.fingerprint)
    problems.push(
      `publicKey: its fingerprint is ${fingerprint}, not the bundle's ${String(b.publicKey!.fingerprint)} (the key was changed)`,
    )
  if (options.expectedFingerprint && fingerprint !== options.expectedFingerprint)
    problems.push(`publicKey: its fingerprint is ${fingerprint}, not the expected ${options.expectedFingerprint}`)
  const key: SigningKey = { privateKey: null, publicKey, fingerprint, keyPath: 'the public key in the bundle' }
  const install = b.installationId!

  // The chain, link by link from the genesis hash.
  const workflows = new Map<string, BundleWorkflow>()
  for (const w of b.workflows!) {
    if (isObject(w) && typeof w.id === 'string') workflows.set(w.id, w as BundleWorkflow)
    else problems.push('workflows: an entry has no id')
  }
  counts.workflows = workflows.size
  if (b.genesisHash !== genesisHash(install)) problems.push('genesisHash: is not the genesis hash of the installation')
  const bySequence = new Map<number, BundleLink>()
  const eventsOf = new Map<string, BundleLink[]>()
  let prevHash = genesisHash(install)
  b.chain!.forEach((raw, index) => {
    const expected = index + 1
    if (!isObject(raw) || raw.sequence !== expected) {
      problems.push(`event ${expected}: missing from the chain (found ${isObject(raw) ? String(raw.sequence) : 'no link'} in its place)`)
      return
    }
    const link = raw as unknown as BundleLink
    bySequence.set(link.sequence, link)
    counts.events++
    if (link.prevHash !== prevHash)
      problems.push(`event ${link.sequence}: does not link to the event before it (its prevHash is not that event's hash)`)
    if (link.instanceId !== undefined) {
      counts.includedEvents++
      const w = workflows.get(link.instanceId)
      if (!w) problems.push(`event ${link.sequence}: names workflow ${link.instanceId}, which the bundle does not hold`)
      else {
        let recomputed = ''
        try {
          recomputed = eventHash({
            sequence: link.sequence,
            instance: {
              id: w.id,
              machineId: w.machineId,
              machineVersion: w.machineVersion,
              reportId: w.reportId,
              subject: w.subject,
              input: w.input,
            },
            instanceVersion: link.instanceVersion!,
            event: link.event,
            actor: link.actor!,
            recordedAt: link.recordedAt!,
            prevHash: link.prevHash,
          })
        } catch {
          recomputed = ''
        }
        if (recomputed !== link.hash) problems.push(`event ${link.sequence}: its hash does not match its fields (or its workflow's)`)
        const list = eventsOf.get(w.id) ?? []
        list.push(link)
        eventsOf.set(w.id, list)
      }
    }
    prevHash = String(link.hash)
  })
  const last = b.chain!.length

  // The checkpoints: each signed by the key, over the hash the chain has at its sequence.
  const checkpointed = new Set<number>()
  for (const raw of [...b.checkpoints!, { ...b.head!, isHead: true }]) {
    const c = raw as Partial<EvidenceBundle['head']> & { isHead?: boolean }
    const name = c.isHead ? `head (event ${String(c.sequence)})` : `checkpoint ${String(c.sequence)}`
    if (!c.isHead) counts.checkpoints++
    const link = typeof c.sequence === 'number' ? bySequence.get(c.sequence) : undefined
    if (!link) {
      problems.push(`${name}: names an event the chain does not hold`)
      continue
    }
    if (c.headHash !== link.hash) problems.push(`${name}: its head hash is not event ${link.sequence}'s hash`)
    else if (!verifyCheckpoint(key, { installationId: install, sequence: link.sequence, headHash: link.hash }, String(c.signature)))
      problems.push(`${name}: its signature does not verify with the public key`)
    checkpointed.add(link.sequence)
  }
  if (b.head!.sequence !== last) problems.push(`head: is event ${String(b.head!.sequence)}, not the chain's last (${last})`)
  for (const link of bySequence.values()) {
    if (link.instanceId !== undefined && !checkpointed.has(link.sequence))
      problems.push(`event ${link.sequence}: has no signed checkpoint in the bundle`)
  }

  // Each workflow, replayed through its registered machine version to the state claimed.
  const known = new Set((b.machines ?? []).map((m) => `${m.machineId}@${m.version}`))
  for (const w of workflows.values()) {
    const name = `workflow ${w.id}`
    if (!known.has(`${w.machineId}@${w.machineVersion}`))
      problems.push(`${name}: its machine ${w.machineId} version ${w.machineVersion} is not among the bundle's machines`)
    const events = (eventsOf.get(w.id) ?? []).sort((x, y) => x.sequence - y.sequence)
    const versions = events.map((e) => e.instanceVersion)
    if (versions.some((v, i) => v !== i + 1)) {
      problems.push(`${name}: its events are not versions 1 to ${events.length} in order (an event is missing or moved)`)
      continue
    }
    try {
      const machine = lookup.atVersion(w.machineId, w.machineVersion)
      const replayed = replayInstanceFrom(
        w.id,
        machine,
        w.input,
        events.map((e) => ({ sequence: e.sequence, event: e.event as never })),
      )
      const claimed = w.state ?? { version: -1, status: '', value: null }
      if (
        replayed.version !== claimed.version ||
        replayed.persisted.status !== claimed.status ||
        canonicalJson(replayed.persisted.value) !== canonicalJson(claimed.value)
      ) {
        problems.push(
          `${name}: its events replay to ${canonicalJson(replayed.persisted.value)} at version ${replayed.version}, not the claimed ${canonicalJson(claimed.value)} at version ${claimed.version}`,
        )
      }
    } catch (error) {
      problems.push(`${name}: cannot be replayed (${(error as Error).message})`)
    }
  }

  // Sign-offs and signatures of acts: id = hash of the manifestation, carried by their event.
  const carried = new Map<string, number>()
  const check = (table: 'sign_off' | 'signature', raw: BundleSignOff) => {
    const name = `${table} ${String(raw.id)}`
    let hash = ''
    try {
      hash = table === 'sign_off' ? manifestationHash(raw.manifestation as never) : actManifestationHash(raw.manifestation as never)
    } catch {
      hash = ''
    }
    if (hash !== raw.id) problems.push(`${name}: its manifestation does not hash to its id (it was changed)`)
    const m = isObject(raw.manifestation) ? raw.manifestation : {}
    const expectedKind = table === 'sign_off' ? 'hecla-attest/sign-off/v1' : 'hecla-attest/signature/v1'
    if (m.kind !== expectedKind) problems.push(`${name}: its manifestation is of kind ${JSON.stringify(m.kind)}, not ${expectedKind}`)
    const link = bySequence.get(raw.workflowSequence)
    if (!link || link.instanceId === undefined) {
      problems.push(`${name}: its event ${String(raw.workflowSequence)} is not in the bundle`)
      return
    }
    const event = isObject(link.event) ? link.event : {}
    if (link.instanceId !== raw.workflowInstanceId)
      problems.push(`${name}: its event ${link.sequence} belongs to ${link.instanceId}, not to its workflow ${raw.workflowInstanceId}`)
    if (event.signatureId !== raw.id) problems.push(`${name}: its event ${link.sequence} does not carry its id`)
    const expectedType = table === 'sign_off' ? 'duty.sign' : ACT_EVENT_TYPES[String(m.act)]
    if (event.type !== expectedType)
      problems.push(`${name}: its event ${link.sequence} is a ${String(event.type)}, not a ${String(expectedType)}`)
    const signer =
      table === 'sign_off'
        ? (m.officer as { userId?: unknown } | undefined)?.userId
        : (m.signer as { userId?: unknown } | undefined)?.userId
    if (link.actor?.userId !== signer)
      problems.push(`${name}: its event ${link.sequence} was recorded for ${String(link.actor?.userId)}, not its signer`)
    carried.set(raw.id, link.sequence)
  }
  for (const s of b.signOffs!) {
    counts.signOffs++
    check('sign_off', s)
  }
  for (const s of b.signatures!) {
    counts.signatures++
    check('signature', s)
  }
  // Every duty.sign (and every act's event) of an included workflow has its row.
  for (const link of bySequence.values()) {
    const id = isObject(link.event) ? link.event.signatureId : undefined
    if (typeof id === 'string' && !carried.has(id))
      problems.push(`event ${link.sequence}: carries signature ${id}, which the bundle does not hold`)
  }

  return {
    ok: problems.length === 0,
    problems,
    counts,
    fingerprint,
    head: { sequence: b.head!.sequence, headHash: b.head!.headHash },
  }
}
