// The twelve duties of Hecla Mining Company's Code of Ethics for the CEO and
// Senior Financial Officers. `text` is the seed's own words, verbatim except that
// runs of white space (the seed has a page break inside duty 4) are one space;
// tests/seeds/duty-text.test.ts pins every text by the SHA-256 of the source paragraph.

export const DUTY_KINDS = ['report', 'enforcement', 'pre_filing'] as const
export type DutyKind = (typeof DUTY_KINDS)[number]

/** Who a duty sends things to. `chairman_or_ceo` is resolved per case by the routing rule. */
export const RECIPIENTS = [
  'disclosure_committee',
  'audit_committee',
  'chairman_or_ceo',
  'board',
  'internal_auditor',
  'independent_auditor',
] as const
export type Recipient = (typeof RECIPIENTS)[number]

export type DutyNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12

export interface Duty {
  number: DutyNumber
  kind: DutyKind
  title: string
  gist: string
  text: string
  recipients: readonly Recipient[]
  /** A sign-off on this duty is about one draft: a newer draft reopens it (duties 6, 10, 12). */
  boundToDraft: boolean
}

export const DUTIES: readonly Duty[] = [
  {
    number: 1,
    kind: 'report',
    title: 'Material information',
    gist: 'Bring material information affecting disclosures to the Disclosure Committee',
    text: 'The CEO and Senior Financial Officers are responsible for full, fair, accurate, timely and understandable disclosure in the periodic reports, which are required to be filed by the Company with the SEC. Accordingly, it is the responsibility of the CEO and each Senior Financial Officer promptly to bring to the attention of the Disclosure Committee any material information of which he or she may become aware that affects the disclosures made by the company in its public filings or otherwise assist the Disclosure Committee in fulfilling its responsibilities.',
    recipients: ['disclosure_committee'],
    boundToDraft: false,
  },
  {
    number: 2,
    kind: 'report',
    title: 'Internal-control deficiencies and fraud',
    gist: 'Bring significant internal-control deficiencies and any fraud to the Disclosure Committee and the Audit Committee',
    text: 'The CEO and each Senior Financial Officer shall promptly bring to the attention of the Disclosure Committee and the Audit committee any information he or she may have concerning (a) significant deficiencies in the design or operation of internal controls which could adversely affect the Company’s ability to record, process, summarize and report financial data or (b) any fraud, whether or not material, that involves management or other employees who have a significant role in the Company’s financial reporting, disclosures or internal controls.',
    recipients: ['disclosure_committee', 'audit_committee'],
    boundToDraft: false,
  },
  {
    number: 3,
    kind: 'report',
    title: 'Code violations and conflicts of interest',
    gist: 'Bring violations of the Code of Business Conduct and Ethics to the Chairman of the Board or the CEO, and the Audit Committee',
    text: 'The CEO and each Senior Financial Officer shall promptly bring to the attention of the Chairman of the Board or the CEO and to the Audit Committee any information he or she may have concerning any violation of the Company’s Code of Business Conduct and Ethics, including any actual or apparent conflicts of interest between personal and professional relationships, involving any management or other employees who have a significant role in the company’s financial reporting, disclosures or internal controls.',
    recipients: ['chairman_or_ceo', 'audit_committee'],
    boundToDraft: false,
  },
  {
    number: 4,
    kind: 'report',
    title: 'Securities-law violations',
    gist: 'Bring evidence of material violations of law or of the codes to the Chairman of the Board or the CEO, and the Audit Committee',
    text: 'The CEO and each Senior Financial Officer shall promptly bring to the attention of the Chairman of the Board or the CEO and to the Audit Committee any information he or she may have concerning evidence of a material violation of the securities or other laws, rules or regulations applicable to the Company and the operation of its business, by the Company or any agent thereof, or of violation of the Code of Business Conduct and Ethics or of these additional procedures.',
    recipients: ['chairman_or_ceo', 'audit_committee'],
    boundToDraft: false,
  },
  {
    number: 5,
    kind: 'enforcement',
    title: 'Board determination of violations',
    gist: 'The Board of Directors determines the actions to be taken for violations',
    text: "The Board of Directors shall determine, or designate appropriate persons to determine, appropriate actions to be taken in the event of violations of the Code of Business Conduct and Ethics or of these additional procedures by the CEO and the Company's Senior Financial Officers. Such actions shall be reasonably designed to deter wrongdoing and to promote accountability for adherence to the Code of Business Conduct and Ethics and to these additional procedures, and shall include written notices to the individual involved that the Board has determined that there has been a violation, censure by the Board, demotion or re-assignment of the individual involved, suspension with or without pay or benefits (as determined by the Board) and termination of the individual's employment. In determining what action is appropriate in a particular case, the Board of Directors or such designee shall take into account all relevant information, including the nature and severity of the violation, whether the violation was a single occurrence or repeated occurrences, whether the violation appears to have been intentional or inadvertent, whether the individual in question had been advised prior to the violation as to the proper course of action and whether or not the individual in question had committed other violations in the past.",
    recipients: ['board'],
    boundToDraft: false,
  },
  {
    number: 6,
    kind: 'pre_filing',
    title: 'Review of the draft',
    gist: 'Review the draft of the periodic report for accuracy and completeness',
    text: 'The CEO and each Senior Financial Officer shall carefully review a draft of each periodic report for accuracy and completeness before it is filed with the SEC.',
    recipients: [],
    boundToDraft: true,
  },
  {
    number: 7,
    kind: 'pre_filing',
    title: 'Systems for recording transactions',
    gist: 'Systems and procedures that record transactions per GAAP, company policy and regulatory guidance',
    text: "Establish appropriate systems and procedures to ensure that business transactions are recorded on the Company's books in accordance with Generally Accepted Accounting Principles, established company policy, and appropriate regulatory pronouncements and guidelines.",
    recipients: [],
    boundToDraft: false,
  },
  {
    number: 8,
    kind: 'pre_filing',
    title: 'Protection and retention of records',
    gist: 'Policies and procedures protecting and retaining accounting records',
    text: 'Establish appropriate policies and procedures for the protection and retention of accounting records and information as required by applicable law, regulation, or regulatory guidelines.',
    recipients: [],
    boundToDraft: false,
  },
  {
    number: 9,
    kind: 'pre_filing',
    title: 'Disclosure controls and procedures',
    gist: 'Disclosure and financial accounting controls and procedures',
    text: 'Establish and administer disclosure and financial accounting controls and procedures that are appropriate to ensure the integrity of the financial reporting process and the availability of timely, relevant information for the safe, sound and profitable operation of the Company and to ensure that material information is included in each periodic report during the period in which the periodic report is being prepared.',
    recipients: [],
    boundToDraft: false,
  },
  {
    number: 10,
    kind: 'pre_filing',
    title: 'Meetings on the draft',
    gist: 'Meet senior management, division heads and accounting staff about their comments on the draft',
    text: 'Meeting with members of senior management, division heads, accounting staff and others involved in the disclosure process to discuss their comments on the draft periodic reports.',
    recipients: [],
    boundToDraft: true,
  },
  {
    number: 11,
    kind: 'pre_filing',
    title: 'Consultation with the Audit Committee',
    gist: 'Consult the Audit Committee on weaknesses or concerns with internal controls',
    text: 'Consult with the Audit Committee to determine whether the Audit Committee has identified any weaknesses or concerns with respect to internal controls.',
    recipients: ['audit_committee'],
    boundToDraft: false,
  },
  {
    number: 12,
    kind: 'pre_filing',
    title: "Auditors' confirmations",
    gist: 'Confirm that neither the internal auditor nor the independent auditors know of material misstatements or omissions, or have MD&A concerns',
    text: "Confirm that neither the Company's internal auditor nor its independent auditors are aware of any material misstatements or omissions in the draft periodic reports, or have any concerns about the management's discussion and analysis section of the periodic reports.",
    recipients: ['internal_auditor', 'independent_auditor'],
    boundToDraft: true,
  },
]

export function dutyByNumber(n: number): Duty {
  const duty = DUTIES.find((d) => d.number === n)
  if (!duty) throw new Error(`No duty ${n} in the Code of Ethics (there are twelve)`)
  return duty
}
