/**
 * The moment the unit tests' demo databases are created (tests/setup/global-setup.ts
 * and the files that prepare their own): pinned, so that the live report of the
 * demo (seeds/live-report.ts) is the same on every run. On this day the Form 10-Q
 * for the second quarter of 2026 (ended June 30, due Monday 2026-08-10) is the
 * first report due: its period has ended, so it is in certification with a first draft.
 */
export const SEED_DAY = new Date('2026-08-01T15:00:00.000Z')
