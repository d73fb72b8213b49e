import type { DiagramState } from '../utils/workflow-diagram.server'

// The duty's workflow as an ordered list of its states, drawn from the machine
// definition (app/utils/workflow-diagram.server.ts). The list is the diagram and
// its own text alternative: a screen reader hears the same steps, the current
// one announced by aria-current="step".

function findCurrent(states: DiagramState[]): DiagramState[] {
  for (const s of states) {
    if (s.current) return [s]
    const inner = findCurrent(s.children)
    if (inner.length) return [s, ...inner]
  }
  return []
}

function StateCard({ state, depth }: { state: DiagramState; depth: number }) {
  const mine = state.transitions.filter((t) => t.byOfficer)
  const others = state.transitions.filter((t) => !t.byOfficer)
  return (
    <li
      className={`wf-state${state.current ? ' wf-current' : ''}${state.containsCurrent && !state.current ? ' wf-contains-current' : ''}${state.final ? ' wf-final' : ''}`}
      aria-current={state.current ? 'step' : undefined}
    >
      <div className="wf-head">
        <span className="wf-name">{state.label}</span>
        {state.current ? <span className="wf-here">Now</span> : null}
      </div>
      {state.about ? <p className="wf-about">{state.about}</p> : null}
      {state.children.length ? (
        <ol className={`wf-children wf-depth-${depth + 1}`}>
          {state.children.map((c) => (
            <StateCard key={c.id} state={c} depth={depth + 1} />
          ))}
        </ol>
      ) : null}
      {mine.length ? (
        <ul className="wf-moves">
          {mine.map((t) => (
            <li key={`${t.label}-${t.target}`}>
              {t.label}
              {t.condition ? <span className="wf-condition"> ({t.condition})</span> : null}
              {t.target ? <span className="wf-target"> → {t.target}</span> : <span className="wf-target"> (stays here)</span>}
            </li>
          ))}
        </ul>
      ) : null}
      {others.length ? (
        <ul className="wf-moves wf-moves-others">
          {others.map((t) => (
            <li key={`${t.label}-${t.target}`}>
              {t.label}
              {t.target ? <span className="wf-target"> → {t.target}</span> : <span className="wf-target"> (stays here)</span>}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  )
}

export function WorkflowDiagram({ states, titleId }: { states: DiagramState[]; titleId: string }) {
  const trail = findCurrent(states)
  const countTop = states.length
  const position = states.findIndex((s) => s.containsCurrent) + 1
  return (
    <figure className="workflow-diagram" aria-labelledby={titleId}>
      <figcaption className="wf-summary">
        Step {position} of {countTop}: <strong>{trail.map((s) => s.label).join(' — ')}</strong>. Each step lists what moves it on; your own
        steps first, then those of the recipients, the committees and the filing.
      </figcaption>
      <ol className="wf-states">
        {states.map((s) => (
          <StateCard key={s.id} state={s} depth={0} />
        ))}
      </ol>
    </figure>
  )
}
