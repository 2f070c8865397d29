// Composition root shared by the Electron shell and the end-to-end harness: open the data folder's
// database (backup, guards, migrations), then wire the router over the real handlers. No Electron here.
import type { Knex } from 'knex'
import { SessionStore } from '../core/accounts/session-store'
import { systemClock, type Clock } from '../core/shared/clock'
import { openDatabase } from '../core/shared/open-database'
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
}

export async function createBackend(opts: BackendOptions): Promise<Backend> {
  const { db, backupPath } = await openDatabase(opts.dataDir)
  const logger = opts.logger ?? fileLogger(opts.dataDir)
  const dispatch = createRouter(handlers, {
    db,
    clock: opts.clock ?? systemClock,
    sessions: new SessionStore(),
    platform: opts.platform,
    logger,
    isTrustedSender: opts.isTrustedSender,
  })
  return { db, dispatch, backupPath, close: () => db.destroy() }
}
