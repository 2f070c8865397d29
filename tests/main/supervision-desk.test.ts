// 督查督办 as offices run it, through the router: 立项 by hand and publication after a second supervisor's review;
// letters in three levels to chosen units, whose reply deadline becomes their deadline, with replies and a register;
// 会议/电话/现场督办 and 催办 logged and counted; the evaluation after 办结 and a 目标考核 that scores only what was due.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { errorOf, expectOk, tempDir, userSession } from '../helpers'
import { office, type Stats } from '../supervision-office'

describe('立项 by hand and publication', () => {
  it('a supervisor sets a task up from a 领导批示; a second supervisor publishes it to its units', async () => {
    const { clerk, boss, boss2, units, task, detail } = await office()
    expect(errorOf(await clerk('tasks:create', task())).code).toBe('FORBIDDEN')
    expect(errorOf(await boss('tasks:create', task({ basisKind: 'other', basisText: null }))).details).toMatchObject({
      fields: [{ path: 'basisText', message: 'task.basisTextRequired' }],
    })
    expect(errorOf(await boss('tasks:create', task({ leadUnitIds: [] }))).details).toMatchObject({
      fields: [{ path: 'leadUnitIds', message: 'task.leadRequired' }],
    })
    expect(errorOf(await boss('tasks:create', task({ deadline: '2026-11-22' }))).details).toMatchObject({
      fields: [{ path: 'deadline', message: 'task.extensionPast' }],
    })
    const { id } = expectOk(await boss('tasks:create', task())) as { id: number }
    const draft = await detail(id)
    expect(draft).toMatchObject({
      status: 'draft',
      basis: {
        kind: 'instruction',
        text: '县长批示',
        doc: '县领导批示〔2026〕12号',
        date: '2026-11-20',
        supervisionType: 'key',
        urgency: 'urgent',
      },
      mayPublish: true,
    })
    expect(draft.units.map((u) => [u.unitName, u.role, u.status])).toEqual([
      ['县发展改革局', 'lead', 'pending'],
      ['县数据局', 'cooperating', 'pending'],
    ])
    // A draft is nobody's work yet: not on the reminder list, the ledger or the statistics.
    expect(expectOk(await clerk('tasks:due'))).toEqual([])
    expect(expectOk(await clerk('tasks:ledger', {}))).toEqual([])
    expect((expectOk(await clerk('supervision:stats', {})) as Stats).byUnit).toEqual([])
    expect(expectOk(await clerk('plans:list'))).toMatchObject([{ title: '2026年临时督办事项', tasks: 1 }])

    expect(expectOk(await boss('tasks:publish', { taskId: id }))).toEqual({ status: 'awaiting_publish' })
    expect(await detail(id, boss)).toMatchObject({ status: 'awaiting_publish', publishRequestedBy: 'boss1', mayPublish: false })
    expect(await detail(id, boss2)).toMatchObject({ mayPublish: true })
    // The request waits in the other supervisors' queue and 工作台, not in the asker's.
    expect(expectOk(await boss2('home:todo'))).toMatchObject({ publishToDecide: 1 })
    expect(expectOk(await boss('home:todo'))).toMatchObject({ publishToDecide: 0 })
    expect(expectOk(await boss2('tasks:review-queue'))).toMatchObject([
      { kind: 'publish', taskId: id, unitName: '县发展改革局', byName: 'boss1' },
    ])
    expect(expectOk(await boss('tasks:review-queue'))).toEqual([])
    expect(errorOf(await boss('tasks:publish', { taskId: id })).code).toBe('SELF_REVIEW')
    expect(errorOf(await clerk('tasks:publish', { taskId: id })).code).toBe('FORBIDDEN')
    expect(expectOk(await boss2('tasks:publish', { taskId: id }))).toEqual({ status: 'assigned' })
    const out = await detail(id)
    expect(out.status).toBe('assigned')
    expect(out.units.map((u) => u.status)).toEqual(['assigned', 'assigned'])
    expect(out.events.map((e) => e.kind)).toEqual(['create', 'publish_request', 'assign'])
    expect(errorOf(await boss2('tasks:publish', { taskId: id })).details).toMatchObject({ reason: 'already_published' })
    expect(expectOk(await clerk('tasks:due'))).toEqual([]) // out, and in time
    expect(expectOk(await clerk('tasks:ledger', { unitId: units.fgj }))).toHaveLength(1)
    // The next one is numbered after it in the year's 临时督办事项.
    const { id: next } = expectOk(await boss('tasks:create', task({ title: '第二项' }))) as { id: number }
    expect(((await detail(next)) as unknown as { path: string[] }).path).toEqual(['2'])
  })

  it('with publication review off, the supervisor who set the task up publishes it at once', async () => {
    const { boss, task, detail } = await office()
    const settings = expectOk(await boss('supervision:settings')) as Record<string, unknown>
    expect(settings.publishReview).toBe(true)
    expectOk(await boss('supervision:save-settings', { ...settings, publishReview: false }))
    const { id } = expectOk(await boss('tasks:create', task())) as { id: number }
    expect(expectOk(await boss('tasks:publish', { taskId: id }))).toEqual({ status: 'assigned' })
    expect((await detail(id)).units.map((u) => u.status)).toEqual(['assigned', 'assigned'])
  })
})

