import type { TimelineRow } from '../../db/queries/history'
import { machineRegistry } from '../../machines/registry'
import { initialSnapshot } from '../../machines/replay'
import { stateWords } from '../../machines/state-words'

// A timeline row in the users' words, the same on the page and in the CSV: the
// role the actor acted in, the title and roles they held that day, and the
// workflow's state before and after the event.

export const ROLE_WORDS: Readonly<Record<string, string>> = {
  ceo: 'Chief Executive Officer',
  cfo: 'Chief Financial Officer',
  cao: 'Chief Accounting Officer and Controller',
  disclosure_committee: 'Disclosure Committee',
  audit_committee_member: 'Audit Committee',
  audit_committee_chair: 'Chair of the Audit Committee',
  chairman: 'Chairman of the Board',
  director: 'Director',
  internal_auditor: 'Internal Audit',
  independent_auditor: 'Independent auditors',
  administrator: 'Administrator',
  reporter: 'the person who reported it',
  anonymous: 'an anonymous reporter',
  system: 'the app',
}

export const roleWords = (role: string) => ROLE_WORDS[role] ?? role

/** The state before the event: the stored one, or for a workflow's first event its machine's initial state. */
function stateBefore(row: TimelineRow): unknown {
  if (row.stateBefore !== null || row.instanceVersion !== 1) return row.stateBefore
  try {
    return initialSnapshot(machineRegistry.atVersion(row.workflow.machineId, row.workflow.machineVersion), row.workflow.input as never)
      .value
  } catch {
    return null
  }
}

export interface TimelineWords {
  /** The role acted in, as the chain recorded it. */
  role: string
  /** The title held that day, or null (the app; a person with no dated title that day). */
  title: string | null
  /** The roles held that day, in words. */
  rolesThen: string[]
  from: string
  to: string
}

export function timelineWords(row: TimelineRow): TimelineWords {
  const before = stateBefore(row)
  return {
    role: roleWords(row.actorRole),
    title: row.actorUserId ? row.actorTitle : null,
    rolesThen: row.actorRolesThen.map(roleWords),
    from: before === null || before === undefined ? 'unknown' : stateWords(row.workflow.machineId, before),
    to: row.stateAfter === undefined ? 'unknown' : stateWords(row.workflow.machineId, row.stateAfter),
  }
}
