// Opening a full archive needs an approved, unexpired request (reason, approver, days). The approver
// is a supervisor other than the requester who may open the archive themselves; nobody requests or
// approves access to their own archive or one they are recused from.
import type { Knex } from 'knex'
import type { PersonRow } from '../../../db/tables'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { countRows } from '../shared/count-rows'
import { activeGrant, archiveViewer, personInScope, refusal, type ArchiveViewer } from './scope'

const DAY_MS = 86_400_000

export async function requestAccess(
  db: Knex,
  viewer: ArchiveViewer,
  input: { personId: number; reason: string; days: number },
  now: number,
): Promise<number> {
  const person = await personInScope(db, viewer, input.personId)
  const refused = await refusal(db, viewer, person)
  if (refused) throw new AppError(ErrorCode.Forbidden, 'may not open this archive', { reason: refused })
  if (await activeGrant(db, viewer.userId, person.id, now))
    throw new AppError(ErrorCode.InvalidState, 'already granted', { reason: 'granted' })
  if (await db('archive_access').where({ requester_id: viewer.userId, person_id: person.id, status: 'pending' }).first('id')) {
    throw new AppError(ErrorCode.InvalidState, 'a request is pending', { reason: 'pending' })
  }
  const [id] = await db('archive_access').insert({
    person_id: person.id,
    requester_id: viewer.userId,
    reason: input.reason,
    days: input.days,
    status: 'pending',
    created_at: now,
  })
  return id!
}

export async function decideAccess(
  db: Knex,
  approverId: number,
  id: number,
  decision: 'approved' | 'rejected',
  comment: string,
  now: number,
): Promise<{ personId: number; requesterId: number }> {
  const req = await db('archive_access').where('id', id).first()
  if (!req) throw new AppError(ErrorCode.NotFound, 'no such request')
  if (req.status !== 'pending') throw new AppError(ErrorCode.InvalidState, 'already decided', { reason: 'decided' })
  if (req.requester_id === approverId) throw new AppError(ErrorCode.SelfReview, 'own request')
  const approver = await archiveViewer(db, approverId)
  const person = await personInScope(db, approver, req.person_id)
  const refused = await refusal(db, approver, person)
  if (refused) throw new AppError(ErrorCode.Forbidden, 'approver may not handle this archive', { reason: refused })
  await db('archive_access')
    .where('id', id)
    .update({
      status: decision,
      approver_id: approverId,
      decision_comment: comment,
      decided_at: now,
      valid_until: decision === 'approved' ? now + req.days * DAY_MS : null,
    })
  return { personId: req.person_id, requesterId: req.requester_id }
}

/** Throws unless the viewer may read this archive now; returns the grant's end. */
export async function requireGrant(
  db: Knex,
  viewer: ArchiveViewer,
  personId: number,
  now: number,
): Promise<{ person: PersonRow; until: number }> {
  const person = await personInScope(db, viewer, personId)
  const refused = await refusal(db, viewer, person)
  if (refused) throw new AppError(ErrorCode.Forbidden, 'may not open this archive', { reason: refused })
  const until = await activeGrant(db, viewer.userId, personId, now)
  if (!until) throw new AppError(ErrorCode.Forbidden, 'no approved access', { reason: 'no_grant' })
  return { person, until }
}

export async function listAccessRequests(
  db: Knex,
  q: { page: number; pageSize: number; status: string | null; mine: boolean },
  userId: number,
) {
  const filtered = () => {
    const b = db('archive_access as a')
    if (q.status) b.where('a.status', q.status)
    if (q.mine) b.where('a.requester_id', userId)
    return b
  }
  const total = await countRows(filtered())
  const rows = await filtered()
    .join('people as p', 'p.id', 'a.person_id')
    .join('org_units as u', 'u.id', 'p.unit_id')
    .join('users as r', 'r.id', 'a.requester_id')
    .leftJoin('users as ap', 'ap.id', 'a.approver_id')
    .orderBy('a.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .select('a.*', 'p.name as person_name', 'u.name as unit_name', 'r.display_name as requester_name', 'ap.display_name as approver_name')
  return {
    items: rows.map((r) => ({
      id: r.id,
      personId: r.person_id,
      personName: r.person_name,
      unitName: r.unit_name,
      requesterName: r.requester_name,
      reason: r.reason,
      days: r.days,
      status: r.status,
      approverName: r.approver_name ?? null,
      decisionComment: r.decision_comment ?? null,
      validUntil: r.valid_until == null ? null : Number(r.valid_until),
      createdAt: Number(r.created_at),
    })),
    total,
  }
}
