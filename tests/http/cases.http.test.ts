import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { openDatabase, type DB } from '../../db/client'
import { reportCase } from '../../db/commands'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import type { CaseSubject } from '../../machines/routing'
import type { Body } from '../../machines/roles'
import { DEMO_PASSWORD } from '../../seeds/hecla'

// The recipients' side of reported matters over plain HTTP, against the
// production build: for each duty 1–4 and each kind of subject, who receives the
// case (their inbox lists it) and who can open it (200), and that everyone else —
// its subject, the administrator, anyone outside its bodies — gets a 404 that
// reads like a case that does not exist. A refused POST writes nothing. The
// matrix's cases are reported through the same command the duty pages call, on
// the server's own file and key (tied to no report, so no other file's report is
// held back); the release of a duty exception is walked through the pages.

const baseURL = inject('baseURL')
const databasePath = inject('databasePath')

const USERS = {
  ceo: { email: 'ceo@hecla.example', id: 'user-ceo' },
  cfo: { email: 'cfo@hecla.example', id: 'user-cfo' },
  controller: { email: 'controller@hecla.example', id: 'user-cao' },
  disclosure: { email: 'disclosure@hecla.example', id: 'user-disclosure-chair' },
  chairman: { email: 'chairman@hecla.example', id: 'user-chairman' },
  auditChair: { email: 'audit.chair@hecla.example', id: 'user-audit-chair' },
  auditMember: { email: 'audit.member@hecla.example', id: 'user-audit-member' },
  internalAudit: { email: 'internal.audit@hecla.example', id: 'user-internal-auditor' },
  auditor: { email: 'auditor@hecla.example', id: 'user-independent-auditor' },
  admin: { email: 'admin@hecla.example', id: 'user-admin' },
} as const
type Who = keyof typeof USERS
const EVERYONE = Object.keys(USERS) as Who[]

// The demo company's bodies, restated from its memberships (seeds/hecla.ts).
const MEMBERS: Partial<Record<Body, Who[]>> = {
  disclosure_committee: ['ceo', 'cfo', 'controller', 'disclosure'],
  audit_committee: ['auditChair', 'auditMember'],
  chairman: ['chairman'],
  ceo: ['ceo'],
}

// Each kind of person a matter can be about: each officer, the Chairman, a
// director on the Audit Committee, an employee, no one.
const SUBJECTS: Record<string, { who: Who | null; subject: CaseSubject }> = {
  ceo: { who: 'ceo', subject: { kind: 'officer', role: 'ceo', userId: USERS.ceo.id } },
  cfo: { who: 'cfo', subject: { kind: 'officer', role: 'cfo', userId: USERS.cfo.id } },
  cao: { who: 'controller', subject: { kind: 'officer', role: 'cao', userId: USERS.controller.id } },
  chairman: { who: 'chairman', subject: { kind: 'director', userId: USERS.chairman.id, isChairman: true } },
  auditMember: {
    who: 'auditMember',
    subject: { kind: 'director', userId: USERS.auditMember.id, isChairman: false, isAuditCommitteeMember: true },
  },
  employee: { who: 'internalAudit', subject: { kind: 'employee', userId: USERS.internalAudit.id } },
  none: { who: null, subject: { kind: 'none' } },
}
type SubjectName = keyof typeof SUBJECTS

/** The seed's recipients, written out: duties 3 and 4 go to the Chairman when the CEO is the subject, to the CEO otherwise. */
function expectedRecipients(duty: 1 | 2 | 3 | 4, subject: SubjectName): Body[] {
  if (duty === 1) return ['disclosure_committee']
  if (duty === 2) return ['disclosure_committee', 'audit_committee']
  return subject === 'ceo' ? ['chairman', 'audit_committee'] : ['ceo', 'audit_committee']
}

// The CAO/Controller reports every matter, except those about the CAO/Controller, which the CFO reports.
const reporterFor = (subject: SubjectName): Who => (subject === 'cao' ? 'cfo' : 'controller')

