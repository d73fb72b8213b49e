// What causes a mail, decided in one place (issue 11): a workflow event or a
// message on a case → who receives what, and why. Pure: the caller hands in the
// event, the workflow's context after it, and the people with the bodies they sit
// on; no database, no clock. db/outbox/enqueue.ts writes the rows this returns in
// the event's own transaction.
//
// What a mail may say: it leaves the app's access control (it is forwarded,
// printed, kept), so no mail carries a matter's summary, its subject's or its
// reporter's name, a question's or a notice's text: only what happened, in a
// line, the link to the page that shows the rest behind sign-in, and why this
// person receives it. The anonymous reporter receives nothing: the channel keeps
// no address (ADR 015).
import type { BoardDeterminationContext } from './board-determination'
import { type CaseContext, receivingBodies } from './case'
import { type Body, BODY_NAMES, bodyTitle, type OfficerRole, OFFICER_TITLES } from './roles'
import { reporterUserId } from './routing'

/** A person the app can write to, with the bodies they receive matters as and the officer role they hold. */
export interface Addressee {
  userId: string
  bodies: readonly Body[]
  officerRole: OfficerRole | null
}

export const NOTICE_KINDS = [
  'case_routed',
  'case_acknowledged',
  'case_question',
  'case_answer',
  'case_referred',
  'case_resolved',
  'determination_decided',
  'determination_notice',
  'report_sent_back',
  'report_approved',
  'report_filed',
  'draft_reopened',
  'reminder',
  'digest',
  'witness',
] as const
export type NoticeKind = (typeof NOTICE_KINDS)[number]

/** Words for a kind, for the administrator's outbox. */
export const NOTICE_KIND_WORDS: Record<NoticeKind, string> = {
  case_routed: 'A matter routed',
  case_acknowledged: 'A matter acknowledged',
  case_question: 'A question to the reporter',
  case_answer: 'The reporter’s answer',
  case_referred: 'A matter referred to the Board',
  case_resolved: 'A matter resolved',
  determination_decided: 'A Board determination',
  determination_notice: 'Written notice to the individual',
  report_sent_back: 'A report sent back',
  report_approved: 'A report approved for filing',
  report_filed: 'A report filed',
  draft_reopened: 'A new draft reopened sign-offs',
  reminder: 'A deadline reminder',
  digest: 'The daily digest',
  witness: 'The signed chain head (witness)',
}

export interface Notice {
  kind: NoticeKind
  /** Each person once, whatever number of capacities they receive it in. */
  userId: string
  subject: string
  /** What happened, in a line or two; never a matter's details. */
  what: string
  /** Why this person receives it. */
  reason: string
  /** The page it is about, as a path of the app. */
  link: string
  /** A matter routed to its recipient goes out at once, whatever their setting (issue 11). */
  alwaysImmediate: boolean
  /**
   * What makes this mail the same mail if it were decided twice (one new draft
   * reopening three of an officer's duties is one mail): part of its idempotency key.
   */
  dedupe: string
}

/** What a workflow event is, with what the notices need to know of it. */
export type NotificationCause =
  | {
      kind: 'event'
      sequence: number
      machineId: string
      reportId: string | null
      /** The workflow's subject column (officer of a duty, case id…). */
      subject: Record<string, unknown>
      event: { type: string } & Record<string, unknown>
      /** The workflow's context after the event. */
      context: unknown
      /** The report's words, e.g. "the Form 10-K for fiscal 2012", when the event is about one. */
      reportWords: string | null
      actorUserId: string | null
    }
  | {
      kind: 'caseMessage'
      messageId: string
      messageKind: 'note' | 'question' | 'answer'
      caseId: string
      context: CaseContext
      authorUserId: string
    }

const caseLink = (caseId: string) => `/cases/${caseId}`
const reportLink = (reportId: string) => `/reports/${reportId}`
const filingLink = (reportId: string) => `/reports/${reportId}/filing`

