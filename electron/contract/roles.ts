export const Role = {
  Admin: 'admin',
  Clerk: 'clerk',
  Supervisor: 'supervisor',
  Auditor: 'auditor',
} as const
export type Role = (typeof Role)[keyof typeof Role]
export const ROLES = Object.values(Role) as [Role, ...Role[]]

/**
 * Who may call a procedure.
 * - public: no session needed (setup, login).
 * - session: any logged-in user, even one who must still change an initial password.
 * - Role[]: a logged-in, unlocked user holding at least one of these roles, with no pending password change.
 */
export type Access = 'public' | 'session' | readonly Role[]