describe('letters: 提醒函 → 督办函 → 通报', () => {
  it('go to the chosen units only, move their deadline to the reply deadline, and are numbered per level', async () => {
    const { clerk, boss, later, published, detail } = await office()
    const taskId = await published({ deadline: '2026-12-10' })
    await later(23) // 2026-12-15: both units are past the deadline
    let units = (await detail(taskId)).units
    const [fgj, sjj] = [units[0]!, units[1]!]
    expect(units.map((u) => [u.light, u.nextLetterLevel])).toEqual([
      ['red', 'reminder'],
      ['red', 'reminder'],
    ])
    const issue = async (level: string, ids: number[], newDeadline: string) =>
      expectOk(await boss('letters:issue', { taskId, level, taskUnitIds: ids, newDeadline, note: null })) as {
        id: number
        docNumber: string
      }
    const reminder = await issue('reminder', [fgj.id], '2026-12-20')
    expect(reminder.docNumber).toBe('信用提〔2026〕1号')
    units = (await detail(taskId)).units
    // The reply deadline is the addressed unit's deadline now; the other unit keeps the task's.
    expect(units.map((u) => [u.deadline, u.light])).toEqual([
      ['2026-12-20', 'yellow'],
      ['2026-12-10', 'red'],
    ])
    expect((await detail(taskId)).events.filter((e) => e.kind === 'letter')).toMatchObject([
      { unitName: '县发展改革局', newDeadline: '2026-12-20', text: '提醒函 信用提〔2026〕1号' },
    ])
    expect(units.map((u) => u.nextLetterLevel)).toEqual(['letter', 'reminder'])
    const letter = await issue('letter', [fgj.id], '2026-12-24')
    expect(letter.docNumber).toBe('信用督〔2026〕1号')
    expect((await issue('reminder', [sjj.id], '2026-12-18')).docNumber).toBe('信用提〔2026〕2号')
    const notice = await issue('notice', [fgj.id], '2026-12-28')
    expect(notice.docNumber).toBe('信用通〔2026〕1号')
    expect((await detail(taskId)).units[0]!.nextLetterLevel).toBe('notice') // 通报 stays 通报
    // Each level says what it is: a reminder asks for progress; a 通报 announces.
    const got = async (id: number) =>
      expectOk(await clerk('letters:get', { letterId: id })) as { levelName: string; colour: string; body: string; unitNames: string[] }
    expect(await got(reminder.id)).toMatchObject({ levelName: '提醒函', colour: 'blue', unitNames: ['县发展改革局'] })
    expect((await got(reminder.id)).body).toContain('请抓紧推进，于2026年12月20日前')
    expect(await got(letter.id)).toMatchObject({ levelName: '督办函', colour: 'yellow' })
    expect((await got(notice.id)).body).toContain('现予以通报')
    // Only units of this task, not done: anything else is refused and nothing is numbered.
    expect(
      errorOf(await boss('letters:issue', { taskId, level: 'letter', taskUnitIds: [999], newDeadline: '2026-12-30', note: null })).details,
    ).toMatchObject({
      fields: [{ path: 'taskUnitIds', message: 'letter.noUnits' }],
    })
    expect(
      errorOf(await boss('letters:issue', { taskId, level: 'letter', taskUnitIds: [fgj.id], newDeadline: '2026-12-15', note: null }))
        .details,
    ).toMatchObject({
      fields: [{ path: 'newDeadline', message: 'task.extensionPast' }],
    })
    expect(
      errorOf(await clerk('letters:issue', { taskId, level: 'reminder', taskUnitIds: [fgj.id], newDeadline: '2026-12-30', note: null }))
        .code,
    ).toBe('FORBIDDEN')
    expect((expectOk(await clerk('supervision:stats', {})) as Stats).byUnit.map((u) => [u.unitName, u.letters])).toEqual([
      ['县发展改革局', 3],
      ['县数据局', 1],
    ])
  })

  it('the register lists each letter per unit: 待回复, then 逾期未回复 after the reply deadline, 已回复 once recorded', async () => {
    const { b, clerk, boss, units, later, published, detail } = await office()
    const taskId = await published({ deadline: '2026-12-10' })
    await later(23) // 2026-12-15
    const [fgj, sjj] = (await detail(taskId)).units
    expectOk(
      await boss('letters:issue', { taskId, level: 'reminder', taskUnitIds: [fgj!.id, sjj!.id], newDeadline: '2026-12-18', note: null }),
    )
    expectOk(await boss('letters:issue', { taskId, level: 'letter', taskUnitIds: [sjj!.id], newDeadline: '2026-12-22', note: null }))
    type Row = { recipientId: number; docNumber: string; unitName: string; state: string; replyDue: string; replyEventId: number | null }
    const register = async (q: Record<string, unknown> = {}) => expectOk(await clerk('letters:register', q)) as Row[]
    expect((await register()).map((r) => [r.docNumber, r.unitName, r.state])).toEqual([
      ['信用督〔2026〕1号', '县数据局', 'awaiting'],
      ['信用提〔2026〕1号', '县发展改革局', 'awaiting'],
      ['信用提〔2026〕1号', '县数据局', 'awaiting'],
    ])
    expect(await register({ level: 'reminder' })).toHaveLength(2)
    expect((await register({ unitId: units.fgj })).map((r) => r.unitName)).toEqual(['县发展改革局'])
    expect(await register({ year: 2025 })).toEqual([])
    await later(3) // 2026-12-18: the reply deadline itself is still in time
    expect((await register({ state: 'overdue' })).length).toBe(0)
    await later(1) // 2026-12-19
    expect((await register({ state: 'overdue' })).map((r) => [r.docNumber, r.unitName])).toEqual([
      ['信用提〔2026〕1号', '县发展改革局'],
      ['信用提〔2026〕1号', '县数据局'],
    ])
    const row = (await register({ unitId: units.fgj }))[0]!
    expect(errorOf(await boss('letters:reply', { recipientId: row.recipientId, text: '已整改' })).code).toBe('FORBIDDEN')
    const { id: eventId } = expectOk(
      await clerk('letters:reply', { recipientId: row.recipientId, text: '已完成名单清理，整改报告附后。' }),
    ) as {
      id: number
    }
    expect(errorOf(await clerk('letters:reply', { recipientId: row.recipientId, text: '再次' })).details).toMatchObject({
      reason: 'already_replied',
    })
    // The stamped scan of the 整改报告 hangs off the reply.
    const scan = join(tempDir(), '整改报告.pdf')
    writeFileSync(scan, '%PDF-1.4\n%%EOF\n')
    b.openPath.value = scan
    expect(expectOk(await clerk('tasks:attach', { eventId }))).toEqual({ attached: true, fileName: '整改报告.pdf' })
    expect((await register({ unitId: units.fgj }))[0]).toMatchObject({ state: 'replied', replyEventId: eventId })
    const reply = (await detail(taskId)).events.find((e) => e.id === eventId)!
    expect(reply).toMatchObject({
      kind: 'letter_reply',
      unitName: '县发展改革局',
      text: '信用提〔2026〕1号：已完成名单清理，整改报告附后。',
    })
    expect((await detail(taskId)).units[0]!.letters).toMatchObject([{ docNumber: '信用提〔2026〕1号', replied: true }])
    // The register as a workbook, filtered like the screen.
    const file = join(tempDir(), 'register.xlsx')
    b.savePath.value = file
    expect(expectOk(await clerk('letters:export-register', { level: 'reminder' }))).toMatchObject({ cancelled: false, rows: 2 })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const ws = wb.worksheets[0]!
    expect(ws.getRow(1).values).toEqual([undefined, '文号', '类别', '督办事项', '单位', '发出日期', '回复期限', '状态', '回复日期'])
    expect([2, 3].map((r) => [ws.getCell(r, 4).value, ws.getCell(r, 7).value])).toEqual([
      ['县发展改革局', '已回复'],
      ['县数据局', '逾期未回复'],
    ])
  })
})

