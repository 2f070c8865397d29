// 备份到U盘 as a background job the renderer polls (progress, cancel), one at a time. The outcome goes to the audit
// log, and a backup that reached the stick is remembered for the "last backup to removable media" reminder.
import { randomUUID } from 'node:crypto'
import { basename } from 'node:path'
import type { Knex } from 'knex'
import { ErrorCode } from '../contract/errors'
import type { BackupJob } from '../contract/schemas/backup'
import { appendAudit } from '../core/audit/audit-log'
import { loadBackupKey } from '../core/backup/backup-key'
import { markRemovableBackup } from '../core/backup/backup-settings'
import { createBackup } from '../core/backup/backups'
import type { KeyProtector } from '../core/security/key-store'
import { AppError } from '../core/shared/app-error'
import { APP_VERSION } from '../core/shared/app-version'
import type { Clock } from '../core/shared/clock'
import { JobRegistry, type JobOwner, type OwnedJob } from './job-registry'
import type { Logger } from './logger'

interface Job extends OwnedJob {
  view: BackupJob
  controller: AbortController
  done: Promise<void>
}

export interface BackupJobDeps {
  db: Knex
  dataDir: string
  protector: KeyProtector
  clock: Clock
  logger: Logger
}

export class BackupJobs {
  private readonly jobs: JobRegistry<Job>

  constructor(private readonly deps: BackupJobDeps) {
    this.jobs = new JobRegistry(() => deps.clock.now(), 'backup job')
  }

  /** Refused before any dialog when no passphrase is set: there would be nothing to encrypt with. */
  requireKey() {
    const key = loadBackupKey(this.deps.dataDir, this.deps.protector)
    if (!key) throw new AppError(ErrorCode.InvalidState, 'no backup passphrase', { reason: 'no_passphrase' })
    return key
  }

  start(owner: JobOwner, path: string): BackupJob {
    const key = this.requireKey()
    if (this.jobs.all().some((j) => j.view.state === 'running'))
      throw new AppError(ErrorCode.InvalidState, 'a backup is running', { reason: 'job_running' })
    const job: Job = {
      view: { id: randomUUID(), state: 'running', fileName: basename(path), bytes: 0, totalBytes: 0, done: null, error: null },
      owner,
      controller: new AbortController(),
      finishedAt: null,
      done: Promise.resolve(),
    }
    this.jobs.add(job.view.id, job)
    job.done = this.run(job, async () => {
      const r = await createBackup({
        db: this.deps.db,
        dataDir: this.deps.dataDir,
        protector: this.deps.protector,
        key,
        to: path,
        reason: 'manual',
        app: APP_VERSION,
        now: new Date(this.deps.clock.now()),
        signal: job.controller.signal,
        onProgress: (bytes, total) => Object.assign(job.view, { bytes, totalBytes: total }),
      })
      const rows = Object.values(r.counts).reduce((a, b) => a + b, 0)
      job.view.done = { size: r.size, createdAt: r.createdAt, attachments: r.attachments, rows }
      await markRemovableBackup(this.deps.db, this.deps.clock.now())
      return [`size:${r.size}`, `rows:${rows}`, `attachments:${r.attachments}`]
    })
    return { ...job.view }
  }

  get(owner: JobOwner, id: string): BackupJob {
    return { ...this.jobs.find(owner, id).view }
  }

  cancel(owner: JobOwner, id: string): BackupJob {
    const job = this.jobs.find(owner, id)
    job.controller.abort()
    return { ...job.view }
  }

  async stopAll(): Promise<void> {
    for (const job of this.jobs.all()) job.controller.abort()
    await Promise.allSettled(this.jobs.all().map((j) => j.done))
  }

  private async run(job: Job, work: () => Promise<string[]>): Promise<void> {
    await Promise.resolve() // the caller returns the view before the work starts
    let result = 'ok'
    let affected = [`file:${job.view.fileName}`]
    let state: BackupJob['state'] = 'done'
    try {
      affected = [...affected, ...(await work())]
    } catch (err) {
      const cancelled = err instanceof AppError && err.code === ErrorCode.Cancelled
      state = cancelled ? 'cancelled' : 'failed'
      if (err instanceof AppError) {
        job.view.error = { code: err.code, message: err.message, details: err.details }
        result = err.code
      } else {
        const incidentId = randomUUID().slice(0, 8)
        this.deps.logger.error('backup.failed', { incidentId, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
        job.view.error = { code: ErrorCode.Internal, message: 'internal error', details: { incidentId } }
        result = ErrorCode.Internal
      }
    } finally {
      job.finishedAt = this.deps.clock.now()
    }
    const { owner } = job
    await appendAudit(this.deps.db, {
      at: this.deps.clock.now(),
      actorUserId: owner.userId,
      actorName: owner.username,
      procedure: 'job:backup-export',
      affectedIds: affected,
      result,
    }).catch((e) => this.deps.logger.error('audit.append-failed', { procedure: 'job:backup-export', error: String(e) }))
    job.view.state = state
  }
}
