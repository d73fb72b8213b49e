import { and, assign, setup } from 'xstate'
import { z } from 'zod'
import { DUTIES, type DutyNumber } from './duties'
import { extendedDueDate, notificationAllowed } from './filing-deadline'
import { calendarDateSchema, sha256Schema, statePath, utcInstantSchema, writtenTextSchema } from './primitives'
import { OFFICER_ROLES, type OfficerRole, bodyTitle, officerRoleSchema } from './roles'

// A periodic report (Form 10-Q or 10-K) from its first draft to the SEC. It is
// gated by the officers' duty workflows: the machine is pure, so the application
// gathers their sign-offs and the open blocking cases and passes them in events.

export const REPORT_LIFECYCLE_MACHINE_ID = 'report-lifecycle'
// Version 2: a committee may send the report back to certification with a
// reason naming the duties to reopen; an officer's withdrawal during the
// committees' review returns it to certification (version 1 left it waiting
// for signatures it could not take); the committees' steps carry the hash of
// their signature; the CEO and the CFO each approve for filing (the two
// certifying officers of Exchange Act Rule 13a-14); a Form 12b-25 notification
// extends the due date; the filing names the draft that was filed. Version 1
// stays in v1/report-lifecycle.ts for the histories it recorded.
export const REPORT_LIFECYCLE_MACHINE_VERSION = 2

export const REPORT_FORMS = ['10-Q', '10-K'] as const
export const reportLifecycleInputSchema = z.strictObject({ form: z.enum(REPORT_FORMS) })
export type ReportLifecycleInput = z.infer<typeof reportLifecycleInputSchema>

/** EDGAR accession number: filer id (10 digits), year (2), sequence (6). */
export const accessionNumberSchema = z.string().regex(/^\d{10}-\d{2}-\d{6}$/, 'an SEC accession number, e.g. 0000719413-12-000045')

export const signOffSchema = z.strictObject({
  officerRole: officerRoleSchema,
  dutyNumber: z.literal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
  draftSha256: sha256Schema.nullable(),
})
export type SignOff = z.infer<typeof signOffSchema>

/** The bodies that take a step in the report's review. */
export const REVIEW_BODIES = ['disclosure_committee', 'audit_committee'] as const
export type ReviewBody = (typeof REVIEW_BODIES)[number]
/** The officers who approve the report for filing: those who certify it under Rule 13a-14. */
export const FILING_APPROVERS = ['ceo', 'cfo'] as const
export type FilingApprover = (typeof FILING_APPROVERS)[number]

const dutyNumbersSchema = z
  .array(z.literal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))
  .min(1, 'name at least one duty')
  .max(12)
  .refine((ns) => new Set(ns).size === ns.length, 'each duty once')

const certificationFactsFields = {
  signOffs: z.array(signOffSchema).max(1000),
  /** Cases the application counts as blocking filing (e.g. duty 1–4 matters not yet acknowledged). */
  openBlockingCases: z.number().int().min(0),
  at: utcInstantSchema,
}

export const reportLifecycleEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('report.registerDraft'), sha256: sha256Schema, at: utcInstantSchema }),
  z.strictObject({ type: z.literal('report.beginCertification') }),
  z.strictObject({ type: z.literal('report.submitForReview'), ...certificationFactsFields }),
  z.strictObject({ type: z.literal('report.disclosureCommitteeApprove'), at: utcInstantSchema, signatureId: sha256Schema }),
  z.strictObject({ type: z.literal('report.auditCommitteeReview'), at: utcInstantSchema, signatureId: sha256Schema }),
  z.strictObject({
    type: z.literal('report.sendBack'),
    body: z.enum(REVIEW_BODIES),
    reason: writtenTextSchema,
    dutyNumbers: dutyNumbersSchema,
    at: utcInstantSchema,
  }),
  z.strictObject({
    type: z.literal('report.reopenCertification'),
    cause: z.literal('signOffWithdrawn'),
    officerRole: officerRoleSchema,
    dutyNumber: z.literal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    at: utcInstantSchema,
  }),
  z.strictObject({
    type: z.literal('report.approveForFiling'),
    officerRole: z.enum(FILING_APPROVERS),
    signatureId: sha256Schema,
    ...certificationFactsFields,
  }),
  z.strictObject({
    type: z.literal('report.notifyLateFiling'),
    /** The original due date, as the application computed it (machines/filing-deadline.ts). */
    dueDate: calendarDateSchema,
    /** The day the Form 12b-25 was filed with the SEC. */
    notifiedOn: calendarDateSchema,
    narrative: writtenTextSchema,
    at: utcInstantSchema,
  }),
  z.strictObject({
    type: z.literal('report.file'),
    filedAt: utcInstantSchema,
    accessionNumber: accessionNumberSchema,
    draftSha256: sha256Schema,
  }),
  z.strictObject({ type: z.literal('report.lock') }),
])

