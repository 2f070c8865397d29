// Changing what was confirmed: a task's wording, deadline and units; a task the parser missed added, one split in two;
// a task, a non-task row or a whole plan taken out again. Anything not yet out to its units may change freely. Once out, the wording and deadline may still be
// corrected (the change is an event in the history), units may be added (they receive the task at once) and a unit
// may be taken off only while it has done nothing on the task. A task or plan is deleted only before anything went
// out; the router's audit row keeps who did it and why.
import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import type { IsoDate } from '../calendar/working-calendar'
import { AppError, fieldError } from '../shared/app-error'
import { UNPUBLISHED_STATUSES, type Actor } from './task-lifecycle'

export interface TaskEdit {
  taskId: number
  title: string
  deadline: IsoDate | null
  units: { lead: number[]; responsible: number[]; cooperating: number[] }
}

function refuse(reason: string, extra: Record<string, unknown> = {}): never {
  throw new AppError(ErrorCode.InvalidState, reason, { reason, ...extra })
}

/** Steps a unit has taken on a task unit (beyond receiving it). */
const UNIT_STEPS = ['sign', 'progress', 'extension', 'submit', 'review', 'letter', 'letter_reply', 'urge', 'contact']

export async function editTask(db: Knex, e: TaskEdit, a: Actor): Promise<{ added: number; removed: number }> {
  const roles = unitRoles(e.units)
  if (!e.units.lead.length) throw fieldError([{ path: 'units.lead', message: 'task.leadRequired' }])
  return db.transaction(async (trx) => {
    const task = await trx('tasks').where('id', e.taskId).first('id', 'status', 'title', 'deadline')
    if (!task) throw new AppError(ErrorCode.NotFound, 'no such task')
    if (['completed', 'archived'].includes(task.status)) refuse('closed')
    const unpublished = UNPUBLISHED_STATUSES.includes(task.status)
    if (!unpublished && e.deadline && e.deadline <= a.today && e.deadline !== task.deadline)
      throw fieldError([{ path: 'deadline', message: 'task.extensionPast' }])
    const known = await trx('org_units')
      .whereIn('id', [...roles.keys()])
      .pluck('id')
    if (known.length !== roles.size) throw fieldError([{ path: 'units.lead', message: 'unit.missing' }])
    const current = await trx('task_units').where('task_id', e.taskId).select('id', 'unit_id', 'role', 'status')
    const gone = current.filter((u) => !roles.has(u.unit_id))
    if (gone.length) {
      const acted = await trx('task_events')
        .whereIn(
          'task_unit_id',
          gone.map((u) => u.id),
        )
        .whereIn('kind', UNIT_STEPS)
        .first('task_unit_id')
      if (acted) refuse('unit_has_history')
      await trx('letter_recipients')
        .whereIn(
          'task_unit_id',
          gone.map((u) => u.id),
        )
        .delete()
      await trx('task_events')
        .whereIn(
          'task_unit_id',
          gone.map((u) => u.id),
        )
        .delete()
      await trx('task_units')
        .whereIn(
          'id',
          gone.map((u) => u.id),
        )
        .delete()
    }
    for (const u of current)
      if (roles.has(u.unit_id) && roles.get(u.unit_id) !== u.role)
        await trx('task_units')
          .where('id', u.id)
          .update({ role: roles.get(u.unit_id)! })
    const have = new Set(current.map((u) => u.unit_id))
    const added = [...roles].filter(([id]) => !have.has(id))
    if (added.length)
      await trx('task_units').insert(
        added.map(([unitId, role]) => ({
          task_id: e.taskId,
          unit_id: unitId,
          role,
          status: unpublished ? ('pending' as const) : ('assigned' as const),
        })),
      )
    await trx('tasks').where('id', e.taskId).update({ title: e.title, deadline: e.deadline })
    if (!unpublished) {
      const what = [
        task.title !== e.title ? `事项名称：${task.title} → ${e.title}` : null,
        task.deadline !== e.deadline ? `完成期限：${task.deadline ?? '无'} → ${e.deadline ?? '无'}` : null,
        added.length ? `增加单位 ${added.length} 个` : null,
        gone.length ? `减少单位 ${gone.length} 个` : null,
      ].filter(Boolean)
      if (what.length)
        await trx('task_events').insert({
          task_id: e.taskId,
          kind: 'edit',
          text: what.join('；'),
          status: 'done',
          actor_id: a.userId,
          at: a.now,
        })
    }
    return { added: added.length, removed: gone.length }
  })
}

async function removeTasks(trx: Knex.Transaction, ids: number[]): Promise<void> {
  const events = trx('task_events').whereIn('task_id', ids).select('id')
  await trx('task_event_attachments').whereIn('event_id', events).delete()
  await trx('task_events').whereIn('task_id', ids).delete()
  await trx('task_units').whereIn('task_id', ids).delete()
  // Children first: a task's parent_id points up the tree.
  for (const id of [...ids].sort((x, y) => y - x)) await trx('tasks').where('id', id).delete()
}

/** The task and what hangs under it (sub-items, recurring instances): only while none of it has gone out. */
export async function deleteTask(db: Knex, taskId: number): Promise<number> {
  return db.transaction(async (trx) => {
    const task = await trx('tasks').where('id', taskId).first('id')
    if (!task) throw new AppError(ErrorCode.NotFound, 'no such task')
    const ids = [taskId]
    for (let i = 0; i < ids.length; i++) ids.push(...(await trx('tasks').where('parent_id', ids[i]!).pluck('id')))
    if (await trx('tasks').whereIn('id', ids).whereNotIn('status', UNPUBLISHED_STATUSES).first('id')) refuse('published')
    await removeTasks(trx, ids)
    return ids.length
  })
}

