// The rules of the Code of Ethics the machines must keep, stated again in plain
// code, apart from machines/: nothing here asks a machine what it allows, nor
// reuses its schemas or guards. Each property reads the events a model path
// took and the snapshots it passed through, and says what the Code would not
// allow. A machine that breaks a rule on some path fails the property there.
import type { AnyMachineSnapshot } from 'xstate'
import type { ModelPath } from './machine-models'

/** "a draft of each periodic report" (6), "the draft periodic reports" (10, 12): the duties whose sign-off is about one draft. */
export const DUTIES_ABOUT_THE_DRAFT: readonly number[] = [6, 10, 12]

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const said = (v: unknown) => typeof v === 'string' && /\S/.test(v)

/** Every string in a value: written text must never hold the NUL character. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) return v.flatMap(strings)
  if (isObj(v)) return Object.values(v).flatMap(strings)
  return []
}

/**
 * Whether an answer to the duty is complete, read from the Code's words: each
 * matter listed (1–4) or none beyond those reported; the Board's role
 * acknowledged (5); the current draft reviewed (6), the three named groups met on
 * it (10), both auditors confirming about it (12); the controls' state and the
 * changes in the period (7–9); the Audit Committee consulted, a weakness with its
 * case (11).
 */
export function isCompleteAnswer(dutyNumber: number, answers: unknown, currentDraftSha256: string | null): boolean {
  if (!isObj(answers) || strings(answers).some((s) => s.includes('\u0000'))) return false
  const onCurrentDraft = (sha: unknown) => currentDraftSha256 !== null && sha === currentDraftSha256
  switch (dutyNumber) {
    case 1:
    case 2:
    case 3:
    case 4: {
      const items = answers.items
      if (!Array.isArray(items)) return false
      const itemsOk = items.every((i) => isObj(i) && said(i.summary) && said(i.caseId) && (dutyNumber === 1 || said(i.category)))
      return itemsOk && (items.length > 0 || answers.noneBeyondReported === true)
    }
    case 5:
      return answers.acknowledgesBoardDetermination === true
    case 6:
      return (
        onCurrentDraft(answers.draftSha256) &&
        typeof answers.accurateAndComplete === 'boolean' &&
        (answers.accurateAndComplete || said(answers.comments))
      )
    case 7:
    case 8:
    case 9: {
      if (typeof answers.established !== 'boolean' || typeof answers.operatingEffectively !== 'boolean') return false
      // What is not established cannot be operating; what is established has its document.
      if (!answers.established && answers.operatingEffectively) return false
      const doc = answers.referenceDocument
      if (answers.established && !(isObj(doc) && said(doc.title) && said(doc.identifier))) return false
      return said(answers.changesInPeriod)
    }
    case 10: {
      if (!onCurrentDraft(answers.draftSha256) || !Array.isArray(answers.meetings) || answers.meetings.length === 0) return false
      const groups = new Set(
        answers.meetings.flatMap((m) =>
          isObj(m) && Array.isArray(m.attendees) ? m.attendees.map((a) => (isObj(a) ? a.group : null)) : [],
        ),
      )
      return ['senior_management', 'division_head', 'accounting_staff'].every((g) => groups.has(g))
    }
    case 11:
      return (
        said(answers.summary) &&
        typeof answers.consultedOn === 'string' &&
        typeof answers.weaknessesIdentified === 'boolean' &&
        (!answers.weaknessesIdentified || said(answers.caseId))
      )
    case 12: {
      const confirms = (c: unknown) =>
        isObj(c) &&
        said(c.confirmedBy) &&
        onCurrentDraft(c.documentSha256) &&
        c.noMaterialMisstatements === true &&
        typeof c.noMdaConcerns === 'boolean'
      return onCurrentDraft(answers.draftSha256) && confirms(answers.internalAuditor) && confirms(answers.independentAuditors)
    }
    default:
      return false
  }
}

/**
 * Whether the officer's own answer is a finding that must be signed with an
 * exception: the draft not accurate or complete (6), systems or controls not
 * established or not operating effectively (7–9), weaknesses the Audit
 * Committee identified (11), an auditor's concern about the MD&A (12).
 */
export function isAdverseAnswer(answers: unknown): boolean {
  if (!isObj(answers)) return false
  if (answers.accurateAndComplete === false) return true
  if (answers.established === false || answers.operatingEffectively === false) return true
  if (answers.weaknessesIdentified === true) return true
  return [answers.internalAuditor, answers.independentAuditors].some((c) => isObj(c) && c.noMdaConcerns === false)
}

