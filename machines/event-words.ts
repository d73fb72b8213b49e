// What each kind of workflow event means, in the words of the people who read the
// history (the audit committee, an outside auditor): the timeline and its filter
// say "signed the duty", never `duty.sign`. One line a kind, for every event any
// registered machine accepts (machines/event-words.test.ts holds the list complete).

export const EVENT_WORDS: Readonly<Record<string, string>> = {
  'duty.start': 'began the duty’s review with the first answers',
  'duty.answer': 'recorded answers',
  'duty.raiseException': 'raised an exception, with its case',
  'duty.exceptionAcknowledged': 'the exception’s case was acknowledged by every recipient',
  'duty.confirm': 'confirmed the answers',
  'duty.sign': 'signed the duty',
  'duty.reopen': 'reopened the sign-off',
  'duty.newDraft': 'a new draft of the report was registered',
  'duty.reportApproved': 'the report was approved for filing',
  'duty.lock': 'locked when the report was filed',
  'report.registerDraft': 'registered a draft of the report',
  'report.beginCertification': 'began certification',
  'report.submitForReview': 'sent to the committees once every duty was signed',
  'report.disclosureCommitteeApprove': 'the Disclosure Committee’s approval, signed',
  'report.auditCommitteeReview': 'the Audit Committee’s review, signed',
  'report.sendBack': 'sent back to the officers',
  'report.reopenCertification': 'certification reopened',
  'report.approveForFiling': 'approval for filing, signed',
  'report.notifyLateFiling': 'recorded a notice of late filing (Form 12b-25)',
  'report.file': 'recorded the filing with the SEC',
  'report.lock': 'locked after filing',
  'case.route': 'a reported matter was routed to its recipients',
  'case.acknowledge': 'acknowledged the reported matter for a receiving body',
  'case.resolve': 'resolved the reported matter',
  'case.refer': 'referred the matter to the Board for a determination',
  'determination.recordFactors': 'recorded the facts and factors of the determination',
  'determination.decide': 'recorded the Board’s determination',
  'determination.sign': 'signed the Board’s determination',
  'determination.giveNotice': 'gave written notice to the individual',
  'determination.acknowledgeNotice': 'the individual acknowledged the written notice',
  'determination.close': 'closed the determination',
  // Never on the timeline (db/queries/history.ts leaves them out); named for verify's and the bundle's readers.
  'row.kept': 'a note, file, addition, access or register entry was sealed into the record',
}

/** Kinds that bind rows beside the workflows to the chain: no history page lists them (ADR 025). */
export const UNLISTED_EVENT_KINDS: ReadonlySet<string> = new Set(['row.kept'])

/** The words for an event's kind; a kind without words (none should be) shows as it is stored. */
export function eventWords(eventType: string): string {
  return EVENT_WORDS[eventType] ?? eventType
}

/** The kinds in the order above, for a filter's choices. */
export const EVENT_KINDS: readonly string[] = Object.keys(EVENT_WORDS).filter((kind) => !UNLISTED_EVENT_KINDS.has(kind))
