import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import { Role } from '../../contract/roles'
import type { SetupInput } from '../../contract/schemas/auth'
import { setRoles } from '../accounts/users-repository'
import { hashPassword } from '../security/password-hash'
import { passwordIssues } from '../security/password-policy'
import { AppError, fieldError } from '../shared/app-error'
import type { Clock } from '../shared/clock'
import { DEFAULT_IDLE_LOCK_MINUTES, isSetupDone, markSetupDone, officeIdentityIssues, saveOfficeSettings } from './settings'

/**
 * First start: records the office's identity and creates the first administrator. Runs once; a
 * second call is refused so nobody can re-run the wizard to plant an administrator.
 */
export async function completeSetup(db: Knex, clock: Clock, input: SetupInput): Promise<number> {
  if ((await isSetupDone(db)) || (await db('users').first('id'))) {
    throw new AppError(ErrorCode.SetupAlreadyDone, 'setup already completed')
  }
  const issues = [
    ...officeIdentityIssues(input.regionCode, input.orgCreditCode),
    ...passwordIssues('adminPassword', input.adminPassword, input.adminUsername),
  ]
  if (issues.length) throw fieldError(issues)
  await saveOfficeSettings(db, {
    orgName: input.orgName,
    regionCode: input.regionCode,
    orgCreditCode: input.orgCreditCode,
    idleLockMinutes: DEFAULT_IDLE_LOCK_MINUTES,
  })
  const now = clock.now()
  const [id] = await db('users').insert({
    username: input.adminUsername,
    display_name: input.adminDisplayName,
    password_hash: await hashPassword(input.adminPassword),
    must_change_password: false,
    disabled: false,
    password_changed_at: now,
    created_at: now,
    updated_at: now,
  })
  await setRoles(db, id!, [Role.Admin])
  await markSetupDone(db, now)
  return id!
}
