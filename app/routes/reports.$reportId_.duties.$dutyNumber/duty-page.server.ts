// What the duty page reads: the officer's own workflow of the duty, what it
// allows now, the forms' context, the signature it would make, and the sign-offs
// on record. Every read goes through db/queries/.
import type { DB } from '../../../db/client'
import { findUserRecord, listPeople } from '../../../db/queries/people'
import { listMaterialInformation, type ReportWithDraft } from '../../../db/queries/reports'
import { findManifestationFacts, listSignOffs } from '../../../db/queries/sign-offs'
import {
  findDutyWorkflow,
  findReportLifecycle,
  listCaseInstances,
  listDutyInstances,
  type DutyWorkflow,
} from '../../../db/queries/workflows'
import { buildManifestation } from '../../../db/sign-off'
import { BODY_NAMES, OFFICER_TITLES } from '../../../machines/roles'
import { DUTIES, dutyByNumber, type DutyNumber, type Recipient } from '../../../machines/duties'
import { adverseFinding } from '../../../machines/duty-answers'
import { caseStateWords } from '../../../machines/case'
import { describeDutyState, dutyAllowedActions, dutyReviewMachine, dutyStateLabel, notStartedWords } from '../../../machines/duty-review'
import { reportAcceptsSignatures } from '../../../machines/report-lifecycle'
import type { AnswerFormContext } from '../../components/duty-answer-fields'
import { answersToValues, type ParseContext } from '../../utils/duty-forms.server'
import { describePeriod, formatAmount, formatInstantUtc } from '../../utils/format'
import { type Officer, type VisibleCase, requireOwnDutyWorkflow, visibleCases } from '../../utils/permissions.server'
import { DUTY_WORKFLOW_WORDS, workflowDiagram } from '../../utils/workflow-diagram.server'
import { getRecord } from '../../utils/workflow.server'

// The seed's own recipients of duties 1–4; the routing rule picks, per case, who of
// "the Chairman of the Board or the CEO" receives it (never the person it is about).
const RECIPIENT_WORDS: Record<Recipient, string> = {
  disclosure_committee: 'the Disclosure Committee',
  audit_committee: 'the Audit Committee',
  chairman_or_ceo: 'the Chairman of the Board or the CEO (never the person a matter is about)',
  board: 'the Board of Directors',
  internal_auditor: "the Company's internal auditor",
  independent_auditor: 'the independent auditors',
}

export function reportHeading(report: Pick<ReportWithDraft, 'form' | 'fiscal_year' | 'fiscal_quarter'>) {
  return report.form === '10-K'
    ? `Form 10-K for fiscal year ${report.fiscal_year}`
    : `Form 10-Q for quarter ${report.fiscal_quarter} of fiscal ${report.fiscal_year}`
}

/**
 * The signed-in officer's own workflow of one duty. The id is built from the
 * session's user, never from the request; the stored row is checked as well.
 */
export async function loadOwnDutyWorkflow(
  db: DB,
  request: Request,
  officer: Officer,
  report: ReportWithDraft,
  dutyNumber: DutyNumber,
): Promise<DutyWorkflow> {
  const wf = await findDutyWorkflow(db, await getRecord(), {
    reportId: report.id,
    officerUserId: officer.user.id,
    officerRole: officer.role,
    dutyNumber,
    currentDraftSha256: report.draft?.sha256 ?? null,
  })
  if (wf.exists) await requireOwnDutyWorkflow(request, officer, { id: wf.instanceId, subject: wf.subject }, { db })
  return wf
}

/** What the answer and exception forms are parsed against. */
export async function parseContext(db: DB, report: ReportWithDraft, officer: Officer, n: DutyNumber, now: Date): Promise<ParseContext> {
  return {
    dutyNumber: n,
    reportId: report.id,
    draftSha256: report.draft?.sha256 ?? null,
    timeZone: report.time_zone,
    now,
    visibleCases: visibleCases(officer.user, await listCaseInstances(db, await getRecord(), report.id)),
    items: n === 1 ? (await listMaterialInformation(db, report.id)).map((i) => ({ id: i.id, title: i.title })) : [],
    people: await listPeople(db, report.company_id),
  }
}

function describeCaseWords(k: VisibleCase) {
  const pending = (k.context.routing?.recipients ?? []).filter((b) => !k.context.acknowledgements.some((a) => a.body === b))
  return pending.length
    ? `Waiting for ${pending.map((b) => BODY_NAMES[b]).join(' and ')} to acknowledge it.`
    : 'Every recipient has acknowledged it.'
}

/**
 * The first duty, in the Code's order, that still needs this officer (not signed,
 * not locked), other than this one; null when every other duty is done.
 */
async function nextDutyFor(db: DB, officer: Officer, report: ReportWithDraft, current: DutyNumber) {
  const mine = await listDutyInstances(db, await getRecord(), report.id, { officerUserId: officer.user.id })
  const next = DUTIES.find((d) => {
    if (d.number === current) return false
    const row = mine.find((i) => i.dutyNumber === d.number)
    return !row || (row.context.signature === null && row.path !== 'locked')
  })
  return next ? { number: next.number, title: next.title } : null
}

