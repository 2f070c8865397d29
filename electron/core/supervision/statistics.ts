// The supervisor's picture: completion by unit and by section, the overdue ranking, completions per month, the
// 督办 actions taken (letters, 催办, 会议/电话/现场督办), and 目标考核 scores per unit for the periodic 通报, which
// also goes out as an Excel workbook. The score weighs only what was due — items done, or past their deadline — so
// a unit with nothing due yet has no score (暂无应办结事项) instead of a perfect one.
import type { Knex } from 'knex'
import type { IsoDate } from '../calendar/working-calendar'
import { writeFileAtomic } from '../shared/write-file'
import { loadExcel } from '../shared/lazy-libs'
import { scoreWeights, type ScoreWeights } from './supervision-settings'
import { UNPUBLISHED_STATUSES } from './task-lifecycle'

const beijingDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10)

/**
 * 目标考核: on-time rate × its points + average evaluation (0–100) × its points − returns and overdue items; with no
 * evaluated item the evaluation part follows the on-time rate. Null when nothing was due. The one place of the rule.
 */
export function unitScore(
  a: { due: number; onTime: number; evaluations: number[]; returns: number; overdue: number },
  w: ScoreWeights,
): number | null {
  if (!a.due) return null
  const onTimeRate = a.onTime / a.due
  const evaluationRate = a.evaluations.length ? a.evaluations.reduce((x, y) => x + y, 0) / a.evaluations.length / 100 : onTimeRate
  const raw = onTimeRate * w.onTime + evaluationRate * w.evaluation - a.returns * w.perReturn - a.overdue * w.perOverdue
  // Half up to one decimal; the small nudge keeps 98.35 (stored as 98.3499…) from rounding down.
  return Math.max(0, Math.round(raw * 10 + 1e-9) / 10)
}

/** How the score is computed, in the words the dashboard and the 通报 print. */
export function scoreMethod(w: ScoreWeights): string {
  return (
    `评分方法：只计应办结事项（已办结或已过期限的）。得分 = 按期办结率 × ${w.onTime} + 办结评价平均分 ÷ 100 × ${w.evaluation}` +
    ` − 退回次数 × ${w.perReturn} − 逾期未办结 × ${w.perOverdue}（最低 0 分；尚无评价的按按期办结率计；暂无应办结事项的单位不排名）`
  )
}

