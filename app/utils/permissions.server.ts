import type { DB } from '../../db/client'
import { listCaseIdsAbout } from '../../db/queries/cases'
import type { Executor } from '../../db/queries/executor'
import { appendSecurityEvent } from '../../db/queries/auth'
import type { CaseCapacity, Role } from '../../db/schema'
import type { CaseInstanceRow } from '../../db/queries/workflows'
import { type CaseContext, recipientBodiesOf } from '../../machines/case'
import { reporterUserId } from '../../machines/routing'
import { type Body, OFFICER_ROLES, OFFICER_TITLES, type OfficerRole } from '../../machines/roles'
import { type AuthOptions, type CurrentUser, requireUser } from './auth.server'
import { getDb } from './db.server'
import { clientIp } from './request-security.server'

// Who may do what on the officers' walk. The Code of Ethics binds three people
// (the CEO and the "Senior Financial Officers"); each answers and signs for
// themselves alone. An administrator keeps people and reports, and never signs
// or answers for anyone: that role grants nothing here.

export interface Officer {
  user: CurrentUser
  role: OfficerRole
}

/** The bodies of the Code a person belongs to by their roles: who they receive matters as. */
const BODY_OF_ROLE: Partial<Record<Role, Body>> = {
  disclosure_committee: 'disclosure_committee',
  audit_committee_member: 'audit_committee',
  audit_committee_chair: 'audit_committee',
  chairman: 'chairman',
  ceo: 'ceo',
  director: 'board',
  internal_auditor: 'internal_auditor',
  independent_auditor: 'independent_auditor',
}

/**
 * Roles that may read a report page without being an officer: the bodies that
 * review the sign-offs before filing (the Disclosure Committee approves, the
 * Audit Committee reviews) and the Chairman, who receives duty 3 and 4 matters.
 */
// Who creates periodic reports and registers their drafts: the administrator and
// the Chief Accounting Officer/Controller, who prepares the drafts.
export const REPORT_ADMIN_ROLES: readonly Role[] = ['administrator', 'cao']

export const REPORT_READER_ROLES: readonly Role[] = ['disclosure_committee', 'audit_committee_member', 'audit_committee_chair', 'chairman']

export function bodiesOf(roles: readonly Role[]): Body[] {
  return [...new Set(roles.flatMap((r) => (BODY_OF_ROLE[r] ? [BODY_OF_ROLE[r]] : [])))]
}

export function officerRolesOf(roles: readonly Role[]): OfficerRole[] {
  return OFFICER_ROLES.filter((r) => roles.includes(r))
}