/** What the rules know of one duty workflow after some events, folded in plain code. */
interface DutyFacts {
  draft: string | null
  answers: unknown
  exception: { caseId: string; acknowledged: boolean } | null
  /** Confirmed since the answers last changed. */
  confirmed: boolean
  locked: boolean
}

type Event = { type: string } & Obj

function fold(facts: DutyFacts, event: Event): DutyFacts {
  switch (event.type) {
    case 'duty.answer':
      return { ...facts, answers: event.answers, confirmed: false }
    case 'duty.raiseException':
      return { ...facts, exception: { caseId: String(event.caseId), acknowledged: false } }
    case 'duty.exceptionAcknowledged':
      return facts.exception && facts.exception.caseId === event.caseId
        ? { ...facts, exception: { ...facts.exception, acknowledged: true } }
        : facts
    case 'duty.confirm':
      return { ...facts, confirmed: true }
    case 'duty.reopen':
      // A new draft voids what was said about the old one; a withdrawal only the signature.
      return event.reason === 'newDraft'
        ? { ...facts, draft: String(event.draftSha256), answers: null, exception: null, confirmed: false }
        : { ...facts, confirmed: false }
    case 'duty.newDraft':
      return { ...facts, draft: String(event.draftSha256) }
    case 'duty.lock':
      return { ...facts, locked: true }
    default:
      return facts
  }
}

export interface DutyPathContext {
  dutyNumber: number
  /** The draft the workflow started on (its input). */
  draftSha256: string | null
  /** Events to try in a locked workflow: every one must be refused. */
  everyEvent: (snapshot: AnyMachineSnapshot) => Array<{ type: string }>
}

export interface Violation {
  rule: string
  path: string
}

const label = (events: Event[]) => events.map((e) => e.type).join(' → ')

/**
 * Walks each path, folding its events, and reports every step that breaks one of
 * the rules. Steps shared by many paths are checked once (by their prefix).
 */
export function dutyRuleViolations(paths: readonly ModelPath[], ctx: DutyPathContext): Violation[] {
  const violations: Violation[] = []
  const seen = new Set<string>()
  const checkedLocked = new Set<string>()
  const bound = DUTIES_ABOUT_THE_DRAFT.includes(ctx.dutyNumber)
  for (const path of paths) {
    let facts: DutyFacts = { draft: ctx.draftSha256, answers: null, exception: null, confirmed: false, locked: false }
    const taken: Event[] = []
    for (let i = 1; i < path.steps.length; i++) {
      const before = path.steps[i - 1]!.state
      const step = path.steps[i]!
      const event = step.event as Event
      taken.push(event)
      const key = JSON.stringify(taken)
      const fresh = !seen.has(key)
      seen.add(key)
      const report = (rule: string) => fresh && violations.push({ rule, path: label(taken) })

      // A locked workflow accepts nothing: the filed report is what the SEC has.
      if (facts.locked) report('a locked workflow took an event')

      if (event.type === 'duty.sign') {
        // Signed only after confirming complete answers, about the current draft.
        if (facts.answers === null || !facts.confirmed) report('signed without confirmed answers')
        else if (!isCompleteAnswer(ctx.dutyNumber, facts.answers, facts.draft)) report('signed with incomplete answers')
        if (bound && event.draftSha256 !== facts.draft) report('signed a draft that is not the current one')
        // An adverse answer, or any exception, is signed only once its case is acknowledged.
        if (isAdverseAnswer(facts.answers) && !facts.exception) report('signed an adverse answer without an exception')
        if (facts.exception && !facts.exception.acknowledged) report('signed before the exception was acknowledged')
      }

      // Only complete answers are taken; for duties 6, 10 and 12, every draft an answer names is the current one.
      if (event.type === 'duty.answer' && !isCompleteAnswer(ctx.dutyNumber, event.answers, facts.draft)) {
        report(bound ? 'took an answer that is incomplete or not about the current draft' : 'took an incomplete answer')
      }

      const changesDraft =
        (event.type === 'duty.newDraft' || (event.type === 'duty.reopen' && event.reason === 'newDraft')) &&
        event.draftSha256 !== facts.draft
      if (changesDraft) {
        const after = step.state.context as Obj
        if (bound && facts.answers !== null) {
          // A new draft reopens duties 6, 10 and 12: what was said about the old draft goes.
          if (event.type !== 'duty.reopen' || after.answers !== null || after.signature !== null)
            report('a new draft did not reopen a duty about the draft')
        } else if (!bound) {
          // …and only them: the others keep their answers and their state.
          if (event.type === 'duty.reopen') report('a new draft reopened a duty that is not about the draft')
          if (
            JSON.stringify(step.state.value) !== JSON.stringify(before.value) ||
            JSON.stringify(after.answers) !== JSON.stringify(facts.answers)
          ) {
            report('a new draft changed a duty that is not about the draft')
          }
        }
      }

      facts = fold(facts, event)

      if (facts.locked) {
        const state = JSON.stringify({ value: step.state.value, context: step.state.context })
        if (!checkedLocked.has(state)) {
          checkedLocked.add(state)
          for (const e of ctx.everyEvent(step.state)) {
            if (step.state.can(e as never)) violations.push({ rule: `a locked workflow accepts ${e.type}`, path: label(taken) })
          }
        }
      }
    }
  }
  return violations
}

