// The 台账: every published task across plans, one row per task and unit — plan, section, task, the unit and its
// role, deadline, status, light, the last progress reported, the letters it received and its evaluation — filtered
// as on the screen, and written to Excel for the file.
import type { Knex } from 'knex'
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar'
import { loadExcel } from '../shared/lazy-libs'
import { writeFileAtomic } from '../shared/write-file'
import { chineseDayOf } from '../../contract/dates.zh-CN'
import { LIGHT_LABELS, TASK_ROLE_LABELS, UNIT_STATUS_LABELS } from '../../contract/labels.zh-CN'
import { lightRules } from './supervision-settings'
import { lightOf, startedOn, UNPUBLISHED_STATUSES, type Light, type UnitStatus } from './task-lifecycle'

export interface LedgerFilter {
  planId: number | null
  unitId: number | null
  status: UnitStatus | null
  light: Light | null
}

interface Row {
  id: number
  task_id: number
  plan_title: string
  section: string
  path: string
  title: string
  unit_id: number
  unit_name: string
  role: string
  unit_deadline: string | null
  task_deadline: string | null
  status: UnitStatus
  percent: number
  assigned_at: number | null
  score: number | null
}

export async function ledgerRows(db: Knex, filter: LedgerFilter, today: IsoDate, calendar: WorkingCalendar) {
  const rules = await lightRules(db)
  const q = db('task_units as tu')
    .join('tasks as t', 't.id', 'tu.task_id')
    .join('plans as p', 'p.id', 't.plan_id')
    .join('org_units as u', 'u.id', 'tu.unit_id')
    .leftJoin('task_evaluations as ev', 'ev.task_unit_id', 'tu.id')
    .whereNotIn('t.status', UNPUBLISHED_STATUSES)
    .orderBy([{ column: 'p.id' }, { column: 't.sort_order' }, { column: 't.id' }, { column: 'tu.id' }])
  if (filter.planId) q.where('t.plan_id', filter.planId)
  if (filter.unitId) q.where('tu.unit_id', filter.unitId)
  if (filter.status) q.where('tu.status', filter.status)
  const rows = await q.select<Row[]>(
    'tu.id',
    't.id as task_id',
    'p.title as plan_title',
    't.section',
    't.path',
    't.title',
    'u.id as unit_id',
    'u.name as unit_name',
    'tu.role',
    'tu.deadline as unit_deadline',
    't.deadline as task_deadline',
    'tu.status',
    'tu.percent',
    't.assigned_at',
    'ev.score',
  )
  const ids = rows.map((r) => r.id)
  const progress = new Map<number, { text: string; at: number }>()
  // Latest progress report per unit: ids grow with time, so the highest is the last.
  for (const e of await db('task_events')
    .whereIn('task_unit_id', ids)
    .where('kind', 'progress')
    .orderBy('id')
    .select<Array<{ task_unit_id: number; text: string | null; at: number }>>('task_unit_id', 'text', 'at'))
    progress.set(e.task_unit_id, { text: e.text ?? '', at: Number(e.at) })
  const letters = new Map<number, string[]>()
  for (const l of await db('letter_recipients as r')
    .join('supervision_letters as l', 'l.id', 'r.letter_id')
    .whereIn('r.task_unit_id', ids)
    .orderBy('l.id')
    .select<Array<{ task_unit_id: number; doc_number: string }>>('r.task_unit_id', 'l.doc_number'))
    letters.set(l.task_unit_id, [...(letters.get(l.task_unit_id) ?? []), l.doc_number])
  return rows
    .map((r) => {
      const deadline = r.unit_deadline ?? r.task_deadline
      const last = progress.get(r.id)
      return {
        taskUnitId: r.id,
        taskId: r.task_id,
        planTitle: r.plan_title,
        section: r.section,
        path: r.path.split('/'),
        title: r.title,
        unitId: r.unit_id,
        unitName: r.unit_name,
        role: r.role,
        deadline,
        status: r.status,
        light: lightOf({ status: r.status, deadline, percent: r.percent, startedOn: startedOn(r.assigned_at) }, today, rules, calendar),
        percent: r.percent,
        lastProgress: last?.text ?? null,
        lastProgressAt: last?.at ?? null,
        letters: letters.get(r.id) ?? [],
        evaluation: r.score == null ? null : Number(r.score),
      }
    })
    .filter((r) => !filter.light || r.light === filter.light)
}

export const LEDGER_HEADERS = [
  '工作计划',
  '章节',
  '序号',
  '督办事项',
  '单位',
  '角色',
  '完成时限',
  '办理状态',
  '亮灯',
  '完成百分比',
  '最近进展',
  '进展日期',
  '督办函',
  '办结评价',
]

export async function writeLedger(rows: Awaited<ReturnType<typeof ledgerRows>>, title: string, path: string): Promise<number> {
  const wb = new (await loadExcel()).Workbook()
  const ws = wb.addWorksheet('督查督办台账')
  ws.mergeCells(1, 1, 1, LEDGER_HEADERS.length)
  ws.getCell('A1').value = title
  ws.getCell('A1').font = { bold: true, size: 14 }
  ws.addRow(LEDGER_HEADERS).font = { bold: true }
  for (const r of rows)
    ws.addRow([
      r.planTitle,
      r.section,
      r.path.join('.'),
      r.title,
      r.unitName,
      TASK_ROLE_LABELS[r.role] ?? r.role,
      r.deadline ?? '',
      UNIT_STATUS_LABELS[r.status],
      LIGHT_LABELS[r.light],
      r.percent,
      r.lastProgress ?? '',
      r.lastProgressAt == null ? '' : chineseDayOf(r.lastProgressAt),
      r.letters.join('、'),
      r.evaluation,
    ])
  ws.columns.forEach((c, i) => (c.width = [24, 18, 8, 40, 22, 8, 12, 10, 8, 10, 40, 16, 24, 10][i]))
  ws.views = [{ state: 'frozen', ySplit: 2 }]
  writeFileAtomic(path, Buffer.from(await wb.xlsx.writeBuffer()))
  return rows.length
}
