import { z } from 'zod'
import { ROLES } from '../roles'
import { Id, PageQuery, TimestampMs, optionalText, pageOf, text } from './common'
import { Password, Username } from './auth'

export const UserRow = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  unitId: Id.nullable(),
  unitName: z.string().nullable(),
  /** Whose integrity archives the user may list: own unit, own unit and below, or all. */
  archiveScope: z.enum(['unit', 'subtree', 'all']),
  disabled: z.boolean(),
  lockedUntil: TimestampMs.nullable(),
  mustChangePassword: z.boolean(),
  lastLoginAt: TimestampMs.nullable(),
  createdAt: TimestampMs,
})
export type UserRow = z.infer<typeof UserRow>

export const UserQuery = PageQuery.extend({
  keyword: optionalText(50),
  role: z.enum(ROLES).nullish(),
  status: z.enum(['active', 'disabled']).nullish(),
})
export type UserQuery = z.infer<typeof UserQuery>
export const UserPage = pageOf(UserRow)

const Roles = z.array(z.enum(ROLES)).min(1, 'roles.required')

export const NewUser = z.object({
  username: Username,
  displayName: text(50),
  roles: Roles,
  unitId: Id.nullish().transform((v) => v ?? null),
  archiveScope: z.enum(['unit', 'subtree', 'all']).default('unit'),
  initialPassword: Password,
})
export type NewUser = z.infer<typeof NewUser>

export const UserUpdate = z.object({
  id: Id,
  displayName: text(50),
  roles: Roles,
  unitId: Id.nullish().transform((v) => v ?? null),
  archiveScope: z.enum(['unit', 'subtree', 'all']).default('unit'),
})
export type UserUpdate = z.infer<typeof UserUpdate>

export const SetDisabledInput = z.object({ id: Id, disabled: z.boolean() })
export const ResetPasswordInput = z.object({ id: Id, newPassword: Password })
