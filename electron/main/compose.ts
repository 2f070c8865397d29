// Composition root shared by the Electron shell and the end-to-end harness: open the data folder's
// database (backup, guards, migrations), load the field keys, then wire the router over the real
// handlers. No Electron here.
import type { Knex } from 'knex'
import { basename } from 'node:path'
import { contract, ErrorCode, type Envelope } from '../contract'
import { AppError } from '../core/shared/app-error'
import { SessionStore } from '../core/accounts/session-store'
import { logSessionEnd } from '../core/audit/audit-log'
import { LoginResult } from '../contract/schemas/audit'
import { beijingDate } from '../core/catalog/record-context'
import { loadFieldKeys, noProtector, type KeyProtector } from '../core/security/key-store'
import { systemClock, type Clock } from '../core/shared/clock'
import { openDatabase } from '../core/shared/open-database'
import { sealLegacySensitiveValues } from '../core/catalog/sensitive-values'
import { ImportJobs } from './import-jobs'
import { ExchangeJobs } from './exchange-jobs'
import { BackupJobs } from './backup-jobs'
import { setBackupPassphrase } from '../core/backup/backup-key'
import { commitRestore, recordRestore, stageRestore } from '../core/backup/backups'
import { backupIntoDataFolder, dailyBackupIfDue } from '../core/backup/daily-backup'
import { APP_VERSION } from '../core/shared/app-version'
import { unlockDataDir } from '../core/shared/data-dir-lock'
import { handlers } from './ipc/handlers'
import { createRouter, type Dispatch } from './ipc/router'
import type { BackupServices, Sender } from './ipc/context'
import { fileLogger, type Logger } from './logger'
import type { Platform } from './platform'

export interface Backend {
  db: Knex
  dispatch: Dispatch
  backupPath: string | null
  close(): Promise<void>
}

export interface BackendOptions {
  dataDir: string
  platform: Platform
  isTrustedSender(sender: Sender): boolean
  clock?: Clock
  logger?: Logger
  /** How the key file's secret is wrapped: the OS store in the desktop app; none elsewhere. */
  keyProtector?: KeyProtector
  /** Take the daily backup while running (the desktop app); tests and the harness leave it off. */
  dailyBackup?: boolean
}

const HOUR_MS = 3600_000

/** One opening of the data folder: database, keys, jobs, router. A restore closes it and opens the next. */
interface Opened {
  db: Knex
  dispatch: Dispatch
  backupPath: string | null
  close(): Promise<void>
}

async function openFolder(opts: BackendOptions, restore: BackupServices['restore']): Promise<Opened> {
  const clock = opts.clock ?? systemClock
  const logger = opts.logger ?? fileLogger(opts.dataDir)
  const protector = opts.keyProtector ?? noProtector
  // An upgrade is a change like any other: with a passphrase set, an encrypted backup is taken before it.
  const beforeMigrate = (old: Knex) =>
    backupIntoDataFolder({ db: old, dataDir: opts.dataDir, protector, app: APP_VERSION }, 'before-migrate', new Date(clock.now()))
      .then(() => undefined)
      .catch((err: unknown) => logger.error('backup.before-migrate-failed', { error: err instanceof Error ? err.message : String(err) }))
  const { db, backupPath } = await openDatabase(opts.dataDir, undefined, { beforeMigrate })
  let keys
  try {
    keys = await loadFieldKeys(db, opts.dataDir, protector)
    await sealLegacySensitiveValues(db, keys)
  } catch (err) {
    await db.destroy()
    throw err
  }
  const today = () => beijingDate(clock.now())
  const importJobs = new ImportJobs({ db, dataDir: opts.dataDir, keys, clock, logger, today })
  const autoBackup = { db, dataDir: opts.dataDir, protector, app: APP_VERSION }
  const exchangeJobs = new ExchangeJobs({ db, keys, dataDir: opts.dataDir, clock }, logger, () =>
    backupIntoDataFolder(autoBackup, 'before-import', new Date(clock.now())),
  )
  const backupJobs = new BackupJobs({ db, dataDir: opts.dataDir, protector, clock, logger })
  const sessions = new SessionStore()
  const dispatch = createRouter(handlers, {
    db,
    clock,
    sessions,
    platform: opts.platform,
    services: { keys, importJobs, exchangeJobs, today, dataDir: opts.dataDir, backups: { jobs: backupJobs, protector, restore } },
    logger,
    isTrustedSender: opts.isTrustedSender,
  })
  return {
    db,
    dispatch,
    backupPath,
    close: async () => {
      await importJobs.stopAll()
      await exchangeJobs.stopAll()
      await backupJobs.stopAll()
      // Whoever is still signed in when the app closes (or a restore swaps the folder) gets a session end.
      await logSessionEnd(db, sessions.endAll(), clock.now(), LoginResult.SessionEnd).catch((err: unknown) =>
        logger.error('audit.session-end-failed', { error: err instanceof Error ? err.message : String(err) }),
      )
      await db.destroy()
    },
  }
}

