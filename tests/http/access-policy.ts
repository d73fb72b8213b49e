// Issue 12, "Access": who may open what, written once, in the domain's words,
// without asking the app's own permission functions (a table that asked them
// could not disagree with them). tests/http/access.http.test.ts walks every route
// of the build × every person of the demo company × own/other records and
// checks each answer against this table; a route missing here fails that test.

export const PEOPLE = {
  ceo: 'ceo@hecla.example',
  cfo: 'cfo@hecla.example',
  cao: 'controller@hecla.example',
  disclosureChair: 'disclosure@hecla.example',
  chairman: 'chairman@hecla.example',
  auditChair: 'audit.chair@hecla.example',
  auditMember: 'audit.member@hecla.example',
  internalAuditor: 'internal.audit@hecla.example',
  independentAuditor: 'auditor@hecla.example',
  administrator: 'admin@hecla.example',
} as const
export type Person = keyof typeof PEOPLE
/** Everyone the walk tries: each demo person, and a visitor with no session. */
export type Visitor = Person | 'visitor'
export const VISITORS: readonly Visitor[] = ['visitor', ...(Object.keys(PEOPLE) as Person[])]

/**
 * What a request may come to:
 * - `page`: served (2xx);
 * - `sign-in`: a visitor without a session is sent to sign in;
 * - `refused`: 403, the person's role does not allow it;
 * - `unknown`: 404, which also answers for a record that exists but is not theirs to
 *   see, so that its existence is not told (reported matters);
 * - `elsewhere`: a redirect to another page (e.g. /login when already signed in);
 * - `input-refused` (actions): the person may act here, and the empty submission is
 *   refused for what it lacks (400, 409, 422, or 429 where the channel is rate-limited).
 */
export type Outcome = 'page' | 'sign-in' | 'refused' | 'unknown' | 'elsewhere' | 'input-refused'

const OFFICERS: readonly Person[] = ['ceo', 'cfo', 'cao']
// The Disclosure Committee: the three officers (the seed's roles) and its chair, the General Counsel.
const DISCLOSURE_COMMITTEE: readonly Person[] = ['ceo', 'cfo', 'cao', 'disclosureChair']
const AUDIT_COMMITTEE: readonly Person[] = ['auditChair', 'auditMember']
const DIRECTORS: readonly Person[] = ['chairman', 'auditChair', 'auditMember']
// Who reads a report page: the officers and the bodies that review their sign-offs.
const REPORT_READERS: readonly Person[] = [...DISCLOSURE_COMMITTEE, 'chairman', ...AUDIT_COMMITTEE]
// History readers who read everyone's (an officer on the Disclosure Committee still reads only their own).
const WHOLE_HISTORY_READERS: readonly Person[] = ['disclosureChair', 'chairman', ...AUDIT_COMMITTEE]
const REPORT_KEEPERS: readonly Person[] = ['administrator', 'cao']

/** A concrete request of the walk: an address, and whose record it is about (for "own/other"). */
export interface Sample {
  label: string
  address: string
  /** The person whose record this is, when it is one person's. */
  owner?: Person
}

export interface RoutePolicy {
  /** Addresses to try; they may use the ids the test reads from the seeded file. */
  samples: (ids: SeedIds) => Sample[]
  get?: (who: Visitor, sample: Sample) => Outcome
  /** An empty POST from this origin; undefined when the route has no action. */
  post?: (who: Visitor, sample: Sample) => Outcome
  /** Why a route's action is left out of the walk, when it is (and where it is tested instead). */
  postNotWalked?: string
}

export interface SeedIds {
  cfoSignOff: string
  ceoSignOff: string
  cfoSignature: string
  auditChairSignature: string
  draft: string
}

const signedIn =
  (allowed: readonly Person[] | 'everyone', otherwise: Outcome = 'refused') =>
  (who: Visitor): Outcome => {
    if (who === 'visitor') return 'sign-in'
    return allowed === 'everyone' || allowed.includes(who) ? 'page' : otherwise
  }