async function refuse(
  request: Request,
  user: CurrentUser,
  message: string,
  detail: Record<string, unknown>,
  options: AuthOptions = {},
): Promise<never> {
  const url = new URL(request.url)
  // Someone reaching for a duty that is not theirs is something the Audit Committee may need to see.
  await appendSecurityEvent(options.db ?? (await getDb()), {
    occurred_at: (options.now ?? new Date()).toISOString(),
    kind: 'forbidden',
    user_id: user.id,
    email_attempted: null,
    ip: clientIp(request),
    detail: JSON.stringify({ method: request.method, path: url.pathname, held: user.roles, ...detail }),
  })
  throw new Response(message, { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

/**
 * The signed-in certifying officer and the one capacity they act in. Anyone
 * else — an administrator, a committee member, an auditor — is refused (403,
 * logged): only the officer bound by a duty can answer or sign it.
 */
export async function requireOfficer(request: Request, options: AuthOptions = {}): Promise<Officer> {
  const user = await requireUser(request, options)
  const roles = officerRolesOf(user.roles)
  if (roles.length === 1) return { user, role: roles[0]! }
  if (roles.length === 0) {
    return refuse(
      request,
      user,
      'Only the CEO, the CFO and the Chief Accounting Officer or Controller answer and sign the duties of the Code of Ethics; your role does not allow this.',
      { required: OFFICER_ROLES },
      options,
    )
  }
  // A sign-off manifests one title; which one would be a guess.
  return refuse(
    request,
    user,
    `You hold more than one officer role (${roles.map((r) => OFFICER_TITLES[r]).join(', ')}). A signature is made in one capacity: ask the administrator to end the one you no longer hold.`,
    { reason: 'several_officer_roles', officerRoles: roles },
    options,
  )
}

export interface ReportReader {
  user: CurrentUser
  /** Set when the reader is a certifying officer: they see, and act on, their own duty workflows. */
  officerRole: OfficerRole | null
  /** Committee members and the Chairman read every officer's states (never the forms). */
  readsAllOfficers: boolean
}

/** Who may open a report page: the officers, and the bodies that review their sign-offs. */
export async function requireReportReader(request: Request, options: AuthOptions = {}): Promise<ReportReader> {
  const user = await requireUser(request, options)
  const officerRoles = officerRolesOf(user.roles)
  const readsAllOfficers = user.roles.some((r) => REPORT_READER_ROLES.includes(r))
  if (officerRoles.length === 0 && !readsAllOfficers) {
    return refuse(
      request,
      user,
      'Report pages are for the certifying officers, the Disclosure Committee, the Audit Committee and the Chairman of the Board.',
      { required: [...OFFICER_ROLES, ...REPORT_READER_ROLES] },
      options,
    )
  }
  return { user, officerRole: officerRoles.length === 1 ? officerRoles[0]! : null, readsAllOfficers }
}

/**
 * Who may open a report's "Review and filing" page: the officers and the bodies
 * that read the report, and the administrator, who records the filing. What
 * each may do there is decided per step (machines/review-signers.ts, the
 * commands); the page shows no case and no answer.
 */
export async function requireFilingPageReader(request: Request, options: AuthOptions = {}): Promise<CurrentUser> {
  const user = await requireUser(request, options)
  const allowed =
    officerRolesOf(user.roles).length > 0 || user.roles.some((r) => [...REPORT_READER_ROLES, ...REPORT_ADMIN_ROLES].includes(r))
  if (allowed) return user
  return refuse(
    request,
    user,
    'The review and filing of a report is for the certifying officers, the committees, the Chairman and the administrator.',
    { required: [...OFFICER_ROLES, ...REPORT_READER_ROLES, ...REPORT_ADMIN_ROLES] },
    options,
  )
}

export type VisibleCase = CaseInstanceRow

/** The cases of a list this person may see (never those about them). */
export function visibleCases(user: Pick<CurrentUser, 'id' | 'roles'>, cases: readonly CaseInstanceRow[]): VisibleCase[] {
  return cases.filter((c) => canSeeCase(user, c.context))
}

/**
 * Whether a person may see a reported matter: its reporter, or a member of a
 * body it is with (routed to, or the Board once referred) — never the person it
 * is about (machines/routing.ts), whatever body they sit on.
 */
export function canSeeCase(
  user: Pick<CurrentUser, 'id' | 'roles'>,
  context: Pick<CaseContext, 'reporter' | 'routing'> & Partial<Pick<CaseContext, 'referral'>>,
): boolean {
  return caseViewerOf(user, { referral: null, ...context }) !== null
}

/** The bodies that receive reported matters: the inbox is for their members. */
export const RECEIVING_BODIES: readonly ReceivingBody[] = ['disclosure_committee', 'audit_committee', 'chairman', 'ceo', 'board']
export type ReceivingBody = Exclude<CaseCapacity, 'reporter'>

const isReceivingBody = (b: Body): b is ReceivingBody => (RECEIVING_BODIES as readonly Body[]).includes(b)

/** The receiving bodies a person belongs to by their roles. */
export function receivingBodiesOf(roles: readonly Role[]): ReceivingBody[] {
  return bodiesOf(roles).filter(isReceivingBody)
}

/**
 * How a person sees a case: as a member of the bodies it is with (notes, files,
 * actions), as its reporter (the matter, its routing, questions and answers), or
 * not at all (null: the route answers 404, so that the case's existence is not told).
 */
export type CaseViewer = { kind: 'recipient'; bodies: ReceivingBody[]; readsAccessLog: boolean } | { kind: 'reporter' }

export function caseViewerOf(
  user: Pick<CurrentUser, 'id' | 'roles'>,
  context: Pick<CaseContext, 'reporter' | 'routing' | 'referral'>,
): CaseViewer | null {
  if (context.routing?.excludedUserIds.includes(user.id)) return null
  if (reporterUserId(context.reporter) === user.id) return { kind: 'reporter' }
  const bodies = recipientBodiesOf(context, { userId: user.id, bodies: receivingBodiesOf(user.roles) }).filter(isReceivingBody)
  if (bodies.length === 0) return null
  // The Audit Committee's chair keeps watch over who opened a matter.
  return { kind: 'recipient', bodies, readsAccessLog: user.roles.includes('audit_committee_chair') }
}

/** The role a member acts in for a body: what the record's `actor_role` says of their step. */
export function roleActingFor(user: Pick<CurrentUser, 'roles'>, body: Body): Role {
  switch (body) {
    case 'audit_committee':
      return user.roles.includes('audit_committee_chair') ? 'audit_committee_chair' : 'audit_committee_member'
    case 'board':
      return 'director'
    case 'disclosure_committee':
    case 'chairman':
    case 'ceo':
    case 'internal_auditor':
    case 'independent_auditor':
      return body
  }
}

// Fields that would name whose duty it is. The forms never carry one; a request
// that does is someone trying to act for another officer.
const IDENTITY_FIELDS = ['officer', 'officerId', 'officerUserId', 'officerRole', 'userId', 'user', 'role', 'actor', 'signer']

/**
 * Identity comes from the session, never from the form or the address: a POST
 * that tries to name an officer is refused (403, logged) rather than quietly
 * ignored, so the attempt shows in the security log.
 */
export async function refuseIdentityFields(
  request: Request,
  form: FormData,
  officer: Pick<Officer, 'user'>,
  options: AuthOptions & { message?: string } = {},
) {
  const url = new URL(request.url)
  const named = IDENTITY_FIELDS.filter((f) => form.has(f) || url.searchParams.has(f))
  if (named.length === 0) return
  await refuse(
    request,
    officer.user,
    options.message ?? 'You can act only on your own duties: who acts comes from your session, never from the form.',
    { reason: 'identity_in_request', fields: named },
    options,
  )
}

/**
 * A stored duty workflow belongs to the officer whose id it embeds. Checked on
 * the row as well as on the id, so a workflow written under another officer's
 * subject can never be acted on through this one's session.
 */
export async function requireOwnDutyWorkflow(
  request: Request,
  officer: Officer,
  instance: { id: string; subject: Record<string, unknown> | null },
  options: AuthOptions & { db?: DB } = {},
) {
  const subject = (instance.subject ?? {}) as { officerUserId?: unknown; officerRole?: unknown }
  if (subject.officerUserId === officer.user.id && subject.officerRole === officer.role) return
  await refuse(
    request,
    officer.user,
    subject.officerUserId === officer.user.id
      ? `This duty workflow was started in another capacity (${String(subject.officerRole)}); you now act as ${OFFICER_TITLES[officer.role]}. Ask the administrator.`
      : 'This duty workflow is not yours.',
    { reason: 'not_own_duty', instanceId: instance.id },
    options,
  )
}

/**
 * The case and how this person sees it; otherwise a 404 that reads the same
 * whether the case does not exist or is not theirs to see (its subject, an
 * administrator, anyone outside its bodies), so that its existence is not told.
 * A refusal of a case that exists is logged for the Audit Committee.
 */
export async function requireCaseViewer<C extends { context: Pick<CaseContext, 'reporter' | 'routing' | 'referral'> }>(
  request: Request,
  user: CurrentUser,
  caseId: string,
  found: C | undefined,
  options: AuthOptions = {},
): Promise<{ found: C; viewer: CaseViewer }> {
  const viewer = found ? caseViewerOf(user, found.context) : null
  if (found && viewer) return { found, viewer }
  if (found) {
    const url = new URL(request.url)
    await appendSecurityEvent(options.db ?? (await getDb()), {
      occurred_at: (options.now ?? new Date()).toISOString(),
      kind: 'forbidden',
      user_id: user.id,
      email_attempted: null,
      ip: clientIp(request),
      detail: JSON.stringify({ method: request.method, path: url.pathname, held: user.roles, reason: 'case_not_visible', caseId }),
    })
  }
  throw new Response(`There is no reported matter “${caseId}” that you can open.`, {
    status: 404,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  })
}

export interface HistoryReader {
  user: CurrentUser
  /**
   * Set for a certifying officer: the only person whose history they may see.
   * An officer who also sits on the Disclosure Committee still sees only their
   * own (docs/decisions/016). Null for the Audit Committee, the Chairman and the
   * Disclosure Committee, who read everyone's.
   */
  ownOnly: string | null
}

/** Whether these roles open the history at all (requireHistoryReader says how much of it). */
export function readsHistory(roles: readonly Role[]): boolean {
  return officerRolesOf(roles).length > 0 || roles.some((r) => REPORT_READER_ROLES.includes(r))
}

/**
 * Who may read the history of the sign-offs: the Audit Committee, which oversees
 * the certification; the Chairman and the Disclosure Committee, read-only; and each
 * certifying officer, their own only. Anyone else is refused (403, logged).
 */
export async function requireHistoryReader(request: Request, options: AuthOptions = {}): Promise<HistoryReader> {
  const user = await requireUser(request, options)
  if (officerRolesOf(user.roles).length > 0) return { user, ownOnly: user.id }
  if (readsHistory(user.roles)) return { user, ownOnly: null }
  return refuse(
    request,
    user,
    'The history of the sign-offs is for the Audit Committee, the Chairman of the Board, the Disclosure Committee, and each certifying officer for their own.',
    { required: [...REPORT_READER_ROLES, ...OFFICER_ROLES] },
    options,
  )
}

// The waiver register (/waivers): the administrator records waivers and their
// disclosures; the Board and the Audit Committee read the whole register; a
// certifying officer reads the waivers granted to them.
export const WAIVER_RECORDER_ROLES: readonly Role[] = ['administrator']
const WAIVER_WHOLE_REGISTER_ROLES: readonly Role[] = [
  'director',
  'chairman',
  'audit_committee_member',
  'audit_committee_chair',
  'administrator',
]

export interface WaiverReader {
  user: CurrentUser
  /** Null: the whole register. Otherwise the officer whose own waivers are shown. */
  onlyOfficerUserId: string | null
  mayRecord: boolean
}

/** Whether a person may open the waiver register at all (its whole, or their own waivers). */
export function readsWaiverRegister(roles: readonly Role[]): boolean {
  return roles.some((r) => WAIVER_WHOLE_REGISTER_ROLES.includes(r)) || officerRolesOf(roles).length > 0
}

export async function requireWaiverReader(request: Request, options: AuthOptions = {}): Promise<WaiverReader> {
  const user = await requireUser(request, options)
  const mayRecord = user.roles.some((r) => WAIVER_RECORDER_ROLES.includes(r))
  if (user.roles.some((r) => WAIVER_WHOLE_REGISTER_ROLES.includes(r))) return { user, onlyOfficerUserId: null, mayRecord }
  if (officerRolesOf(user.roles).length > 0) return { user, onlyOfficerUserId: user.id, mayRecord }
  return refuse(
    request,
    user,
    'The waiver register is for the Board of Directors, the Audit Committee, the administrator who keeps it, and the certifying officers (their own waivers).',
    { required: [...WAIVER_WHOLE_REGISTER_ROLES, ...OFFICER_ROLES] },
    options,
  )
}

/** An officer reaching for another person's sign-off, receipt or history is refused (403, logged). */
export async function requireOwnHistory(
  request: Request,
  reader: HistoryReader,
  ownerUserId: string | null,
  options: AuthOptions = {},
): Promise<void> {
  if (reader.ownOnly === null || reader.ownOnly === ownerUserId) return
  await refuse(
    request,
    reader.user,
    'A certifying officer sees only their own sign-offs and history, and may not download the receipts of others.',
    { reason: 'another_persons_history', owner: ownerUserId },
    options,
  )
}

/**
 * Who may download a report's certification packet or an evidence bundle: the
 * history readers who read every officer's (the Audit Committee, the Chairman, the
 * Disclosure Committee). Both hold every officer's sign-offs, so a certifying
 * officer is refused (403, logged) and keeps the receipts of their own
 * (docs/decisions/018).
 */
export async function requireExportReader(request: Request, options: AuthOptions = {}): Promise<HistoryReader> {
  const reader = await requireHistoryReader(request, options)
  if (reader.ownOnly === null) return reader
  return refuse(
    request,
    reader.user,
    'The certification packet and the evidence bundle hold every officer’s sign-offs, and a certifying officer sees only their own: download the receipts of your sign-offs from their pages instead.',
    { reason: 'export_of_every_officer' },
    options,
  )
}

/** What a signed manifestation says of its exception, if it has one: the case it cites. */
export type SignedException = { exception?: { caseId: string } | null }

/**
 * An exception's written explanation is its case's summary (the duty page raises
 * the case with it), so the officers' signed words about a matter are the
 * matter's: never shown to the person it is about, whatever they may read of the
 * history (issue 9: "never to its subject, even when the subject is a recipient
 * by role"). Whether one officer's sign-off keeps its exception's words from this
 * reader: never their own.
 */
export async function exceptionWordsKeptFrom(
  db: Executor,
  reader: HistoryReader,
  officerUserId: string,
): Promise<(manifestation: SignedException) => boolean> {
  if (officerUserId === reader.user.id) return () => false
  const about = await listCaseIdsAbout(db, reader.user.id)
  return (m) => m.exception != null && about.has(m.exception.caseId)
}

/**
 * Refuses an export or a receipt that holds the officers' words about a matter
 * concerning the reader (403, logged, nothing written but the refusal); the
 * history pages show such a sign-off without those words instead.
 */
export async function refuseMatterAboutReader(
  request: Request,
  reader: HistoryReader,
  holdsWordsAboutReader: boolean,
  what: string,
  options: AuthOptions = {},
): Promise<void> {
  if (!holdsWordsAboutReader) return
  await refuse(
    request,
    reader.user,
    `${what} holds what the officers wrote about a reported matter that concerns you, and a matter is never shown to the person it is about. The Audit Committee can provide it to anyone entitled to it.`,
    { reason: 'matter_about_reader' },
    options,
  )
}

/**
 * Whether a history page names the cases behind its events: for the Audit
 * Committee only; the Chairman and the Disclosure Committee see "a reported
 * matter" (each case page decides who sees that case).
 */
export function seesCaseIds(reader: HistoryReader): boolean {
  return reader.ownOnly === null && reader.user.roles.some((r) => r === 'audit_committee_member' || r === 'audit_committee_chair')
}

export async function requireWaiverRecorder(request: Request, options: AuthOptions = {}): Promise<CurrentUser> {
  const reader = await requireWaiverReader(request, options)
  if (reader.mayRecord) return reader.user
  return refuse(
    request,
    reader.user,
    'Only the administrator records waivers and their disclosure in the register; you may read it. Nothing was recorded.',
    { required: WAIVER_RECORDER_ROLES },
    options,
  )
}

// The Board's determinations (duty 5): its page is for the directors who may
// take part (never the individual it is about, whatever seat they hold); its
// written notice is for that individual alone (docs/decisions/017).
export const DETERMINATION_ROLES: readonly Role[] = ['director']

/** The Board's determination page: a director, or 403 (logged) for anyone else; which case is asked next. */
export async function requireDirector(request: Request, options: AuthOptions = {}): Promise<CurrentUser> {
  const user = await requireUser(request, options)
  if (user.roles.some((r) => DETERMINATION_ROLES.includes(r))) return user
  return refuse(
    request,
    user,
    'The Board’s determinations are for the members of the Board of Directors. Your role does not allow this.',
    { required: DETERMINATION_ROLES },
    options,
  )
}

async function notFound(
  request: Request,
  user: CurrentUser,
  message: string,
  detail: Record<string, unknown>,
  exists: boolean,
  options: AuthOptions,
): Promise<never> {
  if (exists) {
    const url = new URL(request.url)
    await appendSecurityEvent(options.db ?? (await getDb()), {
      occurred_at: (options.now ?? new Date()).toISOString(),
      kind: 'forbidden',
      user_id: user.id,
      email_attempted: null,
      ip: clientIp(request),
      detail: JSON.stringify({ method: request.method, path: url.pathname, held: user.roles, ...detail }),
    })
  }
  throw new Response(message, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

/**
 * A case referred to the Board that this director receives for the Board
 * (`caseViewerOf`: never its subject, nor its reporter); otherwise a 404 that
 * reads the same whether the case does not exist, is not referred, or is not
 * theirs, so that its existence is not told. A refusal of a case that exists is logged.
 */
export async function requireBoardCase<C extends { path: string; context: Pick<CaseContext, 'reporter' | 'routing' | 'referral'> }>(
  request: Request,
  user: CurrentUser,
  caseId: string,
  found: C | undefined,
  options: AuthOptions = {},
): Promise<C> {
  const viewer = found ? caseViewerOf(user, found.context) : null
  if (found && found.path === 'referredForDetermination' && viewer?.kind === 'recipient' && viewer.bodies.includes('board')) return found
  return notFound(
    request,
    user,
    `There is no matter “${caseId}” referred to the Board that you can open.`,
    { reason: 'determination_not_visible', caseId },
    found !== undefined,
    options,
  )
}

/**
 * The written notice of a determination, for the individual it is addressed to
 * once the Board has given it; a 404 for anyone else (the same words as for no
 * notice at all), logged when the notice exists.
 */
export async function requireNoticeAddressee<D extends { context: { subject: { userId: string }; notice: unknown } }>(
  request: Request,
  user: CurrentUser,
  caseId: string,
  found: D | undefined,
  options: AuthOptions = {},
): Promise<D> {
  if (found && found.context.notice && found.context.subject.userId === user.id) return found
  return notFound(
    request,
    user,
    `There is no notice “${caseId}” addressed to you.`,
    { reason: 'notice_not_addressee', caseId },
    Boolean(found?.context.notice),
    options,
  )
}
