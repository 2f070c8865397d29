// Package export and import as background jobs the renderer polls (progress, cancel). One at a time: an export
// reads while an import writes, and a USB stick does not like two writers. Jobs belong to the window and user that
// started them; the outcome — package, sequence, digest, or the reason it was refused — goes to the audit log.
import { randomUUID } from 'node:crypto'
import { basename } from 'node:path'
import { ErrorCode } from '../contract/errors'
import type { ExchangeJob } from '../contract/schemas/exchange'
import { appendAudit } from '../core/audit/audit-log'
import { exportPackage, importPackage, type ExchangeContext, type ExportPlan } from '../core/exchange/packages'
import { AppError } from '../core/shared/app-error'
import { JobRegistry, type JobOwner, type OwnedJob } from './job-registry'
import type { Logger } from './logger'

interface Job extends OwnedJob {
  view: ExchangeJob
  controller: AbortController
  done: Promise<void>
}

export class ExchangeJobs {
  private readonly jobs: JobRegistry<Job>

  constructor(
    private readonly ctx: ExchangeContext,
    private readonly logger: Logger,
    /** Runs before a package is applied (a backup into the data folder, when a passphrase is set). */
    private readonly beforeImport: () => Promise<unknown> = async () => undefined,
  ) {
    this.jobs = new JobRegistry(() => ctx.clock.now(), 'package job')
  }

  startExport(owner: JobOwner, path: string, full: boolean, plan: ExportPlan, confirmPersonal: boolean): ExchangeJob {
    const rowsTotal = Object.values(plan.counts).reduce((a, b) => a + b, 0)
    const counts: Record<string, number> = {}
    const job = this.create(owner, 'export', path, rowsTotal)
    job.done = this.run(job, 'job:package-export', async () => {
      const poll = setInterval(() => (job.view.rowsDone = Object.values(counts).reduce((a, b) => a + b, 0)), 200)
      try {
        const r = await exportPackage(this.ctx, {
          path,
          full,
          plan,
          userId: owner.userId,
          counts,
          confirmPersonal,
          signal: job.controller.signal,
          onProgress: (bytes) => (job.view.bytes = bytes),
        })
        job.view.rowsDone = rowsTotal
        job.view.exported = { sequence: r.sequence, digest: r.digest, size: r.size, counts: r.counts }
        // What left the office: the parts, and the rows of personal data by table.
        return [
          `package:${r.id}`,
          `sequence:${r.sequence}`,
          `digest:${r.digest.slice(0, 16)}`,
          `full:${full}`,
          `parts:${r.parts.join(',')}`,
          ...Object.entries(r.personal).map(([table, n]) => `personal:${table}=${n}`),
        ]
      } finally {
        clearInterval(poll)
      }
    })
    return job.view
  }

  startImport(owner: JobOwner, path: string): ExchangeJob {
    const job = this.create(owner, 'import', path, 0)
    job.done = this.run(job, 'job:package-import', async () => {
      await this.beforeImport()
      const r = await importPackage(this.ctx, { path, userId: owner.userId, signal: job.controller.signal })
      job.view.imported = {
        alreadyImported: r.alreadyImported,
        kind: r.kind,
        sequence: r.sequence,
        senderName: r.senderName,
        counts: r.counts,
        changes: r.changes,
        warnings: r.warnings,
      }
      return [
        `kind:${r.kind}`,
        `sequence:${r.sequence}`,
        `digest:${r.digest.slice(0, 16)}`,
        ...(r.alreadyImported ? ['already-imported'] : []),
      ]
    })
    return job.view
  }

  get(owner: JobOwner, id: string): ExchangeJob {
    return this.jobs.find(owner, id).view
  }

  cancel(owner: JobOwner, id: string): ExchangeJob {
    const job = this.jobs.find(owner, id)
    job.controller.abort()
    return job.view
  }

  async stopAll(): Promise<void> {
    for (const job of this.jobs.all()) job.controller.abort()
    await Promise.allSettled(this.jobs.all().map((j) => j.done))
  }

  private create(owner: JobOwner, direction: ExchangeJob['direction'], path: string, rowsTotal: number): Job {
    if (this.jobs.all().some((j) => j.view.state === 'running'))
      throw new AppError(ErrorCode.InvalidState, 'a package job is running', { reason: 'job_running' })
    const job: Job = {
      view: {
        id: randomUUID(),
        direction,
        state: 'running',
        fileName: basename(path),
        rowsDone: 0,
        rowsTotal,
        bytes: 0,
        exported: null,
        imported: null,
        error: null,
      },
      owner,
      controller: new AbortController(),
      finishedAt: null,
      done: Promise.resolve(),
    }
    return this.jobs.add(job.view.id, job)
  }

  private async run(job: Job, procedure: string, work: () => Promise<string[]>): Promise<void> {
    await Promise.resolve() // let the caller return the view before the work starts
    let result = 'ok'
    let affected: string[] = [`file:${job.view.fileName}`]
    // The job shows as finished only once its audit row is written: whoever polls it sees the log complete.
    let state: ExchangeJob['state'] = 'done'
    try {
      affected = [...affected, ...(await work())]
    } catch (err) {
      const cancelled = err instanceof AppError && err.code === ErrorCode.Cancelled
      state = cancelled ? 'cancelled' : 'failed'
      if (err instanceof AppError) {
        job.view.error = { code: err.code, message: err.message, details: err.details as Record<string, unknown> | undefined }
        result =
          err.details && typeof (err.details as { reason?: unknown }).reason === 'string'
            ? `${err.code}:${(err.details as { reason: string }).reason}`
            : err.code
      } else {
        const incidentId = randomUUID().slice(0, 8)
        this.logger.error('package.failed', { incidentId, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
        job.view.error = { code: ErrorCode.Internal, message: 'internal error', details: { incidentId } }
        result = ErrorCode.Internal
      }
    } finally {
      job.finishedAt = this.ctx.clock.now()
    }
    await appendAudit(this.ctx.db, {
      at: this.ctx.clock.now(),
      actorUserId: job.owner.userId,
      actorName: job.owner.username,
      procedure,
      affectedIds: affected,
      result,
    }).catch((e) => this.logger.error('audit.append-failed', { procedure, error: String(e) }))
    job.view.state = state
  }
}