interface MatrixCase {
  caseId: string
  duty: 1 | 2 | 3 | 4
  subject: SubjectName
  reporter: Who
  recipients: Body[]
  /** Members of its bodies, less the subject and the reporter: they see it in their inbox. */
  inboxOf: Who[]
  /** Those, and the reporter: everyone else gets a 404. */
  mayOpen: Who[]
}

const MATRIX: MatrixCase[] = ([1, 2, 3, 4] as const).flatMap((duty) =>
  (Object.keys(SUBJECTS) as SubjectName[]).map((subject) => {
    const recipients = expectedRecipients(duty, subject)
    const reporter = reporterFor(subject)
    const subjectWho = SUBJECTS[subject]!.who
    const members = [...new Set(recipients.flatMap((b) => MEMBERS[b] ?? []))].filter((w) => w !== subjectWho)
    return {
      caseId: `case-http-d${duty}-${subject}`,
      duty,
      subject,
      reporter,
      recipients,
      inboxOf: members.filter((w) => w !== reporter),
      mayOpen: [...new Set([...members, reporter])],
    }
  }),
)

const cookies = new Map<Who, string>()
let sqlite: Database.Database
let db: DB
let record: WorkflowRecord

beforeAll(async () => {
  sqlite = new Database(databasePath, { readonly: true, fileMustExist: true })
  ;({ db } = openDatabase(databasePath))
  record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(databasePath)))
  for (const c of MATRIX) {
    await reportCase(record, {
      reportId: null,
      input: {
        caseId: c.caseId,
        duty: c.duty,
        subject: SUBJECTS[c.subject]!.subject,
        reporter: { role: c.reporter === 'cfo' ? 'cfo' : 'cao', userId: USERS[c.reporter].id },
        summary: `A duty ${c.duty} matter about ${c.subject}, for the HTTP test.`,
      },
      actor: { userId: USERS[c.reporter].id, role: c.reporter === 'cfo' ? 'cfo' : 'cao' },
    })
  }
  for (const who of EVERYONE) {
    const response = await fetch(`${baseURL}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: baseURL },
      body: new URLSearchParams({ email: USERS[who].email, password: DEMO_PASSWORD, redirectTo: '/' }),
    })
    expect(response.status, `sign-in of ${who}`).toBe(302)
    cookies.set(who, response.headers.get('set-cookie')!.split(';')[0]!)
  }
})
afterAll(async () => {
  sqlite.close()
  await db.destroy()
})

function get(route: string, who: Who) {
  return fetch(`${baseURL}${route}`, { redirect: 'manual', headers: { Cookie: cookies.get(who)! } })
}

function post(route: string, fields: Record<string, string>, who: Who) {
  return fetch(`${baseURL}${route}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL, Cookie: cookies.get(who)! },
    body: new URLSearchParams(fields),
  })
}

const count = (query: string, ...params: unknown[]) => (sqlite.prepare(query).get(...params) as { n: number }).n

/** Everything a step on a case would leave: events (and the chain's head), notes and questions, files. */
function writes() {
  return {
    // Less the openings of the case page (a refused form draws it again), whose log is bound to the chain (ADR 025).
    events: count("SELECT count(*) AS n FROM workflow_event WHERE instance_id <> 'kept-rows/case_access_log'"),
    head: (
      sqlite
        .prepare("SELECT hash FROM workflow_event WHERE instance_id <> 'kept-rows/case_access_log' ORDER BY sequence DESC LIMIT 1")
        .get() as { hash: string }
    ).hash,
    messages: count('SELECT count(*) AS n FROM case_message'),
    files: count('SELECT count(*) AS n FROM case_attachment'),
  }
}

const versionOf = (instanceId: string) =>
  (sqlite.prepare('SELECT version FROM workflow_snapshot WHERE instance_id = ?').get(instanceId) as { version: number } | undefined)
    ?.version ?? 0
const stateOf = (instanceId: string) =>
  (sqlite.prepare('SELECT state FROM workflow_snapshot WHERE instance_id = ?').get(instanceId) as { state: string }).state