describe('会议/电话/现场督办, 催办, evaluation and the 目标考核', () => {
  it('logs contacts and reminders in the history and counts them', async () => {
    const { clerk, boss, later, published, detail } = await office()
    const taskId = await published()
    const [, sjj] = (await detail(taskId)).units
    const contact = (over: Record<string, unknown>) => ({
      taskId,
      taskUnitId: sjj!.id,
      kind: 'meeting',
      heldOn: '2026-11-22',
      heldBy: '县信用办 李主任',
      counterpart: '县数据局 王局长',
      agreed: '12月10日前完成数据对接',
      nextCheck: '2026-12-10',
      ...over,
    })
    expect(errorOf(await clerk('tasks:log-contact', contact({ heldOn: '2026-11-23' }))).details).toMatchObject({
      fields: [{ path: 'heldOn', message: 'contact.future' }],
    })
    expect(errorOf(await clerk('tasks:log-contact', contact({ nextCheck: '2026-11-22' }))).details).toMatchObject({
      fields: [{ path: 'nextCheck', message: 'contact.nextCheckBefore' }],
    })
    expectOk(await clerk('tasks:log-contact', contact({})))
    expectOk(await boss('tasks:log-contact', contact({ kind: 'phone', taskUnitId: null, nextCheck: null })))
    expectOk(await clerk('tasks:urge', { taskUnitId: sjj!.id, text: '电话提醒：请于本周内反馈进展' }))
    const history = (await detail(taskId)).events.filter((e) => ['contact', 'urge'].includes(e.kind))
    expect(history.map((e) => [e.kind, e.unitName, e.text])).toEqual([
      ['contact', '县数据局', '会议督办（2026-11-22，县信用办 李主任 — 县数据局 王局长）：12月10日前完成数据对接；下次检查 2026-12-10'],
      ['contact', null, '电话督办（2026-11-22，县信用办 李主任 — 县数据局 王局长）：12月10日前完成数据对接'],
      ['urge', '县数据局', '电话提醒：请于本周内反馈进展'],
    ])
    const stats = expectOk(await clerk('supervision:stats', {})) as Stats
    expect(stats.contacts).toEqual({ meeting: 1, phone: 1, onsite: 0, urge: 1 })
    expect(stats.byUnit.find((u) => u.unitName === '县数据局')).toMatchObject({ contacts: 2 })
    await later(1)
    expect(errorOf(await clerk('tasks:log-contact', contact({ heldOn: '2026-11-23', taskId: 9999, taskUnitId: null }))).code).toBe(
      'NOT_FOUND',
    )
  })

  it('an approval carries the 质量/效率/满意度 evaluation; the score weighs it and only counts what was due', async () => {
    const { b, clerk, boss, boss2, later, published, detail } = await office()
    const early = await published({ deadline: '2026-11-30' })
    const lateTask = await published({ title: '第二项', deadline: '2026-12-31', cooperatingUnitIds: [] })
    const [fgj] = (await detail(early)).units
    expectOk(await clerk('tasks:sign', { taskUnitId: fgj!.id }))
    expectOk(await clerk('tasks:submit', { taskUnitId: fgj!.id, text: '已完成' }))
    const evaluation = { quality: 90, efficiency: 80, satisfaction: 100, comment: '材料完整' }
    expect(
      errorOf(await boss('tasks:review', { taskUnitId: fgj!.id, decision: 'returned', comment: '补充', evaluation })).details,
    ).toMatchObject({
      reason: 'evaluation_without_approval',
    })
    expect(
      errorOf(
        await boss('tasks:review', {
          taskUnitId: fgj!.id,
          decision: 'approved',
          comment: '同意',
          evaluation: { ...evaluation, quality: 101 },
        }),
      ).details,
    ).toMatchObject({
      fields: [{ path: 'evaluation.quality', message: 'evaluation.range' }],
    })
    expectOk(await boss('tasks:review', { taskUnitId: fgj!.id, decision: 'approved', comment: '同意', evaluation }))
    // 90 × 50 % + 80 × 30 % + 100 × 20 % = 89
    expect((await detail(early)).units[0]!.evaluation).toMatchObject({ score: 89 })
    let stats = expectOk(await clerk('supervision:stats', {})) as Stats
    // 县发展改革局: one item due and done on time → 100 % × 70 + 89 % × 30 = 96.7. 县数据局: nothing due → no score, after it.
    expect(stats.byUnit.map((u) => [u.unitName, u.due, u.evaluation, u.score])).toEqual([
      ['县发展改革局', 1, 89, 96.7],
      ['县数据局', 0, null, null],
    ])
    // The weights are the office's: evaluation worth nothing gives the on-time rate alone.
    const settings = expectOk(await boss('supervision:settings')) as { weights: Record<string, number> }
    expectOk(await boss2('supervision:save-settings', { ...settings, weights: { ...settings.weights, onTime: 100, evaluation: 0 } }))
    stats = expectOk(await clerk('supervision:stats', {})) as Stats
    expect(stats.byUnit[0]).toMatchObject({ unitName: '县发展改革局', score: 100 })
    expectOk(await boss2('supervision:save-settings', settings))
    // 1 December: 县数据局's first item is overdue (due 30 November) → due 1, on time 0, minus 5 → 0; it ranks after.
    await later(9)
    stats = expectOk(await clerk('supervision:stats', {})) as Stats
    expect(stats.byUnit.map((u) => [u.unitName, u.due, u.score])).toEqual([
      ['县发展改革局', 1, 96.7],
      ['县数据局', 1, 0],
    ])
    expect(lateTask).toBeGreaterThan(early)
    // The 通报 says how the score is made and shows 暂无应办结事项 rather than a score for a unit with nothing due.
    const file = join(tempDir(), 'circular.xlsx')
    b.savePath.value = file
    expectOk(await clerk('supervision:export-circular', {}))
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const texts = wb.worksheets[0]!.getSheetValues().flat().map(String)
    expect(texts.some((t) => t.startsWith('评分方法：只计应办结事项'))).toBe(true)
  })

  it('a unit with nothing due is not ranked above one that did its work', async () => {
    const { clerk, boss, units, published, detail } = await office()
    const early = await published({ deadline: '2026-11-25', cooperatingUnitIds: [] })
    await published({ title: '第二项', leadUnitIds: [units.sjj], cooperatingUnitIds: [] })
    const [fgj] = (await detail(early)).units
    expectOk(await clerk('tasks:sign', { taskUnitId: fgj!.id }))
    expectOk(await clerk('tasks:submit', { taskUnitId: fgj!.id, text: '已完成' }))
    expectOk(await boss('tasks:review', { taskUnitId: fgj!.id, decision: 'approved', comment: '同意' }))
    const stats = expectOk(await clerk('supervision:stats', {})) as Stats
    expect(stats.byUnit.map((u) => [u.unitName, u.score])).toEqual([
      ['县发展改革局', 100],
      ['县数据局', null],
    ])
  })
})

