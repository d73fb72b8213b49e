// `npm run bench:generate -- --file <path> [--years 20] [--pad 0]` (issue 13): a
// large record for the page benchmark, written THROUGH THE REAL WRITE PATH — the
// commands of db/commands/ and the seeds' own helpers, each one transaction of
// record.write — never copied around it, so the file is a chain `npm run verify`
// checks like any other. It starts from the demo company (seeds/prepare.ts, as
// `npm start` does), so the demo logins work on it.
//
// Per fiscal year (the last `years` years up to this one, three 10-Qs and a 10-K
// each; a period the demo holds already, or one not yet filable, is left out):
//   the report created as the administrator creates one; a duty 1 matter reported,
//   acknowledged by the Disclosure Committee and resolved as disclosed, with notes;
//   the draft registered; certification begun; each officer's answers revised
//   `pad` times on nine duties (sendDutyEvents: one transaction per batch); every
//   duty answered, confirmed and signed (seeds/history.ts signRemainingDuties);
//   both committees; approval for filing by the CEO and the CFO; filed and locked.
//   Every fifth year a code violation of the CAO/Controller goes through the Board:
//   determination, second signature, written notice, acknowledgement, close.
// Events ≈ reports × (≈ 160 + 27 × pad): about 1,000,000 at 20 years and pad 470.
import fs from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { openDatabase } from '../db/client'
import {
  acknowledgeCase,
  acknowledgeDeterminationNotice,
  approveForFiling,
  beginCertification,
  closeDetermination,
  decideCase,
  fileReport,
  giveDeterminationNotice,
  recordDetermination,
  registerDraft,
  reportCase,
  sendDutyEvents,
  signCommitteeStep,
  signDetermination,
  writeCaseMessage,
} from '../db/commands'
import { storeDraftFile } from '../db/draft-files'
import { instanceId } from '../db/ids'
import { machineLookup } from '../db/machine-lookup'
import { createPeriodicReport } from '../db/queries/admin'
import { loadOrCreateSigningKey, signingKeyPath } from '../db/signing-key'
import { openWorkflowRecord, type WorkflowRecord } from '../db/workflow-record'
import type { DutyAnswers } from '../machines/duty-answers'
import type { DutyNumber } from '../machines/duties'
import type { OfficerRole } from '../machines/roles'
import { signRemainingDuties } from '../seeds/history'
import { sha256Hex } from '../seeds/load'
import { prepareDatabase } from '../seeds/prepare'

const { values: flags } = parseArgs({
  options: {
    file: { type: 'string' },
    years: { type: 'string' },
    pad: { type: 'string' },
    batch: { type: 'string' },
  },
})
const file = path.resolve(flags.file ?? process.env.BENCH_FILE ?? '/tmp/hecla-bench/record.sqlite')
const years = Number(flags.years ?? process.env.BENCH_YEARS ?? 20)
/** Extra answer revisions per padded duty workflow (nine duties × three officers per report). */
const pad = Number(flags.pad ?? process.env.BENCH_PAD ?? 0)
/** Events per transaction when padding (sendDutyEvents takes them in order, in one transaction). */
const batch = Number(flags.batch ?? process.env.BENCH_BATCH ?? 200)
const notesPerCase = Math.ceil(pad / 20)

if (fs.existsSync(file)) throw new Error(`${file} exists: the generator writes a new record only`)
fs.mkdirSync(path.dirname(file), { recursive: true })

type Officer = { userId: string; role: OfficerRole }
const CEO: Officer = { userId: 'user-ceo', role: 'ceo' }
const CFO: Officer = { userId: 'user-cfo', role: 'cfo' }
const CAO: Officer = { userId: 'user-cao', role: 'cao' }
const ADMIN = { userId: 'user-admin', role: 'administrator' }
const DISCLOSURE_CHAIR = { userId: 'user-disclosure-chair', role: 'disclosure_committee' }
const AUDIT_CHAIR = { userId: 'user-audit-chair', role: 'audit_committee_chair' }
const COMPANY = 'company-hecla'

