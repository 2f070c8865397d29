// The supervision loop. Per unit of a task: pending → (交办) assigned → (签收) signed → (进展反馈)
// in_progress → (提交办结) submitted → (审核) done, or returned → in_progress again. A unit may ask
// for more time (申请延期); a supervisor approves (its own deadline moves) or refuses. The task is
// completed when every unit is done, then archived. Each step is a task_events row: who, when, what.
// Deadlines and traffic lights count working days on the office calendar.
import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar'
import { AppError, fieldError } from '../shared/app-error'
import { evaluationWeights, levelAfter, lightRules } from './supervision-settings'
import type { LetterLevel, UnitStatus } from '../../contract/schemas/supervision'
import type { PlanRow, TaskEventRow, TaskRow, TaskUnitRow } from '../../../db/tables'

export type { UnitStatus }
export type Light = 'green' | 'yellow' | 'red' | 'done' | 'none'
/** A task not yet out to its units: parsed from a plan (created), or set up by hand (draft, awaiting_publish). */
export const UNPUBLISHED_STATUSES = ['created', 'draft', 'awaiting_publish']

/** Who acts: an app account, or (userId null) the command line or a unit's 反馈表, named by `label`. */
export interface Actor {
  userId: number | null
  now: number
  today: IsoDate
  label?: string
  /** How the step came in, when not typed into the app (feedback_form). */
  via?: string
}

function refuse(reason: string, extra: Record<string, unknown> = {}): never {
  throw new AppError(ErrorCode.InvalidState, reason, { reason, ...extra })
}

async function taskUnit(db: Knex, id: number) {
  const tu = await db('task_units as tu')
    .join('tasks as t', 't.id', 'tu.task_id')
    .where('tu.id', id)
    .first<(TaskUnitRow & { task_status: string; task_deadline: string | null }) | undefined>(
      'tu.*',
      't.status as task_status',
      't.deadline as task_deadline',
    )
  if (!tu) throw new AppError(ErrorCode.NotFound, 'no such task unit')
  if (tu.task_status === 'archived') refuse('archived')
  return tu
}

async function event(
  db: Knex,
  e: {
    taskId: number
    taskUnitId?: number | null
    kind: string
    text?: string | null
    percent?: number | null
    newDeadline?: string | null
    decision?: string | null
    status?: string
  },
  a: Actor,
): Promise<number> {
  const [id] = await db('task_events').insert({
    task_id: e.taskId,
    task_unit_id: e.taskUnitId ?? null,
    kind: e.kind,
    text: e.text ?? null,
    percent: e.percent ?? null,
    new_deadline: e.newDeadline ?? null,
    decision: e.decision ?? null,
    status: e.status ?? 'done',
    actor_id: a.userId,
    actor_label: a.label ?? null,
    via: a.via ?? null,
    at: a.now,
  })
  return id!
}

