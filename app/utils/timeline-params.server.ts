import { z } from 'zod'
import { EVENT_KINDS } from '../../machines/event-words'
import {
  TIMELINE_DEFAULT_LIMIT,
  TIMELINE_MAX_LIMIT,
  parseTimelineCursor,
  type TimelineCursor,
  type TimelineFilters,
} from '../../db/queries/history'
import type { HistoryReader } from './permissions.server'

// The timeline's filters as GET parameters, shared by the page and its CSV:
// validated here (400 with a sentence on a bad value, before anything is read).

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is written YYYY-MM-DD')
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'not a calendar date',
  )
const id = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9._:/-]+$/, 'not an id')

const TimelineParamsSchema = z
  .strictObject({
    report: id.optional(),
    person: id.optional(),
    duty: z.coerce.number().int().min(1).max(12).optional(),
    kind: z
      .string()
      .max(80)
      .refine((k) => EVENT_KINDS.includes(k), 'not a kind of event the record holds')
      .optional(),
    from: date.optional(),
    to: date.optional(),
    after: z.string().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(TIMELINE_MAX_LIMIT).optional(),
  })
  .refine((p) => !p.from || !p.to || p.from <= p.to, { message: 'the first day comes after the last', path: ['from'] })

export interface TimelineQuery {
  filters: TimelineFilters
  cursor: TimelineCursor | null
  limit: number
  /** The parameters as given (empty ones left out), to build links. */
  params: Record<string, string>
}

const badRequest = (message: string) => new Response(message, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

/** The filters of a timeline URL, for this reader: an officer's timeline is their own events only. */
export function readTimelineQuery(url: URL, reader: HistoryReader): TimelineQuery {
  const raw: Record<string, string> = {}
  for (const [key, value] of url.searchParams) {
    if (key in raw) throw badRequest(`The filter “${key}” is given more than once.`)
    if (value !== '') raw[key] = value
  }
  const parsed = TimelineParamsSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = issue.path.join('.') || 'the filters'
    throw badRequest(
      issue.code === 'unrecognized_keys'
        ? `The timeline has no filter called ${issue.keys.map((k) => `“${k}”`).join(', ')}.`
        : `The filter “${field}” is not valid: ${issue.message}.`,
    )
  }
  const p = parsed.data
  const cursor = p.after === undefined ? null : parseTimelineCursor(p.after)
  if (p.after !== undefined && cursor === null) throw badRequest('The page link (“after”) is not valid: start again from the first page.')
  if (reader.ownOnly !== null && p.person !== undefined && p.person !== reader.ownOnly) {
    throw new Response('A certifying officer sees only their own history.', {
      status: 403,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  const { after: _after, ...rest } = raw
  return {
    filters: {
      reportId: p.report,
      actorUserId: reader.ownOnly ?? p.person,
      dutyNumber: p.duty,
      eventType: p.kind,
      fromDate: p.from,
      toDate: p.to,
    },
    cursor,
    limit: p.limit ?? TIMELINE_DEFAULT_LIMIT,
    params: rest,
  }
}
