// The demo company, from public documents: Hecla Mining Company's Code of Ethics for
// the CEO and Senior Financial Officers and two news releases (Canamex, 2012; La Camorra, 2008). Fixed ids and
// dates, so that every machine seeds the same records. Figures are copied from
// the seeds exactly and kept as decimal strings.
import type { FilerCategory, Form, MaterialAmount, Role } from '../db/schema'

export const DEMO_PASSWORD = 'hecla-demo-2026'

export const company = {
  id: 'company-hecla',
  name: 'Hecla Mining Company',
  ticker: 'HL',
  exchange: 'NYSE',
  headquarters: "6500 N. Mineral Drive, Suite 200, Coeur d'Alene, Idaho 83815, USA",
  time_zone: 'America/Los_Angeles',
  fiscal_year_end: '12-31',
} as const

// The seeds do not state Hecla's filer category; a large accelerated filer is
// assumed for both demo periods (it sets the SEC deadlines: 40 days for a 10-Q, 60 for a 10-K).
export const filerCategories: { id: string; category: FilerCategory; effective_from: string }[] = [
  { id: 'filer-category-2007', category: 'large_accelerated', effective_from: '2007-01-01' },
]

export interface DemoUser {
  id: string
  email: string
  full_name: string
  title: string
  roles: Role[]
}

// Phillips S. Baker, Jr. is named in both releases. The seeds name no one else
// in these roles, so the others take plainly fictional names.
export const users: DemoUser[] = [
  {
    id: 'user-ceo',
    email: 'ceo@hecla.example',
    full_name: 'Phillips S. Baker, Jr.',
    title: 'President and Chief Executive Officer',
    roles: ['ceo', 'disclosure_committee'],
  },
  {
    id: 'user-cfo',
    email: 'cfo@hecla.example',
    full_name: 'Avery Ledger',
    // The title of 2007; seeds/history.ts records the promotion of 2011 (titleChanges).
    title: 'Vice President and Chief Financial Officer',
    roles: ['cfo', 'disclosure_committee'],
  },
  {
    id: 'user-cao',
    email: 'controller@hecla.example',
    full_name: 'Jordan Tally',
    title: 'Chief Accounting Officer and Controller',
    roles: ['cao', 'disclosure_committee'],
  },
  {
    id: 'user-disclosure-chair',
    email: 'disclosure@hecla.example',
    full_name: 'Quinn Footnote',
    title: 'General Counsel, Chair of the Disclosure Committee',
    roles: ['disclosure_committee'],
  },
  {
    id: 'user-chairman',
    email: 'chairman@hecla.example',
    full_name: 'Robin Gavel',
    title: 'Chairman of the Board',
    roles: ['chairman', 'director'],
  },
  {
    id: 'user-audit-chair',
    email: 'audit.chair@hecla.example',
    full_name: 'Morgan Oversight',
    title: 'Director, Chair of the Audit Committee',
    roles: ['audit_committee_chair', 'audit_committee_member', 'director'],
  },
  {
    id: 'user-audit-member',
    email: 'audit.member@hecla.example',
    full_name: 'Taylor Quorum',
    title: 'Director, Audit Committee member',
    roles: ['audit_committee_member', 'director'],
  },
  {
    id: 'user-internal-auditor',
    email: 'internal.audit@hecla.example',
    full_name: 'Casey Sample',
    title: 'Director of Internal Audit',
    roles: ['internal_auditor'],
  },
  {
    id: 'user-independent-auditor',
    email: 'auditor@hecla.example',
    full_name: 'Jamie Tickmark',
    title: 'Engagement Partner, Example & Co. LLP (independent auditors)',
    roles: ['independent_auditor'],
  },
  {
    id: 'user-admin',
    email: 'admin@hecla.example',
    full_name: 'Alex Registrar',
    title: 'Compliance Administrator',
    roles: ['administrator'],
  },
]

// Titles change; the history shows the one held on the day (migration 016). The
// CFO signed the 2008 10-Q as a Vice President and signs the 2012 10-K as a Senior
// Vice President (a fictional promotion, to show a change in the demo's history).
export const titleChanges = [
  {
    userId: 'user-cfo',
    title: 'Senior Vice President and Chief Financial Officer',
    effectiveFrom: '2011-06-01',
    recordedAt: '2011-06-01T16:00:00.000Z',
  },
] as const

// Who signs for each reviewing body: its chair, by default (the seeds name no
// rule; issue 8's default). The Disclosure Committee's chair is the General Counsel.
export const reviewBodySettings = [
  { body: 'disclosure_committee', signer_rule: 'chair', chair_user_id: 'user-disclosure-chair' },
  { body: 'audit_committee', signer_rule: 'chair', chair_user_id: 'user-audit-chair' },
] as const

export interface DemoReport {
  id: string
  form: Form
  fiscal_year: number
  fiscal_quarter: number | null
  period_end: string
  drafts: { id: string; version: number; file_name: string; content: string; uploaded_by: string; uploaded_at: string }[]
  items: {
    id: string
    title: string
    description: string
    source: string
    source_date: string | null
    recorded_at: string
    amounts: Pick<MaterialAmount, 'label' | 'value' | 'unit'>[]
  }[]
}

const RUSORO_ARTICLE = 'Article on the sale of La Camorra to Rusoro Mining, 2008'
const CANAMEX_RELEASE = 'News release, 19 November 2012: Hecla acquires interest in Canamex Resources Corp.'

