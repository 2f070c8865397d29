// Record imports as background jobs the renderer polls: a preview (read + check, writes nothing),
// then, on the user's word, the import itself. The import runs on its own SQLite connection so the
// app keeps answering (WAL lets reads through) while its one transaction is open; SQLite has one
// writer, so one import runs at a time. Jobs belong to the window and user that started them.
import { randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { createDb } from '../../db/connection'
import { loadDictEntries } from '../core/system/dictionaries'
import { ErrorCode } from '../contract/errors'
import type { CatalogItem } from '../contract/schemas/catalog'
import type { ImportJob } from '../contract/schemas/records'
import { appendAudit } from '../core/audit/audit-log'
import { previewImport, writeErrorWorkbook, type ImportPreview } from '../core/catalog/record-import'
import { loadPreviewContext, loadStoreContext } from '../core/catalog/record-context'
import { importRecords, type ImportMode } from '../core/catalog/records'
import type { FieldKeys } from '../core/security/field-crypto'
import { AppError } from '../core/shared/app-error'
import type { Clock } from '../core/shared/clock'
import { DB_FILE } from '../core/shared/open-database'
import { JobRegistry, type JobOwner, type OwnedJob } from './job-registry'
import type { Logger } from './logger'

/** Issues sent to the preview table; the error workbook carries all of them. */
const PREVIEW_ISSUES = 200

interface Job extends OwnedJob {
  view: ImportJob
  item: CatalogItem
  path: string
  stamp: string
  preview: ImportPreview | null
  controller: AbortController
}

export interface ImportJobDeps {
  db: Knex
  dataDir: string
  keys: FieldKeys
  clock: Clock
  logger: Logger
  today(): string
}

function fileStamp(path: string): string {
  const s = statSync(path)
  return `${s.size}:${s.mtimeMs}`
}

function previewView(p: ImportPreview): NonNullable<ImportJob['preview']> {
  return {
    rows: p.rows,
    validRows: p.validRows,
    invalidRows: p.invalidRows,
    lateRows: p.lateRows,
    issues: p.issues.slice(0, PREVIEW_ISSUES),
    issueCount: p.issues.length,
    unknownColumns: p.header.unknownHeaders,
    calendarGaps: p.calendarGaps,
  }
}

export class ImportJobs {
  private readonly jobs: JobRegistry<Job>
  private importing = false

  constructor(private readonly deps: ImportJobDeps) {
    this.jobs = new JobRegistry(() => deps.clock.now(), 'import job')
  }

  /** Starts reading and checking a file the user picked (through the main-process dialog). */
  startPreview(owner: JobOwner, item: CatalogItem, path: string, fileName: string): ImportJob {
    const job: Job = {
      view: {
        id: randomUUID(),
        itemCode: item.code,
        fileName,
        phase: 'preview',
        state: 'running',
        rowsRead: 0,
        totalRows: null,
        preview: null,
        imported: null,
        batchId: null,
        error: null,
      },
      owner,
      item,
      path,
      stamp: fileStamp(path),
      preview: null,
      controller: new AbortController(),
      finishedAt: null,
    }
    this.jobs.add(job.view.id, job)
    void this.runPreview(job)
    return { ...job.view }
  }

  get(owner: JobOwner, id: string): ImportJob {
    return { ...this.jobs.find(owner, id).view }
  }

  cancel(owner: JobOwner, id: string): ImportJob {
    const job = this.jobs.find(owner, id)
    if (job.view.state === 'running') job.controller.abort()
    return { ...job.view }
  }

  /** Imports the previewed file; the outcome (and its audit row) arrives with the job. */
  commit(owner: JobOwner, id: string, mode: ImportMode, supplierUnitId: number | null): ImportJob {
    const job = this.jobs.find(owner, id)
    if (job.view.phase !== 'preview' || job.view.state !== 'done' || !job.preview)
      throw new AppError(ErrorCode.InvalidState, 'preview not finished', { reason: 'not_previewed' })
    if (mode === 'all' && job.preview.invalidRows > 0)
      throw new AppError(ErrorCode.InvalidState, 'rows with errors', { reason: 'has_errors' })
    if (job.preview.validRows === 0) throw new AppError(ErrorCode.InvalidState, 'nothing to import', { reason: 'nothing_valid' })
    if (this.importing) throw new AppError(ErrorCode.InvalidState, 'another import is running', { reason: 'busy' })
    let changed: boolean
    try {
      changed = fileStamp(job.path) !== job.stamp
    } catch {
      changed = true
    }
    if (changed) throw new AppError(ErrorCode.InvalidState, 'file changed since the preview', { reason: 'file_changed' })
    job.controller = new AbortController()
    job.finishedAt = null
    Object.assign(job.view, { phase: 'import', state: 'running', rowsRead: 0, totalRows: job.preview.rows, error: null })
    this.importing = true
    void this.runImport(job, mode, supplierUnitId).finally(() => (this.importing = false))
    return { ...job.view }
  }

  /** The rejected rows with their reasons, as the department's own columns plus an error column. */
  async writeErrors(owner: JobOwner, id: string, outPath: string): Promise<number> {
    const job = this.jobs.find(owner, id)
    if (!job.preview || job.preview.invalidRows === 0)
      throw new AppError(ErrorCode.InvalidState, 'no errors to write', { reason: 'no_errors' })
    return writeErrorWorkbook(job.path, job.item, job.preview, outPath, await loadDictEntries(this.deps.db))
  }

  /** Stops whatever runs (window closed, app quitting); running imports roll back. */
  async stopAll(): Promise<void> {
    for (const job of this.jobs.all()) job.controller.abort()
    while (this.importing) await new Promise((r) => setTimeout(r, 20))
  }

  private finish(job: Job, state: ImportJob['state'], err?: unknown): void {
    job.view.state = state
    job.finishedAt = this.deps.clock.now()
    if (err !== undefined) job.view.error = this.describe(err)
  }

  private describe(err: unknown): ImportJob['error'] {
    if (err instanceof AppError) return { code: err.code, message: err.message, details: err.details }
    const incidentId = randomUUID().slice(0, 8)
    this.deps.logger.error('import.failed', { incidentId, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
    const errno = (err as NodeJS.ErrnoException | undefined)?.code
    if (errno === 'SQLITE_FULL' || errno === 'ENOSPC') return { code: ErrorCode.DiskFull, message: 'disk full', details: { incidentId } }
    return { code: ErrorCode.Internal, message: 'internal error', details: { incidentId } }
  }

  private async runPreview(job: Job): Promise<void> {
    try {
      const ctx = await loadPreviewContext(this.deps.db, this.deps.today())
      const preview = await previewImport(job.path, job.item, ctx, {
        signal: job.controller.signal,
        onProgress: (rows) => (job.view.rowsRead = rows),
      })
      job.preview = preview
      Object.assign(job.view, { totalRows: preview.rows, rowsRead: preview.rows, preview: previewView(preview) })
      this.finish(job, 'done')
    } catch (err) {
      this.finish(job, err instanceof AppError && err.code === ErrorCode.Cancelled ? 'cancelled' : 'failed', err)
    }
  }

  private async runImport(job: Job, mode: ImportMode, supplierUnitId: number | null): Promise<void> {
    const { owner } = job
    const audit = (db: Knex, result: string, affected: string[]) =>
      appendAudit(db, {
        at: this.deps.clock.now(),
        actorUserId: owner.userId,
        actorName: owner.username,
        procedure: 'job:records-import',
        affectedIds: affected,
        result,
      })
    const conn = createDb(join(this.deps.dataDir, DB_FILE))
    try {
      const ctx = await loadStoreContext(this.deps.db, this.deps.today(), this.deps.keys)
      const result = await importRecords(conn, job.item, job.path, ctx, {
        mode,
        fileName: job.view.fileName,
        supplierUnitId,
        createdBy: owner.userId,
        via: 'app',
        now: this.deps.clock.now(),
        signal: job.controller.signal,
        onProgress: (rows) => (job.view.rowsRead = rows),
        beforeCommit: (trx, r) => audit(trx, 'ok', [`batch:${r.batchId}`, `catalog:${job.item.id}`, `rows:${r.imported}`]),
      })
      job.preview = result.preview
      Object.assign(job.view, { preview: previewView(result.preview), rowsRead: result.preview.rows })
      if (result.batchId == null) {
        // 'all' mode met a row the preview could not know about (the same document already stored).
        this.finish(
          job,
          'failed',
          new AppError(ErrorCode.ImportHasErrors, 'rows with errors; nothing imported', { invalidRows: result.preview.invalidRows }),
        )
        await audit(conn, ErrorCode.ImportHasErrors, [`catalog:${job.item.id}`])
      } else {
        Object.assign(job.view, { imported: result.imported, batchId: result.batchId })
        this.finish(job, 'done')
      }
    } catch (err) {
      const cancelled = err instanceof AppError && err.code === ErrorCode.Cancelled
      this.finish(job, cancelled ? 'cancelled' : 'failed', err)
      await audit(conn, cancelled ? ErrorCode.Cancelled : (job.view.error?.code ?? ErrorCode.Internal), [`catalog:${job.item.id}`]).catch(
        (e) => this.deps.logger.error('audit.append-failed', { procedure: 'job:records-import', error: String(e) }),
      )
    } finally {
      await conn.destroy()
    }
  }
}
