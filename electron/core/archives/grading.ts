// 分级管理: a person's integrity grade from rules the office configures. Each rule says "an entry of
// this kind (with one of these results) within N months caps the grade at G"; the worst cap wins and
// the matching rules are the reasons shown. A supervisor may override with a written reason; the
// override stands until the rules' own verdict changes. Every change is kept in grade_history.
import dayjs from 'dayjs'
import type { Knex } from 'knex'
import { GRADES, type EntryKind, type Grade, type GradeRule } from '../../contract/schemas/archives'
import type { IsoDate } from '../calendar/working-calendar'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'

export interface StoredRule {
  id: number
  name: string
  entryKind: EntryKind
  results: string[] | null
  withinMonths: number
  grade: Grade
  enabled: boolean
}

export interface EntryFact {
  kind: string
  result: string | null
  docDate: IsoDate
  title: string
}

export async function loadGradeRules(db: Knex): Promise<StoredRule[]> {
  const rows = await db('grade_rules').orderBy('id')
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    entryKind: r.entry_kind,
    results: r.results ? JSON.parse(r.results) : null,
    withinMonths: r.within_months,
    grade: r.grade,
    enabled: Boolean(r.enabled),
  }))
}

const rank = (g: Grade) => GRADES.indexOf(g)

function evaluateGrade(entries: EntryFact[], rules: StoredRule[], today: IsoDate): { grade: Grade; reasons: string[] } {
  let grade: Grade = 'trustworthy'
  const reasons: string[] = []
  for (const rule of rules) {
    if (!rule.enabled) continue
    const since = dayjs(today).subtract(rule.withinMonths, 'month').format('YYYY-MM-DD')
    const hits = entries.filter(
      (e) =>
        e.kind === rule.entryKind &&
        e.docDate > since &&
        e.docDate <= today &&
        (!rule.results || (e.result != null && rule.results.includes(e.result))),
    )
    if (!hits.length) continue
    if (rank(rule.grade) > rank(grade)) grade = rule.grade
    for (const h of hits) reasons.push(`${rule.name}：${h.docDate} ${h.title}`)
  }
  return { grade, reasons }
}

async function factsOf(db: Knex, personId: number): Promise<EntryFact[]> {
  const rows = await db('archive_entries').where('person_id', personId).select('kind', 'result', 'doc_date', 'title')
  return rows.map((r) => ({ kind: r.kind, result: r.result, docDate: r.doc_date, title: r.title }))
}

/** What the rules say about one person today, with the reasons. */
export async function gradeOf(db: Knex, personId: number, today: IsoDate, rules?: StoredRule[]) {
  return evaluateGrade(await factsOf(db, personId), rules ?? (await loadGradeRules(db)), today)
}

/**
 * Re-applies the rules to one person. If their verdict changed, it becomes the grade in force (an
 * override ends) and the change is written to the history. Returns whether the grade changed.
 */
export async function regrade(db: Knex, personId: number, today: IsoDate, now: number, rules?: StoredRule[]): Promise<boolean> {
  const person = await db('people').where('id', personId).first('grade', 'rules_grade', 'grade_source')
  if (!person) throw new AppError(ErrorCode.NotFound, 'no such person')
  const { grade, reasons } = await gradeOf(db, personId, today, rules)
  if (grade === person.rules_grade) return false
  await db('people').where('id', personId).update({ grade, rules_grade: grade, grade_source: 'rules', updated_at: now })
  await db('grade_history').insert({
    person_id: personId,
    grade,
    source: 'rules',
    reasons: JSON.stringify(reasons),
    decided_by: null,
    at: now,
  })
  return grade !== person.grade
}

export async function overrideGrade(db: Knex, personId: number, grade: Grade, reason: string, userId: number, now: number): Promise<void> {
  await db('people').where('id', personId).update({ grade, grade_source: 'override', updated_at: now })
  await db('grade_history').insert({
    person_id: personId,
    grade,
    source: 'override',
    reasons: JSON.stringify([reason]),
    decided_by: userId,
    at: now,
  })
}

export async function saveGradeRule(db: Knex, rule: GradeRule, now: number): Promise<number> {
  const row = {
    name: rule.name,
    entry_kind: rule.entryKind,
    results: rule.results ? JSON.stringify(rule.results) : null,
    within_months: rule.withinMonths,
    grade: rule.grade,
    enabled: rule.enabled,
    updated_at: now,
  }
  if (rule.id) {
    await db('grade_rules').where('id', rule.id).update(row)
    return rule.id
  }
  const [id] = await db('grade_rules').insert(row)
  return id!
}

/** After a rule change: everyone is regraded under the new rules. Returns how many grades changed. */
export async function regradeAll(db: Knex, today: IsoDate, now: number): Promise<number> {
  const rules = await loadGradeRules(db)
  let changed = 0
  for (const { id } of await db('people').select('id')) if (await regrade(db, id, today, now, rules)) changed++
  return changed
}
