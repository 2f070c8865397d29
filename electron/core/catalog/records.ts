import { v7 as timeOrderedUuid } from 'uuid'
import type { Knex } from 'knex'
import type { CatalogItem } from '../../contract/schemas/catalog'
import { ErrorCode } from '../../contract/errors'
import type { FieldKeys } from '../security/field-crypto'
import { blindIndex, maskIdNumber, openField, sealField } from '../security/field-crypto'
import { AppError } from '../shared/app-error'
import { bulkInserter, type BulkInserter } from '../shared/insert-many'
import { disclosureWindow, type DishonestyLevel, type DisclosureRule } from './disclosure'
import type { CellValue } from './record-check'
import { previewImport, REPORTING_WORKING_DAYS, type ImportPreview, type PreviewContext } from './record-import'

export interface RecordLineage {
  supplierUnitId: number | null
  createdBy: number | null
  batchId: number | null
  now: number
}

export interface StoreContext extends PreviewContext {
  keys: FieldKeys
  /** For 失信 (bad) items: the disclosure window of each record follows the rule in force. */
  disclosureRules: DisclosureRule[]
}

/** Which data items carry the subject, its code, the document number and the decision date. */
interface RecordShape {
  nameField: string
  typeField?: string
  codeField?: string
  docField?: string
  decisionField?: string
  /** 失信等级 per record (a `dishonesty_level` data item); empty means the item's level. */
  levelField?: string
  /** The subject's own ID number(s): these give the blind index the list searches by. */
  idFields: string[]
  /** Every value sealed at rest and masked in `data` (the ID fields and any item marked sensitive). */
  sensitiveFields: string[]
}

// Worked out once per catalog item version, not once per imported row.
const shapes = new WeakMap<CatalogItem, RecordShape>()

function shapeOf(item: CatalogItem): RecordShape {
  let shape = shapes.get(item)
  if (!shape) {
    const find = (pred: (f: CatalogItem['fields'][number]) => boolean) => item.fields.find(pred)?.code
    shape = {
      nameField: find((f) => f.code === 'XDR_MC') ?? find((f) => f.type === 'text' && f.required) ?? item.fields[0]!.code,
      typeField: find((f) => f.dictTypeCode === 'subject_type'),
      codeField: find((f) => f.checkRule === 'subject_code') ?? find((f) => f.type === 'uscc'),
      docField: find((f) => f.checkRule === 'document_number'),
      decisionField: find((f) => f.checkRule === 'decision_date'),
      levelField: find((f) => f.dictTypeCode === 'dishonesty_level'),
      idFields: item.fields.filter((f) => f.type === 'idcard').map((f) => f.code),
      sensitiveFields: item.fields.filter((f) => f.sensitive || f.type === 'idcard').map((f) => f.code),
    }
    shapes.set(item, shape)
  }
  return shape
}

/** A record's sensitive value sealed; the field code is bound in, so a value moved to another field does not open. */
export function sealSensitiveValue(keys: FieldKeys, code: string, value: string): string {
  return sealField(keys, value, `records.${code}`)
}

export function openSensitiveValue(keys: FieldKeys, code: string, sealed: string): string {
  return openField(keys, sealed, `records.${code}`)
}

