// 名单: red, black and 重点关注 lists (and kinds an office adds), entered here, imported from Excel or received from the
// city. One entry per subject, kind and 认定依据: the same decision arriving again updates the entry (merged), it never
// doubles it.
import type { Knex } from 'knex'
import type { CatalogField, FieldType } from '../../contract/schemas/catalog'
import { type ListEntry, type ListSource, type ListStatus } from '../../contract/schemas/credit'
import { fieldMessage } from '../../contract/messages.zh-CN'
import { ErrorCode } from '../../contract/errors'
import { AppError, fieldError } from '../shared/app-error'
import type { FieldKeys } from '../security/field-crypto'
import { checkRecord, type CheckContext } from '../catalog/record-check'
import { matchDictEntry, type AliasIndex } from '../system/dict-match'
import { loadDictAliases } from '../system/dictionaries'
import { readRecordRows, type HeaderMatch } from '../catalog/record-workbook'
import type { CreditListEntryRow } from '../../../db/tables'
import { identifySubject, subjectColumns, type Subject } from './subject'
import { listStatus, whereListStatus } from './list-status'

/** The columns of the list template and of a list workbook; the code column is checked as a subject code. */
const field = (
  code: string,
  name: string,
  type: FieldType,
  maxLength: number | null,
  required: boolean,
  dictTypeCode: string | null,
  checkRule: string | null,
): CatalogField => ({
  code,
  name,
  type,
  maxLength,
  required,
  dictTypeCode,
  checkRule,
  sensitive: false,
})
export const LIST_FIELDS: CatalogField[] = [
  field('ZTMC', '主体名称', 'text', 200, true, null, null),
  field('ZTDM', '统一社会信用代码或证件号码', 'text', 40, true, null, null),
  field('MDLX', '名单类型', 'dict', null, true, 'list_kind', null),
  field('RDDW', '认定单位', 'text', 200, true, null, null),
  field('RDYJ', '认定依据', 'text', 200, true, null, null),
  field('LRRQ', '列入日期', 'date', null, true, null, 'not_future'),
  field('YXQZ', '有效期至', 'date', null, false, null, 'not_before:LRRQ'),
  field('BZ', '备注', 'text', 500, false, null, null),
]

export interface ListEntryInput {
  subject: Subject
  kind: string
  decidedBy: string
  basis: string
  listedOn: string
  validUntil: string | null
  removedOn?: string | null
  removedReason?: string | null
  note: string | null
  externalId?: string | null
}

export interface ListLineage {
  source: ListSource
  createdBy: number | null
  packageId?: number | null
  batchId?: number | null
  now: number
}

/** Adds an entry, or updates the one with the same subject, kind and 认定依据. */
export async function upsertListEntry(
  trx: Knex | Knex.Transaction,
  keys: FieldKeys,
  e: ListEntryInput,
  lineage: ListLineage,
): Promise<{ id: number; merged: boolean }> {
  const existing = await trx('credit_list_entries').where({ subject_key: e.subject.key, list_kind: e.kind, basis: e.basis }).first('id')
  const values = {
    ...subjectColumns(keys, e.subject, 'credit_list_entries'),
    list_kind: e.kind,
    decided_by: e.decidedBy,
    basis: e.basis,
    listed_on: e.listedOn,
    valid_until: e.validUntil,
    removed_on: e.removedOn ?? null,
    removed_reason: e.removedReason ?? null,
    note: e.note,
    updated_at: lineage.now,
  }
  if (existing) {
    await trx('credit_list_entries')
      .where('id', existing.id)
      .update({ ...values, ...(e.externalId ? { external_id: e.externalId } : {}) })
    return { id: existing.id, merged: true }
  }
  const [id] = await trx('credit_list_entries').insert({
    ...values,
    source: lineage.source,
    external_id: e.externalId ?? null,
    package_id: lineage.packageId ?? null,
    batch_id: lineage.batchId ?? null,
    created_by: lineage.createdBy,
    created_at: lineage.now,
  })
  return { id: id!, merged: false }
}

