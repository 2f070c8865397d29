import type { Knex } from 'knex'
import type { Output, ParsedInput, ProcedureName } from '../../contract'
import type { Session, SessionStore } from '../../core/accounts/session-store'
import type { Clock } from '../../core/shared/clock'
import type { FieldKeys } from '../../core/security/field-crypto'
import type { ExchangeJobs } from '../exchange-jobs'
import type { ImportJobs } from '../import-jobs'
import type { BackupJobs } from '../backup-jobs'
import type { RestoreSummary } from '../../core/backup/backups'
import type { KeyProtector } from '../../core/security/key-store'
import type { Platform } from '../platform'

/** Long-lived services of the backend that handlers use beyond the database. */
export interface Services {
  /** Field keys of this data folder (ID numbers are sealed and blind-indexed with them). */
  keys: FieldKeys
  importJobs: ImportJobs
  exchangeJobs: ExchangeJobs
  /** The data folder (attachments live under it). */
  dataDir: string
  /** Today's office date (Beijing), from the backend's clock. */
  today(): string
  backups: BackupServices
}

export interface BackupServices {
  jobs: BackupJobs
  /** How keys of this data folder are wrapped (the OS store in the app). */
  protector: KeyProtector
  /** Replaces the data folder with a verified backup and re-opens it; the old folder is kept beside it. */
  restore(file: string, passphrase: string, actor: string): Promise<RestoreSummary>
}

/** Who is calling: the frame the IPC message came from. The renderer cannot choose these values. */
export interface Sender {
  /** Stable id of the calling window (webContents id); sessions are keyed by it. */
  id: string
  url: string
  isMainFrame: boolean
}

export interface CallContext {
  /** For audited procedures, the transaction that also writes the audit row. */
  db: Knex
  clock: Clock
  sender: Sender
  session: Session | null
  sessions: SessionStore
  platform: Platform
  services: Services
  /** Ids the call touched ("user:5"); the router writes them to the audit log. */
  affected: string[]
}

export type Handler<N extends ProcedureName> = (input: ParsedInput<N>, ctx: CallContext) => Promise<Output<N>>
export type Handlers = { [N in ProcedureName]: Handler<N> }