type CertificationFacts = { signOffs: SignOff[]; openBlockingCases: number; at: string }
export type ReportLifecycleEvent =
  | { type: 'report.registerDraft'; sha256: string; at: string }
  | { type: 'report.beginCertification' }
  | ({ type: 'report.submitForReview' } & CertificationFacts)
  | { type: 'report.disclosureCommitteeApprove'; at: string; signatureId: string }
  | { type: 'report.auditCommitteeReview'; at: string; signatureId: string }
  | { type: 'report.sendBack'; body: ReviewBody; reason: string; dutyNumbers: DutyNumber[]; at: string }
  | { type: 'report.reopenCertification'; cause: 'signOffWithdrawn'; officerRole: OfficerRole; dutyNumber: DutyNumber; at: string }
  | ({ type: 'report.approveForFiling'; officerRole: FilingApprover; signatureId: string } & CertificationFacts)
  | { type: 'report.notifyLateFiling'; dueDate: string; notifiedOn: string; narrative: string; at: string }
  | { type: 'report.file'; filedAt: string; accessionNumber: string; draftSha256: string }
  | { type: 'report.lock' }

export interface SignedStep {
  at: string
  signatureId: string
}

export interface ReportLifecycleContext {
  form: (typeof REPORT_FORMS)[number]
  currentDraft: { sha256: string; at: string } | null
  submittedForReviewAt: string | null
  disclosureCommitteeApproval: SignedStep | null
  auditCommitteeReview: SignedStep | null
  /** The last time a committee sent the report back, shown to the officers until it goes to the committees again. */
  lastSendBack: { body: ReviewBody; reason: string; dutyNumbers: DutyNumber[]; at: string } | null
  lastReopen: { officerRole: OfficerRole; dutyNumber: DutyNumber; at: string } | null
  approvalsForFiling: Record<FilingApprover, SignedStep | null>
  approvedForFilingAt: string | null
  /** Form 12b-25 (NT 10-K / NT 10-Q): the due date it extends, and to when. */
  lateFilingNotice: { notifiedOn: string; narrative: string; dueDate: string; extendedDueDate: string } | null
  filing: { filedAt: string; accessionNumber: string; draftSha256: string } | null
}

/**
 * The sign-offs still missing: every officer signs all twelve duties, and duties
 * 6, 10 and 12 ("the draft") on the current draft. Exported for the UI's checklist.
 */
export function missingSignOffs(
  signOffs: readonly SignOff[],
  currentDraftSha256: string | null,
): Array<{ officerRole: OfficerRole; dutyNumber: DutyNumber; reason: 'unsigned' | 'staleDraft' }> {
  const missing: Array<{ officerRole: OfficerRole; dutyNumber: DutyNumber; reason: 'unsigned' | 'staleDraft' }> = []
  for (const officerRole of OFFICER_ROLES) {
    for (const duty of DUTIES) {
      const own = signOffs.filter((s) => s.officerRole === officerRole && s.dutyNumber === duty.number)
      if (own.length === 0) missing.push({ officerRole, dutyNumber: duty.number, reason: 'unsigned' })
      else if (duty.boundToDraft && !own.some((s) => currentDraftSha256 !== null && s.draftSha256 === currentDraftSha256)) {
        missing.push({ officerRole, dutyNumber: duty.number, reason: 'staleDraft' })
      }
    }
  }
  return missing
}

