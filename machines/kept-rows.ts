import { and, assign, setup } from 'xstate'
import { z } from 'zod'
import { idSchema, sha256Schema } from './primitives'

// The rows written beside the workflows that pages show as fact — a case's notes,
// questions and answers, its files, the reporter's additions, the openings of a
// case page, an anonymous reporter's receipt, the waiver register — each bound to
// the hash chain by one event that carries the SHA-256 of the row as stored. The
// brief: "Sign-offs, workflow events, cases and messages are append-only, and
// `npm run verify` checks every row a page shows as fact"; a trigger keeps them
// append-only, this makes an edit, a deletion or a forged row evident
// (docs/decisions/025-kept-rows-in-the-chain.md). One workflow per table; it
// decides nothing but that each event is well formed and of its table.

export const KEPT_ROWS_MACHINE_ID = 'kept-rows'
export const KEPT_ROWS_MACHINE_VERSION = 1

export const KEPT_TABLES = [
  'case_message',
  'case_attachment',
  'case_addition',
  'case_access_log',
  'anonymous_receipt',
  'waiver',
  'waiver_disclosure',
] as const
export type KeptTable = (typeof KEPT_TABLES)[number]
export const keptTableSchema = z.enum(KEPT_TABLES)

export const keptRowsInputSchema = z.strictObject({ table: keptTableSchema })
export type KeptRowsInput = z.infer<typeof keptRowsInputSchema>

/** SQL column names, as the row's table has them: what the hash covers, in this order. */
const columnSchema = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'a column name')

export const keptRowEventSchema = z.strictObject({
  type: z.literal('row.kept'),
  table: keptTableSchema,
  /** The row's primary key, as text. */
  key: idSchema,
  /**
   * The columns the hash covers: those the table had when the row was written, so
   * that a later migration adding a column does not change what was bound.
   */
  columns: z.array(columnSchema).min(1).max(64),
  /** SHA-256 of the canonical JSON of those columns' stored values. */
  sha256: sha256Schema,
})
export type KeptRowEvent = z.infer<typeof keptRowEventSchema>

export interface KeptRowsContext {
  table: KeptTable
  /** How many rows the table has bound: verify compares it with the table's row count. */
  kept: number
}

export const keptRowsMachine = setup({
  types: {
    context: {} as KeptRowsContext,
    events: {} as KeptRowEvent,
    input: {} as KeptRowsInput,
    tags: {} as 'keeping',
  },
  guards: {
    eventIsValid: ({ event }) => keptRowEventSchema.safeParse(event).success,
    isOfThisTable: ({ context, event }) => event.table === context.table,
  },
  actions: {
    countRow: assign({ kept: ({ context }) => context.kept + 1 }),
  },
}).createMachine({
  id: KEPT_ROWS_MACHINE_ID,
  context: ({ input }) => ({ table: keptRowsInputSchema.parse(input).table, kept: 0 }),
  initial: 'keeping',
  states: {
    keeping: {
      tags: ['keeping'],
      on: {
        'row.kept': { guard: and(['eventIsValid', 'isOfThisTable']), actions: 'countRow' },
      },
    },
  },
})
