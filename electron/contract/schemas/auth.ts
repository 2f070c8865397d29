import { z } from 'zod'
import { ROLES } from '../roles'
import { Id, M, TimestampMs, text } from './common'

export const Username = z
  .string()
  .trim()
  .min(3, 'username.length')
  .max(32, 'username.length')
  .regex(/^[A-Za-z0-9_.-]+$/, 'username.chars')

/** Format only; the strength policy lives in core/security/password-policy.ts. */
export const Password = z.string().min(1, M.required).max(128, M.tooLong)

export const SessionUser = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  unitId: Id.nullable(),
  mustChangePassword: z.boolean(),
  lastLoginAt: TimestampMs.nullable(),
})
export type SessionUser = z.infer<typeof SessionUser>

export const Me = z.object({
  setupDone: z.boolean(),
  orgName: z.string().nullable(),
  user: SessionUser.nullable(),
  locked: z.boolean(),
  idleLockMinutes: z.number().int(),
  /** Set when the data folder could not be opened (damaged database, lost keys): only a restore is offered. */
  recovery: z.object({ problem: z.string(), dataDir: z.string() }).nullable(),
})
export type Me = z.infer<typeof Me>

export const LoginInput = z.object({ username: z.string().trim().min(1, M.required).max(64), password: Password })
export const ChangePasswordInput = z.object({ oldPassword: Password, newPassword: Password })
export const UnlockInput = z.object({ password: Password })

export const SetupInput = z.object({
  orgName: text(100),
  regionCode: z.string().trim().min(1, M.required),
  orgCreditCode: z.string().trim().min(1, M.required),
  adminUsername: Username,
  adminDisplayName: text(50),
  adminPassword: Password,
  /** The 备份口令, set with the office (optional here: it can be set later under 备份与恢复). */
  backupPassphrase: z.string().max(200).nullish(),
  backupPassphraseRepeat: z.string().max(200).nullish(),
})
export type SetupInput = z.infer<typeof SetupInput>

const count = z.number().int().nullable()
/** The 工作台 (home:todo): each count is null where it is not this user's business (core/system/workbench.ts). */
export const Workbench = z.object({
  lateThisMonth: count,
  expiringSoon: count,
  recordsRejected: count,
  tasksDueSoon: count,
  tasksOverdue: count,
  tasksReturned: count,
  tasksToAssign: count,
  monthly: z.array(z.object({ month: z.string(), onTime: z.number().int(), late: z.number().int() })).nullable(),
  catalogToReview: count,
  accessToDecide: count,
  repairsToDecide: count,
  changesToDecide: count,
  extensionsToDecide: count,
  publishToDecide: count,
  plansToReview: count,
  completionsToReview: count,
  breachesToDecide: count,
  overdueUnits: count,
  lights: z.array(z.object({ light: z.enum(['red', 'yellow', 'green', 'none']), count: z.number().int() })).nullable(),
  lockedAccounts: count,
  ownKeys: count,
  peerKeys: count,
  refusalsToday: count,
  failuresToday: count,
  loginFailuresToday: count,
  chainCheck: z.object({ at: z.number(), intact: z.boolean() }).nullable(),
})
export type Workbench = z.infer<typeof Workbench>
