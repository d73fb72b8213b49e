import { expect, test } from 'vitest'
import { formatCalendarDate } from '../../app/utils/format'
import { calendarDateWords } from '../../machines/filing-deadline'

// The deadline words (machines/, no Intl) and the pages (app/utils/format.ts, Intl)
// must say a date the same way, or a card would name one deadline two ways.
test("calendarDateWords says a date as the app's formatCalendarDate does", () => {
  for (const date of ['2013-03-01', '2008-08-11', '2026-12-31', '2027-01-01', '2024-02-29', '1999-09-09', '2030-10-05']) {
    expect(calendarDateWords(date)).toBe(formatCalendarDate(date))
  }
})