const lastDayOf = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()
const isoDay = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`

/**
 * The instances a recurring duty owes from today to the end of the plan year: 月报 by the 22nd of
 * each month (monthly:22), month ends (monthly), quarter ends, half-year ends, the year end.
 */
export function recurrenceInstances(recurring: string, year: number, today: IsoDate): Array<{ label: string; deadline: IsoDate }> {
  const monthly = /^monthly(?::(\d{1,2}))?$/.exec(recurring)
  const all: Array<{ label: string; deadline: IsoDate }> = monthly
    ? Array.from({ length: 12 }, (_, i) => ({
        label: `${i + 1}月`,
        deadline: isoDay(year, i + 1, Math.min(Number(monthly[1] ?? 31), lastDayOf(year, i + 1))),
      }))
    : recurring === 'quarterly'
      ? [3, 6, 9, 12].map((m, i) => ({ label: `第${'一二三四'[i]}季度`, deadline: isoDay(year, m, lastDayOf(year, m)) }))
      : recurring === 'semiannual'
        ? [
            { label: '上半年', deadline: `${year}-06-30` },
            { label: '下半年', deadline: `${year}-12-31` },
          ]
        : recurring === 'annual'
          ? [{ label: `${year}年`, deadline: `${year}-12-31` }]
          : []
  return all.filter((i) => i.deadline >= today)
}

/** 交办: every unit of the task gets it; a recurring duty also gets its instances, each with the same units. */
/**
 * 交办 several tasks in one go (one transaction: all or none). Tasks already assigned are counted and left alone; a
 * task without units refuses the whole batch, naming it, so nothing goes out half-assigned.
 */
export async function assignTasks(db: Knex, taskIds: number[], a: Actor): Promise<{ assigned: number; alreadyAssigned: number }> {
  const tasks = await db('tasks').whereIn('id', taskIds).select('id', 'status', 'path', 'title')
  if (tasks.length !== new Set(taskIds).size) throw new AppError(ErrorCode.NotFound, 'no such task')
  const open = tasks.filter((t) => t.status === 'created')
  const withUnits = new Set(
    await db('task_units')
      .whereIn(
        'task_id',
        open.map((t) => t.id),
      )
      .where('status', 'pending')
      .distinct()
      .pluck('task_id'),
  )
  const bare = open.filter((t) => !withUnits.has(t.id))
  if (bare.length) refuse('no_units', { tasks: bare.map((t) => `${t.path.replaceAll('/', '.')} ${t.title}`).slice(0, 20) })
  for (const t of open) await assignTask(db, t.id, a)
  return { assigned: open.length, alreadyAssigned: tasks.length - open.length }
}

export async function assignTask(db: Knex, taskId: number, a: Actor): Promise<void> {
  const task = await db('tasks as t')
    .join('plans as p', 'p.id', 't.plan_id')
    .where('t.id', taskId)
    .first<(TaskRow & Pick<PlanRow, 'year'>) | undefined>('t.*', 'p.year')
  if (!task) throw new AppError(ErrorCode.NotFound, 'no such task')
  if (task.status !== 'created') refuse('already_assigned')
  const units = await db('task_units').where({ task_id: taskId, status: 'pending' }).select('unit_id', 'role')
  if (!units.length) refuse('no_units')
  await db('task_units').where({ task_id: taskId, status: 'pending' }).update({ status: 'assigned' })
  await db('tasks').where('id', taskId).update({ status: 'assigned', assigned_at: a.now })
  await event(db, { taskId, kind: 'assign' }, a)
  if (!task.recurring || (await db('tasks').where('parent_id', taskId).first('id'))) return
  for (const inst of recurrenceInstances(task.recurring, task.year, a.today)) {
    const [childId] = await db('tasks').insert({
      uid: randomUUID(),
      plan_id: task.plan_id,
      parent_id: taskId,
      path: `${task.path}/${inst.label}`,
      number: inst.label,
      title: `${task.title}（${inst.label}）`,
      section: task.title,
      deadline: inst.deadline,
      deadline_text: null,
      recurring: null,
      source_text: task.source_text,
      status: 'assigned',
      sort_order: task.sort_order,
      created_at: a.now, // after the parent: same order, later id
      assigned_at: a.now,
    })
    await db('task_units').insert(units.map((u) => ({ task_id: childId, unit_id: u.unit_id, role: u.role, status: 'assigned' })))
    await event(db, { taskId: childId!, kind: 'assign' }, a)
  }
}

export async function signTask(db: Knex, taskUnitId: number, a: Actor): Promise<void> {
  const tu = await taskUnit(db, taskUnitId)
  if (tu.status !== 'assigned') refuse('not_assigned')
  await db('task_units').where('id', taskUnitId).update({ status: 'signed' })
  await event(db, { taskId: tu.task_id, taskUnitId, kind: 'sign' }, a)
}

export async function reportProgress(db: Knex, taskUnitId: number, text: string, percent: number, a: Actor): Promise<number> {
  const tu = await taskUnit(db, taskUnitId)
  if (!['signed', 'in_progress', 'returned'].includes(tu.status)) refuse('not_signed')
  if (percent < tu.percent) throw fieldError([{ path: 'percent', message: 'task.percentBack', params: { percent: tu.percent } }])
  await db('task_units').where('id', taskUnitId).update({ status: 'in_progress', percent })
  await db('tasks').where({ id: tu.task_id, status: 'assigned' }).update({ status: 'in_progress' })
  return event(db, { taskId: tu.task_id, taskUnitId, kind: 'progress', text, percent }, a)
}

export async function requestExtension(db: Knex, taskUnitId: number, reason: string, newDeadline: IsoDate, a: Actor): Promise<number> {
  const tu = await taskUnit(db, taskUnitId)
  if (['pending', 'submitted', 'done'].includes(tu.status)) refuse('not_open')
  const current = tu.deadline ?? tu.task_deadline
  if (current && newDeadline <= current) throw fieldError([{ path: 'newDeadline', message: 'task.extensionNotLater', params: { current } }])
  if (newDeadline <= a.today) throw fieldError([{ path: 'newDeadline', message: 'task.extensionPast' }])
  if (await db('task_events').where({ task_unit_id: taskUnitId, kind: 'extension', status: 'pending' }).first('id'))
    refuse('extension_pending')
  return event(db, { taskId: tu.task_id, taskUnitId, kind: 'extension', text: reason, newDeadline, status: 'pending' }, a)
}

export async function decideExtension(
  db: Knex,
  eventId: number,
  decision: 'approved' | 'refused',
  comment: string,
  a: Actor,
): Promise<void> {
  const req = await db('task_events').where({ id: eventId, kind: 'extension' }).first()
  if (!req) throw new AppError(ErrorCode.NotFound, 'no such request')
  if (req.status !== 'pending') refuse('decided')
  if (req.actor_id === a.userId) throw new AppError(ErrorCode.SelfReview, 'own request')
  await db('task_events').where('id', eventId).update({ status: decision })
  if (decision === 'approved') await db('task_units').where('id', req.task_unit_id).update({ deadline: req.new_deadline })
  await event(
    db,
    {
      taskId: req.task_id,
      taskUnitId: req.task_unit_id,
      kind: 'extension_decision',
      text: comment,
      decision,
      newDeadline: req.new_deadline,
    },
    a,
  )
}

export async function submitCompletion(db: Knex, taskUnitId: number, text: string, a: Actor): Promise<number> {
  const tu = await taskUnit(db, taskUnitId)
  if (!['signed', 'in_progress', 'returned'].includes(tu.status)) refuse('not_signed')
  await db('task_units').where('id', taskUnitId).update({ status: 'submitted', percent: 100, submitted_by: a.userId })
  return event(db, { taskId: tu.task_id, taskUnitId, kind: 'submit', text, percent: 100 }, a)
}

/** 审核: approve (the unit is done; the task completes when all are) or return with comments. */
export interface Evaluation {
  quality: number
  efficiency: number
  satisfaction: number
  comment: string | null
}

/** 审核: approve (the unit is done; the task completes when all are) or return with comments. An approval may carry
 *  the 质量/效率/满意度 evaluation, weighed into one score by the office's weights. */
export async function reviewCompletion(
  db: Knex,
  taskUnitId: number,
  decision: 'approved' | 'returned',
  comment: string,
  a: Actor,
  evaluation: Evaluation | null = null,
): Promise<void> {
  const tu = await taskUnit(db, taskUnitId)
  if (tu.status !== 'submitted') refuse('not_submitted')
  if (tu.submitted_by === a.userId) throw new AppError(ErrorCode.SelfReview, 'own submission')
  if (evaluation && decision !== 'approved') refuse('evaluation_without_approval')
  if (evaluation) {
    const w = await evaluationWeights(db)
    const score =
      Math.round(
        ((evaluation.quality * w.quality + evaluation.efficiency * w.efficiency + evaluation.satisfaction * w.satisfaction) /
          (w.quality + w.efficiency + w.satisfaction)) *
          10,
      ) / 10
    await db('task_evaluations')
      .insert({
        task_unit_id: taskUnitId,
        quality: evaluation.quality,
        efficiency: evaluation.efficiency,
        satisfaction: evaluation.satisfaction,
        score,
        comment: evaluation.comment,
        evaluated_by: a.userId!,
        evaluated_at: a.now,
      })
      .onConflict('task_unit_id')
      .merge()
  }
  // A returned unit is back at the progress it last reported, not at the 100% of its submission.
  const last = await db('task_events').where({ task_unit_id: taskUnitId, kind: 'progress' }).orderBy('id', 'desc').first('percent')
  await db('task_units')
    .where('id', taskUnitId)
    .update(decision === 'approved' ? { status: 'done' } : { status: 'returned', percent: last?.percent ?? 0 })
  await event(db, { taskId: tu.task_id, taskUnitId, kind: 'review', text: comment, decision }, a)
  if (decision === 'approved' && !(await db('task_units').where('task_id', tu.task_id).whereNot('status', 'done').first('id'))) {
    await db('tasks').where('id', tu.task_id).update({ status: 'completed' })
    await event(db, { taskId: tu.task_id, kind: 'complete' }, a)
  }
}

/**
 * 批量通过: several queued completions and extension requests approved in one transaction (all or none), each as if
 * decided one by one — the same four-eyes rule, the same events; the comment may be left empty ("同意").
 */
export async function approveMany(
  db: Knex,
  items: Array<{ kind: 'completion' | 'extension'; taskUnitId: number }>,
  comment: string | null,
  a: Actor,
): Promise<{ completions: number; extensions: number }> {
  const text = comment ?? '同意'
  return db.transaction(async (trx) => {
    let completions = 0
    let extensions = 0
    for (const item of items) {
      if (item.kind === 'completion') {
        await reviewCompletion(trx, item.taskUnitId, 'approved', text, a)
        completions++
      } else {
        const req = await trx('task_events').where({ task_unit_id: item.taskUnitId, kind: 'extension', status: 'pending' }).first('id')
        if (!req) refuse('decided')
        await decideExtension(trx, req.id, 'approved', text, a)
        extensions++
      }
    }
    return { completions, extensions }
  })
}

export async function archiveTask(db: Knex, taskId: number, a: Actor): Promise<void> {
  const task = await db('tasks').where('id', taskId).first('status')
  if (!task) throw new AppError(ErrorCode.NotFound, 'no such task')
  if (task.status !== 'completed') refuse('not_completed')
  await db('tasks').where('id', taskId).update({ status: 'archived' })
  await event(db, { taskId, kind: 'archive' }, a)
}

const DAY_MS = 86_400_000
const dayNumber = (d: IsoDate) => Date.parse(`${d}T00:00:00Z`) / DAY_MS

/** Where a unit stands, for its light: how far it says it is, and since when the task has been out. */
export interface Standing {
  status: UnitStatus
  deadline: IsoDate | null
  percent: number
  /** The day the task went out (Beijing), null before that. */
  startedOn: IsoDate | null
}

/**
 * Green; yellow within N working days of the deadline, or when the share of the time from 交办 to the deadline that
 * has passed runs ahead of the reported percentage by more than the margin; red past the deadline; done when done.
 */
export function lightOf(
  unit: Standing,
  today: IsoDate,
  rules: { yellowDays: number; lagMargin: number },
  calendar: WorkingCalendar,
): Light {
  const { status, deadline } = unit
  if (status === 'done') return 'done'
  if (!deadline) return 'none'
  if (today > deadline) return 'red'
  if (calendar.workingDaysBetween(today, deadline).value <= rules.yellowDays) return 'yellow'
  if (unit.startedOn && deadline > unit.startedOn && today > unit.startedOn) {
    const elapsed = ((dayNumber(today) - dayNumber(unit.startedOn)) / (dayNumber(deadline) - dayNumber(unit.startedOn))) * 100
    if (elapsed - unit.percent > rules.lagMargin) return 'yellow'
  }
  return 'green'
}

/** The Beijing day a task went out, from its assigned_at. */
export function startedOn(assignedAt: number | null): IsoDate | null {
  return assignedAt == null ? null : new Date(Number(assignedAt) + 8 * 3600_000).toISOString().slice(0, 10)
}

const ORDER: Light[] = ['none', 'done', 'green', 'yellow', 'red']

export async function taskDetail(db: Knex, taskId: number, today: IsoDate, calendar: WorkingCalendar, viewerId: number | null = null) {
  const task = await db('tasks as t')
    .join('plans as p', 'p.id', 't.plan_id')
    .leftJoin('users as pr', 'pr.id', 't.publish_requested_by')
    .where('t.id', taskId)
    .first<(TaskRow & { plan_title: string; requested_by_name: string | null }) | undefined>(
      't.*',
      'p.title as plan_title',
      'pr.display_name as requested_by_name',
    )
  if (!task) throw new AppError(ErrorCode.NotFound, 'no such task')
  const rules = await lightRules(db)
  const units = await db('task_units as tu')
    .join('org_units as u', 'u.id', 'tu.unit_id')
    .leftJoin('task_evaluations as ev', 'ev.task_unit_id', 'tu.id')
    .where('tu.task_id', taskId)
    .orderBy('tu.id')
    .select<
      Array<
        TaskUnitRow & {
          unit_name: string
          quality: number | null
          efficiency: number | null
          satisfaction: number | null
          score: number | null
        }
      >
    >('tu.*', 'u.name as unit_name', 'ev.quality', 'ev.efficiency', 'ev.satisfaction', 'ev.score')
  const letters = await db('letter_recipients as r')
    .join('supervision_letters as l', 'l.id', 'r.letter_id')
    .where('l.task_id', taskId)
    .orderBy('l.id')
    .select<Array<{ task_unit_id: number; id: number; level: LetterLevel; doc_number: string; replied_at: number | null }>>(
      'r.task_unit_id',
      'l.id',
      'l.level',
      'l.doc_number',
      'r.replied_at',
    )
  const events = await db('task_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .leftJoin('task_units as tu', 'tu.id', 'e.task_unit_id')
    .leftJoin('org_units as o', 'o.id', 'tu.unit_id')
    .where('e.task_id', taskId)
    .orderBy('e.id')
    .select<Array<TaskEventRow & { actor_name: string | null; unit_name: string | null }>>(
      'e.*',
      'u.display_name as actor_name',
      'o.name as unit_name',
    )
  const files = await db('task_event_attachments as a')
    .join('attachments as f', 'f.digest', 'a.digest')
    .whereIn(
      'a.event_id',
      events.map((e) => e.id),
    )
    .select<Array<{ event_id: number; digest: string; file_name: string; mime: string }>>('a.event_id', 'a.digest', 'a.file_name', 'f.mime')
  const started = startedOn(task.assigned_at)
  const unitViews = units.map((u) => {
    const deadline = u.deadline ?? task.deadline
    return {
      id: u.id,
      unitId: u.unit_id,
      unitName: u.unit_name,
      role: u.role,
      status: u.status,
      percent: u.percent,
      deadline,
      light: lightOf({ status: u.status, deadline, percent: u.percent, startedOn: started }, today, rules, calendar),
      letters: letters
        .filter((l) => l.task_unit_id === u.id)
        .map((l) => ({ id: l.id, level: l.level, docNumber: l.doc_number, replied: l.replied_at != null })),
      nextLetterLevel: levelAfter(letters.filter((l) => l.task_unit_id === u.id).map((l) => l.level)),
      evaluation:
        u.score == null ? null : { quality: u.quality!, efficiency: u.efficiency!, satisfaction: u.satisfaction!, score: Number(u.score) },
    }
  })
  return {
    id: task.id,
    planTitle: task.plan_title,
    path: task.path.split('/'),
    title: task.title,
    section: task.section,
    deadline: task.deadline ?? null,
    recurring: task.recurring ?? null,
    status: task.status,
    source: task.source_text,
    light: unitViews.reduce<Light>((w, u) => (ORDER.indexOf(u.light) > ORDER.indexOf(w) ? u.light : w), 'none'),
    basis: task.basis_kind
      ? {
          kind: task.basis_kind,
          text: task.basis_text,
          doc: task.basis_doc,
          date: task.basis_date,
          supervisionType: task.supervision_type,
          urgency: task.urgency,
        }
      : null,
    publishRequestedBy: task.status === 'awaiting_publish' ? task.requested_by_name : null,
    mayPublish:
      task.status === 'draft' || (task.status === 'awaiting_publish' && viewerId != null && task.publish_requested_by !== viewerId),
    units: unitViews,
    events: events.map((e) => ({
      attachments: files.filter((f) => f.event_id === e.id).map((f) => ({ digest: f.digest, fileName: f.file_name, mime: f.mime })),
      id: e.id,
      kind: e.kind,
      unitName: e.unit_name ?? null,
      text: e.text ?? null,
      percent: e.percent ?? null,
      newDeadline: e.new_deadline ?? null,
      decision: e.decision ?? null,
      status: e.status,
      actorName: e.actor_name ?? e.actor_label ?? '',
      via: e.via ?? null,
      at: Number(e.at),
    })),
  }
}

/** The kinds of event a stamped scan may hang off: a progress report, a completion, a reply to a letter. */
const ATTACHABLE = ['progress', 'submit', 'letter_reply']

/** Scans may be attached to progress reports and completions of tasks that are still open. */
export async function attachableEvent(db: Knex, eventId: number) {
  const e = await db('task_events as e')
    .join('tasks as t', 't.id', 'e.task_id')
    .where('e.id', eventId)
    .first<{ id: number; kind: string; task_id: number; status: string } | undefined>('e.id', 'e.kind', 'e.task_id', 't.status')
  if (!e) throw new AppError(ErrorCode.NotFound, 'no such event')
  if (!ATTACHABLE.includes(e.kind)) refuse('not_attachable')
  if (e.status === 'archived') refuse('archived')
  return e
}
