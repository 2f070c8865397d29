// 反馈表 for units without the app (most 县直单位): the clerk exports a workbook of one unit's open tasks (task number,
// the task as worded, its deadline, the progress last reported, and columns for 进展情况, 完成百分比, 存在困难及下一步措施
// and 申请办结); the unit fills it in and sends it back; the import (parsed in the worker, like every file from outside)
// checks each row and turns the good ones into a progress report or a completion request in that unit's name, all in one
// transaction, with the returned file kept as their attachment. A row for another unit's task, a task number that was
// changed, or a task closed meanwhile is refused with its reason; the rest still goes in.
import { basename } from 'node:path'
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import { fieldMessage } from '../../contract/messages.zh-CN'
import type { CatalogField } from '../../contract/schemas/catalog'
import type { IsoDate } from '../calendar/working-calendar'
import { readRecordRows } from '../catalog/record-workbook'
import { storeAttachment } from '../attachments/attachment-store'
import type { StoredFiles } from '../attachments/scan-links'
import { AppError } from '../shared/app-error'
import { loadExcel } from '../shared/lazy-libs'
import { writeFileAtomic } from '../shared/write-file'
import { reportProgress, signTask, submitCompletion, UNPUBLISHED_STATUSES, type Actor } from './task-lifecycle'
import { matchUnits } from './unit-matching'

const text = (code: string, name: string, required = false): CatalogField => ({
  code,
  name,
  type: 'text',
  required,
  maxLength: 4000,
  dictTypeCode: null,
  checkRule: null,
  sensitive: false,
})

/** The form's columns, in order; the header row names them, the import finds them by name. */
const COLUMNS: CatalogField[] = [
  text('RWBH', '任务编号', true),
  text('DW', '单位', true),
  text('RWNR', '督办事项'),
  text('WCSX', '完成时限'),
  text('SCJD', '上次反馈进度(%)'),
  text('JZQK', '进展情况'),
  text('WCBFB', '完成百分比'),
  text('KNCS', '存在困难及下一步措施'),
  text('SQBJ', '申请办结（是/否）'),
]
/** Columns the unit fills in; the others are locked against slips. */
const INPUT_COLUMNS = ['JZQK', 'WCBFB', 'KNCS', 'SQBJ']
const OPEN_UNIT_STATUSES = ['assigned', 'signed', 'in_progress', 'returned']

interface OpenTask {
  task_unit_id: number
  task_id: number
  title: string
  path: string
  deadline: string | null
  percent: number
  status: string
}

async function openTasksOf(db: Knex, unitId: number): Promise<OpenTask[]> {
  return db('task_units as tu')
    .join('tasks as t', 't.id', 'tu.task_id')
    .where('tu.unit_id', unitId)
    .whereIn('tu.status', OPEN_UNIT_STATUSES)
    .whereNotIn('t.status', ['completed', 'archived', ...UNPUBLISHED_STATUSES])
    .orderBy([{ column: 't.plan_id' }, { column: 't.sort_order' }, { column: 't.id' }])
    .select<OpenTask[]>(
      'tu.id as task_unit_id',
      't.id as task_id',
      't.title',
      't.path',
      db.raw('coalesce(tu.deadline, t.deadline) as deadline'),
      'tu.percent',
      'tu.status',
    )
}

/** The name the form is offered under: the unit's, so a clerk handling many keeps them apart. */
export async function feedbackFormName(db: Knex, unitId: number, today: IsoDate): Promise<string> {
  const unit = await db('org_units').where('id', unitId).first('name')
  if (!unit) throw new AppError(ErrorCode.NotFound, 'no such unit')
  return `${unit.name}-督办事项反馈表-${today}.xlsx`
}

