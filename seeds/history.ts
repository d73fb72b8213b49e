// The demo reports' workflow history, written through the same commands the app
// uses (db/commands/), so the seeded record is a real hash chain that
// `npm run verify` checks like any other. Fixed dates: the history is the same
// on every machine.
import {
  acknowledgeCase,
  changeTitle,
  acknowledgeDeterminationNotice,
  approveForFiling,
  beginCertification,
  closeDetermination,
  decideCase,
  fileReport,
  giveDeterminationNotice,
  recordDetermination,
  signDetermination,
  signCommitteeStep,
  registerDraft,
  reportCase,
  sendDutyEvent,
  signDuty,
  writeCaseMessage,
} from '../db/commands'
import { instanceId } from '../db/ids'
import type { WorkflowRecord } from '../db/workflow-record'
import type { DutyAnswers } from '../machines/duty-answers'
import type { DutyNumber } from '../machines/duties'
import type { OfficerRole } from '../machines/roles'
import { reports, titleChanges, type DemoReport } from './hecla'
import { seedLiveReport } from './live-report'
import { sha256Hex } from './load'

type Officer = { userId: string; role: OfficerRole }
const CEO: Officer = { userId: 'user-ceo', role: 'ceo' }
const CFO: Officer = { userId: 'user-cfo', role: 'cfo' }
const CAO: Officer = { userId: 'user-cao', role: 'cao' }
const ADMIN = { userId: 'user-admin', role: 'administrator' }
const DISCLOSURE_CHAIR = { userId: 'user-disclosure-chair', role: 'disclosure_committee' }
const AUDIT_CHAIR = { userId: 'user-audit-chair', role: 'audit_committee_chair' }

const Q2_2008 = 'report-2008-q2'
const FY_2012 = 'report-2012-fy'

/** "Title. Description", without doubling a title's own full stop ("Corp."). */
function sentence(title: string, description: string) {
  return `${title.endsWith('.') ? title : `${title}.`} ${description}`
}

function report(id: string): DemoReport {
  const found = reports.find((r) => r.id === id)
  if (!found) throw new Error(`no demo report ${id}`)
  return found
}

/** A clock for a scripted day: each call is one minute after the last. */
function day(isoStart: string) {
  let t = new Date(isoStart).getTime()
  return () => {
    const at = new Date(t)
    t += 60_000
    return at
  }
}

async function version(record: WorkflowRecord, id: string) {
  const row = await record.db.selectFrom('workflow_snapshot').select('version').where('instance_id', '=', id).executeTakeFirst()
  return row?.version ?? 0
}

function standardAnswers(
  n: DutyNumber,
  draftSha256: string,
  confirmedAt: string,
  duty1Items: { itemId: string; summary: string; caseId: string }[] = [],
): DutyAnswers {
  switch (n) {
    case 1:
      return duty1Items.length ? { items: duty1Items } : { items: [], noneBeyondReported: true }
    case 2:
    case 3:
    case 4:
      return { items: [], noneBeyondReported: true }
    case 5:
      return { acknowledgesBoardDetermination: true }
    case 6:
      return {
        draftSha256,
        accurateAndComplete: true,
        comments: 'Read in full against the trial balance and the disclosure checklist; no open points.',
      }
    case 7:
      return {
        established: true,
        operatingEffectively: true,
        changesInPeriod: 'None',
        referenceDocument: { title: 'Accounting Policies and Procedures Manual', identifier: 'FIN-POL-001' },
      }
    case 8:
      return {
        established: true,
        operatingEffectively: true,
        changesInPeriod: 'None',
        referenceDocument: { title: 'Records Retention Policy', identifier: 'LEG-POL-014' },
      }
    case 9:
      return {
        established: true,
        operatingEffectively: true,
        changesInPeriod: 'None',
        referenceDocument: { title: 'Disclosure Committee Charter and Disclosure Controls', identifier: 'DC-CHARTER' },
      }
    case 10:
      return {
        draftSha256,
        meetings: [
          {
            heldOn: confirmedAt.slice(0, 10),
            attendees: [
              { name: 'Vice President – Operations', group: 'senior_management' },
              { name: 'General Manager, Greens Creek', group: 'division_head' },
              { name: 'Corporate accounting staff', group: 'accounting_staff' },
            ],
            comments: [
              { text: 'Tie the production figures in MD&A to the operating statistics.', disposition: 'Tied and agreed in this draft.' },
            ],
          },
        ],
      }
    case 11:
      return {
        consultedOn: confirmedAt.slice(0, 10),
        weaknessesIdentified: false,
        summary: 'The Audit Committee has identified no weaknesses or concerns with respect to internal controls.',
      }
    case 12:
      return {
        draftSha256,
        internalAuditor: {
          confirmedBy: 'Casey Sample, Director of Internal Audit',
          confirmedAt,
          documentSha256: draftSha256,
          noMaterialMisstatements: true,
          noMdaConcerns: true,
        },
        independentAuditors: {
          confirmedBy: 'Jamie Tickmark, Example & Co. LLP',
          confirmedAt,
          documentSha256: draftSha256,
          noMaterialMisstatements: true,
          noMdaConcerns: true,
        },
      }
  }
}