const acting =
  (allowed: readonly Person[] | 'everyone', otherwise: Outcome = 'refused') =>
  (who: Visitor): Outcome => {
    if (who === 'visitor') return 'sign-in'
    return allowed === 'everyone' || allowed.includes(who) ? 'input-refused' : otherwise
  }
/** A history page about one person's record: readers of everyone's, and that person if an officer. */
const historyOf = (who: Visitor, sample: Sample): Outcome => {
  if (who === 'visitor') return 'sign-in'
  if (WHOLE_HISTORY_READERS.includes(who)) return 'page'
  if (OFFICERS.includes(who)) return sample.owner === undefined || sample.owner === who ? 'page' : 'refused'
  return 'refused'
}
const one = (address: string, label = address): Sample[] => [{ label, address }]

// A reported matter is seen by its reporter and the members of the bodies it is
// with, never by its subject (docs/decisions/013); anyone else gets the same 404
// as for a case that does not exist.
const CASES: { id: string; seenBy: readonly Person[]; why: string }[] = [
  {
    id: 'case-2012-canamex',
    seenBy: DISCLOSURE_COMMITTEE,
    why: 'duty 1, reported by the CFO: the Disclosure Committee',
  },
  {
    id: 'case-2008-q2-fx-close-control',
    seenBy: [...DISCLOSURE_COMMITTEE, ...AUDIT_COMMITTEE],
    why: 'duty 2, reported by the CFO: the Disclosure Committee and the Audit Committee',
  },
  {
    id: 'case-2009-supplier-relative',
    seenBy: ['cfo', 'ceo', ...AUDIT_COMMITTEE, ...DIRECTORS],
    why: 'duty 3 about the CAO, reported by the CFO: the CEO and the Audit Committee, then the Board; never the CAO',
  },
  { id: 'case-unknown', seenBy: [], why: 'no such case' },
]
const caseSamples = (suffix = ''): Sample[] => CASES.map((c) => ({ label: `${c.id} (${c.why})`, address: `/cases/${c.id}${suffix}` }))
const seenByOf = (sample: Sample) => CASES.find((c) => sample.address.startsWith(`/cases/${c.id}`))!.seenBy
const caseOutcome =
  (allowedOutcome: Outcome) =>
  (who: Visitor, sample: Sample): Outcome => {
    if (who === 'visitor') return 'sign-in'
    return seenByOf(sample).includes(who) ? allowedOutcome : 'unknown'
  }

// Referred to the Board in the demo: the 2009 matter about the CAO/Controller, reported by the CFO.
const BEFORE_THE_BOARD: Record<string, { subject: Person | null; reporter: Person }> = {
  'case-2009-supplier-relative': { subject: 'cao', reporter: 'cfo' },
}
function determinationOutcome(who: Visitor, sample: Sample, allowed: Outcome): Outcome {
  if (who === 'visitor') return 'sign-in'
  if (!DIRECTORS.includes(who)) return 'refused'
  const matter = Object.entries(BEFORE_THE_BOARD).find(([id]) => sample.address.startsWith(`/cases/${id}/`))?.[1]
  if (!matter || matter.subject === who || matter.reporter === who) return 'unknown'
  return allowed
}
const NOTICES: Sample[] = [
  { label: 'the notice of the 2009 violation, to the CAO/Controller', address: '/notices/case-2009-supplier-relative', owner: 'cao' },
  { label: 'a matter with no notice (duty 1)', address: '/notices/case-2012-canamex' },
  { label: 'no such matter', address: '/notices/case-unknown' },
]
function noticeOutcome(who: Visitor, sample: Sample, allowed: Outcome): Outcome {
  if (who === 'visitor') return 'sign-in'
  return sample.owner === who ? allowed : 'unknown'
}

