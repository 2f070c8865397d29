import packaged from 'chinese-days/dist/chinese-days.json'

/** A calendar date as 'YYYY-MM-DD' (no time zone: deadlines are counted in whole days). */
export type IsoDate = string

export interface DayOverride {
  date: IsoDate
  /** 'holiday': a day off on a weekday; 'workday': a 调休 working weekend day. */
  kind: 'holiday' | 'workday'
  name: string
}

export interface CalendarData {
  holidays: Record<string, string>
  workdays: Record<string, string>
}

export interface Counted<T> {
  value: T
  /**
   * Years the computation passed through for which neither the packaged State Council arrangement
   * nor an administrator's entry exists: there, only weekends were treated as days off.
   */
  yearsWithoutData: number[]
}

const DAY_MS = 86_400_000

function toUtc(date: IsoDate): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not an ISO date: ${date}`)
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)))
}

function toIso(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10)
}

/**
 * Working days in China: weekends and statutory holidays off, 调休 weekend days on. Built from the
 * chinese-days package (State Council notices 2004–2026) plus the office's own table, which wins
 * where they differ and can declare later years complete once the new notice is entered.
 */
export class WorkingCalendar {
  private readonly off = new Set<IsoDate>()
  private readonly on = new Set<IsoDate>()
  private readonly knownYears = new Set<number>()
  /** Imports ask the same deadline for thousands of rows decided on the same day. */
  private readonly deadlines = new Map<string, Counted<IsoDate>>()

  constructor(data: CalendarData, overrides: DayOverride[] = [], confirmedYears: number[] = []) {
    for (const d of Object.keys(data.holidays)) this.off.add(d)
    for (const d of Object.keys(data.workdays)) this.on.add(d)
    for (const d of [...this.off, ...this.on]) this.knownYears.add(Number(d.slice(0, 4)))
    for (const o of overrides) {
      if (o.kind === 'holiday') {
        this.off.add(o.date)
        this.on.delete(o.date)
      } else {
        this.on.add(o.date)
        this.off.delete(o.date)
      }
    }
    for (const y of confirmedYears) this.knownYears.add(y)
  }

  hasDataFor(year: number): boolean {
    return this.knownYears.has(year)
  }

  lastKnownYear(): number {
    return Math.max(...this.knownYears)
  }

  isWorkday(date: IsoDate): boolean {
    if (this.on.has(date)) return true
    if (this.off.has(date)) return false
    const weekday = new Date(toUtc(date)).getUTCDay()
    return weekday !== 0 && weekday !== 6
  }

  /**
   * The n-th working day after `date` (the day itself not counted): "within 7 working days of the
   * decision" means on or before addWorkingDays(decision, 7).
   */
  addWorkingDays(date: IsoDate, n: number): Counted<IsoDate> {
    if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer')
    const key = `${date}|${n}`
    const cached = this.deadlines.get(key)
    if (cached) return { value: cached.value, yearsWithoutData: [...cached.yearsWithoutData] }
    const result = this.countForward(date, n)
    if (this.deadlines.size > 20_000) this.deadlines.clear()
    this.deadlines.set(key, result)
    return { value: result.value, yearsWithoutData: [...result.yearsWithoutData] }
  }

  private countForward(date: IsoDate, n: number): Counted<IsoDate> {
    const missing = new Set<number>()
    let t = toUtc(date)
    let left = n
    while (left > 0) {
      t += DAY_MS
      const iso = toIso(t)
      if (!this.hasDataFor(Number(iso.slice(0, 4)))) missing.add(Number(iso.slice(0, 4)))
      if (this.isWorkday(iso)) left--
    }
    return { value: toIso(t), yearsWithoutData: [...missing].sort() }
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
  workingDaysBetween(from: IsoDate, to: IsoDate): Counted<number> {
    const missing = new Set<number>()
    let count = 0
    for (let t = toUtc(from) + DAY_MS, end = toUtc(to); t <= end; t += DAY_MS) {
      const iso = toIso(t)
      if (!this.hasDataFor(Number(iso.slice(0, 4)))) missing.add(Number(iso.slice(0, 4)))
      if (this.isWorkday(iso)) count++
    }
    return { value: count, yearsWithoutData: [...missing].sort() }
  }
}

/** The calendar from packaged data only; services add the office's overrides from the database. */
export function packagedCalendar(overrides: DayOverride[] = [], confirmedYears: number[] = []): WorkingCalendar {
  return new WorkingCalendar(packaged as CalendarData, overrides, confirmedYears)
}