describe('who receives a matter, and who can open it, for each duty 1–4 and each subject', () => {
  test.each(MATRIX.map((c) => [c.caseId, c] as const))('%s: routed as the seed says', (_id, c) => {
    const routing = JSON.parse(
      (
        sqlite
          .prepare("SELECT json_extract(snapshot, '$.context.routing') AS r FROM workflow_snapshot WHERE instance_id = ?")
          .get(`case/${c.caseId}`) as { r: string }
      ).r,
    ) as { recipients: Body[] }
    expect(routing.recipients).toEqual(c.recipients)
  })

  test.each(MATRIX.map((c) => [c.caseId, c] as const))(
    '%s: recipients and reporter 200; subject, administrator and others 404',
    async (_id, c) => {
      const subjectWho = SUBJECTS[c.subject]!.who
      if (subjectWho) expect(c.mayOpen).not.toContain(subjectWho)
      expect(c.mayOpen).not.toContain('admin')
      for (const who of EVERYONE) {
        const response = await get(`/cases/${c.caseId}`, who)
        expect(response.status, `${who} opening ${c.caseId}`).toBe(c.mayOpen.includes(who) ? 200 : 404)
        const html = await response.text()
        if (response.status === 404) {
          // The same words as for a case that does not exist: nothing of the matter shows.
          expect(html).toContain(`There is no reported matter “${c.caseId}” that you can open.`)
          expect(html).not.toContain('for the HTTP test')
        } else {
          expect(html).toContain(`A duty ${c.duty} matter about ${c.subject}, for the HTTP test.`)
          // Notes are the recipients' own; the reporter reads questions and answers only.
          expect(html.includes('Notes between the recipients'), who).toBe(who !== c.reporter)
        }
      }
    },
  )

  test('each member’s inbox lists exactly the matrix’s cases routed to their bodies, never one about them nor their own report', async () => {
    for (const who of EVERYONE) {
      const response = await get('/cases', who)
      const receives =
        Object.values(MEMBERS).some((members) => members.includes(who)) || ['chairman', 'auditChair', 'auditMember'].includes(who)
      expect(response.status, `inbox of ${who}`).toBe(receives ? 200 : 403)
      if (!receives) continue
      const html = await response.text()
      const listed = [...html.matchAll(/data-case-id="(case-http-[^"]+)"/g)].map((m) => m[1]).sort()
      const expected = MATRIX.filter((c) => c.inboxOf.includes(who))
        .map((c) => c.caseId)
        .sort()
      expect(listed, `inbox of ${who}`).toEqual(expected)
    }
  })

  test('a case that does not exist and a case hidden from the viewer answer the same 404', async () => {
    const hidden = await get('/cases/case-http-d3-ceo', 'ceo')
    const missing = await get('/cases/case-http-d3-nobody', 'ceo')
    expect([hidden.status, missing.status]).toEqual([404, 404])
    const words = (html: string, id: string) => html.replaceAll(id, 'ID').replace(/nonce="[^"]*"/g, '')
    expect(words(await hidden.text(), 'case-http-d3-ceo')).toBe(words(await missing.text(), 'case-http-d3-nobody'))
  })
})

describe('the inbox’s filters are checked', () => {
  test('a state or body the inbox does not offer is a 400 that says why', async () => {
    const state = await get('/cases?state=lost', 'auditChair')
    expect(state.status).toBe(400)
    expect(await state.text()).toContain('The state filter must be one of')
    const body = await get('/cases?body=disclosure_committee', 'auditChair')
    expect(body.status).toBe(400)
    expect(await body.text()).toContain('You receive matters as the Audit Committee and the Board of Directors')
  })

  test('filters narrow the list: by state and by body', async () => {
    const routed = await (await get('/cases?state=routed&body=audit_committee', 'auditMember')).text()
    const listed = [...routed.matchAll(/data-case-id="([^"]+)"/g)].map((m) => m[1])
    expect(listed.length).toBeGreaterThan(0)
    expect(listed).not.toContain('case-2008-q2-fx-close-control')
    const resolved = await (await get('/cases?state=resolved', 'auditMember')).text()
    expect(resolved).toContain('data-case-id="case-2008-q2-fx-close-control"')
    expect(resolved).not.toContain('data-case-id="case-http-')
  })
})

