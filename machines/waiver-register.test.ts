// The expected dates were worked out by hand from the calendar (weekdays by
// Python's datetime, holidays from OPM's tables), not read back from the code.
import { describe, expect, test } from 'vitest'
import { newWaiverSchema, provisionWords, waiverDisclosureSchema, waiverStatus } from './waiver-register'

describe('the Form 8-K Item 5.05 due date of a waiver: four business days after its approval', () => {
  test.each([
    ['2012-06-14', '2012-06-20', 'a Thursday: Friday, then Monday to Wednesday over the weekend'],
    ['2012-06-16', '2012-06-21', 'a Saturday: the count starts on the Monday'],
    ['2012-11-20', '2012-11-27', 'over Thanksgiving (Thursday, November 22) and a weekend'],
    ['2013-01-18', '2013-01-25', 'a Friday before Martin Luther King Jr. Day (Monday, January 21)'],
    ['2015-07-01', '2015-07-08', 'Independence Day on a Saturday is observed on Friday, July 3'],
    ['2010-12-29', '2011-01-05', 'New Year’s Day 2011 on a Saturday is observed on Friday, December 31, 2010'],
  ])('approved %s → due %s (%s)', (approvedOn, dueOn) => {
    expect(waiverStatus({ approvedOn, disclosedOn: null, today: approvedOn }).dueOn).toBe(dueOn)
  })
})

describe('where a waiver stands', () => {
  const approvedOn = '2012-11-20' // due 2012-11-27
  test('not disclosed: due up to and on the due date, overdue from the day after, in words', () => {
    expect(waiverStatus({ approvedOn, disclosedOn: null, today: '2012-11-26' })).toEqual({
      dueOn: '2012-11-27',
      standing: 'due',
      words: 'Not disclosed yet: due November 27, 2012',
    })
    expect(waiverStatus({ approvedOn, disclosedOn: null, today: '2012-11-27' }).words).toBe(
      'Not disclosed yet: due today, November 27, 2012',
    )
    expect(waiverStatus({ approvedOn, disclosedOn: null, today: '2012-11-28' })).toEqual({
      dueOn: '2012-11-27',
      standing: 'overdue',
      words: 'Overdue: not disclosed, due November 27, 2012 (one day ago)',
    })
    expect(waiverStatus({ approvedOn, disclosedOn: null, today: '2012-12-07' }).words).toContain('(10 days ago)')
  })
  test('disclosed: on time on the due date, late the day after, whatever today is', () => {
    expect(waiverStatus({ approvedOn, disclosedOn: '2012-11-27', today: '2013-06-01' }).standing).toBe('disclosed_on_time')
    expect(waiverStatus({ approvedOn, disclosedOn: '2012-11-28', today: '2013-06-01' })).toEqual({
      dueOn: '2012-11-27',
      standing: 'disclosed_late',
      words: 'Disclosed on November 28, 2012, after the due date of November 27, 2012',
    })
  })
})

describe('what a waiver and its disclosure must say', () => {
  const waiver = {
    provision: '3',
    officerUserId: 'user-cfo',
    reason: 'A board seat at a supplier.',
    approver: 'board',
    approvedOn: '2012-06-14',
  }
  test('a valid waiver, by the Board or by a named committee; the code as a whole has no duty number', () => {
    expect(newWaiverSchema.parse(waiver)).toEqual({
      dutyNumber: 3,
      officerUserId: 'user-cfo',
      reason: 'A board seat at a supplier.',
      approver: 'board',
      committeeName: null,
      approvedOn: '2012-06-14',
    })
    const byCommittee = newWaiverSchema.parse({ ...waiver, provision: 'code', approver: 'committee', committeeName: 'Audit Committee' })
    expect(byCommittee).toMatchObject({ dutyNumber: null, committeeName: 'Audit Committee' })
    expect(provisionWords(null)).toBe('The Code of Ethics as a whole')
    expect(provisionWords(3)).toBe('Duty 3 — Code violations and conflicts of interest')
  })
  test.each([
    [{ provision: '13' }, 'Choose the provision waived'],
    [{ reason: '   ' }, 'Give the reason'],
    [{ approver: 'ceo' }, 'Say who approved the waiver'],
    [{ approver: 'committee' }, 'Name the committee'],
    [{ approvedOn: '2012-02-30' }, 'is not a date of the calendar'],
    [{ approvedOn: '14/06/2012' }, 'must be a date such as'],
  ])('refused: %o', (change, message) => {
    const result = newWaiverSchema.safeParse({ ...waiver, ...change })
    expect(result.success).toBe(false)
    expect(result.error!.issues.map((i) => i.message).join(' ')).toContain(message)
  })
  test('a disclosure names an 8-K accession number or a website address, never a malformed one', () => {
    const base = { waiverId: 'w1', disclosedOn: '2012-06-19' }
    expect(waiverDisclosureSchema.parse({ ...base, kind: 'form_8k', accessionNumber: '0000719413-12-000045' })).toMatchObject({
      accessionNumber: '0000719413-12-000045',
      websiteUrl: null,
    })
    expect(waiverDisclosureSchema.parse({ ...base, kind: 'website', websiteUrl: 'https://www.hecla.com/governance' }).websiteUrl).toBe(
      'https://www.hecla.com/governance',
    )
    expect(waiverDisclosureSchema.safeParse({ ...base, kind: 'form_8k', accessionNumber: '719413-12-45' }).success).toBe(false)
    expect(waiverDisclosureSchema.safeParse({ ...base, kind: 'website', websiteUrl: 'javascript:alert(1)' }).success).toBe(false)
    expect(waiverDisclosureSchema.safeParse({ ...base, kind: 'website', websiteUrl: 'www.hecla.com' }).success).toBe(false)
  })
})
