// 反馈表 for units without the app, and the 台账: a unit's form lists its open tasks; filled in and imported, each good
// row becomes a progress report or a completion request in the unit's name (one transaction, the file kept with them);
// a row for another unit's task, a changed task number or a task closed meanwhile is refused with its reason.
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { errorOf, expectOk, tempDir } from '../helpers'
import { office } from '../supervision-office'

type Outcome = {
  cancelled: boolean
  rows: number
  progress: number
  completions: number
  skipped: number
  issues: Array<{ row: number; taskId: string | null; reason: string }>
}

async function readSheet(file: string) {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(file)
  return wb.worksheets[0]!
}

async function setUp() {
  const o = await office()
  const { units, published, boss } = o
  const t1 = await published({ title: '清理失信名单' })
  const t2 = await published({ title: '报送双公示数据', cooperatingUnitIds: [] })
  const t3 = await published({ title: '制定信用承诺办法', cooperatingUnitIds: [] })
  const t4 = await published({ title: '数据对接', leadUnitIds: [units.sjj], cooperatingUnitIds: [] })
  const t5 = await published({ title: '信用宣传月', cooperatingUnitIds: [] })
  const draft = (expectOk(await boss('tasks:create', o.task({ title: '尚未发布的事项' }))) as { id: number }).id
  return { ...o, t1, t2, t3, t4, t5, draft }
}

