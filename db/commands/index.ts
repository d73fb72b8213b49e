// Every command, one module per workflow. Each is one transaction of the record's
// write path; routes and seeds call these, and nothing else writes workflow state.
export { acknowledgeCase, decideCase, logCaseOpening, reportCase, writeCaseMessage, type NewCaseMessage, type NewCaseRequest } from './case'
export {
  acknowledgeDeterminationNotice,
  closeDetermination,
  findPriorViolations,
  giveDeterminationNotice,
  recordDetermination,
  signDetermination,
  type WeighedFactors,
} from './determination'
export { ANONYMOUS_ACTOR, addCaseInformation, reportAnonymously, reportMatter, type StoredCaseFile } from './reporting'
export { sendDutyEvent, sendDutyEvents, signDuty, type DutyEventRequest } from './duty'
export {
  approveForFiling,
  beginCertification,
  fileReport,
  recordLateFilingNotice,
  registerDraft,
  sendReportBack,
  signCommitteeStep,
  startAmendment,
} from './report'
export { changeMembership, changeTitle } from './people'
export { SYSTEM } from './shared'
export { recordWaiver, recordWaiverDisclosure } from './waiver'
export { saveNotificationSetting } from './notifications'
