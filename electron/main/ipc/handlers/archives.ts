// Civil-servant integrity archives: the person registry, access grants, entries with their scans, grading.
// Scope, recusal and grant checks live in core; each handler names the archive it aims at before the check, so
// a refused attempt is logged with its target.
import { basename } from 'node:path'
import { decideAccess, listAccessRequests, requestAccess, requireGrant } from '../../../core/archives/access'
import { archiveWorkers, openArchive, personName, recuse } from '../../../core/archives/archive-file'
import { importAssessments } from '../../../core/archives/assessment-import'
import { addEntry, entryPerson } from '../../../core/archives/entries'
import { loadGradeRules, overrideGrade, regradeAll, saveGradeRule } from '../../../core/archives/grading'
import { buildPeopleTemplate, importPeople } from '../../../core/archives/people-import'
import { createPerson, getPersonSummary, listPeople, revealIdNumber, updatePerson } from '../../../core/archives/people'
import { personInScope, visibleUnits } from '../../../core/archives/scope'
import { ATTACHMENT_EXTENSIONS, readAttachment } from '../../../core/attachments/attachment-store'
import { attachScan, findScan, scanContent } from '../../../core/attachments/scan-links'
import { fieldError } from '../../../core/shared/app-error'
import { writeFileAtomic } from '../../../core/shared/write-file'
import type { CallContext } from '../context'
import {
  CANCELLED_FILE,
  XLSX_FILTER,
  actorId,
  ok,
  saveFile,
  savePagePdf,
  saveXlsx,
  storedFiles,
  viewerOf,
  writableArchive,
  type HandlersOf,
} from './shared'

const SCAN_FILTER = [{ name: '扫描件', extensions: ATTACHMENT_EXTENSIONS }]
/** Import reports list at most this many problems (the rest are counted). */
const MAX_ISSUES = 500

/** A scan of this person's archive, for a viewer holding a grant. */
async function grantedScan(ctx: CallContext, personId: number, digest: string) {
  await requireGrant(ctx.db, await viewerOf(ctx), personId, ctx.clock.now())
  return findScan(ctx.db, { kind: 'person', personId }, digest)
}

export const peopleHandlers: HandlersOf<'people'> = {
  'people:list': async (q, ctx) => listPeople(ctx.db, ctx.services.keys, q, await viewerOf(ctx), ctx.clock.now()),
  'people:get': async ({ personId }, ctx) => {
    const viewer = await viewerOf(ctx)
    await personInScope(ctx.db, viewer, personId)
    return getPersonSummary(ctx.db, ctx.services.keys, personId, viewer, ctx.clock.now())
  },
  'people:create': async (input, ctx) => {
    const units = await visibleUnits(ctx.db, await viewerOf(ctx))
    if (units && !units.includes(input.unitId)) throw fieldError([{ path: 'unitId', message: 'unit.outOfScope' }])
    const id = await createPerson(ctx.db, ctx.services.keys, input, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`person:${id}`)
    return { id }
  },
  'people:update': async (input, ctx) => {
    await writableArchive(ctx, input.id)
    await updatePerson(ctx.db, ctx.services.keys, input, ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`person:${input.id}`)
    return { id: input.id }
  },
  'people:import': async (_i, ctx) => {
    const path = await ctx.platform.chooseOpenPath({ title: '选择人员名单 Excel 文件', filters: XLSX_FILTER })
    if (!path) return { ...CANCELLED_FILE, imported: 0, issues: [] }
    const result = await importPeople(ctx.db, ctx.services.keys, path, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`people-import:${basename(path)}`, `rows:${result.imported}`)
    return { cancelled: false, fileName: basename(path), ...result, issues: result.issues.slice(0, MAX_ISSUES) }
  },
  'people:template': async (_i, ctx) =>
    saveXlsx(ctx, '保存人员导入模板', '人员名单-导入模板.xlsx', async (path) => {
      writeFileAtomic(path, await buildPeopleTemplate())
      return 0
    }),
}