export async function supervisionStats(db: Knex, planId: number | null, today: IsoDate) {
  const weights = await scoreWeights(db)
  const q = db('task_units as tu')
    .join('tasks as t', 't.id', 'tu.task_id')
    .join('org_units as u', 'u.id', 'tu.unit_id')
    .leftJoin('task_evaluations as ev', 'ev.task_unit_id', 'tu.id')
    .whereNotIn('t.status', UNPUBLISHED_STATUSES)
  if (planId) q.where('t.plan_id', planId)
  const rows = await q.select<
    Array<{
      id: number
      status: string
      unit_deadline: string | null
      task_deadline: string | null
      section: string
      unit_name: string
      score: number | null
    }>
  >('tu.id', 'tu.status', 'tu.deadline as unit_deadline', 't.deadline as task_deadline', 't.section', 'u.name as unit_name', 'ev.score')
  const ids = rows.map((r) => r.id)
  const events = await db('task_events')
    .whereIn('task_unit_id', ids)
    .whereIn('kind', ['review', 'letter', 'urge', 'contact'])
    .select('task_unit_id', 'kind', 'decision', 'at')
  const approvals = new Map<number, number>()
  const counted = new Map<string, number>()
  const bump = (key: string) => counted.set(key, (counted.get(key) ?? 0) + 1)
  for (const e of events) {
    if (e.kind === 'review' && e.decision === 'approved') approvals.set(e.task_unit_id!, Number(e.at))
    else if (e.kind === 'review' && e.decision === 'returned') bump(`returns:${e.task_unit_id}`)
    else if (e.kind !== 'review') bump(`${e.kind}:${e.task_unit_id}`)
  }
  const contactQuery = db('supervision_contacts as c').join('tasks as t', 't.id', 'c.task_id')
  if (planId) contactQuery.where('t.plan_id', planId)
  const contactRows = await contactQuery.select<Array<{ kind: 'meeting' | 'phone' | 'onsite' }>>('c.kind')
  const contacts = { meeting: 0, phone: 0, onsite: 0, urge: 0 }
  for (const c of contactRows) contacts[c.kind]++
  type Acc = {
    total: number
    done: number
    onTime: number
    due: number
    overdue: number
    returns: number
    letters: number
    contacts: number
    evaluations: number[]
  }
  const units = new Map<string, Acc>()
  const sections = new Map<string, { total: number; done: number }>()
  const trend = new Map<string, number>()
  for (const r of rows) {
    const deadline = r.unit_deadline ?? r.task_deadline
    const done = r.status === 'done'
    const doneOn = done && approvals.has(r.id) ? beijingDay(approvals.get(r.id)!) : null
    const a = units.get(r.unit_name) ?? {
      total: 0,
      done: 0,
      onTime: 0,
      due: 0,
      overdue: 0,
      returns: 0,
      letters: 0,
      contacts: 0,
      evaluations: [],
    }
    a.total++
    if (done) a.done++
    // Counted for the on-time rate once it is done or its deadline has passed.
    if (deadline && (done || today > deadline)) {
      a.due++
      if (done && doneOn && doneOn <= deadline) a.onTime++
    } else if (!deadline && done) {
      a.due++
      a.onTime++
    }
    if (!done && deadline && today > deadline) a.overdue++
    if (done && r.score != null) a.evaluations.push(Number(r.score))
    a.returns += counted.get(`returns:${r.id}`) ?? 0
    a.letters += counted.get(`letter:${r.id}`) ?? 0
    a.contacts += (counted.get(`contact:${r.id}`) ?? 0) + (counted.get(`urge:${r.id}`) ?? 0)
    contacts.urge += counted.get(`urge:${r.id}`) ?? 0
    units.set(r.unit_name, a)
    const s = sections.get(r.section) ?? { total: 0, done: 0 }
    s.total++
    if (done) s.done++
    sections.set(r.section, s)
    if (doneOn) trend.set(doneOn.slice(0, 7), (trend.get(doneOn.slice(0, 7)) ?? 0) + 1)
  }
  const rate = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : 0)
  const byUnit = [...units]
    .map(([unitName, a]) => ({
      unitName,
      total: a.total,
      done: a.done,
      completionRate: rate(a.done, a.total),
      onTimeRate: a.due ? Math.round((a.onTime / a.due) * 1000) / 10 : 0,
      overdue: a.overdue,
      returns: a.returns,
      due: a.due,
      evaluation: a.evaluations.length ? Math.round((a.evaluations.reduce((x, y) => x + y, 0) / a.evaluations.length) * 10) / 10 : null,
      letters: a.letters,
      contacts: a.contacts,
      score: unitScore(a, weights),
    }))
    // Ranked units by score; those with nothing due after them, by name.
    .sort((x, y) => (y.score ?? -1) - (x.score ?? -1) || x.unitName.localeCompare(y.unitName, 'zh-CN'))
  return {
    weights,
    method: scoreMethod(weights),
    byUnit,
    contacts,
    bySection: [...sections].map(([section, s]) => ({ section, total: s.total, done: s.done, completionRate: rate(s.done, s.total) })),
    overdueRanking: byUnit
      .filter((u) => u.overdue > 0)
      .sort((a, b) => b.overdue - a.overdue)
      .map((u) => ({ unitName: u.unitName, overdue: u.overdue })),
    trend: [...trend].sort(([a], [b]) => a.localeCompare(b)).map(([month, completed]) => ({ month, completed })),
  }
}

/** 通报: the units ranked by score, as an Excel workbook. */
export async function writeCircular(stats: Awaited<ReturnType<typeof supervisionStats>>, title: string, path: string): Promise<number> {
  const wb = new (await loadExcel()).Workbook()
  const ws = wb.addWorksheet('通报')
  ws.mergeCells('A1:K1')
  ws.getCell('A1').value = title
  ws.getCell('A1').font = { bold: true, size: 14 }
  ws.addRow(['名次', '单位', '任务数', '应办结', '已办结', '办结率(%)', '按期办结率(%)', '评价', '逾期', '退回', '得分']).font = {
    bold: true,
  }
  let rank = 0
  for (const u of stats.byUnit)
    ws.addRow([
      u.score == null ? '—' : ++rank,
      u.unitName,
      u.total,
      u.due,
      u.done,
      u.completionRate,
      u.due ? u.onTimeRate : '—',
      u.evaluation ?? '—',
      u.overdue,
      u.returns,
      u.score ?? '暂无应办结事项',
    ])
  ws.addRow([])
  ws.addRow([stats.method])
  ws.columns.forEach((c, i) => (c.width = i === 1 ? 28 : i === 10 ? 16 : 10))
  writeFileAtomic(path, Buffer.from(await wb.xlsx.writeBuffer()))
  return stats.byUnit.length
}
