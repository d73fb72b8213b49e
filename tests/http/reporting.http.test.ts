import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { openDatabase, type DB } from '../../db/client'
import { writeCaseMessage } from '../../db/commands'
import { machineLookup } from '../../db/machine-lookup'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { openWorkflowRecord, type WorkflowRecord } from '../../db/workflow-record'
import { DEMO_PASSWORD } from '../../seeds/hecla'

// Reporting by anyone signed in (/cases/new, "My reports") and the anonymous
// channel (/anonymous, /anonymous/follow-up) over plain HTTP, against the
// production build served by server.ts: who receives a matter an employee
// reports, that its subject never sees it, that "My reports" lists one's own
// only, that bad input writes nothing, and that nothing identifying — no
// address, no browser — reaches the database from the anonymous pages.

const baseURL = inject('baseURL')
const databasePath = inject('databasePath')

const USERS = {
  ceo: { email: 'ceo@hecla.example', id: 'user-ceo' },
  cfo: { email: 'cfo@hecla.example', id: 'user-cfo' },
  controller: { email: 'controller@hecla.example', id: 'user-cao' },
  auditChair: { email: 'audit.chair@hecla.example', id: 'user-audit-chair' },
  auditMember: { email: 'audit.member@hecla.example', id: 'user-audit-member' },
  internalAudit: { email: 'internal.audit@hecla.example', id: 'user-internal-auditor' },
  disclosure: { email: 'disclosure@hecla.example', id: 'user-disclosure-chair' },
} as const
type Who = keyof typeof USERS

const cookies = new Map<Who, string>()
let sqlite: Database.Database
let db: DB
let record: WorkflowRecord

