// 督查督办: work plans decomposed into tasks, the task lifecycle with its scans, 督办函, statistics and circulars.
import { basename } from 'node:path'
import { ErrorCode } from '../../../contract'
import { ATTACHMENT_EXTENSIONS } from '../../../core/attachments/attachment-store'
import { attachScan, findScan, scanContent } from '../../../core/attachments/scan-links'
import { officeCalendar } from '../../../core/calendar/holiday-table'
import { AppError } from '../../../core/shared/app-error'
import { writeFileAtomic } from '../../../core/shared/write-file'
import { dueList, getLetter, issueLetter, letterDocx } from '../../../core/supervision/letters'
import { listPlanDrafts, listPlans, planDraft, planTasks, savePlan } from '../../../core/supervision/plan-store'
import { readPlan } from '../../../core/supervision/plan-text'
import { reviewQueue } from '../../../core/supervision/review-queue'
import { supervisionStats, writeCircular } from '../../../core/supervision/statistics'
import { getSupervisionSettings, saveSupervisionSettings } from '../../../core/supervision/supervision-settings'
import {
  approveMany,
  archiveTask,
  assignTask,
  assignTasks,
  attachableEvent,
  decideExtension,
  reportProgress,
  requestExtension,
  reviewCompletion,
  signTask,
  submitCompletion,
  taskDetail,
} from '../../../core/supervision/task-lifecycle'
import { matchUnits } from '../../../core/supervision/unit-matching'
import { deletePlan } from '../../../core/supervision/task-edits'
import { actor, actorId, ok, saveFile, saveXlsx, storedFiles, type HandlersOf } from './shared'
import { letterDeskHandlers, taskDeskHandlers } from './supervision-desk'

export const planHandlers: HandlersOf<'plans'> = {
  'plans:parse': async (_i, ctx) => {
    const path = await ctx.platform.chooseOpenPath({
      title: '选择工作要点文件（.txt、.docx 或 .pdf）',
      filters: [{ name: '工作要点', extensions: ['txt', 'docx', 'pdf'] }],
    })
    if (!path) return { cancelled: true, fileName: null, title: null, issuer: null, docNumber: null, year: null, tasks: [], matches: [] }
    const plan = await readPlan(path)
    if (!plan.tasks.length) throw new AppError(ErrorCode.ImportFileRejected, 'no items', { reason: 'no_items' })
    const names = plan.tasks.flatMap((t) => [...t.units.lead, ...t.units.responsible, ...t.units.cooperating])
    return { cancelled: false, fileName: basename(path), ...plan, matches: await matchUnits(ctx.db, names) }
  },
  'plans:confirm': async (input, ctx) => {
    const result = await savePlan(ctx.db, ctx.clock, input, actorId(ctx))
    ctx.affected.push(
      `plan:${result.planId}`,
      `tasks:${result.tasks}`,
      `units-created:${result.unitsCreated}`,
      ...(input.draftId ? [`draft:${input.draftId}`] : []),
    )
    return result
  },
  'plans:list': async (_i, { db }) => listPlans(db),
  'plans:drafts': async (_i, { db }) => listPlanDrafts(db),
  'plans:draft': async ({ draftId }, { db }) => planDraft(db, draftId),
  'plans:tasks': async ({ planId }, { db }) => planTasks(db, planId),
  'plans:delete': async ({ planId, reason }, ctx) => {
    const tasks = await deletePlan(ctx.db, planId)
    ctx.affected.push(`plan:${planId}`, `tasks:${tasks}`, `reason:${reason}`)
    return { tasks }
  },
}