/** The people a case is with now, each with the bodies they receive it as: never its subject, never its reporter. */
export function caseRecipients(
  context: Pick<CaseContext, 'routing' | 'referral' | 'reporter'>,
  people: readonly Addressee[],
  only?: readonly Body[],
): Array<{ userId: string; bodies: Body[] }> {
  const bodies = receivingBodies(context).filter((b) => !only || only.includes(b))
  const excluded = new Set(context.routing?.excludedUserIds ?? [])
  const reporter = reporterUserId(context.reporter)
  return people
    .filter((p) => !excluded.has(p.userId) && p.userId !== reporter)
    .map((p) => ({ userId: p.userId, bodies: bodies.filter((b) => p.bodies.includes(b)) }))
    .filter((p) => p.bodies.length > 0)
}

const asMember = (bodies: readonly Body[]) =>
  `You receive this as ${bodies.map((b) => (b === 'chairman' || b === 'ceo' ? BODY_NAMES[b] : `a member of ${BODY_NAMES[b]}`)).join(' and ')}, to whom this matter goes.`

const dutyWords = (duty: number) => `under duty ${duty} of the Code of Ethics`

function caseNotices(cause: Extract<NotificationCause, { kind: 'event' }>, people: readonly Addressee[]): Omit<Notice, 'dedupe'>[] {
  const c = cause.context as CaseContext
  const link = caseLink(c.caseId)
  const out: Omit<Notice, 'dedupe'>[] = []
  switch (cause.event.type) {
    case 'case.route':
      for (const r of caseRecipients(c, people))
        out.push({
          kind: 'case_routed',
          userId: r.userId,
          subject: `A matter reported ${dutyWords(c.duty)} is routed to you`,
          what: `A matter was reported ${dutyWords(c.duty)} and routed to ${r.bodies.map((b) => BODY_NAMES[b]).join(' and ')}. It waits for your acknowledgement.`,
          reason: asMember(r.bodies),
          link,
          alwaysImmediate: true,
        })
      break
    case 'case.acknowledge': {
      const by = cause.event.body as Body
      for (const r of caseRecipients(c, people)) {
        if (r.bodies.length === 1 && r.bodies[0] === by) continue
        out.push({
          kind: 'case_acknowledged',
          userId: r.userId,
          subject: `${bodyTitle(by)} acknowledged a matter you received`,
          what: `${BODY_NAMES[by].replace(/^t/, 'T')} acknowledged the matter reported ${dutyWords(c.duty)}.`,
          reason: asMember(r.bodies),
          link,
          alwaysImmediate: false,
        })
      }
      break
    }
    case 'case.refer':
      for (const r of caseRecipients(c, people))
        out.push({
          kind: 'case_referred',
          userId: r.userId,
          subject: 'A matter is referred to the Board of Directors',
          what: `The matter reported ${dutyWords(c.duty)} was referred to the Board of Directors for its determination (duty 5).`,
          reason: asMember(r.bodies),
          link,
          alwaysImmediate: r.bodies.includes('board'),
        })
      break
    case 'case.resolve':
      for (const r of caseRecipients(c, people))
        out.push({
          kind: 'case_resolved',
          userId: r.userId,
          subject: 'A matter you received is resolved',
          what: `The matter reported ${dutyWords(c.duty)} was resolved by its recipients.`,
          reason: asMember(r.bodies),
          link,
          alwaysImmediate: false,
        })
      break
  }
  return out
}

function determinationNotices(
  cause: Extract<NotificationCause, { kind: 'event' }>,
  people: readonly Addressee[],
): Omit<Notice, 'dedupe'>[] {
  const d = cause.context as BoardDeterminationContext
  const excluded = new Set([d.subject.userId, ...d.routing.excludedUserIds])
  const board = people.filter((p) => p.bodies.includes('board') && !excluded.has(p.userId))
  switch (cause.event.type) {
    case 'determination.decide':
      return board.map((p) => ({
        kind: 'determination_decided',
        userId: p.userId,
        subject: 'The Board recorded a determination (duty 5)',
        what: 'A determination of the actions for a reported violation was recorded and waits for the directors’ signatures and the written notice.',
        reason: 'You receive this as a director: the Board determines the actions for violations of the Code of Ethics (duty 5).',
        link: caseLink(d.caseId),
        alwaysImmediate: false,
      }))
    case 'determination.giveNotice':
      // Duty 5: "written notice to the individual involved". The mail is only the
      // pointer; the notice's text stays behind sign-in.
      return [
        {
          kind: 'determination_notice',
          userId: d.subject.userId,
          subject: 'A written notice from the Board of Directors',
          what: 'The Board of Directors has given you a written notice of its determination under the Code of Ethics. Please read it, and acknowledge that you received it, on its page.',
          reason:
            'You receive this because the notice is addressed to you: the code requires written notice to the individual involved (duty 5).',
          link: `/notices/${d.caseId}`,
          alwaysImmediate: true,
        },
      ]
    default:
      return []
  }
}