describe('a step on a case by someone who may not take it is refused, and writes nothing', () => {
  const C = 'case-http-d4-ceo' // routed to the Chairman and the Audit Committee; about the CEO
  const steps = (version: number): Record<string, string>[] => [
    { intent: 'acknowledge', expectedVersion: String(version), body: 'chairman' },
    { intent: 'acknowledge', expectedVersion: String(version), body: 'audit_committee' },
    { intent: 'note', text: 'A note from outside.', actingFor: 'audit_committee' },
    { intent: 'ask', text: 'A question from outside.', actingFor: 'chairman' },
    { intent: 'resolve', expectedVersion: String(version), outcome: 'no_violation', note: 'Closed from outside.' },
    { intent: 'refer', expectedVersion: String(version), violationOfCodes: 'on', note: 'Referred from outside.' },
  ]

  test.each(['ceo', 'admin', 'disclosure', 'internalAudit', 'auditor', 'cfo'] as Who[])(
    'as %s (the subject, the administrator, or outside its bodies) → 404 for every step, nothing written',
    async (who) => {
      const before = writes()
      for (const fields of steps(versionOf(`case/${C}`))) {
        const response = await post(`/cases/${C}`, fields, who)
        expect(response.status, `${who} ${fields.intent}`).toBe(404)
      }
      expect(writes()).toEqual(before)
    },
  )

  test('a member acting for a body not theirs, the reporter acknowledging, a recipient answering, a form naming a user: refused, nothing written', async () => {
    const before = writes()
    const version = String(versionOf(`case/${C}`))
    const forOther = await post(`/cases/${C}`, { intent: 'acknowledge', expectedVersion: version, body: 'chairman' }, 'auditMember')
    expect(forOther.status).toBe(403)
    const byReporter = await post(`/cases/${C}`, { intent: 'acknowledge', expectedVersion: version, body: 'audit_committee' }, 'controller')
    expect(byReporter.status).toBe(403)
    const answer = await post(`/cases/${C}`, { intent: 'answer', questionId: 'question-x', text: 'An answer.' }, 'chairman')
    expect(answer.status).toBe(403)
    const naming = await post(
      `/cases/${C}`,
      { intent: 'note', text: 'As someone else.', actingFor: 'chairman', userId: USERS.auditChair.id },
      'chairman',
    )
    expect(naming.status).toBe(403)
    const stale = await post(`/cases/${C}`, { intent: 'acknowledge', expectedVersion: '0', body: 'chairman' }, 'chairman')
    expect(stale.status).toBe(409)
    const blank = await post(`/cases/${C}`, { intent: 'note', text: '   ', actingFor: 'chairman' }, 'chairman')
    expect(blank.status).toBe(400)
    const reporterAnswersNothing = await post(
      `/cases/${C}`,
      { intent: 'answer', questionId: 'question-x', text: 'An answer.' },
      'controller',
    )
    expect(reporterAnswersNothing.status).toBe(422)
    expect(writes()).toEqual(before)
    expect(stateOf(`case/${C}`)).toBe('routed')
  })

  test('each body’s member acknowledges for it; a note, a question and its answer land in the thread, the reporter never reads the notes', async () => {
    const chairman = await post(
      `/cases/${C}`,
      { intent: 'acknowledge', expectedVersion: String(versionOf(`case/${C}`)), body: 'chairman', note: 'Seen by the Chairman.' },
      'chairman',
    )
    expect(chairman.status).toBe(302)
    expect(stateOf(`case/${C}`)).toBe('routed')
    const audit = await post(
      `/cases/${C}`,
      { intent: 'acknowledge', expectedVersion: String(versionOf(`case/${C}`)), body: 'audit_committee' },
      'auditMember',
    )
    expect(audit.status).toBe(302)
    expect(stateOf(`case/${C}`)).toBe('underReview')
    const acknowledgedBy = sqlite
      .prepare(
        "SELECT actor_user_id AS who, actor_role AS role, json_extract(event, '$.body') AS body FROM workflow_event WHERE instance_id = ? AND event_type = 'case.acknowledge' ORDER BY sequence",
      )
      .all(`case/${C}`)
    expect(acknowledgedBy).toEqual([
      { who: USERS.chairman.id, role: 'chairman', body: 'chairman' },
      { who: USERS.auditMember.id, role: 'audit_committee_member', body: 'audit_committee' },
    ])
    expect(
      (await post(`/cases/${C}`, { intent: 'ask', text: 'When did you learn of it?', actingFor: 'audit_committee' }, 'auditChair')).status,
    ).toBe(302)
    const question = sqlite.prepare("SELECT id FROM case_message WHERE case_instance_id = ? AND kind = 'question'").get(`case/${C}`) as {
      id: string
    }
    expect((await post(`/cases/${C}`, { intent: 'answer', questionId: question.id, text: 'In March.' }, 'controller')).status).toBe(302)
    const reporterPage = await (await get(`/cases/${C}`, 'controller')).text()
    expect(reporterPage).toContain('When did you learn of it?')
    expect(reporterPage).toContain('In March.')
    expect(reporterPage).not.toContain('Seen by the Chairman.')
    const recipientPage = await (await get(`/cases/${C}`, 'auditChair')).text()
    expect(recipientPage).toContain('Seen by the Chairman.')
    expect(recipientPage).toContain('In March.')
    // The Audit Committee's chair reads who opened it; no one else does.
    expect(recipientPage).toContain('Who opened this matter')
    expect(await (await get(`/cases/${C}`, 'auditMember')).text()).not.toContain('Who opened this matter')
    expect(
      count('SELECT count(*) AS n FROM case_access_log WHERE case_instance_id = ? AND user_id = ?', `case/${C}`, USERS.controller.id),
    ).toBeGreaterThan(0)
  })
})

