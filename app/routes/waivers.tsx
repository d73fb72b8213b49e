import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import type { z } from 'zod'
import { recordWaiver, recordWaiverDisclosure } from '../../db/commands'
import { getInstalledCompany } from '../../db/queries/company'
import { listPeople } from '../../db/queries/people'
import { listWaivers } from '../../db/queries/waivers'
import { DUTIES } from '../../machines/duties'
import { calendarDateWords } from '../../machines/filing-deadline'
import { OFFICER_ROLES, OFFICER_TITLES } from '../../machines/roles'
import { newWaiverSchema, provisionWords, waiverDisclosureSchema, waiverStatus } from '../../machines/waiver-register'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { UserText } from '../components/user-text'
import { getDb } from '../utils/db.server'
import { refusalFor } from '../utils/domain-errors.server'
import { readFormData } from '../utils/form-data.server'
import { requireWaiverReader, requireWaiverRecorder } from '../utils/permissions.server'
import { requireSameOrigin } from '../utils/request-security.server'
import { getRecord } from '../utils/workflow.server'

// The waiver register: each waiver of a provision of the Code of Ethics granted
// to a certifying officer, who approved it and when, its Form 8-K Item 5.05 due
// date (four business days, the filing deadlines' calendar) and its disclosure.
// The administrator records; the Board and the Audit Committee read it all; an
// officer reads their own. Rows are append-only (migration 011).

async function company() {
  const db = await getDb()
  const found = await getInstalledCompany(db)
  if (!found) throw new Response('No company has been set up yet.', { status: 503 })
  return { db, company: found }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const reader = await requireWaiverReader(request)
  const { db, company: c } = await company()
  // The server's clock, as a UTC calendar day.
  const today = new Date().toISOString().slice(0, 10)
  const rows = await listWaivers(db, c.id, reader.onlyOfficerUserId ? { officerUserId: reader.onlyOfficerUserId } : {})
  const officers = reader.mayRecord
    ? (await listPeople(db, c.id, today)).flatMap((p) => {
        const role = OFFICER_ROLES.find((r) => p.roles.includes(r))
        return role ? [{ id: p.id, label: `${p.name}, ${OFFICER_TITLES[role]}` }] : []
      })
    : []
  return {
    today,
    mayRecord: reader.mayRecord,
    ownOnly: reader.onlyOfficerUserId !== null,
    officers,
    waivers: rows.map((w) => {
      const status = waiverStatus({ approvedOn: w.approvedOn, disclosedOn: w.disclosure?.disclosedOn ?? null, today })
      return {
        id: w.id,
        provision: provisionWords(w.dutyNumber),
        officer: `${w.officerName}, ${OFFICER_TITLES[w.officerRole]}`,
        reason: w.reason,
        approvedBy: w.approver === 'board' ? 'The Board of Directors' : `${w.committeeName ?? ''}, named by the Board`,
        approvedOn: calendarDateWords(w.approvedOn),
        dueOn: calendarDateWords(status.dueOn),
        standing: status.standing,
        statusWords: status.words,
        disclosure: w.disclosure
          ? w.disclosure.kind === 'form_8k'
            ? { how: 'Form 8-K, Item 5.05, accession number', what: w.disclosure.accessionNumber ?? '', url: null }
            : { how: 'On the company’s website', what: w.disclosure.websiteUrl ?? '', url: w.disclosure.websiteUrl }
          : null,
      }
    }),
  }
}

type ActionResult = { intent: 'waiver' | 'disclosure'; message: string; reasons: string[]; values: Record<string, string> }

const refused = (status: number, result: ActionResult) => data(result, { status })

const text = (form: FormData, name: string) => {
  const v = form.get(name)
  return typeof v === 'string' ? v : undefined
}

