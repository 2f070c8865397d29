// Stable error codes crossing the IPC boundary. An error carries a code (and a reason key in its details), never
// user-facing text: the renderer maps each to Chinese (renderer/src/locales/zh-CN/errors.ts). Where core itself must
// write words for people — an import's row reasons, the workbook of rejected rows, an exported log — it takes them
// from the contract's zh-CN tables (messages.zh-CN.ts, labels.zh-CN.ts), so each wording exists once.
export const ErrorCode = {
  Validation: 'VALIDATION',
  Internal: 'INTERNAL',
  UnknownProcedure: 'UNKNOWN_PROCEDURE',
  UntrustedSender: 'UNTRUSTED_SENDER',
  NotAuthenticated: 'NOT_AUTHENTICATED',
  SessionLocked: 'SESSION_LOCKED',
  PasswordChangeRequired: 'PASSWORD_CHANGE_REQUIRED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  SetupAlreadyDone: 'SETUP_ALREADY_DONE',
  SetupRequired: 'SETUP_REQUIRED',
  LoginFailed: 'LOGIN_FAILED',
  AccountLocked: 'ACCOUNT_LOCKED',
  AccountDisabled: 'ACCOUNT_DISABLED',
  WrongPassword: 'WRONG_PASSWORD',
  SelfModification: 'SELF_MODIFICATION',
  LastAdmin: 'LAST_ADMIN',
  UnitInUse: 'UNIT_IN_USE',
  InvalidState: 'INVALID_STATE',
  SelfReview: 'SELF_REVIEW',
  ImportFileRejected: 'IMPORT_FILE_REJECTED',
  ImportHasErrors: 'IMPORT_HAS_ERRORS',
  FieldDecryptFailed: 'FIELD_DECRYPT_FAILED',
  KeysMissing: 'KEYS_MISSING',
  KeysMismatch: 'KEYS_MISMATCH',
  KeysUnavailable: 'KEYS_UNAVAILABLE',
  Cancelled: 'CANCELLED',
  FileWriteFailed: 'FILE_WRITE_FAILED',
  DiskFull: 'DISK_FULL',
  AttachmentRejected: 'ATTACHMENT_REJECTED',
  KeyFileRejected: 'KEY_FILE_REJECTED',
  PackageRejected: 'PACKAGE_REJECTED',
  BackupRejected: 'BACKUP_REJECTED',
  DbNewerThanApp: 'DB_NEWER_THAN_APP',
  DbCorrupt: 'DB_CORRUPT',
  DbLocked: 'DB_LOCKED',
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/** Results that mean the caller was refused (not allowed, not signed in, locked, not the app's own window). */
export const REFUSAL_CODES: string[] = [ErrorCode.Forbidden, ErrorCode.NotAuthenticated, ErrorCode.UntrustedSender, ErrorCode.SessionLocked]

/** A field-level problem: `path` names the input field, `message` is a message key (see messages.ts). */
export interface FieldIssue {
  path: string
  message: string
  params?: Record<string, string | number>
}

export interface IpcError {
  code: ErrorCode
  message: string
  details?: { fields?: FieldIssue[]; incidentId?: string; [key: string]: unknown }
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: IpcError }
