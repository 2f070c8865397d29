// The supervision loop through the router: 交办 → 签收 → 进展 → 延期 (approved by someone else) →
// 提交办结 → 退回 → again → 通过 → completed → 归档, each step attributed; traffic lights in working days.
import { readFileSync, writeFileSync } from 'node:fs'
import JSZip from 'jszip'
import ExcelJS from 'exceljs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packagedCalendar } from '../../electron/core/calendar/working-calendar'
import { lightOf, recurrenceInstances } from '../../electron/core/supervision/task-lifecycle'
import { PLAN } from '../fixtures/sample-plan'
import { adminSession, errorOf, expectOk, freshBackend, tempDir, userSession } from '../helpers'

type Detail = {
  status: string
  light: string
  units: Array<{ id: number; unitName: string; role: string; status: string; percent: number; deadline: string | null; light: string }>
  events: Array<{ id: number; kind: string; actorName: string; status: string; decision: string | null }>
}

async function savedPlan() {
  const b = await freshBackend() // clock: 2026-11-22 (Sunday)
  const admin = await adminSession(b)
  const clerk = await userSession(b, admin, 'clerk1', ['clerk'])
  const boss = await userSession(b, admin, 'boss', ['supervisor'])
  const file = join(tempDir(), 'plan.txt')
  writeFileSync(file, PLAN)
  b.openPath.value = file
  const draft = expectOk(await clerk('plans:parse')) as {
    title: string
    year: number
    docNumber: string
    tasks: unknown[]
    matches: Array<{ name: string; unitId: number | null }>
  }
  const { planId } = expectOk(
    await clerk('plans:confirm', {
      title: draft.title,
      issuer: null,
      docNumber: draft.docNumber,
      year: draft.year,
      sourceFile: null,
      tasks: draft.tasks,
      resolutions: draft.matches.map((m) => ({ name: m.name, unitId: m.unitId, create: true })),
    }),
  ) as { planId: number }
  const tasks = expectOk(await clerk('plans:tasks', { planId })) as Array<{ id: number; path: string[] }>
  return { b, clerk, boss, taskId: tasks[0]!.id, tasks, planId } // 二/1: deadline 2026-12-31; lead 县发展改革局, cooperating 县数据局, 县财政局
}

