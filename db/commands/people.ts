import type { Role } from '../schema'
import { CommandRefusedError, NotFoundError } from '../errors'
import type { WorkflowRecord } from '../workflow-record'
import { iso } from './shared'

// Dated titles and memberships (migration 016; docs/decisions/019). The history
// shows who acted in which title and roles on the day, so a change never rewrites
// a period: it closes the open one and opens the next, in one transaction of the
// record's write path. Who may do it is the route's check (administrators); here
// the dates must make sense (no overlap, nothing in the future) and no change may
// contradict what someone already signed or did under the title or role it ends.

/** A title change: from `effectiveFrom` (a calendar day, 'YYYY-MM-DD') the person holds `title`. */
export async function changeTitle(
  record: WorkflowRecord,
  request: { userId: string; title: string; effectiveFrom: string; recordedBy: string; at?: Date },
): Promise<{ id: string }> {
  const at = request.at ?? new Date()
  const today = iso(at).slice(0, 10)
  if (request.effectiveFrom > today) {
    throw new CommandRefusedError('effective_date_in_future', `${request.effectiveFrom} is after ${today}`, {
      effectiveFrom: request.effectiveFrom,
    })
  }
  return record.write(async ({ trx }) => {
    const user = await trx.selectFrom('user').select(['id', 'title']).where('id', '=', request.userId).executeTakeFirst()
    if (!user) throw new NotFoundError('person', request.userId)
    const open = await trx
      .selectFrom('title_assignment')
      .selectAll()
      .where('user_id', '=', request.userId)
      .where('effective_to', 'is', null)
      .executeTakeFirst()
    if (open && open.title === request.title) {
      throw new CommandRefusedError('title_unchanged', `${request.userId} holds "${open.title}" already`, { title: open.title })
    }
    // Periods never overlap: the new one starts after the open one began (the closed ones end before that).
    const latest = await trx
      .selectFrom('title_assignment')
      .select(['effective_from', 'effective_to'])
      .where('user_id', '=', request.userId)
      .orderBy('effective_from', 'desc')
      .limit(1)
      .executeTakeFirst()
    const earliestStart = latest ? (latest.effective_to ?? latest.effective_from) : null
    if (
      earliestStart !== null &&
      (latest!.effective_to === null ? request.effectiveFrom <= earliestStart : request.effectiveFrom < earliestStart)
    ) {
      throw new CommandRefusedError('period_overlaps', `${request.effectiveFrom} is not after ${earliestStart}`, {
        effectiveFrom: request.effectiveFrom,
        currentFrom: earliestStart,
      })
    }
    // A sign-off or signature made on or after the day states the title it ends: back-dating would contradict it.
    const signed = await signedOnOrAfter(trx, request.userId, request.effectiveFrom)
    if (signed) {
      throw new CommandRefusedError('signed_under_current_title', `${request.userId} signed on ${signed}`, {
        signedAt: signed,
        title: open?.title ?? user.title,
      })
    }
    if (open) await trx.updateTable('title_assignment').set({ effective_to: request.effectiveFrom }).where('id', '=', open.id).execute()
    const id = `title-${request.userId}-${request.effectiveFrom}`
    await trx
      .insertInto('title_assignment')
      .values({
        id,
        user_id: request.userId,
        title: request.title,
        effective_from: request.effectiveFrom,
        effective_to: null,
        recorded_by: request.recordedBy,
        recorded_at: iso(at),
      })
      .execute()
    // user.title is today's title (the header, the lists); the dated row is the history.
    await trx.updateTable('user').set({ title: request.title }).where('id', '=', request.userId).execute()
    return { id }
  })
}

async function signedOnOrAfter(trx: WorkflowRecord['db'], userId: string, day: string): Promise<string | undefined> {
  const signOff = await trx
    .selectFrom('sign_off')
    .select((eb) => eb.fn.max('signed_at').as('at'))
    .where('officer_user_id', '=', userId)
    .where('signed_at', '>=', day)
    .executeTakeFirst()
  const signature = await trx
    .selectFrom('signature')
    .select((eb) => eb.fn.max('signed_at').as('at'))
    .where('signer_user_id', '=', userId)
    .where('signed_at', '>=', day)
    .executeTakeFirst()
  const found = [signOff?.at, signature?.at].filter((v): v is string => typeof v === 'string').sort()
  return found.at(-1)
}

/**
 * A change of roles on one day: `end` closes an open membership on `on` (the end
 * is exclusive: the role is held until the day before), `start` opens a role from
 * `on`; either or both, in one transaction.
 */
export async function changeMembership(
  record: WorkflowRecord,
  request: { userId: string; companyId: string; on: string; end?: { membershipId: string }; start?: { role: Role } },
): Promise<{ startedId: string | null }> {
  return record.write(async ({ trx }) => {
    const user = await trx.selectFrom('user').select('id').where('id', '=', request.userId).executeTakeFirst()
    if (!user) throw new NotFoundError('person', request.userId)
    if (request.end) {
      const m = await trx
        .selectFrom('membership')
        .selectAll()
        .where('id', '=', request.end.membershipId)
        .where('user_id', '=', request.userId)
        .executeTakeFirst()
      if (!m) throw new NotFoundError('membership', request.end.membershipId)
      if (m.effective_to !== null) {
        throw new CommandRefusedError('membership_closed', `${m.id} ended on ${m.effective_to}`, { effectiveTo: m.effective_to })
      }
      if (request.on < m.effective_from) {
        throw new CommandRefusedError('period_overlaps', `${request.on} is before ${m.effective_from}`, {
          effectiveFrom: request.on,
          currentFrom: m.effective_from,
        })
      }
      // Ending a role before a step the person took in it would make that step a step nobody held the role for.
      const acted = await trx
        .selectFrom('workflow_event')
        .select((eb) => eb.fn.max('recorded_at').as('at'))
        .where('actor_user_id', '=', request.userId)
        .where('actor_role', '=', m.role)
        .where('recorded_at', '>=', request.on)
        .executeTakeFirst()
      if (acted?.at)
        throw new CommandRefusedError('acted_in_role_after', `${request.userId} acted as ${m.role} on ${acted.at}`, { at: acted.at })
      await trx.updateTable('membership').set({ effective_to: request.on }).where('id', '=', m.id).execute()
    }
    let startedId: string | null = null
    if (request.start) {
      const role = request.start.role
      const overlapping = await trx
        .selectFrom('membership')
        .select(['id', 'effective_from', 'effective_to'])
        .where('user_id', '=', request.userId)
        .where('company_id', '=', request.companyId)
        .where('role', '=', role)
        .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>', request.on)]))
        .executeTakeFirst()
      if (overlapping) {
        throw new CommandRefusedError('period_overlaps', `${request.userId} holds ${role} from ${overlapping.effective_from}`, {
          effectiveFrom: request.on,
          currentFrom: overlapping.effective_from,
        })
      }
      startedId = `membership-${request.userId.replace(/^user-/, '')}-${role}-${request.on}`
      await trx
        .insertInto('membership')
        .values({ id: startedId, user_id: request.userId, company_id: request.companyId, role, effective_from: request.on })
        .execute()
    }
    return { startedId }
  })
}
