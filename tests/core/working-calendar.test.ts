import { describe, expect, it } from 'vitest'
import { packagedCalendar } from '../../electron/core/calendar/working-calendar'

describe('working-day calendar (State Council arrangements)', () => {
  const cal = packagedCalendar()

  it('knows holidays and 调休 working weekends', () => {
    expect(cal.isWorkday('2025-10-01')).toBe(false) // 国庆节
    expect(cal.isWorkday('2025-09-28')).toBe(true) // Sunday, 调休 working day
    expect(cal.isWorkday('2025-10-11')).toBe(true) // Saturday, 调休 working day
    expect(cal.isWorkday('2025-11-22')).toBe(false) // ordinary Saturday
    expect(cal.isWorkday('2026-02-16')).toBe(false) // 春节 2026
  })

  it('counts 7 working days for 双公示 across the National Day holiday', () => {
    // Decided Friday 2025-09-26: 28 (Sun, 调休), 29, 30, then 1-8 Oct off, then 9, 10, 11 (Sat, 调休), 13.
    expect(cal.addWorkingDays('2025-09-26', 7)).toEqual({ value: '2025-10-13', yearsWithoutData: [] })
    expect(cal.workingDaysBetween('2025-09-26', '2025-10-13').value).toBe(7)
    expect(cal.workingDaysBetween('2025-09-26', '2025-10-11').value).toBe(6)
  })

  it('flags years without an arrangement instead of silently counting weekends only', () => {
    expect(cal.hasDataFor(2026)).toBe(true)
    expect(cal.hasDataFor(2027)).toBe(false)
    const r = cal.addWorkingDays('2026-12-28', 7)
    expect(r.yearsWithoutData).toEqual([2027])
    expect(r.value).toBe('2027-01-06') // weekends only (2026-12-28 is a Monday): a warning, not a fact
  })

  it('lets the office enter a new year, overriding the packaged data', () => {
    const withNewYear = packagedCalendar(
      [
        { date: '2027-01-01', kind: 'holiday', name: '元旦' },
        { date: '2025-10-10', kind: 'holiday', name: '本地调整' },
      ],
      [2027],
    )
    expect(withNewYear.hasDataFor(2027)).toBe(true)
    expect(withNewYear.isWorkday('2027-01-01')).toBe(false)
    expect(withNewYear.isWorkday('2025-10-10')).toBe(false)
    expect(withNewYear.addWorkingDays('2026-12-28', 7)).toEqual({ value: '2027-01-07', yearsWithoutData: [] })
  })

  it('refuses malformed input', () => {
    expect(() => cal.addWorkingDays('2025/10/01', 1)).toThrow(RangeError)
    expect(() => cal.addWorkingDays('2025-10-01', -1)).toThrow(RangeError)
  })
})
