import { z } from 'zod'

// Frozen: the value schemas of the version 1 machines (v1/*.ts), as they were
// when those machines were retired. Version 2 refuses the NUL character in
// written text and ids (../primitives.ts); version 1 accepted it, and histories
// it recorded must replay as they were written. Never edit.

/** A SHA-256 digest, lower-case hex as node:crypto's `digest('hex')` writes it, so equal drafts compare equal as strings. */
export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest: 64 lower-case hex characters')

/** An instant, ISO-8601 in UTC, e.g. 2012-11-19T14:30:00Z. */
export const utcInstantSchema = z.iso.datetime({ offset: false, local: false })

/** A calendar day, e.g. 2012-11-19. */
export const calendarDateSchema = z.iso.date()

/** Written text that says something: blank strings are refused, nothing is trimmed (stored as written). */
export const writtenTextSchema = z.string().max(20_000).regex(/\S/, 'must not be blank')

export const idSchema = z.string().min(1).max(200).regex(/\S/, 'must not be blank')
export const caseIdSchema = idSchema
export const userIdSchema = idSchema

export { statePath } from '../primitives'
