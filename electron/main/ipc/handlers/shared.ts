// What every handler file uses: who is calling, and the save dialog around a file write.
import { ErrorCode, type ProcedureName } from '../../../contract'
import { archiveViewer, personInScope, refusal } from '../../../core/archives/scope'
import { AppError } from '../../../core/shared/app-error'
import type { JobOwner } from '../../job-registry'
import type { FileFilter } from '../../platform'
import type { CallContext, Handler } from '../context'

/** The handlers of every procedure named `<prefix>:…`: a file that misses one does not compile. */
export type HandlersOf<P extends string> = { [N in Extract<ProcedureName, `${P}:${string}`>]: Handler<N> }

export const ok = { ok: true as const }

export function actorId(ctx: CallContext): number {
  if (!ctx.session) throw new AppError(ErrorCode.NotAuthenticated, 'no session')
  return ctx.session.userId
}

/** The caller as the supervision services record them. */
export function actor(ctx: CallContext) {
  return { userId: actorId(ctx), now: ctx.clock.now(), today: ctx.services.today() }
}

export function jobOwner(ctx: CallContext): JobOwner {
  return { senderId: ctx.sender.id, userId: actorId(ctx), username: ctx.session!.username }
}

export function exchangeContext(ctx: CallContext) {
  return { db: ctx.db, keys: ctx.services.keys, dataDir: ctx.services.dataDir, clock: ctx.clock }
}

export function storedFiles(ctx: CallContext) {
  return { db: ctx.db, keys: ctx.services.keys, dataDir: ctx.services.dataDir }
}

export async function viewerOf(ctx: CallContext) {
  return archiveViewer(ctx.db, actorId(ctx))
}

/** Writing to an archive: in the keeper's scope, and never their own or one they are recused from. */
export async function writableArchive(ctx: CallContext, personId: number) {
  const viewer = await viewerOf(ctx)
  const person = await personInScope(ctx.db, viewer, personId)
  const refused = await refusal(ctx.db, viewer, person)
  if (refused) throw new AppError(ErrorCode.Forbidden, 'may not handle this archive', { reason: refused })
  return person
}

export const XLSX_FILTER: FileFilter[] = [{ name: 'Excel 工作簿', extensions: ['xlsx'] }]
const PDF_FILTER: FileFilter[] = [{ name: 'PDF 文件', extensions: ['pdf'] }]

/** The calling page as printed (its print styles, page numbers), saved where the user chooses. */
export function savePagePdf(ctx: CallContext, title: string, defaultName: string) {
  return saveFile(ctx, { title, defaultName, filters: PDF_FILTER }, async (path) => {
    await ctx.platform.printToPdf(ctx.sender.id, path)
    return 1
  })
}

export const CANCELLED_FILE = { cancelled: true as const, fileName: null, rows: 0 }

/**
 * Asks where to save, then writes (the write returns the rows it wrote). A file-system failure is reported with its
 * errno (full disk apart), never half a file; anything else is our bug and stays an internal error.
 */
export async function saveFile(
  ctx: CallContext,
  dialog: { title: string; defaultName: string; filters: FileFilter[] },
  write: (path: string) => Promise<number>,
) {
  const path = await ctx.platform.chooseSavePath(dialog)
  if (!path) return CANCELLED_FILE
  try {
    return { cancelled: false, fileName: path, rows: await write(path) }
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).syscall ? (err as NodeJS.ErrnoException).code : undefined
    if (!reason) throw err
    throw new AppError(reason === 'ENOSPC' ? ErrorCode.DiskFull : ErrorCode.FileWriteFailed, 'file write failed', { reason })
  }
}

export function saveXlsx(ctx: CallContext, title: string, defaultName: string, write: (path: string) => Promise<number>) {
  return saveFile(ctx, { title, defaultName, filters: XLSX_FILTER }, write)
}
