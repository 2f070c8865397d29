// 信用应用: 名单, 信用核查 and the 核查登记, 联合奖惩 cases, 信用承诺, 信用报告. Glue only: every rule is in core/credit.
import { basename } from 'node:path'
import { loadCheckDicts, loadDictEntries } from '../../../core/system/dictionaries'
import { buildRecordTemplate } from '../../../core/catalog/record-template'
import { loadStoreContext } from '../../../core/catalog/record-context'
import { writeFileAtomic } from '../../../core/shared/write-file'
import { ATTACHMENT_EXTENSIONS, storeAttachment } from '../../../core/attachments/attachment-store'
import { scanContent } from '../../../core/attachments/scan-links'
import { findUserById } from '../../../core/accounts/users-repository'
import {
  LIST_FIELDS,
  importListWorkbook,
  queryLists,
  removeListEntry,
  saveLocalEntry,
  type ListImportOutcome,
} from '../../../core/credit/lists'
import { writeErrorWorkbook } from '../../../core/catalog/record-import'
import { AppError } from '../../../core/shared/app-error'
import { ErrorCode } from '../../../contract'
import { getCheck, listChecks, readSubjectFile, runCheck, writeCheckWorkbook, type RawSubject } from '../../../core/credit/credit-checks'
import { caseStats, createCase, listCases, recordFeedback } from '../../../core/credit/sanction-cases'
import {
  attachCommitmentScan,
  commitmentScan,
  createCommitment,
  decideBreach,
  listCommitments,
  markKept,
  proposeBreach,
} from '../../../core/credit/commitments'
import { createReport, getReport, listReports } from '../../../core/credit/credit-report'
import { exportCases, exportCommitments, exportLists } from '../../../core/credit/credit-exports'
import type { CallContext } from '../context'
import { XLSX_FILTER, actorId, ok, savePagePdf, saveXlsx, type HandlersOf } from './shared'

/**
 * The last list import that found bad rows, per window and user: what 下载错误报告 writes out (the user's own file and
 * the reasons; one per window, replaced by the next import).
 */
const failedListImports = new Map<string, { path: string; outcome: ListImportOutcome }>()
const importOwner = (ctx: CallContext) => `${ctx.sender.id}:${actorId(ctx)}`

async function unitOf(ctx: CallContext): Promise<number | null> {
  return (await findUserById(ctx.db, actorId(ctx)))?.unitId ?? null
}

async function check(ctx: CallContext, purpose: string, subjects: RawSubject[], fileName: string | null) {
  const id = await runCheck(ctx.db, ctx.services.keys, {
    purpose,
    subjects,
    fileName,
    userId: actorId(ctx),
    unitId: await unitOf(ctx),
    now: ctx.clock.now(),
    today: ctx.services.today(),
  })
  const detail = await getCheck(ctx.db, id)
  ctx.affected.push(`credit-check:${id}`, detail.number, `subjects:${detail.subjectCount}`, `hits:${detail.hitCount}`)
  return { cancelled: false, check: detail }
}

