import { expect, test } from 'vitest'
import { reportRuleViolations } from '../tests/support/duty-rules'
import {
  ACCESSION,
  AT,
  DUE_DATE,
  DRAFT_A,
  LATE_NOTICE,
  SIGNATURE_AC,
  SIGNATURE_CEO,
  SIGNATURE_CFO,
  SIGNATURE_DC,
  DRAFT_B,
  LATER,
  checkReplayOfPaths,
  completeSignOffs,
  leafStateIds,
  modelPaths,
  reportModelEvents,
  reportRandomEvents,
} from '../tests/support/machine-models'
import { DUTIES } from './duties'
import { replay } from './replay'
import {
  REPORT_LIFECYCLE_MACHINE_VERSION,
  REPORT_STATE_LABELS,
  type ReportLifecycleEvent,
  describeReportState,
  missingSignOffs,
  reportAcceptsSignatures,
  reportLifecycleMachine,
  reportStateLabel,
} from './report-lifecycle'
import { OFFICER_ROLES } from './roles'

const input = { form: '10-K' as const }
const at = (events: ReportLifecycleEvent[]) => replay(reportLifecycleMachine, input, events)

const draft = (sha256: string): ReportLifecycleEvent => ({ type: 'report.registerDraft', sha256, at: AT })
const begin: ReportLifecycleEvent = { type: 'report.beginCertification' }
const facts = (sha: string | null = DRAFT_A) => ({ signOffs: completeSignOffs(sha), openBlockingCases: 0, at: AT })
const submit = (sha: string | null = DRAFT_A): ReportLifecycleEvent => ({ type: 'report.submitForReview', ...facts(sha) })
const dcApprove: ReportLifecycleEvent = { type: 'report.disclosureCommitteeApprove', at: AT, signatureId: SIGNATURE_DC }
const acReview: ReportLifecycleEvent = { type: 'report.auditCommitteeReview', at: LATER, signatureId: SIGNATURE_AC }
const approveBy = (officerRole: 'ceo' | 'cfo', sha: string | null = DRAFT_A): ReportLifecycleEvent => ({
  type: 'report.approveForFiling',
  officerRole,
  signatureId: officerRole === 'ceo' ? SIGNATURE_CEO : SIGNATURE_CFO,
  ...facts(sha),
})
const approve = (sha: string | null = DRAFT_A): ReportLifecycleEvent => approveBy('ceo', sha)
const approveBoth = [approveBy('ceo'), approveBy('cfo')]
const file: ReportLifecycleEvent = {
  type: 'report.file',
  filedAt: '2013-02-22T21:05:00Z',
  accessionNumber: ACCESSION,
  draftSha256: DRAFT_A,
}
const lock: ReportLifecycleEvent = { type: 'report.lock' }

const paths = modelPaths(reportLifecycleMachine, input, reportModelEvents as never)

test('along every simple path, the report accepts signatures in certification and nowhere else (tests/support/duty-rules.ts)', () => {
  expect(reportRuleViolations(paths).slice(0, 5)).toEqual([])
})

test('reportAcceptsSignatures: in certification only; a CFO cannot sign a duty of a report still in drafting', () => {
  expect(reportAcceptsSignatures(at([]))).toBe(false)
  expect(reportAcceptsSignatures(at([draft(DRAFT_A)]))).toBe(false)
  expect(reportAcceptsSignatures(at([draft(DRAFT_A), begin]))).toBe(true)
  expect(reportAcceptsSignatures(at([draft(DRAFT_A), begin, submit()]))).toBe(false)
  expect(reportAcceptsSignatures(at([draft(DRAFT_A), begin, submit(), draft(DRAFT_B)]))).toBe(true)
  expect(reportAcceptsSignatures(at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, ...approveBoth]))).toBe(false)
})

