// 催办 and letters. The reminder list is every unit of an open task that is due within the yellow window, lagging, or
// overdue, or whose completion was returned. Letters escalate — 提醒函 (blue) → 督办函 (yellow) → 通报 (red) — each level
// numbered 〔year〕seq in its own series inside the transaction that stores it. A letter goes to the units the supervisor
// chose; its reply deadline becomes each one's deadline for the task (a task event says so), and each one's reply (整改
// 报告, with its stamped scan) is recorded against it. The register lists every letter per unit with its state.
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import type { LetterLevel } from '../../contract/schemas/supervision'
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar'
import { AppError, fieldError } from '../shared/app-error'
import { lightOf, startedOn, UNPUBLISHED_STATUSES, type Actor, type UnitStatus } from './task-lifecycle'
import { loadDocx, loadExcel } from '../shared/lazy-libs'
import { LETTER_COLOURS, letterLevels, levelAfter, lightRules } from './supervision-settings'
import type { SupervisionLetterRow } from '../../../db/tables'
import { chineseDay, chineseDayOf } from '../../contract/dates.zh-CN'
import { LETTER_STATE_LABELS } from '../../contract/labels.zh-CN'
import { writeFileAtomic } from '../shared/write-file'

interface DueRow {
  id: number
  status: UnitStatus
  percent: number
  role: string
  unit_deadline: string | null
  task_deadline: string | null
  assigned_at: number | null
  task_id: number
  path: string
  title: string
  unit_id: number
  unit_name: string
}

/** Every unit of every open (published, not finished) task with its light on `today`. */
export async function unitLights(db: Knex, today: IsoDate, calendar: WorkingCalendar) {
  const rules = await lightRules(db)
  const rows = await db('task_units as tu')
    .join('tasks as t', 't.id', 'tu.task_id')
    .join('org_units as u', 'u.id', 'tu.unit_id')
    .whereNotIn('t.status', ['completed', 'archived', ...UNPUBLISHED_STATUSES])
    .whereNot('tu.status', 'done')
    .select<DueRow[]>(
      'tu.id',
      'tu.status',
      'tu.percent',
      'tu.role',
      'tu.deadline as unit_deadline',
      't.deadline as task_deadline',
      't.assigned_at',
      't.id as task_id',
      't.path',
      't.title',
      'u.id as unit_id',
      'u.name as unit_name',
    )
  return rows.map((r) => {
    const deadline = r.unit_deadline ?? r.task_deadline
    const light = lightOf({ status: r.status, deadline, percent: r.percent, startedOn: startedOn(r.assigned_at) }, today, rules, calendar)
    const overdueDays = deadline && today > deadline ? calendar.workingDaysBetween(deadline, today).value : 0
    return {
      taskUnitId: r.id,
      taskId: r.task_id,
      path: r.path.split('/'),
      title: r.title,
      unitId: r.unit_id,
      unitName: r.unit_name,
      role: r.role,
      status: r.status,
      percent: r.percent,
      deadline,
      light,
      overdueDays,
    }
  })
}

/** Worst first: overdue, due soon or lagging, then returned ones still in time. */
const URGENCY = ['red', 'yellow', 'green', 'none']

export async function dueList(db: Knex, today: IsoDate, calendar: WorkingCalendar) {
  const due = (await unitLights(db, today, calendar))
    .filter((r) => r.light === 'red' || r.light === 'yellow' || r.status === 'returned')
    .sort((a, b) => URGENCY.indexOf(a.light) - URGENCY.indexOf(b.light) || (a.deadline ?? '').localeCompare(b.deadline ?? ''))
  const received = new Map<number, LetterLevel[]>()
  for (const l of await db('letter_recipients as r')
    .join('supervision_letters as l', 'l.id', 'r.letter_id')
    .whereIn(
      'r.task_unit_id',
      due.map((d) => d.taskUnitId),
    )
    .select<Array<{ task_unit_id: number; level: LetterLevel }>>('r.task_unit_id', 'l.level'))
    received.set(l.task_unit_id, [...(received.get(l.task_unit_id) ?? []), l.level])
  return due.map((d) => ({ ...d, nextLetterLevel: levelAfter(received.get(d.taskUnitId) ?? []) }))
}

