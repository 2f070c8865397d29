import type { ErrorCode } from '../../contract/errors'
import type { CatalogField } from '../../contract/schemas/catalog'

/** What a parse worker is asked to read. */
export type ParseJob =
  | { op: 'workbook'; path: string; fields: CatalogField[]; minColumns?: number }
  | { op: 'plan-text'; path: string }
  | { op: 'plan'; path: string }

export type WorkerMessage<T> =
  | { t: 'batch'; items: T[] }
  | { t: 'done' }
  | { t: 'error'; error: { code?: ErrorCode; message: string; details?: Record<string, unknown> } }

export type HostMessage = { t: 'start'; job: ParseJob; credits: number } | { t: 'pull' }
