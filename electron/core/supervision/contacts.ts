// 会议督办 / 电话督办 / 现场督办 (黑河 六(三)): logged on a task — when, who held it, with whom, what was agreed and when it
// is checked again — as a row of its own and as an event in the task's history, and counted in the statistics.
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import type { CONTACT_KINDS } from '../../contract/schemas/supervision'
import type { IsoDate } from '../calendar/working-calendar'
import { AppError, fieldError } from '../shared/app-error'
import type { Actor } from './task-lifecycle'
import { CONTACT_KIND_LABELS } from '../../contract/labels.zh-CN'

export interface Contact {
  taskId: number
  taskUnitId: number | null
  kind: (typeof CONTACT_KINDS)[number]
  heldOn: IsoDate
  heldBy: string
  counterpart: string
  agreed: string
  nextCheck: IsoDate | null
}

export async function logContact(db: Knex, c: Contact, a: Actor): Promise<number> {
  if (c.heldOn > a.today) throw fieldError([{ path: 'heldOn', message: 'contact.future' }])
  if (c.nextCheck && c.nextCheck <= c.heldOn) throw fieldError([{ path: 'nextCheck', message: 'contact.nextCheckBefore' }])
  return db.transaction(async (trx) => {
    const task = await trx('tasks').where('id', c.taskId).first('status')
    if (!task) throw new AppError(ErrorCode.NotFound, 'no such task')
    if (task.status === 'archived') throw new AppError(ErrorCode.InvalidState, 'archived', { reason: 'archived' })
    if (c.taskUnitId && !(await trx('task_units').where({ id: c.taskUnitId, task_id: c.taskId }).first('id')))
      throw fieldError([{ path: 'taskUnitId', message: 'unit.missing' }])
    const summary = `${CONTACT_KIND_LABELS[c.kind]}（${c.heldOn}，${c.heldBy} — ${c.counterpart}）：${c.agreed}${c.nextCheck ? `；下次检查 ${c.nextCheck}` : ''}`
    const [eventId] = await trx('task_events').insert({
      task_id: c.taskId,
      task_unit_id: c.taskUnitId,
      kind: 'contact',
      text: summary,
      new_deadline: c.nextCheck,
      status: 'done',
      actor_id: a.userId,
      at: a.now,
    })
    const [id] = await trx('supervision_contacts').insert({
      task_id: c.taskId,
      task_unit_id: c.taskUnitId,
      kind: c.kind,
      held_on: c.heldOn,
      held_by: c.heldBy,
      counterpart: c.counterpart,
      agreed: c.agreed,
      next_check: c.nextCheck,
      event_id: eventId,
      created_at: a.now,
    })
    return id!
  })
}
