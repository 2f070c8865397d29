// The 督查督办 commands: plan import (refusing unknown unit names unless --create-units), tasks feedback-form for a unit
// named by an alias, tasks feedback-import (--dry-run changes nothing; the real run enters the good rows) and tasks ledger.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/index'
import { manualClock } from '../../electron/core/shared/clock'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'
import { openDatabase } from '../../electron/core/shared/open-database'
import { assignTasks } from '../../electron/core/supervision/task-lifecycle'
import { completeSetup } from '../../electron/core/system/setup'
import { createUnit } from '../../electron/core/system/units'
import { PLAN } from '../fixtures/sample-plan'
import { SETUP, tempDir } from '../helpers'

async function run(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { log: (l) => out.push(l), error: (l) => err.push(l) })
  return { code, out, err }
}

async function withDb<T>(dir: string, fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const { db } = await openDatabase(dir)
  try {
    return await fn(db)
  } finally {
    await db.destroy()
    unlockDataDir(dir)
  }
}

describe('督查督办 on the command line', () => {
  it('imports a plan, hands a unit its 反馈表 and takes it back, and writes the 台账', { timeout: 120_000 }, async () => {
    const dir = tempDir()
    const clock = manualClock(Date.now())
    await withDb(dir, async (db) => {
      await completeSetup(db, clock, SETUP)
      const id = await createUnit(db, clock, {
        parentId: null,
        name: '县发展改革局',
        kind: 'county_dept',
        creditCode: null,
        regionCode: null,
        sortOrder: 1,
      })
      await db('unit_aliases').insert({ alias: '县发改局', unit_id: id, created_at: clock.now() })
    })
    const file = join(tempDir(), '工作要点.txt')
    writeFileSync(file, PLAN)
    const refused = await run('plan', 'import', file, '--data-dir', dir)
    expect(refused.code).toBe(1)
    expect(refused.err.join('\n')).toContain('县数据局')
    await withDb(dir, async (db) => expect(await db('plans').count({ n: '*' }).first()).toEqual({ n: 0 }))
    const imported = await run('plan', 'import', file, '--data-dir', dir, '--create-units', '--json')
    expect(imported.code).toBe(0)
    const result = JSON.parse(imported.out[0]!) as { planId: number; tasks: number; unitsCreated: number }
    expect(result.tasks).toBeGreaterThan(5)
    expect(result.unitsCreated).toBeGreaterThan(5)
    // 县发展改革局 existed: matched, not created again.
    await withDb(dir, async (db) => {
      expect(await db('org_units').where('name', '县发展改革局').count({ n: '*' }).first()).toEqual({ n: 1 })
      const top = await db('tasks').where('plan_id', result.planId).whereNull('parent_id').pluck('id')
      await assignTasks(db, top, {
        userId: null,
        label: 'os:test',
        now: Date.now(),
        today: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
      })
    })

    const form = join(tempDir(), 'form.xlsx')
    expect((await run('tasks', 'feedback-form', '--data-dir', dir, '--unit', '县某局', '--out', form)).code).toBe(1)
    const exported = await run('tasks', 'feedback-form', '--data-dir', dir, '--unit', '县发改局', '--out', form)
    expect(exported.code).toBe(0)
    expect(exported.out[0]).toMatch(/^已导出县发展改革局的反馈表，\d+ 项未办结任务/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(form)
    const ws = wb.worksheets[0]!
    expect(ws.getCell(4, 2).value).toBe('县发展改革局')
    ws.getCell(4, 6).value = '平台升级方案已批复'
    ws.getCell(4, 7).value = 30
    ws.getCell(5, 6).value = '目录已梳理'
    ws.getCell(5, 9).value = '是'
    ws.addRow(['88888', '县发展改革局', '', '', '', '不存在的任务', 10])
    await wb.xlsx.writeFile(form)

    const dry = await run('tasks', 'feedback-import', form, '--data-dir', dir, '--dry-run', '--json')
    expect(dry.code).toBe(1) // a row was refused
    expect(JSON.parse(dry.out[0]!)).toMatchObject({
      dryRun: true,
      progress: 1,
      completions: 1,
      issues: [{ taskId: '88888', reason: '任务编号 88888 不存在（可能被改动）' }],
    })
    await withDb(dir, async (db) =>
      expect(await db('task_events').where('via', 'feedback_form').count({ n: '*' }).first()).toEqual({ n: 0 }),
    )
    const real = await run('tasks', 'feedback-import', form, '--data-dir', dir)
    expect(real.out[0]).toMatch(/^导入完成：/)
    expect(real.out.join('\n')).toContain('进展反馈 1 项，办结申请 1 项')
    expect(real.out.join('\n')).toMatch(/第 \d+ 行\t任务编号 88888 不存在/)
    await withDb(dir, async (db) => {
      const events = await db('task_events').where('via', 'feedback_form').select('kind', 'actor_id', 'actor_label')
      expect(events.map((e) => e.kind).sort()).toEqual(['progress', 'sign', 'sign', 'submit'])
      expect(events.every((e) => e.actor_id === null && e.actor_label === '县发展改革局')).toBe(true)
      expect(await db('audit_log').where('procedure', 'cli:tasks-feedback-import').count({ n: '*' }).first()).toEqual({ n: 1 })
    })

    const ledger = join(tempDir(), 'ledger.xlsx')
    const written = await run('tasks', 'ledger', '--data-dir', dir, '--out', ledger)
    expect(written.code).toBe(0)
    const lw = new ExcelJS.Workbook()
    await lw.xlsx.readFile(ledger)
    const rows = lw.worksheets[0]!.getSheetValues().filter(Boolean).slice(2) as unknown[][]
    expect(written.out[0]).toBe(`已导出台账 ${rows.length} 行：${ledger}`)
    expect(rows.some((r) => r[5] === '县发展改革局' && r[8] === '待审核')).toBe(true)
  })
})
