// The office's holiday table: entries that override or extend the packaged State Council data, and
// the years the office has entered in full (after which lateness there is counted exactly).
import type { Knex } from 'knex'
import packaged from 'chinese-days/dist/chinese-days.json'
import { packagedCalendar, type CalendarData, type DayOverride, type WorkingCalendar } from './working-calendar'

const data = packaged as CalendarData

/** The working-day calendar with the office's own entries. */
export async function officeCalendar(db: Knex): Promise<WorkingCalendar> {
  const overrides = (await db('holiday_overrides').select('date', 'kind', 'name')) as DayOverride[]
  const years = (await db('calendar_years').pluck('year')) as number[]
  return packagedCalendar(overrides, years)
}

/** "Spring Festival,春节,4" → 春节 */
function chineseName(raw: string): string {
  return raw.split(',')[1] ?? raw
}

export async function calendarYear(db: Knex, year: number) {
  const prefix = `${year}-`
  const packagedDays = [
    ...Object.entries(data.holidays)
      .filter(([d]) => d.startsWith(prefix))
      .map(([date, n]) => ({ date, kind: 'holiday' as const, name: chineseName(n) })),
    ...Object.entries(data.workdays)
      .filter(([d]) => d.startsWith(prefix))
      .map(([date, n]) => ({ date, kind: 'workday' as const, name: `${chineseName(n)}调休上班` })),
  ].sort((a, b) => a.date.localeCompare(b.date))
  const overrides = (await db('holiday_overrides')
    .where('date', 'like', `${prefix}%`)
    .orderBy('date')
    .select('date', 'kind', 'name')) as DayOverride[]
  const confirmed = (await db('calendar_years').where('year', year).first()) != null
  return { year, packaged: packagedDays.length > 0, confirmed, packagedDays, overrides }
}

export async function saveOverride(db: Knex, entry: DayOverride, now: number): Promise<void> {
  await db('holiday_overrides')
    .insert({ ...entry, updated_at: now })
    .onConflict('date')
    .merge()
}

export async function deleteOverride(db: Knex, date: string): Promise<boolean> {
  return (await db('holiday_overrides').where('date', date).del()) > 0
}

/** The office declares a year's arrangement complete (the State Council notice is entered). */
export async function confirmYear(db: Knex, year: number, now: number): Promise<void> {
  await db('calendar_years').insert({ year, source: 'office', confirmed_at: now }).onConflict('year').ignore()
}
