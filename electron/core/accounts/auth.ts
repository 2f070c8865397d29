import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import { LoginResult } from '../../contract/schemas/audit'
import { appendLogin } from '../audit/audit-log'
import { DUMMY_HASH, hashPassword, verifyPassword } from '../security/password-hash'
import { passwordIssues } from '../security/password-policy'
import { AppError, fieldError } from '../shared/app-error'
import type { Clock } from '../shared/clock'
import { findUserById, findUserByUsername, type UserRecord } from './users-repository'

const MAX_LOGIN_FAILURES = 5
export const LOCKOUT_MS = 10 * 60_000

const throttleKey = (username: string) => username.trim().toLowerCase()

export async function clearThrottle(db: Knex, username: string): Promise<void> {
  await db('login_throttle').where('username_key', throttleKey(username)).del()
}

/**
 * Checks a login. Every wrong password counts against the name typed (existing or not), and a
 * non-existent name costs the same scrypt time, so neither the message, the lockout nor the timing
 * tells whether an account exists. Writes the login log. Must not run inside a transaction that a
 * failure rolls back: the failure counter has to stick.
 */
export async function authenticate(
  db: Knex,
  clock: Clock,
  username: string,
  password: string,
  via: 'app' | 'cli' = 'app',
): Promise<UserRecord> {
  const now = clock.now()
  const key = throttleKey(username)
  const throttle = (await db('login_throttle').where('username_key', key).first()) as
    { failures: number; locked_until: number | null } | undefined
  const lockedUntil = throttle?.locked_until == null ? null : Number(throttle.locked_until)
  if (lockedUntil != null && lockedUntil > now) {
    await appendLogin(db, now, username, LoginResult.Locked, via)
    throw new AppError(ErrorCode.AccountLocked, 'account locked', { retryAt: lockedUntil })
  }

  const user = await findUserByUsername(db, username)
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)
  if (!user || !passwordOk) {
    const previous = lockedUntil != null ? 0 : (throttle?.failures ?? 0) // an expired lock starts a fresh count
    const failures = previous + 1
    const lockNow = failures >= MAX_LOGIN_FAILURES
    await db('login_throttle')
      .insert({ username_key: key, failures: lockNow ? 0 : failures, locked_until: lockNow ? now + LOCKOUT_MS : null, updated_at: now })
      .onConflict('username_key')
      .merge()
    await appendLogin(db, now, username, lockNow ? LoginResult.Locked : LoginResult.Failure, via)
    if (lockNow) throw new AppError(ErrorCode.AccountLocked, 'too many failures', { retryAt: now + LOCKOUT_MS })
    throw new AppError(ErrorCode.LoginFailed, 'bad credentials')
  }
  if (user.disabled) {
    await appendLogin(db, now, username, LoginResult.Disabled, via)
    throw new AppError(ErrorCode.AccountDisabled, 'account disabled')
  }
  await db('login_throttle').where('username_key', key).del()
  await db('users').where('id', user.id).update({ last_login_at: now })
  await appendLogin(db, now, user.username, LoginResult.Success, via)
  return user
}

/** The user's own change; required after an initial or reset password. */
export async function changeOwnPassword(db: Knex, clock: Clock, userId: number, oldPassword: string, newPassword: string): Promise<void> {
  const user = await findUserById(db, userId)
  if (!user) throw new AppError(ErrorCode.NotFound, 'user not found')
  if (!(await verifyPassword(oldPassword, user.passwordHash))) throw fieldError([{ path: 'oldPassword', message: 'password.wrong' }])
  const issues = passwordIssues('newPassword', newPassword, user.username)
  if (newPassword === oldPassword) issues.push({ path: 'newPassword', message: 'password.reused' })
  if (issues.length) throw fieldError(issues)
  await setPassword(db, clock, userId, newPassword, false)
}

export async function setPassword(db: Knex, clock: Clock, userId: number, password: string, mustChange: boolean): Promise<void> {
  const now = clock.now()
  await db('users')
    .where('id', userId)
    .update({ password_hash: await hashPassword(password), must_change_password: mustChange, password_changed_at: now, updated_at: now })
}

export async function checkPassword(db: Knex, userId: number, password: string): Promise<boolean> {
  const user = await findUserById(db, userId)
  return user ? verifyPassword(password, user.passwordHash) : false
}
