// 备份与恢复 for the administrator: the passphrase, the settings, a backup to removable media (a job), a restore.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { loadBackupKey, setBackupPassphrase } from '../../../core/backup/backup-key'
import { getBackupSettings, removableBackupOverdue, saveBackupSettings } from '../../../core/backup/backup-settings'
import { BACKUP_EXTENSION } from '../../../core/backup/backups'
import { fieldKeyFingerprint } from '../../../core/security/key-store'
import { BACKUP_DIR } from '../../../core/shared/open-database'
import { getSettings } from '../../../core/system/settings'
import type { CallContext } from '../context'
import { jobOwner, ok, type HandlersOf } from './shared'

const BACKUP_FILTER = [{ name: '信用通备份', extensions: [BACKUP_EXTENSION] }]

/** Asks for the backup file, then restores it (the folder is swapped and re-opened; every session ends). */
export async function restoreChosenBackup(ctx: CallContext, passphrase: string, actor: string) {
  const path = await ctx.platform.chooseOpenPath({ title: '选择信用通备份文件（.cdbak）', filters: BACKUP_FILTER })
  if (!path) return { cancelled: true, fileName: null, createdAt: null, counts: {}, attachments: 0, previous: null }
  const summary = await ctx.services.backups.restore(path, passphrase, actor)
  return { cancelled: false, fileName: basename(path), ...summary }
}

function keptBackups(dataDir: string) {
  const dir = join(dataDir, BACKUP_DIR)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((n) => n.endsWith(`.${BACKUP_EXTENSION}`) && !n.startsWith('.'))
    .map((fileName) => {
      const s = statSync(join(dir, fileName))
      return { fileName, size: s.size, takenAt: s.mtimeMs }
    })
    .sort((a, b) => b.takenAt - a.takenAt)
}

export const backupHandlers: HandlersOf<'backup'> = {
  'backup:status': async (_i, ctx) => {
    const key = loadBackupKey(ctx.services.dataDir, ctx.services.backups.protector)
    const settings = await getBackupSettings(ctx.db)
    const office = await getSettings(ctx.db)
    return {
      passphraseSet: key !== null,
      passphraseSetAt: key?.setAt ?? null,
      ...settings,
      removableOverdue: removableBackupOverdue(settings, ctx.clock.now()),
      kept: keptBackups(ctx.services.dataDir),
      installation: {
        orgName: office.orgName,
        regionCode: office.regionCode,
        fieldKeyFingerprint: await fieldKeyFingerprint(ctx.db),
        dataDir: ctx.services.dataDir,
      },
    }
  },
  'backup:set-passphrase': async ({ passphrase, repeat }, ctx) => {
    const key = await setBackupPassphrase(
      ctx.services.dataDir,
      ctx.services.backups.protector,
      passphrase,
      repeat,
      new Date(ctx.clock.now()),
    )
    ctx.affected.push(`backup-key:${key.check.slice(0, 8)}`)
    return ok
  },
  'backup:save-settings': async (input, ctx) => {
    await saveBackupSettings(ctx.db, input)
    ctx.affected.push(`keep:${input.keep}`, `remind-days:${input.remindDays}`)
    return ok
  },
  'backup:export-start': async (_i, ctx) => {
    ctx.services.backups.jobs.requireKey() // before the dialog: without a passphrase there is nothing to write
    const office = await getSettings(ctx.db)
    const name = `${office.regionCode || 'county'}-信用通备份-${ctx.services.today()}.${BACKUP_EXTENSION}`
    const path = await ctx.platform.chooseSavePath({ title: '备份到U盘（选择保存位置）', defaultName: name, filters: BACKUP_FILTER })
    if (!path) return { job: null }
    const job = ctx.services.backups.jobs.start(jobOwner(ctx), path)
    ctx.affected.push(`backup-job:${job.id}`)
    return { job }
  },
  'backup:job': async ({ jobId }, ctx) => ctx.services.backups.jobs.get(jobOwner(ctx), jobId),
  'backup:cancel': async ({ jobId }, ctx) => ctx.services.backups.jobs.cancel(jobOwner(ctx), jobId),
  'backup:restore': async ({ passphrase }, ctx) => restoreChosenBackup(ctx, passphrase, ctx.session!.username),
}