describe('supervision tasks through the router', () => {
  it('runs the loop for each unit, with every step attributed, until the task is archived', async () => {
    const { b, clerk, boss, taskId } = await savedPlan()
    const get = async () => expectOk(await clerk('tasks:get', { taskId })) as Detail
    // The 工作台 counts what waits: four top-level tasks to assign for the clerk.
    expect(expectOk(await clerk('home:todo'))).toMatchObject({ tasksToAssign: 4, completionsToReview: null })
    expect(errorOf(await clerk('tasks:sign', { taskUnitId: (await get()).units[0]!.id })).details).toMatchObject({ reason: 'not_assigned' })
    expectOk(await clerk('tasks:assign', { taskId }))
    const [lead, ...others] = (await get()).units
    expect(lead).toMatchObject({ unitName: '县发展改革局', role: 'lead', status: 'assigned', deadline: '2026-12-31', light: 'green' })

    expectOk(await clerk('tasks:sign', { taskUnitId: lead!.id }))
    expectOk(await clerk('tasks:progress', { taskUnitId: lead!.id, text: '已完成平台需求调研', percent: 40 }))
    expect(errorOf(await clerk('tasks:progress', { taskUnitId: lead!.id, text: '倒退', percent: 30 })).details!.fields).toEqual([
      { path: 'percent', message: 'task.percentBack', params: { percent: 40 } },
    ])
    // A stamped scan behind the progress report: stored sealed, shown back whole.
    const progressEvent = (await get()).events.find((e) => e.kind === 'progress')!.id
    const scan = join(tempDir(), '进展报告（盖章）.png')
    writeFileSync(
      scan,
      Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64'),
    )
    b.openPath.value = scan
    expect(expectOk(await clerk('tasks:attach', { eventId: progressEvent }))).toEqual({ attached: true, fileName: '进展报告（盖章）.png' })
    const assignEvent = (await get()).events.find((e) => e.kind === 'assign')!.id
    expect(errorOf(await clerk('tasks:attach', { eventId: assignEvent })).details).toMatchObject({ reason: 'not_attachable' })
    const withFile = (await get()).events.find((e) => e.id === progressEvent) as unknown as {
      attachments: Array<{ digest: string; fileName: string }>
    }
    const shown = expectOk(await boss('tasks:attachment', { eventId: progressEvent, digest: withFile.attachments[0]!.digest })) as {
      base64: string
      mime: string
    }
    expect(shown.mime).toBe('image/png')
    expect(Buffer.from(shown.base64, 'base64')).toEqual(readFileSync(scan))

    // An extension: not earlier than the current deadline, decided by a supervisor, never by the requester.
    expect(
      errorOf(await clerk('tasks:request-extension', { taskUnitId: lead!.id, reason: '设备到货延迟', newDeadline: '2026-12-01' })).details!
        .fields,
    ).toEqual([{ path: 'newDeadline', message: 'task.extensionNotLater', params: { current: '2026-12-31' } }])
    const ext = (
      expectOk(await clerk('tasks:request-extension', { taskUnitId: lead!.id, reason: '设备到货延迟', newDeadline: '2027-01-31' })) as {
        id: number
      }
    ).id
    expect(errorOf(await clerk('tasks:decide-extension', { eventId: ext, decision: 'approved', comment: '同意' })).code).toBe('FORBIDDEN')
    expect(expectOk(await boss('home:todo'))).toMatchObject({ extensionsToDecide: 1, tasksToAssign: 3 })
    // The supervisor's queue shows the request with the dates it would change; the clerk has no queue.
    expect(expectOk(await boss('tasks:review-queue'))).toEqual([
      expect.objectContaining({
        kind: 'extension',
        taskId,
        taskUnitId: lead!.id,
        unitName: '县发展改革局',
        text: '设备到货延迟',
        deadline: '2026-12-31',
        newDeadline: '2027-01-31',
        byName: 'clerk1',
      }),
    ])
    expect(errorOf(await clerk('tasks:review-queue')).code).toBe('FORBIDDEN')
    expectOk(await boss('tasks:decide-extension', { eventId: ext, decision: 'approved', comment: '同意延期一个月' }))
    expect((await get()).units[0]).toMatchObject({ deadline: '2027-01-31', status: 'in_progress', percent: 40 })

    // Submit, returned with comments, submit again, approved.
    expectOk(await clerk('tasks:submit', { taskUnitId: lead!.id, text: '平台已上线，附验收报告' }))
    expect(errorOf(await clerk('tasks:review', { taskUnitId: lead!.id, decision: 'approved', comment: '好' })).code).toBe('FORBIDDEN')
    expect(expectOk(await boss('home:todo'))).toMatchObject({ completionsToReview: 1, extensionsToDecide: 0 })
    expectOk(await boss('tasks:review', { taskUnitId: lead!.id, decision: 'returned', comment: '缺少验收报告盖章页' }))
    expect((await get()).units[0]).toMatchObject({ status: 'returned', percent: 40 })
    // The return is on the clerk's 工作台 and in the 催办清单, though the deadline is still far off.
    expect(expectOk(await clerk('home:todo'))).toMatchObject({ tasksReturned: 1, tasksOverdue: 0 })
    const dueNow = expectOk(await clerk('tasks:due')) as Array<{ taskUnitId: number; status: string; light: string }>
    expect(dueNow.find((d) => d.taskUnitId === lead!.id)).toMatchObject({ status: 'returned', light: 'green' })
    expectOk(await clerk('tasks:submit', { taskUnitId: lead!.id, text: '补充盖章页' }))
    // Resubmitted after a return: the queue holds the latest submission only.
    expect(expectOk(await boss('tasks:review-queue'))).toEqual([
      expect.objectContaining({ kind: 'completion', taskUnitId: lead!.id, text: '补充盖章页', newDeadline: null }),
    ])
    expectOk(await boss('tasks:review', { taskUnitId: lead!.id, decision: 'approved', comment: '通过' }))
    expect(errorOf(await boss('tasks:archive', { taskId })).details).toMatchObject({ reason: 'not_completed' })
    for (const u of others) {
      expectOk(await clerk('tasks:sign', { taskUnitId: u.id }))
      expectOk(await clerk('tasks:submit', { taskUnitId: u.id, text: '已配合完成' }))
      expectOk(await boss('tasks:review', { taskUnitId: u.id, decision: 'approved', comment: '通过' }))
    }
    expect(await get()).toMatchObject({ status: 'completed', light: 'done' })
    expectOk(await boss('tasks:archive', { taskId }))
    const done = await get()
    expect(done.status).toBe('archived')
    expect(expectOk(await boss('tasks:review-queue'))).toEqual([])
    expect(done.events.map((e) => `${e.kind}:${e.actorName}`).slice(0, 9)).toEqual([
      'assign:clerk1',
      'sign:clerk1',
      'progress:clerk1',
      'extension:clerk1',
      'extension_decision:boss',
      'submit:clerk1',
      'review:boss',
      'submit:clerk1',
      'review:boss',
    ])
    expect(done.events.find((e) => e.kind === 'extension')).toMatchObject({ status: 'approved' })
    expect(errorOf(await clerk('tasks:progress', { taskUnitId: lead!.id, text: '归档后', percent: 100 })).details).toMatchObject({
      reason: 'archived',
    })

    // Statistics: all three units done on time; the lead was returned once (−2 points).
    const stats = expectOk(await clerk('supervision:stats', {})) as {
      byUnit: Array<{ unitName: string; done: number; onTimeRate: number; returns: number; score: number }>
      bySection: Array<{ section: string; completionRate: number }>
      trend: Array<{ month: string; completed: number }>
    }
    expect(stats.byUnit.find((u) => u.unitName === '县发展改革局')).toMatchObject({ done: 1, onTimeRate: 100, returns: 1, score: 98 })
    expect(stats.byUnit.find((u) => u.unitName === '县数据局')).toMatchObject({ score: 100 })
    expect(stats.bySection).toContainEqual({ section: '完善信用信息系统', total: 3, done: 3, completionRate: 100 })
    // (its monthly instances, created at assignment, are still open under the task's own name)
    expect(stats.bySection).toContainEqual({ section: '推进平台建设', total: 6, done: 0, completionRate: 0 })
    expect(stats.trend).toEqual([{ month: '2026-11', completed: 3 }])
  })

  it('a supervisor tunes the yellow threshold, the 目标考核 weights and the 文号 prefixes; others cannot', async () => {
    const { clerk, boss, taskId } = await savedPlan()
    const settings = {
      yellowWorkingDays: 30,
      lagMarginPercent: 100,
      weights: { onTime: 100, evaluation: 0, perReturn: 10, perOverdue: 5 },
      evaluationWeights: { quality: 50, efficiency: 30, satisfaction: 20 },
      letterLevels: [
        { level: 'reminder', name: '提醒函', prefix: '提醒' },
        { level: 'letter', name: '督办函', prefix: '督办' },
        { level: 'notice', name: '通报', prefix: '通报' },
      ],
      publishReview: true,
    }
    expect(errorOf(await clerk('supervision:save-settings', settings)).code).toBe('FORBIDDEN')
    expect(errorOf(await boss('supervision:save-settings', { ...settings, yellowWorkingDays: 0 })).details!.fields).toEqual([
      { path: 'yellowWorkingDays', message: 'settings.yellowRange' },
    ])
    expectOk(await clerk('tasks:assign', { taskId }))
    const light = async () => (expectOk(await clerk('tasks:get', { taskId })) as Detail).units[0]!.light
    expect(await light()).toBe('green') // 2026-12-31 is more than 5 working days from 2026-11-22
    expectOk(await boss('supervision:save-settings', settings))
    expect(expectOk(await clerk('supervision:settings'))).toEqual(settings)
    expect(await light()).toBe('yellow') // …but within 30
    const lead = (expectOk(await clerk('tasks:get', { taskId })) as Detail).units[0]!
    expectOk(await clerk('tasks:sign', { taskUnitId: lead.id }))
    expectOk(await clerk('tasks:submit', { taskUnitId: lead.id, text: '完成' }))
    expectOk(await boss('tasks:review', { taskUnitId: lead.id, decision: 'returned', comment: '补材料' }))
    const stats = expectOk(await clerk('supervision:stats', {})) as {
      weights: { perReturn: number }
      byUnit: Array<{ unitName: string; returns: number; score: number }>
    }
    expect(stats.weights.perReturn).toBe(10)
    expect(stats.byUnit.find((u) => u.unitName === '县发展改革局')).toMatchObject({ returns: 1 })
  })

  it('a recurring duty gets its instances when assigned: 月报 by the 22nd of each remaining month', async () => {
    const { clerk, taskId, planId } = await savedPlan() // 二/1 carries 每月22日前; today 2026-11-22
    expectOk(await clerk('tasks:assign', { taskId }))
    const all = expectOk(await clerk('plans:tasks', { planId })) as Array<{
      path: string[]
      deadline: string | null
      status: string
      units: Record<string, string[]>
    }>
    const instances = all.filter((t) => t.path.length === 3 && t.path[1] === '1')
    expect(instances.map((t) => [t.path.join('/'), t.deadline, t.status])).toEqual([
      ['二/1/11月', '2026-11-22', 'assigned'],
      ['二/1/12月', '2026-12-22', 'assigned'],
    ])
    expect(instances[0]!.units).toEqual({ lead: ['县发展改革局'], responsible: [], cooperating: ['县数据局', '县财政局'] })
    expect(all.findIndex((t) => t.path.join('/') === '二/1/11月')).toBe(all.findIndex((t) => t.path.join('/') === '二/1') + 1)
    expect(recurrenceInstances('quarterly', 2026, '2026-05-01').map((i) => [i.label, i.deadline])).toEqual([
      ['第二季度', '2026-06-30'],
      ['第三季度', '2026-09-30'],
      ['第四季度', '2026-12-31'],
    ])
    expect(recurrenceInstances('monthly:31', 2026, '2026-11-01').map((i) => i.deadline)).toEqual(['2026-11-30', '2026-12-31'])
  })

  it('lights: green, yellow within N working days, red past the deadline; holidays do not count', () => {
    const cal = packagedCalendar()
    // Progress against time is left out here (margin 100): these are the deadline rules alone.
    const light = (status: 'in_progress' | 'signed' | 'done', deadline: string, today: string, yellowDays = 5) =>
      lightOf({ status, deadline, percent: 0, startedOn: null }, today, { yellowDays, lagMargin: 100 }, cal)
    expect(light('in_progress', '2026-12-31', '2026-11-23')).toBe('green')
    expect(light('in_progress', '2026-11-27', '2026-11-23')).toBe('yellow')
    expect(light('in_progress', '2026-11-20', '2026-11-23')).toBe('red')
    expect(light('done', '2026-11-20', '2026-11-23')).toBe('done')
    // 2026-10-01…07 is the National Day holiday: from 30 Sep to 9 Oct is 2 working days (8th, 9th).
    expect(light('signed', '2026-10-09', '2026-09-30', 2)).toBe('yellow')
    expect(light('signed', '2026-10-12', '2026-09-30', 2)).toBe('green')
  })

  it('lists what is overdue, and a 督办函 gets the next number of the year and comes out as a Word file', async () => {
    const { b, clerk, boss, tasks } = await savedPlan()
    const late = tasks.find((t) => t.path.join('/') === '二/2')!.id // 10月前 → due 2026-09-30, today 2026-11-22
    expect(expectOk(await clerk('tasks:due'))).toEqual([]) // nothing is due before it is assigned
    expectOk(await clerk('tasks:assign', { taskId: late }))
    const due = expectOk(await clerk('tasks:due')) as Array<{
      taskId: number
      taskUnitId: number
      unitName: string
      light: string
      overdueDays: number
    }>
    expect(due.map((d) => [d.unitName, d.light])).toEqual([
      ['各乡（镇、街道）', 'red'],
      ['县直有关部门', 'red'],
    ])
    expect(due[0]!.overdueDays).toBeGreaterThan(30)
    // The 工作台 counts the same: two units overdue for the clerk; the supervisor sees two units with red lights.
    expect(expectOk(await clerk('home:todo'))).toMatchObject({ tasksOverdue: 2, tasksDueSoon: 0 })
    expect(expectOk(await boss('home:todo'))).toMatchObject({
      overdueUnits: 2,
      lights: [
        { light: 'red', count: 2 },
        { light: 'yellow', count: 0 },
        { light: 'green', count: 0 },
        { light: 'none', count: 0 },
      ],
    })
    // The circular ranks units by score: the two overdue units lose 5 points per overdue item.
    const stats = expectOk(await clerk('supervision:stats', {})) as {
      byUnit: Array<{ unitName: string; overdue: number; score: number }>
      overdueRanking: Array<{ unitName: string }>
    }
    expect(stats.byUnit.map((u) => [u.unitName, u.overdue, u.score])).toEqual([
      ['各乡（镇、街道）', 1, 0],
      ['县直有关部门', 1, 0],
    ])
    expect(stats.overdueRanking).toHaveLength(2)
    expect(
      errorOf(await clerk('letters:issue', { taskId: late, taskUnitIds: [due[0]!.taskUnitId], newDeadline: '2026-12-15', note: null }))
        .code,
    ).toBe('FORBIDDEN')
    const first = expectOk(
      await boss('letters:issue', {
        taskId: late,
        taskUnitIds: due.map((d) => d.taskUnitId),
        newDeadline: '2026-12-15',
        note: '逾期未办结的，将在全县通报。',
      }),
    ) as { id: number; docNumber: string }
    expect(first.docNumber).toBe('信用督〔2026〕1号')
    const second = expectOk(
      await boss('letters:issue', { taskId: late, taskUnitIds: [due[0]!.taskUnitId], newDeadline: '2026-12-20', note: null }),
    ) as { docNumber: string }
    expect(second.docNumber).toBe('信用督〔2026〕2号')
    const letter = expectOk(await clerk('letters:get', { letterId: first.id })) as { body: string; unitNames: string[] }
    expect(letter.unitNames).toEqual(['各乡（镇、街道）', '县直有关部门'])
    expect(letter.body).toContain('原定完成期限为2026年9月30日')
    expect(letter.body).toContain('于2026年12月15日前办结')
    // The letter's reply deadline is now each unit's deadline: neither is overdue, and with nothing due neither is scored.
    const after = expectOk(await clerk('supervision:stats', {})) as typeof stats
    expect(after.byUnit.map((u) => [u.unitName, u.overdue, u.score])).toEqual([
      ['各乡（镇、街道）', 0, null],
      ['县直有关部门', 0, null],
    ])
    expect(expectOk(await clerk('tasks:due'))).toEqual([])
    const circular = join(tempDir(), 'circular.xlsx')
    b.savePath.value = circular
    expect(expectOk(await clerk('supervision:export-circular', {}))).toMatchObject({ cancelled: false, rows: 2 })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(circular)
    expect(wb.worksheets[0]!.getRow(2).values).toEqual([
      undefined,
      '名次',
      '单位',
      '任务数',
      '应办结',
      '已办结',
      '办结率(%)',
      '按期办结率(%)',
      '评价',
      '逾期',
      '退回',
      '得分',
    ])
    const out = join(tempDir(), 'letter.docx')
    b.savePath.value = out
    expect(expectOk(await clerk('letters:export-docx', { letterId: first.id }))).toMatchObject({ cancelled: false })
    const xml = await (await JSZip.loadAsync(readFileSync(out))).file('word/document.xml')!.async('string')
    expect(xml).toContain('督 办 函')
    expect(xml).toContain('信用督〔2026〕1号')
    expect(xml).toContain('逾期未办结的，将在全县通报。')
  })
})