describe('acknowledgement by every recipient body releases the officer’s duty exception (duties 1–4)', () => {
  const REPORT = { id: 'report-2017-q1', form: '10-Q', fiscalYear: '2017', fiscalQuarter: '1', periodEnd: '2017-03-31' }
  // Who acknowledges for each body; the CEO is the subject throughout, so never the CEO.
  const FOR_BODY: Partial<Record<Body, Who>> = { disclosure_committee: 'disclosure', audit_committee: 'auditChair', chairman: 'chairman' }

  beforeAll(async () => {
    const created = await post('/admin/reports/new', { ...REPORT }, 'admin')
    expect(created.status).toBe(302)
    const draft = new FormData()
    draft.append('intent', 'uploadDraft')
    draft.append('draft', new Blob(['Form 10-Q, Q1 2017 (cases HTTP test)'], { type: 'text/plain' }), 'draft.txt')
    const uploaded = await fetch(`${baseURL}/admin/reports/${REPORT.id}/drafts`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: baseURL, Cookie: cookies.get('admin')! },
      body: draft,
    })
    expect(uploaded.status).toBe(200)
    expect((await post(`/admin/reports/${REPORT.id}/drafts`, { intent: 'beginCertification' }, 'admin')).status).toBe(200)
  })

  test.each([1, 2, 3, 4] as const)(
    'duty %i: the CFO’s exception about the CEO is released once each body has acknowledged',
    async (duty) => {
      const dutyId = `duty/${REPORT.id}/${USERS.cfo.id}/${duty}`
      const dutyPath = `/reports/${REPORT.id}/duties/${duty}`
      expect((await post(dutyPath, { intent: 'answer', expectedVersion: '0', noneBeyondReported: 'on' }, 'cfo')).status).toBe(302)
      const raised = await post(
        dutyPath,
        {
          intent: 'raiseException',
          expectedVersion: String(versionOf(dutyId)),
          explanation: `A duty ${duty} matter about the CEO.`,
          link: 'new',
          newCaseSubject: USERS.ceo.id,
        },
        'cfo',
      )
      expect(raised.status).toBe(302)
      expect(stateOf(dutyId)).toBe('{"answered":{"exceptionRaised":"awaitingAcknowledgement"}}')
      const caseId = (
        sqlite
          .prepare("SELECT json_extract(snapshot, '$.context.exception.caseId') AS id FROM workflow_snapshot WHERE instance_id = ?")
          .get(dutyId) as {
          id: string
        }
      ).id
      const recipients = expectedRecipients(duty, 'ceo')
      // The CEO, its subject, neither sees it nor acknowledges it, even for the Disclosure Committee the CEO sits on.
      expect((await get(`/cases/${caseId}`, 'ceo')).status).toBe(404)
      for (const [i, body] of recipients.entries()) {
        const who = FOR_BODY[body]!
        const ack = await post(
          `/cases/${caseId}`,
          { intent: 'acknowledge', expectedVersion: String(versionOf(`case/${caseId}`)), body },
          who,
        )
        expect(ack.status, `${who} for ${body}`).toBe(302)
        const last = i === recipients.length - 1
        expect(stateOf(dutyId)).toBe(
          last ? '{"answered":{"exceptionRaised":"acknowledged"}}' : '{"answered":{"exceptionRaised":"awaitingAcknowledgement"}}',
        )
      }
      expect(stateOf(`case/${caseId}`)).toBe('underReview')
    },
  )
})

