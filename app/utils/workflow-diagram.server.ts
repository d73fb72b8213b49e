import type { AnyStateMachine } from 'xstate'

// The workflow drawn from the machine definition itself, so the page can never
// show a step the code does not have. Only words are added here.

export interface DiagramTransition {
  label: string
  /** Who moves it: the officer, or someone or something else. */
  byOfficer: boolean
  target: string | null
  condition: string | null
}

export interface DiagramState {
  id: string
  path: string
  label: string
  about: string
  final: boolean
  current: boolean
  containsCurrent: boolean
  transitions: DiagramTransition[]
  children: DiagramState[]
}

export interface WorkflowWords {
  states: Record<string, { label: string; about: string }>
  /** `omit`: moves that happen in most states and would drown the others; the state they lead to says so instead. */
  events: Record<string, { label: string; byOfficer: boolean; omit?: boolean }>
  /** Words for a transition picked out by its guard, when one event has several meanings. */
  guards: Record<string, { label?: string; byOfficer?: boolean; condition?: string }>
}

type Node = {
  id: string
  key: string
  type: string
  states: Record<string, Node>
  transitions: Map<string, Array<{ target?: Node[]; guard?: unknown }>>
}

const guardName = (guard: unknown): string | null => (typeof guard === 'string' ? guard : null)

/** `hideGuards`: branches that cannot happen for this workflow (e.g. a new draft reopening a duty not about a draft). */
export function workflowDiagram(
  machine: AnyStateMachine,
  currentPath: string,
  words: WorkflowWords,
  hideGuards: readonly string[] = [],
): DiagramState[] {
  const rootId = machine.root.id
  const pathOf = (node: Node) => node.id.slice(rootId.length + 1)
  const labelOf = (node: Node) => words.states[pathOf(node)]?.label ?? words.states[node.key]?.label ?? node.key

  function build(node: Node): DiagramState {
    const path = pathOf(node)
    const seen = new Set<string>()
    const transitions: DiagramTransition[] = []
    for (const [eventType, list] of node.transitions) {
      for (const t of list) {
        const guard = guardName(t.guard)
        const byGuard = guard ? words.guards[guard] : undefined
        const event = words.events[eventType] ?? { label: eventType, byOfficer: false }
        if (event.omit && !byGuard) continue
        if (guard && hideGuards.includes(guard)) continue
        const target = t.target?.[0] ? labelOf(t.target[0]) : null
        const label = byGuard?.label ?? event.label
        const key = `${label}→${target}`
        if (seen.has(key)) continue
        seen.add(key)
        transitions.push({ label, byOfficer: byGuard?.byOfficer ?? event.byOfficer, target, condition: byGuard?.condition ?? null })
      }
    }
    const children = Object.values(node.states).map(build)
    return {
      id: node.id,
      path,
      label: labelOf(node),
      about: words.states[path]?.about ?? '',
      final: node.type === 'final',
      current: path === currentPath,
      containsCurrent: currentPath === path || currentPath.startsWith(`${path}.`),
      transitions,
      children,
    }
  }
  return Object.values((machine.root as unknown as Node).states).map(build)
}

/** The duty review machine's states and events in the officer's words. */
export const DUTY_WORKFLOW_WORDS: WorkflowWords = {
  states: {
    notStarted: { label: 'Not started', about: 'Nothing is recorded yet.' },
    inProgress: { label: 'In progress', about: 'Started: the answers are being prepared.' },
    answered: { label: 'Answered', about: 'The answers and evidence are recorded.' },
    'answered.noException': { label: 'No exception', about: 'The answers need no exception.' },
    'answered.exceptionRaised': {
      label: 'Exception raised',
      about: 'An exception is raised, with its case, and waits for the case’s recipients.',
    },
    'answered.exceptionRaised.awaitingAcknowledgement': {
      label: 'Waiting for the case’s recipients',
      about: 'Every body the case went to must acknowledge it.',
    },
    'answered.exceptionRaised.acknowledged': {
      label: 'Exception acknowledged',
      about: 'Every recipient has acknowledged the case: the answers can be confirmed.',
    },
    readyToSign: { label: 'Ready to sign', about: 'The answers are confirmed.' },
    signed: { label: 'Signed', about: 'The officer has signed; the sign-off is kept.' },
    locked: { label: 'Locked', about: 'Reached from any step when the report is filed: nothing can change.' },
  },
  events: {
    'duty.start': { label: 'Record the first answers (this starts the review)', byOfficer: true },
    'duty.answer': { label: 'Record the answers', byOfficer: true },
    'duty.raiseException': { label: 'Raise an exception, with its case', byOfficer: true },
    'duty.exceptionAcknowledged': { label: 'Every recipient acknowledges the case', byOfficer: false },
    'duty.confirm': { label: 'Confirm the answers', byOfficer: true },
    'duty.sign': { label: 'Sign, re-entering the password', byOfficer: true },
    'duty.reopen': { label: 'Withdraw the signature', byOfficer: true },
    // A new draft only follows along here (duties 6, 10 and 12 reopen: see the guard below).
    'duty.newDraft': { label: 'A new draft is registered', byOfficer: false, omit: true },
    'duty.reportApproved': { label: 'The report is approved for filing', byOfficer: false, omit: true },
    'duty.lock': { label: 'The report is filed', byOfficer: false, omit: true },
  },
  guards: {
    // Duties 6, 10 and 12 are about "the draft": a new one reopens them.
    isNewDraftReopen: { label: 'A new draft reopens it (duties 6, 10, 12)', byOfficer: false },
    isWithdrawal: { condition: 'until the report is approved for filing' },
    answersNeedNoException: { condition: 'when the answers need no exception' },
    exceptionIsAcknowledged: { condition: 'once the exception’s case is acknowledged' },
  },
}
