// The database's types, declared once. Kysely reads them; migrations create them.
// Append-only columns are `ColumnType<T, T, never>`: the compiler refuses an update,
// and the triggers of the migrations refuse one at run time.
import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely'

/** A column written once, never updated. */
type Frozen<T> = ColumnType<T, T, never>
/** A column with a database default, written once. */
type FrozenDefault<T> = ColumnType<T, T | undefined, never>
/** A generated column: read, never inserted or updated. */
type GeneratedFromSubject<T> = ColumnType<T, never, never>

export const FILER_CATEGORIES = ['large_accelerated', 'accelerated', 'non_accelerated'] as const
export type FilerCategory = (typeof FILER_CATEGORIES)[number]

export const FORMS = ['10-Q', '10-K'] as const
export type Form = (typeof FORMS)[number]

/**
 * What a person is in the process. The three certifying officers are bound by the
 * Code of Ethics; the bodies receive what the code tells them to.
 */
export const ROLES = [
  'ceo',
  'cfo',
  'cao',
  'disclosure_committee',
  'audit_committee_member',
  'audit_committee_chair',
  'chairman',
  'director',
  'internal_auditor',
  'independent_auditor',
  'administrator',
] as const
export type Role = (typeof ROLES)[number]

export interface CompanyTable {
  id: Frozen<string>
  name: string
  ticker: string
  exchange: string
  headquarters: string
  /** IANA zone used to show signatures in the company's local time. */
  time_zone: string
  /** Month and day the fiscal year ends, 'MM-DD'. */
  fiscal_year_end: string
  created_at: FrozenDefault<string>
}

/** Which filer category is in force from a date: the SEC deadlines follow it. */
export interface FilerCategoryTable {
  id: Frozen<string>
  company_id: Frozen<string>
  category: Frozen<FilerCategory>
  effective_from: Frozen<string>
}

/** People are never deleted: a user id means the same person forever. */
export interface UserTable {
  id: Frozen<string>
  email: string
  full_name: string
  title: string
  password_hash: string | null
  deactivated_at: string | null
  created_at: FrozenDefault<string>
}

/** A role held for a period, 'YYYY-MM-DD', the end exclusive; `effective_to` is set once, never changed (migration 016). */
export interface MembershipTable {
  id: Frozen<string>
  user_id: Frozen<string>
  company_id: Frozen<string>
  role: Frozen<Role>
  effective_from: Frozen<string>
  effective_to: string | null
}

/**
 * A title held for a period (migration 016), like a membership: 'YYYY-MM-DD', the
 * end exclusive, closed once. `user.title` is today's; this is what held on a day.
 */
export interface TitleAssignmentTable {
  id: Frozen<string>
  user_id: Frozen<string>
  title: Frozen<string>
  effective_from: Frozen<string>
  effective_to: string | null
  /** The administrator who recorded it; null for the first titles the seeds load and for the rows migration 016 backfilled. */
  recorded_by: Frozen<string | null>
  recorded_at: Frozen<string>
}

/** The state value (JSON) a workflow reached with each event: derived by replay, verified (migration 016); append-only. */
export interface WorkflowEventStateTable {
  sequence: Frozen<number>
  state_value: Frozen<string>
}

export interface DutyTable {
  number: Frozen<number>
  kind: Frozen<'report' | 'enforcement' | 'pre_filing'>
  title: Frozen<string>
  text: Frozen<string>
  /** JSON array of recipient keys (machines/duties.ts `Recipient`). */
  recipients: Frozen<string>
  bound_to_draft: Frozen<0 | 1>
}

export interface PeriodicReportTable {
  id: Frozen<string>
  company_id: Frozen<string>
  form: Frozen<Form>
  fiscal_year: Frozen<number>
  /** 1–3 for a Form 10-Q; null for the Form 10-K, which covers the year. */
  fiscal_quarter: Frozen<number | null>
  period_end: Frozen<string>
  current_draft_id: string | null
  created_by: Frozen<string>
  created_at: FrozenDefault<string>
  /** The filed report this one amends (a 10-K/A, 10-Q/A), with its number and what it corrects (migration 014). */
  amends_report_id: FrozenDefault<string | null>
  amendment_number: FrozenDefault<number>
  amendment_reason: FrozenDefault<string | null>
}

