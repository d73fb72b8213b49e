import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { KEPT_ROWS_MACHINE_ID, KEPT_TABLES, type KeptRowEvent, type KeptTable } from '../machines/kept-rows'
import { canonicalJson } from './canonical-json'
import type { Executor } from './queries/executor'
import { instanceId } from './ids'
import type { Actor, WorkflowRecord, WriteUnit } from './workflow-record'

// Each row a page shows as fact beside the workflows is bound to the hash chain in
// the transaction that writes it: one `row.kept` event of its table's workflow,
// carrying the SHA-256 of the row as it was stored (machines/kept-rows.ts,
// docs/decisions/025-kept-rows-in-the-chain.md). `npm run verify` recomputes it.

/** Each kept table's primary key. */
export const KEPT_ROW_KEY: Readonly<Record<KeptTable, string>> = {
  case_message: 'id',
  case_attachment: 'id',
  case_addition: 'id',
  case_access_log: 'id',
  anonymous_receipt: 'case_instance_id',
  waiver: 'id',
  waiver_disclosure: 'id',
}

/** The hash a `row.kept` event carries: SHA-256 of the canonical JSON of those columns' stored values. */
export function keptRowHash(row: Readonly<Record<string, unknown>>, columns: readonly string[]): string {
  const covered: Record<string, unknown> = {}
  for (const c of columns) covered[c] = row[c] === undefined ? null : row[c]
  return createHash('sha256').update(canonicalJson(covered)).digest('hex')
}

async function storedRow(trx: Executor, table: KeptTable, key: string) {
  // Table and column names come from the constants above, never from input.
  const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} WHERE ${sql.ref(KEPT_ROW_KEY[table])} = ${key}`.execute(
    trx,
  )
  return rows.rows[0]
}

/**
 * Binds one row, already written in this transaction, to the chain. The row is
 * read back so that what is hashed is what is stored (defaults and all).
 */
export async function keepRow(unit: WriteUnit, table: KeptTable, key: string | number, actor: Actor, at: Date) {
  const row = await storedRow(unit.trx, table, String(key))
  if (!row) throw new Error(`keepRow: no ${table} row ${String(key)} in this transaction`)
  const columns = Object.keys(row)
  const id = instanceId.keptRows(table)
  const existing = await unit.load(id)
  const event: KeptRowEvent = { type: 'row.kept', table, key: String(key), columns, sha256: keptRowHash(row, columns) }
  await unit.append({
    instance: existing ? { id } : { id, machineId: KEPT_ROWS_MACHINE_ID, reportId: null, subject: { keptTable: table }, input: { table } },
    expectedVersion: existing?.version ?? 0,
    event,
    actor,
    recordedAt: at,
  })
}

/** Who a row bound after the fact is recorded as: the record itself, at the upgrade. */
const UPGRADE_ACTOR: Actor = { userId: null, role: 'system' }

/**
 * Binds the rows a file holds from before its tables were kept in the chain (a
 * file written by an earlier version), once: a table whose workflow counts as many
 * rows as the table holds is skipped at the cost of a count. Run before serving.
 */
export async function keepUnkeptRows(record: WorkflowRecord, at = new Date()): Promise<number> {
  let bound = 0
  for (const table of KEPT_TABLES) {
    const { n } = (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(record.db)).rows[0]!
    // One event per row: the workflow's version is how many rows it has bound.
    const kept = (await record.load(instanceId.keptRows(table)))?.version ?? 0
    if (n === kept) continue
    bound += await record.write(async (unit) => {
      const keys = new Set(
        (
          await unit.trx
            .selectFrom('workflow_event')
            .select(sql<string>`json_extract(event, '$.key')`.as('key'))
            .where('instance_id', '=', instanceId.keptRows(table))
            .execute()
        ).map((r) => r.key),
      )
      const all = await sql<{
        key: string | number
      }>`SELECT ${sql.ref(KEPT_ROW_KEY[table])} AS key FROM ${sql.table(table)} ORDER BY rowid`.execute(unit.trx)
      let count = 0
      for (const { key } of all.rows) {
        if (keys.has(String(key))) continue
        await keepRow(unit, table, key, UPGRADE_ACTOR, at)
        count += 1
      }
      return count
    })
  }
  return bound
}