/** One officer walks one duty: start (if new), answer, confirm, sign. */
async function walkDuty(record: WorkflowRecord, reportId: string, officer: Officer, n: DutyNumber, answers: DutyAnswers, next: () => Date) {
  const id = instanceId.duty(reportId, officer.userId, n)
  const send = async (event: Parameters<typeof sendDutyEvent>[1]['event']) =>
    sendDutyEvent(record, {
      reportId,
      officer,
      dutyNumber: n,
      expectedVersion: await version(record, id),
      event,
      actor: officer,
      at: next(),
    })
  if ((await version(record, id)) === 0) await send({ type: 'duty.start' })
  await send({ type: 'duty.answer', answers })
  await send({ type: 'duty.confirm' })
  await signDuty(record, { reportId, officer, dutyNumber: n, expectedVersion: await version(record, id), at: next() })
}

/**
 * Every duty not yet signed by each officer, answered with the standard answers
 * and signed, a minute apart from `startIso`: the last signature sends the report
 * to committee review. For tests and demos that need a certified report.
 */
export async function signRemainingDuties(record: WorkflowRecord, reportId: string, startIso: string) {
  const next = day(startIso)
  const draft = await record.db
    .selectFrom('periodic_report as r')
    .innerJoin('report_draft as d', 'd.id', 'r.current_draft_id')
    .select('d.sha256')
    .where('r.id', '=', reportId)
    .executeTakeFirstOrThrow()
  for (const officer of [CAO, CFO, CEO]) {
    for (let n = 1 as DutyNumber; n <= 12; n = (n + 1) as DutyNumber) {
      const row = await record.db
        .selectFrom('workflow_snapshot')
        .select('state')
        .where('instance_id', '=', instanceId.duty(reportId, officer.userId, n))
        .executeTakeFirst()
      if (row?.state === 'signed') continue
      await walkDuty(record, reportId, officer, n, standardAnswers(n, draft.sha256, next().toISOString()), next)
    }
  }
}

async function registerDemoDraft(record: WorkflowRecord, reportId: string, index: number, uploadedBy = { ...CAO }) {
  const draft = report(reportId).drafts[index]!
  await registerDraft(record, {
    reportId,
    draftId: draft.id,
    sha256: sha256Hex(draft.content),
    sizeBytes: Buffer.byteLength(draft.content),
    fileName: draft.file_name,
    uploadedBy,
    at: new Date(draft.uploaded_at),
  })
  return sha256Hex(draft.content)
}

/**
 * Writes the demo history unless some is there already: the two reports of the
 * seed documents, then the live report of the creation day `today`
 * (seeds/live-report.ts). Returns whether it wrote anything.
 */
export async function seedDemoHistory(record: WorkflowRecord, options: { today: Date }): Promise<boolean> {
  const any = await record.db.selectFrom('workflow_event').select('sequence').limit(1).executeTakeFirst()
  if (any) return false
  await seedQuarter2008(record)
  await seedEarlierViolation2009(record)
  // Between the two periods, through the administrator's command (db/commands/people.ts).
  for (const change of titleChanges) {
    await changeTitle(record, { ...change, recordedBy: ADMIN.userId, at: new Date(change.recordedAt) })
  }
  await seedFiscal2012(record)
  await seedLiveReport(record, options.today)
  return true
}

