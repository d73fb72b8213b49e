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
