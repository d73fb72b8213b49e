import { and, assign, setup } from 'xstate'
import { z } from 'zod'
import { DUTIES, type DutyNumber } from '../duties'
import { sha256Schema, statePath, utcInstantSchema } from './primitives'
import { OFFICER_ROLES, type OfficerRole, officerRoleSchema } from '../roles'

// A periodic report (Form 10-Q or 10-K) from its first draft to the SEC. It is
// gated by the officers' duty workflows: the machine is pure, so the application
// gathers their sign-offs and the open blocking cases and passes them in events.

export const REPORT_LIFECYCLE_MACHINE_ID = 'report-lifecycle'
// Still version 1: the tags below say what each state is, they change no event
// the machine takes, and tags are not part of a persisted snapshot.
export const REPORT_LIFECYCLE_MACHINE_VERSION = 1

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
  z.strictObject({ type: z.literal('report.disclosureCommitteeApprove'), at: utcInstantSchema }),
  z.strictObject({ type: z.literal('report.auditCommitteeReview'), at: utcInstantSchema }),
  z.strictObject({ type: z.literal('report.approveForFiling'), ...certificationFactsFields }),
  z.strictObject({ type: z.literal('report.file'), filedAt: utcInstantSchema, accessionNumber: accessionNumberSchema }),
  z.strictObject({ type: z.literal('report.lock') }),
])

type CertificationFacts = { signOffs: SignOff[]; openBlockingCases: number; at: string }
export type ReportLifecycleEvent =
  | { type: 'report.registerDraft'; sha256: string; at: string }
  | { type: 'report.beginCertification' }
  | ({ type: 'report.submitForReview' } & CertificationFacts)
  | { type: 'report.disclosureCommitteeApprove'; at: string }
  | { type: 'report.auditCommitteeReview'; at: string }
  | ({ type: 'report.approveForFiling' } & CertificationFacts)
  | { type: 'report.file'; filedAt: string; accessionNumber: string }
  | { type: 'report.lock' }

export interface ReportLifecycleContext {
  form: (typeof REPORT_FORMS)[number]
  currentDraft: { sha256: string; at: string } | null
  submittedForReviewAt: string | null
  disclosureCommitteeApprovedAt: string | null
  auditCommitteeReviewedAt: string | null
  approvedForFilingAt: string | null
  filing: { filedAt: string; accessionNumber: string } | null
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
  /** A new draft may be registered (drafting, certification, and committee review, which it sends back to certification). */
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
  'approvedForFiling',
  /** Filed with the SEC (filed, and locked). */
  'filed',
  /** Nothing can change. */
  'locked',
] as const
export type ReportLifecycleTag = (typeof REPORT_LIFECYCLE_TAGS)[number]

const isValid = (event: unknown) => reportLifecycleEventSchema.safeParse(event).success

const clearedReview = {
  submittedForReviewAt: null,
  disclosureCommitteeApprovedAt: null,
  auditCommitteeReviewedAt: null,
} as const

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
    // "Disclosure Committee approves; Audit Committee reviews": both, in either order.
    bothCommitteesDone: ({ context }) => context.disclosureCommitteeApprovedAt !== null && context.auditCommitteeReviewedAt !== null,
  },
  actions: {
    recordDraft: assign({
      currentDraft: ({ context, event }) =>
        event.type === 'report.registerDraft' ? { sha256: event.sha256, at: event.at } : context.currentDraft,
    }),
    // A new draft during committee review voids what the committees saw.
    clearReview: assign(clearedReview),
    recordSubmission: assign({
      submittedForReviewAt: ({ context, event }) => (event.type === 'report.submitForReview' ? event.at : context.submittedForReviewAt),
    }),
    recordDisclosureCommitteeApproval: assign({
      disclosureCommitteeApprovedAt: ({ context, event }) =>
        event.type === 'report.disclosureCommitteeApprove' ? event.at : context.disclosureCommitteeApprovedAt,
    }),
    recordAuditCommitteeReview: assign({
      auditCommitteeReviewedAt: ({ context, event }) =>
        event.type === 'report.auditCommitteeReview' ? event.at : context.auditCommitteeReviewedAt,
    }),
    recordApproval: assign({
      approvedForFilingAt: ({ context, event }) => (event.type === 'report.approveForFiling' ? event.at : context.approvedForFilingAt),
    }),
    recordFiling: assign({
      filing: ({ context, event }) =>
        event.type === 'report.file' ? { filedAt: event.filedAt, accessionNumber: event.accessionNumber } : context.filing,
    }),
  },
}).createMachine({
  id: REPORT_LIFECYCLE_MACHINE_ID,
  context: ({ input }) => ({
    form: reportLifecycleInputSchema.parse(input).form,
    currentDraft: null,
    ...clearedReview,
    approvedForFilingAt: null,
    filing: null,
  }),
  initial: 'drafting',
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
      on: {
        // The committees reviewed a draft that is no longer the one to be filed.
        'report.registerDraft': { guard: 'isNewDraft', target: 'certification', actions: ['recordDraft', 'clearReview'] },
        // Checked again: an officer may withdraw a signature until the report is approved.
        'report.approveForFiling': {
          guard: and(['eventIsValid', 'bothCommitteesDone', 'signOffsComplete', 'noBlockingCaseOpen']),
          target: 'approvedForFiling',
          actions: 'recordApproval',
        },
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
            approved: {},
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
            reviewed: {},
          },
        },
      },
    },
    approvedForFiling: {
      tags: ['approvedForFiling'],
      on: { 'report.file': { guard: 'eventIsValid', target: 'filed', actions: 'recordFiling' } },
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
  approvedForFiling: 'Approved for filing',
  filed: 'Filed',
  locked: 'Filed and locked',
}

/** The label of the report's state (its top-level state), from a snapshot's `value` or a dotted path. */
export function reportStateLabel(value: unknown): string {
  const top = statePath(value).split('.')[0] ?? ''
  return REPORT_STATE_LABELS[top] ?? top
}

/** What the report waits for, in one plain-English line, from a live or a persisted snapshot. */
export function describeReportState(snapshot: { value: unknown; context: ReportLifecycleContext }): string {
  const c = snapshot.context
  const form = `Form ${c.form}`
  const top = statePath(snapshot.value).split('.')[0]
  switch (top) {
    case 'drafting':
      return c.currentDraft
        ? `Drafting the ${form}: waiting for certification to begin.`
        : `Drafting the ${form}: waiting for its first draft.`
    case 'certification':
      return `Waiting for the CEO, CFO and CAO/Controller to sign all twelve duties, and for every blocking case to close, before the ${form} goes to the committees.`
    case 'committeeReview': {
      const waiting = [
        c.disclosureCommitteeApprovedAt ? null : "the Disclosure Committee's approval",
        c.auditCommitteeReviewedAt ? null : "the Audit Committee's review",
      ].filter((x) => x !== null)
      return waiting.length > 0
        ? `Waiting for ${waiting.join(' and ')} of the ${form}.`
        : `Both committees are done: waiting for the ${form} to be approved for filing.`
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