// Form 10-Q, quarter ended June 30, 2008: every matter of the Rusoro article
// raised under duty 1 and disclosed; two drafts (the second reopens duties 6, 10
// and 12); all officers signed; both committees; filed and locked.
async function seedQuarter2008(record: WorkflowRecord) {
  const q = report(Q2_2008)
  let next = day('2008-07-15T18:00:00Z')
  const items: { itemId: string; summary: string; caseId: string }[] = []
  for (const item of q.items) {
    const caseId = `case-2008-q2-${item.id.replace(/^item-2008-q2-/, '')}`
    await reportCase(record, {
      reportId: Q2_2008,
      input: {
        caseId,
        itemId: item.id,
        duty: 1,
        subject: { kind: 'none' },
        reporter: { role: CAO.role, userId: CAO.userId },
        summary: sentence(item.title, item.description),
      },
      actor: CAO,
      at: next(),
    })
    items.push({ itemId: item.id, summary: item.title, caseId })
  }
  next = day('2008-07-16T16:00:00Z')
  for (const { caseId } of items) {
    await acknowledgeCase(record, {
      caseId,
      body: 'disclosure_committee',
      expectedVersion: await version(record, instanceId.case(caseId)),
      actor: DISCLOSURE_CHAIR,
      at: next(),
    })
  }
  next = day('2008-07-18T16:00:00Z')
  for (const { caseId } of items) {
    await decideCase(record, {
      caseId,
      event: {
        type: 'case.resolve',
        outcome: 'disclosed',
        note: 'Disclosed in the Form 10-Q for the quarter ended June 30, 2008 (MD&A and the notes to the financial statements).',
        at: next().toISOString(),
      },
      expectedVersion: await version(record, instanceId.case(caseId)),
      actor: DISCLOSURE_CHAIR,
      at: next(),
    })
  }

  await seedControlMatter2008(record)

  let draftSha = await registerDemoDraft(record, Q2_2008, 0)
  await beginCertification(record, { reportId: Q2_2008, actor: ADMIN, at: new Date('2008-07-21T16:30:00Z') })
  const walks: [Officer, string][] = [
    [CAO, '2008-07-22T15:00:00Z'],
    [CFO, '2008-07-23T15:00:00Z'],
    [CEO, '2008-07-24T15:00:00Z'],
  ]
  for (const [officer, start] of walks) {
    next = day(start)
    for (let n = 1 as DutyNumber; n <= 12; n = (n + 1) as DutyNumber) {
      const answers = standardAnswers(n, draftSha, next().toISOString(), officer === CAO ? items : [])
      await walkDuty(record, Q2_2008, officer, n, answers, next)
    }
  }
  // Draft 2 adds the sale of the Venezuelan subsidiaries: duties 6, 10 and 12 are about "the draft", so they reopen.
  draftSha = await registerDemoDraft(record, Q2_2008, 1)
  next = day('2008-07-31T15:00:00Z')
  for (const [officer] of walks) {
    for (const n of [6, 10, 12] as DutyNumber[])
      await walkDuty(record, Q2_2008, officer, n, standardAnswers(n, draftSha, next().toISOString()), next)
  }
  // The last signature moved the report to committee review (signDuty does that).
  await signCommitteeStep(record, {
    reportId: Q2_2008,
    body: 'disclosure_committee',
    signerUserId: DISCLOSURE_CHAIR.userId,
    note: 'Approved at the Disclosure Committee meeting of August 4, 2008, with the sale of the Venezuelan subsidiaries disclosed.',
    at: new Date('2008-08-04T17:00:00Z'),
  })
  await signCommitteeStep(record, {
    reportId: Q2_2008,
    body: 'audit_committee',
    signerUserId: AUDIT_CHAIR.userId,
    note: 'Reviewed with management and the independent auditors on August 5, 2008.',
    at: new Date('2008-08-05T17:00:00Z'),
  })
  // The two certifying officers of Rule 13a-14 approve it for filing.
  await approveForFiling(record, { reportId: Q2_2008, officer: CEO, at: new Date('2008-08-06T17:00:00Z') })
  await approveForFiling(record, { reportId: Q2_2008, officer: CFO, at: new Date('2008-08-06T18:00:00Z') })
  // A demo accession number in EDGAR's shape (Hecla's CIK is 0000719413); not the real filing's.
  await fileReport(record, {
    reportId: Q2_2008,
    filedAt: new Date('2008-08-08T20:30:00Z'),
    accessionNumber: '0000719413-08-000045',
    actor: ADMIN,
    at: new Date('2008-08-08T20:31:00Z'),
  })
}

