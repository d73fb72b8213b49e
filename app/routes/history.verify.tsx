import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { databasePath } from '../../db/client'
import { verifyRecord } from '../../db/verify'
import { getDb } from '../utils/db.server'
import { formatInstantUtc } from '../utils/format'
import { requireHistoryReader } from '../utils/permissions.server'
import { getRecord } from '../utils/workflow.server'

// The verification page (issue 10): the record's own check — the same code as
// `npm run verify` (db/verify.ts verifyRecord) — run now over the live file, with
// the chain head, the last signed checkpoints and the public key's fingerprint.

export const meta: MetaFunction = () => [{ title: 'Check the record — Code of Ethics attestations' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireHistoryReader(request)
  const db = await getDb()
  const record = await getRecord()
  const startedAt = new Date()
  const report = verifyRecord({ file: databasePath(), key: record.key, lookup: record.lookup })
  const checkpoints = await db
    .selectFrom('chain_checkpoint')
    .select(['sequence', 'head_hash', 'signed_at', 'key_fingerprint'])
    .orderBy('sequence', 'desc')
    .limit(5)
    .execute()
  return {
    ok: report.ok,
    checkedAt: formatInstantUtc(startedAt.toISOString()),
    counts: { events: report.events, workflows: report.instances, signOffs: report.signOffs, signatures: report.signatures },
    firstBrokenSequence: report.firstBrokenSequence,
    problems: report.problems.map((p) => p.message),
    warnings: report.warnings,
    head: checkpoints[0] ? { sequence: checkpoints[0].sequence, hash: checkpoints[0].head_hash } : null,
    checkpoints: checkpoints.map((c) => ({
      sequence: c.sequence,
      hash: c.head_hash,
      signedAt: formatInstantUtc(c.signed_at),
      fingerprint: c.key_fingerprint,
    })),
    fingerprint: record.key.fingerprint,
  }
}

export default function VerifyPage() {
  const d = useLoaderData<typeof loader>()
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li>
            <Link to="/history">History</Link>
          </li>
          <li aria-current="page">Check the record</li>
        </ol>
      </nav>
      <header className="ow-page-head">
        <h1>Check the record</h1>
        <p className="hint">
          The same check as <code>npm run verify</code>, run {d.checkedAt}: the hash chain, every signed checkpoint, every workflow
          replayed, every sign-off and every signature.
        </p>
      </header>
      <section aria-labelledby="result-title" className="ow-panel">
        <h2 id="result-title">Result</h2>
        <p id="verify-result" className={d.ok ? 'ow-ok' : 'ow-broken'}>
          {d.ok
            ? `The record holds: ${d.counts.events} events in ${d.counts.workflows} workflows, ${d.counts.signOffs} sign-offs and ${d.counts.signatures} signatures of acts.`
            : `The record does not hold${d.firstBrokenSequence !== null ? ` (first broken event: ${d.firstBrokenSequence})` : ''}.`}
        </p>
        {d.problems.length > 0 ? (
          <ul>
            {d.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        {d.warnings.map((w) => (
          <p key={w} className="hint">
            {w}
          </p>
        ))}
      </section>
      <section aria-labelledby="head-title" className="ow-panel">
        <h2 id="head-title">Chain head and key</h2>
        <dl className="ow-facts">
          <div>
            <dt>Chain head</dt>
            <dd>
              {d.head ? (
                <>
                  event {d.head.sequence}, <code className="ow-hash">{d.head.hash}</code>
                </>
              ) : (
                'No event yet'
              )}
            </dd>
          </div>
          <div>
            <dt>Public key fingerprint (SHA-256 of its SPKI)</dt>
            <dd>
              <code className="ow-hash" id="key-fingerprint">
                {d.fingerprint}
              </code>
            </dd>
          </div>
        </dl>
        <h3>The last signed checkpoints</h3>
        <table>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Head hash</th>
              <th scope="col">Signed</th>
            </tr>
          </thead>
          <tbody>
            {d.checkpoints.map((c) => (
              <tr key={c.sequence}>
                <td>{c.sequence}</td>
                <td>
                  <code className="ow-hash">{c.hash}</code>
                </td>
                <td>{c.signedAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  )
}