export const listHandlers: HandlersOf<'lists'> = {
  'lists:list': async (q, { db, services }) => queryLists(db, services.keys, q, services.today()),
  'lists:save': async (input, ctx) => {
    const r = await saveLocalEntry(ctx.db, ctx.services.keys, input, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`list-entry:${r.id}`, r.merged ? 'merged' : 'created')
    return r
  },
  'lists:remove': async ({ id, removedOn, reason }, ctx) => {
    await removeListEntry(ctx.db, id, removedOn, reason, ctx.clock.now())
    ctx.affected.push(`list-entry:${id}`)
    return ok
  },
  'lists:template': async (_i, ctx) =>
    saveXlsx(ctx, '保存名单导入模板', '名单导入模板.xlsx', async (path) => {
      writeFileAtomic(path, await buildRecordTemplate({ name: '名单', fields: LIST_FIELDS }, await loadDictEntries(ctx.db)))
      return 0
    }),
  'lists:import-errors': async (_i, ctx) => {
    const failed = failedListImports.get(importOwner(ctx))
    const header = failed?.outcome.header
    if (!failed || !header) throw new AppError(ErrorCode.NotFound, 'no failed list import')
    const stem = basename(failed.path).replace(/\.xlsx$/i, '')
    return saveXlsx(ctx, '保存错误报告', `${stem}-错误数据.xlsx`, async (out) =>
      writeErrorWorkbook(
        failed.path,
        { fields: LIST_FIELDS },
        { issues: failed.outcome.issues, header },
        out,
        await loadDictEntries(ctx.db),
      ),
    )
  },
  'lists:export': async (q, ctx) => {
    const r = await saveXlsx(ctx, '导出名单', `名单-${ctx.services.today()}.xlsx`, (path) =>
      exportLists(ctx.db, ctx.services.keys, q, ctx.services.today(), path),
    )
    if (!r.cancelled) ctx.affected.push('export:lists', `rows:${r.rows}`)
    return r
  },
  'lists:import': async ({ validOnly }, ctx) => {
    const path = await ctx.platform.chooseOpenPath({ title: '选择名单 Excel 文件', filters: XLSX_FILTER })
    if (!path) return { cancelled: true, fileName: null, rows: 0, imported: 0, merged: 0, rejected: 0, issues: [] }
    const r = await importListWorkbook(
      ctx.db,
      ctx.services.keys,
      path,
      { today: ctx.services.today(), ...(await loadCheckDicts(ctx.db)) },
      { validOnly, createdBy: actorId(ctx), now: ctx.clock.now(), fileName: basename(path) },
    )
    ctx.affected.push(`list-import:${basename(path)}`, `imported:${r.imported}`, `merged:${r.merged}`, `rejected:${r.rejected}`)
    if (r.issues.length && r.header) failedListImports.set(importOwner(ctx), { path, outcome: r })
    else failedListImports.delete(importOwner(ctx))
    return { cancelled: false, fileName: basename(path), ...r }
  },
}

export const checkHandlers: HandlersOf<'checks'> = {
  'checks:run': async ({ purpose, subjects }, ctx) => check(ctx, purpose, subjects, null),
  'checks:run-file': async ({ purpose }, ctx) => {
    const path = await ctx.platform.chooseOpenPath({ title: '选择要核查的主体名单（Excel）', filters: XLSX_FILTER })
    if (!path) return { cancelled: true, check: null }
    return check(ctx, purpose, await readSubjectFile(path), basename(path))
  },
  'checks:list': async (q, { db }) => listChecks(db, q),
  'checks:get': async ({ checkId }, { db }) => getCheck(db, checkId),
  'checks:export': async ({ checkId }, ctx) => {
    const c = await getCheck(ctx.db, checkId)
    const r = await saveXlsx(ctx, '导出核查结果', `核查结果-${c.number}.xlsx`, (path) => writeCheckWorkbook(ctx.db, checkId, path))
    if (!r.cancelled) ctx.affected.push(`credit-check:${checkId}`, 'export:check-xlsx')
    return r
  },
  'checks:export-pdf': async ({ checkId }, ctx) => {
    const c = await getCheck(ctx.db, checkId)
    const r = await savePagePdf(ctx, '导出核查结果单', `核查结果单-${c.number}.pdf`)
    if (!r.cancelled) ctx.affected.push(`credit-check:${checkId}`, 'export:check-pdf')
    return r
  },
  'checks:log-print': async ({ checkId }, ctx) => {
    await getCheck(ctx.db, checkId)
    ctx.affected.push(`credit-check:${checkId}`, 'print:check')
    return ok
  },
}

export const caseHandlers: HandlersOf<'cases'> = {
  'cases:create': async (input, ctx) => {
    const id = await createCase(ctx.db, input, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`sanction-case:${id}`, `check-result:${input.checkResultId}`)
    return { id }
  },
  'cases:feedback': async ({ caseId, feedback }, ctx) => {
    await recordFeedback(ctx.db, caseId, feedback, ctx.clock.now())
    ctx.affected.push(`sanction-case:${caseId}`)
    return ok
  },
  'cases:export': async (q, ctx) => {
    const r = await saveXlsx(ctx, '导出联合奖惩案例', `联合奖惩案例-${ctx.services.today()}.xlsx`, (path) => exportCases(ctx.db, q, path))
    if (!r.cancelled) ctx.affected.push('export:cases', `rows:${r.rows}`)
    return r
  },
  'cases:list': async (q, { db }) => listCases(db, q),
  'cases:stats': async ({ year }, { db }) => caseStats(db, year),
}

