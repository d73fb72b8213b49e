import type { NewSecurityEvent, NewSession, Role, SessionEndReason } from '../schema'
import type { Executor } from './executor'

/** `user.email` is COLLATE NOCASE, so this finds the account whatever the case typed. */
export async function findUserByEmail(db: Executor, email: string) {
  return db
    .selectFrom('user')
    .select(['id', 'email', 'full_name', 'title', 'password_hash', 'deactivated_at'])
    .where('email', '=', email)
    .executeTakeFirst()
}

export async function findUserById(db: Executor, userId: string) {
  return db
    .selectFrom('user')
    .select(['id', 'email', 'full_name', 'title', 'password_hash', 'deactivated_at'])
    .where('id', '=', userId)
    .executeTakeFirst()
}

/** Roles in force on a calendar day: begun on or before it, not yet ended. */
export async function rolesOn(db: Executor, userId: string, day: string): Promise<Role[]> {
  const rows = await db
    .selectFrom('membership')
    .select('role')
    .distinct()
    .where('user_id', '=', userId)
    .where('effective_from', '<=', day)
    .where((eb) => eb.or([eb('effective_to', 'is', null), eb('effective_to', '>', day)]))
    .orderBy('role')
    .execute()
  return rows.map((r) => r.role)
}

export async function insertSession(db: Executor, session: NewSession) {
  await db.insertInto('session').values(session).execute()
}

/** A session not yet ended, with its user; the caller checks idle and absolute limits. */
export async function findOpenSession(db: Executor, sessionId: string) {
  return db
    .selectFrom('session as s')
    .innerJoin('user as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.user_id',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      'u.email',
      'u.full_name',
      'u.title',
      'u.deactivated_at',
    ])
    .where('s.id', '=', sessionId)
    .where('s.ended_at', 'is', null)
    .executeTakeFirst()
}

export async function touchSession(db: Executor, sessionId: string, at: string) {
  await db.updateTable('session').set({ last_seen_at: at }).where('id', '=', sessionId).where('ended_at', 'is', null).execute()
}

/** Returns whether this call ended it (false when it had ended already). */
export async function endSession(db: Executor, sessionId: string, at: string, reason: SessionEndReason): Promise<boolean> {
  const result = await db
    .updateTable('session')
    .set({ ended_at: at, ended_reason: reason })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function appendSecurityEvent(db: Executor, event: NewSecurityEvent) {
  await db.insertInto('security_event').values(event).execute()
}

/** The lock in force for an e-mail at `at`, if any: the latest lock whose end is still ahead. */
export async function activeSignInLock(db: Executor, email: string, at: string): Promise<{ lockedUntil: string } | null> {
  const row = await db
    .selectFrom('security_event')
    .select((eb) => eb.fn<string>('json_extract', ['detail', eb.val('$.lockedUntil')]).as('locked_until'))
    .where('email_attempted', '=', email)
    .where('kind', '=', 'sign_in_locked')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row && row.locked_until > at ? { lockedUntil: row.locked_until } : null
}

/**
 * Wrong passwords for an e-mail since `since`, at sign-in and at signing alike
 * (the password is the same secret, whichever form guesses it), not counting those
 * before its latest successful sign-in or lock: either starts the count again.
 */
export async function countPasswordFailures(db: Executor, email: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('security_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email_attempted', '=', email)
    .where('kind', 'in', ['sign_in_failed', 'reauth_failed'])
    .where('occurred_at', '>', since)
    .where((eb) =>
      eb(
        'occurred_at',
        '>',
        eb.fn.coalesce(
          eb
            .selectFrom('security_event')
            .select((e) => e.fn.max('occurred_at').as('reset_at'))
            .where('email_attempted', '=', email)
            .where('kind', 'in', ['sign_in_succeeded', 'reauth_succeeded', 'sign_in_locked']),
          eb.val(''),
        ),
      ),
    )
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