export const ACCESS_POLICY: Record<string, RoutePolicy> = {
  'routes/_index': { samples: () => one('/'), get: signedIn('everyone') },
  // The benchmark's floor (bench/pages.ts): the same access as the dashboard.
  'routes/bench.baseline': { samples: () => one('/bench/baseline'), get: signedIn('everyone') },
  'routes/$': {
    samples: () => one('/no/such/page'),
    get: () => 'unknown',
    post: () => 'unknown',
  },
  'routes/healthz': { samples: () => one('/healthz'), get: () => 'page' },
  'routes/login': {
    samples: () => one('/login'),
    // Signed in already, the sign-in page sends the person on.
    get: (who) => (who === 'visitor' ? 'page' : 'elsewhere'),
    // An empty sign-in is refused for what it lacks; signed in already, the person is sent on.
    post: (who) => (who === 'visitor' ? 'input-refused' : 'elsewhere'),
  },
  'routes/logout': {
    samples: () => one('/logout'),
    get: (who) => (who === 'visitor' ? 'elsewhere' : 'elsewhere'),
    postNotWalked: 'a POST ends the session the walk goes on with; tests/http/auth.http.test.ts signs out and tries the cookie again',
  },
  // The anonymous channel is open to anyone, with or without an account.
  'routes/anonymous._index': { samples: () => one('/anonymous'), get: () => 'page', post: () => 'input-refused' },
  'routes/anonymous.follow-up': { samples: () => one('/anonymous/follow-up'), post: () => 'input-refused' },

  'routes/admin.committee-signers': {
    samples: () => one('/admin/committee-signers'),
    get: signedIn(['administrator']),
    post: acting(['administrator']),
  },
  // The outbox's mails carry no matter's text (docs/decisions/020): the administrator reads them all.
  'routes/admin.outbox': { samples: () => one('/admin/outbox'), get: signedIn(['administrator']) },
  // People, their titles and roles over time: kept by the administrator (docs/decisions/019).
  'routes/admin.people': { samples: () => one('/admin/people'), get: signedIn(['administrator']), post: acting(['administrator']) },
  // Each person's own choice of immediate mail or a daily digest; whose comes from the session.
  'routes/settings.notifications': {
    samples: () => one('/settings/notifications'),
    get: signedIn('everyone'),
    post: acting('everyone'),
  },
  'routes/admin.reports.new': {
    samples: () => one('/admin/reports/new'),
    get: signedIn(REPORT_KEEPERS),
    post: acting(REPORT_KEEPERS),
  },
  'routes/admin.reports.$reportId.drafts': {
    samples: () => one('/admin/reports/report-2012-fy/drafts'),
    get: signedIn(REPORT_KEEPERS),
    post: acting(REPORT_KEEPERS),
  },

  'routes/reports.$reportId': { samples: () => one('/reports/report-2012-fy'), get: signedIn(REPORT_READERS) },
  'routes/reports.$reportId_.drafts.$draftId': {
    samples: (ids) => one(`/reports/report-2012-fy/drafts/${ids.draft}`, 'the 10-K’s draft'),
    get: signedIn(REPORT_READERS),
  },
  // Each officer's own duty workflow: who it is for comes from the session, so "another's" has no address.
  'routes/reports.$reportId_.duties.$dutyNumber': {
    samples: () => one('/reports/report-2012-fy/duties/6'),
    get: signedIn(OFFICERS),
    post: acting(OFFICERS),
  },
  'routes/reports.$reportId_.filing': {
    samples: () => one('/reports/report-2012-fy/filing'),
    get: signedIn([...REPORT_READERS, 'administrator']),
    post: acting([...REPORT_READERS, 'administrator']),
  },
  'routes/reports.$reportId_.history': { samples: () => one('/reports/report-2012-fy/history'), get: historyOf },
  // The packet and the bundle hold every officer's sign-offs: not for an officer (docs/decisions/018).
  'routes/reports.$reportId_.packet[.pdf]': {
    samples: () => one('/reports/report-2012-fy/packet.pdf'),
    get: signedIn(WHOLE_HISTORY_READERS),
  },
  'routes/reports.$reportId_.bundle[.json]': {
    samples: () => one('/reports/report-2012-fy/bundle.json'),
    get: signedIn(WHOLE_HISTORY_READERS),
  },
  'routes/history.bundle[.json]': { samples: () => one('/history/bundle.json'), get: signedIn(WHOLE_HISTORY_READERS) },

  'routes/history._index': { samples: () => one('/history'), get: historyOf },
  'routes/history.csv': { samples: () => one('/history/csv'), get: historyOf },
  'routes/history.verify': { samples: () => one('/history/verify'), get: historyOf },
  'routes/history.compare': {
    samples: () => [
      {
        label: 'the CFO’s answers, 2008 Q2 against FY2012',
        address: '/history/compare?officer=user-cfo&from=report-2008-q2&to=report-2012-fy',
        owner: 'cfo',
      },
      {
        label: 'the CEO’s answers, 2008 Q2 against FY2012',
        address: '/history/compare?officer=user-ceo&from=report-2008-q2&to=report-2012-fy',
        owner: 'ceo',
      },
    ],
    get: historyOf,
  },
  'routes/history.sign-offs.$signOffId': {
    samples: (ids) => [
      { label: 'a sign-off of the CFO', address: `/history/sign-offs/${ids.cfoSignOff}`, owner: 'cfo' },
      { label: 'a sign-off of the CEO', address: `/history/sign-offs/${ids.ceoSignOff}`, owner: 'ceo' },
    ],
    get: historyOf,
  },
  'routes/receipts.$signatureId': {
    samples: (ids) => [
      { label: 'the CFO’s approval for filing', address: `/receipts/${ids.cfoSignature}`, owner: 'cfo' },
      { label: 'the Audit Committee’s review', address: `/receipts/${ids.auditChairSignature}`, owner: 'auditChair' },
    ],
    get: historyOf,
  },

  // Anyone signed in may report a matter and follow their own reports; the inbox is
  // for the members of the bodies that receive matters (the administrator and the
  // auditors receive none).
  'routes/cases._index': { samples: () => one('/cases'), get: signedIn([...DISCLOSURE_COMMITTEE, 'chairman', ...AUDIT_COMMITTEE]) },
  'routes/cases.mine': { samples: () => one('/cases/mine'), get: signedIn('everyone'), post: acting('everyone') },
  'routes/cases.new': { samples: () => one('/cases/new'), get: signedIn('everyone'), post: acting('everyone') },
  'routes/cases.$caseId': { samples: () => caseSamples(), get: caseOutcome('page'), post: caseOutcome('input-refused') },
  'routes/cases.$caseId_.files.$fileId': {
    // No attachment is seeded: for everyone who sees the case the file is unknown, for the rest the case is.
    samples: () => caseSamples('/files/file-unknown'),
    get: (who) => (who === 'visitor' ? 'sign-in' : 'unknown'),
  },

  // The Board's determination of a matter referred to it (duty 5): its directors, never
  // the subject nor the reporter among them (docs/decisions/017); anyone who is not a
  // director is refused outright; a matter not before the Board is unknown to all.
  'routes/cases.$caseId_.determination': {
    samples: () => caseSamples('/determination'),
    get: (who, sample) => determinationOutcome(who, sample, 'page'),
    post: (who, sample) => determinationOutcome(who, sample, 'input-refused'),
  },
  // The written notice is the individual's alone, once the Board has given it: the
  // demo's 2009 violation by the CAO/Controller (its notice given and acknowledged).
  'routes/notices.$caseId': {
    samples: () => NOTICES,
    get: (who, sample) => noticeOutcome(who, sample, 'page'),
    // Acknowledged already in the demo: the CAO's second acknowledgement is refused for that.
    post: (who, sample) => noticeOutcome(who, sample, 'input-refused'),
  },
  'routes/notices.$caseId[.pdf]': {
    samples: () => NOTICES.map((n) => ({ ...n, address: `${n.address}.pdf` })),
    get: (who, sample) => noticeOutcome(who, sample, 'page'),
  },

  // The register's whole for the Board, the Audit Committee and its keeper; an officer reads their own waivers.
  'routes/waivers': {
    samples: () => one('/waivers'),
    get: signedIn([...OFFICERS, ...DIRECTORS, 'administrator']),
    post: (who) => {
      if (who === 'visitor') return 'sign-in'
      return who === 'administrator' ? 'input-refused' : 'refused'
    },
  },
}