beforeAll(async () => {
  sqlite = new Database(databasePath, { readonly: true, fileMustExist: true })
  ;({ db } = openDatabase(databasePath))
  record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(databasePath)))
  for (const who of Object.keys(USERS) as Who[]) {
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

const get = (route: string, who: Who) => fetch(`${baseURL}${route}`, { redirect: 'manual', headers: { Cookie: cookies.get(who)! } })
const post = (route: string, fields: Record<string, string>, who: Who) =>
  fetch(`${baseURL}${route}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: baseURL, Cookie: cookies.get(who)! },
    body: new URLSearchParams(fields),
  })

const count = (query: string, ...params: unknown[]) => (sqlite.prepare(query).get(...params) as { n: number }).n
// The workflows' own events, and apart from them the events binding the rows beside them to the chain (ADR 025).
const writes = () => ({
  events: count("SELECT count(*) AS n FROM workflow_event WHERE instance_id NOT LIKE 'kept-rows/%'"),
  instances: count("SELECT count(*) AS n FROM workflow_instance WHERE machine_id <> 'kept-rows'"),
  kept: count("SELECT count(*) AS n FROM workflow_event WHERE instance_id LIKE 'kept-rows/%'"),
  messages: count('SELECT count(*) AS n FROM case_message'),
  additions: count('SELECT count(*) AS n FROM case_addition'),
  files: count('SELECT count(*) AS n FROM case_attachment'),
  receipts: count('SELECT count(*) AS n FROM anonymous_receipt'),
})
const contextOf = (caseId: string) =>
  JSON.parse(
    (
      sqlite
        .prepare("SELECT json_extract(snapshot, '$.context') AS c FROM workflow_snapshot WHERE instance_id = ?")
        .get(`case/${caseId}`) as {
        c: string
      }
    ).c,
  ) as { reporter: unknown; duty: number; matterKind?: string; routing: { recipients: string[] } }

describe('anyone signed in reports a matter', () => {
  let caseId = ''
  const summary = 'The CFO’s brother-in-law supplies the Lucky Friday mill; no one disclosed it (reporting HTTP test).'

  beforeAll(async () => {
    const response = await post('/cases/new', { kind: 'code_violation', summary, subject: USERS.cfo.id, reportId: '' }, 'internalAudit')
    expect(response.status).toBe(302)
    const location = new URL(response.headers.get('location')!, baseURL)
    expect(location.pathname).toBe('/cases/mine')
    caseId = location.searchParams.get('reported')!
    expect(caseId).toMatch(/^case-[0-9a-f]{12}$/)
  })

  test('it is a version 3 case reported by an employee, a duty 3 matter by its kind, routed to the CEO and the Audit Committee', () => {
    expect(
      (sqlite.prepare('SELECT machine_version AS v FROM workflow_instance WHERE id = ?').get(`case/${caseId}`) as { v: number }).v,
    ).toBe(3)
    const c = contextOf(caseId)
    expect(c.reporter).toEqual({ kind: 'employee', userId: USERS.internalAudit.id })
    expect(c.duty).toBe(3)
    expect(c.matterKind).toBe('code_violation')
    expect(c.routing.recipients).toEqual(['ceo', 'audit_committee'])
  })

  test('the recipients by routing see it in their inbox and open it; its subject does not, nor anyone else', async () => {
    for (const who of ['ceo', 'auditChair', 'auditMember'] as const) {
      expect(await (await get('/cases', who)).text(), `${who}'s inbox`).toContain(caseId)
      expect((await get(`/cases/${caseId}`, who)).status, `${who} opens it`).toBe(200)
    }
    expect((await get(`/cases/${caseId}`, 'cfo')).status).toBe(404)
    expect(await (await get('/cases', 'cfo')).text()).not.toContain(caseId)
    expect(await (await get('/cases/mine', 'cfo')).text()).not.toContain(caseId)
    expect((await get(`/cases/${caseId}`, 'controller')).status).toBe(404)
  })

  test('"My reports" shows the reporter their own matter, and no one else’s; nobody else sees it there', async () => {
    const mine = await (await get('/cases/mine', 'internalAudit')).text()
    expect(mine).toContain(caseId)
    expect(mine).toContain('waiting for acknowledgement')
    // The seeded history's matters were reported by the officers: none of them is the internal auditor's.
    const officerCases = (
      sqlite.prepare("SELECT id FROM workflow_instance WHERE machine_id = 'case' AND id != ?").all(`case/${caseId}`) as { id: string }[]
    ).map((r) => r.id.replace(/^case\//, ''))
    expect(officerCases.length).toBeGreaterThan(0)
    for (const other of officerCases) expect(mine).not.toContain(`/cases/${other}"`)
    for (const who of ['ceo', 'controller', 'auditChair'] as const) {
      expect(await (await get('/cases/mine', who)).text(), `${who}'s reports`).not.toContain(caseId)
    }
  })

  test('the reporter answers the recipients’ question from "My reports", and adds information; another person cannot', async () => {
    const question = await writeCaseMessage(record, {
      caseId,
      kind: 'question',
      authorUserId: USERS.auditChair.id,
      capacity: 'audit_committee',
      body: 'Since when has the supplier been used?',
    })
    expect(await (await get('/cases/mine', 'internalAudit')).text()).toContain('Since when has the supplier been used?')
    const before = writes()
    const strangers = await post('/cases/mine', { intent: 'answer', caseId, questionId: question.id, body: 'Not me.' }, 'controller')
    expect(strangers.status).toBe(404)
    expect(writes()).toEqual(before)
    const answer = await post(
      '/cases/mine',
      { intent: 'answer', caseId, questionId: question.id, body: 'Since March 2012.' },
      'internalAudit',
    )
    expect(answer.status).toBe(302)
    const added = await post('/cases/mine', { intent: 'add', caseId, body: 'The contract is on the shared drive.' }, 'internalAudit')
    expect(added.status).toBe(302)
    expect(writes()).toEqual({ ...before, messages: before.messages + 1, additions: before.additions + 1, kept: before.kept + 2 })
    const row = sqlite.prepare("SELECT author_user_id, author_capacity, reply_to FROM case_message WHERE body = 'Since March 2012.'").get()
    expect(row).toEqual({ author_user_id: USERS.internalAudit.id, author_capacity: 'reporter', reply_to: question.id })
    const mine = await (await get('/cases/mine', 'internalAudit')).text()
    expect(mine).toContain('Since March 2012.')
    expect(mine).toContain('The contract is on the shared drive.')
    // The recipients read what was added, on the case page.
    expect(await (await get(`/cases/${caseId}`, 'auditChair')).text()).toContain('The contract is on the shared drive.')
  })
})