/** 催办: a reminder short of a letter (a call, a message), kept in the task's history and counted. */
export async function urgeUnit(db: Knex, taskUnitId: number, text: string, a: Actor): Promise<number> {
  const tu = await db('task_units as tu')
    .join('tasks as t', 't.id', 'tu.task_id')
    .where('tu.id', taskUnitId)
    .first<{ task_id: number; status: string; task_status: string } | undefined>('tu.task_id', 'tu.status', 't.status as task_status')
  if (!tu) throw new AppError(ErrorCode.NotFound, 'no such task unit')
  if (tu.status === 'done' || ['completed', 'archived'].includes(tu.task_status))
    throw new AppError(ErrorCode.InvalidState, 'closed', { reason: 'closed' })
  const [id] = await db('task_events').insert({
    task_id: tu.task_id,
    task_unit_id: taskUnitId,
    kind: 'urge',
    text,
    status: 'done',
    actor_id: a.userId,
    at: a.now,
  })
  return id!
}

const BODY_CLOSING: Record<LetterLevel, (due: string) => string> = {
  reminder: (due) => `请抓紧推进，于${due}前将工作进展情况报送社会信用体系建设领导小组办公室。`,
  letter: (due) => `经督查，该项工作进度滞后。请高度重视，于${due}前办结，并将办理结果（加盖公章）报送社会信用体系建设领导小组办公室。`,
  notice: (due) =>
    `经提醒、督办，该项工作仍未按期完成，现予以通报。请你单位深刻分析原因，于${due}前完成整改并书面报告整改落实情况（加盖公章）。`,
}

export async function issueLetter(
  db: Knex,
  input: { taskId: number; level: LetterLevel; taskUnitIds: number[]; newDeadline: IsoDate; note: string | null },
  userId: number,
  now: number,
  today: IsoDate,
) {
  const task = await db('tasks as t')
    .join('plans as p', 'p.id', 't.plan_id')
    .where('t.id', input.taskId)
    .first<{ title: string; path: string; status: string; deadline: string | null; plan_title: string } | undefined>(
      't.title',
      't.path',
      't.status',
      't.deadline',
      'p.title as plan_title',
    )
  if (!task) throw new AppError(ErrorCode.NotFound, 'no such task')
  if (['completed', 'archived', ...UNPUBLISHED_STATUSES].includes(task.status))
    throw new AppError(ErrorCode.InvalidState, 'task not open', { reason: 'closed' })
  if (input.newDeadline <= today) throw fieldError([{ path: 'newDeadline', message: 'task.extensionPast' }])
  const units = await db('task_units as tu')
    .join('org_units as u', 'u.id', 'tu.unit_id')
    .where('tu.task_id', input.taskId)
    .whereIn('tu.id', input.taskUnitIds)
    .whereNot('tu.status', 'done')
    .orderBy('tu.id')
    .select<Array<{ id: number; name: string; deadline: string | null }>>('tu.id', 'u.name', 'tu.deadline')
  if (!units.length || units.length !== new Set(input.taskUnitIds).size)
    throw fieldError([{ path: 'taskUnitIds', message: 'letter.noUnits' }])
  const names = units.map((u) => u.name)
  const level = (await letterLevels(db)).find((l) => l.level === input.level)!
  const year = Number(today.slice(0, 4))
  const body =
    `${names.join('、')}：\n\u3000\u3000根据《${task.plan_title}》，` +
    `“${task.path.replaceAll('/', '.')} ${task.title}”由你单位承办${task.deadline ? `，原定完成期限为${chineseDay(task.deadline)}` : ''}。` +
    BODY_CLOSING[input.level](chineseDay(input.newDeadline)) +
    (input.note ? `\n\u3000\u3000${input.note}` : '')
  return db.transaction(async (trx) => {
    const seq = Number((await trx('supervision_letters').where({ year, level: input.level }).max({ m: 'seq' }).first())?.m ?? 0) + 1
    const docNumber = `${level.prefix}〔${year}〕${seq}号`
    const [id] = await trx('supervision_letters').insert({
      year,
      seq,
      level: input.level,
      doc_number: docNumber,
      task_id: input.taskId,
      unit_names: JSON.stringify(names),
      new_deadline: input.newDeadline,
      body,
      created_by: userId,
      created_at: now,
    })
    for (const u of units) {
      await trx('letter_recipients').insert({ letter_id: id, task_unit_id: u.id, previous_deadline: u.deadline })
      // The reply deadline is the unit's deadline for the task from now on.
      await trx('task_units').where('id', u.id).update({ deadline: input.newDeadline })
      await trx('task_events').insert({
        task_id: input.taskId,
        task_unit_id: u.id,
        kind: 'letter',
        text: `${level.name} ${docNumber}`,
        new_deadline: input.newDeadline,
        status: 'done',
        actor_id: userId,
        at: now,
      })
    }
    return { id: id!, docNumber }
  })
}