export async function loadDutyPage(db: DB, request: Request, officer: Officer, report: ReportWithDraft, n: DutyNumber) {
  const duty = dutyByNumber(n)
  const now = new Date()
  const record = await getRecord()
  const wf = await loadOwnDutyWorkflow(db, request, officer, report, n)
  const draft = report.draft
  const ctx = await parseContext(db, report, officer, n, now)
  const me = await findUserRecord(db, officer.user.id)
  if (!me) throw new Response('Your account is not on record.', { status: 403 })
  const lifecycle = await findReportLifecycle(db, record, report)
  const allowed = dutyAllowedActions(wf.snapshot, {
    draftSha256: draft?.sha256 ?? null,
    at: now.toISOString(),
    reportAcceptsSignatures: reportAcceptsSignatures(lifecycle.snapshot),
  })
  const { signOffs, notOnRecord } = await listSignOffs(db, record, wf.instanceId)
  const c = wf.context
  const currentSignOff = c.signature ? (signOffs.find((s) => s.id === c.signature!.signatureId) ?? null) : null
  const toStored = (s: (typeof signOffs)[number]) => ({
    id: s.id,
    meaningText: s.meaning_text,
    withException: s.meaning === 'attested_with_exception',
    printedName: s.printed_name,
    title: s.title,
    signedAtUtc: formatInstantUtc(s.signed_at),
    signedAtLocal: s.signed_at_local,
    timeZone: s.time_zone,
    draft: s.draft_id && s.draft_sha256 ? { id: s.draft_id, version: s.draft_version, sha256: s.draft_sha256 } : null,
  })
  const auditor = (role: 'internal_auditor' | 'independent_auditor') => {
    const p = ctx.people.find((x) => x.roles.includes(role))
    return p ? `${p.name}, ${p.title}` : ''
  }
  const items = n === 1 ? await listMaterialInformation(db, report.id) : []
  const formContext: AnswerFormContext = {
    dutyNumber: n,
    draft: draft ? { version: draft.version, sha256: draft.sha256 } : null,
    timeZone: report.time_zone,
    citeableCases: ctx.visibleCases
      .filter((k) => k.context.duty === n)
      .map((k) => ({ caseId: k.context.caseId, itemId: k.context.itemId, summary: k.context.summary, state: caseStateWords(k.path) })),
    visibleCases: ctx.visibleCases.map((k) => ({
      caseId: k.context.caseId,
      duty: k.context.duty,
      summary: k.context.summary,
      state: caseStateWords(k.path),
    })),
    items: items.map((i) => ({
      id: i.id,
      title: i.title,
      description: i.description,
      amounts: i.amounts.map((a) => `${a.label}: ${formatAmount(a.value, a.unit)}`),
    })),
    people: ctx.people.filter((p) => !p.roles.includes('administrator')).map((p) => ({ id: p.id, label: `${p.name} — ${p.title}` })),
    auditorDefaults: { internal: auditor('internal_auditor'), independent: auditor('independent_auditor') },
  }
  const exceptionCase = c.exception ? ctx.visibleCases.find((k) => k.context.caseId === c.exception!.caseId) : undefined
  // The signature the officer would make, built by the same function signing uses.
  const manifestation = allowed.sign
    ? buildManifestation(
        await findManifestationFacts(db, {
          reportId: report.id,
          officerUserId: officer.user.id,
          officerRole: officer.role,
          dutyNumber: n,
          context: c,
          at: now,
        }),
      )
    : null
  return {
    nextDuty: c.signature ? await nextDutyFor(db, officer, report, n) : null,
    report: {
      id: report.id,
      heading: reportHeading(report),
      draft: draft ? { id: draft.id, version: draft.version, fileName: draft.fileName, sha256: draft.sha256 } : null,
      period: describePeriod(report),
      inCommitteeReview: lifecycle.path.startsWith('committeeReview'),
    },
    duty: {
      number: n,
      title: duty.title,
      text: duty.text,
      boundToDraft: duty.boundToDraft,
      goesTo: duty.kind === 'report' ? duty.recipients.map((r) => RECIPIENT_WORDS[r]) : [],
    },
    officer: { name: me.full_name, title: me.title, officerTitle: OFFICER_TITLES[officer.role] },
    workflow: {
      version: wf.version,
      path: wf.path,
      stateLabel: dutyStateLabel(wf.path),
      waitingFor:
        wf.path === 'notStarted'
          ? notStartedWords(OFFICER_TITLES[officer.role], n)
          : describeDutyState({ value: wf.snapshot.value, context: c }),
      answers: c.answers,
      adverse: c.answers ? adverseFinding(c.answers) : null,
      exception: c.exception
        ? {
            ...c.exception,
            caseState: exceptionCase ? caseStateWords(exceptionCase.path) : null,
            caseDescription: exceptionCase ? describeCaseWords(exceptionCase) : null,
          }
        : null,
      reopenedBy: c.lastReopen ? { reason: c.lastReopen.reason, at: formatInstantUtc(c.lastReopen.at) } : null,
    },
    allowed,
    preview: manifestation
      ? {
          printedName: manifestation.officer.printedName,
          title: manifestation.officer.title,
          officerTitle: OFFICER_TITLES[officer.role],
          atUtc: formatInstantUtc(manifestation.signedAt),
          atLocal: manifestation.signedAtLocal,
          timeZone: manifestation.timeZone,
          meaningText: manifestation.meaningText,
          draft: manifestation.draft ? { version: manifestation.draft.version, sha256: manifestation.draft.sha256 } : null,
          duty: { number: manifestation.duty.number, title: manifestation.duty.title },
        }
      : null,
    signOff: currentSignOff ? toStored(currentSignOff) : null,
    signOffsNotOnRecord: notOnRecord,
    earlierSignOffs: signOffs.filter((s) => s.id !== currentSignOff?.id).map(toStored),
    diagram: workflowDiagram(dutyReviewMachine, wf.path, DUTY_WORKFLOW_WORDS, duty.boundToDraft ? [] : ['isNewDraftReopen']),
    formContext,
    answerValues: answersToValues(c.answers, report.time_zone),
  }
}
export type DutyPageData = Awaited<ReturnType<typeof loadDutyPage>>