export async function action({ request }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const user = await requireWaiverRecorder(request)
  const form = await readFormData(request, { maxBytes: 64 * 1024 })
  const intent = text(form, 'intent')
  const values = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'))
  if (intent !== 'waiver' && intent !== 'disclosure') {
    return refused(400, { intent: 'waiver', message: 'Nothing was recorded: this form does not say what to record.', reasons: [], values })
  }
  const parsed =
    intent === 'waiver'
      ? newWaiverSchema.safeParse({
          provision: text(form, 'provision'),
          officerUserId: text(form, 'officerUserId'),
          reason: text(form, 'reason'),
          approver: text(form, 'approver'),
          committeeName: text(form, 'committeeName') || undefined,
          approvedOn: text(form, 'approvedOn'),
        })
      : waiverDisclosureSchema.safeParse({
          waiverId: text(form, 'waiverId'),
          kind: text(form, 'kind'),
          accessionNumber: text(form, 'accessionNumber') || undefined,
          websiteUrl: text(form, 'websiteUrl') || undefined,
          disclosedOn: text(form, 'disclosedOn'),
        })
  if (!parsed.success) {
    return refused(400, {
      intent,
      message: 'Nothing was recorded: correct what is listed below.',
      reasons: parsed.error.issues.map((i) => `${i.message}.`),
      values,
    })
  }
  const { company: c } = await company()
  const record = await getRecord()
  try {
    if (intent === 'waiver') {
      await recordWaiver(record, { companyId: c.id, waiver: parsed.data as z.output<typeof newWaiverSchema>, recordedBy: user.id })
    } else {
      await recordWaiverDisclosure(record, {
        companyId: c.id,
        disclosure: parsed.data as z.output<typeof waiverDisclosureSchema>,
        recordedBy: user.id,
      })
    }
  } catch (error) {
    const refusal = refusalFor(error)
    if (!refusal) throw error
    return refused(refusal.status, { intent, message: refusal.message, reasons: [], values })
  }
  return redirect(`/waivers?done=${intent}`)
}

const DONE: Record<string, string> = {
  waiver: 'The waiver is recorded. Its Form 8-K disclosure is due within four business days of its approval.',
  disclosure: 'The disclosure is recorded.',
}