/** The columns of one record: ID numbers sealed and blind-indexed, shown masked inside `data`. */
export function recordRow(item: CatalogItem, values: Record<string, CellValue>, lineage: RecordLineage, ctx: StoreContext) {
  const { nameField, typeField, codeField, docField, decisionField, levelField, idFields, sensitiveFields } = shapeOf(item)
  const data: Record<string, CellValue> = { ...values }
  const sealed: Record<string, string> = {}
  for (const code of sensitiveFields) {
    const v = values[code]
    if (typeof v !== 'string' || v === '') continue
    sealed[code] = sealSensitiveValue(ctx.keys, code, v)
    data[code] = maskIdNumber(v)
  }
  const subjectId = idFields.map((code) => values[code]).find((v): v is string => typeof v === 'string' && v !== '')
  const idIndex = subjectId ? blindIndex(ctx.keys, subjectId, 'person.id') : null
  const subjectName = String(values[nameField] ?? '')
  const subjectCode = codeField && typeof values[codeField] === 'string' ? (values[codeField] as string) : null
  const decision = decisionField && typeof values[decisionField] === 'string' ? (values[decisionField] as string) : null
  const deadline = decision ? ctx.calendar.addWorkingDays(decision, REPORTING_WORKING_DAYS).value : null
  const level = item.infoClass === 'bad' ? recordLevel(levelField ? values[levelField] : null, item.dishonestyLevel) : null
  const window = level && decision ? disclosureWindow(ctx.disclosureRules, decision, level) : null
  return {
    // Time-ordered (RFC 9562 v7): new records land at the end of the uid index instead of all over it, which made
    // a 100,000-row import spend a fifth of its insert time there. (The time it shows is created_at, sent anyway.)
    uid: timeOrderedUuid(),
    item_code: item.code,
    item_id: item.id,
    subject_name: subjectName,
    subject_type: typeField ? ((values[typeField] as string | null) ?? null) : null,
    subject_code: subjectCode,
    subject_id_index: idIndex,
    subject_key: subjectCode ?? (idIndex ? `id:${idIndex}` : `name:${subjectName}`),
    doc_number: docField ? ((values[docField] as string | null) ?? null) : null,
    decision_date: decision,
    deadline_date: deadline,
    reported_on: ctx.reportedOn,
    is_late: deadline != null && ctx.reportedOn > deadline,
    data: JSON.stringify(data),
    sealed: Object.keys(sealed).length ? JSON.stringify(sealed) : null,
    supplier_unit_id: lineage.supplierUnitId,
    batch_id: lineage.batchId,
    created_by: lineage.createdBy,
    created_at: lineage.now,
    dishonesty_level: level,
    repairable_from: window?.repairableFrom ?? null,
    disclosure_ends_on: window?.endsOn ?? null,
  }
}

/** The record's own 失信等级 when given, else the item's, else 一般. */
function recordLevel(own: CellValue | undefined, itemLevel: CatalogItem['dishonestyLevel']): DishonestyLevel {
  return own === 'minor' || own === 'general' || own === 'serious' ? own : (itemLevel ?? 'general')
}

export type ImportMode = 'all' | 'valid_only'

export interface ImportOptions {
  mode: ImportMode
  fileName: string
  supplierUnitId: number | null
  createdBy: number | null
  via: 'app' | 'cli'
  now: number
  signal?: AbortSignal
  onProgress?: (rowsRead: number) => void
  /** Runs inside the import's transaction once the outcome is known (the audit row goes here). */
  beforeCommit?: (trx: Knex.Transaction, result: ImportResult) => Promise<void>
}

export interface ImportResult {
  batchId: number | null
  imported: number
  preview: ImportPreview
}

/** Rows per insert statement (22 columns: within SQLite's 32,766 parameters), and batches queued ahead of the checks. */
const BATCH = 1000
const WRITES_AHEAD = 3
const IMPORT_CACHE_KIB = 64 * 1024

/**
 * Imports a workbook in one transaction: rows are checked and written as they stream in, so memory
 * stays bounded. In 'all' mode (the default users get) any bad row, a cancel or a failure rolls
 * everything back; in 'valid_only' the bad rows are left out and reported. Either way the result
 * carries the full preview with row-level reasons.
 */
