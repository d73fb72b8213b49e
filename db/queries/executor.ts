import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../schema'

/** Queries take the database or an open transaction, so callers decide the transaction's edges. */
export type Executor = Kysely<Database> | Transaction<Database>