test('the other tags, and a label for every state', () => {
  const tags = (events: ReportLifecycleEvent[]) =>
    (['acceptsDrafts', 'acceptsSignatures', 'inCommitteeReview', 'approvedForFiling', 'filed', 'locked'] as const).filter((t) =>
      at(events).hasTag(t),
    )
  expect(tags([])).toEqual(['acceptsDrafts'])
  expect(tags([draft(DRAFT_A), begin])).toEqual(['acceptsDrafts', 'acceptsSignatures'])
  expect(tags([draft(DRAFT_A), begin, submit(), dcApprove])).toEqual(['acceptsDrafts', 'inCommitteeReview'])
  expect(at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, approve()]).hasTag('awaitingApprovalForFiling')).toBe(true)
  expect(tags([draft(DRAFT_A), begin, submit(), dcApprove, acReview, ...approveBoth])).toEqual(['approvedForFiling'])
  expect(tags([draft(DRAFT_A), begin, submit(), dcApprove, acReview, ...approveBoth, file])).toEqual(['filed'])
  expect(tags([draft(DRAFT_A), begin, submit(), dcApprove, acReview, ...approveBoth, file, lock])).toEqual(['filed', 'locked'])
  for (const key of Object.keys(reportLifecycleMachine.root.states)) expect(REPORT_STATE_LABELS[key], key).toMatch(/^[A-Z][a-z ]+$/)
  expect(reportStateLabel(at([draft(DRAFT_A), begin, submit()]).value)).toBe('Committee review')
})

test('every simple path of the report-lifecycle model replays to the same snapshot', () => {
  const result = checkReplayOfPaths(reportLifecycleMachine, input, paths)
  expect(result.failures).toEqual([])
  expect([...result.reached].sort()).toEqual(leafStateIds(reportLifecycleMachine).sort())
  expect(result.paths).toBeGreaterThan(20)
})

test('the machine is named and versioned for the registry', () => {
  expect(reportLifecycleMachine.id).toBe('report-lifecycle')
  expect(REPORT_LIFECYCLE_MACHINE_VERSION).toBe(2)
})

test('the committees approve and review in either order, both before approval for filing', () => {
  for (const order of [
    [dcApprove, acReview],
    [acReview, dcApprove],
  ]) {
    const one = at([draft(DRAFT_A), begin, submit(), order[0]!])
    expect(one.can(approve())).toBe(false)
    const both = at([draft(DRAFT_A), begin, submit(), ...order])
    expect(both.value).toBe('awaitingApprovalForFiling')
    expect(both.can(approve())).toBe(true)
  }
})

test('certification cannot begin without a draft', () => {
  expect(at([]).can(begin)).toBe(false)
  expect(at([draft(DRAFT_A)]).can(draft(DRAFT_A))).toBe(false)
})

test('submitting for review with a missing sign-off, a stale draft or an open blocking case is refused', () => {
  const certification = at([draft(DRAFT_A), begin])
  expect(certification.can(submit())).toBe(true)
  for (const officerRole of OFFICER_ROLES) {
    for (const duty of DUTIES) {
      const signOffs = completeSignOffs(DRAFT_A).filter((s) => !(s.officerRole === officerRole && s.dutyNumber === duty.number))
      expect(certification.can({ type: 'report.submitForReview', signOffs, openBlockingCases: 0, at: AT })).toBe(false)
    }
  }
  // Duties 6, 10, 12 signed on the old draft.
  expect(certification.can(submit(DRAFT_B))).toBe(false)
  expect(certification.can({ type: 'report.submitForReview', ...facts(), openBlockingCases: 1 })).toBe(false)
  expect(certification.can({ type: 'report.submitForReview', ...facts(), openBlockingCases: -1 })).toBe(false)
})

test('a new draft during committee review sends the report back to certification', () => {
  const back = at([draft(DRAFT_A), begin, submit(), dcApprove, draft(DRAFT_B)])
  expect(back.value).toBe('certification')
  expect(back.context.disclosureCommitteeApproval).toBeNull()
  expect(back.can(submit(DRAFT_A))).toBe(false)
  expect(back.can(submit(DRAFT_B))).toBe(true)
})

test('approval for filing checks the sign-offs again (a signature may be withdrawn during review)', () => {
  const reviewed = at([draft(DRAFT_A), begin, submit(), dcApprove, acReview])
  const withdrawn = completeSignOffs(DRAFT_A).slice(1)
  expect(reviewed.can({ ...approve(), signOffs: withdrawn } as ReportLifecycleEvent)).toBe(false)
  expect(reviewed.can({ ...approve(), openBlockingCases: 1 } as ReportLifecycleEvent)).toBe(false)
  expect(reviewed.can(approve())).toBe(true)
})

