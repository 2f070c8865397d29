// 督查督办 as the office runs it day to day: tasks set up by hand and published, 催办 and 会议/电话/现场督办 logs, the
// 台账, units' 反馈表 out and back, and the letter register with its replies.
import { basename } from 'node:path'
import { officeCalendar } from '../../../core/calendar/holiday-table'
import { logContact } from '../../../core/supervision/contacts'
import { feedbackFormName, importFeedbackForm, writeFeedbackForm } from '../../../core/supervision/feedback-form'
import { ledgerRows, writeLedger } from '../../../core/supervision/ledger'
import { getLetter, letterRegister, recordLetterReply, urgeUnit, writeRegister } from '../../../core/supervision/letters'
import { createManualTask, publishTask } from '../../../core/supervision/manual-tasks'
import { addTask, deleteTask, editTask, splitTask } from '../../../core/supervision/task-edits'
import type { CallContext } from '../context'
import { actor, actorId, saveXlsx, savePagePdf, storedFiles, XLSX_FILTER, type HandlersOf } from './shared'

/** The 反馈表 a clerk checked, per window and user: importing takes exactly that file, with no second dialog. */
const previewedForms = new Map<string, string>()
const formOwner = (ctx: CallContext) => `${ctx.sender.id}:${actorId(ctx)}`
const NO_FILE = { cancelled: true, fileName: null, dryRun: true, rows: 0, progress: 0, completions: 0, skipped: 0, issues: [] }

type DeskTasks = Pick<
  HandlersOf<'tasks'>,
  | 'tasks:create'
  | 'tasks:publish'
  | 'tasks:urge'
  | 'tasks:log-contact'
  | 'tasks:ledger'
  | 'tasks:export-ledger'
  | 'tasks:feedback-form'
  | 'tasks:feedback-preview'
  | 'tasks:feedback-import'
  | 'tasks:edit'
  | 'tasks:delete'
  | 'tasks:add'
  | 'tasks:split'
>

export const taskDeskHandlers: DeskTasks = {
  'tasks:edit': async (input, ctx) => {
    const r = await editTask(ctx.db, input, actor(ctx))
    ctx.affected.push(`task:${input.taskId}`, `units-added:${r.added}`, `units-removed:${r.removed}`)
    return r
  },
  'tasks:add': async (input, ctx) => {
    const id = await addTask(ctx.db, input, actor(ctx))
    ctx.affected.push(`plan:${input.planId}`, `task:${id}`)
    return { id }
  },
  'tasks:split': async ({ taskId, title, taskUnitIds }, ctx) => {
    const id = await splitTask(ctx.db, taskId, title, taskUnitIds, actor(ctx))
    ctx.affected.push(`task:${taskId}`, `task:${id}`, ...taskUnitIds.map((u) => `task-unit:${u}`))
    return { id }
  },
  'tasks:delete': async ({ taskId, reason }, ctx) => {
    const tasks = await deleteTask(ctx.db, taskId)
    ctx.affected.push(`task:${taskId}`, `tasks:${tasks}`, `reason:${reason}`)
    return { tasks }
  },
  'tasks:create': async (input, ctx) => {
    const id = await createManualTask(ctx.db, input, actor(ctx))
    ctx.affected.push(`task:${id}`, `basis:${input.basisKind}`)
    return { id }
  },
  'tasks:publish': async ({ taskId }, ctx) => {
    const status = await publishTask(ctx.db, taskId, actor(ctx))
    ctx.affected.push(`task:${taskId}`, `status:${status}`)
    return { status }
  },
  'tasks:urge': async ({ taskUnitId, text }, ctx) => {
    const id = await urgeUnit(ctx.db, taskUnitId, text, actor(ctx))
    ctx.affected.push(`task-unit:${taskUnitId}`, `task-event:${id}`)
    return { id }
  },
  'tasks:log-contact': async (input, ctx) => {
    const id = await logContact(ctx.db, input, actor(ctx))
    ctx.affected.push(`task:${input.taskId}`, `contact:${id}`, input.kind)
    return { id }
  },
  'tasks:ledger': async (filter, { db, services }) => ledgerRows(db, filter, services.today(), await officeCalendar(db)),
  'tasks:export-ledger': async (filter, ctx) => {
    const today = ctx.services.today()
    const rows = await ledgerRows(ctx.db, filter, today, await officeCalendar(ctx.db))
    const result = await saveXlsx(ctx, '导出督办台账', `督查督办台账-${today}.xlsx`, (path) =>
      writeLedger(rows, `督查督办台账（截至 ${today}）`, path),
    )
    if (!result.cancelled) ctx.affected.push(`ledger-rows:${result.rows}`)
    return result
  },
  'tasks:feedback-form': async ({ unitId }, ctx) => {
    const today = ctx.services.today()
    const result = await saveXlsx(ctx, '导出单位反馈表', await feedbackFormName(ctx.db, unitId, today), (path) =>
      writeFeedbackForm(ctx.db, unitId, path, today),
    )
    if (!result.cancelled) ctx.affected.push(`unit:${unitId}`, `tasks:${result.rows}`)
    return result
  },
  'tasks:feedback-preview': async (_i, ctx) => {
    const path = await ctx.platform.chooseOpenPath({ title: '选择单位填好的反馈表（Excel）', filters: XLSX_FILTER })
    if (!path) return NO_FILE
    const outcome = await importFeedbackForm(ctx.db, storedFiles(ctx), path, actor(ctx), { dryRun: true })
    previewedForms.set(formOwner(ctx), path)
    return { cancelled: false, fileName: basename(path), dryRun: true, ...outcome }
  },
  'tasks:feedback-import': async (_i, ctx) => {
    const path = previewedForms.get(formOwner(ctx))
    if (!path) return NO_FILE
    const outcome = await importFeedbackForm(ctx.db, storedFiles(ctx), path, actor(ctx), { dryRun: false })
    previewedForms.delete(formOwner(ctx))
    ctx.affected.push(
      `feedback-form:${basename(path)}`,
      `progress:${outcome.progress}`,
      `completions:${outcome.completions}`,
      `refused:${outcome.issues.length}`,
    )
    return { cancelled: false, fileName: basename(path), dryRun: false, ...outcome }
  },
}

type DeskLetters = Pick<HandlersOf<'letters'>, 'letters:register' | 'letters:export-register' | 'letters:reply' | 'letters:export-pdf'>

export const letterDeskHandlers: DeskLetters = {
  'letters:register': async (filter, { db, services }) => letterRegister(db, filter, services.today()),
  'letters:export-register': async (filter, ctx) => {
    const today = ctx.services.today()
    const rows = await letterRegister(ctx.db, filter, today)
    const result = await saveXlsx(ctx, '导出督办函登记簿', `督办函登记簿-${today}.xlsx`, (path) => writeRegister(rows, path))
    if (!result.cancelled) ctx.affected.push(`letters:${result.rows}`)
    return result
  },
  'letters:reply': async ({ recipientId, text }, ctx) => {
    const id = await recordLetterReply(ctx.db, recipientId, text, actor(ctx))
    ctx.affected.push(`letter-recipient:${recipientId}`, `task-event:${id}`)
    return { id }
  },
  'letters:export-pdf': async ({ letterId }, ctx) => {
    const letter = await getLetter(ctx.db, letterId)
    const result = await savePagePdf(ctx, `导出${letter.levelName} PDF`, `${letter.levelName}-${letter.docNumber}.pdf`)
    if (!result.cancelled) ctx.affected.push(`letter:${letterId}`, 'export:pdf')
    return result
  },
}
