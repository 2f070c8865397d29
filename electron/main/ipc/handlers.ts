// One line of glue per procedure: unpack the context, call core, note the affected ids.
// Business rules live in core; access rules live in the contract and are enforced by the router.
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { ErrorCode } from '../../contract'
import type { SessionUser } from '../../contract/schemas/auth'
import { authenticate, changeOwnPassword, checkPassword } from '../../core/accounts/auth'
import { createUser, resetUserPassword, setUserDisabled, updateUser } from '../../core/accounts/user-admin'
import { findUserById, listUsers, type UserRecord } from '../../core/accounts/users-repository'
import { exportLogToXlsx } from '../../core/audit/audit-export'
import { listAudit, listLogins } from '../../core/audit/audit-log'
import { verifyAuditTrail } from '../../core/audit/audit-chain'
import { createDictType, listDictItems, listDictTypes, saveDictItem } from '../../core/system/dictionaries'
import { getIdleLockMinutes, getSettings, isSetupDone, saveOfficeSettings } from '../../core/system/settings'
import { completeSetup } from '../../core/system/setup'
import { createUnit, deleteUnit, listUnits, updateUnit } from '../../core/system/units'
import { compareItems, currentItem, getCatalogItem, listCatalog, listCategories, listVersions, newVersion, retireItem, reviewItem, saveDraft, submitItem } from '../../core/catalog/catalog'
import { createRecord } from '../../core/catalog/record-entry'
import { decideAction, fileAction } from '../../core/catalog/record-actions'
import { loadStoreContext } from '../../core/catalog/record-context'
import { exportRecords, getRecord, listRecords, recordStats } from '../../core/catalog/record-list'
import { buildRecordTemplate } from '../../core/catalog/record-template'
import { calendarYear, confirmYear, deleteOverride, officeCalendar, saveOverride } from '../../core/calendar/holiday-table'
import { loadDictEntries } from '../../core/system/dictionaries'
import { todoCounts } from '../../core/system/todo'
import { AppError, fieldError } from '../../core/shared/app-error'
import { writeFileAtomic } from '../../core/shared/write-file'
import type { JobOwner } from '../import-jobs'
import { decideAccess, listAccessRequests, requestAccess, requireGrant } from '../../core/archives/access'
import { ATTACHMENT_EXTENSIONS, readAttachment, storeAttachment } from '../../core/archives/attachments'
import { addEntry, listEntries } from '../../core/archives/entries'
import { gradeOf, loadGradeRules, overrideGrade, regradeAll, saveGradeRule } from '../../core/archives/grading'
import { buildPeopleTemplate, importPeople } from '../../core/archives/people-import'
import { importAssessments } from '../../core/archives/assessment-import'
import { readPlan } from '../../core/supervision/plan-text'
import { reviewQueue } from '../../core/supervision/review-queue'
import { getSupervisionSettings, saveSupervisionSettings } from '../../core/supervision/supervision-settings'
import { matchUnits } from '../../core/supervision/unit-matching'
import { listPlans, planTasks, savePlan } from '../../core/supervision/plan-store'
import { dueList, getLetter, issueLetter, letterDocx } from '../../core/supervision/letters'
import { supervisionStats, writeCircular } from '../../core/supervision/statistics'
import { archiveTask, assignTask, attachableEvent, decideExtension, reportProgress, requestExtension, reviewCompletion, signTask, submitCompletion, taskDetail } from '../../core/supervision/task-lifecycle'
import { createPerson, getPersonSummary, listPeople, revealIdNumber, toPersonSummary, updatePerson } from '../../core/archives/people'
import { archiveViewer, personInScope, refusal, visibleUnits } from '../../core/archives/scope'
import { currentOwnKey, importPeer, listOwnKeys, listPeers, rotateOwnKey, setPeerParts } from '../../core/exchange/keyring'
import { exportPreview, packageLog } from '../../core/exchange/packages'
import type { CallContext, Handlers } from './context'

const MAX_UNLOCK_FAILURES = 5

function toSessionUser(u: UserRecord, lastLoginAt: number | null): SessionUser {
  return { id: u.id, username: u.username, displayName: u.displayName, roles: u.roles, unitId: u.unitId, mustChangePassword: u.mustChangePassword, lastLoginAt }
}

