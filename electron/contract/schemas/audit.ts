import { z } from 'zod'
import { Id, PageQuery, TimestampMs, optionalText, pageOf } from './common'

export const AuditEntry = z.object({
  id: Id,
  at: TimestampMs,
  actorName: z.string().nullable(),
  procedure: z.string(),
  affectedIds: z.array(z.string()),
  result: z.string(),
  /** Host name and OS account; null on rows written before it was recorded. */
  workstation: z.string().nullable(),
  /** The affected objects as people know them (a user's name, a record's 文书号…), in the order of affectedIds. */
  affected: z.array(z.string()),
})
export type AuditEntry = z.infer<typeof AuditEntry>

export const AuditFilter = z.object({
  from: TimestampMs.nullish(),
  to: TimestampMs.nullish(),
  actor: optionalText(64),
  procedure: optionalText(64),
  /** error = refused + failed: refused is the caller not being allowed (or signed in), failed everything else. */
  result: z.enum(['ok', 'error', 'refused', 'failed']).nullish(),
})
export type AuditFilter = z.infer<typeof AuditFilter>
export const AuditQuery = PageQuery.extend(AuditFilter.shape)
export type AuditQuery = z.infer<typeof AuditQuery>
export const AuditPage = pageOf(AuditEntry)

export const LoginResult = {
  Success: 'success',
  Failure: 'failure',
  Locked: 'locked',
  Disabled: 'disabled',
  // How a session ended: signed out, locked after idling, or ended otherwise (lock screen failures, the account
  // disabled or its password reset, the app closed).
  Logout: 'logout',
  IdleLock: 'idle_lock',
  SessionEnd: 'session_end',
} as const
export type LoginResult = (typeof LoginResult)[keyof typeof LoginResult]
/** The attempts to sign in that did not succeed. */
export const LOGIN_FAILURES: LoginResult[] = [LoginResult.Failure, LoginResult.Locked, LoginResult.Disabled]

export const LoginEntry = z.object({
  id: Id,
  at: TimestampMs,
  username: z.string(),
  result: z.enum(Object.values(LoginResult) as [LoginResult, ...LoginResult[]]),
  via: z.string(),
  workstation: z.string().nullable(),
})
export type LoginEntry = z.infer<typeof LoginEntry>

export const LoginFilter = z.object({
  from: TimestampMs.nullish(),
  to: TimestampMs.nullish(),
  username: optionalText(64),
  /** unsuccessful: every attempt that did not sign in (wrong password, locked, disabled). */
  result: z.enum([...(Object.values(LoginResult) as [LoginResult, ...LoginResult[]]), 'unsuccessful']).nullish(),
})
export type LoginFilter = z.infer<typeof LoginFilter>
export const LoginQuery = PageQuery.extend(LoginFilter.shape)
export type LoginQuery = z.infer<typeof LoginQuery>
export const LoginPage = pageOf(LoginEntry)

export const AuditExportInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('operations'), filter: AuditFilter }),
  z.object({ kind: z.literal('logins'), filter: LoginFilter }),
])
export type AuditExportInput = z.infer<typeof AuditExportInput>
export const ExportResult = z.object({
  cancelled: z.boolean(),
  fileName: z.string().nullable(),
  rows: z.number().int(),
})
export type ExportResult = z.infer<typeof ExportResult>

export const ChainCheck = z.object({
  intact: z.boolean(),
  checked: z.number().int(),
  /** Every broken row (the first 500), each with what is wrong; incidents found at start are listed too. */
  problems: z.array(
    z.object({
      table: z.enum(['audit_log', 'login_log']),
      id: z.number().int(),
      problem: z.enum(['hash', 'mac', 'unkeyed_after_keyed', 'bad_json', 'incident', 'tail_missing']),
      detail: z.string().optional(),
    }),
  ),
  problemCount: z.number().int(),
})
export type ChainCheck = z.infer<typeof ChainCheck>