// A duty 2 matter of the Q2 2008 close, so that the Audit Committee's inbox holds
// a case with its whole life: the CFO reports that the $14 million foreign-exchange
// loss on repatriating funds from Venezuela was found late in the close; both
// committees acknowledge it (the Audit Committee with a note), the Audit Committee
// asks the CFO a question and the CFO answers, the Disclosure Committee notes the
// disclosure, and the Audit Committee resolves it as remediated. All of it before
// certification began: a case not yet acknowledged by every body holds the report back.
const FX_CASE = 'case-2008-q2-fx-close-control'
async function seedControlMatter2008(record: WorkflowRecord) {
  const next = day('2008-07-16T20:00:00Z')
  await reportCase(record, {
    reportId: Q2_2008,
    input: {
      caseId: FX_CASE,
      duty: 2,
      subject: { kind: 'none' },
      reporter: { role: CFO.role, userId: CFO.userId },
      summary:
        'The $14 million foreign-exchange loss on repatriating about $39 million from Venezuela at the official rate was found only in the ' +
        'last week of the close: the treasury reconciliation of foreign-currency transfers does not flag a conversion loss before month end. ' +
        'I think this is a significant deficiency in the design of that control.',
    },
    actor: CFO,
    at: next(),
  })
  const acknowledge = async (body: 'disclosure_committee' | 'audit_committee', actor: { userId: string; role: string }, note?: string) =>
    acknowledgeCase(record, {
      caseId: FX_CASE,
      body,
      expectedVersion: await version(record, instanceId.case(FX_CASE)),
      actor,
      at: next(),
      ...(note ? { note: { id: `note-${FX_CASE}-ack`, authorUserId: actor.userId, capacity: body, body: note } } : {}),
    })
  await acknowledge('disclosure_committee', DISCLOSURE_CHAIR)
  await acknowledge(
    'audit_committee',
    AUDIT_CHAIR,
    'Received for the Audit Committee. Internal Audit to walk through the treasury reconciliation before the committee meets on 18 July.',
  )
  await writeCaseMessage(record, {
    id: `question-${FX_CASE}-1`,
    caseId: FX_CASE,
    kind: 'question',
    authorUserId: AUDIT_CHAIR.userId,
    capacity: 'audit_committee',
    body: 'Was the loss on any other transfer of the quarter found late in the same way, and who reviews the reconciliation?',
    at: next(),
  })
  await writeCaseMessage(record, {
    id: `answer-${FX_CASE}-1`,
    caseId: FX_CASE,
    kind: 'answer',
    replyTo: `question-${FX_CASE}-1`,
    authorUserId: CFO.userId,
    capacity: 'reporter',
    body: 'No other transfer of the quarter carried a conversion loss. The Treasurer prepares the reconciliation; until now nobody reviewed it before the close.',
    at: new Date('2008-07-17T16:00:00Z'),
  })
  await writeCaseMessage(record, {
    id: `note-${FX_CASE}-disclosure`,
    caseId: FX_CASE,
    kind: 'note',
    authorUserId: DISCLOSURE_CHAIR.userId,
    capacity: 'disclosure_committee',
    body: 'The loss itself is disclosed in this 10-Q: it is its own duty 1 matter, case-2008-q2-fx-loss.',
    at: new Date('2008-07-17T17:00:00Z'),
  })
  await decideCase(record, {
    caseId: FX_CASE,
    event: {
      type: 'case.resolve',
      outcome: 'remediated',
      note: 'The Controller now reviews the treasury reconciliation of foreign-currency transfers weekly during the close, and a conversion loss above $250,000 is flagged to the CFO the day it is booked.',
      at: '2008-07-18T18:00:00.000Z',
    },
    expectedVersion: await version(record, instanceId.case(FX_CASE)),
    actor: AUDIT_CHAIR,
    at: new Date('2008-07-18T18:00:00Z'),
  })
}