export const reports: DemoReport[] = [
  {
    id: 'report-2008-q2',
    form: '10-Q',
    fiscal_year: 2008,
    fiscal_quarter: 2,
    period_end: '2008-06-30',
    drafts: [
      {
        id: 'draft-2008-q2-v1',
        version: 1,
        file_name: 'hecla-10q-2008-q2-draft-1.txt',
        content: 'Hecla Mining Company, Form 10-Q for the quarter ended June 30, 2008. Draft 1.\n',
        uploaded_by: 'user-cao',
        uploaded_at: '2008-07-21T16:00:00.000Z',
      },
      {
        id: 'draft-2008-q2-v2',
        version: 2,
        file_name: 'hecla-10q-2008-q2-draft-2.txt',
        content:
          'Hecla Mining Company, Form 10-Q for the quarter ended June 30, 2008. Draft 2, with the sale of the Venezuelan subsidiaries.\n',
        uploaded_by: 'user-cao',
        uploaded_at: '2008-07-30T16:00:00.000Z',
      },
    ],
    items: [
      {
        id: 'item-2008-q2-rusoro-sale',
        title: 'Sale of the Venezuelan subsidiaries (La Camorra) to Rusoro Mining',
        description:
          'Hecla agreed to sell its Venezuelan subsidiaries to Rusoro Mining for $20 million in cash and 4,273,504 shares of Rusoro common stock.',
        source: RUSORO_ARTICLE,
        source_date: null,
        recorded_at: '2008-07-15T17:00:00.000Z',
        amounts: [
          { label: 'Cash consideration', value: '20000000', unit: 'USD' },
          { label: 'Rusoro common shares received', value: '4273504', unit: 'shares' },
        ],
      },
      {
        id: 'item-2008-q2-fx-loss',
        title: 'Foreign-exchange loss on repatriation of cash from Venezuela',
        description:
          'Before the sale Hecla repatriated approximately $39 million in cash, which generated a $14 million foreign-exchange loss, to be reported in second-quarter results.',
        source: RUSORO_ARTICLE,
        source_date: null,
        recorded_at: '2008-07-15T17:05:00.000Z',
        amounts: [
          { label: 'Cash repatriated (approximately)', value: '39000000', unit: 'USD' },
          { label: 'Foreign-exchange loss', value: '14000000', unit: 'USD' },
        ],
      },
      {
        id: 'item-2008-q2-loss-on-sale',
        title: 'Expected pre-tax loss on the sale',
        description:
          'Hecla carries the Venezuelan properties at a book value of $39 million; the sale is expected to result in a pre-tax loss in the range of $10 million to $12 million.',
        source: RUSORO_ARTICLE,
        source_date: null,
        recorded_at: '2008-07-15T17:10:00.000Z',
        amounts: [
          { label: 'Book value of the Venezuelan properties', value: '39000000', unit: 'USD' },
          { label: 'Expected pre-tax loss, low', value: '10000000', unit: 'USD' },
          { label: 'Expected pre-tax loss, high', value: '12000000', unit: 'USD' },
        ],
      },
      {
        id: 'item-2008-q2-gold-guidance',
        title: 'Gold production guidance reduced',
        description:
          "The sale of the La Camorra unit reduces Hecla's gold production this year to 70,000 ounces, against the earlier guidance of 115,000 ounces.",
        source: RUSORO_ARTICLE,
        source_date: null,
        recorded_at: '2008-07-15T17:15:00.000Z',
        amounts: [
          { label: 'Earlier gold production guidance', value: '115000', unit: 'oz' },
          { label: 'Revised gold production', value: '70000', unit: 'oz' },
        ],
      },
      {
        id: 'item-2008-q2-concession-reversion',
        title: 'La Camorra mill and concession may revert to the Venezuelan State',
        description:
          'Both parties anticipate that the La Camorra mill and concession may revert to the Venezuelan State on or about January 1, 2009.',
        source: RUSORO_ARTICLE,
        source_date: null,
        recorded_at: '2008-07-15T17:20:00.000Z',
        amounts: [],
      },
      {
        id: 'item-2008-q2-isidora-mediation',
        title: 'Government mediation of a labour dispute at the Isidora mine',
        description:
          'The Venezuelan Government announced on June 3, 2008, that it would mediate between workers and Hecla management in a dispute over working conditions at the Isidora gold mine.',
        source: RUSORO_ARTICLE,
        source_date: null,
        recorded_at: '2008-07-15T17:25:00.000Z',
        amounts: [],
      },
    ],
  },
  {
    id: 'report-2012-fy',
    form: '10-K',
    fiscal_year: 2012,
    fiscal_quarter: null,
    period_end: '2012-12-31',
    drafts: [
      {
        id: 'draft-2012-fy-v1',
        version: 1,
        file_name: 'hecla-10k-2012-draft-1.txt',
        content: 'Hecla Mining Company, Form 10-K for the fiscal year ended December 31, 2012. Draft 1.\n',
        uploaded_by: 'user-cao',
        uploaded_at: '2013-02-11T17:00:00.000Z',
      },
    ],
    items: [
      {
        id: 'item-2012-fy-canamex',
        title: 'Investment in Canamex Resources Corp.',
        description:
          'A wholly owned Canadian subsidiary of Hecla subscribed for 14,000,000 common shares of Canamex Resources Corp. at $0.18 per share, for total gross proceeds to Canamex of $2,520,000, about 15% of its outstanding common shares, with the right to appoint one representative to its Board of Directors; subject to approval by the TSX Venture Exchange.',
        source: CANAMEX_RELEASE,
        source_date: '2012-11-19',
        recorded_at: '2012-11-19T20:00:00.000Z',
        amounts: [
          { label: 'Canamex common shares', value: '14000000', unit: 'shares' },
          { label: 'Price per share', value: '0.18', unit: 'USD_per_share' },
          { label: 'Total gross proceeds to Canamex', value: '2520000', unit: 'USD' },
          { label: 'Share of outstanding Canamex common shares (approximately)', value: '15', unit: 'percent' },
        ],
      },
    ],
  },
]