describe('the 反馈表', () => {
  it('lists the unit’s open published tasks and nothing else', async () => {
    const { b, clerk, units, t1, t2, t3, t5 } = await setUp()
    const file = join(tempDir(), 'form.xlsx')
    b.savePath.value = file
    expect(expectOk(await clerk('tasks:feedback-form', { unitId: units.fgj }))).toMatchObject({ cancelled: false, rows: 4 })
    const ws = await readSheet(file)
    expect(String(ws.getCell('A1').value)).toMatch(/^县发展改革局督办事项反馈表（2026-11-22 导出）$/)
    expect(ws.getRow(3).values).toEqual([
      undefined,
      '任务编号',
      '单位',
      '督办事项',
      '完成时限',
      '上次反馈进度(%)',
      '进展情况',
      '完成百分比',
      '存在困难及下一步措施',
      '申请办结（是/否）',
    ])
    expect([4, 5, 6, 7].map((r) => [ws.getCell(r, 1).value, ws.getCell(r, 2).value, ws.getCell(r, 3).value])).toEqual([
      [String(t1), '县发展改革局', '1 清理失信名单'],
      [String(t2), '县发展改革局', '2 报送双公示数据'],
      [String(t3), '县发展改革局', '3 制定信用承诺办法'],
      [String(t5), '县发展改革局', '5 信用宣传月'],
    ])
    // What the unit fills in is open; the task number and wording are locked against slips.
    expect(ws.getCell(4, 6).protection).toMatchObject({ locked: false })
    expect(ws.getCell(4, 1).protection?.locked).not.toBe(false)
    expect(ws.getCell(4, 7).dataValidation).toMatchObject({ type: 'whole', formulae: [0, 100] })
  })

  it('imports progress for two tasks and a completion request for a third; bad rows are refused with their reason', async () => {
    const { b, clerk, boss, units, t1, t2, t3, t4, t5, draft, detail } = await setUp()
    const form = join(tempDir(), '县发展改革局-反馈表.xlsx')
    b.savePath.value = form
    expectOk(await clerk('tasks:feedback-form', { unitId: units.fgj }))
    const ws = await readSheet(form)
    const fill = (r: number, cells: Record<number, string | number>) => {
      for (const [c, v] of Object.entries(cells)) ws.getCell(r, Number(c)).value = v
    }
    fill(4, { 6: '已完成 2019 年以前名单的清理', 7: 40 }) // t1
    fill(5, { 6: '已报送 10 月数据', 7: '60%', 8: '部分部门数据质量差；下周召开协调会' }) // t2
    fill(6, { 6: '办法已印发', 9: '是' }) // t3: completion
    fill(7, { 6: '宣传月活动方案已拟定', 7: 30 }) // t5: closed before the import (below)
    // Rows the unit added or changed: another unit's task, a number changed to another task, a number that does not exist,
    // a task not yet published, a percentage out of range.
    ws.addRow([String(t4), '县发展改革局', `4 数据对接`, '', '', '已对接', 50])
    ws.addRow([String(t4), '县发展改革局', '1 清理失信名单', '', '', '编号被改了', 50])
    ws.addRow(['99999', '县发展改革局', '', '', '', '不存在的任务', 10])
    ws.addRow([String(draft), '县发展改革局', '', '', '', '草稿', 10])
    ws.addRow([String(t1), '县发展改革局', '1 清理失信名单', '', '', '重复的一行', 120])
    await ws.workbook.xlsx.writeFile(form)
    // Meanwhile 县发展改革局 finishes t5 in the app.
    const t5unit = (await detail(t5)).units[0]!.id
    expectOk(await clerk('tasks:sign', { taskUnitId: t5unit }))
    expectOk(await clerk('tasks:submit', { taskUnitId: t5unit, text: '已完成' }))

    expect(errorOf(await boss('tasks:feedback-preview')).code).toBe('FORBIDDEN')
    expect(expectOk(await clerk('tasks:feedback-import'))).toMatchObject({ cancelled: true }) // nothing checked yet
    b.openPath.value = form
    const before = await b.db('task_events').count({ n: '*' }).first()
    const preview = expectOk(await clerk('tasks:feedback-preview')) as Outcome
    expect(preview).toMatchObject({ cancelled: false, rows: 9, progress: 2, completions: 1, skipped: 0 })
    expect(preview.issues.map((i) => [i.row, i.reason])).toEqual([
      [7, `任务 ${t5} 已办结或已提交办结申请，本行不再导入`],
      [8, `任务 ${t4} 不是“县发展改革局”承办的任务（反馈表属于其他单位？）`],
      [9, `任务编号 ${t4} 与督办事项“1 清理失信名单”不符（编号可能被改动）`],
      [10, '任务编号 99999 不存在（可能被改动）'],
      [11, `任务 ${draft} 尚未交办`],
      [12, `任务 ${t1} 在表中出现了不止一次`],
    ])
    expect(await b.db('task_events').count({ n: '*' }).first()).toEqual(before) // a preview writes nothing

    const done = expectOk(await clerk('tasks:feedback-import')) as Outcome
    expect(done).toMatchObject({ progress: 2, completions: 1, issues: preview.issues })
    const unitOf = async (taskId: number) => (await detail(taskId)).units.find((u) => u.unitName === '县发展改革局')!
    expect(await unitOf(t1)).toMatchObject({ status: 'in_progress', percent: 40 })
    expect(await unitOf(t2)).toMatchObject({ status: 'in_progress', percent: 60 })
    expect(await unitOf(t3)).toMatchObject({ status: 'submitted', percent: 100 })
    expect(await unitOf(t5)).toMatchObject({ status: 'submitted' }) // untouched by its refused row
    const entered = (await detail(t2)).events.filter((e) => e.via === 'feedback_form')
    expect(entered.map((e) => [e.kind, e.text])).toEqual([
      ['sign', null],
      ['progress', '已报送 10 月数据\n存在困难及下一步措施：部分部门数据质量差；下周召开协调会'],
    ])
    // The returned file is kept with what it brought in.
    const files = await b.db('task_event_attachments as a').join('attachments as f', 'f.digest', 'a.digest').select('a.file_name', 'f.mime')
    expect(files).toHaveLength(3)
    expect(new Set(files.map((f) => f.file_name))).toEqual(new Set(['县发展改革局-反馈表.xlsx']))
    expect(files[0]!.mime).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    // The completion request waits for a supervisor like any other.
    expect((expectOk(await boss('tasks:review-queue')) as Array<{ taskId: number; kind: string }>).map((q) => [q.taskId, q.kind])).toEqual([
      [t5, 'completion'],
      [t3, 'completion'],
    ])
    // Importing the same form again: the completion is no longer open, and percentages cannot go back.
    b.openPath.value = form
    const again = expectOk(await clerk('tasks:feedback-preview')) as Outcome
    expect(again).toMatchObject({ progress: 0, completions: 0 })
    expect(again.issues.map((i) => [i.row, i.reason]).slice(0, 3)).toEqual([
      [4, '与上次反馈的进展相同（这份反馈表已导入过？），本行未再导入'],
      [5, '与上次反馈的进展相同（这份反馈表已导入过？），本行未再导入'],
      [6, `任务 ${t3} 已办结或已提交办结申请，本行不再导入`],
    ])
    const events = await b.db('task_events').count({ n: '*' }).first()
    expect(expectOk(await clerk('tasks:feedback-import'))).toMatchObject({ progress: 0, completions: 0 })
    expect(await b.db('task_events').count({ n: '*' }).first()).toEqual(events)
  })

  it('refuses a percentage lower than the last one reported, a missing progress text, and a workbook without its columns', async () => {
    const { b, clerk, units, t1, detail } = await setUp()
    const t1unit = (await detail(t1)).units[0]!.id
    expectOk(await clerk('tasks:sign', { taskUnitId: t1unit }))
    expectOk(await clerk('tasks:progress', { taskUnitId: t1unit, text: '过半', percent: 50 }))
    const form = join(tempDir(), 'form.xlsx')
    b.savePath.value = form
    expectOk(await clerk('tasks:feedback-form', { unitId: units.fgj }))
    const ws = await readSheet(form)
    expect(ws.getCell(4, 5).value).toBe(50) // the progress last reported is in the form
    ws.getCell(4, 6).value = '有进展'
    ws.getCell(4, 7).value = 40
    ws.getCell(5, 7).value = 20
    ws.getCell(6, 6).value = '进展'
    ws.getCell(6, 9).value = '可以'
    await ws.workbook.xlsx.writeFile(form)
    b.openPath.value = form
    const r = expectOk(await clerk('tasks:feedback-preview')) as Outcome
    expect(r.issues.map((i) => [i.row, i.reason])).toEqual([
      [4, '完成百分比不能低于上次反馈的 50%'],
      [5, '请填写进展情况'],
      [6, '申请办结请填“是”或“否”'],
    ])
    expect(r.skipped).toBe(1)
    // A workbook that is not a 反馈表.
    const other = new ExcelJS.Workbook()
    other.addWorksheet('x').addRow(['姓名', '单位', '电话'])
    const stranger = join(tempDir(), 'stranger.xlsx')
    await other.xlsx.writeFile(stranger)
    b.openPath.value = stranger
    expect(errorOf(await clerk('tasks:feedback-preview')).code).toBe('IMPORT_FILE_REJECTED')
  })
})