describe('bad input is refused with its reasons, and nothing is written', () => {
  test.each([
    ['no kind, no description', { kind: '', summary: '  ' }, ['Choose what kind of matter it is.', 'Describe the matter.']],
    ['a kind that does not exist', { kind: 'gossip', summary: 'Something.' }, ['Choose what kind of matter it is.']],
    ['a person not in the list', { kind: 'fraud', summary: 'Something.', subject: 'user-nobody' }, ['Choose who the matter is about']],
    [
      'oneself as the subject',
      { kind: 'fraud', summary: 'Something.', subject: USERS.internalAudit.id },
      ['you cannot follow one about yourself'],
    ],
    ['a report that does not exist', { kind: 'fraud', summary: 'Something.', reportId: 'report-nope' }, ['Choose the related report']],
    ['a NUL in the description', { kind: 'fraud', summary: 'A\u0000B' }, ['NUL character']],
  ])('%s: 400', async (_name, fields, reasons) => {
    const before = writes()
    const response = await post('/cases/new', fields as Record<string, string>, 'internalAudit')
    expect(response.status).toBe(400)
    const html = await response.text()
    for (const reason of reasons) expect(html).toContain(reason)
    expect(writes()).toEqual(before)
  })

  test('an empty answer, and an answer to no question of the case, write nothing', async () => {
    const response = await post('/cases/new', { kind: 'material_information', summary: 'A matter to answer on.' }, 'controller')
    const caseId = new URL(response.headers.get('location')!, baseURL).searchParams.get('reported')!
    const before = writes()
    const empty = await post('/cases/mine', { intent: 'add', caseId, body: ' ' }, 'controller')
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Write your text.')
    const noQuestion = await post(
      '/cases/mine',
      { intent: 'answer', caseId, questionId: 'question-none', body: 'An answer.' },
      'controller',
    )
    expect(noQuestion.status).toBe(422)
    expect(writes()).toEqual(before)
  })

  test('without a session, /cases/new sends to the sign-in page and writes nothing', async () => {
    const before = writes()
    const response = await fetch(`${baseURL}/cases/new`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: baseURL },
      body: new URLSearchParams({ kind: 'fraud', summary: 'No one signed in.' }),
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toMatch(/^\/login/)
    expect(writes()).toEqual(before)
  })
})

