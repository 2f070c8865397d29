// Composition root shared by the Electron shell and the end-to-end harness: open the data folder's
// database (backup, guards, migrations), load the field keys, then wire the router over the real
// handlers. No Electron here.
import type { Knex } from 'knex'
import { SessionStore } from '../core/accounts/session-store'
import { beijingDate } from '../core/catalog/record-context'
import { loadFieldKeys, noProtector, type KeyProtector } from '../core/security/key-store'
import { systemClock, type Clock } from '../core/shared/clock'
import { openDatabase } from '../core/shared/open-database'
import { sealLegacySensitiveValues } from '../core/catalog/sensitive-values'
import { ImportJobs } from './import-jobs'
import { ExchangeJobs } from './exchange-jobs'
import { handlers } from './ipc/handlers'
import { createRouter, type Dispatch } from './ipc/router'
import type { Sender } from './ipc/context'
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
}

export async function createBackend(opts: BackendOptions): Promise<Backend> {
  const { db, backupPath } = await openDatabase(opts.dataDir)
  const clock = opts.clock ?? systemClock
  const logger = opts.logger ?? fileLogger(opts.dataDir)
  let keys
  try {
    keys = await loadFieldKeys(db, opts.dataDir, opts.keyProtector ?? noProtector)
    await sealLegacySensitiveValues(db, keys)
  } catch (err) {
    await db.destroy()
    throw err
  }
  const today = () => beijingDate(clock.now())
  const importJobs = new ImportJobs({ db, dataDir: opts.dataDir, keys, clock, logger, today })
  const exchangeJobs = new ExchangeJobs({ db, keys, dataDir: opts.dataDir, clock }, logger)
  const dispatch = createRouter(handlers, {
    db,
    clock,
    sessions: new SessionStore(),
    platform: opts.platform,
    services: { keys, importJobs, exchangeJobs, today, dataDir: opts.dataDir },
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
      await db.destroy()
    },
  }
}