/** The kinds in the dictionary (value → label); a kind typed by its label or an alias is read as its value. */
export async function listKinds(db: Knex): Promise<Map<string, string>> {
  const rows = await db('dict_items').where({ type_code: 'list_kind', enabled: true }).orderBy('sort_order').select('value', 'label')
  return new Map(rows.map((r) => [r.value, r.label]))
}

/** The dictionary's aliases of the kinds (严重失信主体名单 is the 2021+ name of the 黑名单; the office can add others). */
export async function listKindAliases(db: Knex): Promise<AliasIndex | undefined> {
  return (await loadDictAliases(db)).get('list_kind')
}

export function kindValue(kinds: Map<string, string>, typed: string, aliases: AliasIndex | undefined): string | null {
  return matchDictEntry(kinds, aliases, typed)
}

/** An entry typed on the 名单管理 page: the code is required and must pass its check. */
export async function saveLocalEntry(
  db: Knex,
  keys: FieldKeys,
  input: {
    name: string
    code: string
    kind: string
    decidedBy: string
    basis: string
    listedOn: string
    validUntil: string | null
    note: string | null
  },
  userId: number,
  now: number,
  today: string,
) {
  const who = identifySubject(keys, input.name, input.code, today)
  const kind = kindValue(await listKinds(db), input.kind, await listKindAliases(db))
  const issues = []
  if (!who.ok) issues.push({ path: 'code', message: who.reason })
  if (!kind) issues.push({ path: 'kind', message: 'dict.unknown' })
  if (input.listedOn > today) issues.push({ path: 'listedOn', message: 'date.future' })
  if (input.validUntil && input.validUntil < input.listedOn)
    issues.push({ path: 'validUntil', message: 'date.before', params: { other: '列入日期' } })
  if (issues.length || !who.ok) throw fieldError(issues)
  return db.transaction((trx) =>
    upsertListEntry(trx, keys, { ...input, subject: who.subject, kind: kind! }, { source: 'local', createdBy: userId, now }),
  )
}

export async function removeListEntry(db: Knex, id: number, removedOn: string, reason: string, now: number): Promise<void> {
  const row = await db('credit_list_entries').where('id', id).first('listed_on', 'removed_on')
  if (!row) throw new AppError(ErrorCode.NotFound, 'no such list entry')
  if (row.removed_on) throw new AppError(ErrorCode.InvalidState, 'already removed', { reason: 'list_removed' })
  if (removedOn < row.listed_on) throw fieldError([{ path: 'removedOn', message: 'date.before', params: { other: '列入日期' } }])
  await db('credit_list_entries').where('id', id).update({ removed_on: removedOn, removed_reason: reason, updated_at: now })
}

export function listEntryOf(r: CreditListEntryRow, kinds: Map<string, string>, today: string): ListEntry {
  return {
    id: r.id,
    subjectName: r.subject_name,
    subjectType: r.subject_type,
    subjectShown: r.subject_code ?? r.subject_id_masked,
    kind: r.list_kind,
    kindLabel: kinds.get(r.list_kind) ?? r.list_kind,
    decidedBy: r.decided_by,
    basis: r.basis,
    listedOn: r.listed_on,
    validUntil: r.valid_until,
    removedOn: r.removed_on,
    removedReason: r.removed_reason,
    status: listStatus({ validUntil: r.valid_until, removedOn: r.removed_on }, today),
    source: r.source,
    note: r.note,
  }
}

export interface ListQueryInput {
  kind: string | null
  status: ListStatus | null
  source: ListSource | null
  keyword: string | null
  page: number
  pageSize: number
}

export async function queryLists(db: Knex, keys: FieldKeys, q: ListQueryInput, today: string) {
  const base = () => {
    const b = db('credit_list_entries as l')
    if (q.kind) b.where('l.list_kind', q.kind)
    if (q.source) b.where('l.source', q.source)
    if (q.status) whereListStatus(b, q.status, today)
    if (q.keyword) {
      const who = identifySubject(keys, null, q.keyword, today)
      if (who.ok) b.where('l.subject_key', who.subject.key)
      else b.where('l.subject_name', 'like', `%${q.keyword.replace(/[%_\\]/g, (c) => `\\${c}`)}%`)
    }
    return b
  }
  const total = Number((await base().count({ n: '*' }).first())?.n ?? 0)
  const rows = await base()
    .orderBy([
      { column: 'l.listed_on', order: 'desc' },
      { column: 'l.id', order: 'desc' },
    ])
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .select<CreditListEntryRow[]>('l.*')
  const kinds = await listKinds(db)
  return { items: rows.map((r) => listEntryOf(r, kinds, today)), total }
}