/** What each state of the report is, for the pages and the commands to ask (`snapshot.hasTag`). */
export const REPORT_LIFECYCLE_TAGS = [
  /** A new draft may be registered (until approval for filing; after certification it sends the report back to certification). */
  'acceptsDrafts',
  /**
   * The officers sign their duties now, and only now: certification is where the
   * sign-offs are gathered (`report.submitForReview` checks them). A signature
   * made while the report is being drafted would be of a draft nobody has put
   * forward for certification.
   */
  'acceptsSignatures',
  /** With the Disclosure Committee and the Audit Committee. */
  'inCommitteeReview',
  /** Both committees are done: the CEO and the CFO approve it for filing. */
  'awaitingApprovalForFiling',
  'approvedForFiling',
  /** Filed with the SEC (filed, and locked). */
  'filed',
  /** Nothing can change. */
  'locked',
] as const
export type ReportLifecycleTag = (typeof REPORT_LIFECYCLE_TAGS)[number]

const isValid = (event: unknown) => reportLifecycleEventSchema.safeParse(event).success

/**
 * Why a Form 12b-25 of `notifiedOn` cannot be recorded on `today`, or null when it
 * can: Rule 12b-25(b) wants it no later than one business day after the due date,
 * and a notification is of a day already come. The guard and the form ask this.
 */
export function lateFilingNoticeProblem(n: { dueDate: string; notifiedOn: string; today: string }): 'inTheFuture' | 'tooLate' | null {
  if (n.notifiedOn > n.today) return 'inTheFuture'
  if (!notificationAllowed({ dueDate: n.dueDate, on: n.notifiedOn })) return 'tooLate'
  return null
}

const clearedReview = {
  submittedForReviewAt: null,
  disclosureCommitteeApproval: null,
  auditCommitteeReview: null,
  approvalsForFiling: { ceo: null, cfo: null },
} as const

const otherApprover = (role: FilingApprover): FilingApprover => (role === 'ceo' ? 'cfo' : 'ceo')

