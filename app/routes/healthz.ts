import { sql } from 'kysely'
import { getDb } from '../utils/db.server'

// For a load balancer or a person: 200 when the database answers a query, 503 when not.
export async function loader() {
  try {
    const db = await getDb()
    const { rows } = await sql<{ ok: number }>`SELECT 1 AS ok`.execute(db)
    const reports = await db
      .selectFrom('periodic_report')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    if (rows[0]?.ok !== 1) throw new Error('unexpected answer')
    return Response.json({ status: 'ok', database: 'ok', periodicReports: Number(reports.n) }, { headers: { 'Cache-Control': 'no-store' } })
  } catch (error) {
    console.error('healthz: database check failed', error)
    return Response.json({ status: 'error', database: 'unavailable' }, { status: 503, headers: { 'Cache-Control': 'no-store' } })
  }
}
