// 联合奖惩 cases: what a deciding unit did about a hit of a check — the measure it applied (a 惩戒 measure for a 失信
// finding, an 激励 one for a 红名单 entry) or why it applied none. Cases are counted per unit and quarter and travel
// to the city in the data package with their feedback.
import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import { AppError, fieldError } from '../shared/app-error'
import type { SanctionCaseRow } from '../../../db/tables'
import { checkNumber } from '../../contract/labels.zh-CN'
import { resultOf } from './credit-checks'

/** Measures whose value starts with r_ are 激励 (incentives); every other measure is a 惩戒 measure. */
export function measureDirection(measure: string): 'punish' | 'reward' {
  return measure.startsWith('r_') ? 'reward' : 'punish'
}

export interface NewCaseInput {
  checkResultId: number
  hitIndex: number
  applied: boolean
  measure: string | null
  notAppliedReason: string | null
  decidingUnitId: number
  decisionDoc: string | null
  decidedOn: string
}

export async function createCase(db: Knex, input: NewCaseInput, userId: number, now: number, today: string): Promise<number> {
  const row = await db('credit_check_results').where('id', input.checkResultId).first()
  if (!row) throw new AppError(ErrorCode.NotFound, 'no such check result')
  const hit = resultOf(row).hits[input.hitIndex]
  if (!hit) throw new AppError(ErrorCode.NotFound, 'no such hit')
  if (!hit.active) throw new AppError(ErrorCode.InvalidState, 'hit no longer in force', { reason: 'hit_inactive' })
  const direction = hit.weight === 'reward' ? 'reward' : 'punish'
  const issues = []
  if (input.applied) {
    const measure = await db('dict_items')
      .where({ type_code: 'sanction_measure', value: input.measure ?? '', enabled: true })
      .first('value')
    if (!measure) issues.push({ path: 'measure', message: 'dict.unknown' })
    else if (measureDirection(measure.value) !== direction)
      issues.push({ path: 'measure', message: direction === 'punish' ? 'case.needsPunishment' : 'case.needsIncentive' })
  } else if (!input.notAppliedReason) issues.push({ path: 'notAppliedReason', message: 'required' })
  if (input.decidedOn > today) issues.push({ path: 'decidedOn', message: 'date.future' })
  if (!(await db('org_units').where('id', input.decidingUnitId).first('id')))
    issues.push({ path: 'decidingUnitId', message: 'unit.missing' })
  if (issues.length) throw fieldError(issues)
  const [id] = await db('sanction_cases').insert({
    uid: randomUUID(),
    check_result_id: row.id,
    subject_name: row.subject_name,
    subject_shown: row.subject_shown,
    subject_key: row.subject_key ?? `name:${row.subject_name}`,
    direction,
    basis_source: hit.source,
    basis_text: `${hit.kind}：${hit.basis}`,
    measure: input.applied ? input.measure : null,
    applied: input.applied,
    not_applied_reason: input.applied ? null : input.notAppliedReason,
    deciding_unit_id: input.decidingUnitId,
    decision_doc: input.decisionDoc,
    decided_on: input.decidedOn,
    created_by: userId,
    created_at: now,
    updated_at: now,
  })
  return id!
}

export async function recordFeedback(db: Knex, caseId: number, feedback: string, now: number): Promise<void> {
  const n = await db('sanction_cases').where('id', caseId).update({ feedback, updated_at: now })
  if (!n) throw new AppError(ErrorCode.NotFound, 'no such case')
}

type CaseRow = SanctionCaseRow & { unit_name: string; measure_label: string | null; year: number | null; seq: number | null }

const caseRows = (db: Knex) =>
  db('sanction_cases as s')
    .join('org_units as o', 'o.id', 's.deciding_unit_id')
    .leftJoin('dict_items as d', (j) => j.on('d.value', 's.measure').andOnVal('d.type_code', 'sanction_measure'))
    .leftJoin('credit_check_results as r', 'r.id', 's.check_result_id')
    .leftJoin('credit_checks as c', 'c.id', 'r.check_id')
    .select('s.*', 'o.name as unit_name', 'd.label as measure_label', 'c.year', 'c.seq')

const quarterRange = (year: number, quarter: number) => [
  `${year}-${String(quarter * 3 - 2).padStart(2, '0')}-01`,
  `${year}-${String(quarter * 3).padStart(2, '0')}-31`,
]

export async function listCases(
  db: Knex,
  q: {
    unitId: number | null
    year?: number | null
    quarter?: number | null
    direction?: 'punish' | 'reward' | null
    page: number
    pageSize: number
  },
) {
  const filtered = (b: Knex.QueryBuilder) => {
    if (q.unitId) b.where('s.deciding_unit_id', q.unitId)
    if (q.direction) b.where('s.direction', q.direction)
    if (q.year) {
      const [from, to] = q.quarter ? quarterRange(q.year, q.quarter) : [`${q.year}-01-01`, `${q.year}-12-31`]
      b.whereBetween('s.decided_on', [from!, to!])
    }
    return b
  }
  const total = Number((await filtered(db('sanction_cases as s')).count({ n: '*' }).first())?.n ?? 0)
  const rows: CaseRow[] = await filtered(caseRows(db))
    .orderBy([
      { column: 's.decided_on', order: 'desc' },
      { column: 's.id', order: 'desc' },
    ])
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      subjectName: r.subject_name,
      subjectShown: r.subject_shown,
      direction: r.direction,
      basisSource: r.basis_source,
      basisText: r.basis_text,
      measure: r.measure,
      measureLabel: r.measure_label,
      applied: Boolean(r.applied),
      notAppliedReason: r.not_applied_reason,
      decidingUnit: r.unit_name,
      decisionDoc: r.decision_doc,
      decidedOn: r.decided_on,
      feedback: r.feedback,
      checkNumber: r.year && r.seq ? checkNumber(r.year, r.seq) : null,
    })),
  }
}

/** Cases of a year per deciding unit and quarter (by decision date): applied and not applied. */
export async function caseStats(db: Knex, year: number) {
  const rows = await db('sanction_cases as s')
    .join('org_units as o', 'o.id', 's.deciding_unit_id')
    .whereBetween('s.decided_on', [`${year}-01-01`, `${year}-12-31`])
    .groupBy('s.deciding_unit_id', 'o.name', 'quarter', 's.applied')
    .select<Array<{ unit_id: number; unit_name: string; quarter: number; applied: number; n: number }>>(
      's.deciding_unit_id as unit_id',
      'o.name as unit_name',
      db.raw('(CAST(substr(s.decided_on, 6, 2) AS INTEGER) + 2) / 3 AS quarter'),
      's.applied',
      db.raw('count(*) AS n'),
    )
  const units = new Map<
    number,
    { unitId: number; unitName: string; quarters: Array<{ applied: number; notApplied: number }>; applied: number; notApplied: number }
  >()
  for (const r of rows) {
    const u = units.get(r.unit_id) ?? {
      unitId: r.unit_id,
      unitName: r.unit_name,
      quarters: [1, 2, 3, 4].map(() => ({ applied: 0, notApplied: 0 })),
      applied: 0,
      notApplied: 0,
    }
    units.set(r.unit_id, u)
    const q = u.quarters[r.quarter - 1]!
    const key = r.applied ? 'applied' : 'notApplied'
    q[key] += r.n
    u[key] += r.n
  }
  return {
    rows: [...units.values()].sort(
      (a, b) => b.applied + b.notApplied - (a.applied + a.notApplied) || a.unitName.localeCompare(b.unitName, 'zh-CN'),
    ),
  }
}