export const taskHandlers: HandlersOf<'tasks'> = {
  ...taskDeskHandlers,
  'tasks:get': async ({ taskId }, ctx) =>
    taskDetail(ctx.db, taskId, ctx.services.today(), await officeCalendar(ctx.db), ctx.session?.userId ?? null),
  'tasks:assign': async ({ taskId }, ctx) => {
    await assignTask(ctx.db, taskId, actor(ctx))
    ctx.affected.push(`task:${taskId}`)
    return ok
  },
  'tasks:assign-many': async ({ taskIds }, ctx) => {
    const result = await assignTasks(ctx.db, taskIds, actor(ctx))
    ctx.affected.push(...taskIds.map((id) => `task:${id}`))
    return result
  },
  'tasks:sign': async ({ taskUnitId }, ctx) => {
    await signTask(ctx.db, taskUnitId, actor(ctx))
    ctx.affected.push(`task-unit:${taskUnitId}`)
    return ok
  },
  'tasks:progress': async ({ taskUnitId, text, percent }, ctx) => {
    const id = await reportProgress(ctx.db, taskUnitId, text, percent, actor(ctx))
    ctx.affected.push(`task-unit:${taskUnitId}`, `percent:${percent}`)
    return { id }
  },
  'tasks:request-extension': async ({ taskUnitId, reason, newDeadline }, ctx) => {
    const id = await requestExtension(ctx.db, taskUnitId, reason, newDeadline, actor(ctx))
    ctx.affected.push(`task-unit:${taskUnitId}`, `task-event:${id}`)
    return { id }
  },
  'tasks:decide-extension': async ({ eventId, decision, comment }, ctx) => {
    await decideExtension(ctx.db, eventId, decision, comment, actor(ctx))
    ctx.affected.push(`task-event:${eventId}`, `decision:${decision}`)
    return ok
  },
  'tasks:submit': async ({ taskUnitId, text }, ctx) => {
    await submitCompletion(ctx.db, taskUnitId, text, actor(ctx))
    ctx.affected.push(`task-unit:${taskUnitId}`)
    return ok
  },
  'tasks:review': async ({ taskUnitId, decision, comment, evaluation }, ctx) => {
    await reviewCompletion(ctx.db, taskUnitId, decision, comment, actor(ctx), evaluation)
    ctx.affected.push(`task-unit:${taskUnitId}`, `decision:${decision}`, ...(evaluation ? ['evaluated'] : []))
    return ok
  },
  'tasks:review-many': async ({ items, comment }, ctx) => {
    const r = await approveMany(ctx.db, items, comment, actor(ctx))
    ctx.affected.push(...items.map((i) => `${i.kind}:${i.taskUnitId}`))
    return r
  },
  'tasks:archive': async ({ taskId }, ctx) => {
    await archiveTask(ctx.db, taskId, actor(ctx))
    ctx.affected.push(`task:${taskId}`)
    return ok
  },
  'tasks:due': async (_i, { db, services }) => dueList(db, services.today(), await officeCalendar(db)),
  'tasks:review-queue': async (_i, ctx) => reviewQueue(ctx.db, ctx.session?.userId ?? null),
  'tasks:attach': async ({ eventId }, ctx) => {
    const event = await attachableEvent(ctx.db, eventId)
    const path = await ctx.platform.chooseOpenPath({
      title: '选择盖章扫描件（PDF、JPG、PNG、TIF，不超过 20 MB）',
      filters: [{ name: '扫描件', extensions: ATTACHMENT_EXTENSIONS }],
    })
    if (!path) return { attached: false, fileName: null }
    const scan = await attachScan(storedFiles(ctx), { kind: 'task-event', eventId }, path, ctx.clock.now())
    ctx.affected.push(`task:${event.task_id}`, `task-event:${eventId}`, `attachment:${scan.digest.slice(0, 16)}`)
    return { attached: true, fileName: scan.fileName }
  },
  'tasks:attachment': async ({ eventId, digest }, ctx) => {
    ctx.affected.push(`task-event:${eventId}`, `view:attachment:${digest.slice(0, 16)}`)
    return scanContent(ctx.services, await findScan(ctx.db, { kind: 'task-event', eventId }, digest))
  },
}

export const letterHandlers: HandlersOf<'letters'> = {
  ...letterDeskHandlers,
  'letters:issue': async (input, ctx) => {
    const letter = await issueLetter(ctx.db, input, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`task:${input.taskId}`, `letter:${letter.id}`, input.level, letter.docNumber)
    return letter
  },
  'letters:get': async ({ letterId }, { db }) => getLetter(db, letterId),
  'letters:export-docx': async ({ letterId }, ctx) => {
    const letter = await getLetter(ctx.db, letterId)
    const dialog = {
      title: '导出督办函',
      defaultName: `督办函-${letter.docNumber}.docx`,
      filters: [{ name: 'Word 文档', extensions: ['docx'] }],
    }
    const result = await saveFile(ctx, dialog, async (path) => {
      writeFileAtomic(path, await letterDocx(letter))
      return 1
    })
    if (!result.cancelled) ctx.affected.push(`letter:${letterId}`, 'export:docx')
    return result
  },
  'letters:log-print': async ({ letterId }, ctx) => {
    await getLetter(ctx.db, letterId)
    ctx.affected.push(`letter:${letterId}`, 'print')
    return ok
  },
}

export const supervisionHandlers: HandlersOf<'supervision'> = {
  'supervision:stats': async ({ planId }, { db, services }) => supervisionStats(db, planId, services.today()),
  'supervision:export-circular': async ({ planId }, ctx) => {
    const today = ctx.services.today()
    const stats = await supervisionStats(ctx.db, planId, today)
    const title = `社会信用体系建设重点任务推进情况通报（截至 ${today}）`
    const result = await saveXlsx(ctx, '导出通报', `督办通报-${today}.xlsx`, (path) => writeCircular(stats, title, path))
    if (!result.cancelled) ctx.affected.push(`circular:${planId ?? 'all'}`, `units:${result.rows}`)
    return result
  },
  'supervision:settings': async (_i, { db }) => getSupervisionSettings(db),
  'supervision:save-settings': async (input, ctx) => {
    await saveSupervisionSettings(ctx.db, input)
    const { weights, evaluationWeights: e } = input
    ctx.affected.push(
      `yellow:${input.yellowWorkingDays}`,
      `lag:${input.lagMarginPercent}`,
      `weights:${weights.onTime}/${weights.evaluation}/${weights.perReturn}/${weights.perOverdue}`,
      `evaluation:${e.quality}/${e.efficiency}/${e.satisfaction}`,
      `prefixes:${input.letterLevels.map((l) => l.prefix).join('/')}`,
      `publish-review:${input.publishReview}`,
    )
    return ok
  },
}