export const reportLifecycleMachine = setup({
  types: {
    context: {} as ReportLifecycleContext,
    events: {} as ReportLifecycleEvent,
    input: {} as ReportLifecycleInput,
    tags: {} as ReportLifecycleTag,
  },
  guards: {
    eventIsValid: ({ event }) => isValid(event),
    isNewDraft: ({ context, event }) =>
      event.type === 'report.registerDraft' && isValid(event) && event.sha256 !== context.currentDraft?.sha256,
    hasDraft: ({ context }) => context.currentDraft !== null,
    signOffsComplete: ({ context, event }) =>
      (event.type === 'report.submitForReview' || event.type === 'report.approveForFiling') &&
      missingSignOffs(event.signOffs, context.currentDraft?.sha256 ?? null).length === 0,
    noBlockingCaseOpen: ({ event }) =>
      (event.type === 'report.submitForReview' || event.type === 'report.approveForFiling') && event.openBlockingCases === 0,
    notYetApprovedByThisOfficer: ({ context, event }) =>
      event.type === 'report.approveForFiling' && context.approvalsForFiling[event.officerRole] === null,
    otherOfficerApproved: ({ context, event }) =>
      event.type === 'report.approveForFiling' && context.approvalsForFiling[otherApprover(event.officerRole)] !== null,
    // Rule 12b-25(b): the notification is filed no later than one business day
    // after the due date, once, before the report is filed, and not in the future.
    lateFilingNoticeAllowed: ({ context, event }) =>
      event.type === 'report.notifyLateFiling' &&
      isValid(event) &&
      context.lateFilingNotice === null &&
      context.filing === null &&
      lateFilingNoticeProblem({ dueDate: event.dueDate, notifiedOn: event.notifiedOn, today: event.at.slice(0, 10) }) === null,
    // The report filed is the draft the officers signed and the committees saw.
    filesCurrentDraft: ({ context, event }) => event.type === 'report.file' && event.draftSha256 === context.currentDraft?.sha256,
  },
  actions: {
    recordDraft: assign({
      currentDraft: ({ context, event }) =>
        event.type === 'report.registerDraft' ? { sha256: event.sha256, at: event.at } : context.currentDraft,
    }),
    // Back to certification: what the committees and the approvers saw is void.
    clearReview: assign(clearedReview),
    recordSubmission: assign({
      submittedForReviewAt: ({ context, event }) => (event.type === 'report.submitForReview' ? event.at : context.submittedForReviewAt),
    }),
    recordDisclosureCommitteeApproval: assign({
      disclosureCommitteeApproval: ({ context, event }) =>
        event.type === 'report.disclosureCommitteeApprove'
          ? { at: event.at, signatureId: event.signatureId }
          : context.disclosureCommitteeApproval,
    }),
    recordAuditCommitteeReview: assign({
      auditCommitteeReview: ({ context, event }) =>
        event.type === 'report.auditCommitteeReview' ? { at: event.at, signatureId: event.signatureId } : context.auditCommitteeReview,
    }),
    recordSendBack: assign({
      lastSendBack: ({ context, event }) =>
        event.type === 'report.sendBack'
          ? { body: event.body, reason: event.reason, dutyNumbers: [...event.dutyNumbers].sort((a, b) => a - b), at: event.at }
          : context.lastSendBack,
    }),
    recordReopen: assign({
      lastReopen: ({ context, event }) =>
        event.type === 'report.reopenCertification'
          ? { officerRole: event.officerRole, dutyNumber: event.dutyNumber, at: event.at }
          : context.lastReopen,
    }),
    recordApproval: assign({
      approvalsForFiling: ({ context, event }) =>
        event.type === 'report.approveForFiling'
          ? { ...context.approvalsForFiling, [event.officerRole]: { at: event.at, signatureId: event.signatureId } }
          : context.approvalsForFiling,
    }),
    recordApprovedForFiling: assign({
      approvedForFilingAt: ({ context, event }) => (event.type === 'report.approveForFiling' ? event.at : context.approvedForFilingAt),
    }),
    recordLateFilingNotice: assign({
      lateFilingNotice: ({ context, event }) =>
        event.type === 'report.notifyLateFiling'
          ? {
              notifiedOn: event.notifiedOn,
              narrative: event.narrative,
              dueDate: event.dueDate,
              extendedDueDate: extendedDueDate({ form: context.form, dueDate: event.dueDate }),
            }
          : context.lateFilingNotice,
    }),
    recordFiling: assign({
      filing: ({ context, event }) =>
        event.type === 'report.file'
          ? { filedAt: event.filedAt, accessionNumber: event.accessionNumber, draftSha256: event.draftSha256 }
          : context.filing,
    }),
  },
}).createMachine({
  id: REPORT_LIFECYCLE_MACHINE_ID,
  context: ({ input }) => ({
    form: reportLifecycleInputSchema.parse(input).form,
    currentDraft: null,
    ...clearedReview,
    lastSendBack: null,
    lastReopen: null,
    approvedForFilingAt: null,
    lateFilingNotice: null,
    filing: null,
  }),
  initial: 'drafting',
  // A Form 12b-25 may be recorded in any state before filing (the guard says when).
  on: { 'report.notifyLateFiling': { guard: 'lateFilingNoticeAllowed', actions: 'recordLateFilingNotice' } },
  states: {
    drafting: {
      tags: ['acceptsDrafts'],
      on: {
        'report.registerDraft': { guard: 'isNewDraft', actions: 'recordDraft' },
        'report.beginCertification': { guard: and(['eventIsValid', 'hasDraft']), target: 'certification' },
      },
    },
    certification: {
      tags: ['acceptsDrafts', 'acceptsSignatures'],
      on: {
        'report.registerDraft': { guard: 'isNewDraft', actions: 'recordDraft' },
        'report.submitForReview': {
          guard: and(['eventIsValid', 'signOffsComplete', 'noBlockingCaseOpen']),
          target: 'committeeReview',
          actions: 'recordSubmission',
        },
      },
    },
    committeeReview: {
      type: 'parallel',
      tags: ['acceptsDrafts', 'inCommitteeReview'],
      onDone: { target: 'awaitingApprovalForFiling' },
      on: {
        // The committees reviewed a draft that is no longer the one to be filed.
        'report.registerDraft': { guard: 'isNewDraft', target: 'certification', actions: ['recordDraft', 'clearReview'] },
        // "Disclosure Committee approves; Audit Committee reviews" — or sends it back, naming what to look at again.
        'report.sendBack': { guard: 'eventIsValid', target: 'certification', actions: ['recordSendBack', 'clearReview'] },
        // An officer withdrew a signature: the committees would be reviewing a certification that is no longer whole.
        'report.reopenCertification': { guard: 'eventIsValid', target: 'certification', actions: ['recordReopen', 'clearReview'] },
      },
      states: {
        disclosureCommittee: {
          initial: 'awaitingApproval',
          states: {
            awaitingApproval: {
              on: {
                'report.disclosureCommitteeApprove': {
                  guard: 'eventIsValid',
                  target: 'approved',
                  actions: 'recordDisclosureCommitteeApproval',
                },
              },
            },
            approved: { type: 'final' },
          },
        },
        auditCommittee: {
          initial: 'awaitingReview',
          states: {
            awaitingReview: {
              on: {
                'report.auditCommitteeReview': {
                  guard: 'eventIsValid',
                  target: 'reviewed',
                  actions: 'recordAuditCommitteeReview',
                },
              },
            },
            reviewed: { type: 'final' },
          },
        },
      },
    },
    awaitingApprovalForFiling: {
      tags: ['acceptsDrafts', 'awaitingApprovalForFiling'],
      on: {
        'report.registerDraft': { guard: 'isNewDraft', target: 'certification', actions: ['recordDraft', 'clearReview'] },
        'report.reopenCertification': { guard: 'eventIsValid', target: 'certification', actions: ['recordReopen', 'clearReview'] },
        // Checked again at each approval: an officer may withdraw a signature until the report is approved.
        'report.approveForFiling': [
          {
            guard: and(['eventIsValid', 'notYetApprovedByThisOfficer', 'signOffsComplete', 'noBlockingCaseOpen', 'otherOfficerApproved']),
            target: 'approvedForFiling',
            actions: ['recordApproval', 'recordApprovedForFiling'],
          },
          {
            guard: and(['eventIsValid', 'notYetApprovedByThisOfficer', 'signOffsComplete', 'noBlockingCaseOpen']),
            actions: 'recordApproval',
          },
        ],
      },
    },
    approvedForFiling: {
      tags: ['approvedForFiling'],
      on: { 'report.file': { guard: and(['eventIsValid', 'filesCurrentDraft']), target: 'filed', actions: 'recordFiling' } },
    },
    filed: {
      tags: ['filed'],
      on: { 'report.lock': { guard: 'eventIsValid', target: 'locked' } },
    },
    // Filed with the SEC: the record is closed. Nothing moves.
    locked: { type: 'final', tags: ['filed', 'locked'] },
  },
})