describe('批量通过', () => {
  it('approves ticked completions and extensions together, all or none, under the same four-eyes rule', async () => {
    const { b, admin, clerk, boss, published, detail } = await office()
    const one = await published({ cooperatingUnitIds: [] })
    const two = await published({ title: '第二项', cooperatingUnitIds: [] })
    const three = await published({ title: '第三项', cooperatingUnitIds: [] })
    const unitOf = async (id: number) => (await detail(id)).units[0]!.id
    const [u1, u2, u3] = [await unitOf(one), await unitOf(two), await unitOf(three)]
    for (const u of [u1, u2, u3]) expectOk(await clerk('tasks:sign', { taskUnitId: u }))
    expectOk(await clerk('tasks:submit', { taskUnitId: u1, text: '已完成' }))
    expectOk(await clerk('tasks:submit', { taskUnitId: u2, text: '已完成' }))
    expectOk(await clerk('tasks:request-extension', { taskUnitId: u3, reason: '设备未到', newDeadline: '2027-01-31' }))
    // One item already decided spoils the batch: nothing is approved.
    const items = [
      { kind: 'completion', taskUnitId: u1 },
      { kind: 'completion', taskUnitId: u2 },
      { kind: 'extension', taskUnitId: u3 },
    ]
    expect(
      errorOf(await boss('tasks:review-many', { items: [...items, { kind: 'completion', taskUnitId: u3 }], comment: null })).details,
    ).toMatchObject({
      reason: 'not_submitted',
    })
    expect((await detail(one)).units[0]!.status).toBe('submitted')
    expect(errorOf(await clerk('tasks:review-many', { items, comment: null })).code).toBe('FORBIDDEN')
    // A supervisor who submitted one of them himself may not pass it, in a batch or alone.
    const both = await userSession(b, admin, 'both1', ['clerk', 'supervisor'])
    const four = await published({ title: '第四项', cooperatingUnitIds: [] })
    const u4 = await unitOf(four)
    expectOk(await both('tasks:sign', { taskUnitId: u4 }))
    expectOk(await both('tasks:submit', { taskUnitId: u4, text: '本人提交' }))
    expect(errorOf(await both('tasks:review-many', { items: [{ kind: 'completion', taskUnitId: u4 }], comment: null })).code).toBe(
      'SELF_REVIEW',
    )
    expect(expectOk(await boss('tasks:review-many', { items, comment: null }))).toEqual({ completions: 2, extensions: 1 })
    expect((await detail(one)).units[0]!.status).toBe('done')
    expect((await detail(three)).units[0]!.deadline).toBe('2027-01-31')
    expect((await detail(two)).events.find((e) => e.kind === 'review')).toMatchObject({ text: '同意' })
  })
})

