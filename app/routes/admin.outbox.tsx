import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { countOutboxByState, listOutbox } from '../../db/queries/notifications'
import { OUTBOX_STATES, type OutboxState } from '../../db/schema'
import { NOTICE_KIND_WORDS, type NoticeKind } from '../../machines/notifications'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { requireRole } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { formatInstantUtc } from '../utils/format'

// The outbox for its administrator (issue 11, docs/decisions/020): every mail the
// app wrote, where it is on its way, its attempts and last error, the dead letters
// first. Without SMTP_URL (the demo) this is where the mails are read. What a mail
// says carries nothing of a matter, so the administrator may read every one.

const STATE_WORDS: Record<OutboxState, string> = {
  queued: 'Waiting to be sent',
  sending: 'Being sent',
  sent: 'Sent',
  dead: 'Dead letter: not sent after the last attempt',
  held: 'Waiting for the daily digest',
  digested: 'Sent in a digest',
}

const FilterSchema = z.object({ state: z.enum(OUTBOX_STATES).optional() })

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['administrator'])
  const db = await getDb()
  const url = new URL(request.url)
  const filter = FilterSchema.safeParse({ state: url.searchParams.get('state') || undefined })
  if (!filter.success) throw new Response('There is no such state of a mail. Choose one of the list.', { status: 400 })
  const [messages, counts] = await Promise.all([listOutbox(db, { limit: 200, state: filter.data.state }), countOutboxByState(db)])
  return {
    state: filter.data.state ?? null,
    counts,
    smtpConfigured: Boolean(process.env.SMTP_URL),
    messages: messages.map((m) => ({
      ...m,
      kindWords: NOTICE_KIND_WORDS[m.kind as NoticeKind] ?? m.kind,
      stateWords: STATE_WORDS[m.state],
      createdAt: formatInstantUtc(m.createdAt),
      sentAt: m.sentAt ? formatInstantUtc(m.sentAt) : null,
      nextAttemptAt: formatInstantUtc(m.nextAttemptAt),
    })),
  }
}

export default function Outbox() {
  const { messages, counts, state, smtpConfigured } = useLoaderData<typeof loader>()
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li aria-current="page">Outbox</li>
        </ol>
      </nav>
      <h1>Outbox: the mails the app writes</h1>
      <p className="page-lede">
        {smtpConfigured
          ? 'Mails are sent through the mail server every few seconds; a failed one is tried again later, up to six times, then kept here as a dead letter.'
          : 'No mail server is set (SMTP_URL): the mails wait here, where you can read them. Nothing is sent.'}
      </p>
      <nav aria-label="Mails by state" className="ow-outbox-filter">
        <ul>
          <li>{state === null ? <strong>All</strong> : <Link to="/admin/outbox">All</Link>}</li>
          {OUTBOX_STATES.map((s) => (
            <li key={s}>
              {state === s ? (
                <strong>
                  {STATE_WORDS[s]} ({counts[s]})
                </strong>
              ) : (
                <Link to={`/admin/outbox?state=${s}`}>
                  {STATE_WORDS[s]} ({counts[s]})
                </Link>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="outbox-title" className="ow-panel">
        <h2 id="outbox-title">{messages.length === 1 ? 'One mail' : `${messages.length} mails`}</h2>
        {messages.length === 0 ? (
          <p>No mail here.</p>
        ) : (
          <div className="ow-table-scroll">
            <table className="ow-cases ow-outbox">
              <caption className="visually-hidden">Mails, dead letters first, then newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Mail</th>
                  <th scope="col">To</th>
                  <th scope="col">Where it is</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((m) => (
                  <tr key={m.id} data-outbox-state={m.state}>
                    <th scope="row">
                      <details>
                        <summary>{m.subject}</summary>
                        <pre className="ow-mail-text">{m.bodyText}</pre>
                        {m.hasAttachment ? <p>With an attachment: the signed chain head (JSON).</p> : null}
                      </details>
                      <span className="ow-muted">
                        {m.kindWords} · written {m.createdAt} · Message-ID <code>{m.idempotencyKey}</code>
                      </span>
                    </th>
                    <td>
                      {m.toName}
                      <br />
                      <span className="ow-muted">{m.toAddress}</span>
                    </td>
                    <td>
                      <strong>{m.stateWords}</strong>
                      {m.sentAt ? <span className="ow-muted"> · {m.sentAt}</span> : null}
                      <br />
                      <span className="ow-muted">
                        {m.attempts === 1 ? '1 attempt' : `${m.attempts} attempts`}
                        {m.state === 'queued' && m.attempts > 0 ? ` · next try ${m.nextAttemptAt}` : ''}
                      </span>
                      {m.lastError ? (
                        <>
                          <br />
                          Last error: <code>{m.lastError}</code>
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ error }) => (error ? errorMeta(error) : [{ title: 'Outbox · Code of Ethics attestations' }])
export const ErrorBoundary = RouteErrorBoundary
