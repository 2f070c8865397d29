// Set-up, sign-in, the screen lock and the home page's to-do counts.
import { ErrorCode } from '../../../contract'
import { LoginResult } from '../../../contract/schemas/audit'
import { logSessionEnd } from '../../../core/audit/audit-log'
import type { SessionUser } from '../../../contract/schemas/auth'
import { authenticate, changeOwnPassword, checkPassword } from '../../../core/accounts/auth'
import { findUserById, type UserRecord } from '../../../core/accounts/users-repository'
import { currentOwnKey } from '../../../core/exchange/keyring'
import { AppError, fieldError } from '../../../core/shared/app-error'
import { passphraseIssues, setBackupPassphrase } from '../../../core/backup/backup-key'
import { getIdleLockMinutes, getSettings, isSetupDone } from '../../../core/system/settings'
import { completeSetup } from '../../../core/system/setup'
import { workbench } from '../../../core/system/workbench'
import { officeCalendar } from '../../../core/calendar/holiday-table'
import { restoreChosenBackup } from './backup'
import { actorId, ok, type HandlersOf } from './shared'

const MAX_UNLOCK_FAILURES = 5

function toSessionUser(u: UserRecord, lastLoginAt: number | null): SessionUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    unitId: u.unitId,
    mustChangePassword: u.mustChangePassword,
    lastLoginAt,
  }
}

export const authHandlers: HandlersOf<'setup' | 'auth' | 'home' | 'recovery'> = {
  'setup:complete': async (input, ctx) => {
    const { backupPassphrase, backupPassphraseRepeat, ...office } = input
    if (backupPassphrase) {
      // Checked before anything is written: a weak passphrase sends the user back to the form, nothing set up.
      const issues = passphraseIssues(backupPassphrase, backupPassphraseRepeat ?? '').map((i) => ({
        ...i,
        path: i.path === 'repeat' ? 'backupPassphraseRepeat' : 'backupPassphrase',
      }))
      if (issues.length) throw fieldError(issues)
    }
    ctx.affected.push(`user:${await completeSetup(ctx.db, ctx.clock, office)}`, 'settings')
    if (backupPassphrase) {
      await setBackupPassphrase(
        ctx.services.dataDir,
        ctx.services.backups.protector,
        backupPassphrase,
        backupPassphrase,
        new Date(ctx.clock.now()),
      )
      ctx.affected.push('backup-key')
    }
    // The installation's exchange key pair is made at setup (its private key sealed like any sensitive field).
    const key = await currentOwnKey(ctx.db, ctx.services.keys, ctx.clock)
    ctx.affected.push(`key:${key.fingerprint.slice(0, 16)}`)
    return ok
  },

  'setup:restore': async ({ passphrase }, ctx) => {
    // A new PC: the office's data comes from its backup instead of a fresh setup. Once set up, only the administrator
    // restores (backup:restore), from the 备份与恢复 page.
    if (await isSetupDone(ctx.db)) throw new AppError(ErrorCode.SetupAlreadyDone, 'already set up')
    return restoreChosenBackup(ctx, passphrase, 'setup')
  },

  // Only the recovery backend (compose.ts) serves this; a folder that opened has nothing to recover.
  'recovery:restore': async () => {
    throw new AppError(ErrorCode.InvalidState, 'not in recovery', { reason: 'not_in_recovery' })
  },

  'auth:me': async (_i, { db, session }) => {
    const settings = await getSettings(db)
    const user = session ? await findUserById(db, session.userId) : undefined
    return {
      setupDone: await isSetupDone(db),
      orgName: settings.orgName || null,
      user: user && !user.disabled ? toSessionUser(user, session!.previousLoginAt) : null,
      locked: session?.locked ?? false,
      idleLockMinutes: await getIdleLockMinutes(db),
      recovery: null,
    }
  },
  'auth:login': async ({ username, password }, ctx) => {
    if (!(await isSetupDone(ctx.db))) throw new AppError(ErrorCode.SetupRequired, 'setup first')
    // The record was read before this login was stamped, so lastLoginAt is the previous login.
    const user = await authenticate(ctx.db, ctx.clock, username, password)
    const { id: userId, username: name, displayName, roles, lastLoginAt: previousLoginAt } = user
    ctx.sessions.start(ctx.sender.id, { userId, username: name, displayName, roles, previousLoginAt }, ctx.clock.now())
    return toSessionUser(user, previousLoginAt)
  },
  'auth:logout': async (_i, ctx) => {
    await logSessionEnd(ctx.db, ctx.sessions.end(ctx.sender.id), ctx.clock.now(), LoginResult.Logout)
    return ok
  },
  'auth:change-password': async ({ oldPassword, newPassword }, ctx) => {
    await changeOwnPassword(ctx.db, ctx.clock, actorId(ctx), oldPassword, newPassword)
    ctx.affected.push(`user:${actorId(ctx)}`)
    return ok
  },
  'auth:unlock': async ({ password }, ctx) => {
    const session = ctx.session!
    if (await checkPassword(ctx.db, session.userId, password)) {
      session.locked = false
      session.unlockFailures = 0
      session.lastActivity = ctx.clock.now()
      return ok
    }
    session.unlockFailures++
    if (session.unlockFailures >= MAX_UNLOCK_FAILURES) {
      await logSessionEnd(ctx.db, ctx.sessions.end(ctx.sender.id), ctx.clock.now(), LoginResult.SessionEnd)
      throw new AppError(ErrorCode.NotAuthenticated, 'too many unlock failures')
    }
    throw new AppError(ErrorCode.WrongPassword, 'wrong password', { remaining: MAX_UNLOCK_FAILURES - session.unlockFailures })
  },
  'auth:heartbeat': async () => ok,
  'home:todo': async (_i, ctx) => {
    const user = await findUserById(ctx.db, actorId(ctx))
    const roles = ctx.session!.roles
    return workbench(
      ctx.db,
      { roles, unitId: user?.unitId ?? null, userId: ctx.session?.userId ?? null },
      ctx.clock.now(),
      ctx.services.today(),
      await officeCalendar(ctx.db),
    )
  },
}