const DAY = 86_400_000
const plusDays = (iso: string, days: number) => new Date(new Date(`${iso}T17:00:00Z`).getTime() + days * DAY)

const today = new Date()
const started = performance.now()
await prepareDatabase(file, { today })
const { db, sqlite } = openDatabase(file)
const record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(file)))
const countEvents = () => (sqlite.prepare('SELECT count(*) AS n FROM workflow_event').get() as { n: number }).n
const eventsAtStart = countEvents()

async function version(r: WorkflowRecord, id: string) {
  return (await r.load(id))?.version ?? 0
}

/** The revision `i` of an officer's answer to a duty the generator pads (the others keep the standard answer only). */
function revision(n: DutyNumber, i: number, draftSha256: string): DutyAnswers | null {
  const reference = {
    7: { title: 'Accounting Policies and Procedures Manual', identifier: 'FIN-POL-001' },
    8: { title: 'Records Retention Policy', identifier: 'LEG-POL-014' },
    9: { title: 'Disclosure Committee Charter and Disclosure Controls', identifier: 'DC-CHARTER' },
  }
  switch (n) {
    case 2:
    case 3:
    case 4:
      return { items: [], noneBeyondReported: true }
    case 5:
      return { acknowledgesBoardDetermination: true }
    case 6:
      return { draftSha256, accurateAndComplete: true, comments: `Reading pass ${i + 1} against the trial balance: points cleared so far.` }
    case 7:
    case 8:
    case 9:
      return {
        established: true,
        operatingEffectively: true,
        changesInPeriod: i % 2 ? 'None' : `Walkthrough ${i + 1} of the period: no change found yet`,
        referenceDocument: reference[n],
      }
    case 11:
      return {
        consultedOn: '2000-01-01',
        weaknessesIdentified: false,
        summary: `Consultation notes, revision ${i + 1}: the Audit Committee has identified no weaknesses so far.`,
      }
    default:
      return null
  }
}

/** Each officer revising their answers `pad` times on the duties `revision` covers, `batch` events per transaction. */
async function padAnswers(reportId: string, draftSha256: string, from: Date) {
  let t = from.getTime()
  for (const officer of [CAO, CFO, CEO]) {
    for (let n = 1 as DutyNumber; n <= 12; n = (n + 1) as DutyNumber) {
      if (!revision(n, 0, draftSha256)) continue
      const id = instanceId.duty(reportId, officer.userId, n)
      let done = 0
      while (done < pad) {
        const expectedVersion = await version(record, id)
        const events: Parameters<typeof sendDutyEvents>[1]['events'] = expectedVersion === 0 ? [{ type: 'duty.start' }] : []
        const take = Math.min(batch, pad - done)
        for (let i = 0; i < take; i++) events.push({ type: 'duty.answer', answers: revision(n, done + i, draftSha256)! })
        // One moment per batch: the events of one transaction are one sitting.
        await sendDutyEvents(record, {
          reportId,
          officer,
          dutyNumber: n,
          expectedVersion,
          events,
          actor: officer,
          at: new Date((t += 10_000)),
        })
        done += take
      }
    }
  }
}

async function matterOfThePeriod(reportId: string, label: string, periodEnd: string) {
  const caseId = `case-${reportId.replace(/^report-/, '')}-bench`
  await reportCase(record, {
    reportId,
    input: {
      caseId,
      duty: 1,
      subject: { kind: 'none' },
      reporter: { role: CFO.role, userId: CFO.userId },
      summary: `${label}: the quarter's provisional price adjustments on concentrate sales, to be described in MD&A with their effect on revenue.`,
    },
    actor: CFO,
    at: plusDays(periodEnd, 3),
  })
  await acknowledgeCase(record, {
    caseId,
    body: 'disclosure_committee',
    expectedVersion: await version(record, instanceId.case(caseId)),
    actor: DISCLOSURE_CHAIR,
    at: plusDays(periodEnd, 4),
  })
  for (let i = 0; i < notesPerCase; i++) {
    await writeCaseMessage(record, {
      id: `note-${caseId}-${i + 1}`,
      caseId,
      kind: 'note',
      authorUserId: DISCLOSURE_CHAIR.userId,
      capacity: 'disclosure_committee',
      body: `Note ${i + 1}: the wording of the MD&A paragraph on provisional pricing, as discussed with the Controller.`,
      at: new Date(plusDays(periodEnd, 4).getTime() + (i + 1) * 60_000),
    })
  }
  await decideCase(record, {
    caseId,
    event: {
      type: 'case.resolve',
      outcome: 'disclosed',
      note: `Disclosed in the ${label} (MD&A, revenue).`,
      at: plusDays(periodEnd, 5).toISOString(),
    },
    expectedVersion: await version(record, instanceId.case(caseId)),
    actor: DISCLOSURE_CHAIR,
    at: plusDays(periodEnd, 5),
  })
}