export async function importRecords(
  db: Knex,
  item: CatalogItem,
  path: string,
  ctx: StoreContext,
  opts: ImportOptions,
): Promise<ImportResult> {
  let outcome: ImportResult | undefined
  const cacheSize = Number((await db.raw<Array<{ cache_size: number }>>('PRAGMA cache_size'))[0]?.cache_size ?? -2000)
  // The insert updates the records table's many indexes: within SQLite's default 2 MiB page cache it spills and
  // re-reads pages all along (a 100,000-row import: 4 s of system time, against under 1 s with 64 MiB).
  await db.raw(`PRAGMA cache_size = ${-IMPORT_CACHE_KIB}`)
  try {
    await db.transaction(async (trx) => {
      const [batchId] = await trx('import_batches').insert({
        item_code: item.code,
        item_id: item.id,
        file_name: opts.fileName,
        mode: opts.mode,
        rows: 0,
        imported: 0,
        rejected: 0,
        late: 0,
        supplier_unit_id: opts.supplierUnitId,
        created_by: opts.createdBy,
        via: opts.via,
        created_at: opts.now,
      })
      const lineage = { supplierUnitId: opts.supplierUnitId, createdBy: opts.createdBy, batchId: batchId!, now: opts.now }
      const inserted = new Map<number, string>()
      type Pending = Array<{ row: number; record: ReturnType<typeof recordRow>; reject: (c: string, m: string) => void }>
      let pending: Pending = []
      const writing: Array<Promise<void>> = []
      let inserter: BulkInserter | null = null
      const docField = item.fields.find((f) => f.checkRule === 'document_number')?.code ?? ''

      // In-file duplicates never reach here (the preview rejects them first), so batches are independent: they are
      // written in SQLite's thread while the next rows are read and checked.
      const write = async (batch: Pending) => {
        const docs = batch.map((p) => p.record.doc_number).filter((d): d is string => d != null)
        const existing = new Set(
          docs.length
            ? (await trx('records').where('item_code', item.code).whereIn('doc_number', docs).select('doc_number', 'subject_key')).map(
                (r) => `${r.doc_number}|${r.subject_key}`,
              )
            : [],
        )
        const fresh = batch.filter((p) => {
          const dup = p.record.doc_number != null && existing.has(`${p.record.doc_number}|${p.record.subject_key}`)
          if (dup) p.reject(docField, 'record.duplicateInDb')
          return !dup
        })
        if (!fresh.length) return
        inserter ??= await bulkInserter(trx, 'records', Object.keys(fresh[0]!.record), BATCH)
        await inserter.insert(fresh.map((p) => p.record))
        for (const p of fresh) inserted.set(p.row, p.record.uid)
      }
      const closeInserter = async () => inserter?.close()
      // One statement at a time reaches SQLite: node-sqlite3 finalizes statements on the main thread, which then
      // waits for the database lock whenever a second statement is queued behind a long insert.
      let last: Promise<void> = Promise.resolve()
      const flush = async () => {
        const batch = pending
        pending = []
        last = last.then(() => write(batch))
        last.catch(() => undefined) // awaited below or by drain; a failure meanwhile is not "unhandled"
        writing.push(last)
        if (writing.length > WRITES_AHEAD) await writing.shift()
      }
      const drain = async () => {
        await flush()
        while (writing.length) await writing.shift()
        await closeInserter()
      }

      let preview: ImportPreview
      try {
        preview = await previewImport(path, item, ctx, {
          signal: opts.signal,
          onProgress: opts.onProgress,
          onRow: async (row, checked, reject) => {
            pending.push({ row, record: recordRow(item, checked.values, lineage, ctx), reject })
            if (pending.length >= BATCH) await flush()
          },
          beforeFinish: drain,
        })
      } catch (err) {
        // A cancel or a bad file mid-way: let the batches being written settle before the rollback,
        // so none can fail later against a finished transaction.
        await Promise.allSettled(writing)
        await closeInserter()
        throw err
      }
      if (opts.mode === 'all' && preview.invalidRows > 0) {
        outcome = { batchId: null, imported: 0, preview }
        throw new AppError(ErrorCode.ImportHasErrors, 'rows with errors; nothing imported', { invalidRows: preview.invalidRows })
      }
      // Rows found bad only at the end (merged cells) come out again.
      const lateBad = [...new Set(preview.issues.map((i) => i.row))].filter((r) => inserted.has(r))
      for (let i = 0; i < lateBad.length; i += BATCH)
        await trx('records')
          .whereIn(
            'uid',
            lateBad.slice(i, i + BATCH).map((r) => inserted.get(r)!),
          )
          .del()
      const imported = inserted.size - lateBad.length
      const late = imported ? Number((await trx('records').where({ batch_id: batchId, is_late: true }).count({ n: '*' }))[0]!.n) : 0
      await trx('import_batches').where('id', batchId).update({ rows: preview.rows, imported, rejected: preview.invalidRows, late })
      outcome = { batchId: batchId!, imported, preview }
      await opts.beforeCommit?.(trx, outcome)
    })
  } catch (err) {
    if (err instanceof AppError && err.code === ErrorCode.ImportHasErrors && outcome) return outcome
    throw err
  } finally {
    await db.raw(`PRAGMA cache_size = ${cacheSize}`)
  }
  return outcome!
}