describe('progress against time', () => {
  it('a unit whose reported progress lags the time elapsed turns yellow on the task, the 催办 list and the 台账', async () => {
    const { clerk, boss, later, published, detail } = await office()
    const taskId = await published({ cooperatingUnitIds: [] }) // out 2026-11-22, due 2026-12-31: 39 days
    const unit = (await detail(taskId)).units[0]!
    expectOk(await clerk('tasks:sign', { taskUnitId: unit.id }))
    const lights = async () => ({
      task: (await detail(taskId)).units[0]!.light,
      due: (expectOk(await clerk('tasks:due')) as Array<{ light: string }>).map((d) => d.light),
      ledger: (expectOk(await clerk('tasks:ledger', {})) as Array<{ light: string }>).map((r) => r.light),
    })
    await later(11) // 3 December: 11 of 39 days = 28 %, nothing reported: within the 30-point margin
    expect(await lights()).toEqual({ task: 'green', due: [], ledger: ['green'] })
    await later(1) // 4 December: 31 %
    expect(await lights()).toEqual({ task: 'yellow', due: ['yellow'], ledger: ['yellow'] })
    expectOk(await clerk('tasks:progress', { taskUnitId: unit.id, text: '已起草', percent: 10 }))
    expect(await lights()).toEqual({ task: 'green', due: [], ledger: ['green'] })
    // The margin is the office's.
    const settings = expectOk(await boss('supervision:settings')) as Record<string, unknown>
    expectOk(await boss('supervision:save-settings', { ...settings, lagMarginPercent: 20 }))
    expect((await lights()).task).toBe('yellow')
  })
})