describe('the 台账', () => {
  it('has one row per task and unit across plans, filtered like the screen, and reads back from Excel', async () => {
    const { b, clerk, boss, units, later, t1, t4 } = await setUp()
    type Row = {
      taskId: number
      taskUnitId: number
      unitName: string
      role: string
      status: string
      light: string
      letters: string[]
      lastProgress: string | null
    }
    const ledger = async (q: Record<string, unknown> = {}) => expectOk(await clerk('tasks:ledger', q)) as Row[]
    expect((await ledger()).map((r) => [r.taskId, r.unitName, r.role])).toEqual([
      [t1, '县发展改革局', 'lead'],
      [t1, '县数据局', 'cooperating'],
      [t1 + 1, '县发展改革局', 'lead'],
      [t1 + 2, '县发展改革局', 'lead'],
      [t4, '县数据局', 'lead'],
      [t1 + 4, '县发展改革局', 'lead'],
    ])
    expect((await ledger({ unitId: units.sjj })).map((r) => r.taskId)).toEqual([t1, t4])
    const sjjOnT4 = (await ledger({ unitId: units.sjj }))[1]!
    expectOk(await clerk('tasks:sign', { taskUnitId: sjjOnT4.taskUnitId }))
    expectOk(await clerk('tasks:progress', { taskUnitId: sjjOnT4.taskUnitId, text: '接口已联调', percent: 30 }))
    expect((await ledger({ status: 'in_progress' })).map((r) => [r.taskId, r.lastProgress])).toEqual([[t4, '接口已联调']])
    await later(39) // 2026-12-31 … all yellow, within 5 working days
    expect(await ledger({ light: 'green' })).toEqual([])
    await later(1) // 2027-01-01: all red
    expectOk(
      await boss('letters:issue', {
        taskId: t4,
        level: 'letter',
        taskUnitIds: [sjjOnT4.taskUnitId],
        newDeadline: '2027-01-15',
        note: null,
      }),
    )
    expect((await ledger({ light: 'red' })).map((r) => r.taskId)).not.toContain(t4)
    const file = join(tempDir(), 'ledger.xlsx')
    b.savePath.value = file
    expect(expectOk(await clerk('tasks:export-ledger', { unitId: units.sjj }))).toMatchObject({ cancelled: false, rows: 2 })
    const ws = await readSheet(file)
    expect(String(ws.getCell('A1').value)).toBe('督查督办台账（截至 2027-01-01）')
    expect(ws.getRow(2).values).toEqual([
      undefined,
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
    ])
    expect(ws.getRow(4).values).toEqual([
      undefined,
      '2026年临时督办事项',
      '临时督办事项',
      '4',
      '数据对接',
      '县数据局',
      '牵头',
      '2027-01-15',
      '办理中',
      '预警',
      30,
      '接口已联调',
      '2026年11月22日',
      '信用督〔2027〕1号',
    ])
  })
})
