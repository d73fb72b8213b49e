import type { ReactNode } from 'react'
import { DIRECTION_CONTROLS, DIRECTION_CONTROL_PATTERN } from '../utils/user-text'

/**
 * Text a person wrote (an answer, a title, a file name, a case summary), shown so
 * that it cannot disguise itself: isolated in <bdi>, so right-to-left text cannot
 * reorder what stands beside it, and each direction control shown as a marker
 * (⟨RLO⟩) whose title says what it is. See app/utils/user-text.ts.
 */
export function UserText({ children }: { children: string | null | undefined }) {
  if (!children) return null
  const parts = children.split(DIRECTION_CONTROL_PATTERN)
  if (parts.length === 1) return <bdi>{children}</bdi>
  return (
    <bdi>
      {parts.map((part, i) => {
        const control = i % 2 === 1 ? DIRECTION_CONTROLS[part] : undefined
        if (!control) return part
        const code = `U+${part.codePointAt(0)!.toString(16).toUpperCase()}`
        return (
          <abbr
            key={i}
            className="direction-control"
            title={`A hidden ${control.name} character (${code}), shown here so that it cannot reorder the text`}
          >
            {`⟨${control.abbr}⟩`}
          </abbr>
        )
      })}
    </bdi>
  )
}

/** For props that take any ReactNode (a label, a hint): a string is shown as user text, anything else as it is. */
export function asUserText(node: ReactNode): ReactNode {
  return typeof node === 'string' ? <UserText>{node}</UserText> : node
}