describe('letters over the year end', () => {
  it('start again at 1 in the new year, per level, and come out as PDF', async () => {
    const { b, clerk, boss, later, published, detail } = await office()
    const taskId = await published({ deadline: '2026-12-30', cooperatingUnitIds: [] })
    const unit = (await detail(taskId)).units[0]!
    await later(38) // 30 December 2026
    const issue = async (newDeadline: string) =>
      expectOk(await boss('letters:issue', { taskId, level: 'letter', taskUnitIds: [unit.id], newDeadline, note: null })) as {
        id: number
        docNumber: string
      }
    expect((await issue('2026-12-31')).docNumber).toBe('信用督〔2026〕1号')
    expect((await issue('2027-01-05')).docNumber).toBe('信用督〔2026〕2号')
    await later(2) // 1 January 2027
    const first = await issue('2027-01-10')
    expect(first.docNumber).toBe('信用督〔2027〕1号')
    const pdf = join(tempDir(), 'letter.pdf')
    b.savePath.value = pdf
    expect(expectOk(await clerk('letters:export-pdf', { letterId: first.id }))).toMatchObject({ cancelled: false, fileName: pdf })
    expect(readFileSync(pdf, 'latin1').startsWith('%PDF')).toBe(true)
    expect(await b.db('audit_log').where('procedure', 'letters:export-pdf').pluck('affected_ids')).toEqual([
      expect.stringContaining('export:pdf'),
    ])
  })
})

