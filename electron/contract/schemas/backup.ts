import { z } from 'zod'
import { TimestampMs } from './common'

const Counts = z.record(z.string(), z.number().int())

export const BackupStatus = z.object({
  /** A 备份口令 is set in this data folder (the daily backup can run). */
  passphraseSet: z.boolean(),
  passphraseSetAt: z.string().nullable(),
  keep: z.number().int(),
  remindDays: z.number().int(),
  lastRemovableAt: TimestampMs.nullable(),
  lastAutoAt: TimestampMs.nullable(),
  /** The administrator should take a backup to removable media (none yet, or older than remindDays). */
  removableOverdue: z.boolean(),
  /** Backups kept in the data folder, newest first. */
  kept: z.array(z.object({ fileName: z.string(), size: z.number(), takenAt: TimestampMs })),
  installation: z.object({ orgName: z.string(), regionCode: z.string(), fieldKeyFingerprint: z.string(), dataDir: z.string() }),
})
export type BackupStatus = z.infer<typeof BackupStatus>

export const PassphraseInput = z.object({ passphrase: z.string().max(200), repeat: z.string().max(200) })
export const BackupSettingsInput = z.object({ keep: z.number().int().min(1).max(60), remindDays: z.number().int().min(1).max(90) })

const JobError = z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() })
export const BackupJob = z.object({
  id: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  fileName: z.string(),
  bytes: z.number(),
  totalBytes: z.number(),
  done: z.object({ size: z.number(), createdAt: z.string(), attachments: z.number().int(), rows: z.number().int() }).nullable(),
  error: JobError.nullable(),
})
export type BackupJob = z.infer<typeof BackupJob>
export const BackupJobInput = z.object({ jobId: z.string().uuid() })
export const BackupStartResult = z.object({ job: BackupJob.nullable() })

export const RestoreInput = z.object({ passphrase: z.string().min(1).max(200) })
export const RestoreResult = z.object({
  cancelled: z.boolean(),
  fileName: z.string().nullable(),
  createdAt: z.string().nullable(),
  counts: Counts,
  attachments: z.number().int(),
  /** Where the data that was there before now is. */
  previous: z.string().nullable(),
})
