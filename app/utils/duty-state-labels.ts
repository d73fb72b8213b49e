// Plain words for a duty review's state, as the officers' pages show it.
export const DUTY_STATE_LABELS: Record<string, string> = {
  notStarted: 'Not started',
  inProgress: 'In progress',
  'answered.noException': 'Answered',
  'answered.exceptionRaised': 'Exception raised',
  readyToSign: 'Ready to sign',
  signed: 'Signed',
  locked: 'Locked',
}

export function dutyStateLabel(path: string): string {
  return DUTY_STATE_LABELS[path] ?? path
}

/** What a duty not started waits for, now that the first answers start the review (no separate start). */
export function notStartedWords(officerTitle: string, dutyNumber: number): string {
  return `Waiting for the ${officerTitle} to record the answers of duty ${dutyNumber}; the first answers start the review.`
}