/** Who signs a committee's step on a report (migration 008). */
export interface ReviewBodySettingTable {
  company_id: Frozen<string>
  body: Frozen<'disclosure_committee' | 'audit_committee'>
  signer_rule: 'chair' | 'any_member'
  chair_user_id: string | null
  updated_by: string | null
  updated_at: string
}
export type ReviewBodySetting = Selectable<ReviewBodySettingTable>

/** Each draft of a report, identified by the sha-256 of its content; append-only. */
export interface ReportDraftTable {
  id: Frozen<string>
  report_id: Frozen<string>
  version: Frozen<number>
  sha256: Frozen<string>
  size_bytes: Frozen<number>
  file_name: Frozen<string>
  uploaded_by: Frozen<string>
  uploaded_at: Frozen<string>
}

/** A fact that may affect the report's disclosures (duty 1), from a named source. */
export interface MaterialInformationItemTable {
  id: Frozen<string>
  report_id: Frozen<string>
  title: Frozen<string>
  description: Frozen<string>
  source: Frozen<string>
  /** Null when the source is undated (the 2008 article names no date of its own). */
  source_date: Frozen<string | null>
  recorded_by: Frozen<string>
  recorded_at: Frozen<string>
}

/** Figures of an item, kept as exact decimal strings, never floats. */
export interface MaterialAmountTable {
  id: Frozen<string>
  item_id: Frozen<string>
  position: Frozen<number>
  label: Frozen<string>
  value: Frozen<string>
  unit: Frozen<'USD' | 'shares' | 'oz' | 'percent' | 'USD_per_share'>
}

export interface RecordMetaTable {
  installation_id: Frozen<string>
  created_at: Frozen<string>
}

/** One workflow: a duty review, a report's lifecycle, a case, a determination. */
export interface WorkflowInstanceTable {
  id: Frozen<string>
  machine_id: Frozen<string>
  machine_version: Frozen<number>
  report_id: Frozen<string | null>
  /** JSON: what the workflow is about (report, officer, duty, case). */
  subject: Frozen<string>
  /** JSON: the machine's input. */
  input: Frozen<string>
  created_at: Frozen<string>
  // Generated from `subject` (migration 005): never written, always what the chain hashed.
  officer_user_id: GeneratedFromSubject<string | null>
  officer_role: GeneratedFromSubject<string | null>
  /** A duty workflow's duty, or the duty a case was raised under. */
  duty_number: GeneratedFromSubject<number | null>
  case_id: GeneratedFromSubject<string | null>
  /** The person a case or determination is about. */
  subject_user_id: GeneratedFromSubject<string | null>
}

/** The append-only, hash-chained record of every workflow event. */
export interface WorkflowEventTable {
  sequence: Frozen<number>
  instance_id: Frozen<string>
  instance_version: Frozen<number>
  event: Frozen<string>
  event_type: Frozen<string>
  /** Null for events the system sends (e.g. a case's acknowledgement reaching a duty). */
  actor_user_id: Frozen<string | null>
  /** The role the actor acted in at that moment, or 'system'. */
  actor_role: Frozen<string>
  recorded_at: Frozen<string>
  prev_hash: Frozen<string>
  hash: Frozen<string>
}

/** The chain head as of each event, signed with the key kept outside the file. */
export interface ChainCheckpointTable {
  sequence: Frozen<number>
  head_hash: Frozen<string>
  key_fingerprint: Frozen<string>
  signature: Frozen<string>
  signed_at: Frozen<string>
}

/** A cache of each instance's latest state; rebuilt from the events at will. */
export interface WorkflowSnapshotTable {
  instance_id: string
  version: number
  status: string
  state: string
  snapshot: string
  updated_at: string
  /** HMAC keyed from the signing key (migration 006); null until first sealed. */
  seal: string | null
}