export interface ListImportIssue {
  row: number
  column: string
  columnName: string
  reason: string
}

export interface ListImportOutcome {
  /** The workbook's header as read (for the error workbook, which repeats the rows as the file had them). */
  header: HeaderMatch | null
  rows: number
  imported: number
  merged: number
  rejected: number
  issues: ListImportIssue[]
}

/**
 * Imports a list workbook (read in the parse worker) in one transaction. Every row is checked like a record row, and
 * its code as a subject code; unless `validOnly`, one bad row means nothing is imported. A row repeating an earlier
 * one (same subject, kind and 认定依据) merges into it.
 */
export async function importListWorkbook(
  db: Knex,
  keys: FieldKeys,
  path: string,
  ctx: CheckContext,
  o: {
    validOnly: boolean
    /** Check every row and count, write nothing (the command line's --dry-run). */
    dryRun?: boolean
    createdBy: number | null
    now: number
    fileName: string
    beforeCommit?: (trx: Knex.Transaction, r: ListImportOutcome) => Promise<void>
  },
): Promise<ListImportOutcome> {
  const names = new Map(LIST_FIELDS.map((f) => [f.code, f.name]))
  const issues: ListImportIssue[] = []
  const good: Array<{ row: number; entry: ListEntryInput }> = []
  let rows = 0
  let header: HeaderMatch | null = null
  const bad = new Set<number>()
  const add = (row: number, column: string, message: string, params?: Record<string, string | number>) => {
    bad.add(row)
    if (issues.length < 10_000) issues.push({ row, column, columnName: names.get(column) ?? column, reason: fieldMessage(message, params) })
  }
  for await (const event of readRecordRows(path, LIST_FIELDS)) {
    if (event.kind === 'header') {
      header = event.header
      if (event.header.missingRequired.length)
        throw new AppError(ErrorCode.ImportFileRejected, 'required columns missing', {
          reason: 'missing_columns',
          columns: event.header.missingRequired.map((c) => names.get(c) ?? c),
        })
      continue
    }
    if (event.kind === 'end') {
      for (const m of event.merged) for (let r = m.fromRow; r <= m.toRow; r++) if (r > 1) add(r, 'ZTMC', 'cell.merged', { range: m.range })
      continue
    }
    rows++
    const checked = checkRecord(LIST_FIELDS, event.raw, ctx)
    for (const i of checked.issues) add(event.row, i.column, i.message, i.params)
    const who = identifySubject(keys, String(checked.values.ZTMC ?? ''), String(checked.values.ZTDM ?? ''), ctx.today)
    if (checked.values.ZTDM != null && !who.ok) add(event.row, 'ZTDM', who.reason)
    if (bad.has(event.row) || !who.ok) continue
    const v = checked.values
    good.push({
      row: event.row,
      entry: {
        subject: who.subject,
        kind: String(v.MDLX),
        decidedBy: String(v.RDDW),
        basis: String(v.RDYJ),
        listedOn: String(v.LRRQ),
        validUntil: typeof v.YXQZ === 'string' ? v.YXQZ : null,
        note: typeof v.BZ === 'string' ? v.BZ : null,
      },
    })
  }
  const keep = good.filter((g) => !bad.has(g.row))
  const outcome: ListImportOutcome = { header, rows, imported: 0, merged: 0, rejected: bad.size, issues }
  if (o.dryRun || (bad.size && !o.validOnly)) return outcome
  await db.transaction(async (trx) => {
    for (const g of keep) {
      const r = await upsertListEntry(trx, keys, g.entry, { source: 'import', createdBy: o.createdBy, now: o.now })
      if (r.merged) outcome.merged++
      else outcome.imported++
    }
    await o.beforeCommit?.(trx, outcome)
  })
  return outcome
}
