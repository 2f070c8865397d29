// Opens the data folder's database the way the app and the CLI both must: refuse a file that is
// corrupt or was written by a newer app, copy it aside before migrating, then migrate.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { createDb } from '../../../db/connection'
import { migrations } from '../../../db/migrations'
import { AppError } from './app-error'
import { ErrorCode } from '../../contract/errors'
import { ensurePrivateDir, makePrivate } from './private-files'
import { lockDataDir } from './data-dir-lock'
import { recoverInterruptedRestore } from '../backup/restore-journal'
import { openAuditTrail } from '../audit/audit-chain'
import { recordIncidents } from '../audit/audit-log'

export const DB_FILE = 'credit-desk.sqlite'
export const BACKUP_DIR = 'backups'
const KEEP_BACKUPS = 10

export interface OpenedDatabase {
  db: Knex
  file: string
  /** The copy taken before this start's migrations, if any ran. */
  backupPath: string | null
  applied: string[]
}

export interface OpenOptions {
  /**
   * Runs after the plain pre-migration copy, before the migrations, on the old schema: the app takes an encrypted
   * backup here (compose.ts). A failure is logged by the caller and does not stop the start.
   */
  beforeMigrate?: (db: Knex) => Promise<void>
  /**
   * A command that only reads (a report on the command line): the whole-file quick_check is left out when no
   * migration is due — it reads every page (3 s at a million records) and protects writes; a damaged page a read
   * touches is still reported by SQLite itself.
   */
  readOnly?: boolean
}

export async function openDatabase(dataDir: string, now: Date = new Date(), options: OpenOptions = {}): Promise<OpenedDatabase> {
  recoverInterruptedRestore(dataDir)
  ensurePrivateDir(dataDir)
  lockDataDir(dataDir)
  const file = join(dataDir, DB_FILE)
  const existed = existsSync(file)
  // An empty file is not a new installation: something truncated the database, and starting afresh over it would
  // hide that. (SQLite itself would open it as an empty database.)
  if (existed && statSync(file).size === 0)
    throw new AppError(ErrorCode.DbCorrupt, 'database file is empty', { backup: latestBackup(dataDir) })
  const db = createDb(file)
  try {
    await db.raw('SELECT 1') // opens the file (and its WAL), so that all three can be made owner-only
    makePrivate(file, `${file}-wal`, `${file}-shm`)
    if (existed) await assertHealthy(db, dataDir, options.readOnly === true && (await pendingMigrations(db)).length === 0)
    // We hold the data folder: a migration lock still set was left by a start that died mid-migration (each
    // migration ran in its own transaction, so nothing half-done remains).
    if (existed && (await db.schema.hasTable('knex_migrations_lock'))) await db.migrate.forceFreeMigrationsLock()
    const pending = await pendingMigrations(db)
    let backupPath: string | null = null
    if (existed && pending.length > 0 && (await hasTables(db))) {
      backupPath = await backupDatabase(db, dataDir, 'before-migrate', now)
      await options.beforeMigrate?.(db)
    }
    const [, applied]: [number, string[]] = await db.migrate.latest()
    if (applied.includes(BIRTH_DATE_DROPPED)) await scrubBackupBirthDates(dataDir)
    await recordIncidents(db, await openAuditTrail(db, dataDir), now.getTime())
    return { db, file, backupPath, applied }
  } catch (err) {
    await db.destroy()
    throw classifyOpenError(err, dataDir)
  }
}

async function assertHealthy(db: Knex, dataDir: string, skipPageCheck: boolean): Promise<void> {
  const rows: Array<{ quick_check: string }> = skipPageCheck ? [{ quick_check: 'ok' }] : await db.raw('PRAGMA quick_check')
  if (rows[0]?.quick_check !== 'ok') {
    throw new AppError(ErrorCode.DbCorrupt, 'quick_check failed', { backup: latestBackup(dataDir) })
  }
  if (!(await db.schema.hasTable('knex_migrations'))) return
  const applied: string[] = await db('knex_migrations').pluck('name')
  const unknown = applied.filter((name) => !(name in migrations))
  if (unknown.length > 0) {
    throw new AppError(ErrorCode.DbNewerThanApp, 'database has migrations this app does not know', {
      unknownMigrations: unknown,
      backup: latestBackup(dataDir),
    })
  }
}

async function pendingMigrations(db: Knex): Promise<string[]> {
  const done = (await db.schema.hasTable('knex_migrations')) ? await db<{ name: string }>('knex_migrations').pluck('name') : []
  return Object.keys(migrations).filter((name) => !done.includes(name))
}

async function hasTables(db: Knex): Promise<boolean> {
  const rows: Array<{ n: number }> = await db.raw("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'")
  return (rows[0]?.n ?? 0) > 0
}

/** A consistent copy (VACUUM INTO reads through the WAL), named by time and reason; keeps the newest few. */
export async function backupDatabase(db: Knex, dataDir: string, reason: string, now: Date = new Date()): Promise<string> {
  const dir = join(dataDir, BACKUP_DIR)
  ensurePrivateDir(dir)
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  const path = join(dir, `credit-desk-${stamp}-${reason}.sqlite`)
  if (existsSync(path)) rmSync(path)
  await db.raw('VACUUM INTO ?', [path])
  makePrivate(path)
  const old = listBackups(dataDir).slice(0, -KEEP_BACKUPS)
  for (const name of old) rmSync(join(dir, name), { force: true })
  return path
}

const BIRTH_DATE_DROPPED = '20261201100000_sensitive_fields'

/**
 * Backups taken before that migration hold people.birth_date, which with the masked number gives the ID number
 * back. They stay restorable by the older app (the column is kept, emptied); the space it held is rewritten.
 */
async function scrubBackupBirthDates(dataDir: string): Promise<void> {
  for (const name of listBackups(dataDir)) {
    const copy = createDb(join(dataDir, BACKUP_DIR, name))
    try {
      const columns: Array<{ name: string }> = await copy.raw("SELECT name FROM pragma_table_info('people')")
      if (!columns.some((c) => c.name === 'birth_date')) continue
      // A backup has the schema of its day, not the one db/tables.ts describes.
      await copy<Record<string, unknown>>('people').update({ birth_date: '' })
      await copy.raw('VACUUM')
      await copy.raw('PRAGMA wal_checkpoint(TRUNCATE)')
    } finally {
      await copy.destroy()
    }
  }
}

function listBackups(dataDir: string): string[] {
  const dir = join(dataDir, BACKUP_DIR)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((n) => n.endsWith('.sqlite'))
    .sort()
}

function latestBackup(dataDir: string): string | null {
  const names = listBackups(dataDir)
  return names.length ? join(dataDir, BACKUP_DIR, names[names.length - 1]!) : null
}

function classifyOpenError(err: unknown, dataDir: string): unknown {
  if (err instanceof AppError) return err
  const code = (err as { code?: string }).code
  // knex's own migration lock, left set by a start that died mid-migration or held by another process migrating.
  const migrationLocked = err instanceof Error && err.name === 'MigrationLocked'
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || migrationLocked) {
    return new AppError(ErrorCode.DbLocked, 'database is locked by another process', { backup: latestBackup(dataDir) })
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new AppError(ErrorCode.DbCorrupt, 'not a valid database file', { backup: latestBackup(dataDir) })
  }
  return err
}