describe('交办 several tasks at once', () => {
  it('assigns every waiting task in one step; one without units stops the batch and is named; assigned ones are left alone', async () => {
    const { b, clerk, tasks, taskId } = await savedPlan()
    const ids = tasks.filter((t) => t.path.length === 2).map((t) => t.id)
    expectOk(await clerk('tasks:assign', { taskId }))
    // One task loses its units: the whole batch is refused, naming it, and nothing else is assigned.
    const bare = ids.find((id) => id !== taskId)!
    await b.db('task_units').where('task_id', bare).delete()
    const refused = errorOf(await clerk('tasks:assign-many', { taskIds: ids }))
    expect(refused).toMatchObject({ code: 'INVALID_STATE', details: { reason: 'no_units' } })
    expect(String((refused.details as { tasks: string[] }).tasks[0])).toMatch(/^\S+ /)
    const statuses = async () =>
      expectOk(await clerk('plans:tasks', { planId: (await b.db('tasks').where('id', taskId).first('plan_id'))!.plan_id })) as Array<{
        id: number
        status: string
      }>
    expect((await statuses()).filter((t) => ids.includes(t.id) && t.status === 'assigned').map((t) => t.id)).toEqual([taskId])
    // Without it, the rest go out together; the one assigned before is counted, not assigned twice.
    const rest = ids.filter((id) => id !== bare)
    expect(expectOk(await clerk('tasks:assign-many', { taskIds: rest }))).toEqual({ assigned: rest.length - 1, alreadyAssigned: 1 })
    expect((await statuses()).filter((t) => rest.includes(t.id)).every((t) => t.status === 'assigned')).toBe(true)
    expect(errorOf(await clerk('tasks:assign-many', { taskIds: [999_999] })).code).toBe('NOT_FOUND')
  })
})
