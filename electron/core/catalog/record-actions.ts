// 信用修复 and 异议 against a record: filed by a clerk with the applicant, reason and documents,
// decided by a supervisor who did not file it. An approved repair ends disclosure (已修复); an upheld
// objection withdraws the record from disclosure (已撤销). The record itself is never edited.
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import type { IsoDate } from '../calendar/working-calendar'
import { AppError } from '../shared/app-error'
import { disclosureOf } from './record-list'

export interface NewAction {
  recordId: number
  kind: 'repair' | 'objection'
  applicant: string
  reason: string
  documents: string
}

export async function fileAction(db: Knex, input: NewAction, userId: number, now: number, today: IsoDate): Promise<number> {
  const record = await db('records').where('id', input.recordId).first()
  if (!record) throw new AppError(ErrorCode.NotFound, 'record not found')
  const state = disclosureOf(record, today)
  if (state === null) throw new AppError(ErrorCode.InvalidState, 'not a disclosed dishonesty record', { reason: 'not_disclosed' })
  if (state === '已撤销' || state === '已修复') throw new AppError(ErrorCode.InvalidState, 'already closed', { reason: 'closed' })
  if (input.kind === 'repair' && state === '公示中') {
    throw new AppError(ErrorCode.InvalidState, 'minimum disclosure period not reached', {
      reason: 'too_early',
      repairableFrom: record.repairable_from,
    })
  }
  if (input.kind === 'repair' && state === '已到期')
    throw new AppError(ErrorCode.InvalidState, 'disclosure already ended', { reason: 'expired' })
  const open = await db('record_actions').where({ record_id: input.recordId, status: 'pending' }).first('id')
  if (open) throw new AppError(ErrorCode.InvalidState, 'an application is pending', { reason: 'pending' })
  const [id] = await db('record_actions').insert({
    record_id: input.recordId,
    kind: input.kind,
    status: 'pending',
    reason: input.reason,
    documents: input.documents,
    applicant: input.applicant,
    filed_by: userId,
    filed_at: now,
  })
  return id!
}

export async function decideAction(
  db: Knex,
  id: number,
  decision: 'approved' | 'rejected',
  comment: string,
  userId: number,
  now: number,
  today: IsoDate,
): Promise<number> {
  const action = await db('record_actions').where('id', id).first()
  if (!action) throw new AppError(ErrorCode.NotFound, 'application not found')
  if (action.status !== 'pending') throw new AppError(ErrorCode.InvalidState, 'already decided', { reason: 'decided' })
  if (action.filed_by === userId) throw new AppError(ErrorCode.SelfReview, 'filed by the same user')
  await db('record_actions').where('id', id).update({ status: decision, decided_by: userId, decided_at: now, decision_comment: comment })
  if (decision === 'approved') {
    await db('records')
      .where('id', action.record_id)
      .update(action.kind === 'repair' ? { repaired_on: today } : { revoked_on: today })
  }
  return action.record_id
}