/** Writes the unit's 反馈表; returns how many tasks it lists. */
export async function writeFeedbackForm(db: Knex, unitId: number, path: string, today: IsoDate): Promise<number> {
  const unit = await db('org_units').where('id', unitId).first('name')
  if (!unit) throw new AppError(ErrorCode.NotFound, 'no such unit')
  const tasks = await openTasksOf(db, unitId)
  const wb = new (await loadExcel()).Workbook()
  const ws = wb.addWorksheet('反馈表')
  ws.mergeCells(1, 1, 1, COLUMNS.length)
  ws.getCell(1, 1).value = `${unit.name}督办事项反馈表（${today} 导出）`
  ws.getCell(1, 1).font = { bold: true, size: 14 }
  ws.mergeCells(2, 1, 2, COLUMNS.length)
  ws.getCell(2, 1).value =
    '填写说明：请只填写“进展情况”“完成百分比”（0～100）“存在困难及下一步措施”“申请办结”（是/否）四列；任务编号、单位、督办事项请勿改动。填好后加盖公章扫描件另行报送。'
  ws.getCell(2, 1).alignment = { wrapText: true }
  ws.getRow(2).height = 32
  ws.addRow(COLUMNS.map((c) => c.name)).font = { bold: true }
  for (const t of tasks) {
    const row = ws.addRow([String(t.task_id), unit.name, `${t.path.replaceAll('/', '.')} ${t.title}`, t.deadline ?? '', t.percent])
    for (const [i, c] of COLUMNS.entries()) {
      const cell = row.getCell(i + 1)
      cell.alignment = { wrapText: true, vertical: 'top' }
      if (INPUT_COLUMNS.includes(c.code)) cell.protection = { locked: false }
      if (c.code === 'WCBFB')
        cell.dataValidation = {
          type: 'whole',
          operator: 'between',
          formulae: [0, 100],
          showErrorMessage: true,
          error: '请填写 0～100 的整数',
          allowBlank: true,
        }
      if (c.code === 'SQBJ') cell.dataValidation = { type: 'list', formulae: ['"是,否"'], allowBlank: true }
    }
  }
  ws.columns.forEach((c, i) => (c.width = [10, 22, 44, 12, 10, 44, 10, 36, 12][i]))
  // Locked without a password: it guards against slips, not against the unit.
  await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true })
  writeFileAtomic(path, Buffer.from(await wb.xlsx.writeBuffer()))
  return tasks.length
}

export interface FeedbackIssue {
  row: number
  taskId: string | null
  reason: string
}

interface ReadyRow {
  row: number
  taskUnitId: number
  unitName: string
  status: string
  complete: boolean
  text: string
  percent: number
}

export interface FeedbackOutcome {
  rows: number
  progress: number
  completions: number
  skipped: number
  issues: FeedbackIssue[]
}

const cell = (v: unknown): string => (v == null ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim())

