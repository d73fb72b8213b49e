import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { changeMembership, changeTitle } from '../../db/commands'
import { getInstalledCompany } from '../../db/queries/company'
import { listAccounts, listMemberships, listTitleAssignments } from '../../db/queries/people'
import { ROLES, type Role } from '../../db/schema'
import { calendarDateWords } from '../../machines/filing-deadline'
import { calendarDateSchema, idSchema, writtenTextSchema } from '../../machines/primitives'
import { RouteErrorBoundary, errorMeta } from '../components/error-page'
import { StatusMessage } from '../components/form-fields'
import { UserText } from '../components/user-text'
import { requireRole } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { refusalFor } from '../utils/domain-errors.server'
import { readFormData } from '../utils/form-data.server'
import { requireSameOrigin } from '../utils/request-security.server'
import { roleWords } from '../utils/timeline-words'
import { getRecord } from '../utils/workflow.server'

// People, their titles and their roles, as dated periods (migration 016, issue 10):
// the history shows who acted in which title and roles on the day, so a change
// closes the current period and opens the next; nothing earlier is rewritten.
// Administrators only (they keep the system and never sign).

async function companyOrThrow() {
  const db = await getDb()
  const company = await getInstalledCompany(db)
  if (!company) throw new Response('No company has been set up yet.', { status: 503 })
  return { db, company }
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['administrator'])
  const { db } = await companyOrThrow()
  const today = new Date().toISOString().slice(0, 10)
  const held = (p: { effective_from: string; effective_to: string | null }) =>
    p.effective_from <= today && (p.effective_to === null || p.effective_to > today)
  const people = await Promise.all(
    (await listAccounts(db)).map(async (u) => {
      const memberships = await listMemberships(db, u.id)
      return {
        id: u.id,
        name: u.full_name,
        email: u.email,
        title: u.title,
        deactivated: u.deactivated_at !== null,
        titles: (await listTitleAssignments(db, u.id)).map((t) => ({
          id: t.id,
          title: t.title,
          from: t.effective_from,
          to: t.effective_to,
        })),
        memberships: memberships.map((m) => ({
          id: m.id,
          role: roleWords(m.role),
          from: m.effective_from,
          to: m.effective_to,
          current: held(m),
          open: m.effective_to === null,
        })),
        rolesToday: memberships.filter(held).map((m) => roleWords(m.role)),
      }
    }),
  )
  return {
    today,
    people,
    roles: ROLES.map((r) => ({ value: r, label: roleWords(r) })),
  }
}

const TitleSchema = z.strictObject({
  intent: z.literal('title'),
  userId: idSchema.describe('person'),
  title: writtenTextSchema.max(200, 'A title is at most 200 characters'),
  effectiveFrom: calendarDateSchema,
})

const MembershipSchema = z
  .strictObject({
    intent: z.literal('membership'),
    userId: idSchema,
    endMembershipId: z.string().max(200),
    startRole: z.union([z.literal(''), z.enum(ROLES)]),
    on: calendarDateSchema,
  })
  .refine((v) => v.endMembershipId !== '' || v.startRole !== '', { message: 'Choose a role to end, a role to start, or both' })

const FIELD_WORDS: Record<string, string> = {
  userId: 'Choose the person',
  title: 'Write the new title (at most 200 characters)',
  effectiveFrom: 'Give the day the title takes effect, as a date',
  on: 'Give the day of the change, as a date',
  startRole: 'Choose a role from the list',
  endMembershipId: 'Choose a role from the list',
}

type Intent = 'title' | 'membership'
interface ActionResult {
  intent: Intent
  message: string
  reasons: string[]
}

const refused = (status: number, result: ActionResult) => data(result, { status })

export async function action({ request }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const admin = await requireRole(request, ['administrator'])
  const { company } = await companyOrThrow()
  const form = await readFormData(request)
  const text = (name: string) => {
    const value = form.get(name)
    return typeof value === 'string' ? value : undefined
  }
  const intent: Intent = text('intent') === 'membership' ? 'membership' : 'title'
  const parsed =
    intent === 'title'
      ? TitleSchema.safeParse({
          intent: text('intent'),
          userId: text('userId'),
          title: text('title')?.trim(),
          effectiveFrom: text('effectiveFrom'),
        })
      : MembershipSchema.safeParse({
          intent: text('intent'),
          userId: text('userId'),
          endMembershipId: text('endMembershipId') ?? '',
          startRole: text('startRole') ?? '',
          on: text('on'),
        })
  if (!parsed.success) {
    const reasons = [...new Set(parsed.error.issues.map((i) => `${FIELD_WORDS[String(i.path[0])] ?? i.message}.`))]
    return refused(400, { intent, message: 'Nothing was recorded: correct what is listed below.', reasons })
  }
  const record = await getRecord()
  try {
    if (parsed.data.intent === 'title') {
      const v = parsed.data
      await changeTitle(record, { userId: v.userId, title: v.title, effectiveFrom: v.effectiveFrom, recordedBy: admin.id })
    } else {
      const v = parsed.data
      await changeMembership(record, {
        userId: v.userId,
        companyId: company.id,
        on: v.on,
        ...(v.endMembershipId ? { end: { membershipId: v.endMembershipId } } : {}),
        ...(v.startRole ? { start: { role: v.startRole as Role } } : {}),
      })
    }
  } catch (error) {
    const refusal = refusalFor(error)
    if (!refusal) throw error
    return refused(refusal.status, { intent, message: refusal.message, reasons: [] })
  }
  return redirect(`/admin/people?done=${intent}`)
}