/** The report's phase, folded from the events it took, in the Code's order. */
type Phase = 'drafting' | 'certification' | 'committeeReview' | 'approval' | 'approvedForFiling' | 'filed' | 'locked'
interface Fold {
  phase: Phase
  committeesDone: Set<string>
  approvers: Set<string>
}

const backToCertification = (): Fold => ({ phase: 'certification', committeesDone: new Set(), approvers: new Set() })

function reportPhase(f: Fold, event: Event): Fold {
  const reviewing = f.phase === 'committeeReview' || f.phase === 'approval'
  switch (event.type) {
    case 'report.beginCertification':
      return { ...f, phase: 'certification' }
    case 'report.submitForReview':
      return { ...f, phase: 'committeeReview' }
    case 'report.disclosureCommitteeApprove':
    case 'report.auditCommitteeReview': {
      const done = new Set(f.committeesDone).add(event.type)
      return { ...f, committeesDone: done, phase: done.size === 2 ? 'approval' : f.phase }
    }
    // The committees reviewed a draft that is no longer the one to be filed.
    case 'report.registerDraft':
      return reviewing ? backToCertification() : f
    case 'report.sendBack':
      return f.phase === 'committeeReview' ? backToCertification() : f
    case 'report.reopenCertification':
      return reviewing ? backToCertification() : f
    case 'report.approveForFiling': {
      const approvers = new Set(f.approvers).add(String(event.officerRole))
      return { ...f, approvers, phase: approvers.size === 2 ? 'approvedForFiling' : f.phase }
    }
    case 'report.file':
      return { ...f, phase: 'filed' }
    case 'report.lock':
      return { ...f, phase: 'locked' }
    default:
      return f
  }
}

/**
 * Along each path of the report: the officers may sign only while the report is
 * in certification (never while drafting, in committee review or after), it is
 * in committee review exactly between submission and approval, and locked once
 * locked.
 */
export function reportRuleViolations(paths: readonly ModelPath[]): Violation[] {
  const violations: Violation[] = []
  const seen = new Set<string>()
  for (const path of paths) {
    let fold: Fold = { phase: 'drafting', committeesDone: new Set(), approvers: new Set() }
    const taken: Event[] = []
    path.steps.forEach((step, i) => {
      if (i > 0) {
        taken.push(step.event as Event)
        fold = reportPhase(fold, step.event as Event)
      }
      const phase = fold.phase
      const key = JSON.stringify(taken)
      if (seen.has(key)) return
      seen.add(key)
      const s = step.state
      const where = label(taken) || '(initial)'
      if (s.hasTag('acceptsSignatures') !== (phase === 'certification')) {
        violations.push({ rule: `acceptsSignatures is ${s.hasTag('acceptsSignatures')} in ${phase}`, path: where })
      }
      if (s.hasTag('inCommitteeReview') !== (phase === 'committeeReview')) {
        violations.push({ rule: `inCommitteeReview is ${s.hasTag('inCommitteeReview')} in ${phase}`, path: where })
      }
      if (s.hasTag('awaitingApprovalForFiling') !== (phase === 'approval')) {
        violations.push({ rule: `awaitingApprovalForFiling is ${s.hasTag('awaitingApprovalForFiling')} in ${phase}`, path: where })
      }
      if (s.hasTag('locked') !== (phase === 'locked')) violations.push({ rule: `locked is ${s.hasTag('locked')} in ${phase}`, path: where })
    })
  }
  return violations
}
