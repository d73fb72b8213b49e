// What the PDF certification packet of a report says (docs/decisions/018): the
// cover, the officer × duty matrix, every sign-off and signature of the report as
// manifested, the exceptions with their cases' outcome only, the committees'
// steps, and the signed chain head at export time. Reads only; the PDF is drawn
// by db/exports/packet-pdf.server.ts.
import { DUTIES } from '../../machines/duties'
import { dutyStateLabel } from '../../machines/duty-review'
import { caseStateWords } from '../../machines/case'
import { filingDeadline } from '../../machines/filing-deadline'
import { describeReportState, reportProgress } from '../../machines/report-lifecycle'
import { OFFICER_ROLES, OFFICER_TITLES, bodyTitle, type OfficerRole } from '../../machines/roles'
import { instanceId } from '../ids'
import { filerCategoryOn } from './company'
import type { Executor } from './executor'
import { listPeople } from './people'
import { findReportWithDraft } from './reports'
import { listCaseInstances, listDutyInstances, findReportLifecycle, type RecordReader } from './workflows'

export const OUTCOME_WORDS: Record<string, string> = {
  no_violation: 'no violation found',
  disclosed: 'disclosed',
  remediated: 'remediated',
}

export interface PacketCell {
  dutyNumber: number
  /** The state in words: what was signed and when, or where the duty stands. */
  words: string
  signedAt: string | null
  withException: boolean | null
  /** How many earlier sign-offs of this duty were reopened (withdrawn, a newer draft, sent back). */
  reopened: number
}

export interface PacketSignOff {
  id: string
  dutyNumber: number
  dutyTitle: string
  printedName: string
  title: string
  role: string
  meaningText: string
  signedAt: string
  signedAtLocal: string
  draft: { version: number | null; fileName: string | null; sha256: string } | null
  /** 'current' when the duty's workflow stands on it; otherwise it was reopened. */
  standing: 'current' | 'reopened'
  answers: unknown
  exception: { explanation: string; caseId: string } | null
  sequence: number
}

export interface PacketSignature {
  id: string
  printedName: string
  title: string
  meaningText: string
  note: string | null
  signedAt: string
  signedAtLocal: string
  sequence: number
}

export interface PacketFacts {
  company: { name: string; ticker: string; timeZone: string }
  report: {
    id: string
    form: string
    formName: string
    heading: string
    fiscalYear: number
    fiscalQuarter: number | null
    periodEnd: string
    dueDate: string | null
    extendedDueDate: string | null
    filedAt: string | null
    accessionNumber: string | null
    filedDraftSha256: string | null
    state: string
  }
  officers: Array<{ userId: string; name: string; roleTitle: string; cells: PacketCell[] }>
  signOffs: PacketSignOff[]
  signatures: PacketSignature[]
  sendBacks: Array<{ at: string; body: string; reason: string; dutyNumbers: number[] }>
  /** The report's reported matters: their state and outcome only, never their notes, questions or reporter. */
  cases: Array<{ label: string; duty: number; state: string; outcome: string | null; resolvedAt: string | null }>
  head: { installationId: string; sequence: number; headHash: string; signature: string; keyFingerprint: string; signedAt: string } | null
  keyFingerprint: string
  exportedAt: string
}

type Json = Record<string, unknown>

/**
 * The facts of a report's packet, or null when there is no such report.
 * `namesCases` false: a case is "a reported matter" (only the Audit Committee reads case ids, ADR 016).
 */