/** The unit's reply (整改报告) to a letter: a task event, to which its stamped scan is attached. One reply per letter. */
export async function recordLetterReply(db: Knex, recipientId: number, text: string, a: Actor): Promise<number> {
  return db.transaction(async (trx) => {
    const r = await trx('letter_recipients as r')
      .join('supervision_letters as l', 'l.id', 'r.letter_id')
      .where('r.id', recipientId)
      .first<{ task_unit_id: number; task_id: number; replied_at: number | null; doc_number: string } | undefined>(
        'r.task_unit_id',
        'l.task_id',
        'r.replied_at',
        'l.doc_number',
      )
    if (!r) throw new AppError(ErrorCode.NotFound, 'no such letter recipient')
    if (r.replied_at != null) throw new AppError(ErrorCode.InvalidState, 'already replied', { reason: 'already_replied' })
    const [eventId] = await trx('task_events').insert({
      task_id: r.task_id,
      task_unit_id: r.task_unit_id,
      kind: 'letter_reply',
      text: `${r.doc_number}：${text}`,
      status: 'done',
      actor_id: a.userId,
      actor_label: a.label ?? null,
      at: a.now,
    })
    await trx('letter_recipients').where('id', recipientId).update({ reply_event_id: eventId, replied_at: a.now })
    return eventId!
  })
}

export type LetterState = 'awaiting' | 'replied' | 'overdue'

/** 待回复 until the reply is recorded; 逾期未回复 once the reply deadline has passed without one. */
export function letterState(replyDue: IsoDate, repliedAt: number | null, today: IsoDate): LetterState {
  if (repliedAt != null) return 'replied'
  return today > replyDue ? 'overdue' : 'awaiting'
}

export interface RegisterFilter {
  level: LetterLevel | null
  state: LetterState | null
  unitId: number | null
  year: number | null
}

/** Every letter, one row per addressed unit, newest first. */
export async function letterRegister(db: Knex, filter: RegisterFilter, today: IsoDate) {
  const names = new Map((await letterLevels(db)).map((l) => [l.level, l.name]))
  const q = db('letter_recipients as r')
    .join('supervision_letters as l', 'l.id', 'r.letter_id')
    .join('task_units as tu', 'tu.id', 'r.task_unit_id')
    .join('org_units as u', 'u.id', 'tu.unit_id')
    .join('tasks as t', 't.id', 'l.task_id')
    .orderBy([
      { column: 'l.id', order: 'desc' },
      { column: 'r.id', order: 'asc' },
    ])
  if (filter.level) q.where('l.level', filter.level)
  if (filter.unitId) q.where('u.id', filter.unitId)
  if (filter.year) q.where('l.year', filter.year)
  const rows = await q.select<
    Array<{
      id: number
      letter_id: number
      level: LetterLevel
      doc_number: string
      task_id: number
      title: string
      path: string
      unit_id: number
      unit_name: string
      created_at: number
      new_deadline: string
      replied_at: number | null
      reply_event_id: number | null
    }>
  >(
    'r.id',
    'l.id as letter_id',
    'l.level',
    'l.doc_number',
    't.id as task_id',
    't.title',
    't.path',
    'u.id as unit_id',
    'u.name as unit_name',
    'l.created_at',
    'l.new_deadline',
    'r.replied_at',
    'r.reply_event_id',
  )
  return rows
    .map((r) => ({
      recipientId: r.id,
      letterId: r.letter_id,
      level: r.level,
      levelName: names.get(r.level)!,
      docNumber: r.doc_number,
      taskId: r.task_id,
      taskTitle: r.title,
      path: r.path.split('/'),
      unitId: r.unit_id,
      unitName: r.unit_name,
      issuedAt: Number(r.created_at),
      replyDue: r.new_deadline,
      state: letterState(r.new_deadline, r.replied_at == null ? null : Number(r.replied_at), today),
      repliedAt: r.replied_at == null ? null : Number(r.replied_at),
      replyEventId: r.reply_event_id ?? null,
    }))
    .filter((r) => !filter.state || r.state === filter.state)
}

