// One record typed into the form generated from its item's data items: the same checks as an import
// row, the same duplicate rule, the same stored shape and lineage (entered by a user, not a batch).
import type { Knex } from 'knex'
import { ErrorCode, type FieldIssue } from '../../contract/errors'
import type { CatalogItem } from '../../contract/schemas/catalog'
import { AppError } from '../shared/app-error'
import { checkRecord } from './record-check'
import { REPORTING_WORKING_DAYS } from './record-import'
import { recordRow, type StoreContext } from './records'
import { fieldSection } from '../../contract/field-sections'

export interface EnteredRecord {
  id: number
  isLate: boolean
  deadlineDate: string | null
  /** Years the deadline passed through without holiday data (weekends only were counted). */
  calendarGaps: number[]
}

export async function createRecord(
  db: Knex,
  item: CatalogItem,
  raw: Record<string, string | number | null>,
  ctx: StoreContext,
  lineage: { supplierUnitId: number | null; createdBy: number; now: number },
): Promise<EnteredRecord> {
  const known = new Set(item.fields.map((f) => f.code))
  const unknown = Object.keys(raw).filter((k) => !known.has(k))
  if (unknown.length)
    throw new AppError(ErrorCode.Validation, 'unknown data items', {
      fields: unknown.map((k) => ({ path: `values.${k}`, message: 'invalid' })),
    })
  const checked = checkRecord(item.fields, raw, ctx)
  if (checked.issues.length) {
    const fields: FieldIssue[] = checked.issues.map((i) => ({ path: `values.${i.column}`, message: i.message, params: i.params }))
    throw new AppError(ErrorCode.Validation, 'record fails its checks', { fields })
  }
  const row = recordRow(item, checked.values, { ...lineage, batchId: null }, ctx)
  if (row.doc_number != null) {
    const dup = await db('records').where({ item_code: item.code, doc_number: row.doc_number, subject_key: row.subject_key }).first('id')
    if (dup) {
      const docField = item.fields.find((f) => f.checkRule === 'document_number')!.code
      throw new AppError(ErrorCode.Validation, 'duplicate document', {
        fields: [{ path: `values.${docField}`, message: 'record.duplicateInDb' }],
      })
    }
  }
  const [id] = await db('records').insert(row)
  const gaps = row.decision_date ? ctx.calendar.addWorkingDays(row.decision_date, REPORTING_WORKING_DAYS).yearsWithoutData : []
  return { id: id!, isLate: row.is_late, deadlineDate: row.deadline_date, calendarGaps: gaps }
}

/**
 * The 机关 section (处罚机关, its code, the data source) as this user last entered it for the item, so the next
 * record starts filled in. Never a sensitive item: those are sealed and stay out of defaults.
 */
export async function entryDefaults(db: Knex, item: CatalogItem, userId: number): Promise<Record<string, string>> {
  const last = await db('records').where({ item_code: item.code, created_by: userId }).orderBy('id', 'desc').first('data')
  if (!last) return {}
  const data: Record<string, unknown> = JSON.parse(last.data)
  const values: Record<string, string> = {}
  for (const f of item.fields) {
    const v = data[f.code]
    if (fieldSection(f) === 'authority' && !f.sensitive && (typeof v === 'string' || typeof v === 'number')) values[f.code] = String(v)
  }
  return values
}