/** Reads and checks the returned form; with `apply`, enters the good rows (one transaction) and keeps the file. */
export async function importFeedbackForm(
  db: Knex,
  files: StoredFiles,
  path: string,
  a: Actor,
  opts: { dryRun: boolean },
): Promise<FeedbackOutcome> {
  const issues: FeedbackIssue[] = []
  const ready: ReadyRow[] = []
  const seen = new Set<number>()
  let rows = 0
  let skipped = 0
  const raws: Array<{ row: number; raw: Record<string, unknown> }> = []
  for await (const event of readRecordRows(path, COLUMNS)) {
    if (event.kind === 'header' && event.header.missingRequired.length)
      throw new AppError(ErrorCode.ImportFileRejected, 'columns missing', {
        reason: 'missing_columns',
        columns: event.header.missingRequired.map((c) => COLUMNS.find((f) => f.code === c)!.name),
      })
    if (event.kind === 'row') raws.push({ row: event.row, raw: event.raw })
  }
  const units = new Map((await matchUnits(db, [...new Set(raws.map((r) => cell(r.raw.DW)))])).map((m) => [m.name, m]))
  for (const { row, raw } of raws) {
    rows++
    const id = cell(raw.RWBH)
    const refuse = (key: string, params: Record<string, string | number> = {}) =>
      issues.push({ row, taskId: id || null, reason: fieldMessage(key, { id, ...params }) })
    const progressText = cell(raw.JZQK)
    const percentText = cell(raw.WCBFB).replace(/[%％]$/, '')
    const ask = cell(raw.SQBJ)
    if (!progressText && !percentText && !ask && !cell(raw.KNCS)) {
      skipped++ // the unit had nothing to say on this task this time
      continue
    }
    if (!id) {
      refuse('feedback.noTaskId')
      continue
    }
    const task = /^\d{1,9}$/.test(id)
      ? await db('tasks').where('id', Number(id)).first<{ id: number; title: string; path: string; status: string } | undefined>()
      : undefined
    if (!task) {
      refuse('feedback.unknownTask')
      continue
    }
    const worded = cell(raw.RWNR)
    if (worded && worded !== `${task.path.replaceAll('/', '.')} ${task.title}`) {
      refuse('feedback.titleMismatch', { title: worded })
      continue
    }
    const unit = units.get(cell(raw.DW))
    if (!unit?.unitId) {
      refuse('feedback.unknownUnit', { unit: cell(raw.DW) })
      continue
    }
    const tu = await db('task_units').where({ task_id: task.id, unit_id: unit.unitId }).first('id', 'status', 'percent')
    if (!tu) {
      refuse('feedback.otherUnit', { unit: unit.unitName! })
      continue
    }
    if (UNPUBLISHED_STATUSES.includes(task.status)) {
      refuse('feedback.notPublished')
      continue
    }
    if (!OPEN_UNIT_STATUSES.includes(tu.status) || ['completed', 'archived'].includes(task.status)) {
      refuse('feedback.closed')
      continue
    }
    if (seen.has(tu.id)) {
      refuse('feedback.duplicate')
      continue
    }
    seen.add(tu.id)
    if (ask && !['是', '否'].includes(ask)) {
      refuse('feedback.yesNo')
      continue
    }
    const complete = ask === '是'
    const percent = complete ? 100 : Number(percentText || tu.percent)
    if (!complete && (!/^\d{1,3}$/.test(percentText || String(tu.percent)) || percent > 100)) {
      refuse('feedback.percent')
      continue
    }
    if (!complete && percent < tu.percent) {
      refuse('feedback.percentBack', { percent: tu.percent })
      continue
    }
    if (!progressText) {
      refuse('feedback.textRequired')
      continue
    }
    const difficulties = cell(raw.KNCS)
    const entry = difficulties ? `${progressText}\n存在困难及下一步措施：${difficulties}` : progressText
    // The same form imported twice: a row that repeats the unit's last report is not entered again.
    const last = await db('task_events').where({ task_unit_id: tu.id, kind: 'progress' }).orderBy('id', 'desc').first('text', 'percent')
    if (!complete && last && last.text === entry && last.percent === percent) {
      refuse('feedback.already')
      continue
    }
    ready.push({
      row,
      taskUnitId: tu.id,
      unitName: unit.unitName!,
      status: tu.status,
      complete,
      percent,
      text: entry,
    })
  }
  const outcome = {
    rows,
    progress: ready.filter((r) => !r.complete).length,
    completions: ready.filter((r) => r.complete).length,
    skipped,
    issues,
  }
  if (opts.dryRun || !ready.length) return outcome
  await db.transaction(async (trx) => {
    const kept = await storeAttachment(trx, files.keys, files.dataDir, path, a.now, 'workbook')
    for (const r of ready) {
      const as: Actor = { ...a, via: 'feedback_form', label: r.unitName }
      // Checked again here: the task may have moved on between the preview and this import.
      const now = await trx('task_units').where('id', r.taskUnitId).first('status')
      if (!now || !OPEN_UNIT_STATUSES.includes(now.status))
        throw new AppError(ErrorCode.Conflict, 'changed meanwhile', { reason: 'changed' })
      if (now.status === 'assigned') await signTask(trx, r.taskUnitId, as)
      const eventId = r.complete
        ? await submitCompletion(trx, r.taskUnitId, r.text, as)
        : await reportProgress(trx, r.taskUnitId, r.text, r.percent, as)
      await trx('task_event_attachments').insert({ event_id: eventId, digest: kept.digest, file_name: basename(path) })
    }
  })
  return outcome
}