test('a file attached to a note is stored under its SHA-256 and downloadable by the recipients only', async () => {
  const C = 'case-http-d2-employee' // the Disclosure Committee and the Audit Committee; reported by the CAO/Controller
  const content = 'Trade blotter, May (HTTP test)'
  const form = new FormData()
  form.append('intent', 'note')
  form.append('actingFor', 'audit_committee')
  form.append('text', 'The blotter is attached.')
  form.append('file', new Blob([content], { type: 'text/plain' }), 'blotter.txt')
  const response = await fetch(`${baseURL}/cases/${C}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL, Cookie: cookies.get('auditMember')! },
    body: form,
  })
  expect(response.status).toBe(302)
  const row = sqlite
    .prepare('SELECT id, sha256, size_bytes, file_name FROM case_attachment WHERE case_instance_id = ?')
    .get(`case/${C}`) as {
    id: string
    sha256: string
    size_bytes: number
    file_name: string
  }
  const { createHash } = await import('node:crypto')
  expect(row).toMatchObject({
    sha256: createHash('sha256').update(content).digest('hex'),
    size_bytes: content.length,
    file_name: 'blotter.txt',
  })
  const path = `/cases/${C}/files/${row.id}`
  for (const who of ['auditChair', 'disclosure', 'ceo'] as Who[]) {
    const download = await get(path, who)
    expect(download.status, who).toBe(200)
    expect(await download.text()).toBe(content)
  }
  // The reporter reads the thread, not the files; the subject and everyone else get the case's 404.
  for (const who of ['controller', 'internalAudit', 'admin', 'chairman'] as Who[]) expect((await get(path, who)).status, who).toBe(404)
})

test('a matter whose determination the Board closed waits for nothing more, for its recipients and its reporter alike', async () => {
  // The demo's 2009 conflict of interest: referred, determined, noticed and closed (seeds/history.ts).
  for (const who of ['auditChair', 'cfo'] as Who[]) {
    const html = (await (await get('/cases/case-2009-supplier-relative', who)).text()).replaceAll('<!-- -->', '')
    expect(html, who).toContain('Waits for nothing more: the Board has made its determination and closed it, since')
    expect(html, who).not.toContain('Waits for the Board’s determination (duty 5)')
  }
  // And so say the recipients' inbox and the reporter's "My reports".
  for (const [who, page] of [
    ['auditChair', '/cases'],
    ['cfo', '/cases/mine'],
  ] as [Who, string][]) {
    const html = (await (await get(page, who)).text()).replaceAll('<!-- -->', '')
    const row = html.slice(html.indexOf('case-2009-supplier-relative'))
    expect(row.slice(0, 2000), `${who} ${page}`).toContain('nothing more: the Board has made its determination and closed it')
  }
})