async function periodicReport(form: '10-Q' | '10-K', fiscalYear: number, fiscalQuarter: number | null, periodEnd: string) {
  const created = await createPeriodicReport(db, {
    companyId: COMPANY,
    form,
    fiscalYear,
    fiscalQuarter,
    periodEnd,
    createdBy: ADMIN.userId,
    at: plusDays(periodEnd, -30),
  })
  if (!created.created) return false
  const reportId = created.id
  const label = form === '10-K' ? `Form 10-K for fiscal ${fiscalYear}` : `Form 10-Q for Q${fiscalQuarter} ${fiscalYear}`
  await matterOfThePeriod(reportId, label, periodEnd)
  const content = `Hecla Mining Company, ${label}. Draft 1.\n`
  const sha256 = sha256Hex(content)
  await storeDraftFile(sha256, new TextEncoder().encode(content), file)
  await registerDraft(record, {
    reportId,
    draftId: `draft-${reportId.replace(/^report-/, '')}-v1`,
    sha256,
    sizeBytes: Buffer.byteLength(content),
    fileName: `hecla-${reportId.replace(/^report-/, '')}-draft-1.txt`,
    uploadedBy: CAO,
    at: plusDays(periodEnd, 8),
  })
  await beginCertification(record, { reportId, actor: ADMIN, at: plusDays(periodEnd, 9) })
  await padAnswers(reportId, sha256, plusDays(periodEnd, 10))
  await signRemainingDuties(record, reportId, plusDays(periodEnd, 20).toISOString())
  await signCommitteeStep(record, {
    reportId,
    body: 'disclosure_committee',
    signerUserId: DISCLOSURE_CHAIR.userId,
    note: `Approved at the Disclosure Committee meeting on the ${label}.`,
    at: plusDays(periodEnd, 30),
  })
  await signCommitteeStep(record, {
    reportId,
    body: 'audit_committee',
    signerUserId: AUDIT_CHAIR.userId,
    note: `Reviewed with management and the independent auditors: the ${label}.`,
    at: plusDays(periodEnd, 31),
  })
  await approveForFiling(record, { reportId, officer: CEO, at: plusDays(periodEnd, 32) })
  await approveForFiling(record, { reportId, officer: CFO, at: plusDays(periodEnd, 32) })
  const serial = String(fiscalYear * 10 + (fiscalQuarter ?? 4)).slice(-6)
  await fileReport(record, {
    reportId,
    filedAt: plusDays(periodEnd, 35),
    accessionNumber: `0000719413-${String(fiscalYear).slice(-2)}-${serial.padStart(6, '0')}`,
    actor: ADMIN,
    at: plusDays(periodEnd, 35),
  })
  return true
}

