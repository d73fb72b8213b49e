// What the case page reads: the matter, who it is about, where it went and why,
// each body's acknowledgement, the decision, the thread, the files, the access log
// and the steps the case's workflow allows now. Every read goes through db/queries/.
import type { DB } from '../../../db/client'
import { listCaseAdditions } from '../../../db/queries/reporting'
import { listCaseAccess, listCaseAttachments, listCaseMessages, listCaseSteps, type FoundCase } from '../../../db/queries/cases'
import { determinationProgress } from '../../../db/queries/determinations'
import { findUserRecord } from '../../../db/queries/people'
import type { RecordReader } from '../../../db/queries/workflows'
import type { CaseCapacity } from '../../../db/schema'
import { CASE_OUTCOMES, type CaseEvent, caseStateWords, caseWaitsFor, describeCaseState, receivingBodies } from '../../../machines/case'
import { dutyByNumber } from '../../../machines/duties'
import { reporterUserId, routingReasons } from '../../../machines/routing'
import { BODY_NAMES } from '../../../machines/roles'
import { CASE_DUTY_WORDS } from '../../utils/duty-forms'
import { formatInstantUtc } from '../../utils/format'
import type { CaseViewer, ReceivingBody } from '../../utils/permissions.server'

export const OUTCOME_WORDS: Record<(typeof CASE_OUTCOMES)[number], string> = {
  no_violation: 'No violation',
  disclosed: 'Disclosed',
  remediated: 'Remediated',
}