/** An officer's electronic signature of one duty for one report; append-only. */
export interface SignOffTable {
  /** sha-256 of `manifestation`: what was signed, by whom, when, meaning what. */
  id: Frozen<string>
  report_id: Frozen<string>
  duty_number: Frozen<number>
  officer_user_id: Frozen<string>
  officer_role: Frozen<'ceo' | 'cfo' | 'cao'>
  draft_id: Frozen<string | null>
  draft_sha256: Frozen<string | null>
  meaning: Frozen<'attested_no_exceptions' | 'attested_with_exception'>
  meaning_text: Frozen<string>
  printed_name: Frozen<string>
  title: Frozen<string>
  signed_at: Frozen<string>
  signed_at_local: Frozen<string>
  time_zone: Frozen<string>
  /** Canonical JSON of everything the signature covers. */
  manifestation: Frozen<string>
  workflow_instance_id: Frozen<string>
  workflow_sequence: Frozen<number>
}

/** What a signature other than a duty's sign-off signs (migration 007). */
export type SignatureAct = 'disclosure_committee_approval' | 'audit_committee_review' | 'approval_for_filing' | 'board_determination'
/** The body or office a signer acted for. */
export type SignatureCapacity = 'disclosure_committee' | 'audit_committee' | 'ceo' | 'cfo' | 'board'

/**
 * A committee's step, an approval for filing, or a director's signature of a Board
 * determination; append-only, bound into the chain like a sign-off.
 */
export interface SignatureTable {
  /** sha-256 of `manifestation`. */
  id: Frozen<string>
  act: Frozen<SignatureAct>
  capacity: Frozen<SignatureCapacity>
  report_id: Frozen<string | null>
  signer_user_id: Frozen<string>
  meaning_text: Frozen<string>
  note: Frozen<string | null>
  printed_name: Frozen<string>
  title: Frozen<string>
  signed_at: Frozen<string>
  signed_at_local: Frozen<string>
  time_zone: Frozen<string>
  /** Canonical JSON of everything the signature covers. */
  manifestation: Frozen<string>
  workflow_instance_id: Frozen<string>
  workflow_sequence: Frozen<number>
}

export interface Database {
  company: CompanyTable
  filer_category: FilerCategoryTable
  user: UserTable
  membership: MembershipTable
  title_assignment: TitleAssignmentTable
  duty: DutyTable
  periodic_report: PeriodicReportTable
  review_body_setting: ReviewBodySettingTable
  report_draft: ReportDraftTable
  material_information_item: MaterialInformationItemTable
  material_amount: MaterialAmountTable
  record_meta: RecordMetaTable
  workflow_instance: WorkflowInstanceTable
  workflow_event: WorkflowEventTable
  chain_checkpoint: ChainCheckpointTable
  workflow_snapshot: WorkflowSnapshotTable
  workflow_event_state: WorkflowEventStateTable
  sign_off: SignOffTable
  signature: SignatureTable
  session: SessionTable
  security_event: SecurityEventTable
  case_message: CaseMessageTable
  case_attachment: CaseAttachmentTable
  case_access_log: CaseAccessLogTable
  anonymous_receipt: AnonymousReceiptTable
  case_addition: CaseAdditionTable
  waiver: WaiverTable
  waiver_disclosure: WaiverDisclosureTable
  outbox_message: OutboxMessageTable
  notification_setting: NotificationSettingTable
  reminder_sent: ReminderSentTable
  notification_digest: NotificationDigestTable
  witness_sent: WitnessSentTable
}

export type Company = Selectable<CompanyTable>
export type NewCompany = Insertable<CompanyTable>
export type FilerCategoryRow = Selectable<FilerCategoryTable>
export type User = Selectable<UserTable>
export type NewUser = Insertable<UserTable>
export type UserUpdate = Updateable<UserTable>
export type Membership = Selectable<MembershipTable>
export type NewMembership = Insertable<MembershipTable>
export type TitleAssignment = Selectable<TitleAssignmentTable>
export type DutyRow = Selectable<DutyTable>
export type PeriodicReport = Selectable<PeriodicReportTable>
export type NewPeriodicReport = Insertable<PeriodicReportTable>
export type ReportDraft = Selectable<ReportDraftTable>
export type NewReportDraft = Insertable<ReportDraftTable>
export type MaterialInformationItem = Selectable<MaterialInformationItemTable>
export type NewMaterialInformationItem = Insertable<MaterialInformationItemTable>
export type MaterialAmount = Selectable<MaterialAmountTable>
export type NewMaterialAmount = Insertable<MaterialAmountTable>
export type WorkflowInstance = Selectable<WorkflowInstanceTable>
export type WorkflowEvent = Selectable<WorkflowEventTable>
export type ChainCheckpoint = Selectable<ChainCheckpointTable>
export type WorkflowSnapshotRow = Selectable<WorkflowSnapshotTable>
export type SignOff = Selectable<SignOffTable>
export type Signature = Selectable<SignatureTable>

