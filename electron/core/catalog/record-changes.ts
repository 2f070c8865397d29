// 更正 and 撤回 of a stored record (黄石 #4 数据质量问题追溯): filed by a clerk of the supplying unit (or the county
// office) with the reason, decided by a supervisor who did not file it. An approved correction makes a new version —
// the old data kept here, shown in the drawer, the new one re-checked as at entry; an approved withdrawal takes the
// record out of disclosure with the document that revoked it. Either sends the record to the city again (changed_at),
// re-opens its acknowledgement and clears a city rejection.
import type { Knex } from 'knex'
import { ErrorCode, type FieldIssue } from '../../contract/errors'
import type { RecordChange } from '../../contract/schemas/records'
import type { IsoDate } from '../calendar/working-calendar'
import { AppError } from '../shared/app-error'
import { getCatalogItem } from './catalog'
import { checkRecord } from './record-check'
import { assertMayChange, type RecordWriter } from './record-scope'
import { openSensitiveValue, recordRow, type StoreContext } from './records'

/** The record's columns a correction replaces; identity (uid), lineage and lateness stay as first reported. */
const CORRECTED_COLUMNS = [
  'subject_name',
  'subject_type',
  'subject_code',
  'subject_id_index',
  'subject_key',
  'doc_number',
  'decision_date',
  'deadline_date',
  'data',
  'sealed',
  'dishonesty_level',
  'repairable_from',
  'disclosure_ends_on',
] as const

async function changeable(db: Knex, recordId: number, writer: RecordWriter) {
  const record = await db('records').where('id', recordId).first()
  if (!record) throw new AppError(ErrorCode.NotFound, 'record not found')
  assertMayChange(writer, record)
  if (record.withdrawn_on) throw new AppError(ErrorCode.InvalidState, 'withdrawn', { reason: 'withdrawn' })
  const open = await db('record_changes').where({ record_id: recordId, status: 'pending' }).first('id')
  if (open) throw new AppError(ErrorCode.InvalidState, 'a change is pending', { reason: 'change_pending' })
  return record
}

export async function proposeCorrection(
  db: Knex,
  input: { recordId: number; values: Record<string, string | number | null>; reason: string },
  store: StoreContext,
  writer: RecordWriter,
  now: number,
): Promise<number> {
  const record = await changeable(db, input.recordId, writer)
  const item = await getCatalogItem(db, record.item_id)
  const known = new Set(item.fields.map((f) => f.code))
  const unknown = Object.keys(input.values).filter((k) => !known.has(k))
  if (unknown.length)
    throw new AppError(ErrorCode.Validation, 'unknown data items', {
      fields: unknown.map((k) => ({ path: `values.${k}`, message: 'invalid' })),
    })
  const checked = checkRecord(item.fields, keepSealedValues(record, input.values, store), store)
  if (checked.issues.length) {
    const fields: FieldIssue[] = checked.issues.map((i) => ({ path: `values.${i.column}`, message: i.message, params: i.params }))
    throw new AppError(ErrorCode.Validation, 'record fails its checks', { fields })
  }
  const lineage = {
    supplierUnitId: record.supplier_unit_id,
    createdBy: record.created_by,
    batchId: record.batch_id,
    now: record.created_at,
  }
  const row = recordRow(item, checked.values, lineage, { ...store, reportedOn: record.reported_on })
  if (row.doc_number != null) {
    const dup = await db('records')
      .where({ item_code: record.item_code, doc_number: row.doc_number, subject_key: row.subject_key })
      .whereNot('id', record.id)
      .first('id')
    if (dup) {
      const docField = item.fields.find((f) => f.checkRule === 'document_number')!.code
      throw new AppError(ErrorCode.Validation, 'duplicate document', {
        fields: [{ path: `values.${docField}`, message: 'record.duplicateInDb' }],
      })
    }
  }
  const proposed = Object.fromEntries(CORRECTED_COLUMNS.map((c) => [c, row[c]]))
  const [id] = await db('record_changes').insert({
    record_id: record.id,
    kind: 'correction',
    status: 'pending',
    reason: input.reason,
    document: null,
    proposed: JSON.stringify(proposed),
    filed_by: writer.userId,
    filed_at: now,
  })
  return id!
}

/**
 * The form shows sealed values masked; a masked value sent back unchanged (or left out) means "keep it", so the
 * clerk never needs the full ID number to correct another item of the record.
 */