const CAPACITY_WORDS: Record<CaseCapacity, string> = {
  reporter: 'the reporter',
  disclosure_committee: 'for the Disclosure Committee',
  audit_committee: 'for the Audit Committee',
  chairman: 'as Chairman of the Board',
  ceo: 'as CEO',
  board: 'for the Board of Directors',
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** The steps open to this viewer now, asked of the case's workflow (`snapshot.can`). */
export function allowedCaseActions(found: FoundCase, viewer: CaseViewer, now: Date) {
  const at = now.toISOString()
  const can = (event: CaseEvent) => found.snapshot.can(event)
  if (viewer.kind !== 'recipient') return { acknowledgeFor: [] as ReceivingBody[], resolve: false, refer: false, write: false }
  const pending = found.context.routing?.recipients ?? []
  return {
    acknowledgeFor: viewer.bodies.filter((body) => pending.includes(body) && can({ type: 'case.acknowledge', body, at })),
    resolve: can({ type: 'case.resolve', outcome: 'no_violation', note: 'asked', at }),
    // Duties 1 and 2 are referred only as a violation of the codes; the form asks that of them.
    refer: can({ type: 'case.refer', violationOfCodes: true, note: 'asked', at }),
    write: true,
  }
}

export async function loadCasePage(db: DB, reader: RecordReader, found: FoundCase, viewer: CaseViewer, now: Date) {
  const c = found.context
  const person = async (userId: string) => {
    const u = await findUserRecord(db, userId)
    return u ? { name: u.full_name, title: u.title } : { name: userId, title: '' }
  }
  const steps = await listCaseSteps(db, found.caseId)
  const routed = c.routing?.recipients ?? []
  const acknowledgements = routed.map((body) => {
    const step = steps.find((s) => s.type === 'case.acknowledge' && s.event.body === body)
    return {
      body,
      bodyName: upperFirst(BODY_NAMES[body]),
      by: step?.actor ? { name: step.actor.name, title: step.actor.title } : null,
      at: step ? formatInstantUtc(String(step.event.at)) : null,
    }
  })
  const decisionStep = steps.find((s) => s.type === 'case.resolve' || s.type === 'case.refer')
  const decidedBy = decisionStep?.actor ? `${decisionStep.actor.name}, ${decisionStep.actor.title}` : null
  const decision = c.resolution
    ? {
        kind: 'resolved' as const,
        words: OUTCOME_WORDS[c.resolution.outcome],
        note: c.resolution.note,
        at: formatInstantUtc(c.resolution.at),
        by: decidedBy,
      }
    : c.referral
      ? {
          kind: 'referred' as const,
          words: c.referral.violationOfCodes
            ? 'Referred to the Board of Directors as a violation of the codes'
            : 'Referred to the Board of Directors',
          note: c.referral.note,
          at: formatInstantUtc(c.referral.at),
          by: decidedBy,
        }
      : null

  const isRecipient = viewer.kind === 'recipient'
  const messages = await listCaseMessages(db, found.caseId, { includeNotes: isRecipient })
  const attachments = isRecipient ? await listCaseAttachments(db, found.caseId) : []
  const filesOf = (messageId: string) =>
    attachments
      .filter((a) => a.message_id === messageId)
      .map((a) => ({ id: a.id, fileName: a.file_name, sizeBytes: a.size_bytes, sha256: a.sha256 }))
  const toMessage = (m: (typeof messages)[number]) => ({
    id: m.id,
    kind: m.kind,
    body: m.body,
    author: m.author_name,
    authorTitle: m.author_title,
    capacity: CAPACITY_WORDS[m.author_capacity],
    at: formatInstantUtc(m.written_at),
    files: filesOf(m.id),
  })
  const questions = messages
    .filter((m) => m.kind === 'question')
    .map((q) => ({ ...toMessage(q), answers: messages.filter((a) => a.kind === 'answer' && a.reply_to === q.id).map(toMessage) }))
  const notes = isRecipient ? messages.filter((m) => m.kind === 'note').map(toMessage) : []
  const access =
    viewer.kind === 'recipient' && viewer.readsAccessLog
      ? (await listCaseAccess(db, found.caseId)).map((a) => ({
          id: a.id,
          name: a.full_name,
          title: a.title,
          capacity: a.capacity === 'reporter' ? 'as reporter' : 'as recipient',
          at: formatInstantUtc(a.opened_at),
        }))
      : null

  const duty = dutyByNumber(c.duty)
  const waits = caseWaitsFor({ value: found.snapshot.value, context: c }, await determinationProgress(db, reader, found))
  return {
    caseId: found.caseId,
    version: found.version,
    state: found.path,
    stateWords: caseStateWords(found.path),
    description: describeCaseState({ value: found.snapshot.value, context: c }),
    waitsFor: waits.waitsFor,
    since: formatInstantUtc(waits.since),
    viewer:
      viewer.kind === 'recipient'
        ? { kind: 'recipient' as const, bodies: viewer.bodies.map((b) => ({ value: b, label: BODY_NAMES[b] })) }
        : { kind: 'reporter' as const },
    matter: c.summary,
    additions: (await listCaseAdditions(db, found.caseId)).map((a) => ({ id: a.id, body: a.body, at: formatInstantUtc(a.written_at) })),
    duty: { number: c.duty, title: duty.title, kind: CASE_DUTY_WORDS[c.duty] },
    reporter: {
      ...(reporterUserId(c.reporter) === null
        ? { name: 'Anonymous', title: 'through the anonymous channel' }
        : await person(reporterUserId(c.reporter) ?? '')),
      at: formatInstantUtc(c.reportedAt),
    },
    subject: c.subject.kind === 'none' ? null : await person(c.subject.userId),
    report: found.report
      ? {
          id: found.report.id,
          heading:
            found.report.form === '10-K'
              ? `Form 10-K for fiscal year ${found.report.fiscal_year}`
              : `Form 10-Q for quarter ${found.report.fiscal_quarter} of fiscal ${found.report.fiscal_year}`,
        }
      : null,
    routing: {
      bodies: upperFirst(
        receivingBodies(c)
          .map((b) => BODY_NAMES[b])
          .join(' and '),
      ),
      reasons: routingReasons({ duty: c.duty, subject: c.subject, reporter: c.reporter }),
    },
    acknowledgements,
    decision,
    notes,
    questions,
    files: attachments.map((a) => ({ id: a.id, fileName: a.file_name, sizeBytes: a.size_bytes, sha256: a.sha256, by: a.uploaded_by_name })),
    access,
    allowed: allowedCaseActions(found, viewer, now),
    outcomes: CASE_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_WORDS[o] })),
    referNeedsViolation: c.duty === 1 || c.duty === 2,
    // The Board's determination page (/cases/<id>/determination), for the Board's members once referred.
    boardDetermination: found.path === 'referredForDetermination' && viewer.kind === 'recipient' && viewer.bodies.includes('board'),
  }
}
export type CasePageData = Awaited<ReturnType<typeof loadCasePage>>
