// The closed list of procedure names. The preload builds window.api from this list only,
// so it must stay free of imports (the sandboxed preload bundles it as plain data).
export const PROCEDURES = [
  'setup:status',
  'setup:complete',
  'auth:me',
  'auth:login',
  'auth:logout',
  'auth:change-password',
  'auth:unlock',
  'auth:heartbeat',
  'users:list',
  'users:create',
  'users:update',
  'users:set-disabled',
  'users:reset-password',
  'units:tree',
  'units:create',
  'units:update',
  'units:delete',
  'dicts:types',
  'dicts:items',
  'dicts:create-type',
  'dicts:save-item',
  'settings:get',
  'settings:update',
  'audit:list',
  'audit:logins',
  'audit:export',
  'audit:verify',
  'catalog:categories',
  'catalog:list',
  'catalog:get',
  'catalog:versions',
  'catalog:save-draft',
  'catalog:submit',
  'catalog:review',
  'catalog:new-version',
  'catalog:retire',
  'catalog:compare',
] as const

export type ProcedureName = (typeof PROCEDURES)[number]

/** The single IPC channel every procedure travels on; the procedure name is its first argument. */
export const IPC_CHANNEL = 'credit-desk:call'

export function isProcedureName(value: unknown): value is ProcedureName {
  return typeof value === 'string' && (PROCEDURES as readonly string[]).includes(value)
}
