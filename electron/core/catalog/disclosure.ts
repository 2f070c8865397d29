// How long a 失信 finding is disclosed, and where a record stands in that period. The status rule is written twice
// by necessity, once for one record (disclosureStatus) and once as SQL filters over the records table
// (whereDisclosure); both live here, side by side, and a test holds them to the same answers.
import dayjs from 'dayjs'
import type { Knex } from 'knex'
import { DISCLOSURE_STATES, type DisclosureFilter } from '../../contract/schemas/records'
import type { IsoDate } from '../calendar/working-calendar'

export type DishonestyLevel = 'minor' | 'general' | 'serious'

export interface DisclosureRule {
  effectiveFrom: IsoDate
  level: DishonestyLevel
  minMonths: number
  maxMonths: number
  basis: string
}

export interface DisclosureWindow {
  rule: DisclosureRule
  /** Day the disclosure period starts: the date of the document that made the finding. */
  startsOn: IsoDate
  /** From this day the subject may apply for 信用修复. */
  repairableFrom: IsoDate
  /** From this day the record is no longer disclosed. */
  endsOn: IsoDate
}

export type DisclosureStatus = (typeof DISCLOSURE_STATES)[keyof typeof DISCLOSURE_STATES]

/** "Expiring" means the disclosure period ends within this many days. */
export const EXPIRING_DAYS = 30

export async function loadDisclosureRules(db: Knex): Promise<DisclosureRule[]> {
  const rows = await db('disclosure_rules').orderBy('effective_from')
  return rows.map((r) => ({
    effectiveFrom: r.effective_from,
    level: r.level,
    minMonths: r.min_months,
    maxMonths: r.max_months,
    basis: r.basis,
  }))
}

/**
 * The latest rule for the level in force on the decision date decides the periods; a level no rule in force
 * defines (轻微 before 2026) takes the 一般 rule then in force. So an office rule for one level alone (严重 from
 * 2027) leaves the other levels on the regime before it. Null before the first rule.
 */
export function disclosureWindow(rules: DisclosureRule[], decisionDate: IsoDate, level: DishonestyLevel): DisclosureWindow | null {
  // An import asks for the same few hundred decision dates thousands of times.
  let cache = windows.get(rules)
  if (!cache) windows.set(rules, (cache = new Map()))
  const key = `${decisionDate}|${level}`
  if (!cache.has(key)) {
    if (cache.size > 20_000) cache.clear()
    cache.set(key, computeWindow(rules, decisionDate, level))
  }
  return cache.get(key)!
}

const windows = new WeakMap<DisclosureRule[], Map<string, DisclosureWindow | null>>()

function computeWindow(rules: DisclosureRule[], decisionDate: IsoDate, level: DishonestyLevel): DisclosureWindow | null {
  const latestFor = (l: DishonestyLevel) =>
    rules
      .filter((r) => r.level === l && r.effectiveFrom <= decisionDate)
      .reduce<DisclosureRule | null>((a, b) => (a == null || b.effectiveFrom > a.effectiveFrom ? b : a), null)
  const rule = latestFor(level) ?? latestFor('general')
  if (!rule) return null
  const start = dayjs(decisionDate)
  return {
    rule,
    startsOn: decisionDate,
    repairableFrom: start.add(rule.minMonths, 'month').format('YYYY-MM-DD'),
    endsOn: start.add(rule.maxMonths, 'month').format('YYYY-MM-DD'),
  }
}

/** A record's disclosure dates as stored (records.repairable_from, disclosure_ends_on, repaired_on, revoked_on). */
export interface DisclosureDates {
  repairableFrom: IsoDate | null
  endsOn: IsoDate | null
  repairedOn?: IsoDate | null
  revokedOn?: IsoDate | null
}

/** Where the record stands on `today`; null for a record that is not disclosed at all (no period). */
export function disclosureStatus(d: DisclosureDates, today: IsoDate): DisclosureStatus | null {
  if (!d.endsOn) return null
  if (d.revokedOn) return DISCLOSURE_STATES.revoked
  if (d.repairedOn && d.repairedOn <= today) return DISCLOSURE_STATES.repaired
  if (today >= d.endsOn) return DISCLOSURE_STATES.expired
  if (d.repairableFrom && today >= d.repairableFrom) return DISCLOSURE_STATES.repairable
  return DISCLOSURE_STATES.disclosed
}

/** The day before which a period must end to count as expiring soon. */
export function expiringBy(today: IsoDate): IsoDate {
  return dayjs(today).add(EXPIRING_DAYS, 'day').format('YYYY-MM-DD')
}

/**
 * The same rule as disclosureStatus, as a filter on `records as r`: 'open' is every record still in its period
 * (公示中 or 可申请修复), 'expiring' the open ones ending within EXPIRING_DAYS.
 */
export function whereDisclosure(b: Knex.QueryBuilder, filter: DisclosureFilter | 'open', today: IsoDate): Knex.QueryBuilder {
  const live = () =>
    b
      .whereNull('r.revoked_on')
      .whereNotNull('r.disclosure_ends_on')
      .where((w) => w.whereNull('r.repaired_on').orWhere('r.repaired_on', '>', today))
  switch (filter) {
    case 'revoked':
      return b.whereNotNull('r.disclosure_ends_on').whereNotNull('r.revoked_on')
    case 'repaired':
      return b.whereNotNull('r.disclosure_ends_on').whereNull('r.revoked_on').where('r.repaired_on', '<=', today)
    case 'expired':
      return live().where('r.disclosure_ends_on', '<=', today)
    case 'open':
      return live().where('r.disclosure_ends_on', '>', today)
    case 'expiring':
      return live().where('r.disclosure_ends_on', '>', today).where('r.disclosure_ends_on', '<=', expiringBy(today))
    case 'repairable':
      return live().where('r.disclosure_ends_on', '>', today).where('r.repairable_from', '<=', today)
    case 'disclosed':
      return live()
        .where('r.disclosure_ends_on', '>', today)
        .where((w) => w.whereNull('r.repairable_from').orWhere('r.repairable_from', '>', today))
  }
}