describe('the anonymous channel', () => {
  // Distinctive values a careless log would keep: none may reach the database.
  const FORWARDED = '203.0.113.199'
  const AGENT = 'AnonProbe/9.9 (reporting-http-test; distinctive-agent-7f3a)'
  const PASSPHRASE = 'blue heron over the Coeur d’Alene'
  const anonymous = (route: string, fields: Record<string, string>, origin = baseURL) =>
    fetch(`${baseURL}${route}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: origin, 'X-Forwarded-For': FORWARDED, 'User-Agent': AGENT, 'X-Real-IP': FORWARDED },
      body: new URLSearchParams(fields),
    })

  let receiptKey = ''
  let caseId = ''
  let highWater: Record<string, number> = {}
  let tables: { name: string; rowid: boolean }[] = []

  beforeAll(async () => {
    tables = (
      sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
        name: string
        sql: string
      }[]
    ).map((t) => ({ name: t.name, rowid: !/WITHOUT ROWID/i.test(t.sql) }))
    highWater = Object.fromEntries(
      tables
        .filter((t) => t.rowid)
        .map((t) => [t.name, (sqlite.prepare(`SELECT coalesce(max(rowid), 0) AS m FROM "${t.name}"`).get() as { m: number }).m]),
    )
  })

  test('a page anyone reaches without an account', async () => {
    const response = await fetch(`${baseURL}/anonymous`, { headers: { 'User-Agent': AGENT } })
    expect(response.status).toBe(200)
    expect(response.headers.get('set-cookie')).toBeNull()
    const html = await response.text()
    expect(html).toContain('Report anonymously to the Audit Committee')
    // Officers and directors are offered as the subject; the employee directory is not.
    expect(html).toContain(USERS.cfo.id)
    expect(html).not.toContain(USERS.internalAudit.id)
  })

  test('a cross-site post is refused as anywhere else, and its refusal keeps no address', async () => {
    const before = writes()
    const response = await anonymous(
      '/anonymous',
      { kind: 'fraud', summary: 'Cross-site.', passphrase: PASSPHRASE, passphraseAgain: PASSPHRASE },
      'http://evil.example',
    )
    expect(response.status).toBe(403)
    expect(writes()).toEqual(before)
    const refusal = sqlite
      .prepare(
        "SELECT ip FROM security_event WHERE kind = 'cross_site_refused' AND detail LIKE '%\"/anonymous\"%' ORDER BY id DESC LIMIT 1",
      )
      .get() as { ip: string | null }
    expect(refusal).toEqual({ ip: null })
  })

  test('bad input is refused with its reasons and writes nothing', async () => {
    const before = writes()
    const response = await anonymous('/anonymous', { kind: 'fraud', summary: 'x', passphrase: 'short', passphraseAgain: 'other' })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('Choose a passphrase of at least 10 characters.')
    expect(writes()).toEqual(before)
  })

  test('a submission goes to the Audit Committee and gives a 16-digit receipt key; the record keeps only its digest', async () => {
    const response = await anonymous('/anonymous', {
      kind: 'control_deficiency',
      summary: 'Journal entries at Greens Creek are posted and approved by the same person (anonymous HTTP test).',
      subject: '',
      reportId: '',
      passphrase: PASSPHRASE,
      passphraseAgain: PASSPHRASE,
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('set-cookie')).toBeNull()
    const html = await response.text()
    receiptKey = /<strong id="receipt-key">([\d ]+)<\/strong>/.exec(html)![1]!
    expect(receiptKey.replace(/ /g, '')).toMatch(/^\d{16}$/)
    const receipt = sqlite
      .prepare('SELECT case_instance_id, key_sha256, passphrase_hash FROM anonymous_receipt ORDER BY rowid DESC LIMIT 1')
      .get() as {
      case_instance_id: string
      key_sha256: string
      passphrase_hash: string
    }
    caseId = receipt.case_instance_id.replace(/^case\//, '')
    expect(receipt.passphrase_hash).toMatch(/^scrypt\$/)
    expect(receipt.key_sha256).not.toContain(receiptKey.replace(/ /g, ''))
    const c = contextOf(caseId)
    expect(c.reporter).toEqual({ kind: 'anonymous' })
    expect(c.routing.recipients).toEqual(['audit_committee'])
    const event = sqlite.prepare('SELECT actor_user_id, actor_role FROM workflow_event WHERE instance_id = ?').get(`case/${caseId}`)
    expect(event).toEqual({ actor_user_id: null, actor_role: 'anonymous_channel' })
    expect(await (await get('/cases', 'auditChair')).text()).toContain(caseId)
    expect(await (await get('/cases', 'disclosure')).text()).not.toContain(caseId)
  })

  test('with the key and passphrase the reporter sees the status, answers a question and adds information', async () => {
    const question = await writeCaseMessage(record, {
      caseId,
      kind: 'question',
      authorUserId: USERS.auditChair.id,
      capacity: 'audit_committee',
      body: 'Which months does this cover?',
    })
    const open = await anonymous('/anonymous/follow-up', { intent: 'open', receiptKey, passphrase: PASSPHRASE })
    expect(open.status).toBe(200)
    const page = await open.text()
    expect(page).toContain('waiting for acknowledgement')
    expect(page).toContain('Which months does this cover?')
    const answer = await anonymous('/anonymous/follow-up', {
      intent: 'answer',
      receiptKey,
      passphrase: PASSPHRASE,
      questionId: question.id,
      body: 'January to June 2013.',
    })
    expect(answer.status).toBe(200)
    expect(await answer.text()).toContain('January to June 2013.')
    const add = await anonymous('/anonymous/follow-up', {
      intent: 'add',
      receiptKey,
      passphrase: PASSPHRASE,
      body: 'Ask for the approval log.',
    })
    expect(add.status).toBe(200)
    expect(sqlite.prepare("SELECT author_user_id FROM case_message WHERE body = 'January to June 2013.'").get()).toEqual({
      author_user_id: 'anonymous-channel',
    })
    expect(sqlite.prepare("SELECT author_user_id FROM case_addition WHERE body = 'Ask for the approval log.'").get()).toEqual({
      author_user_id: null,
    })
    expect(await (await get(`/cases/${caseId}`, 'auditChair')).text()).toContain('January to June 2013.')
  })

  test('a wrong passphrase and an unknown key get the same refusal after the same slow check; repeated tries get 429 with Retry-After', async () => {
    const timed = async (fields: Record<string, string>) => {
      const start = performance.now()
      const response = await anonymous('/anonymous/follow-up', fields)
      return { response, ms: performance.now() - start, html: await response.text() }
    }
    const unknownKey = receiptKey.startsWith('0') ? '1111 2222 3333 4444' : '0000 1111 2222 3333'
    const unknown = await timed({ intent: 'open', receiptKey: unknownKey, passphrase: PASSPHRASE })
    const wrong = await timed({ intent: 'open', receiptKey, passphrase: 'not the passphrase' })
    expect(unknown.response.status).toBe(403)
    expect(wrong.response.status).toBe(403)
    const NO_MATCH = 'The receipt key and passphrase do not open a report.'
    expect(unknown.html).toContain(NO_MATCH)
    expect(wrong.html).toContain(NO_MATCH)
    expect(wrong.html).not.toContain('Which months does this cover?')
    // Both paid for scrypt (N=2^17): an unknown key is not answered faster.
    expect(unknown.ms).toBeGreaterThan(wrong.ms * 0.3)
    expect(unknown.ms).toBeGreaterThan(40)
    for (let i = 2; i <= 5; i++)
      expect((await timed({ intent: 'open', receiptKey, passphrase: `wrong ${i} times` })).response.status).toBe(403)
    const slowed = await anonymous('/anonymous/follow-up', { intent: 'open', receiptKey, passphrase: PASSPHRASE })
    expect(slowed.status).toBe(429)
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await slowed.text()).not.toContain('Which months does this cover?')
  })

  test('no IP address, no user agent and no session reached the database from these pages', () => {
    const needles = [FORWARDED, AGENT, 'distinctive-agent-7f3a', '127.0.0.1', '::1', '::ffff:']
    for (const t of tables) {
      const columns = (sqlite.prepare(`PRAGMA table_info("${t.name}")`).all() as { name: string }[]).map((c) => c.name)
      // The strings of this run's own requests must be nowhere; a loopback address nowhere among the rows written since they began.
      const rows = sqlite.prepare(`SELECT ${t.rowid ? 'rowid AS __rowid, ' : ''}* FROM "${t.name}"`).all() as Record<string, unknown>[]
      for (const row of rows) {
        const fresh = !t.rowid || (row.__rowid as number) > (highWater[t.name] ?? 0)
        for (const column of columns) {
          const value = row[column]
          const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('latin1') : String(value)
          for (const needle of needles) {
            if (!fresh && (needle === '127.0.0.1' || needle === '::1' || needle === '::ffff:')) continue
            expect(text.includes(needle), `${t.name}.${column} holds “${needle}”`).toBe(false)
          }
        }
      }
    }
    // And the channel opened no session for anyone.
    expect(count('SELECT count(*) AS n FROM session WHERE rowid > ?', highWater.session ?? 0)).toBe(0)
  })
})
