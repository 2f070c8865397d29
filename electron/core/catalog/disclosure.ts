import dayjs from 'dayjs'
import type { Knex } from 'knex'
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

export const DisclosureStatus = { Disclosed: '公示中', Repairable: '可申请修复', Repaired: '已修复', Expired: '已到期' } as const
export type DisclosureStatus = (typeof DisclosureStatus)[keyof typeof DisclosureStatus]

export async function loadDisclosureRules(db: Knex): Promise<DisclosureRule[]> {
  const rows = await db('disclosure_rules').orderBy('effective_from')
  return rows.map((r) => ({ effectiveFrom: r.effective_from, level: r.level, minMonths: r.min_months, maxMonths: r.max_months, basis: r.basis }))
}

/**
 * The regime in force on the decision date decides the periods. A regime that does not define the
 * level (轻微 before 2026) falls back to its 一般 rule. Null before the first regime.
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
  const inForce = rules.filter((r) => r.effectiveFrom <= decisionDate)
  if (inForce.length === 0) return null
  const latest = inForce.reduce((a, b) => (b.effectiveFrom > a.effectiveFrom ? b : a)).effectiveFrom
  const regime = inForce.filter((r) => r.effectiveFrom === latest)
  const rule = regime.find((r) => r.level === level) ?? regime.find((r) => r.level === 'general')
  if (!rule) return null
  const start = dayjs(decisionDate)
  return {
    rule,
    startsOn: decisionDate,
    repairableFrom: start.add(rule.minMonths, 'month').format('YYYY-MM-DD'),
    endsOn: start.add(rule.maxMonths, 'month').format('YYYY-MM-DD'),
  }
}

export function disclosureStatus(window: DisclosureWindow, today: IsoDate, repairedOn: IsoDate | null = null): DisclosureStatus {
  if (repairedOn && repairedOn <= today) return DisclosureStatus.Repaired
  if (today >= window.endsOn) return DisclosureStatus.Expired
  if (today >= window.repairableFrom) return DisclosureStatus.Repairable
  return DisclosureStatus.Disclosed
}
