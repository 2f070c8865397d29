// The automatic backup: once a day while the app runs (and before a package import), into the data folder's backups/,
// keeping the configured number of generations. It needs the stored backup key: until a passphrase is set there is
// nothing to encrypt with, and nothing is written.
import { join } from 'node:path'
import type { Knex } from 'knex'
import { appendAudit } from '../audit/audit-log'
import type { KeyProtector } from '../security/key-store'
import { BACKUP_DIR } from '../shared/open-database'
import { loadBackupKey } from './backup-key'
import { getBackupSettings, markAutoBackup } from './backup-settings'
import { BACKUP_EXTENSION, createBackup, pruneBackups, type BackupSummary } from './backups'
import type { BackupHeader } from './backup-file'

const DAY_MS = 86_400_000

export interface AutoBackupContext {
  db: Knex
  dataDir: string
  protector: KeyProtector
  app: string
}

/** A backup into backups/ now (daily, before an import …); null when no passphrase is set. */
export async function backupIntoDataFolder(
  ctx: AutoBackupContext,
  reason: BackupHeader['reason'],
  now: Date,
): Promise<BackupSummary | null> {
  const key = loadBackupKey(ctx.dataDir, ctx.protector)
  if (!key) return null
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  const to = join(ctx.dataDir, BACKUP_DIR, `credit-desk-${stamp}-${reason}.${BACKUP_EXTENSION}`)
  const summary = await createBackup({ db: ctx.db, dataDir: ctx.dataDir, protector: ctx.protector, key, to, reason, app: ctx.app, now })
  const { keep } = await getBackupSettings(ctx.db)
  pruneBackups(ctx.dataDir, keep)
  await appendAudit(ctx.db, {
    at: now.getTime(),
    actorUserId: null,
    actorName: 'system',
    procedure: `system:backup-${reason}`,
    affectedIds: [`file:${stamp}`, `size:${summary.size}`],
    result: 'ok',
  })
  return summary
}

/** Takes the day's backup if the last automatic one is a day old (or there is none). */
export async function dailyBackupIfDue(ctx: AutoBackupContext, now: Date): Promise<BackupSummary | null> {
  const { lastAutoAt } = await getBackupSettings(ctx.db)
  if (lastAutoAt !== null && now.getTime() - lastAutoAt < DAY_MS) return null
  const summary = await backupIntoDataFolder(ctx, 'daily', now)
  if (summary) await markAutoBackup(ctx.db, now.getTime())
  return summary
}