export type ReportLifecycleSnapshot = ReturnType<typeof reportLifecycleMachine.resolveState>

/**
 * Whether the officers may sign their duties of this report now: only in
 * certification. The command that appends `duty.sign` refuses it otherwise,
 * and the duty page passes it to `dutyAllowedActions` (duty-review.ts).
 */
export function reportAcceptsSignatures(snapshot: { hasTag(tag: ReportLifecycleTag): boolean }): boolean {
  return snapshot.hasTag('acceptsSignatures')
}

/** The name of each top-level state of the lifecycle, as the UI shows it. */
export const REPORT_STATE_LABELS: Readonly<Record<string, string>> = {
  drafting: 'Drafting',
  certification: 'Certification',
  committeeReview: 'Committee review',
  awaitingApprovalForFiling: 'Awaiting approval for filing',
  approvedForFiling: 'Approved for filing',
  filed: 'Filed',
  locked: 'Filed and locked',
}

/** The label of the report's state (its top-level state), from a snapshot's `value` or a dotted path. */
export function reportStateLabel(value: unknown): string {
  const top = statePath(value).split('.')[0] ?? ''
  return REPORT_STATE_LABELS[top] ?? top
}

/** A report lifecycle's context as either version stored it (v1 had no signatures on the steps, one approval). */
type StoredReportContext = Partial<ReportLifecycleContext> & {
  form: ReportLifecycleContext['form']
  disclosureCommitteeApprovedAt?: string | null
  auditCommitteeReviewedAt?: string | null
}