test('filing needs a valid accession number; no new draft once approved', () => {
  const approved = at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, ...approveBoth])
  expect(approved.can(draft(DRAFT_B))).toBe(false)
  for (const accessionNumber of ['0000719413-13-00001', '000071941313000012', '0000719413-13-000012 ', 'abcdefghij-13-000012']) {
    expect(approved.can({ type: 'report.file', filedAt: AT, accessionNumber, draftSha256: DRAFT_A })).toBe(false)
  }
  expect(approved.can({ type: 'report.file', filedAt: '22/02/2013', accessionNumber: ACCESSION, draftSha256: DRAFT_A })).toBe(false)
  // The report filed is the draft the officers signed.
  expect(approved.can({ type: 'report.file', filedAt: AT, accessionNumber: ACCESSION, draftSha256: DRAFT_B })).toBe(false)
  expect(approved.can(file)).toBe(true)
  const filed = at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, ...approveBoth, file])
  expect(filed.context.filing).toEqual({ filedAt: '2013-02-22T21:05:00Z', accessionNumber: ACCESSION, draftSha256: DRAFT_A })
})

test('nothing moves after filing except the lock, and nothing after the lock', () => {
  const filed = at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, ...approveBoth, file])
  expect(
    reportRandomEvents(filed)
      .filter((e) => filed.can(e))
      .map((e) => e.type),
  ).toEqual(['report.lock'])
  const locked = at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, ...approveBoth, file, lock])
  expect(locked.status).toBe('done')
  for (const event of reportRandomEvents(locked)) expect(locked.can(event), event.type).toBe(false)
})

test('missingSignOffs lists what the checklist still needs', () => {
  expect(missingSignOffs(completeSignOffs(DRAFT_A), DRAFT_A)).toEqual([])
  expect(missingSignOffs([], DRAFT_A)).toHaveLength(36)
  expect(missingSignOffs(completeSignOffs(DRAFT_A), DRAFT_B)).toEqual(
    OFFICER_ROLES.flatMap((officerRole) => [6, 10, 12].map((dutyNumber) => ({ officerRole, dutyNumber, reason: 'staleDraft' }))),
  )
})

test('describeReportState says what the report waits for', () => {
  expect(describeReportState(at([]))).toBe('Drafting the Form 10-K: waiting for its first draft.')
  expect(describeReportState(at([draft(DRAFT_A), begin, submit(), acReview]))).toBe(
    "Waiting for the Disclosure Committee's approval of the Form 10-K.",
  )
  expect(describeReportState(at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, ...approveBoth, file, lock]))).toBe(
    `Locked: the Form 10-K was filed (accession ${ACCESSION}); nothing can change.`,
  )
})

test('a committee sends the report back with a reason naming duties: back to certification, both committees start again', () => {
  const sendBack: ReportLifecycleEvent = {
    type: 'report.sendBack',
    body: 'audit_committee',
    reason: 'Duties 6 and 12: the Canamex note changed.',
    dutyNumbers: [12, 6],
    at: LATER,
  }
  const back = at([draft(DRAFT_A), begin, submit(), dcApprove, sendBack])
  expect(back.value).toBe('certification')
  expect(back.context.lastSendBack).toEqual({ ...sendBack, type: undefined, dutyNumbers: [6, 12] } as never)
  expect(back.context.disclosureCommitteeApproval).toBeNull()
  expect(describeReportState(back)).toMatch(/^The Audit Committee sent it back \(duties 6, 12\): “Duties 6 and 12/)
  // Submitted again, the committees begin anew.
  const again = at([draft(DRAFT_A), begin, submit(), dcApprove, sendBack, submit()])
  expect(again.value).toEqual({ committeeReview: { disclosureCommittee: 'awaitingApproval', auditCommittee: 'awaitingReview' } })
  // A send back without a reason, without a duty, or once both committees are done, is refused.
  const reviewing = at([draft(DRAFT_A), begin, submit()])
  expect(reviewing.can({ ...sendBack, reason: '  ' })).toBe(false)
  expect(reviewing.can({ ...sendBack, dutyNumbers: [] })).toBe(false)
  expect(reviewing.can({ ...sendBack, dutyNumbers: [6, 6] })).toBe(false)
  expect(at([draft(DRAFT_A), begin, submit(), dcApprove, acReview]).can(sendBack)).toBe(false)
  expect(at([draft(DRAFT_A), begin]).can(sendBack)).toBe(false)
})