/** The register as the office files it: one row per letter and unit. */
export async function writeRegister(rows: Awaited<ReturnType<typeof letterRegister>>, path: string): Promise<number> {
  const wb = new (await loadExcel()).Workbook()
  const ws = wb.addWorksheet('督办函登记簿')
  ws.addRow(['文号', '类别', '督办事项', '单位', '发出日期', '回复期限', '状态', '回复日期']).font = { bold: true }
  for (const r of rows)
    ws.addRow([
      r.docNumber,
      r.levelName,
      `${r.path.join('.')} ${r.taskTitle}`,
      r.unitName,
      chineseDayOf(r.issuedAt),
      r.replyDue,
      LETTER_STATE_LABELS[r.state],
      r.repliedAt == null ? '' : chineseDayOf(r.repliedAt),
    ])
  ws.columns.forEach((c, i) => (c.width = [20, 8, 44, 24, 16, 12, 12, 16][i]))
  writeFileAtomic(path, Buffer.from(await wb.xlsx.writeBuffer()))
  return rows.length
}

export async function getLetter(db: Knex, id: number) {
  const l = await db('supervision_letters as l')
    .join('users as u', 'u.id', 'l.created_by')
    .where('l.id', id)
    .first<(SupervisionLetterRow & { by_name: string }) | undefined>('l.*', 'u.display_name as by_name')
  if (!l) throw new AppError(ErrorCode.NotFound, 'no such letter')
  const org = (await db('settings').where('key', 'org_name').first('value'))?.value
  const unitNames: string[] = JSON.parse(l.unit_names)
  const level = (await letterLevels(db)).find((x) => x.level === l.level)!
  return {
    id: l.id,
    level: l.level,
    levelName: level.name,
    colour: LETTER_COLOURS[l.level],
    docNumber: l.doc_number,
    taskId: l.task_id,
    unitNames,
    newDeadline: l.new_deadline,
    body: l.body,
    issuer: org ?? '',
    createdByName: l.by_name,
    createdAt: Number(l.created_at),
  }
}

const FONT = { ascii: 'FangSong', eastAsia: '仿宋_GB2312', hAnsi: 'FangSong' }

/** The letter as a Word document the office can edit in WPS or Word (公文 layout: title, 文号, body, issuer). */
export async function letterDocx(letter: Awaited<ReturnType<typeof getLetter>>): Promise<Buffer> {
  const { AlignmentType, Document, Packer, Paragraph, TextRun } = await loadDocx()
  const date = chineseDayOf(letter.createdAt)
  const run = (text: string, size = 32, bold = false) => new TextRun({ text, size, bold, font: FONT })
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 300 },
            children: [
              new TextRun({
                text: [...letter.levelName].join(' '),
                size: 44,
                bold: true,
                font: { eastAsia: '方正小标宋简体', ascii: 'SimSun' },
              }),
            ],
          }),
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 400 }, children: [run(letter.docNumber)] }),
          ...letter.body.split('\n').map((line) => new Paragraph({ spacing: { line: 560 }, children: [run(line)] })),
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 600 }, children: [run(letter.issuer)] }),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(date)] }),
        ],
      },
    ],
  })
  return Packer.toBuffer(doc)
}