describe('supervision settings', () => {
  it('refuse evaluation weights that do not add up to 100, two levels with one prefix, and a margin out of range', async () => {
    const { boss, clerk, published, detail } = await office()
    const settings = expectOk(await boss('supervision:settings')) as {
      evaluationWeights: Record<string, number>
      letterLevels: Array<{ level: string; name: string; prefix: string }>
    }
    expect(settings.letterLevels.map((l) => [l.level, l.name, l.prefix])).toEqual([
      ['reminder', '提醒函', '信用提'],
      ['letter', '督办函', '信用督'],
      ['notice', '通报', '信用通'],
    ])
    const save = (over: Record<string, unknown>) => boss('supervision:save-settings', { ...settings, ...over })
    expect(errorOf(await save({ evaluationWeights: { quality: 50, efficiency: 30, satisfaction: 10 } })).details).toMatchObject({
      fields: [{ path: 'evaluationWeights', message: 'settings.evaluationSum' }],
    })
    const same = settings.letterLevels.map((l) => ({ ...l, prefix: '信用督' }))
    expect(errorOf(await save({ letterLevels: same })).details).toMatchObject({
      fields: [{ path: 'letterLevels', message: 'settings.prefixesDistinct' }],
    })
    expect(errorOf(await save({ lagMarginPercent: 4 })).details).toMatchObject({
      fields: [{ path: 'lagMarginPercent', message: 'settings.lagRange' }],
    })
    // A renamed level and prefix are what the next letter uses.
    const renamed = settings.letterLevels.map((l) => (l.level === 'reminder' ? { ...l, name: '提示函', prefix: '信提' } : l))
    expectOk(await save({ letterLevels: renamed }))
    expect((expectOk(await clerk('supervision:settings')) as typeof settings).letterLevels[0]).toEqual({
      level: 'reminder',
      name: '提示函',
      prefix: '信提',
    })
    const taskId = await published({ cooperatingUnitIds: [] })
    const unit = (await detail(taskId)).units[0]!
    const letter = expectOk(
      await boss('letters:issue', { taskId, level: 'reminder', taskUnitIds: [unit.id], newDeadline: '2026-12-10', note: null }),
    ) as { id: number; docNumber: string }
    expect(letter.docNumber).toBe('信提〔2026〕1号')
    expect(expectOk(await clerk('letters:get', { letterId: letter.id }))).toMatchObject({ levelName: '提示函' })
  })
})
