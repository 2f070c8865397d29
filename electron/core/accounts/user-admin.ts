import type { Knex } from 'knex'
import { ErrorCode, type FieldIssue } from '../../contract/errors'
import { Role } from '../../contract/roles'
import type { NewUser, UserUpdate } from '../../contract/schemas/users'
import { hashPassword } from '../security/password-hash'
import { passwordIssues } from '../security/password-policy'
import { AppError, fieldError } from '../shared/app-error'
import type { Clock } from '../shared/clock'
import { clearThrottle, setPassword } from './auth'
import { countOtherActiveAdmins, findUserById, findUserByUsername, setRoles } from './users-repository'

/** 三员分立: whoever administers the system may not also audit it. */
function roleIssues(roles: Role[]): FieldIssue[] {
  return roles.includes(Role.Admin) && roles.includes(Role.Auditor) ? [{ path: 'roles', message: 'roles.conflict' }] : []
}

async function unitIssues(db: Knex, unitId: number | null): Promise<FieldIssue[]> {
  if (unitId == null) return []
  const unit = await db('org_units').where({ id: unitId, enabled: true }).first('id')
  return unit ? [] : [{ path: 'unitId', message: 'unit.missing' }]
}

export async function createUser(db: Knex, clock: Clock, input: NewUser): Promise<number> {
  const issues = [
    ...roleIssues(input.roles),
    ...(await unitIssues(db, input.unitId)),
    ...passwordIssues('initialPassword', input.initialPassword, input.username),
  ]
  if (await findUserByUsername(db, input.username)) issues.unshift({ path: 'username', message: 'username.taken' })
  if (issues.length) throw fieldError(issues)
  const now = clock.now()
  const [id] = await db('users').insert({
    username: input.username,
    display_name: input.displayName,
    password_hash: await hashPassword(input.initialPassword),
    must_change_password: true,
    disabled: false,
    unit_id: input.unitId,
    archive_scope: input.archiveScope,
    password_changed_at: now,
    created_at: now,
    updated_at: now,
  })
  await setRoles(db, id!, input.roles)
  await clearThrottle(db, input.username)
  return id!
}

async function requireUser(db: Knex, id: number) {
  const user = await findUserById(db, id)
  if (!user) throw new AppError(ErrorCode.NotFound, 'user not found')
  return user
}

/** Keeps at least one enabled administrator, and stops admins from locking themselves out. */
async function guardAdminLoss(db: Knex, actorId: number, targetId: number, losesAdmin: boolean): Promise<void> {
  if (!losesAdmin) return
  if (actorId === targetId) throw new AppError(ErrorCode.SelfModification, 'cannot remove own admin access')
  if ((await countOtherActiveAdmins(db, targetId)) === 0) throw new AppError(ErrorCode.LastAdmin, 'last administrator')
}

export async function updateUser(db: Knex, clock: Clock, actorId: number, input: UserUpdate): Promise<void> {
  const user = await requireUser(db, input.id)
  const issues = [...roleIssues(input.roles), ...(await unitIssues(db, input.unitId))]
  if (issues.length) throw fieldError(issues)
  const wasAdmin = user.roles.includes(Role.Admin) && !user.disabled
  await guardAdminLoss(db, actorId, user.id, wasAdmin && !input.roles.includes(Role.Admin))
  await db('users')
    .where('id', user.id)
    .update({ display_name: input.displayName, unit_id: input.unitId, archive_scope: input.archiveScope, updated_at: clock.now() })
  await setRoles(db, user.id, input.roles)
}

export async function setUserDisabled(db: Knex, clock: Clock, actorId: number, id: number, disabled: boolean): Promise<void> {
  const user = await requireUser(db, id)
  await guardAdminLoss(db, actorId, user.id, disabled && !user.disabled && user.roles.includes(Role.Admin))
  await db('users').where('id', id).update({ disabled, updated_at: clock.now() })
}

/** An administrator's reset: a temporary password the user must change at next login; also lifts a lockout. */
export async function resetUserPassword(db: Knex, clock: Clock, id: number, newPassword: string): Promise<void> {
  const user = await requireUser(db, id)
  const issues = passwordIssues('newPassword', newPassword, user.username)
  if (issues.length) throw fieldError(issues)
  await setPassword(db, clock, id, newPassword, true)
  await clearThrottle(db, user.username)
}
