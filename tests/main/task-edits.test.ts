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
})