function actorId(ctx: CallContext): number {
  if (!ctx.session) throw new AppError(ErrorCode.NotAuthenticated, 'no session')
  return ctx.session.userId
}

const ok = { ok: true as const }

function exchangeContext(ctx: CallContext) {
  return { db: ctx.db, keys: ctx.services.keys, dataDir: ctx.services.dataDir, clock: ctx.clock }
}

function jobOwner(ctx: CallContext): JobOwner {
  return { senderId: ctx.sender.id, userId: actorId(ctx), username: ctx.session!.username }
}

function actor(ctx: CallContext) {
  return { userId: actorId(ctx), now: ctx.clock.now(), today: ctx.services.today() }
}

async function viewerOf(ctx: CallContext) {
  return archiveViewer(ctx.db, actorId(ctx))
}

/** Writing to an archive: in the keeper's scope, and never their own or one they are recused from. */
async function writableArchive(ctx: CallContext, personId: number) {
  const viewer = await viewerOf(ctx)
  const person = await personInScope(ctx.db, viewer, personId)
  const refused = await refusal(ctx.db, viewer, person)
  if (refused) throw new AppError(ErrorCode.Forbidden, 'may not handle this archive', { reason: refused })
  return person
}

/** A scan of this person's archive, for a viewer holding a grant. */
async function grantedAttachment(ctx: CallContext, personId: number, digest: string) {
  await requireGrant(ctx.db, await viewerOf(ctx), personId, ctx.clock.now())
  const file = await ctx.db('entry_attachments as ea').join('archive_entries as e', 'e.id', 'ea.entry_id').join('attachments as a', 'a.digest', 'ea.digest')
    .where({ 'e.person_id': personId, 'ea.digest': digest }).first('ea.file_name', 'a.mime')
  if (!file) throw new AppError(ErrorCode.NotFound, 'no such attachment in this archive')
  return file as { file_name: string; mime: string }
}

const XLSX_FILTER = [{ name: 'Excel 工作簿', extensions: ['xlsx'] }]

/** Asks where to save, then writes; a failed write is reported with its errno, never half a file. */
async function saveXlsx(ctx: CallContext, title: string, defaultName: string, write: (path: string) => Promise<number>) {
  const path = await ctx.platform.chooseSavePath({ title, defaultName, filters: XLSX_FILTER })
  if (!path) return { cancelled: true, fileName: null, rows: 0 }
  try {
    return { cancelled: false, fileName: path, rows: await write(path) }
  } catch (err) {
    // Only file-system failures (errno codes) are the user's to fix; anything else is our bug.
    const reason = (err as NodeJS.ErrnoException).syscall ? (err as NodeJS.ErrnoException).code : undefined
    if (!reason) throw err
    throw new AppError(reason === 'ENOSPC' ? ErrorCode.DiskFull : ErrorCode.FileWriteFailed, 'file write failed', { reason })
  }
}