/** A code violation of the CAO/Controller, through the Board to its close (the demo's 2009 matter, in another year). */
async function violationThroughTheBoard(year: number) {
  const caseId = `case-${year}-bench-violation`
  const id = instanceId.case(caseId)
  const at = (monthDay: string) => new Date(`${year}-${monthDay}Z`)
  await reportCase(record, {
    reportId: null,
    input: {
      caseId,
      duty: 3,
      matterKind: 'code_violation',
      subject: { kind: 'officer', role: CAO.role, userId: CAO.userId },
      reporter: { role: CFO.role, userId: CFO.userId },
      summary: `In ${year} the Controller accepted hospitality from a contractor bidding for the mill's maintenance without telling the Audit Committee.`,
    },
    actor: CFO,
    at: at('03-02T17:00:00'),
  })
  await acknowledgeCase(record, { caseId, body: 'ceo', expectedVersion: await version(record, id), actor: CEO, at: at('03-03T16:00:00') })
  await acknowledgeCase(record, {
    caseId,
    body: 'audit_committee',
    expectedVersion: await version(record, id),
    actor: AUDIT_CHAIR,
    at: at('03-03T18:00:00'),
  })
  await decideCase(record, {
    caseId,
    event: { type: 'case.refer', violationOfCodes: true, note: 'For the Board’s determination.', at: at('03-05T17:00:00').toISOString() },
    expectedVersion: await version(record, id),
    actor: AUDIT_CHAIR,
    at: at('03-05T17:00:00'),
  })
  const determination = instanceId.determination(caseId)
  await recordDetermination(record, {
    caseId,
    factors: {
      natureAndSeverity: { description: 'Hospitality accepted from a bidding contractor, undisclosed.', severity: 'minor' },
      occurrence: 'single',
      intent: 'inadvertent',
      advisedBeforehand: false,
      otherRelevantInformation: 'The contract went to another bidder.',
    },
    decision: {
      violation: true,
      decidedBy: 'board',
      rationale: 'A single, inadvertent lapse: a written notice.',
      actions: ['written_notice_of_violation'],
    },
    signerUserId: 'user-chairman',
    note: `Decided at the Board meeting of March ${year}.`,
    expectedVersion: 0,
    at: at('03-12T19:00:00'),
  })
  await signDetermination(record, {
    caseId,
    signerUserId: AUDIT_CHAIR.userId,
    note: null,
    expectedVersion: await version(record, determination),
    at: at('03-12T19:10:00'),
  })
  await giveDeterminationNotice(record, {
    caseId,
    directorUserId: 'user-chairman',
    text: 'The Board of Directors has determined that there has been a violation of the Code: disclose such hospitality to the Audit Committee in future.',
    expectedVersion: await version(record, determination),
    at: at('03-13T15:00:00'),
  })
  await acknowledgeDeterminationNotice(record, {
    caseId,
    userId: CAO.userId,
    expectedVersion: await version(record, determination),
    at: at('03-16T14:00:00'),
  })
  await closeDetermination(record, {
    caseId,
    directorUserId: 'user-chairman',
    expectedVersion: await version(record, determination),
    at: at('03-20T15:00:00'),
  })
}

const lastYear = today.getUTCFullYear()
const quarterEnds = ['03-31', '06-30', '09-30'] as const
let reportsWritten = 0
for (let year = lastYear - years + 1; year <= lastYear; year++) {
  if ((lastYear - year) % 5 === 4) await violationThroughTheBoard(year)
  const periods = [
    ...quarterEnds.map((md, q) => ({ form: '10-Q' as const, quarter: q + 1, end: `${year}-${md}` })),
    { form: '10-K' as const, quarter: null, end: `${year}-12-31` },
  ]
  for (const p of periods) {
    if (plusDays(p.end, 35) > today) continue
    if (await periodicReport(p.form, year, p.quarter, p.end)) reportsWritten++
  }
  const seconds = (performance.now() - started) / 1000
  const events = countEvents()
  console.log(`fiscal ${year}: ${events} events, ${Math.round((events - eventsAtStart) / seconds)} events/s so far`)
}

const seconds = (performance.now() - started) / 1000
const events = countEvents()
sqlite.pragma('wal_checkpoint(TRUNCATE)')
await db.destroy()
const bytes = fs.statSync(file).size
const summary = {
  file,
  years,
  pad,
  batch,
  reportsWritten,
  events,
  eventsWritten: events - eventsAtStart,
  seconds: Math.round(seconds * 10) / 10,
  eventsPerSecond: Math.round((events - eventsAtStart) / seconds),
  fileBytes: bytes,
}
console.log(JSON.stringify(summary))
fs.writeFileSync(`${file}.generate.json`, `${JSON.stringify(summary, null, 2)}\n`)
