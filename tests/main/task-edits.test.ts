// Changing what was confirmed: a task's wording, deadline and units before and after it went out, and taking a task
// or a whole plan out again while nothing of it has gone out (the reason in the audit log).
import { describe, expect, it } from 'vitest'
import { errorOf, expectOk } from '../helpers'
import { office, type Detail } from '../supervision-office'

describe('editing and deleting tasks and plans', () => {
  it('before publication everything may change, silently; after it, changes are events and a unit with history stays', async () => {
    const { clerk, boss, units, task, published, detail } = await office()
    const { id: draft } = expectOk(await boss('tasks:create', task())) as { id: number }
    const edit = (taskId: number, over: Record<string, unknown> = {}) =>
      clerk('tasks:edit', {
        taskId,
        title: '改过的名称',
        deadline: '2026-12-20',
        units: { lead: [units.czj], responsible: [], cooperating: [units.fgj] },
        ...over,
      })
    expect(expectOk(await edit(draft))).toEqual({ added: 1, removed: 1 })
    let d = await detail(draft)
    expect(d.units.map((u) => [u.unitName, u.role, u.status])).toEqual([
      ['县发展改革局', 'cooperating', 'pending'],
      ['县财政局', 'lead', 'pending'],
    ])
    expect(d.events.map((e) => e.kind)).toEqual(['create']) // nothing went out: no history to keep
    expect(errorOf(await edit(draft, { units: { lead: [], responsible: [], cooperating: [] } })).details).toMatchObject({
      fields: [{ path: 'units.lead', message: 'task.leadRequired' }],
    })

    const out = await published()
    const [fgj, sjj] = (await detail(out)).units
    expectOk(await clerk('tasks:sign', { taskUnitId: sjj!.id }))
    // 县数据局 signed: it cannot be taken off any more; 县发展改革局 only received it and may be replaced.
    expect(errorOf(await edit(out, { units: { lead: [units.czj], responsible: [], cooperating: [] } })).details).toMatchObject({
      reason: 'unit_has_history',
    })
    expect(
      errorOf(await edit(out, { deadline: '2026-11-22', units: { lead: [units.sjj], responsible: [], cooperating: [] } })).details,
    ).toMatchObject({
      fields: [{ path: 'deadline', message: 'task.extensionPast' }],
    })
    expect(expectOk(await edit(out, { units: { lead: [units.sjj], responsible: [units.czj], cooperating: [] } }))).toEqual({
      added: 1,
      removed: 1,
    })
    d = await detail(out)
    expect(d.units.map((u) => [u.unitName, u.role, u.status])).toEqual([
      ['县数据局', 'lead', 'signed'],
      ['县财政局', 'responsible', 'assigned'], // receives it at once
    ])
    expect(d.units.find((u) => u.id === fgj!.id)).toBeUndefined()
    expect(d.events.filter((e) => e.kind === 'edit').map((e) => e.text)).toEqual([
      '事项名称：落实县长批示：清理历史失信被执行人名单 → 改过的名称；完成期限：2026-12-31 → 2026-12-20；增加单位 1 个；减少单位 1 个',
    ])
  })

  it('deletes a task or a plan only while nothing of it went out; the reason is audited', async () => {
    const { b, clerk, boss, task, published, admin } = await office()
    const { id: draft } = expectOk(await boss('tasks:create', task())) as { id: number }
    const out = await published()
    expect(errorOf(await clerk('tasks:delete', { taskId: out, reason: '误建' })).details).toMatchObject({ reason: 'published' })
    expect(errorOf(await admin('tasks:delete', { taskId: draft, reason: '误建' })).code).toBe('FORBIDDEN')
    expect(expectOk(await clerk('tasks:delete', { taskId: draft, reason: '与第 1 项重复' }))).toEqual({ tasks: 1 })
    expect(errorOf(await clerk('tasks:get', { taskId: draft })).code).toBe('NOT_FOUND')
    const audit = await b.db('audit_log').where('procedure', 'tasks:delete').where('result', 'ok').first('affected_ids')
    expect(audit!.affected_ids).toContain('reason:与第 1 项重复')
    // The year's 临时督办事项 holds a published task: the plan stays.
    const plans = expectOk(await clerk('plans:list')) as Array<{ id: number }>
    expect(errorOf(await clerk('plans:delete', { planId: plans[0]!.id, reason: '误导入' })).details).toMatchObject({ reason: 'published' })
    // A plan confirmed by mistake, nothing out yet: gone with its tasks and their units.
    const { planId } = expectOk(
      await clerk('plans:confirm', {
        title: '误导入的文件',
        issuer: null,
        docNumber: null,
        year: 2026,
        sourceFile: null,
        tasks: [
          {
            path: ['一'],
            number: '一',
            title: '甲',
            section: '',
            deadline: null,
            deadlineText: null,
            recurring: null,
            source: '',
            units: { lead: ['县财政局'], responsible: [], cooperating: [] },
          },
          {
            path: ['一', '1'],
            number: '1',
            title: '乙',
            section: '甲',
            deadline: null,
            deadlineText: null,
            recurring: null,
            source: '',
            units: { lead: ['县财政局'], responsible: [], cooperating: [] },
          },
        ],
        resolutions: [{ name: '县财政局', unitId: (await b.db('org_units').where('name', '县财政局').first('id'))!.id, create: false }],
      }),
    ) as { planId: number }
    expect(expectOk(await clerk('plans:delete', { planId, reason: '误导入' }))).toEqual({ tasks: 2 })
    expect(await b.db('tasks').where('plan_id', planId).count({ n: '*' }).first()).toEqual({ n: 0 })
    expect(expectOk(await clerk('plans:list'))).toHaveLength(1)
    const d = (await clerk('tasks:get', { taskId: out })) as { ok: boolean; data?: Detail }
    expect(d.ok).toBe(true)
  })

  it('adds a task the parser missed to a plan, and splits a task so some of its units get their own', async () => {
    const { b, clerk, boss, units, published, detail } = await office()
    const unitName = (id: number) => b.db('org_units').where('id', id).first('name')
    const taskId = await published({ cooperatingUnitIds: [units.sjj, units.czj] })
    const plans = expectOk(await clerk('plans:list')) as Array<{ id: number }>
    const planId = plans[0]!.id
    const add = (over: Record<string, unknown> = {}) =>
      clerk('tasks:add', {
        planId,
        parentId: null,
        number: '9',
        title: '补充的任务',
        deadline: '2026-12-31',
        units: { lead: [units.fgj], responsible: [], cooperating: [] },
        ...over,
      })
    const { id: added } = expectOk(await add()) as { id: number }
    // In the year's 临时督办事项 it is a draft like any task set up by hand; numbers stay unique in the plan.
    expect(await detail(added)).toMatchObject({ status: 'draft', units: [{ unitName: '县发展改革局', role: 'lead', status: 'pending' }] })
    expect(errorOf(await add()).details).toMatchObject({ fields: [{ path: 'number', message: 'plan.duplicatePath' }] })
    const { id: child } = expectOk(await add({ parentId: added, number: '1', title: '子项' })) as { id: number }
    expect(((await detail(child)) as unknown as { path: string[]; section: string }).path).toEqual(['9', '1'])
    expect(
      errorOf(
        await boss('tasks:add', {
          planId: 999,
          parentId: null,
          number: '1',
          title: 'x',
          deadline: null,
          units: { lead: [units.fgj], responsible: [], cooperating: [] },
        }),
      ).code,
    ).toBe('NOT_FOUND')

    // Split: 县财政局 gets its own task; it signed already and takes its history along.
    const before = (await detail(taskId)).units
    const czj = before.find((u) => u.unitName === '县财政局')!
    expectOk(await clerk('tasks:sign', { taskUnitId: czj.id }))
    expect(errorOf(await clerk('tasks:split', { taskId, title: '全部', taskUnitIds: before.map((u) => u.id) })).details).toMatchObject({
      reason: 'nothing_left',
    })
    const { id: split } = expectOk(await clerk('tasks:split', { taskId, title: '县财政局负责的部分', taskUnitIds: [czj.id] })) as {
      id: number
    }
    const mine = await detail(split)
    expect(mine).toMatchObject({ status: 'assigned', units: [{ id: czj.id, unitName: '县财政局', role: 'lead', status: 'signed' }] })
    expect((mine as unknown as { path: string[] }).path).toEqual(['1之2'])
    expect(mine.events.map((e) => e.kind)).toEqual(['sign', 'edit'])
    const rest = await detail(taskId)
    expect(rest.units.map((u) => u.unitName)).toEqual(['县发展改革局', '县数据局'])
    expect(rest.events.at(-1)).toMatchObject({ kind: 'edit', text: '拆分出 1之2：县财政局负责的部分' })
    // The lead moves: the task left behind gets its first remaining unit as 牵头.
    const fgj = rest.units[0]!
    const { id: again } = expectOk(await clerk('tasks:split', { taskId, title: '牵头部分', taskUnitIds: [fgj.id] })) as { id: number }
    expect(((await detail(again)) as unknown as { path: string[] }).path).toEqual(['1之3'])
    expect((await detail(taskId)).units).toMatchObject([{ unitName: '县数据局', role: 'lead' }])
    expect(await unitName(units.sjj)).toEqual({ name: '县数据局' })
  })
})