export const SESSION_END_REASONS = ['signed_out', 'idle', 'expired'] as const
export type SessionEndReason = (typeof SESSION_END_REASONS)[number]

/**
 * A signed-in browser. The id is the sha-256 of the cookie's token, so the file
 * never holds a usable credential. Rows are ended, never deleted.
 */
export interface SessionTable {
  id: Frozen<string>
  user_id: Frozen<string>
  created_at: Frozen<string>
  last_seen_at: string
  /** Absolute end of life, fixed at sign-in. */
  expires_at: Frozen<string>
  /** When the session stopped being usable (for idle and expired: the moment it lapsed). */
  ended_at: string | null
  ended_reason: SessionEndReason | null
  ip: Frozen<string | null>
  user_agent: Frozen<string | null>
}

export const SECURITY_EVENT_KINDS = [
  'sign_in_failed',
  'sign_in_locked',
  'sign_in_succeeded',
  'signed_out',
  'reauth_failed',
  'reauth_succeeded',
  'cross_site_refused',
  'forbidden',
  'record_cache_mismatch',
] as const
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number]

/** The append-only security log; sign-in lockout is counted from it. */
export interface SecurityEventTable {
  id: FrozenDefault<number>
  occurred_at: Frozen<string>
  kind: Frozen<SecurityEventKind>
  user_id: Frozen<string | null>
  /** Lowercased; kept even when no account has it, so guessing shows in the log. */
  email_attempted: Frozen<string | null>
  ip: Frozen<string | null>
  /** JSON object. */
  detail: FrozenDefault<string>
}

export type SessionRow = Selectable<SessionTable>
export type NewSession = Insertable<SessionTable>
export type SecurityEvent = Selectable<SecurityEventTable>
export type NewSecurityEvent = Insertable<SecurityEventTable>

/** Who wrote on a case: its reporter, or a member of a body acting for it (migration 009). */
export type CaseCapacity = 'reporter' | 'disclosure_committee' | 'audit_committee' | 'chairman' | 'ceo' | 'board'
/** A note (recipients only), a question to the reporter, or the reporter's answer to one. */
export type CaseMessageKind = 'note' | 'question' | 'answer'

/** Written on a case beside its workflow; append-only (migration 009). */
export interface CaseMessageTable {
  id: Frozen<string>
  /** `case/<caseId>` (db/ids.ts). */
  case_instance_id: Frozen<string>
  kind: Frozen<CaseMessageKind>
  /** The question an answer answers; null otherwise. */
  reply_to: Frozen<string | null>
  author_user_id: Frozen<string>
  author_capacity: Frozen<CaseCapacity>
  body: Frozen<string>
  written_at: Frozen<string>
  /** The workflow event it was written with (an acknowledgement's note), if any. */
  workflow_sequence: Frozen<number | null>
}

/** A file attached to a case, stored content-addressed beside the database; append-only. */
export interface CaseAttachmentTable {
  id: Frozen<string>
  case_instance_id: Frozen<string>
  message_id: Frozen<string | null>
  sha256: Frozen<string>
  size_bytes: Frozen<number>
  file_name: Frozen<string>
  uploaded_by: Frozen<string>
  uploaded_at: Frozen<string>
}

/** Every opening of a case page: who, in which capacity, when; append-only. */
export interface CaseAccessLogTable {
  id: FrozenDefault<number>
  case_instance_id: Frozen<string>
  user_id: Frozen<string>
  capacity: Frozen<'recipient' | 'reporter'>
  opened_at: Frozen<string>
}

export type CaseMessage = Selectable<CaseMessageTable>
export type CaseAttachment = Selectable<CaseAttachmentTable>
export type CaseAccessLogRow = Selectable<CaseAccessLogTable>

/** The user that stands for the anonymous channel: authors its reporters' answers, signs no one in (migration 012). */
export const ANONYMOUS_CHANNEL_USER_ID = 'anonymous-channel'