function Refusal({ result, intent }: { result: ActionResult | undefined; intent: ActionResult['intent'] }) {
  if (!result || result.intent !== intent) return null
  return (
    <div role="alert" className="form-error">
      <p>{result.message}</p>
      {result.reasons.length > 0 ? (
        <ul>
          {result.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

export default function WaiverRegister() {
  const { mayRecord, ownOnly, officers, waivers } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as ActionResult | undefined
  const [params] = useSearchParams()
  const done = DONE[params.get('done') ?? '']
  const v = result?.values ?? {}
  const undisclosed = waivers.filter((w) => w.disclosure === null)
  const overdue = waivers.filter((w) => w.standing === 'overdue').length
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li aria-current="page">Waivers of the code</li>
        </ol>
      </nav>
      <header className="ow-page-head">
        <h1>Waivers of the Code of Ethics</h1>
      </header>
      <p className="hint">
        A waiver of the code for a certifying officer is disclosed on Form 8-K under Item 5.05 within four business days of its approval, or
        on the company’s website where the company has said so.
        {ownOnly ? ' You see the waivers granted to you.' : ''}
      </p>
      {done ? (
        <p role="status" className="ow-done">
          {done}
        </p>
      ) : null}

      <section aria-labelledby="register-title" className="ow-panel">
        <h2 id="register-title">
          {waivers.length === 0 ? 'No waiver' : waivers.length === 1 ? 'One waiver' : `${waivers.length} waivers`}
          {overdue > 0 ? `, ${overdue} overdue for disclosure` : ''}
        </h2>
        {waivers.length === 0 ? (
          <p>No waiver of the code has been recorded.</p>
        ) : (
          <div className="ow-table-scroll">
            <table className="ow-waivers">
              <caption className="visually-hidden">Waivers of the code, newest approval first</caption>
              <thead>
                <tr>
                  <th scope="col">Provision</th>
                  <th scope="col">Officer</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Approved by, on</th>
                  <th scope="col">Form 8-K due</th>
                  <th scope="col">Disclosure</th>
                </tr>
              </thead>
              <tbody>
                {waivers.map((w) => (
                  <tr
                    key={w.id}
                    data-waiver-id={w.id}
                    data-standing={w.standing}
                    className={w.standing === 'overdue' ? 'is-overdue' : undefined}
                  >
                    <td>{w.provision}</td>
                    <td>
                      <UserText>{w.officer}</UserText>
                    </td>
                    <td>
                      <UserText>{w.reason}</UserText>
                    </td>
                    <td>
                      <UserText>{w.approvedBy}</UserText>, {w.approvedOn}
                    </td>
                    <td>{w.dueOn}</td>
                    <td>
                      {w.standing === 'overdue' || w.standing === 'disclosed_late' ? (
                        <span className="overdue-badge">{w.standing === 'overdue' ? 'Overdue' : 'Late'}</span>
                      ) : null}
                      {w.statusWords}
                      {w.disclosure ? (
                        <span className="fact-note">
                          {w.disclosure.how}:{' '}
                          {w.disclosure.url ? (
                            <a href={w.disclosure.url} rel="noreferrer noopener">
                              <UserText>{w.disclosure.what}</UserText>
                            </a>
                          ) : (
                            w.disclosure.what
                          )}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {mayRecord ? (
        <>
          <section aria-labelledby="new-waiver-title" className="ow-panel">
            <h2 id="new-waiver-title">Record a waiver</h2>
            <Refusal result={result} intent="waiver" />
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="waiver" />
              <div className="field">
                <label htmlFor="w-provision">Provision waived</label>
                <select id="w-provision" name="provision" defaultValue={v.provision ?? ''} required>
                  <option value="">Choose…</option>
                  <option value="code">The Code of Ethics as a whole</option>
                  {DUTIES.map((d) => (
                    <option key={d.number} value={String(d.number)}>
                      Duty {d.number} — {d.title}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="w-officer">Officer it is granted to</label>
                <select id="w-officer" name="officerUserId" defaultValue={v.officerUserId ?? ''} required>
                  <option value="">Choose…</option>
                  {officers.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="w-reason">Reason</label>
                <textarea id="w-reason" name="reason" rows={3} defaultValue={v.reason ?? ''} required maxLength={5000} />
              </div>
              <fieldset className="field">
                <legend>Approved by</legend>
                <div className="choice">
                  <input id="w-by-board" type="radio" name="approver" value="board" defaultChecked={v.approver === 'board'} />
                  <label htmlFor="w-by-board">The Board of Directors</label>
                </div>
                <div className="choice">
                  <input id="w-by-committee" type="radio" name="approver" value="committee" defaultChecked={v.approver === 'committee'} />
                  <label htmlFor="w-by-committee">A committee the Board named</label>
                </div>
              </fieldset>
              <div className="field">
                <label htmlFor="w-committee">The committee’s name (when a committee approved it)</label>
                <input id="w-committee" name="committeeName" defaultValue={v.committeeName ?? ''} maxLength={200} />
              </div>
              <div className="field">
                <label htmlFor="w-approved">Date of approval</label>
                <input id="w-approved" name="approvedOn" type="date" defaultValue={v.approvedOn ?? ''} required />
              </div>
              <button type="submit">Record the waiver</button>
            </Form>
          </section>

          {undisclosed.length > 0 ? (
            <section aria-labelledby="disclosure-title" className="ow-panel">
              <h2 id="disclosure-title">Record a disclosure</h2>
              <Refusal result={result} intent="disclosure" />
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="disclosure" />
                <div className="field">
                  <label htmlFor="d-waiver">Waiver disclosed</label>
                  <select id="d-waiver" name="waiverId" defaultValue={v.waiverId ?? ''} required>
                    <option value="">Choose…</option>
                    {undisclosed.map((w) => (
                      <option key={w.id} value={w.id}>
                        {w.provision}, {w.officer}, approved {w.approvedOn}
                      </option>
                    ))}
                  </select>
                </div>
                <fieldset className="field">
                  <legend>Disclosed</legend>
                  <div className="choice">
                    <input id="d-8k" type="radio" name="kind" value="form_8k" defaultChecked={v.kind === 'form_8k'} />
                    <label htmlFor="d-8k">On Form 8-K, Item 5.05</label>
                  </div>
                  <div className="choice">
                    <input id="d-web" type="radio" name="kind" value="website" defaultChecked={v.kind === 'website'} />
                    <label htmlFor="d-web">On the company’s website</label>
                  </div>
                </fieldset>
                <div className="field">
                  <label htmlFor="d-accession">Form 8-K accession number (e.g. 0000719413-12-000045)</label>
                  <input id="d-accession" name="accessionNumber" defaultValue={v.accessionNumber ?? ''} />
                </div>
                <div className="field">
                  <label htmlFor="d-url">Website address</label>
                  <input id="d-url" name="websiteUrl" type="url" defaultValue={v.websiteUrl ?? ''} />
                </div>
                <div className="field">
                  <label htmlFor="d-on">Date of disclosure</label>
                  <input id="d-on" name="disclosedOn" type="date" defaultValue={v.disclosedOn ?? ''} required />
                </div>
                <button type="submit">Record the disclosure</button>
              </Form>
            </section>
          ) : null}
        </>
      ) : null}
    </>
  )
}

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: 'Waivers of the code · Code of Ethics attestations' }]

export const ErrorBoundary = RouteErrorBoundary
