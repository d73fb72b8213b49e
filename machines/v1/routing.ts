import { z } from 'zod'
import { officerRoleSchema } from '../roles'
import { userIdSchema } from './primitives'

// Frozen: the subject and reporter schemas of the version 1 case and board
// determination machines (v1/case.ts, v1/board-determination.ts), on the
// version 1 ids. The routing rule itself did not change: ../routing.ts routeCase.
// Never edit.

export const caseSubjectSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('officer'), role: officerRoleSchema, userId: userIdSchema }),
  z.strictObject({
    kind: z.literal('director'),
    userId: userIdSchema,
    isChairman: z.boolean().optional(),
    isAuditCommitteeMember: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('employee'), userId: userIdSchema }),
  z.strictObject({ kind: z.literal('none') }),
])
export type CaseSubject = z.infer<typeof caseSubjectSchema>

export const reporterSchema = z.strictObject({ role: officerRoleSchema, userId: userIdSchema })

export type Reporter = z.infer<typeof reporterSchema>

export { routeCase, type Routing } from '../routing'
