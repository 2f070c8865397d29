// A work plan through the router: parse (file chosen in main), units matched to the tree (exact,
// alias, normalised), the review's resolutions, and one transaction that saves the task tree.
import { writeFileSync } from 'node:fs'
import { isMonthlyCollectionTask } from '../../electron/contract/labels.zh-CN'
import type { Output } from '../../electron/contract'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PLAN } from '../fixtures/sample-plan'
import { adminSession, errorOf, expectOk, freshBackend, tempDir, userSession } from '../helpers'

type Draft = {
  title: string
  year: number
  docNumber: string
  fileName: string
  tasks: Array<Record<string, unknown> & { units: Record<string, string[]> }>
  matches: Array<{ name: string; unitId: number | null; how: string | null }>
}

describe('work plans through the router', () => {
  it('parses, matches units to the tree, and saves the reviewed tasks with their units in one go', async () => {
    const b = await freshBackend()
    const admin = await adminSession(b)
    const unit = async (name: string) =>
      (expectOk(await admin('units:create', { parentId: null, name, kind: 'county_dept', sortOrder: 1 })) as { id: number }).id
    const reform = await unit('县发展和改革局') // the plan prints 县发展改革局
    await unit('县市场监管局')
    const finance = await unit('县财政局')
    const clerk = await userSession(b, admin, 'clerk1', ['clerk'])
    const file = join(tempDir(), '2026年工作要点.txt')
    writeFileSync(file, PLAN)
    b.openPath.value = file

    const draft = expectOk(await clerk('plans:parse')) as Draft
    expect(draft).toMatchObject({
      fileName: '2026年工作要点.txt',
      title: '某某县2026年社会信用体系建设工作要点',
      year: 2026,
      docNumber: '某信用〔2026〕3号',
    })
    expect(draft.tasks).toHaveLength(6)
    const m = new Map(draft.matches.map((x) => [x.name, x]))
    expect(m.get('县发展改革局')).toMatchObject({ unitId: reform, how: 'normalised' })
    expect(m.get('县市场监管局')).toMatchObject({ how: 'exact' })
    expect(m.get('县财政局')).toMatchObject({ unitId: finance, how: 'exact' })
    expect(m.get('县数据局')).toMatchObject({ unitId: null, how: null })

    // Unresolved names are refused, by name.
    const base = {
      title: draft.title,
      issuer: null,
      docNumber: draft.docNumber,
      year: draft.year,
      sourceFile: draft.fileName,
      tasks: draft.tasks,
    }
    const refused = errorOf(await clerk('plans:confirm', { ...base, resolutions: [] }))
    expect(refused.details!.fields).toContainEqual({ path: 'resolutions', message: 'plan.unitUnresolved', params: { name: '县数据局' } })
    expect(await b.db('tasks').count({ n: '*' })).toEqual([{ n: 0 }])

    // The review maps 县委宣传部 to an existing unit (kept as an alias) and creates the rest.
    const publicity = await unit('县委宣传部（县文明办）')
    const resolutions = draft.matches.map((x) =>
      x.name === '县委宣传部'
        ? { name: x.name, unitId: publicity, create: false }
        : { name: x.name, unitId: x.unitId, create: x.unitId == null },
    )
    const saved = expectOk(await clerk('plans:confirm', { ...base, resolutions })) as {
      planId: number
      tasks: number
      unitsCreated: number
    }
    expect(saved.tasks).toBe(6)
    expect(saved.unitsCreated).toBe(draft.matches.filter((x) => x.unitId == null).length - 1)
    const tasks = expectOk(await clerk('plans:tasks', { planId: saved.planId })) as Array<{
      path: string[]
      units: Record<string, string[]>
      deadline: string | null
      recurring: string | null
    }>
    expect(tasks[0]).toMatchObject({
      path: ['二', '1'],
      deadline: '2026-12-31',
      recurring: 'monthly:22',
      units: { lead: ['县发展和改革局'], cooperating: ['县数据局', '县财政局'] },
    })
    // The monthly 报送 duty links to the 归集月报; other tasks, even recurring ones, do not.
    const detail = async (i: number) =>
      expectOk(await clerk('tasks:get', { taskId: (tasks[i] as unknown as { id: number }).id })) as Output<'tasks:get'>
    expect(isMonthlyCollectionTask(await detail(0))).toBe(true)
    for (const i of [1, 2, 3, 4, 5]) expect(isMonthlyCollectionTask(await detail(i))).toBe(false)
    expect(isMonthlyCollectionTask({ ...(await detail(0)), recurring: null })).toBe(false)
    // A task keeps one 牵头 unit: the second printed lead becomes 责任.
    expect(tasks[3]!.units).toMatchObject({ lead: ['县市场监管局'], responsible: ['县税务局'] })
    expect(await b.db('tasks').where('path', '二/2/(1)').first('parent_id')).toEqual({
      parent_id: (await b.db('tasks').where('path', '二/2').first('id'))!.id,
    })
    // Confirmed spellings become aliases: the normalised match and the manual mapping.
    expect(await b.db('unit_aliases').orderBy('alias').pluck('alias')).toEqual(['县发展改革局', '县委宣传部'])
    // The same document twice is refused.
    expect(errorOf(await clerk('plans:confirm', { ...base, resolutions })).details).toMatchObject({ reason: 'plan_exists' })
    // Next time the alias matches by itself.
    expect((expectOk(await clerk('plans:parse')) as Draft).matches.find((x) => x.name === '县委宣传部')).toMatchObject({
      unitId: publicity,
      how: 'alias',
    })
  })

  it('a collective phrase marked "not a unit" is no unit: not created, not on the task, and left out of the next plan too', async () => {
    const b = await freshBackend()
    const admin = await adminSession(b)
    const clerk = await userSession(b, admin, 'clerk1', ['clerk'])
    const file = join(tempDir(), 'plan.txt')
    writeFileSync(file, PLAN)
    b.openPath.value = file
    const draft = expectOk(await clerk('plans:parse')) as Draft
    const collective = ['各成员单位', '有关行业部门']
    const resolutions = draft.matches.map((x) => ({
      name: x.name,
      unitId: null,
      create: !collective.includes(x.name),
      ignore: collective.includes(x.name),
    }))
    const base = { title: draft.title, issuer: null, docNumber: draft.docNumber, year: draft.year, sourceFile: null, tasks: draft.tasks }
    // Neither created nor marked: refused by name.
    const unmarked = resolutions.map((r) => (r.name === '各成员单位' ? { ...r, ignore: false } : r))
    expect(errorOf(await clerk('plans:confirm', { ...base, resolutions: unmarked })).details!.fields).toEqual([
      { path: 'resolutions', message: 'plan.unitUnresolved', params: { name: '各成员单位' } },
    ])
    const saved = expectOk(await clerk('plans:confirm', { ...base, resolutions })) as { planId: number; unitsCreated: number }
    expect(saved.unitsCreated).toBe(draft.matches.length - 2)
    expect(await b.db('org_units').whereIn('name', collective).count({ n: '*' }).first()).toEqual({ n: 0 })
    const tasks = expectOk(await clerk('plans:tasks', { planId: saved.planId })) as Array<{
      path: string[]
      units: Record<string, string[]>
    }>
    expect(tasks.find((t) => t.path.join('/') === '二/4')!.units).toEqual({ lead: ['县发展改革局'], responsible: [], cooperating: [] })
    // The next plan printing them: recognised as "not a unit" at once.
    const next = expectOk(await clerk('plans:parse')) as Draft
    expect(next.matches.filter((x) => collective.includes(x.name))).toEqual([
      { name: '各成员单位', unitId: null, unitName: null, how: 'ignored' },
      { name: '有关行业部门', unitId: null, unitName: null, how: 'ignored' },
    ])
    expect(next.matches.find((x) => x.name === '县数据局')).toMatchObject({ how: 'exact' })
  })
})