export const commitmentHandlers: HandlersOf<'commitments'> = {
  'commitments:list': async (q, { db, services }) => listCommitments(db, services.keys, q, services.today()),
  'commitments:export': async (q, ctx) => {
    const r = await saveXlsx(ctx, '导出信用承诺', `信用承诺-${ctx.services.today()}.xlsx`, (path) =>
      exportCommitments(ctx.db, ctx.services.keys, q, ctx.services.today(), path),
    )
    if (!r.cancelled) ctx.affected.push('export:commitments', `rows:${r.rows}`)
    return r
  },
  'commitments:create': async (input, ctx) => {
    const id = await createCommitment(ctx.db, ctx.services.keys, input, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`commitment:${id}`)
    return { id }
  },
  'commitments:attach': async ({ commitmentId }, ctx) => {
    const path = await ctx.platform.chooseOpenPath({
      title: '选择承诺书扫描件（PDF、JPG、PNG、TIF，不超过 20 MB）',
      filters: [{ name: '扫描件', extensions: ATTACHMENT_EXTENSIONS }],
    })
    if (!path) return { attached: false, fileName: null }
    const stored = await storeAttachment(ctx.db, ctx.services.keys, ctx.services.dataDir, path, ctx.clock.now())
    await attachCommitmentScan(ctx.db, commitmentId, stored.digest, basename(path), ctx.clock.now())
    ctx.affected.push(`commitment:${commitmentId}`, `attachment:${stored.digest.slice(0, 16)}`)
    return { attached: true, fileName: basename(path) }
  },
  'commitments:scan': async ({ commitmentId }, ctx) => {
    const scan = await commitmentScan(ctx.db, commitmentId)
    ctx.affected.push(`commitment:${commitmentId}`, `view:attachment:${scan.digest.slice(0, 16)}`)
    return scanContent(ctx.services, scan)
  },
  'commitments:mark-kept': async ({ commitmentId, keptOn }, ctx) => {
    await markKept(ctx.db, commitmentId, keptOn, ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`commitment:${commitmentId}`)
    return ok
  },
  'commitments:propose-breach': async (input, ctx) => {
    await proposeBreach(ctx.db, input, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`commitment:${input.commitmentId}`, 'breach:proposed')
    return ok
  },
  'commitments:decide-breach': async (input, ctx) => {
    const store = await loadStoreContext(ctx.db, ctx.services.today(), ctx.services.keys)
    const r = await decideBreach(ctx.db, store, input, actorId(ctx), ctx.clock.now())
    ctx.affected.push(`commitment:${input.commitmentId}`, input.approve ? 'breach:confirmed' : 'breach:refused')
    if (r.recordId) ctx.affected.push(`record:${r.recordId}`)
    return r
  },
}

export const reportHandlers: HandlersOf<'reports'> = {
  'reports:create': async (input, ctx) => {
    const id = await createReport(ctx.db, ctx.services.keys, input, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`credit-report:${id}`)
    if (input.authorisation) ctx.affected.push(`authorisation:${input.authorisation}`)
    return { id }
  },
  'reports:list': async (q, { db }) => listReports(db, q),
  'reports:get': async ({ reportId }, { db }) => getReport(db, reportId),
  'reports:export-pdf': async ({ reportId }, ctx) => {
    const r = await getReport(ctx.db, reportId)
    const result = await savePagePdf(ctx, '导出信用报告', `信用报告-${r.subjectName}-${r.number}.pdf`)
    if (!result.cancelled) ctx.affected.push(`credit-report:${reportId}`, 'export:report-pdf')
    return result
  },
  'reports:log-print': async ({ reportId }, ctx) => {
    await getReport(ctx.db, reportId)
    ctx.affected.push(`credit-report:${reportId}`, 'print:report')
    return ok
  },
}
