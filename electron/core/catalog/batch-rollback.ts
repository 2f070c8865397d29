// Taking back a whole import batch taken in by mistake (the wrong file, the wrong item): asked by a clerk who may
// change that unit's records, decided by a supervisor who did not ask, and only while none of its records has left
// for the city — after that, corrections and withdrawals are the way. The records go in one transaction.
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { parseWatermark } from '../exchange/exchange-data'
import { assertMayChange, type RecordWriter } from './record-scope'

async function batchOf(db: Knex, batchId: number) {
  const batch = await db('import_batches').where('id', batchId).first()
  if (!batch) throw new AppError(ErrorCode.NotFound, 'batch not found')
  if (batch.rolled_back_at) throw new AppError(ErrorCode.InvalidState, 'rolled back', { reason: 'rolled_back' })
  return batch
}

/** Why the batch can no longer be rolled back, if it cannot: sent to the city, or its records already worked on. */
async function blocker(db: Knex, batchId: number): Promise<'batch_sent' | 'batch_in_use' | null> {
  const first = await db('records').where('batch_id', batchId).min({ id: 'id' }).first()
  if (first?.id == null) return null
  const sent = await db('exchange_packages').where({ direction: 'out' }).whereNot('state', 'abandoned').pluck('watermark')
  if (sent.some((w: string | null) => w && parseWatermark(w).records >= Number(first.id))) return 'batch_sent'
  const used = await db('records as r')
    .where('r.batch_id', batchId)
    .where((w) =>
      w
        .whereExists((e) => e.select(db.raw('1')).from('record_actions as a').whereRaw('a.record_id = r.id'))
        .orWhereExists((e) => e.select(db.raw('1')).from('record_changes as c').whereRaw('c.record_id = r.id')),
    )
    .first('r.id')
  return used ? 'batch_in_use' : null
}

export async function requestRollback(
  db: Knex,
  input: { batchId: number; reason: string },
  writer: RecordWriter,
  now: number,
): Promise<void> {
  const batch = await batchOf(db, input.batchId)
  assertMayChange(writer, batch)
  if (batch.rollback_requested_at) throw new AppError(ErrorCode.InvalidState, 'already requested', { reason: 'rollback_pending' })
  const why = await blocker(db, batch.id)
  if (why) throw new AppError(ErrorCode.InvalidState, why, { reason: why })
  await db('import_batches')
    .where('id', batch.id)
    .update({ rollback_requested_by: writer.userId, rollback_requested_at: now, rollback_reason: input.reason })
}

/** Approving deletes the batch's records; rejecting withdraws the request. Returns the records removed. */
export async function decideRollback(
  db: Knex,
  input: { batchId: number; decision: 'approved' | 'rejected' },
  userId: number,
  now: number,
): Promise<number> {
  return db.transaction(async (trx) => {
    const batch = await batchOf(trx, input.batchId)
    if (!batch.rollback_requested_at) throw new AppError(ErrorCode.InvalidState, 'nothing requested', { reason: 'decided' })
    if (batch.rollback_requested_by === userId) throw new AppError(ErrorCode.SelfReview, 'requested by the same user')
    if (input.decision === 'rejected') {
      await trx('import_batches')
        .where('id', batch.id)
        .update({ rollback_requested_by: null, rollback_requested_at: null, rollback_reason: null })
      return 0
    }
    // Checked again inside the transaction: a package may have left since the request.
    const why = await blocker(trx, batch.id)
    if (why) throw new AppError(ErrorCode.InvalidState, why, { reason: why })
    const removed = await trx('records').where('batch_id', batch.id).del()
    await trx('import_batches').where('id', batch.id).update({ rolled_back_by: userId, rolled_back_at: now })
    return removed
  })
}

export async function batchState(db: Knex, batchId: number) {
  const b = await db('import_batches as b')
    .leftJoin('users as r', 'r.id', 'b.rollback_requested_by')
    .where('b.id', batchId)
    .first('b.*', 'r.display_name as requested_by_name')
  if (!b) throw new AppError(ErrorCode.NotFound, 'batch not found')
  return {
    id: b.id,
    fileName: b.file_name,
    imported: b.imported,
    createdAt: Number(b.created_at),
    rollbackRequestedBy: b.requested_by_name ?? null,
    rollbackRequestedAt: b.rollback_requested_at ? Number(b.rollback_requested_at) : null,
    rollbackReason: b.rollback_reason ?? null,
    rolledBackAt: b.rolled_back_at ? Number(b.rolled_back_at) : null,
    /** Why a rollback is no longer possible (sent, worked on), or null. */
    blocked: b.rolled_back_at ? null : await blocker(db, b.id),
  }
}