export interface ReportProgress {
  form: ReportLifecycleContext['form']
  disclosureCommittee: { at: string; signatureId: string | null } | null
  auditCommittee: { at: string; signatureId: string | null } | null
  approvalsForFiling: Record<FilingApprover, { at: string; signatureId: string | null } | null>
  approvedForFilingAt: string | null
  lastSendBack: ReportLifecycleContext['lastSendBack']
  lateFilingNotice: ReportLifecycleContext['lateFilingNotice']
  filing: { filedAt: string; accessionNumber: string; draftSha256: string | null } | null
}

/** The steps of a report as the pages show them, from a snapshot of either version. */
export function reportProgress(context: StoredReportContext): ReportProgress {
  const step = (v2: SignedStep | null | undefined, v1: string | null | undefined) =>
    v2 ? { at: v2.at, signatureId: v2.signatureId } : v1 ? { at: v1, signatureId: null } : null
  return {
    form: context.form,
    disclosureCommittee: step(context.disclosureCommitteeApproval, context.disclosureCommitteeApprovedAt),
    auditCommittee: step(context.auditCommitteeReview, context.auditCommitteeReviewedAt),
    approvalsForFiling: context.approvalsForFiling ?? { ceo: null, cfo: null },
    approvedForFilingAt: context.approvedForFilingAt ?? null,
    lastSendBack: context.lastSendBack ?? null,
    lateFilingNotice: context.lateFilingNotice ?? null,
    filing: context.filing ? { ...context.filing, draftSha256: context.filing.draftSha256 ?? null } : null,
  }
}

export const APPROVER_WORDS: Record<FilingApprover, string> = { ceo: 'the CEO', cfo: 'the CFO' }

/** What the report waits for, in one plain-English line, from a live or a persisted snapshot of either version. */
export function describeReportState(snapshot: { value: unknown; context: StoredReportContext }): string {
  const c = reportProgress(snapshot.context)
  const form = `Form ${c.form}`
  const top = statePath(snapshot.value).split('.')[0]
  switch (top) {
    case 'drafting':
      return snapshot.context.currentDraft
        ? `Drafting the ${form}: waiting for certification to begin.`
        : `Drafting the ${form}: waiting for its first draft.`
    case 'certification': {
      const sentBack = c.lastSendBack
        ? `The ${bodyTitle(c.lastSendBack.body)} sent it back (duties ${c.lastSendBack.dutyNumbers.join(', ')}): “${c.lastSendBack.reason}”. `
        : ''
      return `${sentBack}Waiting for the CEO, CFO and CAO/Controller to sign all twelve duties, and for every blocking case to close, before the ${form} goes to the committees.`
    }
    case 'committeeReview': {
      const waiting = [
        c.disclosureCommittee ? null : "the Disclosure Committee's approval",
        c.auditCommittee ? null : "the Audit Committee's review",
      ].filter((x) => x !== null)
      return waiting.length > 0
        ? `Waiting for ${waiting.join(' and ')} of the ${form}.`
        : `Both committees are done: waiting for the ${form} to be approved for filing.`
    }
    case 'awaitingApprovalForFiling': {
      const waiting = FILING_APPROVERS.filter((r) => c.approvalsForFiling[r] === null).map((r) => APPROVER_WORDS[r])
      return `Both committees are done: waiting for ${waiting.join(' and ')} to approve the ${form} for filing.`
    }
    case 'approvedForFiling':
      return `Approved for filing: waiting for the ${form} to be filed with the SEC.`
    case 'filed':
      return `Filed with the SEC (accession ${c.filing?.accessionNumber ?? '?'}): waiting to be locked.`
    case 'locked':
      return `Locked: the ${form} was filed (accession ${c.filing?.accessionNumber ?? '?'}); nothing can change.`
    default:
      return `Unknown state of the ${form}.`
  }
}