/** Start failures a backup can mend: the database is damaged, or the keys that open it are gone or foreign. */
const RECOVERABLE = new Set<string>([ErrorCode.DbCorrupt, ErrorCode.KeysMissing, ErrorCode.KeysMismatch])

/**
 * What the app answers when its data folder would not open: who-am-I (saying what is wrong) and a restore from a
 * chosen backup; everything else is refused with the problem's own code. No database is open.
 */
function recoveryMode(opts: BackendOptions, problem: AppError, restore: BackupServices['restore']): Opened {
  const refuse = (code: ErrorCode, details?: Record<string, unknown>): Envelope<unknown> => ({
    ok: false,
    error: { code, message: code, details },
  })
  const dispatch: Dispatch = async (sender, name, input) => {
    if (!opts.isTrustedSender(sender)) return refuse(ErrorCode.UntrustedSender)
    if (name === 'auth:me') {
      const me = {
        setupDone: true,
        orgName: null,
        user: null,
        locked: false,
        idleLockMinutes: 15,
        recovery: { problem: problem.code, dataDir: opts.dataDir },
      }
      return { ok: true, data: contract['auth:me'].output.parse(me) }
    }
    if (name !== 'recovery:restore') return refuse(problem.code)
    const parsed = contract['recovery:restore'].input.safeParse(input)
    if (!parsed.success) return refuse(ErrorCode.Validation)
    try {
      const path = await opts.platform.chooseOpenPath({
        title: '选择信用通备份文件（.cdbak）',
        filters: [{ name: '信用通备份', extensions: ['cdbak'] }],
      })
      if (!path) return { ok: true, data: { cancelled: true, fileName: null, createdAt: null, counts: {}, attachments: 0, previous: null } }
      const summary = await restore(path, parsed.data.passphrase, 'recovery')
      return { ok: true, data: contract['recovery:restore'].output.parse({ cancelled: false, fileName: basename(path), ...summary }) }
    } catch (err) {
      if (err instanceof AppError) return refuse(err.code, err.details)
      ;(opts.logger ?? fileLogger(opts.dataDir)).error('recovery.failed', { error: err instanceof Error ? err.message : String(err) })
      return refuse(ErrorCode.Internal)
    }
  }
  return {
    get db(): Knex {
      throw problem
    },
    dispatch,
    backupPath: null,
    close: async () => undefined,
  }
}

export async function createBackend(opts: BackendOptions): Promise<Backend> {
  const clock = opts.clock ?? systemClock
  const protector = opts.keyProtector ?? noProtector
  let current: Opened
  /**
   * Replaces the data folder with a backup's contents: verified and staged while the app keeps running, then the
   * folder is closed, swapped (the old one kept beside it) and opened again. Every session ends with it.
   */
  const restore: BackupServices['restore'] = async (file, passphrase, actor) => {
    const staged = await stageRestore({ file, dataDir: opts.dataDir, passphrase })
    await current.close()
    unlockDataDir(opts.dataDir)
    const summary = commitRestore(staged, opts.dataDir, new Date(clock.now()))
    current = await openFolder(opts, restore)
    await recordRestore(current.db, summary, file, actor, clock.now())
    await setBackupPassphrase(opts.dataDir, protector, passphrase, passphrase, new Date(clock.now()))
    return summary
  }
  try {
    current = await openFolder(opts, restore)
  } catch (err) {
    // A damaged database or lost keys: the app still starts, offering only a restore from a backup.
    if (!(err instanceof AppError) || !RECOVERABLE.has(err.code)) throw err
    current = recoveryMode(opts, err, restore)
  }
  const runDaily = () =>
    dailyBackupIfDue({ db: current.db, dataDir: opts.dataDir, protector, app: APP_VERSION }, new Date(clock.now())).catch((err: unknown) =>
      (opts.logger ?? fileLogger(opts.dataDir)).error('backup.daily-failed', { error: err instanceof Error ? err.message : String(err) }),
    )
  // A few minutes after start (not while the window is opening), then every hour: the backup runs once a day.
  const timers = opts.dailyBackup ? [setTimeout(runDaily, 3 * 60_000), setInterval(runDaily, HOUR_MS)] : []
  for (const t of timers) t.unref()
  return {
    get db() {
      return current.db
    },
    dispatch: (sender, name, input) => current.dispatch(sender, name, input),
    get backupPath() {
      return current.backupPath
    },
    close: () => {
      for (const t of timers) clearTimeout(t)
      return current.close()
    },
  }
}
