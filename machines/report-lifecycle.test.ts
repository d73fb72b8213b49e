import { expect, test } from 'vitest'
import { reportRuleViolations } from '../tests/support/duty-rules'
import {
  ACCESSION,
  AT,
  DRAFT_A,
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
const dcApprove: ReportLifecycleEvent = { type: 'report.disclosureCommitteeApprove', at: AT }
const acReview: ReportLifecycleEvent = { type: 'report.auditCommitteeReview', at: LATER }
const approve = (sha: string | null = DRAFT_A): ReportLifecycleEvent => ({ type: 'report.approveForFiling', ...facts(sha) })
const file: ReportLifecycleEvent = { type: 'report.file', filedAt: '2013-02-22T21:05:00Z', accessionNumber: ACCESSION }
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
  expect(reportAcceptsSignatures(at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, approve()]))).toBe(false)
})

test('the other tags, and a label for every state', () => {
  const tags = (events: ReportLifecycleEvent[]) =>
    (['acceptsDrafts', 'acceptsSignatures', 'inCommitteeReview', 'approvedForFiling', 'filed', 'locked'] as const).filter((t) =>
      at(events).hasTag(t),
    )
  expect(tags([])).toEqual(['acceptsDrafts'])
  expect(tags([draft(DRAFT_A), begin])).toEqual(['acceptsDrafts', 'acceptsSignatures'])
  expect(tags([draft(DRAFT_A), begin, submit(), dcApprove])).toEqual(['acceptsDrafts', 'inCommitteeReview'])
  expect(tags([draft(DRAFT_A), begin, submit(), dcApprove, acReview, approve()])).toEqual(['approvedForFiling'])
  expect(tags([draft(DRAFT_A), begin, submit(), dcApprove, acReview, approve(), file])).toEqual(['filed'])
  expect(tags([draft(DRAFT_A), begin, submit(), dcApprove, acReview, approve(), file, lock])).toEqual(['filed', 'locked'])
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
  expect(REPORT_LIFECYCLE_MACHINE_VERSION).toBe(1)
})

test('the committees approve and review in either order, both before approval for filing', () => {
  for (const order of [
    [dcApprove, acReview],
    [acReview, dcApprove],
  ]) {
    const one = at([draft(DRAFT_A), begin, submit(), order[0]!])
    expect(one.can(approve())).toBe(false)
    const both = at([draft(DRAFT_A), begin, submit(), ...order])
    expect(both.value).toEqual({ committeeReview: { disclosureCommittee: 'approved', auditCommittee: 'reviewed' } })
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
  expect(back.context.disclosureCommitteeApprovedAt).toBeNull()
  expect(back.can(submit(DRAFT_A))).toBe(false)
  expect(back.can(submit(DRAFT_B))).toBe(true)
})

test('approval for filing checks the sign-offs again (a signature may be withdrawn during review)', () => {
  const reviewed = at([draft(DRAFT_A), begin, submit(), dcApprove, acReview])
  const withdrawn = completeSignOffs(DRAFT_A).slice(1)
  expect(reviewed.can({ type: 'report.approveForFiling', signOffs: withdrawn, openBlockingCases: 0, at: AT })).toBe(false)
  expect(reviewed.can({ type: 'report.approveForFiling', ...facts(), openBlockingCases: 1 })).toBe(false)
})

test('filing needs a valid accession number; no new draft once approved', () => {
  const approved = at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, approve()])
  expect(approved.can(draft(DRAFT_B))).toBe(false)
  for (const accessionNumber of ['0000719413-13-00001', '000071941313000012', '0000719413-13-000012 ', 'abcdefghij-13-000012']) {
    expect(approved.can({ type: 'report.file', filedAt: AT, accessionNumber })).toBe(false)
  }
  expect(approved.can({ type: 'report.file', filedAt: '22/02/2013', accessionNumber: ACCESSION })).toBe(false)
  const filed = at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, approve(), file])
  expect(filed.context.filing).toEqual({ filedAt: '2013-02-22T21:05:00Z', accessionNumber: ACCESSION })
})

test('nothing moves after filing except the lock, and nothing after the lock', () => {
  const filed = at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, approve(), file])
  expect(
    reportRandomEvents(filed)
      .filter((e) => filed.can(e))
      .map((e) => e.type),
  ).toEqual(['report.lock'])
  const locked = at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, approve(), file, lock])
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
  expect(describeReportState(at([draft(DRAFT_A), begin, submit(), dcApprove, acReview, approve(), file, lock]))).toBe(
    `Locked: the Form 10-K was filed (accession ${ACCESSION}); nothing can change.`,
  )
})
