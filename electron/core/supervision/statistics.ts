// The supervisor's picture: completion by unit and by section, the overdue ranking, completions per
// month, and 目标考核 scores per unit (on-time rate minus deductions for returns and overdue items,
// weights from settings) for the periodic 通报, which also goes out as an Excel workbook.
import type { Knex } from 'knex'
import type { IsoDate } from '../calendar/working-calendar'
import { writeFileAtomic } from '../shared/write-file'
import { loadExcel } from '../shared/lazy-libs'
import { scoreWeights } from './supervision-settings'

const beijingDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10)

export async function supervisionStats(db: Knex, planId: number | null, today: IsoDate) {
  const weights = await scoreWeights(db)
  const q = db('task_units as tu')
    .join('tasks as t', 't.id', 'tu.task_id')
    .join('org_units as u', 'u.id', 'tu.unit_id')
    .whereNot('t.status', 'created')
  if (planId) q.where('t.plan_id', planId)
  const rows = await q.select<
    Array<{ id: number; status: string; unit_deadline: string | null; task_deadline: string | null; section: string; unit_name: string }>
  >('tu.id', 'tu.status', 'tu.deadline as unit_deadline', 't.deadline as task_deadline', 't.section', 'u.name as unit_name')
  const ids = rows.map((r) => r.id)
  const approved = await db('task_events')
    .where({ kind: 'review', decision: 'approved' })
    .whereIn('task_unit_id', ids)
    .select('task_unit_id', 'at')
  const approvals = new Map(approved.map((e) => [e.task_unit_id!, Number(e.at)]))
  const returns = new Map<number, number>()
  for (const e of await db('task_events')
    .where({ kind: 'review', decision: 'returned' })
    .whereIn('task_unit_id', ids)
    .select('task_unit_id')) {
    returns.set(e.task_unit_id!, (returns.get(e.task_unit_id!) ?? 0) + 1)
  }
  type Acc = { total: number; done: number; onTime: number; due: number; overdue: number; returns: number }
  const units = new Map<string, Acc>()
  const sections = new Map<string, { total: number; done: number }>()
  const trend = new Map<string, number>()
  for (const r of rows) {
    const deadline = r.unit_deadline ?? r.task_deadline
    const done = r.status === 'done'
    const doneOn = done && approvals.has(r.id) ? beijingDay(approvals.get(r.id)!) : null
    const a = units.get(r.unit_name) ?? { total: 0, done: 0, onTime: 0, due: 0, overdue: 0, returns: 0 }
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
    a.returns += returns.get(r.id) ?? 0
    units.set(r.unit_name, a)
    const s = sections.get(r.section) ?? { total: 0, done: 0 }
    s.total++
    if (done) s.done++
    sections.set(r.section, s)
    if (doneOn) trend.set(doneOn.slice(0, 7), (trend.get(doneOn.slice(0, 7)) ?? 0) + 1)
  }
  const rate = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : 0)
  const byUnit = [...units]
    .map(([unitName, a]) => {
      const onTimeRate = a.due ? a.onTime / a.due : 1
      const score = Math.max(
        0,
        Math.round((onTimeRate * weights.onTime - a.returns * weights.perReturn - a.overdue * weights.perOverdue) * 10) / 10,
      )
      return {
        unitName,
        total: a.total,
        done: a.done,
        completionRate: rate(a.done, a.total),
        onTimeRate: Math.round(onTimeRate * 1000) / 10,
        overdue: a.overdue,
        returns: a.returns,
        score,
      }
    })
    .sort((x, y) => y.score - x.score || x.unitName.localeCompare(y.unitName))
  return {
    weights,
    byUnit,
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
  ws.mergeCells('A1:I1')
  ws.getCell('A1').value = title
  ws.getCell('A1').font = { bold: true, size: 14 }
  ws.addRow(['名次', '单位', '任务数', '已办结', '办结率(%)', '按期办结率(%)', '逾期', '退回', '得分']).font = { bold: true }
  stats.byUnit.forEach((u, i) =>
    ws.addRow([i + 1, u.unitName, u.total, u.done, u.completionRate, u.onTimeRate, u.overdue, u.returns, u.score]),
  )
  ws.addRow([])
  ws.addRow([
    `评分方法：按期办结率 × ${stats.weights.onTime} − 退回次数 × ${stats.weights.perReturn} − 逾期未办结 × ${stats.weights.perOverdue}（最低 0 分）`,
  ])
  ws.columns.forEach((c, i) => (c.width = i === 1 ? 28 : 12))
  writeFileAtomic(path, Buffer.from(await wb.xlsx.writeBuffer()))
  return stats.byUnit.length
}