export const handlers: Handlers = {
  'setup:status': async (_i, { db }) => ({ needsSetup: !(await isSetupDone(db)) }),
  'setup:complete': async (input, ctx) => {
    ctx.affected.push(`user:${await completeSetup(ctx.db, ctx.clock, input)}`, 'settings')
    // The installation's exchange key pair is made at setup (its private key sealed like any sensitive field).
    const key = await currentOwnKey(ctx.db, ctx.services.keys, ctx.clock)
    ctx.affected.push(`key:${key.fingerprint.slice(0, 16)}`)
    return ok
  },

  'auth:me': async (_i, { db, session }) => {
    const setupDone = await isSetupDone(db)
    const settings = await getSettings(db)
    const user = session ? await findUserById(db, session.userId) : undefined
    return {
      setupDone,
      orgName: settings.orgName || null,
      user: user && !user.disabled ? toSessionUser(user, session!.previousLoginAt) : null,
      locked: session?.locked ?? false,
      idleLockMinutes: await getIdleLockMinutes(db),
    }
  },
  'auth:login': async ({ username, password }, ctx) => {
    if (!(await isSetupDone(ctx.db))) throw new AppError(ErrorCode.SetupRequired, 'setup first')
    // The record was read before this login was stamped, so lastLoginAt is the previous login.
    const user = await authenticate(ctx.db, ctx.clock, username, password)
    const { id: userId, username: name, displayName, roles, lastLoginAt: previousLoginAt } = user
    ctx.sessions.start(ctx.sender.id, { userId, username: name, displayName, roles, previousLoginAt }, ctx.clock.now())
    return toSessionUser(user, previousLoginAt)
  },
  'auth:logout': async (_i, ctx) => {
    ctx.sessions.end(ctx.sender.id)
    return ok
  },
  'auth:change-password': async ({ oldPassword, newPassword }, ctx) => {
    await changeOwnPassword(ctx.db, ctx.clock, actorId(ctx), oldPassword, newPassword)
    ctx.affected.push(`user:${actorId(ctx)}`)
    return ok
  },
  'auth:unlock': async ({ password }, ctx) => {
    const session = ctx.session!
    if (await checkPassword(ctx.db, session.userId, password)) {
      session.locked = false
      session.unlockFailures = 0
      session.lastActivity = ctx.clock.now()
      return ok
    }
    session.unlockFailures++
    if (session.unlockFailures >= MAX_UNLOCK_FAILURES) {
      ctx.sessions.end(ctx.sender.id)
      throw new AppError(ErrorCode.NotAuthenticated, 'too many unlock failures')
    }
    throw new AppError(ErrorCode.WrongPassword, 'wrong password', { remaining: MAX_UNLOCK_FAILURES - session.unlockFailures })
  },
  'auth:heartbeat': async () => ok,
  'home:todo': async (_i, ctx) => todoCounts(ctx.db, ctx.session!.roles),

  'users:list': async (query, { db, clock }) => listUsers(db, query, clock.now()),
  'users:create': async (input, ctx) => {
    const id = await createUser(ctx.db, ctx.clock, input)
    ctx.affected.push(`user:${id}`)
    return { id }
  },
  'users:update': async (input, ctx) => {
    await updateUser(ctx.db, ctx.clock, actorId(ctx), input)
    ctx.affected.push(`user:${input.id}`)
    return { id: input.id }
  },
  'users:set-disabled': async ({ id, disabled }, ctx) => {
    await setUserDisabled(ctx.db, ctx.clock, actorId(ctx), id, disabled)
    if (disabled) ctx.sessions.endForUser(id)
    ctx.affected.push(`user:${id}`)
    return { id }
  },
  'users:reset-password': async ({ id, newPassword }, ctx) => {
    await resetUserPassword(ctx.db, ctx.clock, id, newPassword)
    ctx.sessions.endForUser(id)
    ctx.affected.push(`user:${id}`)
    return { id }
  },

  'units:tree': async (_i, { db }) => ({ units: await listUnits(db) }),
  'units:create': async (input, ctx) => {
    const id = await createUnit(ctx.db, ctx.clock, input)
    ctx.affected.push(`unit:${id}`)
    return { id }
  },
  'units:update': async (input, ctx) => {
    await updateUnit(ctx.db, ctx.clock, input)
    ctx.affected.push(`unit:${input.id}`)
    return { id: input.id }
  },
  'units:delete': async ({ id }, ctx) => {
    await deleteUnit(ctx.db, id)
    ctx.affected.push(`unit:${id}`)
    return { id }
  },

  'dicts:types': async (_i, { db }) => listDictTypes(db),
  'dicts:items': async ({ typeCode }, { db }) => listDictItems(db, typeCode),
  'dicts:create-type': async (input, ctx) => {
    await createDictType(ctx.db, input)
    ctx.affected.push(`dict:${input.code}`)
    return { code: input.code }
  },
  'dicts:save-item': async (input, ctx) => {
    const id = await saveDictItem(ctx.db, input)
    ctx.affected.push(`dict:${input.typeCode}:${id}`)
    return { id }
  },

  'settings:get': async (_i, { db }) => getSettings(db),
  'settings:update': async (input, ctx) => {
    await saveOfficeSettings(ctx.db, input)
    ctx.affected.push('settings')
    return ok
  },

  'audit:list': async (query, { db }) => listAudit(db, query),
  'audit:logins': async (query, { db }) => listLogins(db, query),
  'audit:export': async (input, ctx) => {
    const title = input.kind === 'operations' ? '操作日志' : '登录日志'
    const path = await ctx.platform.chooseSavePath({
      title: `导出${title}`,
      defaultName: `${title}-${new Date(ctx.clock.now()).toISOString().slice(0, 10)}.xlsx`,
      filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }],
    })
    if (!path) return { cancelled: true, fileName: null, rows: 0 }
    let rows: number
    try {
      rows = await exportLogToXlsx(ctx.db, input, path)
    } catch (err) {
      throw new AppError(ErrorCode.FileWriteFailed, 'export failed', { reason: (err as NodeJS.ErrnoException).code ?? 'unknown' })
    }
    ctx.affected.push(`export:${input.kind}`)
    return { cancelled: false, fileName: path, rows }
  },
  'audit:verify': async (_i, { db }) => verifyAuditTrail(db),

  'catalog:categories': async (_i, { db }) => listCategories(db),
  'catalog:list': async (query, { db }) => listCatalog(db, query),
  'catalog:get': async ({ id }, { db }) => getCatalogItem(db, id),
  'catalog:versions': async ({ code }, { db }) => listVersions(db, code),
  'catalog:save-draft': async (input, ctx) => {
    const id = await saveDraft(ctx.db, ctx.clock, actorId(ctx), input)
    ctx.affected.push(`catalog:${id}`)
    return { id }
  },
  'catalog:submit': async ({ id }, ctx) => {
    await submitItem(ctx.db, ctx.clock, id)
    ctx.affected.push(`catalog:${id}`)
    return { id }
  },
  'catalog:review': async ({ id, decision, comment }, ctx) => {
    await reviewItem(ctx.db, ctx.clock, actorId(ctx), id, decision, comment)
    ctx.affected.push(`catalog:${id}`)
    return { id }
  },
  'catalog:new-version': async ({ id }, ctx) => {
    const newId = await newVersion(ctx.db, ctx.clock, actorId(ctx), id)
    ctx.affected.push(`catalog:${id}`, `catalog:${newId}`)
    return { id: newId }
  },
  'catalog:retire': async ({ id }, ctx) => {
    await retireItem(ctx.db, ctx.clock, id)
    ctx.affected.push(`catalog:${id}`)
    return { id }
  },
  'catalog:compare': async ({ fromId, toId }, { db }) => compareItems(db, fromId, toId),

  'records:list': async (query, { db, services }) => listRecords(db, query, services.today(), services.keys),
  'records:stats': async ({ itemCode }, { db, services }) => recordStats(db, itemCode, services.today()),
  'records:get': async ({ id }, { db, services }) => getRecord(db, id, services.today()),
  'records:create': async ({ itemCode, supplierUnitId, values }, ctx) => {
    const item = await currentItem(ctx.db, itemCode)
    const store = await loadStoreContext(ctx.db, ctx.services.today(), ctx.services.keys)
    const result = await createRecord(ctx.db, item, values, store, { supplierUnitId, createdBy: actorId(ctx), now: ctx.clock.now() })
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
  'records:export': async (query, ctx) => {
    const name = query.itemCode ? ((await currentItem(ctx.db, query.itemCode).catch(() => null))?.name ?? query.itemCode) : '归集数据'
    const result = await saveXlsx(ctx, '导出归集数据', `${name}-${ctx.services.today()}.xlsx`, (path) => exportRecords(ctx.db, query, ctx.services.today(), ctx.services.keys, path))
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
    const job = ctx.services.importJobs.commit(jobOwner(ctx), jobId, mode, supplierUnitId)
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
    if (!path) return { cancelled: true, fileName: null, rows: 0, imported: 0, issues: [] }
    const result = await importPeople(ctx.db, ctx.services.keys, path, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`people-import:${basename(path)}`, `rows:${result.imported}`)
    return { cancelled: false, fileName: basename(path), ...result, issues: result.issues.slice(0, 500) }
  },
  'people:template': async (_i, ctx) =>
    saveXlsx(ctx, '保存人员导入模板', '人员名单-导入模板.xlsx', async (path) => {
      writeFileAtomic(path, await buildPeopleTemplate())
      return 0
    }),
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
    // Named before the check, so a refused attempt is logged with the archive it aimed at.
    ctx.affected.push(`person:${personId}`, 'view:archive')
    const viewer = await viewerOf(ctx)
    const now = ctx.clock.now()
    const { person, until } = await requireGrant(ctx.db, viewer, personId, now)
    const row = await ctx.db('people as p').join('org_units as u', 'u.id', 'p.unit_id').where('p.id', person.id).first('p.*', 'u.name as unit_name')
    const history = await ctx.db('grade_history as h').leftJoin('users as u', 'u.id', 'h.decided_by').where('h.person_id', personId).orderBy('h.id', 'desc').select('h.*', 'u.display_name as by_name')
    return {
      person: await toPersonSummary(ctx.db, ctx.services.keys, row, viewer, now),
      entries: await listEntries(ctx.db, personId),
      gradeReasons: (await gradeOf(ctx.db, personId, ctx.services.today())).reasons,
      gradeHistory: history.map((h) => ({ grade: h.grade, source: h.source, reasons: JSON.parse(h.reasons), decidedByName: h.by_name ?? null, at: Number(h.at) })),
      grantedUntil: until,
    }
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
    const entry = await ctx.db('archive_entries').where('id', entryId).first('person_id')
    if (!entry) throw new AppError(ErrorCode.NotFound, 'no such entry')
    await writableArchive(ctx, entry.person_id)
    const path = await ctx.platform.chooseOpenPath({ title: '选择扫描件（PDF、JPG、PNG、TIF，不超过 20 MB）', filters: [{ name: '扫描件', extensions: ATTACHMENT_EXTENSIONS }] })
    if (!path) return { attached: false, fileName: null }
    const stored = await storeAttachment(ctx.db, ctx.services.keys, ctx.services.dataDir, path, ctx.clock.now())
    await ctx.db('entry_attachments').insert({ entry_id: entryId, digest: stored.digest, file_name: basename(path) }).onConflict(['entry_id', 'digest']).ignore()
    ctx.affected.push(`person:${entry.person_id}`, `archive-entry:${entryId}`, `attachment:${stored.digest.slice(0, 16)}`)
    return { attached: true, fileName: basename(path) }
  },
  'archives:attachment': async ({ personId, digest }, ctx) => {
    ctx.affected.push(`person:${personId}`, `view:attachment:${digest.slice(0, 16)}`)
    const file = await grantedAttachment(ctx, personId, digest)
    return { fileName: file.file_name, mime: file.mime, base64: readAttachment(ctx.services.keys, ctx.services.dataDir, digest).toString('base64') }
  },
  'archives:save-attachment': async ({ personId, digest }, ctx) => {
    ctx.affected.push(`person:${personId}`, `export:attachment:${digest.slice(0, 16)}`)
    const file = await grantedAttachment(ctx, personId, digest)
    const path = await ctx.platform.chooseSavePath({ title: '另存附件', defaultName: file.file_name, filters: [{ name: '扫描件', extensions: ATTACHMENT_EXTENSIONS }] })
    if (!path) return { cancelled: true, fileName: null, rows: 0 }
    writeFileAtomic(path, readAttachment(ctx.services.keys, ctx.services.dataDir, digest))
    return { cancelled: false, fileName: path, rows: 1 }
  },
  'plans:parse': async (_i, ctx) => {
    const path = await ctx.platform.chooseOpenPath({ title: '选择工作要点文件（.txt、.docx 或 .pdf）', filters: [{ name: '工作要点', extensions: ['txt', 'docx', 'pdf'] }] })
    const empty = { cancelled: true, fileName: null, title: null, issuer: null, docNumber: null, year: null, tasks: [], matches: [] }
    if (!path) return empty
    const plan = await readPlan(path)
    if (!plan.tasks.length) throw new AppError(ErrorCode.ImportFileRejected, 'no items', { reason: 'no_items' })
    const names = plan.tasks.flatMap((t) => [...t.units.lead, ...t.units.responsible, ...t.units.cooperating])
    return { cancelled: false, fileName: basename(path), ...plan, matches: await matchUnits(ctx.db, names) }
  },
  'plans:confirm': async (input, ctx) => {
    const result = await savePlan(ctx.db, ctx.clock, input, actorId(ctx))
    ctx.affected.push(`plan:${result.planId}`, `tasks:${result.tasks}`, `units-created:${result.unitsCreated}`)
    return result
  },
  'plans:list': async (_i, { db }) => listPlans(db),
  'plans:tasks': async ({ planId }, { db }) => planTasks(db, planId),
  'tasks:get': async ({ taskId }, { db, services }) => taskDetail(db, taskId, services.today(), await officeCalendar(db)),
  'tasks:assign': async ({ taskId }, ctx) => {
    await assignTask(ctx.db, taskId, actor(ctx))
    ctx.affected.push(`task:${taskId}`)
    return ok
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
  'tasks:review': async ({ taskUnitId, decision, comment }, ctx) => {
    await reviewCompletion(ctx.db, taskUnitId, decision, comment, actor(ctx))
    ctx.affected.push(`task-unit:${taskUnitId}`, `decision:${decision}`)
    return ok
  },
  'tasks:archive': async ({ taskId }, ctx) => {
    await archiveTask(ctx.db, taskId, actor(ctx))
    ctx.affected.push(`task:${taskId}`)
    return ok
  },
  'tasks:due': async (_i, { db, services }) => dueList(db, services.today(), await officeCalendar(db)),
  'tasks:review-queue': async (_i, { db }) => reviewQueue(db),
  'letters:issue': async (input, ctx) => {
    const letter = await issueLetter(ctx.db, input, actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`task:${input.taskId}`, `letter:${letter.id}`, letter.docNumber)
    return letter
  },
  'letters:get': async ({ letterId }, { db }) => getLetter(db, letterId),
  'letters:export-docx': async ({ letterId }, ctx) => {
    const letter = await getLetter(ctx.db, letterId)
    const path = await ctx.platform.chooseSavePath({ title: '导出督办函', defaultName: `督办函-${letter.docNumber}.docx`, filters: [{ name: 'Word 文档', extensions: ['docx'] }] })
    if (!path) return { cancelled: true, fileName: null, rows: 0 }
    writeFileAtomic(path, await letterDocx(letter))
    ctx.affected.push(`letter:${letterId}`, 'export:docx')
    return { cancelled: false, fileName: path, rows: 1 }
  },
  'letters:log-print': async ({ letterId }, ctx) => {
    await getLetter(ctx.db, letterId)
    ctx.affected.push(`letter:${letterId}`, 'print')
    return ok
  },
  'tasks:attach': async ({ eventId }, ctx) => {
    const e = await attachableEvent(ctx.db, eventId)
    const path = await ctx.platform.chooseOpenPath({ title: '选择盖章扫描件（PDF、JPG、PNG、TIF，不超过 20 MB）', filters: [{ name: '扫描件', extensions: ATTACHMENT_EXTENSIONS }] })
    if (!path) return { attached: false, fileName: null }
    const stored = await storeAttachment(ctx.db, ctx.services.keys, ctx.services.dataDir, path, ctx.clock.now())
    await ctx.db('task_event_attachments').insert({ event_id: eventId, digest: stored.digest, file_name: basename(path) }).onConflict(['event_id', 'digest']).ignore()
    ctx.affected.push(`task:${e.task_id}`, `task-event:${eventId}`, `attachment:${stored.digest.slice(0, 16)}`)
    return { attached: true, fileName: basename(path) }
  },
  'tasks:attachment': async ({ eventId, digest }, ctx) => {
    ctx.affected.push(`task-event:${eventId}`, `view:attachment:${digest.slice(0, 16)}`)
    const file = await ctx.db('task_event_attachments as a').join('attachments as f', 'f.digest', 'a.digest').where({ 'a.event_id': eventId, 'a.digest': digest }).first('a.file_name', 'f.mime')
    if (!file) throw new AppError(ErrorCode.NotFound, 'no such attachment')
    return { fileName: file.file_name, mime: file.mime, base64: readAttachment(ctx.services.keys, ctx.services.dataDir, digest).toString('base64') }
  },
  'supervision:stats': async ({ planId }, { db, services }) => supervisionStats(db, planId, services.today()),
  'supervision:export-circular': async ({ planId }, ctx) => {
    const stats = await supervisionStats(ctx.db, planId, ctx.services.today())
    const title = `社会信用体系建设重点任务推进情况通报（截至 ${ctx.services.today()}）`
    const result = await saveXlsx(ctx, '导出通报', `督办通报-${ctx.services.today()}.xlsx`, (path) => writeCircular(stats, title, path))
    if (!result.cancelled) ctx.affected.push(`circular:${planId ?? 'all'}`, `units:${result.rows}`)
    return result
  },
  'supervision:settings': async (_i, { db }) => getSupervisionSettings(db),
  'supervision:save-settings': async (input, ctx) => {
    await saveSupervisionSettings(ctx.db, input)
    ctx.affected.push(`yellow:${input.yellowWorkingDays}`, `weights:${input.weights.onTime}/${input.weights.perReturn}/${input.weights.perOverdue}`, `prefix:${input.letterPrefix}`)
    return ok
  },
  'exchange:status': async (_i, { db }) => ({ keys: await listOwnKeys(db), peers: await listPeers(db), packages: await packageLog(db) }),
  'exchange:import-peer': async ({ name }, ctx) => {
    const path = await ctx.platform.chooseOpenPath({ title: `选择“${name}”的公钥文件（.pub.pem）`, filters: [{ name: '公钥文件', extensions: ['pem', 'pub'] }] })
    if (!path) return { cancelled: true, peer: null }
    const text = readFileSync(path, 'utf8')
    if (text.length > 20_000) throw new AppError(ErrorCode.KeyFileRejected, 'too large', { reason: 'not_pem' })
    const peer = await importPeer(ctx.db, ctx.clock, { name, pemText: text }, actorId(ctx))
    ctx.affected.push(`peer:${peer.id}`, `fingerprint:${peer.fingerprint.slice(0, 16)}`)
    return { cancelled: false, peer }
  },
  'exchange:export-public': async (_i, ctx) => {
    const own = await currentOwnKey(ctx.db, ctx.services.keys, ctx.clock)
    const office = await getSettings(ctx.db)
    const path = await ctx.platform.chooseSavePath({ title: '导出本单位交换公钥', defaultName: `${office.regionCode || 'county'}-交换公钥.pub.pem`, filters: [{ name: '公钥文件', extensions: ['pem'] }] })
    if (!path) return { cancelled: true, fileName: null, rows: 0 }
    writeFileAtomic(path, Buffer.from(own.publicPem))
    ctx.affected.push(`key:${own.fingerprint.slice(0, 16)}`)
    return { cancelled: false, fileName: path, rows: 1 }
  },
  'exchange:rotate-key': async (_i, ctx) => {
    const own = await rotateOwnKey(ctx.db, ctx.services.keys, ctx.clock)
    ctx.affected.push(`key:${own.fingerprint.slice(0, 16)}`)
    return (await listOwnKeys(ctx.db)).find((k) => k.id === own.id)!
  },
  'exchange:set-peer-parts': async ({ peerId, parts }, ctx) => {
    const peer = await setPeerParts(ctx.db, peerId, parts)
    ctx.affected.push(`peer:${peerId}`, `parts:${peer.parts.join(',') || 'none'}`)
    return peer
  },
  'exchange:preview': async ({ full }, ctx) => exportPreview(exchangeContext(ctx), { full }),
  'exchange:export-start': async ({ full, confirmPersonal }, ctx) => {
    const preview = await exportPreview(exchangeContext(ctx), { full })
    // Asked before the dialog: the user confirms the personal data leaving on the preview, not after choosing a file.
    if (Object.keys(preview.personal).length && !confirmPersonal) throw new AppError(ErrorCode.InvalidState, 'personal data not confirmed', { reason: 'personal_unconfirmed', personal: preview.personal })
    const office = await getSettings(ctx.db)
    const name = `${office.regionCode || 'county'}-${full ? '全量' : '增量'}-${String(preview.nextSequence).padStart(5, '0')}-${ctx.services.today()}.cdpkg`
    const path = await ctx.platform.chooseSavePath({ title: '导出数据交换包（选择 U 盘）', defaultName: name, filters: [{ name: '数据交换包', extensions: ['cdpkg'] }] })
    if (!path) return { job: null }
    const rows = Object.values(preview.counts).reduce((a, b) => a + b, 0)
    const job = ctx.services.exchangeJobs.startExport(jobOwner(ctx), path, full, rows, confirmPersonal)
    ctx.affected.push(`package-job:${job.id}`, `full:${full}`, `parts:${preview.parts.join(',')}`, ...Object.entries(preview.personal).map(([table, n]) => `personal:${table}=${n}`))
    return { job }
  },
  'exchange:import-start': async (_i, ctx) => {
    const path = await ctx.platform.chooseOpenPath({ title: '选择市里发来的数据交换包', filters: [{ name: '数据交换包', extensions: ['cdpkg'] }] })
    if (!path) return { job: null }
    const job = ctx.services.exchangeJobs.startImport(jobOwner(ctx), path)
    ctx.affected.push(`package-job:${job.id}`)
    return { job }
  },
  'exchange:job': async ({ jobId }, ctx) => ctx.services.exchangeJobs.get(jobOwner(ctx), jobId),
  'exchange:cancel': async ({ jobId }, ctx) => ctx.services.exchangeJobs.cancel(jobOwner(ctx), jobId),
  'archives:import-assessments': async (batch, ctx) => {
    const path = await ctx.platform.chooseOpenPath({ title: `选择 ${batch.year} 年度考核结果 Excel 文件`, filters: XLSX_FILTER })
    if (!path) return { cancelled: true, fileName: null, rows: 0, imported: 0, issues: [] }
    const units = await visibleUnits(ctx.db, await viewerOf(ctx))
    const result = await importAssessments(ctx.db, ctx.services.keys, path, batch, (u) => !units || units.includes(u), actorId(ctx), ctx.clock.now(), ctx.services.today())
    ctx.affected.push(`assessments:${batch.year}`, `file:${basename(path)}`, `rows:${result.imported}`)
    return { cancelled: false, fileName: basename(path), ...result, issues: result.issues.slice(0, 500) }
  },
  'archives:grade-override': async ({ personId, grade, reason }, ctx) => {
    await writableArchive(ctx, personId)
    await overrideGrade(ctx.db, personId, grade, reason, actorId(ctx), ctx.clock.now())
    ctx.affected.push(`person:${personId}`, `grade:${grade}`)
    return ok
  },
  'archives:rules': async (_i, { db }) => (await loadGradeRules(db)).map((r) => ({ ...r })),
  'archives:save-rule': async (rule, ctx) => {
    const id = await saveGradeRule(ctx.db, rule, ctx.clock.now())
    const regraded = await regradeAll(ctx.db, ctx.services.today(), ctx.clock.now())
    ctx.affected.push(`grade-rule:${id}`, `regraded:${regraded}`)
    return { id, regraded }
  },
  'archives:recuse': async ({ userId, personId, reason }, ctx) => {
    await personInScope(ctx.db, await viewerOf(ctx), personId)
    const [id] = (await ctx.db('archive_recusals').insert({ user_id: userId, person_id: personId, reason, created_at: ctx.clock.now() }).onConflict(['user_id', 'person_id']).merge(['reason'])) as number[]
    ctx.affected.push(`person:${personId}`, `user:${userId}`)
    return { id: id! }
  },
  'archives:colleagues': async (_i, { db }) =>
    (await db('users as u').join('user_roles as r', 'r.user_id', 'u.id').whereIn('r.role', ['clerk', 'supervisor']).where('u.disabled', false)
      .distinct('u.id', 'u.display_name').orderBy('u.display_name')).map((u) => ({ id: u.id as number, displayName: u.display_name as string })),
  'archives:log-print': async ({ personId }, ctx) => {
    ctx.affected.push(`person:${personId}`, 'print:archive')
    await requireGrant(ctx.db, await viewerOf(ctx), personId, ctx.clock.now())
    return ok
  },
  'archives:export-pdf': async ({ personId }, ctx) => {
    await requireGrant(ctx.db, await viewerOf(ctx), personId, ctx.clock.now())
    const person = await ctx.db('people').where('id', personId).first('name')
    const path = await ctx.platform.chooseSavePath({ title: '导出诚信档案', defaultName: `诚信档案-${person.name}-${ctx.services.today()}.pdf`, filters: [{ name: 'PDF 文件', extensions: ['pdf'] }] })
    if (!path) return { cancelled: true, fileName: null, rows: 0 }
    await ctx.platform.printToPdf(ctx.sender.id, path)
    ctx.affected.push(`person:${personId}`, 'export:archive-pdf')
    return { cancelled: false, fileName: path, rows: 1 }
  },

  'calendar:year': async ({ year }, { db }) => calendarYear(db, year),
  'calendar:save-day': async (input, ctx) => {
    await saveOverride(ctx.db, input, ctx.clock.now())
    ctx.affected.push(`holiday:${input.date}`)
    return ok
  },
  'calendar:delete-day': async ({ date }, ctx) => {
    if (!(await deleteOverride(ctx.db, date))) throw new AppError(ErrorCode.NotFound, 'no entry for that day')
    ctx.affected.push(`holiday:${date}`)
    return ok
  },
  'calendar:confirm-year': async ({ year }, ctx) => {
    await confirmYear(ctx.db, year, ctx.clock.now())
    ctx.affected.push(`calendar-year:${year}`)
    return ok
  },
}

