// Records collected under catalog items: entry, Excel import (a job), export, objections and corrections.
import { basename } from 'node:path'
import { currentItem } from '../../../core/catalog/catalog'
import { listDisclosureRules, removeDisclosureRule, saveDisclosureRule } from '../../../core/catalog/disclosure-rules'
import { batchState, decideRollback, requestRollback } from '../../../core/catalog/batch-rollback'
import { decideAction, fileAction } from '../../../core/catalog/record-actions'
import { decideChange, proposeCorrection, proposeWithdrawal } from '../../../core/catalog/record-changes'
import { recordWriter, supplierFor } from '../../../core/catalog/record-scope'
import { loadStoreContext } from '../../../core/catalog/record-context'
import { createRecord, entryDefaults } from '../../../core/catalog/record-entry'
import { exportRecords, getRecord, listRecords, recordStats } from '../../../core/catalog/record-list'
import { buildRecordTemplate } from '../../../core/catalog/record-template'
import { writeFileAtomic } from '../../../core/shared/write-file'
import { loadDictEntries } from '../../../core/system/dictionaries'
import { XLSX_FILTER, actorId, jobOwner, ok, saveXlsx, type HandlersOf } from './shared'

export const recordHandlers: HandlersOf<'records' | 'disclosure'> = {
  'records:list': async (query, { db, services }) => listRecords(db, query, services.today(), services.keys),
  'records:stats': async ({ itemCode }, { db, services }) => recordStats(db, itemCode, services.today()),
  'records:get': async ({ id }, { db, services }) => getRecord(db, id, services.today()),
  'records:create': async ({ itemCode, supplierUnitId, values }, ctx) => {
    const item = await currentItem(ctx.db, itemCode)
    const store = await loadStoreContext(ctx.db, ctx.services.today(), ctx.services.keys)
    const writer = await recordWriter(ctx.db, actorId(ctx))
    const supplier = supplierFor(writer, supplierUnitId)
    const result = await createRecord(ctx.db, item, values, store, {
      supplierUnitId: supplier,
      createdBy: actorId(ctx),
      now: ctx.clock.now(),
    })
    ctx.affected.push(`record:${result.id}`)
    return result
  },
  'records:template': async ({ itemCode }, ctx) => {
    const item = await currentItem(ctx.db, itemCode)
    return saveXlsx(ctx, '保存导入模板', `${item.name}-导入模板.xlsx`, async (path) => {
      writeFileAtomic(path, await buildRecordTemplate(item, await loadDictEntries(ctx.db)))
      return 0
    })
  },
  'records:entry-defaults': async ({ itemCode }, ctx) => ({
    values: await entryDefaults(ctx.db, await currentItem(ctx.db, itemCode), actorId(ctx)),
  }),
  'records:export': async (query, ctx) => {
    const name = query.itemCode ? ((await currentItem(ctx.db, query.itemCode).catch(() => null))?.name ?? query.itemCode) : '归集数据'
    const result = await saveXlsx(ctx, '导出归集数据', `${name}-${ctx.services.today()}.xlsx`, (path) =>
      exportRecords(ctx.db, query, ctx.services.today(), ctx.services.keys, path),
    )
    if (!result.cancelled) ctx.affected.push(`export:records:${query.itemCode ?? 'all'}`, `rows:${result.rows}`)
    return result
  },
  'records:import-open': async ({ itemCode }, ctx) => {
    const item = await currentItem(ctx.db, itemCode)
    const path = await ctx.platform.chooseOpenPath({ title: `选择要导入“${item.name}”的 Excel 文件`, filters: XLSX_FILTER })
    if (!path) return { job: null }
    return { job: ctx.services.importJobs.startPreview(jobOwner(ctx), item, path, basename(path)) }
  },
  'records:import-job': async ({ jobId }, ctx) => ctx.services.importJobs.get(jobOwner(ctx), jobId),
  'records:import-cancel': async ({ jobId }, ctx) => ctx.services.importJobs.cancel(jobOwner(ctx), jobId),
  'records:import-commit': async ({ jobId, mode, supplierUnitId }, ctx) => {
    const supplier = supplierFor(await recordWriter(ctx.db, actorId(ctx)), supplierUnitId)
    const job = ctx.services.importJobs.commit(jobOwner(ctx), jobId, mode, supplier)
    ctx.affected.push(`import-job:${jobId}`, `mode:${mode}`)
    return job
  },
  'records:import-errors': async ({ jobId }, ctx) => {
    const job = ctx.services.importJobs.get(jobOwner(ctx), jobId)
    const stem = job.fileName.replace(/\.xlsx$/i, '')
    return saveXlsx(ctx, '保存错误报告', `${stem}-错误数据.xlsx`, (path) => ctx.services.importJobs.writeErrors(jobOwner(ctx), jobId, path))
  },
  'records:file-action': async (input, ctx) => {
    const id = await fileAction(ctx.db, input, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`record:${input.recordId}`, `record-action:${id}`)
    return { id }
  },
  'records:decide-action': async ({ id, decision, comment }, ctx) => {
    const recordId = await decideAction(ctx.db, id, decision, comment, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`record:${recordId}`, `record-action:${id}`, `decision:${decision}`)
    return { id }
  },

  'records:batch': async ({ batchId }, { db }) => batchState(db, batchId),
  'records:request-rollback': async (input, ctx) => {
    await requestRollback(ctx.db, input, await recordWriter(ctx.db, actorId(ctx)), ctx.clock.now())
    ctx.affected.push(`import-batch:${input.batchId}`)
    return ok
  },
  'records:decide-rollback': async (input, ctx) => {
    const removed = await decideRollback(ctx.db, input, actorId(ctx), ctx.clock.now())
    ctx.affected.push(`import-batch:${input.batchId}`, `decision:${input.decision}`, `records-removed:${removed}`)
    return { removed }
  },
  'records:propose-correction': async (input, ctx) => {
    const store = await loadStoreContext(ctx.db, ctx.services.today(), ctx.services.keys)
    const id = await proposeCorrection(ctx.db, input, store, await recordWriter(ctx.db, actorId(ctx)), ctx.clock.now())
    ctx.affected.push(`record:${input.recordId}`, `record-change:${id}`)
    return { id }
  },
  'records:propose-withdrawal': async (input, ctx) => {
    const id = await proposeWithdrawal(ctx.db, input, await recordWriter(ctx.db, actorId(ctx)), ctx.clock.now())
    ctx.affected.push(`record:${input.recordId}`, `record-change:${id}`)
    return { id }
  },
  'records:decide-change': async (input, ctx) => {
    const result = await decideChange(ctx.db, input, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`record:${result.recordId}`, `record-change:${input.id}`, `decision:${input.decision}`)
    return result
  },
  'disclosure:rules': async (_i, { db }) => listDisclosureRules(db),
  'disclosure:save-rule': async (input, ctx) => {
    const change = await saveDisclosureRule(ctx.db, input, actorId(ctx), ctx.clock.now())
    ctx.affected.push(`disclosure-rule:${change.id}`, `records-recomputed:${change.recomputed}`)
    return change
  },
  'disclosure:remove-rule': async ({ id }, ctx) => {
    const change = await removeDisclosureRule(ctx.db, id)
    ctx.affected.push(`disclosure-rule:${id}`, `records-recomputed:${change.recomputed}`)
    return change
  },
}
