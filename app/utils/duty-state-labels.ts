// The duty states' labels are the machine's (machines/duty-review.ts `dutyStateLabel`).

/** What a duty not started waits for, now that the first answers start the review (no separate start). */
export function notStartedWords(officerTitle: string, dutyNumber: number): string {
  return `Waiting for the ${officerTitle} to record the answers of duty ${dutyNumber}; the first answers start the review.`
}