function keepSealedValues(
  record: { data: string; sealed: string | null },
  values: Record<string, string | number | null>,
  store: StoreContext,
): Record<string, string | number | null> {
  if (!record.sealed) return values
  const shown: Record<string, unknown> = JSON.parse(record.data)
  const sealed: Record<string, string> = JSON.parse(record.sealed)
  const kept = { ...values }
  for (const [code, value] of Object.entries(sealed))
    if (!(code in values) || values[code] === shown[code]) kept[code] = openSensitiveValue(store.keys, code, value)
  return kept
}

export async function proposeWithdrawal(
  db: Knex,
  input: { recordId: number; reason: string; document: string },
  writer: RecordWriter,
  now: number,
): Promise<number> {
  const record = await changeable(db, input.recordId, writer)
  const [id] = await db('record_changes').insert({
    record_id: record.id,
    kind: 'withdrawal',
    status: 'pending',
    reason: input.reason,
    document: input.document,
    filed_by: writer.userId,
    filed_at: now,
  })
  return id!
}

/** Decides a filed change; approving applies it to the record in the same transaction. */
export async function decideChange(
  db: Knex,
  input: { id: number; decision: 'approved' | 'rejected'; comment: string | null },
  userId: number,
  now: number,
  today: IsoDate,
): Promise<{ recordId: number; version: number | null }> {
  return db.transaction(async (trx) => {
    const change = await trx('record_changes').where('id', input.id).first()
    if (!change) throw new AppError(ErrorCode.NotFound, 'change not found')
    if (change.status !== 'pending') throw new AppError(ErrorCode.InvalidState, 'already decided', { reason: 'decided' })
    if (change.filed_by === userId) throw new AppError(ErrorCode.SelfReview, 'filed by the same user')
    const decided = { status: input.decision, decided_by: userId, decided_at: now, decision_comment: input.comment }
    if (input.decision === 'rejected') {
      await trx('record_changes').where('id', change.id).update(decided)
      return { recordId: change.record_id, version: null }
    }
    const record = (await trx('records').where('id', change.record_id).first())!
    const version = record.version + 1
    const resent = {
      version,
      changed_at: now,
      acknowledged_in: null,
      rejected_code: null,
      rejected_reason: null,
      rejected_at: null,
      rejected_in: null,
    }
    if (change.kind === 'correction') {
      await trx('records')
        .where('id', record.id)
        .update({ ...JSON.parse(change.proposed!), ...resent })
    } else {
      // Out of disclosure from today (已撤销), if it was disclosed at all.
      await trx('records')
        .where('id', record.id)
        .update({
          withdrawn_on: today,
          withdrawal_doc: change.document,
          revoked_on: record.disclosure_ends_on ? (record.revoked_on ?? today) : null,
          ...resent,
        })
    }
    await trx('record_changes')
      .where('id', change.id)
      .update({ ...decided, version, previous_data: record.data, previous_sealed: record.sealed })
    return { recordId: record.id, version }
  })
}

/** A record's corrections and withdrawals, newest first, with the data each replaced (ID numbers masked). */
export async function recordChanges(db: Knex, recordId: number): Promise<RecordChange[]> {
  const rows = await db('record_changes as c')
    .join('users as f', 'f.id', 'c.filed_by')
    .leftJoin('users as d', 'd.id', 'c.decided_by')
    .where('c.record_id', recordId)
    .orderBy('c.id', 'desc')
    .select('c.*', 'f.display_name as filed_by_name', 'd.display_name as decided_by_name')
  return rows.map((c) => ({
    id: c.id,
    kind: c.kind,
    status: c.status,
    reason: c.reason,
    document: c.document ?? null,
    version: c.version ?? null,
    previousValues: c.previous_data ? JSON.parse(c.previous_data) : null,
    proposedValues: c.proposed ? JSON.parse(JSON.parse(c.proposed).data) : null,
    filedByName: c.filed_by_name,
    filedAt: Number(c.filed_at),
    decidedByName: c.decided_by_name ?? null,
    decidedAt: c.decided_at ? Number(c.decided_at) : null,
    comment: c.decision_comment ?? null,
  }))
}

/** Changes waiting for a supervisor, oldest first: the review queue. */
export async function pendingChanges(db: Knex) {
  return db('record_changes as c')
    .join('records as r', 'r.id', 'c.record_id')
    .join('users as f', 'f.id', 'c.filed_by')
    .where('c.status', 'pending')
    .orderBy('c.filed_at')
    .select(
      'c.id',
      'c.record_id',
      'c.kind',
      'c.reason',
      'c.filed_at',
      'r.subject_name',
      'r.doc_number',
      'r.item_code',
      'f.display_name as filed_by_name',
    )
}
