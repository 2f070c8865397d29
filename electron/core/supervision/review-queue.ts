// What waits for a supervisor: units that submitted their task as done, extension requests not yet decided, and tasks
// set up by hand that another supervisor asked to publish. Oldest first, so nothing sits at the bottom of the pile.
import type { Knex } from 'knex'

export interface ReviewItem {
  kind: 'completion' | 'extension' | 'publish'
  taskId: number
  taskUnitId: number
  path: string[]
  title: string
  unitName: string
  text: string | null
  deadline: string | null
  newDeadline: string | null
  byName: string
  since: number
}

interface QueueRow {
  text: string | null
  new_deadline: string | null
  at: number
  task_unit_id: number
  unit_deadline: string | null
  task_deadline: string | null
  task_id: number
  path: string
  title: string
  unit_name: string
  by_name: string
}

export async function reviewQueue(db: Knex, viewerId: number | null = null): Promise<ReviewItem[]> {
  const base = () =>
    db('task_events as e')
      .join('tasks as t', 't.id', 'e.task_id')
      .join('task_units as tu', (j) => j.on('tu.task_id', 't.id').andOn(db.raw('(e.task_unit_id is null or tu.id = e.task_unit_id)')))
      .join('org_units as u', 'u.id', 'tu.unit_id')
      .join('users as by', 'by.id', 'e.actor_id')
      .select<QueueRow[]>(
        'e.text',
        'e.new_deadline',
        'e.at',
        'tu.id as task_unit_id',
        'tu.deadline as unit_deadline',
        't.deadline as task_deadline',
        't.id as task_id',
        't.path',
        't.title',
        'u.name as unit_name',
        'by.display_name as by_name',
      )
  // A unit may have submitted before (and been returned): its latest submission is the one under review.
  const submitted = await base()
    .where('tu.status', 'submitted')
    .whereIn('e.id', db('task_events').where('kind', 'submit').groupBy('task_unit_id').max('id'))
  const pending = await base().where({ 'e.kind': 'extension', 'e.status': 'pending' })
  // A publication request, shown against the task's lead unit; never to the supervisor who asked.
  const publish = await base()
    .where({ 'e.kind': 'publish_request', 't.status': 'awaiting_publish', 'tu.role': 'lead' })
    .whereNot('e.actor_id', viewerId ?? 0)
  const item =
    (kind: ReviewItem['kind']) =>
    (r: QueueRow): ReviewItem => ({
      kind,
      taskId: r.task_id,
      taskUnitId: r.task_unit_id,
      path: r.path.split('/'),
      title: r.title,
      unitName: r.unit_name,
      text: r.text ?? null,
      deadline: r.unit_deadline ?? r.task_deadline ?? null,
      newDeadline: kind === 'extension' ? (r.new_deadline ?? null) : null,
      byName: r.by_name,
      since: Number(r.at),
    })
  return [...submitted.map(item('completion')), ...pending.map(item('extension')), ...publish.map(item('publish'))].sort(
    (a, b) => a.since - b.since,
  )
}
