// 催办 and 督办函. The reminder list is every unit of an open task that is due within the yellow
// window or overdue, or whose completion was returned; a 督办函 names the task, the units and a new deadline, numbered 〔year〕seq per
// year inside the transaction that stores it, and can be printed or taken out as an editable .docx.
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar'
import { AppError, fieldError } from '../shared/app-error'
import { lightOf, type UnitStatus } from './task-lifecycle'
import { loadDocx } from '../shared/lazy-libs'
import { letterPrefix, yellowWorkingDays } from './supervision-settings'
import type { SupervisionLetterRow } from '../../../db/tables'
import { chineseDay, chineseDayOf } from '../../contract/dates.zh-CN'

interface DueRow {
  id: number
  status: UnitStatus
  percent: number
  role: string
  unit_deadline: string | null
  task_deadline: string | null
  task_id: number
  path: string
  title: string
  unit_id: number
  unit_name: string
}

/** Every unit of every open (assigned, not finished) task with its light on `today`. */
export async function unitLights(db: Knex, today: IsoDate, calendar: WorkingCalendar) {
  const yellow = await yellowWorkingDays(db)
  const rows = await db('task_units as tu')
    .join('tasks as t', 't.id', 'tu.task_id')
    .join('org_units as u', 'u.id', 'tu.unit_id')
    .whereNotIn('t.status', ['completed', 'archived', 'created'])
    .whereNot('tu.status', 'done')
    .select<DueRow[]>(
      'tu.id',
      'tu.status',
      'tu.percent',
      'tu.role',
      'tu.deadline as unit_deadline',
      't.deadline as task_deadline',
      't.id as task_id',
      't.path',
      't.title',
      'u.id as unit_id',
      'u.name as unit_name',
    )
  return rows.map((r) => {
    const deadline = r.unit_deadline ?? r.task_deadline
    const light = lightOf(r.status, deadline, today, yellow, calendar)
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

/** Worst first: overdue, due soon, then returned ones still in time. */
const URGENCY = ['red', 'yellow', 'green', 'none']

export async function dueList(db: Knex, today: IsoDate, calendar: WorkingCalendar) {
  return (await unitLights(db, today, calendar))
    .filter((r) => r.light === 'red' || r.light === 'yellow' || r.status === 'returned')
    .sort((a, b) => URGENCY.indexOf(a.light) - URGENCY.indexOf(b.light) || (a.deadline ?? '').localeCompare(b.deadline ?? ''))
}

export async function issueLetter(
  db: Knex,
  input: { taskId: number; taskUnitIds: number[]; newDeadline: IsoDate; note: string | null },
  userId: number,
  now: number,
  today: IsoDate,
) {
  const task = await db('tasks').where('id', input.taskId).first('id', 'title', 'path', 'status', 'deadline')
  if (!task) throw new AppError(ErrorCode.NotFound, 'no such task')
  if (['completed', 'archived'].includes(task.status)) throw new AppError(ErrorCode.InvalidState, 'task closed', { reason: 'closed' })
  if (input.newDeadline <= today) throw fieldError([{ path: 'newDeadline', message: 'task.extensionPast' }])
  const units = await db('task_units as tu')
    .join('org_units as u', 'u.id', 'tu.unit_id')
    .where('tu.task_id', input.taskId)
    .whereIn('tu.id', input.taskUnitIds)
    .whereNot('tu.status', 'done')
    .select<Array<{ name: string }>>('u.name')
  if (!units.length) throw fieldError([{ path: 'taskUnitIds', message: 'letter.noUnits' }])
  const names = units.map((u) => u.name)
  const year = Number(today.slice(0, 4))
  const prefix = await letterPrefix(db)
  const seq = Number((await db('supervision_letters').where('year', year).max({ m: 'seq' }).first())?.m ?? 0) + 1
  const docNumber = `${prefix}〔${year}〕${seq}号`
  const body =
    `${names.join('、')}：\n\u3000\u3000根据《${(await db('plans').where('id', db('tasks').where('id', input.taskId).select('plan_id')).first('title'))?.title ?? ''}》，` +
    `“${task.path.replaceAll('/', '.')} ${task.title}”由你单位承办${task.deadline ? `，原定完成期限为${chineseDay(task.deadline)}` : ''}。经督查，该项工作进度滞后。` +
    `请高度重视，于${chineseDay(input.newDeadline)}前办结，并将办理结果（加盖公章）报送社会信用体系建设领导小组办公室。` +
    (input.note ? `\n\u3000\u3000${input.note}` : '')
  const [id] = await db('supervision_letters').insert({
    year,
    seq,
    doc_number: docNumber,
    task_id: input.taskId,
    unit_names: JSON.stringify(names),
    new_deadline: input.newDeadline,
    body,
    created_by: userId,
    created_at: now,
  })
  return { id: id!, docNumber }
}

export async function getLetter(db: Knex, id: number) {
  const l = await db('supervision_letters as l')
    .join('users as u', 'u.id', 'l.created_by')
    .where('l.id', id)
    .first<(SupervisionLetterRow & { by_name: string }) | undefined>('l.*', 'u.display_name as by_name')
  if (!l) throw new AppError(ErrorCode.NotFound, 'no such letter')
  const org = (await db('settings').where('key', 'org_name').first('value'))?.value
  const unitNames: string[] = JSON.parse(l.unit_names)
  return {
    id: l.id,
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
            children: [new TextRun({ text: '督 办 函', size: 44, bold: true, font: { eastAsia: '方正小标宋简体', ascii: 'SimSun' } })],
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
