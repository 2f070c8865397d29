// One person's whole archive as a granted viewer reads it, and who may work on archives at all:
// the colleagues a supervisor can recuse, and the recusals themselves.
import type { Knex } from 'knex'
import type { GradeHistoryRow } from '../../../db/tables'
import type { Archive } from '../../contract/schemas/archives'
import type { IsoDate } from '../calendar/working-calendar'
import type { FieldKeys } from '../security/field-crypto'
import { requireGrant } from './access'
import { listEntries } from './entries'
import { gradeOf } from './grading'
import { toPersonSummary, type PersonWithUnit } from './people'
import { personInScope, type ArchiveViewer } from './scope'

/** The archive behind a grant: throws (not found / forbidden) unless the viewer holds one now. */
export async function openArchive(
  db: Knex,
  keys: FieldKeys,
  viewer: ArchiveViewer,
  personId: number,
  now: number,
  today: IsoDate,
): Promise<Archive> {
  const { person, until } = await requireGrant(db, viewer, personId, now)
  const row = await db('people as p')
    .join('org_units as u', 'u.id', 'p.unit_id')
    .where('p.id', person.id)
    .first<PersonWithUnit>('p.*', 'u.name as unit_name')
  const history = await db('grade_history as h')
    .leftJoin('users as u', 'u.id', 'h.decided_by')
    .where('h.person_id', personId)
    .orderBy('h.id', 'desc')
    .select<Array<Pick<GradeHistoryRow, 'grade' | 'source' | 'reasons' | 'at'> & { by_name: string | null }>>(
      'h.grade',
      'h.source',
      'h.reasons',
      'h.at',
      'u.display_name as by_name',
    )
  return {
    person: await toPersonSummary(db, keys, row, viewer, now),
    entries: await listEntries(db, personId),
    gradeReasons: (await gradeOf(db, personId, today)).reasons,
    gradeHistory: history.map((h) => ({
      grade: h.grade,
      source: h.source,
      reasons: JSON.parse(h.reasons),
      decidedByName: h.by_name ?? null,
      at: Number(h.at),
    })),
    grantedUntil: until,
  }
}

/** The person's name, for naming an exported archive file; only asked after the grant is checked. */
export async function personName(db: Knex, personId: number): Promise<string> {
  const row = await db('people').where('id', personId).first('name')
  return row?.name ?? String(personId)
}

/** Records that `userId` may not handle this person's archive (a relative, a close colleague …). */
export async function recuse(
  db: Knex,
  viewer: ArchiveViewer,
  input: { userId: number; personId: number; reason: string },
  now: number,
): Promise<number> {
  await personInScope(db, viewer, input.personId)
  await db('archive_recusals')
    .insert({ user_id: input.userId, person_id: input.personId, reason: input.reason, created_at: now })
    .onConflict(['user_id', 'person_id'])
    .merge(['reason'])
  const row = await db('archive_recusals').where({ user_id: input.userId, person_id: input.personId }).first('id')
  return row!.id
}

/** Active accounts that work on archives (clerks and supervisors), by name: whom a recusal can name. */
export async function archiveWorkers(db: Knex): Promise<Array<{ id: number; displayName: string }>> {
  const rows = await db('users as u')
    .join('user_roles as r', 'r.user_id', 'u.id')
    .whereIn('r.role', ['clerk', 'supervisor'])
    .where('u.disabled', false)
    .distinct<Array<{ id: number; display_name: string }>>('u.id', 'u.display_name')
    .orderBy('u.display_name')
  return rows.map((u) => ({ id: u.id, displayName: u.display_name }))
}
