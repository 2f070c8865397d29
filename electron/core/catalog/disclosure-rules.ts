// The office's editor of the 公示期限 rules (issue 17 §1): a supervisor adds a regime (a level's periods from an
// effective date, with the document that sets them) or corrects one the office added; the shipped national rules
// stay as they are. Every change re-works the disclosure window of the records it governs, in the same transaction.
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import type { DisclosureRuleView, SaveDisclosureRule } from '../../contract/schemas/records'
import { AppError, fieldError } from '../shared/app-error'
import { disclosureWindow, loadDisclosureRules } from './disclosure'

export async function listDisclosureRules(db: Knex): Promise<DisclosureRuleView[]> {
  const rows = await db('disclosure_rules as d')
    .leftJoin('users as u', 'u.id', 'd.updated_by')
    .orderBy('d.effective_from', 'desc')
    .select('d.*', 'u.display_name as updated_by_name')
  // Within a regime, by severity: 轻微, 一般, 严重.
  const rank = (level: string) => ['minor', 'general', 'serious'].indexOf(level)
  rows.sort((a, b) => b.effective_from.localeCompare(a.effective_from) || rank(a.level) - rank(b.level))
  return rows.map((r) => ({
    id: r.id,
    effectiveFrom: r.effective_from,
    level: r.level,
    minMonths: r.min_months,
    maxMonths: r.max_months,
    basis: r.basis,
    note: r.note ?? null,
    shipped: Boolean(r.shipped),
    updatedBy: r.updated_by_name ?? null,
    updatedAt: r.updated_at ?? null,
  }))
}

export interface RuleChange {
  id: number
  /** Records whose window was worked out again. */
  recomputed: number
}

/** Adds a rule, or changes one the office added. Shipped rules are the national regimes and are not edited. */
export async function saveDisclosureRule(db: Knex, input: SaveDisclosureRule, userId: number, now: number): Promise<RuleChange> {
  if (input.minMonths > input.maxMonths) throw fieldError([{ path: 'minMonths', message: 'disclosure.minAboveMax' }])
  return db.transaction(async (trx) => {
    const before = input.id != null ? await trx('disclosure_rules').where('id', input.id).first() : undefined
    if (input.id != null && !before) throw new AppError(ErrorCode.NotFound, 'disclosure rule not found')
    if (before?.shipped) throw new AppError(ErrorCode.InvalidState, 'shipped rule', { reason: 'shipped_rule' })
    const clash = await trx('disclosure_rules')
      .where({ effective_from: input.effectiveFrom, level: input.level })
      .modify((q) => (input.id != null ? q.whereNot('id', input.id) : q))
      .first('id')
    if (clash) throw fieldError([{ path: 'effectiveFrom', message: 'disclosure.duplicate' }])
    const columns = {
      effective_from: input.effectiveFrom,
      level: input.level,
      min_months: input.minMonths,
      max_months: input.maxMonths,
      basis: input.basis,
      note: input.note,
      shipped: false,
      updated_by: userId,
      updated_at: now,
    }
    if (before) await trx('disclosure_rules').where('id', before.id).update(columns)
    const id = before ? before.id : (await trx('disclosure_rules').insert(columns))[0]!
    const from = before && before.effective_from < input.effectiveFrom ? before.effective_from : input.effectiveFrom
    return { id, recomputed: await recomputeWindows(trx, from) }
  })
}

export async function removeDisclosureRule(db: Knex, id: number): Promise<RuleChange> {
  return db.transaction(async (trx) => {
    const rule = await trx('disclosure_rules').where('id', id).first()
    if (!rule) throw new AppError(ErrorCode.NotFound, 'disclosure rule not found')
    if (rule.shipped) throw new AppError(ErrorCode.InvalidState, 'shipped rule', { reason: 'shipped_rule' })
    await trx('disclosure_rules').where('id', id).del()
    return { id, recomputed: await recomputeWindows(trx, rule.effective_from) }
  })
}

/**
 * The windows of 失信 records decided on or after `from`, worked out again from the rules now in force. Records
 * share a few thousand (decision date, level) pairs, so it is one update per pair, whatever the table's size.
 */
async function recomputeWindows(trx: Knex.Transaction, from: string): Promise<number> {
  const rules = await loadDisclosureRules(trx)
  const pairs = await trx('records')
    .whereNotNull('dishonesty_level')
    .where('decision_date', '>=', from)
    .distinct('decision_date', 'dishonesty_level')
  let changed = 0
  for (const p of pairs) {
    const w = disclosureWindow(rules, p.decision_date!, p.dishonesty_level!)
    changed += await trx('records')
      .where({ decision_date: p.decision_date, dishonesty_level: p.dishonesty_level })
      .update({ repairable_from: w?.repairableFrom ?? null, disclosure_ends_on: w?.endsOn ?? null })
  }
  return changed
}