test('an officer withdrawing a signature during review returns the report to certification (no deadlock)', () => {
  const withdrawal: ReportLifecycleEvent = {
    type: 'report.reopenCertification',
    cause: 'signOffWithdrawn',
    officerRole: 'cfo',
    dutyNumber: 3,
    at: LATER,
  }
  for (const before of [[dcApprove], [dcApprove, acReview], [dcApprove, acReview, approve()]]) {
    const back = at([draft(DRAFT_A), begin, submit(), ...before, withdrawal])
    expect(back.value).toBe('certification')
    expect(back.hasTag('acceptsSignatures')).toBe(true)
    expect(back.context.approvalsForFiling).toEqual({ ceo: null, cfo: null })
  }
  expect(at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, ...approveBoth]).can(withdrawal)).toBe(false)
})

test('approval for filing: the CEO and the CFO each once, in either order; the report is approved with the second', () => {
  const reviewed = [draft(DRAFT_A), begin, submit(), dcApprove, acReview]
  for (const [first, second] of [
    ['ceo', 'cfo'],
    ['cfo', 'ceo'],
  ] as const) {
    const one = at([...reviewed, approveBy(first)])
    expect(one.value).toBe('awaitingApprovalForFiling')
    expect(one.can(approveBy(first))).toBe(false)
    expect(describeReportState(one)).toBe(
      `Both committees are done: waiting for the ${second.toUpperCase()} to approve the Form 10-K for filing.`,
    )
    const two = at([...reviewed, approveBy(first), approveBy(second)])
    expect(two.value).toBe('approvedForFiling')
    expect(two.context.approvalsForFiling[first]?.signatureId).toBe(first === 'ceo' ? SIGNATURE_CEO : SIGNATURE_CFO)
  }
  // Not before both committees are done.
  expect(at([draft(DRAFT_A), begin, submit(), dcApprove]).can(approve())).toBe(false)
  // The CAO/Controller does not approve for filing.
  expect(at(reviewed).can({ ...approve(), officerRole: 'cao' } as never)).toBe(false)
})

test('Form 12b-25: recorded once, no later than one business day after the due date, extending a 10-K by 15 days', () => {
  const certification = [draft(DRAFT_A), begin]
  const noticed = at([...certification, LATE_NOTICE])
  // Due Friday March 1, 2013 + 15 = Saturday March 16 -> Monday March 18.
  expect(noticed.context.lateFilingNotice).toEqual({
    notifiedOn: '2013-03-04',
    narrative: LATE_NOTICE.narrative,
    dueDate: DUE_DATE,
    extendedDueDate: '2013-03-18',
  })
  expect(noticed.can(LATE_NOTICE)).toBe(false)
  // Tuesday March 5 is two business days late.
  expect(at(certification).can({ ...LATE_NOTICE, notifiedOn: '2013-03-05', at: '2013-03-05T16:00:00Z' })).toBe(false)
  // A notification dated after the moment it is recorded is refused.
  expect(at(certification).can({ ...LATE_NOTICE, at: '2013-03-03T16:00:00Z' })).toBe(false)
  const quarterly = replay(reportLifecycleMachine, { form: '10-Q' }, [draft(DRAFT_A), LATE_NOTICE])
  expect(quarterly.context.lateFilingNotice?.extendedDueDate).toBe('2013-03-06')
  // Not once the report is filed.
  const filed = at([...certification, submit(), dcApprove, acReview, ...approveBoth, file])
  expect(filed.can(LATE_NOTICE)).toBe(false)
})