// An earlier violation, closed, so that the Board weighing a later matter about
// the same person finds "prior violations" in the record (duty 5's fifth factor):
// in 2009 the CFO reports that the CAO/Controller (a fictional person) approved
// invoices of a supplier run by a relative without telling anyone; the CEO and the
// Audit Committee acknowledge it and refer it to the Board; the Chairman and the
// Audit Committee's chair decide and sign (a written notice that the Board has
// determined a violation, and censure); the notice goes out, the CAO/Controller
// acknowledges it, and the Board closes the matter. Tied to no periodic report.
export const EARLIER_VIOLATION_CASE = 'case-2009-supplier-relative'
async function seedEarlierViolation2009(record: WorkflowRecord) {
  const caseId = EARLIER_VIOLATION_CASE
  const id = instanceId.case(caseId)
  await reportCase(record, {
    reportId: null,
    input: {
      caseId,
      duty: 3,
      matterKind: 'code_violation',
      subject: { kind: 'officer', role: CAO.role, userId: CAO.userId },
      reporter: { role: CFO.role, userId: CFO.userId },
      summary:
        'The Controller approved three invoices of Silver Valley Drafting, a supplier run by the Controller’s brother-in-law, ' +
        'without disclosing the relationship or asking anyone to approve them instead (about $48,000 in 2009).',
    },
    actor: CFO,
    at: new Date('2009-03-02T17:00:00Z'),
  })
  await acknowledgeCase(record, {
    caseId,
    body: 'ceo',
    expectedVersion: await version(record, id),
    actor: CEO,
    at: new Date('2009-03-03T16:00:00Z'),
  })
  await acknowledgeCase(record, {
    caseId,
    body: 'audit_committee',
    expectedVersion: await version(record, id),
    actor: AUDIT_CHAIR,
    at: new Date('2009-03-03T18:00:00Z'),
  })
  await decideCase(record, {
    caseId,
    event: {
      type: 'case.refer',
      violationOfCodes: true,
      note: 'An undisclosed conflict of interest in approving a related supplier: for the Board’s determination.',
      at: '2009-03-05T17:00:00.000Z',
    },
    expectedVersion: await version(record, id),
    actor: AUDIT_CHAIR,
    at: new Date('2009-03-05T17:00:00Z'),
  })
  const determination = instanceId.determination(caseId)
  await recordDetermination(record, {
    caseId,
    factors: {
      natureAndSeverity: {
        description:
          'An undisclosed conflict of interest: invoices of a relative’s firm approved by the Controller, about $48,000, at market rates.',
        severity: 'moderate',
      },
      occurrence: 'single',
      intent: 'inadvertent',
      advisedBeforehand: false,
      otherRelevantInformation: 'The work was delivered and priced at market rates; the Controller disclosed the relationship when asked.',
    },
    decision: {
      violation: true,
      decidedBy: 'board',
      rationale:
        'A single, inadvertent conflict of interest, at market rates, disclosed when asked: a written notice and the Board’s censure.',
      actions: ['written_notice_of_violation', 'censure'],
    },
    signerUserId: 'user-chairman',
    note: 'Decided at the Board meeting of 12 March 2009.',
    expectedVersion: 0,
    at: new Date('2009-03-12T19:00:00Z'),
  })
  await signDetermination(record, {
    caseId,
    signerUserId: AUDIT_CHAIR.userId,
    note: null,
    expectedVersion: await version(record, determination),
    at: new Date('2009-03-12T19:10:00Z'),
  })
  await giveDeterminationNotice(record, {
    caseId,
    directorUserId: 'user-chairman',
    text:
      'The Board of Directors has determined that there has been a violation of the Code of Business Conduct and Ethics: ' +
      'you approved invoices of a supplier run by a relative without disclosing the relationship. The Board censures you for it. ' +
      'In future, disclose any such relationship to the Audit Committee and have another officer approve the invoices.',
    expectedVersion: await version(record, determination),
    at: new Date('2009-03-13T15:00:00Z'),
  })
  await acknowledgeDeterminationNotice(record, {
    caseId,
    userId: CAO.userId,
    expectedVersion: await version(record, determination),
    at: new Date('2009-03-16T14:00:00Z'),
  })
  await closeDetermination(record, {
    caseId,
    directorUserId: 'user-chairman',
    expectedVersion: await version(record, determination),
    at: new Date('2009-03-20T15:00:00Z'),
  })
}

// Form 10-K, fiscal 2012: the Canamex investment raised under duty 1 when it was
// announced and acknowledged by the Disclosure Committee; draft 1 in
// certification; the CAO/Controller has signed duties 5, 7, 8, 9 and the CFO
// duties 5 and 7; the CEO has not started.
async function seedFiscal2012(record: WorkflowRecord) {
  const canamex = report(FY_2012).items[0]!
  await reportCase(record, {
    reportId: FY_2012,
    input: {
      caseId: 'case-2012-canamex',
      itemId: canamex.id,
      duty: 1,
      subject: { kind: 'none' },
      reporter: { role: CFO.role, userId: CFO.userId },
      summary: sentence(canamex.title, canamex.description),
    },
    actor: CFO,
    at: new Date('2012-11-19T21:00:00Z'),
  })
  await acknowledgeCase(record, {
    caseId: 'case-2012-canamex',
    body: 'disclosure_committee',
    expectedVersion: await version(record, instanceId.case('case-2012-canamex')),
    actor: DISCLOSURE_CHAIR,
    at: new Date('2012-11-20T17:00:00Z'),
  })
  const draftSha = await registerDemoDraft(record, FY_2012, 0)
  await beginCertification(record, { reportId: FY_2012, actor: ADMIN, at: new Date('2013-02-11T17:30:00Z') })
  let next = day('2013-02-12T16:00:00Z')
  for (const n of [5, 7, 8, 9] as DutyNumber[])
    await walkDuty(record, FY_2012, CAO, n, standardAnswers(n, draftSha, next().toISOString()), next)
  next = day('2013-02-13T16:00:00Z')
  for (const n of [5, 7] as DutyNumber[]) await walkDuty(record, FY_2012, CFO, n, standardAnswers(n, draftSha, next().toISOString()), next)
}
