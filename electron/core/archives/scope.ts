// Who may see which archives: the unit tree decides the list (本单位 / 本单位及下级 / 全部), and
// nobody may open their own archive or one they are recused from, whatever their scope.
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'

export type ArchiveScope = 'unit' | 'subtree' | 'all'

export interface ArchiveViewer {
  userId: number
  unitId: number | null
  scope: ArchiveScope
}

export async function archiveViewer(db: Knex, userId: number): Promise<ArchiveViewer> {
  const u = await db('users').where('id', userId).first('unit_id', 'archive_scope')
  return { userId, unitId: u?.unit_id ?? null, scope: (u?.archive_scope as ArchiveScope) ?? 'unit' }
}

/** The units whose people the viewer may list; null means every unit. */
export async function visibleUnits(db: Knex, viewer: ArchiveViewer): Promise<number[] | null> {
  if (viewer.scope === 'all') return null
  if (viewer.unitId == null) return []
  if (viewer.scope === 'unit') return [viewer.unitId]
  const rows = (await db.raw(
    `WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT u.id FROM org_units u JOIN tree ON u.parent_id = tree.id) SELECT id FROM tree`,
    [viewer.unitId],
  )) as Array<{ id: number }>
  return rows.map((r) => r.id)
}

/** Why the viewer may never open this person's archive, if they may not. */
export async function refusal(
  db: Knex,
  viewer: ArchiveViewer,
  person: { id: number; user_id: number | null },
): Promise<'self' | 'recused' | null> {
  if (person.user_id === viewer.userId) return 'self'
  const recused = await db('archive_recusals').where({ user_id: viewer.userId, person_id: person.id }).first('id')
  return recused ? 'recused' : null
}

/** The person row, if the viewer's scope reaches it; out of scope looks the same as not there. */
export async function personInScope(db: Knex, viewer: ArchiveViewer, personId: number) {
  const person = await db('people').where('id', personId).first()
  if (!person) throw new AppError(ErrorCode.NotFound, 'no such person')
  const units = await visibleUnits(db, viewer)
  if (units && !units.includes(person.unit_id)) throw new AppError(ErrorCode.NotFound, 'no such person')
  return person
}

/** The viewer's unexpired approved grant on this archive (its end time), if any. */
export async function activeGrant(db: Knex, userId: number, personId: number, now: number): Promise<number | null> {
  const row = await db('archive_access')
    .where({ requester_id: userId, person_id: personId, status: 'approved' })
    .where('valid_until', '>', now)
    .max({ until: 'valid_until' })
    .first()
  return row?.until == null ? null : Number(row.until)
}