/** A plan confirmed by mistake: removed with its tasks, as long as none of them went out. */
export async function deletePlan(db: Knex, planId: number): Promise<number> {
  return db.transaction(async (trx) => {
    const plan = await trx('plans').where('id', planId).first('id')
    if (!plan) throw new AppError(ErrorCode.NotFound, 'no such plan')
    const ids = await trx('tasks').where('plan_id', planId).pluck('id')
    if (await trx('tasks').where('plan_id', planId).whereNotIn('status', UNPUBLISHED_STATUSES).first('id')) refuse('published')
    await removeTasks(trx, ids)
    await trx('plans').where('id', planId).delete()
    return ids.length
  })
}

export interface NewPlanTask {
  planId: number
  parentId: number | null
  number: string
  title: string
  deadline: IsoDate | null
  units: { lead: number[]; responsible: number[]; cooperating: number[] }
}

/** A task the parser missed, added to a plan (under a parent, or at the top), waiting to be 交办 like the rest. */
export async function addTask(db: Knex, t: NewPlanTask, a: Actor): Promise<number> {
  if (!t.units.lead.length) throw fieldError([{ path: 'units.lead', message: 'task.leadRequired' }])
  return db.transaction(async (trx) => {
    const plan = await trx('plans').where('id', t.planId).first('id', 'kind')
    if (!plan) throw new AppError(ErrorCode.NotFound, 'no such plan')
    const parent = t.parentId ? await trx('tasks').where({ id: t.parentId, plan_id: t.planId }).first('path', 'title') : null
    if (t.parentId && !parent) throw new AppError(ErrorCode.NotFound, 'no such parent task')
    const path = parent ? `${parent.path}/${t.number}` : t.number
    if (await trx('tasks').where({ plan_id: t.planId, path }).first('id'))
      throw fieldError([{ path: 'number', message: 'plan.duplicatePath', params: { path } }])
    const last = Number((await trx('tasks').where('plan_id', t.planId).max({ m: 'sort_order' }).first())?.m ?? -1)
    const [id] = await trx('tasks').insert({
      uid: randomUUID(),
      plan_id: t.planId,
      parent_id: t.parentId,
      path,
      number: t.number,
      title: t.title,
      section: parent?.title ?? '',
      deadline: t.deadline,
      deadline_text: null,
      recurring: null,
      source_text: t.title,
      status: plan.kind === 'manual' ? 'draft' : 'created',
      sort_order: last + 1,
      created_at: a.now,
      created_by: a.userId,
    })
    const roles = unitRoles(t.units)
    await trx('task_units').insert([...roles].map(([unitId, role]) => ({ task_id: id, unit_id: unitId, role, status: 'pending' as const })))
    return id!
  })
}

/** Each unit once, in the first role it is named in. */
function unitRoles(units: { lead: number[]; responsible: number[]; cooperating: number[] }): Map<number, string> {
  const roles = new Map<number, string>()
  for (const [role, ids] of [
    ['lead', units.lead],
    ['responsible', units.responsible],
    ['cooperating', units.cooperating],
  ] as const)
    for (const id of ids) if (!roles.has(id)) roles.set(id, role)
  return roles
}

/**
 * 拆分: some of a task's units get a task of their own (a sibling with the same text, deadline and plan place, the next
 * free number after the original's). Units that took any step on the task move with their history; the original keeps
 * at least one unit, and a task left without its 牵头 unit gets its first remaining unit as 牵头.
 */
export async function splitTask(db: Knex, taskId: number, title: string, taskUnitIds: number[], a: Actor): Promise<number> {
  return db.transaction(async (trx) => {
    const task = await trx('tasks').where('id', taskId).first()
    if (!task) throw new AppError(ErrorCode.NotFound, 'no such task')
    if (['completed', 'archived'].includes(task.status)) refuse('closed')
    const units = await trx('task_units').where('task_id', taskId).orderBy('id').select('id', 'role')
    const moving = units.filter((u) => taskUnitIds.includes(u.id))
    if (!moving.length || moving.length !== new Set(taskUnitIds).size)
      throw fieldError([{ path: 'taskUnitIds', message: 'letter.noUnits' }])
    if (moving.length === units.length) refuse('nothing_left')
    let n = 2
    const base = task.path.split('/')
    const pathOf = (k: number) => [...base.slice(0, -1), `${base.at(-1)}之${k}`].join('/')
    while (
      await trx('tasks')
        .where({ plan_id: task.plan_id, path: pathOf(n) })
        .first('id')
    )
      n++
    const [id] = await trx('tasks').insert({
      ...task,
      id: undefined,
      uid: randomUUID(),
      path: pathOf(n),
      number: `${task.number}之${n}`,
      title,
      external_id: null,
      created_at: a.now,
    })
    await trx('task_units').whereIn('id', taskUnitIds).update({ task_id: id })
    await trx('task_events').whereIn('task_unit_id', taskUnitIds).update({ task_id: id })
    if (!moving.some((u) => u.role === 'lead')) await trx('task_units').where('id', moving[0]!.id).update({ role: 'lead' })
    const left = units.filter((u) => !taskUnitIds.includes(u.id))
    if (!left.some((u) => u.role === 'lead')) await trx('task_units').where('id', left[0]!.id).update({ role: 'lead' })
    if (!UNPUBLISHED_STATUSES.includes(task.status)) {
      await trx('task_events').insert({
        task_id: taskId,
        kind: 'edit',
        text: `拆分出 ${task.number}之${n}：${title}`,
        status: 'done',
        actor_id: a.userId,
        at: a.now,
      })
      await trx('task_events').insert({
        task_id: id,
        kind: 'edit',
        text: `由 ${task.number} 拆分而来`,
        status: 'done',
        actor_id: a.userId,
        at: a.now,
      })
    }
    return id!
  })
}