const officers = (people: readonly Addressee[]) => people.filter((p) => p.officerRole !== null)
const reviewers = (people: readonly Addressee[]) =>
  people.filter((p) => p.bodies.includes('disclosure_committee') || p.bodies.includes('audit_committee'))

function reportNotices(cause: Extract<NotificationCause, { kind: 'event' }>, people: readonly Addressee[]): Omit<Notice, 'dedupe'>[] {
  const reportId = cause.reportId
  if (!reportId) return []
  const words = cause.reportWords ?? 'the periodic report'
  const asOfficer = (p: Addressee) =>
    `You receive this as ${OFFICER_TITLES[p.officerRole!]}, a certifying officer bound by the Code of Ethics for this report.`
  const asReviewer = (p: Addressee) =>
    `You receive this as a member of ${p.bodies
      .filter((b) => b === 'disclosure_committee' || b === 'audit_committee')
      .map((b) => BODY_NAMES[b])
      .join(' and ')}, which reviews this report before filing.`
  const unique = (list: Addressee[]) => [...new Map(list.map((p) => [p.userId, p])).values()]
  switch (cause.event.type) {
    case 'report.sendBack': {
      const e = cause.event as unknown as { body: Body; reason: string; dutyNumbers: number[] }
      return officers(people).map((p) => ({
        kind: 'report_sent_back',
        userId: p.userId,
        subject: `${bodyTitle(e.body)} sent ${words} back`,
        what: `${BODY_NAMES[e.body].replace(/^t/, 'T')} sent ${words} back to the officers. Reason: “${e.reason}”. Duties to look at again: ${e.dutyNumbers.join(', ')}.`,
        reason: asOfficer(p),
        link: reportLink(reportId),
        alwaysImmediate: false,
      }))
    }
    case 'report.approveForFiling': {
      const approvals = (cause.context as { approvalsForFiling?: { ceo: unknown; cfo: unknown } }).approvalsForFiling
      if (!approvals?.ceo || !approvals.cfo) return []
      return unique([...officers(people), ...reviewers(people)]).map((p) => ({
        kind: 'report_approved',
        userId: p.userId,
        subject: `${words[0]!.toUpperCase()}${words.slice(1)} is approved for filing`,
        what: `The CEO and the CFO approved ${words} for filing (Exchange Act Rule 13a-14). No signature can be withdrawn now.`,
        reason: p.officerRole ? asOfficer(p) : asReviewer(p),
        link: filingLink(reportId),
        alwaysImmediate: false,
      }))
    }
    case 'report.file': {
      const e = cause.event as unknown as { accessionNumber: string }
      return unique([...officers(people), ...reviewers(people)]).map((p) => ({
        kind: 'report_filed',
        userId: p.userId,
        subject: `${words[0]!.toUpperCase()}${words.slice(1)} is filed`,
        what: `${words[0]!.toUpperCase()}${words.slice(1)} was filed with the SEC (accession number ${e.accessionNumber}). The report and its sign-offs are locked.`,
        reason: p.officerRole ? asOfficer(p) : asReviewer(p),
        link: filingLink(reportId),
        alwaysImmediate: false,
      }))
    }
    default:
      return []
  }
}

