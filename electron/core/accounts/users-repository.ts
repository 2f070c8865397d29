import type { Knex } from 'knex'
import type { UserRow as UserTableRow } from '../../../db/tables'
import { ROLES, type Role } from '../../contract/roles'
import type { UserQuery, UserRow } from '../../contract/schemas/users'
import { countRows } from '../shared/count-rows'

export interface UserRecord {
  id: number
  username: string
  displayName: string
  passwordHash: string
  mustChangePassword: boolean
  disabled: boolean
  unitId: number | null
  lastLoginAt: number | null
  roles: Role[]
}

function toRoles(csv: string | null): Role[] {
  return (csv ?? '')
    .split(',')
    .filter((r): r is Role => (ROLES as string[]).includes(r))
    .sort()
}

type UserWithRoles = UserTableRow & { roles_csv: string | null }

const withRoles = (db: Knex) =>
  db('users as u').select<UserWithRoles[]>(
    'u.*',
    db.raw('(SELECT group_concat(role) FROM user_roles r WHERE r.user_id = u.id) AS roles_csv'),
  )

function toRecord(row: UserWithRoles): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    mustChangePassword: Boolean(row.must_change_password),
    disabled: Boolean(row.disabled),
    unitId: row.unit_id ?? null,
    lastLoginAt: row.last_login_at == null ? null : Number(row.last_login_at),
    roles: toRoles(row.roles_csv),
  }
}

export async function findUserByUsername(db: Knex, username: string): Promise<UserRecord | undefined> {
  const row = await withRoles(db).whereRaw('u.username = ? COLLATE NOCASE', [username]).first()
  return row ? toRecord(row) : undefined
}

export async function findUserById(db: Knex, id: number): Promise<UserRecord | undefined> {
  const row = await withRoles(db).where('u.id', id).first()
  return row ? toRecord(row) : undefined
}

export async function setRoles(db: Knex, userId: number, roles: Role[]): Promise<void> {
  await db('user_roles').where('user_id', userId).del()
  await db('user_roles').insert([...new Set(roles)].map((role) => ({ user_id: userId, role })))
}

/** Enabled users holding the admin role, other than `exceptId`. */
export async function countOtherActiveAdmins(db: Knex, exceptId: number): Promise<number> {
  return countRows(
    db('users as u')
      .join('user_roles as r', 'r.user_id', 'u.id')
      .where({ 'r.role': 'admin', 'u.disabled': false })
      .whereNot('u.id', exceptId),
  )
}

export async function listUsers(db: Knex, q: UserQuery, lockedNow: number): Promise<{ items: UserRow[]; total: number }> {
  const filtered = () => {
    const b = db('users as u')
    if (q.keyword) {
      const like = `%${q.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      b.where((w) => w.whereRaw("u.username LIKE ? ESCAPE '\\'", [like]).orWhereRaw("u.display_name LIKE ? ESCAPE '\\'", [like]))
    }
    if (q.role) b.whereExists(db('user_roles as r').whereRaw('r.user_id = u.id').where('r.role', q.role))
    if (q.status) b.where('u.disabled', q.status === 'disabled')
    return b
  }
  const total = await countRows(filtered())
  const rows = await filtered()
    .leftJoin('org_units as o', 'o.id', 'u.unit_id')
    .leftJoin('login_throttle as t', 't.username_key', db.raw('lower(u.username)'))
    .select(
      'u.*',
      'o.name as unit_name',
      't.locked_until',
      db.raw('(SELECT group_concat(role) FROM user_roles r WHERE r.user_id = u.id) AS roles_csv'),
    )
    .orderBy('u.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
  return {
    total,
    items: rows.map((row) => {
      const rec = toRecord(row)
      const lockedUntil = row.locked_until == null ? null : Number(row.locked_until)
      return {
        id: rec.id,
        username: rec.username,
        displayName: rec.displayName,
        roles: rec.roles,
        unitId: rec.unitId,
        unitName: row.unit_name ?? null,
        archiveScope: (row.archive_scope as 'unit' | 'subtree' | 'all') ?? 'unit',
        disabled: rec.disabled,
        lockedUntil: lockedUntil != null && lockedUntil > lockedNow ? lockedUntil : null,
        mustChangePassword: rec.mustChangePassword,
        lastLoginAt: rec.lastLoginAt,
        createdAt: Number(row.created_at),
      }
    }),
  }
}
