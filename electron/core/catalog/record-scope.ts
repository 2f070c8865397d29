// Who may enter and change which records: a clerk of a supplying unit works on that unit's records (and its
// sub-units'); a clerk with no unit is the county credit office and works on all. Reading is not limited here: the
// office's list shows every unit's records to everyone who may read records.
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import { visibleUnits } from '../archives/scope'
import { AppError, fieldError } from '../shared/app-error'

export interface RecordWriter {
  userId: number
  /** The writer's own unit, where a record entered without a unit goes. */
  unitId: number | null
  /** Units whose records the writer may enter and change; null: every unit (the county office). */
  units: number[] | null
}

export async function recordWriter(db: Knex, userId: number): Promise<RecordWriter> {
  const user = await db('users').where('id', userId).first('unit_id')
  const unitId = user?.unit_id ?? null
  if (unitId == null) return { userId, unitId: null, units: null }
  return { userId, unitId, units: (await visibleUnits(db, { userId, unitId, scope: 'subtree' })) ?? null }
}

/** The supplying unit a new record or batch gets: the one chosen if the writer may use it, else the writer's own. */
export function supplierFor(writer: RecordWriter, chosen: number | null, path = 'supplierUnitId'): number | null {
  if (writer.units == null) return chosen
  if (chosen == null) return writer.unitId
  if (!writer.units.includes(chosen)) throw fieldError([{ path, message: 'record.otherUnit' }])
  return chosen
}

/** A stored record the writer may change; another unit's record reads as not there, as archives do. */
export function assertMayChange(writer: RecordWriter, record: { supplier_unit_id: number | null }): void {
  if (writer.units == null) return
  if (record.supplier_unit_id == null || !writer.units.includes(record.supplier_unit_id))
    throw new AppError(ErrorCode.NotFound, 'record of another unit')
}