export async function findPacketFacts(
  db: Executor,
  reader: RecordReader,
  reportId: string,
  options: { namesCases: boolean; now: Date },
): Promise<PacketFacts | null> {
  const report = await findReportWithDraft(db, reportId)
  if (!report) return null
  const lifecycle = await findReportLifecycle(db, reader, report)
  const progress = reportProgress(lifecycle.context)
  const category = await filerCategoryOn(db, report.company_id, report.period_end)
  const dueDate = category ? filingDeadline({ form: report.form, periodEnd: report.period_end, category }).dueDate : null

  const instances = await listDutyInstances(db, reader, report.id)
  const rows = await db
    .selectFrom('sign_off as s')
    .leftJoin('report_draft as d', 'd.id', 's.draft_id')
    .selectAll('s')
    .select(['d.file_name as draft_file_name', 'd.version as draft_version'])
    .where('s.report_id', '=', report.id)
    .orderBy('s.workflow_sequence')
    .execute()
  const currentIds = new Set(instances.flatMap((i) => (i.context.signature ? [i.context.signature.signatureId] : [])))
  const dutyTitle = (n: number) => DUTIES.find((d) => d.number === n)?.title ?? `Duty ${n}`
  const signOffs: PacketSignOff[] = rows.map((r) => {
    const m = JSON.parse(r.manifestation) as Json
    return {
      id: r.id,
      dutyNumber: r.duty_number,
      dutyTitle: dutyTitle(r.duty_number),
      printedName: r.printed_name,
      title: r.title,
      role: OFFICER_TITLES[r.officer_role as OfficerRole] ?? r.officer_role,
      meaningText: r.meaning_text,
      signedAt: r.signed_at,
      signedAtLocal: r.signed_at_local,
      draft: r.draft_sha256 ? { version: r.draft_version, fileName: r.draft_file_name, sha256: r.draft_sha256 } : null,
      standing: currentIds.has(r.id) ? 'current' : 'reopened',
      answers: m.answers ?? null,
      exception: (m.exception as PacketSignOff['exception']) ?? null,
      sequence: r.workflow_sequence,
    }
  })

  const people = (await listPeople(db, report.company_id, options.now.toISOString().slice(0, 10)))
    .flatMap((p) => OFFICER_ROLES.filter((role) => p.roles.includes(role)).map((role) => ({ person: p, role })))
    .sort((a, b) => OFFICER_ROLES.indexOf(a.role) - OFFICER_ROLES.indexOf(b.role))
  const officers = people.map(({ person, role }) => ({
    userId: person.id,
    name: person.name,
    roleTitle: OFFICER_TITLES[role],
    cells: DUTIES.map((duty): PacketCell => {
      const instance = instances.find((i) => i.officerUserId === person.id && i.dutyNumber === duty.number)
      const mine = rows.filter((s) => s.officer_user_id === person.id && s.duty_number === duty.number)
      const currentId = instance?.context.signature?.signatureId ?? null
      const current = mine.find((s) => s.id === currentId) ?? null
      const withException = current ? current.meaning === 'attested_with_exception' : null
      return {
        dutyNumber: duty.number,
        words: current
          ? `Signed${withException ? ' with exception' : ', no exception'}`
          : dutyStateLabel(instance ? instance.path : 'notStarted'),
        signedAt: current?.signed_at ?? null,
        withException,
        reopened: mine.filter((s) => s.id !== currentId).length,
      }
    }),
  }))

  const signatures = (
    await db.selectFrom('signature').selectAll().where('report_id', '=', report.id).orderBy('workflow_sequence').execute()
  ).map((s): PacketSignature => ({
    id: s.id,
    printedName: s.printed_name,
    title: s.title,
    meaningText: s.meaning_text,
    note: s.note,
    signedAt: s.signed_at,
    signedAtLocal: s.signed_at_local,
    sequence: s.workflow_sequence,
  }))
  const sendBacks = (
    await db
      .selectFrom('workflow_event')
      .select(['event'])
      .where('instance_id', '=', instanceId.report(report.id))
      .where('event_type', '=', 'report.sendBack')
      .orderBy('sequence')
      .execute()
  ).map((e) => {
    const event = JSON.parse(e.event) as {
      at: string
      body: 'disclosure_committee' | 'audit_committee'
      reason: string
      dutyNumbers: number[]
    }
    return { at: event.at, body: bodyTitle(event.body), reason: event.reason, dutyNumbers: event.dutyNumbers }
  })

  const cases = (await listCaseInstances(db, reader, report.id)).map((c) => ({
    label: options.namesCases ? c.context.caseId : 'A reported matter',
    duty: c.context.duty,
    state: caseStateWords(c.state.startsWith('{') ? JSON.parse(c.state) : c.state),
    outcome: c.context.resolution ? (OUTCOME_WORDS[c.context.resolution.outcome] ?? c.context.resolution.outcome) : null,
    resolvedAt: c.context.resolution?.at ?? null,
  }))

  const checkpoint = await db.selectFrom('chain_checkpoint').selectAll().orderBy('sequence', 'desc').limit(1).executeTakeFirst()
  const install = await db.selectFrom('record_meta').select('installation_id').executeTakeFirst()

  return {
    company: { name: report.company_name, ticker: report.company_ticker, timeZone: report.time_zone },
    report: {
      id: report.id,
      form: report.form,
      formName: report.amendment_number ? `${report.form}/A` : report.form,
      heading:
        report.form === '10-K'
          ? `Form ${report.amendment_number ? `${report.form}/A` : report.form} for fiscal year ${report.fiscal_year}`
          : `Form ${report.amendment_number ? `${report.form}/A` : report.form} for quarter ${report.fiscal_quarter} of fiscal ${report.fiscal_year}`,
      fiscalYear: report.fiscal_year,
      fiscalQuarter: report.fiscal_quarter,
      periodEnd: report.period_end,
      dueDate,
      extendedDueDate: progress.lateFilingNotice?.extendedDueDate ?? null,
      filedAt: progress.filing?.filedAt ?? null,
      accessionNumber: progress.filing?.accessionNumber ?? null,
      filedDraftSha256: progress.filing?.draftSha256 ?? null,
      state: describeReportState(lifecycle.snapshot),
    },
    officers,
    signOffs,
    signatures,
    sendBacks,
    cases,
    head:
      checkpoint && install
        ? {
            installationId: install.installation_id,
            sequence: checkpoint.sequence,
            headHash: checkpoint.head_hash,
            signature: checkpoint.signature,
            keyFingerprint: checkpoint.key_fingerprint,
            signedAt: checkpoint.signed_at,
          }
        : null,
    keyFingerprint: reader.key.fingerprint,
    exportedAt: options.now.toISOString(),
  }
}
