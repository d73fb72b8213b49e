import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { findActSignatureRow, findSignOffRow, listReopenings } from '../../db/queries/history'
import { buildReceipt, checkReceiptOffline } from '../../db/receipt'
import type { Manifestation } from '../../db/sign-off'
import { checkSignOffs } from '../../db/verify'
import { getDb } from '../utils/db.server'
import { formatInstantUtc } from '../utils/format'
import { exceptionWordsKeptFrom, requireHistoryReader, requireOwnHistory } from '../utils/permissions.server'
import { getRecord } from '../utils/workflow.server'

// One sign-off as signed (issue 10): the full manifestation, the answers and
// evidence read-only, the draft, the exception's case, the earlier sign-offs of
// the same duty and why they were reopened, and whether it verifies against the
// record now. Also the signature of an act (a committee's step, an approval for
// filing). An officer sees only their own.

export const meta: MetaFunction = () => [{ title: 'Sign-off — Code of Ethics attestations' }]

const notFound = () =>
  new Response('The record holds no such sign-off.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

/** A sign-off's meaning when its exception is about a matter concerning the reader: that it had one, not what it says. */
const KEPT_MEANING = 'Attested with exception (what the exception says is kept from you)'

const REOPEN_WORDS: Record<string, string> = {
  newDraft: 'reopened by a newer draft of the report',
  withdrawn: 'withdrawn by the officer',
  sentBack: 'reopened when a committee sent the report back',
}

/** Answers as label/value pairs, read-only; nested values as indented JSON. */
function answerLines(answers: unknown): Array<{ label: string; value: string }> {
  if (!answers || typeof answers !== 'object') return []
  return Object.entries(answers as Record<string, unknown>).map(([label, value]) => ({
    label,
    value: typeof value === 'string' ? value : JSON.stringify(value, null, 2),
  }))
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reader = await requireHistoryReader(request)
  const id = params.signOffId ?? ''
  if (!/^[0-9a-f]{64}$/.test(id)) throw notFound()
  const db = await getDb()
  const record = await getRecord()
  const signOff = await findSignOffRow(db, id)
  if (signOff) {
    await requireOwnHistory(request, reader, signOff.officer_user_id)
    const m = JSON.parse(signOff.manifestation) as Manifestation
    // The officer's words about a matter concerning the reader are the matter's: kept from them, as its case page is.
    const keptFrom = await exceptionWordsKeptFrom(db, reader, signOff.officer_user_id)
    const keptFromReader = keptFrom(m)
    const check = (await checkSignOffs(db, record.lookup, record.key, [id])).get(id)!
    const siblings = (
      await db
        .selectFrom('sign_off')
        .select(['id', 'signed_at', 'meaning_text', 'manifestation', 'workflow_sequence'])
        .where('workflow_instance_id', '=', signOff.workflow_instance_id)
        .where('id', '!=', id)
        .orderBy('workflow_sequence')
        .execute()
    ).filter((s) => s.workflow_sequence < signOff.workflow_sequence)
    const reopenings = await listReopenings(db, signOff.workflow_instance_id)
    const earlier = siblings.map((s) => {
      const why = reopenings.find((r) => r.sequence > s.workflow_sequence)
      return {
        id: s.id,
        signedAt: formatInstantUtc(s.signed_at),
        meaning: keptFrom(JSON.parse(s.manifestation) as Manifestation) ? KEPT_MEANING : s.meaning_text,
        why: why ? `${REOPEN_WORDS[why.reason] ?? why.reason}, ${formatInstantUtc(why.recordedAt)}` : 'reopened',
      }
    })
    return {
      kind: 'signOff' as const,
      id,
      heading: `${m.officer.printedName}, duty ${m.duty.number}: ${m.duty.title}`,
      reportId: signOff.report_id,
      manifestation: {
        company: `${m.company.name} (${m.company.ticker})`,
        report: `Form ${m.report.form}, ${m.report.fiscalQuarter ? `quarter ${m.report.fiscalQuarter} of ` : ''}fiscal ${m.report.fiscalYear}, period ended ${m.report.periodEnd}`,
        officer: `${m.officer.printedName}, ${m.officer.title}`,
        meaning: keptFromReader ? KEPT_MEANING : m.meaningText,
        signedAt: `${formatInstantUtc(m.signedAt)} (${m.signedAtLocal}, ${m.timeZone})`,
        dutyText: m.duty.text,
      },
      answers: keptFromReader ? [] : answerLines(m.answers),
      draft: m.draft ? { id: m.draft.id, version: m.draft.version, sha256: m.draft.sha256, fileName: signOff.draft_file_name } : null,
      exception: keptFromReader ? null : m.exception,
      keptFromReader,
      earlier,
      check: { genuine: check.genuine, current: check.current, problems: check.problems },
      canonical: keptFromReader ? null : signOff.manifestation,
    }
  }
  const act = await findActSignatureRow(db, id)
  if (!act) throw notFound()
  await requireOwnHistory(request, reader, act.signer_user_id)
  const receipt = await buildReceipt(db, id)
  const check = receipt ? checkReceiptOffline(receipt, record.key) : { ok: false, problems: ['its event is not in the record'] }
  return {
    kind: 'act' as const,
    id,
    heading: `${act.printed_name}: ${act.meaning_text}`,
    reportId: act.report_id,
    manifestation: {
      company: '',
      report: act.report_id ?? 'no report',
      officer: `${act.printed_name}, ${act.title}`,
      meaning: act.meaning_text + (act.note ? ` — “${act.note}”` : ''),
      signedAt: `${formatInstantUtc(act.signed_at)} (${act.signed_at_local}, ${act.time_zone})`,
      dutyText: '',
    },
    answers: [],
    draft: null,
    exception: null,
    keptFromReader: false,
    earlier: [],
    check: { genuine: check.ok, current: check.ok, problems: check.problems },
    canonical: act.manifestation,
  }
}

export default function SignOffPage() {
  const d = useLoaderData<typeof loader>()
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb ow-no-print">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          {d.reportId ? (
            <li>
              <Link to={`/reports/${d.reportId}/history`}>Sign-off history</Link>
            </li>
          ) : null}
          <li aria-current="page">Sign-off</li>
        </ol>
      </nav>
      <header className="ow-page-head">
        <h1>{d.heading}</h1>
      </header>
      <section aria-labelledby="check-title" className="ow-panel">
        <h2 id="check-title">Does it hold against the record now?</h2>
        <p id="sign-off-check" className={d.check.genuine ? 'ow-ok' : 'ow-broken'}>
          {d.check.genuine
            ? d.check.current
              ? 'Yes: it is what the record holds, its event is in the signed chain, and the duty stands on it.'
              : 'Yes, it is genuine; but it no longer stands: it was withdrawn or reopened since.'
            : `No: ${d.check.problems.join('; ')}`}
        </p>
        {d.keptFromReader ? null : (
          <p className="ow-no-print">
            <a href={`/receipts/${d.id}`} download={`receipt-${d.id.slice(0, 12)}.json`}>
              Download the signature receipt (JSON)
            </a>{' '}
            <span className="hint">
              Check it with <code>npm run verify -- --receipt &lt;file&gt;</code>.
            </span>
          </p>
        )}
      </section>
      <section aria-labelledby="manifestation-title" className="ow-panel ow-print-page">
        <h2 id="manifestation-title">What was signed</h2>
        <dl className="ow-facts">
          {d.manifestation.company ? (
            <div>
              <dt>Company</dt>
              <dd>{d.manifestation.company}</dd>
            </div>
          ) : null}
          <div>
            <dt>Report</dt>
            <dd>{d.manifestation.report}</dd>
          </div>
          <div>
            <dt>Signed by</dt>
            <dd>{d.manifestation.officer}</dd>
          </div>
          <div>
            <dt>Meaning</dt>
            <dd>{d.manifestation.meaning}</dd>
          </div>
          <div>
            <dt>When</dt>
            <dd>{d.manifestation.signedAt}</dd>
          </div>
          {d.draft ? (
            <div>
              <dt>Draft</dt>
              <dd>
                Draft {d.draft.version}
                {d.draft.fileName ? (
                  <>
                    :{' '}
                    <a href={`/reports/${d.reportId}/drafts/${d.draft.id}`} download={d.draft.fileName}>
                      {d.draft.fileName}
                    </a>
                  </>
                ) : null}
                <br />
                SHA-256 <code className="ow-hash">{d.draft.sha256}</code>
              </dd>
            </div>
          ) : null}
          {d.keptFromReader ? (
            <div>
              <dt>Exception</dt>
              <dd id="kept-from-reader">
                Signed with an exception about a reported matter that concerns you. A matter is never shown to the person it is about, so
                the exception, the answers and the receipt of this sign-off are kept from you.
              </dd>
            </div>
          ) : null}
          {d.exception ? (
            <div>
              <dt>Exception</dt>
              <dd>
                {d.exception.explanation} — <Link to={`/cases/${d.exception.caseId}`}>case {d.exception.caseId}</Link>
              </dd>
            </div>
          ) : null}
          <div>
            <dt>Signature id (SHA-256 of the manifestation)</dt>
            <dd>
              <code className="ow-hash">{d.id}</code>
            </dd>
          </div>
        </dl>
        {d.manifestation.dutyText ? (
          <blockquote className="ow-duty-text">
            <p>{d.manifestation.dutyText}</p>
          </blockquote>
        ) : null}
        {d.answers.length > 0 ? (
          <>
            <h3>The answers and evidence, as signed</h3>
            <dl className="ow-answers">
              {d.answers.map((a) => (
                <div key={a.label}>
                  <dt>{a.label}</dt>
                  <dd>
                    <pre>{a.value}</pre>
                  </dd>
                </div>
              ))}
            </dl>
          </>
        ) : null}
        {d.canonical === null ? null : (
          <details>
            <summary>The manifestation exactly as hashed (canonical JSON)</summary>
            <pre className="ow-canonical">{d.canonical}</pre>
          </details>
        )}
      </section>
      {d.earlier.length > 0 ? (
        <section aria-labelledby="earlier-title" className="ow-panel">
          <h2 id="earlier-title">Earlier sign-offs of this duty</h2>
          <ul>
            {d.earlier.map((e) => (
              <li key={e.id}>
                <Link to={`/history/sign-offs/${e.id}`}>Signed {e.signedAt}</Link>: {e.meaning} — {e.why}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}