const DONE: Record<string, string> = {
  title: 'The new title is recorded; the earlier one keeps its dates.',
  membership: 'The change of roles is recorded; earlier periods keep their dates.',
}

function Refusal({ result, intent }: { result: ActionResult | undefined; intent: Intent }) {
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

/** A period in words; the stored end is exclusive (the first day without it), so the last day held is the day before. */
function period(from: string, to: string | null) {
  if (to === null) return `since ${calendarDateWords(from)}`
  const last = new Date(Date.parse(`${to}T00:00:00.000Z`) - 86_400_000).toISOString().slice(0, 10)
  return last < from ? `recorded for ${calendarDateWords(from)}, never held` : `${calendarDateWords(from)} to ${calendarDateWords(last)}`
}

export default function People() {
  const { today, people, roles } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as ActionResult | undefined
  const [params] = useSearchParams()
  const done = DONE[params.get('done') ?? '']
  const openMemberships = people.flatMap((p) => p.memberships.filter((m) => m.open).map((m) => ({ ...m, person: p.name })))
  return (
    <>
      <nav aria-label="Breadcrumb" className="ow-breadcrumb">
        <ol>
          <li>
            <Link to="/">Periodic reports</Link>
          </li>
          <li aria-current="page">People, titles and roles</li>
        </ol>
      </nav>
      <h1>People, titles and roles</h1>
      <p className="page-lede">
        Titles and roles are kept as dated periods: the history shows, for every step, the title and roles the person held that day. A
        change ends the current period and starts the next; earlier periods are never rewritten. A change cannot be dated before a signature
        or a step the person took under what it ends.
      </p>
      {done && !result ? <StatusMessage message={done} /> : null}

      <section aria-labelledby="title-change" className="ow-panel">
        <h2 id="title-change">Change a title</h2>
        <Refusal result={result} intent="title" />
        <Form method="post" className="ow-form">
          <input type="hidden" name="intent" value="title" />
          <div className="field">
            <label htmlFor="title-person">Person</label>
            <select id="title-person" name="userId" required defaultValue="">
              <option value="" disabled>
                Choose…
              </option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}, {p.title}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="title-new">New title</label>
            <input id="title-new" name="title" required maxLength={200} size={50} />
          </div>
          <div className="field">
            <label htmlFor="title-from">Takes effect on</label>
            <p className="hint" id="title-from-hint">
              Today or earlier: the day the person first holds the new title.
            </p>
            <input
              id="title-from"
              name="effectiveFrom"
              type="date"
              required
              max={today}
              defaultValue={today}
              aria-describedby="title-from-hint"
            />
          </div>
          <button type="submit">Record the new title</button>
        </Form>
      </section>

      <section aria-labelledby="role-change" className="ow-panel">
        <h2 id="role-change">Change roles</h2>
        <Refusal result={result} intent="membership" />
        <Form method="post" className="ow-form">
          <input type="hidden" name="intent" value="membership" />
          <div className="field">
            <label htmlFor="role-person">Person</label>
            <select id="role-person" name="userId" required defaultValue="">
              <option value="" disabled>
                Choose…
              </option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="role-end">Role that ends</label>
            <p className="hint" id="role-end-hint">
              Held until the day before the date below. Choose one of the person’s own roles.
            </p>
            <select id="role-end" name="endMembershipId" defaultValue="" aria-describedby="role-end-hint">
              <option value="">None</option>
              {openMemberships.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.person}: {m.role}, since {calendarDateWords(m.from)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="role-start">Role that starts</label>
            <select id="role-start" name="startRole" defaultValue="">
              <option value="">None</option>
              {roles.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="role-on">On</label>
            <input id="role-on" name="on" type="date" required defaultValue={today} />
          </div>
          <button type="submit">Record the change of roles</button>
        </Form>
      </section>

      <section aria-labelledby="people-title" className="ow-panel">
        <h2 id="people-title">Everyone, with their history</h2>
        <div className="ow-table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Title today</th>
                <th scope="col">Roles today</th>
                <th scope="col">Titles over time</th>
                <th scope="col">Roles over time</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <UserText>{p.name}</UserText>
                    <br />
                    <span className="hint">
                      {p.email}
                      {p.deactivated ? ', deactivated' : ''}
                    </span>
                  </th>
                  <td>
                    <UserText>{p.title}</UserText>
                  </td>
                  <td>{p.rolesToday.length ? p.rolesToday.join(', ') : 'None'}</td>
                  <td>
                    <ul className="ow-plain-list">
                      {p.titles.map((t) => (
                        <li key={t.id}>
                          <UserText>{t.title}</UserText>, {period(t.from, t.to)}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <ul className="ow-plain-list">
                      {p.memberships.map((m) => (
                        <li key={m.id}>
                          {m.role}, {period(m.from, m.to)}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  )
}

export const meta: MetaFunction = ({ error }) =>
  error ? errorMeta(error) : [{ title: 'People, titles and roles · Code of Ethics attestations' }]
export const ErrorBoundary = RouteErrorBoundary