function dutyNotices(cause: Extract<NotificationCause, { kind: 'event' }>): Omit<Notice, 'dedupe'>[] {
  const e = cause.event as { type: string; reason?: string; draftSha256?: string }
  // A send back has its own mail, with its reason; a withdrawal is the officer's own act.
  if (e.type !== 'duty.reopen' || e.reason !== 'newDraft' || !cause.reportId) return []
  const officerUserId = cause.subject.officerUserId
  if (typeof officerUserId !== 'string') return []
  const words = cause.reportWords ?? 'the periodic report'
  return [
    {
      kind: 'draft_reopened',
      userId: officerUserId,
      subject: `A new draft of ${words} reopened your sign-offs`,
      what: `A new draft of ${words} was registered. Your sign-offs of the duties about a specific draft (6, 10 and 12) are open again: review the new draft and sign them again.`,
      reason: 'You receive this as a certifying officer who had signed these duties on the earlier draft.',
      link: reportLink(cause.reportId),
      alwaysImmediate: false,
    },
  ]
}

function messageNotices(
  cause: Extract<NotificationCause, { kind: 'caseMessage' }>,
  people: readonly Addressee[],
): Omit<Notice, 'dedupe'>[] {
  const c = cause.context
  const link = caseLink(c.caseId)
  if (cause.messageKind === 'question') {
    // The anonymous reporter has no address: they read the question with their receipt.
    const reporter = reporterUserId(c.reporter)
    if (!reporter) return []
    return [
      {
        kind: 'case_question',
        userId: reporter,
        subject: 'A question about the matter you reported',
        what: 'The recipients of the matter you reported asked you a question. Read it and answer on the matter’s page.',
        reason: 'You receive this because you reported this matter.',
        link,
        alwaysImmediate: true,
      },
    ]
  }
  if (cause.messageKind === 'answer') {
    return caseRecipients(c, people).map((r) => ({
      kind: 'case_answer',
      userId: r.userId,
      subject: 'The reporter answered a question',
      what: `The reporter of the matter reported ${dutyWords(c.duty)} answered a question of its recipients.`,
      reason: asMember(r.bodies),
      link,
      alwaysImmediate: false,
    }))
  }
  // Notes are between the recipients, read on the page: no mail for each.
  return []
}

/**
 * Every mail a cause sends: each person at most once a cause, never the subject
 * of a matter nor its reporter as a recipient, never the one who acted (they know).
 */
export function noticesFor(cause: NotificationCause, people: readonly Addressee[]): Notice[] {
  let found: Omit<Notice, 'dedupe'>[]
  let actor: string | null
  let dedupe: (n: Omit<Notice, 'dedupe'>) => string
  if (cause.kind === 'caseMessage') {
    found = messageNotices(cause, people)
    actor = cause.authorUserId
    dedupe = () => `message.${cause.messageId}`
  } else {
    found =
      cause.machineId === 'case'
        ? caseNotices(cause, people)
        : cause.machineId === 'board-determination'
          ? determinationNotices(cause, people)
          : cause.machineId === 'report-lifecycle'
            ? reportNotices(cause, people)
            : cause.machineId === 'duty-review'
              ? dutyNotices(cause)
              : []
    actor = cause.actorUserId
    const draft = (cause.event as { draftSha256?: string }).draftSha256
    dedupe = (n) => (n.kind === 'draft_reopened' && draft ? `reopen.${cause.reportId}.${draft.slice(0, 16)}` : `event.${cause.sequence}`)
  }
  const seen = new Set<string>()
  const out: Notice[] = []
  for (const n of found) {
    // The notice goes to its individual even when they are the one who… cannot be: the Board gives it.
    if (n.userId === actor && n.kind !== 'determination_notice') continue
    const key = `${n.kind}/${n.userId}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ ...n, dedupe: dedupe(n) })
  }
  return out
}

/** The body of a mail: what happened, the link, why the person receives it, and how to change their setting. */
export function mailBody(notice: Pick<Notice, 'what' | 'reason' | 'link'>, appUrl: string, name: string): string {
  return [
    `Dear ${name},`,
    '',
    notice.what,
    '',
    `Open it: ${new URL(notice.link, appUrl).href}`,
    '',
    `Why you receive this: ${notice.reason}`,
    '',
    `Immediate mails or one digest a day: ${new URL('/settings/notifications', appUrl).href}`,
    '— Code of Ethics attestations, Hecla Mining Company',
  ].join('\n')
}
