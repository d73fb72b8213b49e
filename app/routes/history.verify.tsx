import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { databasePath } from '../../db/client'
import { recordCheckOf } from '../../db/record-check'
import { getDb } from '../utils/db.server'
import { formatInstantUtc } from '../utils/format'
import { requireHistoryReader } from '../utils/permissions.server'
import { getRecord } from '../utils/workflow.server'

// The verification page (issue 10): the record's own check — the same code as
// `npm run verify` (db/verify.ts verifyRecord) — over the live file, with the chain
// head, the last signed checkpoints and the public key's fingerprint. The check runs
// in a worker thread, one at a time, a result shown again for a minute
// (db/record-check.ts): in the request it held the whole server for minutes on a
// record of a million events (issue 13).

export const meta: MetaFunction = () => [{ title: 'Check the record — Code of Ethics attestations' }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireHistoryReader(request)
  const db = await getDb()
  const record = await getRecord()
  // In a thread of its own, so that a long check holds no other request; the page waits a little for it.
  const { last, running } = await recordCheckOf(databasePath()).check({ waitMs: CHECK_WAIT_MS })
  const checkpoints = await db
    .selectFrom('chain_checkpoint')
    .select(['sequence', 'head_hash', 'signed_at', 'key_fingerprint'])
    .orderBy('sequence', 'desc')
    .limit(5)
    .execute()
  const report = last?.report
  return {
    result: report
      ? {
          ok: report.ok,
          checkedAt: formatInstantUtc(last.startedAt),
          counts: { events: report.events, workflows: report.instances, signOffs: report.signOffs, signatures: report.signatures },
          firstBrokenSequence: report.firstBrokenSequence,
          problems: report.problems.map((p) => p.message),
          warnings: report.warnings,
        }
      : null,
    failed: last && !last.report ? { at: formatInstantUtc(last.startedAt), reason: last.error ?? 'unknown' } : null,
    running: running ? formatInstantUtc(running.startedAt) : null,
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

const CHECK_WAIT_MS = 15_000

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
          The same check as <code>npm run verify</code>: the hash chain, every signed checkpoint, every workflow replayed, every sign-off
          and every signature.{d.result ? ` This result is of the check begun ${d.result.checkedAt}.` : null}
        </p>
      </header>
      <section aria-labelledby="result-title" className="ow-panel">
        <h2 id="result-title">Result</h2>
        {d.running ? (
          <p id="verify-running" role="status">
            A check of the whole record has been running since {d.running}; on a large record it takes minutes. Open this page again to see
            its result.
          </p>
        ) : null}
        {d.failed ? (
          <p id="verify-failed" className="ow-broken">
            The check begun {d.failed.at} could not be completed ({d.failed.reason}): it says nothing either way about the record. Open this
            page again in a minute to check anew, or run <code>npm run verify</code>.
          </p>
        ) : null}
        {d.result ? (
          <>
            <p id="verify-result" className={d.result.ok ? 'ow-ok' : 'ow-broken'}>
              {d.result.ok
                ? `The record holds: ${d.result.counts.events} events in ${d.result.counts.workflows} workflows, ${d.result.counts.signOffs} sign-offs and ${d.result.counts.signatures} signatures of acts.`
                : `The record does not hold${d.result.firstBrokenSequence !== null ? ` (first broken event: ${d.result.firstBrokenSequence})` : ''}.`}
            </p>
            {d.result.problems.length > 0 ? (
              <ul>
                {d.result.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            ) : null}
            {d.result.warnings.map((w) => (
              <p key={w} className="hint">
                {w}
              </p>
            ))}
          </>
        ) : null}
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
