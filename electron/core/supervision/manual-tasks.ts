// 立项 by hand: a task that comes from a 领导批示, a meeting, a superior or the public, outside any work plan. It lands in
// the year's 临时督办事项 (one plan per year, made on first use), starts as a draft, and is published (交办 to its units)
// by a supervisor — by a second one when the office asks for 审核 (publishReview), never by the one who asked.
import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import type { BASIS_KINDS, SUPERVISION_TYPES, URGENCIES } from '../../contract/schemas/supervision'
import type { IsoDate } from '../calendar/working-calendar'
import { AppError, fieldError } from '../shared/app-error'
import { publishReview } from './supervision-settings'
import { assignTask } from './task-lifecycle'

export interface ManualTask {
  title: string
  content: string
  basisKind: (typeof BASIS_KINDS)[number]
  basisText: string | null
  basisDoc: string | null
  basisDate: IsoDate | null
  supervisionType: (typeof SUPERVISION_TYPES)[number]
  urgency: (typeof URGENCIES)[number]
  leadUnitIds: number[]
  cooperatingUnitIds: number[]
  deadline: IsoDate
  recurring: string | null
}

interface Actor {
  userId: number
  now: number
  today: IsoDate
}

/** The year's plan that holds the tasks set up by hand. */
async function manualPlan(db: Knex, year: number, a: Actor): Promise<number> {
  const existing = await db('plans').where({ kind: 'manual', year }).first('id')
  if (existing) return existing.id
  const [id] = await db('plans').insert({
    uid: randomUUID(),
    title: `${year}年临时督办事项`,
    issuer: null,
    doc_number: null,
    year,
    source_file: null,
    external_id: null,
    created_by: a.userId,
    created_at: a.now,
    kind: 'manual',
  })
  return id!
}

export async function createManualTask(db: Knex, input: ManualTask, a: Actor): Promise<number> {
  if (input.deadline <= a.today) throw fieldError([{ path: 'deadline', message: 'task.extensionPast' }])
  const lead = [...new Set(input.leadUnitIds)]
  const cooperating = [...new Set(input.cooperatingUnitIds)].filter((id) => !lead.includes(id))
  const known = await db('org_units')
    .whereIn('id', [...lead, ...cooperating])
    .where('enabled', true)
    .pluck('id')
  if (known.length !== lead.length + cooperating.length) throw fieldError([{ path: 'leadUnitIds', message: 'unit.missing' }])
  return db.transaction(async (trx) => {
    const planId = await manualPlan(trx, Number(a.today.slice(0, 4)), a)
    const count = Number((await trx('tasks').where({ plan_id: planId, parent_id: null }).count({ n: '*' }).first())?.n ?? 0)
    const number = String(count + 1)
    const [taskId] = await trx('tasks').insert({
      uid: randomUUID(),
      plan_id: planId,
      parent_id: null,
      path: number,
      number,
      title: input.title,
      section: '临时督办事项',
      deadline: input.deadline,
      deadline_text: null,
      recurring: input.recurring,
      source_text: input.content,
      status: 'draft',
      sort_order: count,
      created_at: a.now,
      basis_kind: input.basisKind,
      basis_text: input.basisText,
      basis_doc: input.basisDoc,
      basis_date: input.basisDate,
      supervision_type: input.supervisionType,
      urgency: input.urgency,
      created_by: a.userId,
    })
    await trx('task_units').insert([
      ...lead.map((unitId, i) => ({
        task_id: taskId,
        unit_id: unitId,
        role: i === 0 ? 'lead' : 'responsible',
        status: 'pending' as const,
      })),
      ...cooperating.map((unitId) => ({ task_id: taskId, unit_id: unitId, role: 'cooperating', status: 'pending' as const })),
    ])
    await trx('task_events').insert({ task_id: taskId, kind: 'create', status: 'done', actor_id: a.userId, at: a.now })
    return taskId!
  })
}

/**
 * 发布: with 审核 on, the first supervisor asks (awaiting_publish) and another publishes; with it off, the draft goes
 * out at once. Publishing 交办s the task to its units (and its recurring instances), all in one transaction.
 */
export async function publishTask(db: Knex, taskId: number, a: Actor): Promise<'awaiting_publish' | 'assigned'> {
  const review = await publishReview(db)
  return db.transaction(async (trx) => {
    const task = await trx('tasks').where('id', taskId).first('status', 'publish_requested_by')
    if (!task) throw new AppError(ErrorCode.NotFound, 'no such task')
    if (task.status === 'draft' && review) {
      await trx('tasks').where('id', taskId).update({ status: 'awaiting_publish', publish_requested_by: a.userId })
      await trx('task_events').insert({ task_id: taskId, kind: 'publish_request', status: 'done', actor_id: a.userId, at: a.now })
      return 'awaiting_publish'
    }
    if (task.status === 'awaiting_publish') {
      if (task.publish_requested_by === a.userId) throw new AppError(ErrorCode.SelfReview, 'own publish request')
    } else if (task.status !== 'draft') {
      throw new AppError(ErrorCode.InvalidState, 'not a draft', { reason: 'already_published' })
    }
    await trx('tasks').where('id', taskId).update({ status: 'created' })
    await assignTask(trx, taskId, a)
    return 'assigned'
  })
}