export const archiveHandlers: HandlersOf<'archives'> = {
  'archives:request-access': async (input, ctx) => {
    const id = await requestAccess(ctx.db, await viewerOf(ctx), input, ctx.clock.now())
    ctx.affected.push(`person:${input.personId}`, `archive-access:${id}`)
    return { id }
  },
  'archives:requests': async (q, ctx) => listAccessRequests(ctx.db, q, actorId(ctx)),
  'archives:decide-access': async ({ id, decision, comment }, ctx) => {
    const { personId, requesterId } = await decideAccess(ctx.db, actorId(ctx), id, decision, comment, ctx.clock.now())
    ctx.affected.push(`archive-access:${id}`, `person:${personId}`, `user:${requesterId}`, `decision:${decision}`)
    return { id }
  },
  'archives:open': async ({ personId }, ctx) => {
    ctx.affected.push(`person:${personId}`, 'view:archive')
    return openArchive(ctx.db, ctx.services.keys, await viewerOf(ctx), personId, ctx.clock.now(), ctx.services.today())
  },
  'archives:reveal-id': async ({ personId }, ctx) => {
    ctx.affected.push(`person:${personId}`, 'unmask:id')
    await requireGrant(ctx.db, await viewerOf(ctx), personId, ctx.clock.now())
    return { idNumber: await revealIdNumber(ctx.db, ctx.services.keys, personId) }
  },
  'archives:add-entry': async (input, ctx) => {
    await writableArchive(ctx, input.personId)
    const result = await addEntry(ctx.db, input, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`person:${input.personId}`, `archive-entry:${result.id}`)
    return result
  },
  'archives:attach': async ({ entryId }, ctx) => {
    const personId = await entryPerson(ctx.db, entryId)
    await writableArchive(ctx, personId)
    const path = await ctx.platform.chooseOpenPath({ title: '选择扫描件（PDF、JPG、PNG、TIF，不超过 20 MB）', filters: SCAN_FILTER })
    if (!path) return { attached: false, fileName: null }
    const scan = await attachScan(storedFiles(ctx), { kind: 'entry', entryId }, path, ctx.clock.now())
    ctx.affected.push(`person:${personId}`, `archive-entry:${entryId}`, `attachment:${scan.digest.slice(0, 16)}`)
    return { attached: true, fileName: scan.fileName }
  },
  'archives:attachment': async ({ personId, digest }, ctx) => {
    ctx.affected.push(`person:${personId}`, `view:attachment:${digest.slice(0, 16)}`)
    return scanContent(ctx.services, await grantedScan(ctx, personId, digest))
  },
  'archives:save-attachment': async ({ personId, digest }, ctx) => {
    ctx.affected.push(`person:${personId}`, `export:attachment:${digest.slice(0, 16)}`)
    const scan = await grantedScan(ctx, personId, digest)
    return saveFile(ctx, { title: '另存附件', defaultName: scan.fileName, filters: SCAN_FILTER }, async (path) => {
      writeFileAtomic(path, readAttachment(ctx.services.keys, ctx.services.dataDir, digest))
      return 1
    })
  },
  'archives:import-assessments': async (batch, ctx) => {
    const path = await ctx.platform.chooseOpenPath({ title: `选择 ${batch.year} 年度考核结果 Excel 文件`, filters: XLSX_FILTER })
    if (!path) return { ...CANCELLED_FILE, imported: 0, issues: [] }
    const units = await visibleUnits(ctx.db, await viewerOf(ctx))
    const result = await importAssessments(
      ctx.db,
      ctx.services.keys,
      path,
      batch,
      (u) => !units || units.includes(u),
      actorId(ctx),
      ctx.clock.now(),
      ctx.services.today(),
    )
    ctx.affected.push(`assessments:${batch.year}`, `file:${basename(path)}`, `rows:${result.imported}`)
    return { cancelled: false, fileName: basename(path), ...result, issues: result.issues.slice(0, MAX_ISSUES) }
  },
  'archives:grade-override': async ({ personId, grade, reason }, ctx) => {
    await writableArchive(ctx, personId)
    await overrideGrade(ctx.db, personId, grade, reason, actorId(ctx), ctx.clock.now())
    ctx.affected.push(`person:${personId}`, `grade:${grade}`)
    return ok
  },
  'archives:rules': async (_i, { db }) => loadGradeRules(db),
  'archives:save-rule': async (rule, ctx) => {
    const id = await saveGradeRule(ctx.db, rule, ctx.clock.now())
    const regraded = await regradeAll(ctx.db, ctx.services.today(), ctx.clock.now())
    ctx.affected.push(`grade-rule:${id}`, `regraded:${regraded}`)
    return { id, regraded }
  },
  'archives:recuse': async (input, ctx) => {
    const id = await recuse(ctx.db, await viewerOf(ctx), input, ctx.clock.now())
    ctx.affected.push(`person:${input.personId}`, `user:${input.userId}`)
    return { id }
  },
  'archives:colleagues': async (_i, { db }) => archiveWorkers(db),
  'archives:log-print': async ({ personId }, ctx) => {
    ctx.affected.push(`person:${personId}`, 'print:archive')
    await requireGrant(ctx.db, await viewerOf(ctx), personId, ctx.clock.now())
    return ok
  },
  'archives:export-pdf': async ({ personId }, ctx) => {
    await requireGrant(ctx.db, await viewerOf(ctx), personId, ctx.clock.now())
    const name = await personName(ctx.db, personId)
    const result = await savePagePdf(ctx, '导出诚信档案', `诚信档案-${name}-${ctx.services.today()}.pdf`)
    if (!result.cancelled) ctx.affected.push(`person:${personId}`, 'export:archive-pdf')
    return result
  },
}
