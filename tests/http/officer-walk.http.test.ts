import Database from 'better-sqlite3'
import { afterAll, beforeAll, expect, inject, test } from 'vitest'
import { DEMO_PASSWORD } from '../../seeds/hecla'

// The officers' walk as HTTP sees it, against the production build: who may read
// and post what, and what a refused request leaves behind (nothing). The suite
// shares the server with the browser walk, so versions are read from the file.
const baseURL = inject('baseURL')
const REPORT = 'report-2012-fy'
let sqlite: Database.Database

beforeAll(() => {
  sqlite = new Database(inject('databasePath'), { readonly: true, fileMustExist: true })
})
afterAll(() => sqlite.close())

function get(path: string, cookie: string) {
  return fetch(`${baseURL}${path}`, { redirect: 'manual', headers: { Cookie: cookie } })
}

function post(path: string, fields: Record<string, string>, cookie: string, origin = baseURL) {
  return fetch(`${baseURL}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: origin, Cookie: cookie },
    body: new URLSearchParams(fields),
  })
}

const cookies = new Map<string, string>()
async function signInAs(email: string): Promise<string> {
  const known = cookies.get(email)
  if (known) return known
  const response = await post('/login', { email, password: DEMO_PASSWORD, redirectTo: '/' }, '')
  expect(response.status).toBe(302)
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!
  cookies.set(email, cookie)
  return cookie
}

const count = (sql: string, ...args: unknown[]) => (sqlite.prepare(sql).get(...args) as { n: number }).n

/** Everything a workflow write would leave: events, workflows, sign-offs. */
function writes() {
  return {
    events: count('SELECT count(*) AS n FROM workflow_event'),
    workflows: count('SELECT count(*) AS n FROM workflow_instance'),
    signOffs: count('SELECT count(*) AS n FROM sign_off'),
  }
}

function versionOf(userId: string, duty: number): number {
  const row = sqlite.prepare('SELECT version FROM workflow_snapshot WHERE instance_id = ?').get(`duty/${REPORT}/${userId}/${duty}`) as
    { version: number } | undefined
  return row?.version ?? 0
}

const dutyPath = (n: number | string) => `/reports/${REPORT}/duties/${n}`

/** The stored state and current signature of an officer's duty workflow, read from the file. */
function stored(userId: string, duty: number) {
  const row = sqlite
    .prepare(
      "SELECT version, state, json_extract(snapshot, '$.context.signature.signatureId') AS signatureId FROM workflow_snapshot WHERE instance_id = ?",
    )
    .get(`duty/${REPORT}/${userId}/${duty}`) as { version: number; state: string; signatureId: string | null } | undefined
  return row ?? { version: 0, state: 'notStarted', signatureId: null }
}

/** The page's state badge class for a stored state column ("signed", or '{"answered":"noException"}'). */
const badge = (state: string): string => {
  const path = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [k, ...path(v)])
  return state.startsWith('{') ? path(JSON.parse(state)).join('-') : state
}

test('a duty page shows the signed-in officer’s own workflow, whoever the address names', async () => {
  // Duty 7 of the FY2012 10-K: the seeds have the CFO signed; the CEO has not signed it.
  const cfoDuty = stored('user-cfo', 7)
  expect(cfoDuty.state).toBe('signed')
  expect(cfoDuty.signatureId).toMatch(/^[0-9a-f]{64}$/)

  const ceo = await signInAs('ceo@hecla.example')
  for (const query of ['?officer=user-cfo', '?officerUserId=user-cfo&officerRole=cfo', '?userId=user-cfo']) {
    const response = await get(`${dutyPath(7)}${query}`, ceo)
    expect(response.status, query).toBe(200)
    const html = await response.text()
    const ceoDuty = stored('user-ceo', 7)
    expect(html).toContain('your review as Chief Executive Officer')
    // The CEO's own state and version, never the CFO's workflow or its signature.
    expect(html).toContain(`ow-state-${badge(ceoDuty.state)}`)
    expect(html).not.toContain(cfoDuty.signatureId!)
    if (ceoDuty.state !== 'signed') expect(html).not.toContain('ow-state-signed')
  }

  // The other way round: the CFO's page shows the CFO's own signature, whoever the address names.
  const cfo = await signInAs('cfo@hecla.example')
  const response = await get(`${dutyPath(7)}?officer=user-ceo&officerUserId=user-ceo`, cfo)
  expect(response.status).toBe(200)
  const html = await response.text()
  expect(html).toContain('your review as Chief Financial Officer')
  expect(html).toContain('ow-state-signed')
  expect(html).toContain(cfoDuty.signatureId!)
})

test('the CEO cannot act on the CFO’s duty: naming the CFO in the address or the form is refused 403, and the CFO’s workflow does not move', async () => {
  const ceo = await signInAs('ceo@hecla.example')
  const cfoBefore = stored('user-cfo', 7)
  const before = writes()
  const withdraw = { intent: 'withdraw', expectedVersion: String(cfoBefore.version), confirmWithdraw: 'on' }
  const inAddress = await post(`${dutyPath(7)}?officer=user-cfo`, withdraw, ceo)
  expect(inAddress.status).toBe(403)
  const inForm = await post(dutyPath(7), { ...withdraw, officerUserId: 'user-cfo', officerRole: 'cfo' }, ceo)
  expect(inForm.status).toBe(403)
  expect(stored('user-cfo', 7)).toEqual(cfoBefore)
  expect(writes()).toEqual(before)
})

test('the CFO cannot act on the CEO’s duty: a post naming another officer, in the address or the form, is refused 403, logged, and writes nothing', async () => {
  const cfo = await signInAs('cfo@hecla.example')
  const before = writes()
  const ceoVersion = versionOf('user-ceo', 3)
  const forbiddenBefore = count("SELECT count(*) AS n FROM security_event WHERE kind = 'forbidden' AND user_id = 'user-cfo'")

  const inAddress = await post(`${dutyPath(3)}?officer=user-ceo`, { intent: 'start', expectedVersion: String(ceoVersion) }, cfo)
  expect(inAddress.status).toBe(403)
  expect(await inAddress.text()).toContain('You can act only on your own duties')
  for (const field of ['officerUserId', 'officer', 'userId', 'officerRole']) {
    const inForm = await post(
      dutyPath(3),
      { intent: 'start', expectedVersion: String(ceoVersion), [field]: field === 'officerRole' ? 'ceo' : 'user-ceo' },
      cfo,
    )
    expect(inForm.status).toBe(403)
  }

  expect(writes()).toEqual(before)
  expect(versionOf('user-ceo', 3)).toBe(ceoVersion)
  expect(count("SELECT count(*) AS n FROM security_event WHERE kind = 'forbidden' AND user_id = 'user-cfo'")).toBe(forbiddenBefore + 5)
  // No event by the CFO has ever landed on another officer's duty workflow.
  expect(
    count(
      "SELECT count(*) AS n FROM workflow_event WHERE actor_user_id = 'user-cfo' AND instance_id LIKE 'duty/%' AND instance_id NOT LIKE 'duty/%/user-cfo/%'",
    ),
  ).toBe(0)
})

test('an administrator can neither open a duty nor post an answer: 403, and nothing is written', async () => {
  const admin = await signInAs('admin@hecla.example')
  const before = writes()
  expect((await get(dutyPath(5), admin)).status).toBe(403)
  expect((await get(`/reports/${REPORT}`, admin)).status).toBe(403)
  const answer = await post(dutyPath(5), { intent: 'answer', expectedVersion: '0', acknowledgesBoardDetermination: 'on' }, admin)
  expect(answer.status).toBe(403)
  const start = await post(dutyPath(5), { intent: 'start', expectedVersion: '0' }, admin)
  expect(start.status).toBe(403)
  expect(writes()).toEqual(before)
  expect(count("SELECT count(*) AS n FROM workflow_instance WHERE id LIKE '%/user-admin/%'")).toBe(0)
})

test('a committee member reads the report page, with every officer’s states and no forms, but opens no duty page', async () => {
  const member = await signInAs('audit.member@hecla.example')
  const report = await get(`/reports/${REPORT}`, member)
  expect(report.status).toBe(200)
  const html = await report.text()
  expect(html).toContain('Every officer’s sign-offs')
  expect(html).not.toContain('name="intent"')
  expect(html).not.toContain('Your duties as')
  expect((await get(dutyPath(1), member)).status).toBe(403)
  const before = writes()
  expect((await post(dutyPath(1), { intent: 'start', expectedVersion: '0' }, member)).status).toBe(403)
  expect(writes()).toEqual(before)
})

test('an unknown report is a 404: its page, a duty of it, and a post to it', async () => {
  const cfo = await signInAs('cfo@hecla.example')
  const before = writes()
  const page = await get('/reports/report-1999-fy', cfo)
  expect(page.status).toBe(404)
  expect(await page.text()).toContain('There is no periodic report “report-1999-fy”.')
  expect((await get('/reports/report-1999-fy/duties/1', cfo)).status).toBe(404)
  expect((await post('/reports/report-1999-fy/duties/1', { intent: 'start', expectedVersion: '0' }, cfo)).status).toBe(404)
  expect(writes()).toEqual(before)
})

test('duty 13 — or 0, 01, or a word — is a 404, and so is a post to it', async () => {
  const cfo = await signInAs('cfo@hecla.example')
  const before = writes()
  const thirteen = await get(dutyPath(13), cfo)
  expect(thirteen.status).toBe(404)
  expect(await thirteen.text()).toContain('the Code of Ethics has twelve, numbered 1 to 12')
  for (const n of ['0', '01', 'seven', '12.0']) expect((await get(dutyPath(n), cfo)).status).toBe(404)
  expect((await post(dutyPath(13), { intent: 'start', expectedVersion: '0' }, cfo)).status).toBe(404)
  expect(writes()).toEqual(before)
})

test('a stale expectedVersion is a 409 that says to reload, and changes nothing', async () => {
  const cfo = await signInAs('cfo@hecla.example')
  const before = writes()
  const stale = versionOf('user-cfo', 9) + 7
  for (const intent of ['start', 'confirm', 'withdraw']) {
    const response = await post(dutyPath(9), { intent, expectedVersion: String(stale), confirmWithdraw: 'on' }, cfo)
    expect(response.status).toBe(409)
    expect(await response.text()).toContain(
      'Someone else moved this workflow while you were looking at it: nothing was saved. Reload the page',
    )
  }
  expect(writes()).toEqual(before)
})

test('missing fields are a 400 that names each one, and nothing is written', async () => {
  const cfo = await signInAs('cfo@hecla.example')
  const before = writes()
  const controls = await post(dutyPath(9), { intent: 'answer', expectedVersion: String(versionOf('user-cfo', 9)) }, cfo)
  expect(controls.status).toBe(400)
  const html = await controls.text()
  expect(html).toContain('role="alert"')
  expect(html).toContain('Your answers were not saved: some need your attention.')
  expect(html).toContain('Say whether they are established for the period.')
  expect(html).toContain('Say whether they are operating effectively.')
  expect(html).toContain('Enter the changes in the period')
  expect(html).toContain('Enter the title of the document that sets them out.')

  const meeting = await post(
    dutyPath(10),
    {
      intent: 'answer',
      expectedVersion: String(versionOf('user-cfo', 10)),
      draftSha256: 'a'.repeat(64),
      heldOn: '2013-02-14',
      'attendee-0-name': 'Assistant Controller',
      'attendee-0-group': 'accounting_staff',
    },
    cfo,
  )
  expect(meeting.status).toBe(400)
  const meetingHtml = await meeting.text()
  expect(meetingHtml).toContain('This form was for another draft')
  expect(meetingHtml).toContain('list at least one attendee of each')

  const exception = await post(dutyPath(9), { intent: 'raiseException', expectedVersion: String(versionOf('user-cfo', 9)) }, cfo)
  expect(exception.status).toBe(400)
  expect(await exception.text()).toContain('Enter a written explanation of the exception.')
  expect(writes()).toEqual(before)
})

test('text longer than 20,000 characters is refused with a 400, and nothing is written', async () => {
  const cfo = await signInAs('cfo@hecla.example')
  const before = writes()
  const response = await post(
    dutyPath(8),
    {
      intent: 'answer',
      expectedVersion: String(versionOf('user-cfo', 8)),
      established: 'yes',
      operatingEffectively: 'yes',
      changesInPeriod: 'x'.repeat(20_001),
      referenceTitle: 'Records Retention Policy',
      referenceIdentifier: 'LEG-POL-014',
    },
    cfo,
  )
  expect(response.status).toBe(400)
  expect(await response.text()).toContain('Shorten the changes in the period (write “None” if there were none): at most 20,000 characters.')
  expect(writes()).toEqual(before)
})

test('a form without an action or a version is a 400', async () => {
  const cfo = await signInAs('cfo@hecla.example')
  const before = writes()
  const noIntent = await post(dutyPath(2), { expectedVersion: '0' }, cfo)
  expect(noIntent.status).toBe(400)
  expect(await noIntent.text()).toContain('This form asked for an action this page does not know.')
  expect((await post(dutyPath(2), { intent: 'delete', expectedVersion: '0' }, cfo)).status).toBe(400)
  const noVersion = await post(dutyPath(2), { intent: 'start' }, cfo)
  expect(noVersion.status).toBe(400)
  expect(await noVersion.text()).toContain('This form is missing the version of the workflow it was made from.')
  expect(writes()).toEqual(before)
})

test('a signature with the wrong password is a 401: nothing is signed and the failure is logged', async () => {
  const cfo = await signInAs('cfo@hecla.example')
  const before = writes()
  const failures = count("SELECT count(*) AS n FROM security_event WHERE kind = 'reauth_failed' AND user_id = 'user-cfo'")
  const response = await post(
    dutyPath(11),
    { intent: 'sign', expectedVersion: String(versionOf('user-cfo', 11)), password: 'not-my-password' },
    cfo,
  )
  expect(response.status).toBe(401)
  const html = await response.text()
  expect(html).toContain('Nothing was signed: that password is not right.')
  expect(html).not.toContain('not-my-password')
  expect(writes()).toEqual(before)
  expect(count("SELECT count(*) AS n FROM security_event WHERE kind = 'reauth_failed' AND user_id = 'user-cfo'")).toBe(failures + 1)
})

test('a post to a duty from another site is refused before it reaches the page', async () => {
  const cfo = await signInAs('cfo@hecla.example')
  const before = writes()
  const response = await post(
    dutyPath(2),
    { intent: 'start', expectedVersion: String(versionOf('user-cfo', 2)) },
    cfo,
    'https://evil.example',
  )
  expect(response.status).toBe(403)
  expect(writes()).toEqual(before)
})