/** How an anonymous reporter comes back to their case: nothing else is kept (migration 012); append-only. */
export interface AnonymousReceiptTable {
  case_instance_id: Frozen<string>
  /** SHA-256 (hex) of the 16-digit receipt key; the key itself is never kept. */
  key_sha256: Frozen<string>
  /** scrypt hash of the passphrase (db/password.ts). */
  passphrase_hash: Frozen<string>
}

/** More information the reporter adds to their matter; author null for the anonymous channel; append-only. */
export interface CaseAdditionTable {
  id: Frozen<string>
  case_instance_id: Frozen<string>
  author_user_id: Frozen<string | null>
  body: Frozen<string>
  written_at: Frozen<string>
}

/** A waiver of a provision of the code for a certifying officer (migration 011); append-only. */
export interface WaiverTable {
  id: Frozen<string>
  company_id: Frozen<string>
  /** The duty waived (1–12), or null for the code as a whole. */
  duty_number: Frozen<number | null>
  officer_user_id: Frozen<string>
  officer_role: Frozen<'ceo' | 'cfo' | 'cao'>
  reason: Frozen<string>
  /** The Board itself, or a committee the Board named (`committee_name`). */
  approver: Frozen<'board' | 'committee'>
  committee_name: Frozen<string | null>
  /** Calendar date, 'YYYY-MM-DD': the Form 8-K count starts here. */
  approved_on: Frozen<string>
  recorded_by: Frozen<string>
  recorded_at: Frozen<string>
}

/** How a waiver was disclosed: Form 8-K Item 5.05 (accession number) or the website (address); one per waiver, append-only. */
export interface WaiverDisclosureTable {
  id: Frozen<string>
  waiver_id: Frozen<string>
  kind: Frozen<'form_8k' | 'website'>
  accession_number: Frozen<string | null>
  website_url: Frozen<string | null>
  disclosed_on: Frozen<string>
  recorded_by: Frozen<string>
  recorded_at: Frozen<string>
}

export type Waiver = Selectable<WaiverTable>
export type WaiverDisclosure = Selectable<WaiverDisclosureTable>

/** Where a mail is on its way (migration 017): 'held' waits for its person's daily digest. */
export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'dead', 'held', 'digested'] as const
export type OutboxState = (typeof OUTBOX_STATES)[number]

/**
 * One mail, written in the transaction of what caused it (migration 017): what it
 * says is frozen; only the delivery columns move (the sender's).
 */
export interface OutboxMessageTable {
  id: FrozenDefault<number>
  /** Also the mail's Message-ID (`<key@hecla-attest>`), so a receiver can drop a repeat. */
  idempotency_key: Frozen<string>
  to_user_id: Frozen<string>
  to_address: Frozen<string>
  kind: Frozen<string>
  subject: Frozen<string>
  body_text: Frozen<string>
  /** JSON `{ filename, contentType, content }` or null. */
  attachment: Frozen<string | null>
  /** The workflow event that caused it, when one did. */
  cause_sequence: Frozen<number | null>
  created_at: Frozen<string>
  state: OutboxState
  attempts: ColumnType<number, number | undefined, number>
  next_attempt_at: string
  /** While 'sending': when the claim lapses and another sender may take it again. */
  lease_until: string | null
  last_error: string | null
  sent_at: string | null
  /** For a 'digested' mail: the digest that carried it. */
  digest_id: number | null
}
export type OutboxMessage = Selectable<OutboxMessageTable>
export type NewOutboxMessage = Insertable<OutboxMessageTable>

export type NotificationMode = 'immediate' | 'digest'
export interface NotificationSettingTable {
  user_id: Frozen<string>
  mode: NotificationMode
  updated_at: string
}

/** One reminder a report, person and day, ever; append-only. */
export interface ReminderSentTable {
  report_id: Frozen<string>
  user_id: Frozen<string>
  day: Frozen<string>
  business_days_left: Frozen<number>
  message_id: Frozen<number>
}

/** One digest a person and day; append-only. */
export interface NotificationDigestTable {
  user_id: Frozen<string>
  day: Frozen<string>
  message_id: Frozen<number>
}

/** The chain heads sent to the Audit Committee chair: one a filing, one a week; append-only. */
export interface WitnessSentTable {
  reason: Frozen<'filing' | 'weekly'>
  period: Frozen<string>
  sequence: Frozen<number>
  message_id: Frozen<number>
}
