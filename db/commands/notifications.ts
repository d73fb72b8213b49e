// A person's choice of how they hear from the app (issue 11): each mail as it
// happens, or one digest a day. Not a workflow event: a setting, one row a person,
// overwritten; a matter routed to them reaches them at once whatever they choose.
import type { DB } from '../client'
import type { NotificationMode } from '../schema'

export async function saveNotificationSetting(db: DB, request: { userId: string; mode: NotificationMode; at?: Date }) {
  const updatedAt = (request.at ?? new Date()).toISOString()
  await db
    .insertInto('notification_setting')
    .values({ user_id: request.userId, mode: request.mode, updated_at: updatedAt })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ mode: request.mode, updated_at: updatedAt }))
    .execute()
}
