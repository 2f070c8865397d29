// How many backups the data folder keeps, when the administrator is reminded to take one to removable media, and when
// the last ones were taken. Keys and defaults here and nowhere else.
import type { Knex } from 'knex'

const KEYS = {
  keep: 'backup_keep',
  remindDays: 'backup_remind_days',
  lastRemovableAt: 'backup_last_removable_at',
  lastAutoAt: 'backup_last_auto_at',
} as const

export const DEFAULT_BACKUP_SETTINGS = { keep: 10, remindDays: 7 }

export interface BackupSettings {
  keep: number
  remindDays: number
  lastRemovableAt: number | null
  lastAutoAt: number | null
}

export async function getBackupSettings(db: Knex): Promise<BackupSettings> {
  const rows = await db('settings').whereIn('key', Object.values(KEYS)).select('key', 'value')
  const value = (key: string) => rows.find((r) => r.key === key)?.value
  const num = (key: string) => (value(key) === undefined ? null : Number(value(key)))
  return {
    keep: num(KEYS.keep) ?? DEFAULT_BACKUP_SETTINGS.keep,
    remindDays: num(KEYS.remindDays) ?? DEFAULT_BACKUP_SETTINGS.remindDays,
    lastRemovableAt: num(KEYS.lastRemovableAt),
    lastAutoAt: num(KEYS.lastAutoAt),
  }
}

async function put(db: Knex, key: string, value: number): Promise<void> {
  await db('settings')
    .insert({ key, value: String(value) })
    .onConflict('key')
    .merge()
}

export async function saveBackupSettings(db: Knex, input: { keep: number; remindDays: number }): Promise<void> {
  await db.transaction(async (trx) => {
    await put(trx, KEYS.keep, input.keep)
    await put(trx, KEYS.remindDays, input.remindDays)
  })
}

export const markRemovableBackup = (db: Knex, at: number) => put(db, KEYS.lastRemovableAt, at)
export const markAutoBackup = (db: Knex, at: number) => put(db, KEYS.lastAutoAt, at)

/** Whether the administrator should be told to take a backup to removable media (none yet, or too long ago). */
export function removableBackupOverdue(s: BackupSettings, now: number): boolean {
  return s.lastRemovableAt === null || now - s.lastRemovableAt > s.remindDays * 86_400_000
}
