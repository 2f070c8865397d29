import type { Knex } from 'knex'
import { ErrorCode, type FieldIssue } from '../../contract/errors'
import {
  CHECK_RULES,
  CatalogStatus,
  type CatalogChange,
  type CatalogField,
  type CatalogItem,
  type CatalogQuery,
  type CatalogSummary,
  SaveDraftInput,
} from '../../contract/schemas/catalog'
import { FIELD_TYPE_LABELS } from '../../contract/labels.zh-CN'
import { AppError, fieldError } from '../shared/app-error'
import type { Clock } from '../shared/clock'
import { countRows } from '../shared/count-rows'
import type { CatalogFieldRow, CatalogItemRow } from '../../../db/tables'

const summaryColumns = (db: Knex) => [
  'i.*',
  'c.name as category_name',
  'u.name as supplier_unit_name',
  db.raw('(SELECT count(*) FROM catalog_fields f WHERE f.item_id = i.id) AS field_count'),
]

/** A catalog_items row with the columns summaryColumns adds. */
type SummaryRow = CatalogItemRow & { category_name: string; supplier_unit_name: string | null; field_count: number }

function toSummary(row: SummaryRow): CatalogSummary {
  return {
    id: row.id,
    code: row.code,
    version: row.version,
    status: row.status,
    categoryCode: row.category_code,
    categoryName: row.category_name,
    name: row.name,
    infoClass: row.info_class,
    dishonestyLevel: row.dishonesty_level ?? null,
    source: row.source,
    supplierUnitName: row.supplier_unit_name ?? null,
    fieldCount: Number(row.field_count),
    updatedAt: Number(row.updated_at),
  }
}

function toField(row: CatalogFieldRow): CatalogField {
  return {
    code: row.code,
    name: row.name,
    type: row.type,
    maxLength: row.max_length ?? null,
    required: Boolean(row.required),
    dictTypeCode: row.dict_type_code ?? null,
    checkRule: row.check_rule ?? null,
    sensitive: Boolean(row.sensitive),
  }
}

export async function listCategories(db: Knex) {
  const rows = await db('catalog_categories').orderBy('code')
  return rows.map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code ?? null }))
}

/** Paged, filtered in SQL. By default superseded versions are hidden: one live row per item. */
export async function listCatalog(db: Knex, q: CatalogQuery): Promise<{ items: CatalogSummary[]; total: number }> {
  const filtered = () => {
    const b = db('catalog_items as i')
    if (q.keyword) {
      const like = `%${q.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      b.where((w) => w.whereRaw("i.name LIKE ? ESCAPE '\\'", [like]).orWhereRaw("i.code LIKE ? ESCAPE '\\'", [like]))
    }
    if (q.status) b.where('i.status', q.status)
    else if (q.currentOnly) b.whereNot('i.status', CatalogStatus.Superseded)
    if (q.categoryCode) b.where((w) => w.where('i.category_code', q.categoryCode!).orWhere('i.category_code', 'like', `${q.categoryCode}%`))
    if (q.infoClass) b.where('i.info_class', q.infoClass)
    return b
  }
  const total = await countRows(filtered())
  const rows = await filtered()
    .join('catalog_categories as c', 'c.code', 'i.category_code')
    .leftJoin('org_units as u', 'u.id', 'i.supplier_unit_id')
    .select(summaryColumns(db))
    .orderBy([{ column: 'i.code' }, { column: 'i.version', order: 'desc' }])
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
  return { items: rows.map(toSummary), total }
}

export async function getCatalogItem(db: Knex, id: number): Promise<CatalogItem> {
  const row = await db('catalog_items as i')
    .join('catalog_categories as c', 'c.code', 'i.category_code')
    .leftJoin('org_units as u', 'u.id', 'i.supplier_unit_id')
    .leftJoin('users as cu', 'cu.id', 'i.created_by')
    .leftJoin('users as ru', 'ru.id', 'i.reviewed_by')
    .select([...summaryColumns(db), 'cu.display_name as created_by_name', 'ru.display_name as reviewed_by_name'])
    .where('i.id', id)
    .first()
  if (!row) throw new AppError(ErrorCode.NotFound, 'catalog item not found')
  const fields = await db('catalog_fields').where('item_id', id).orderBy('sort_order')
  return {
    ...toSummary(row),
    subjectTypes: JSON.parse(row.subject_types),
    supplierUnitId: row.supplier_unit_id ?? null,
    disclosure: row.disclosure,
    updateFrequency: row.update_frequency,
    collectionMethod: row.collection_method,
    legalBasis: row.legal_basis ?? null,
    disclosureMonths: row.disclosure_months ?? null,
    retentionYears: row.retention_years ?? null,
    createdByName: row.created_by_name ?? null,
    reviewedByName: row.reviewed_by_name ?? null,
    reviewedAt: row.reviewed_at == null ? null : Number(row.reviewed_at),
    reviewComment: row.review_comment ?? null,
    fields: fields.map(toField),
  }
}

/** The approved (in force) version of an item code. */
export async function currentItem(db: Knex, code: string): Promise<CatalogItem> {
  const row = await db('catalog_items').where({ code, status: CatalogStatus.Approved }).first('id')
  if (!row) throw new AppError(ErrorCode.NotFound, 'no approved version', { code })
  return getCatalogItem(db, row.id)
}

export async function listVersions(db: Knex, code: string): Promise<CatalogSummary[]> {
  const rows = await db('catalog_items as i')
    .join('catalog_categories as c', 'c.code', 'i.category_code')
    .leftJoin('org_units as u', 'u.id', 'i.supplier_unit_id')
    .select(summaryColumns(db))
    .where('i.code', code)
    .orderBy('i.version', 'desc')
  return rows.map(toSummary)
}

async function dictValues(db: Knex, typeCode: string): Promise<Set<string>> {
  return new Set(await db('dict_items').where({ type_code: typeCode, enabled: true }).pluck('value'))
}

/** Everything a draft must satisfy before it is stored; problems come back as field issues. */
async function draftIssues(db: Knex, input: SaveDraftInput): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = []
  if (!(await db('catalog_categories').where('code', input.categoryCode).first('code')))
    issues.push({ path: 'categoryCode', message: 'catalog.category' })
  const dictChecks: Array<[path: string, values: string[], type: string]> = [
    ['subjectTypes', input.subjectTypes, 'subject_type'],
    ['disclosure', [input.disclosure], 'disclosure'],
    ['updateFrequency', [input.updateFrequency], 'update_frequency'],
    ['collectionMethod', [input.collectionMethod], 'collection_method'],
    ['source', [input.source], 'catalog_source'],
  ]
  for (const [path, values, type] of dictChecks) {
    const allowed = await dictValues(db, type)
    if (values.some((v) => !allowed.has(v))) issues.push({ path, message: 'catalog.dictValue' })
  }
  if ((input.infoClass === 'bad') !== (input.dishonestyLevel != null)) issues.push({ path: 'dishonestyLevel', message: 'catalog.level' })
  if (input.supplierUnitId != null && !(await db('org_units').where('id', input.supplierUnitId).first('id'))) {
    issues.push({ path: 'supplierUnitId', message: 'unit.missing' })
  }
  const dictTypes = new Set(await db('dict_types').pluck('code'))
  const codes = input.fields.map((f) => f.code)
  input.fields.forEach((f, i) => {
    if (codes.indexOf(f.code) !== i) issues.push({ path: `fields.${i}.code`, message: 'field.duplicate' })
    if (f.type === 'dict' ? !f.dictTypeCode || !dictTypes.has(f.dictTypeCode) : f.dictTypeCode) {
      issues.push({ path: `fields.${i}.dictTypeCode`, message: 'field.dictMissing' })
    }
    if (f.checkRule && !isKnownRule(f.checkRule, input.fields)) issues.push({ path: `fields.${i}.checkRule`, message: 'field.ruleUnknown' })
  })
  return issues
}

/** A listed rule, `not_before:<a date item>` or `id_doc:<a 证件类型 item>`. */
function isKnownRule(rule: string, fields: SaveDraftInput['fields']): boolean {
  if ((CHECK_RULES as readonly string[]).includes(rule)) return true
  const before = /^not_before:([A-Z][A-Z0-9_]*)$/.exec(rule)?.[1]
  if (before) return fields.some((f) => f.code === before)
  const docType = /^id_doc:([A-Z][A-Z0-9_]*)$/.exec(rule)?.[1]
  return docType != null && fields.some((f) => f.code === docType && f.dictTypeCode === 'id_doc_type')
}

function itemColumns(input: SaveDraftInput) {
  return {
    category_code: input.categoryCode,
    name: input.name,
    info_class: input.infoClass,
    dishonesty_level: input.dishonestyLevel,
    subject_types: JSON.stringify(input.subjectTypes),
    supplier_unit_id: input.supplierUnitId,
    disclosure: input.disclosure,
    update_frequency: input.updateFrequency,
    collection_method: input.collectionMethod,
    legal_basis: input.legalBasis,
    source: input.source,
    disclosure_months: input.disclosureMonths,
    retention_years: input.retentionYears,
  }
}

async function writeFields(db: Knex, itemId: number, fields: CatalogField[]): Promise<void> {
  await db('catalog_fields').where('item_id', itemId).del()
  await db('catalog_fields').insert(
    fields.map((f, i) => ({
      item_id: itemId,
      sort_order: (i + 1) * 10,
      code: f.code,
      name: f.name,
      type: f.type,
      max_length: f.maxLength,
      required: f.required,
      dict_type_code: f.type === 'dict' ? f.dictTypeCode : null,
      check_rule: f.checkRule,
      sensitive: f.sensitive,
    })),
  )
}

async function requireItem(db: Knex, id: number) {
  const row = await db('catalog_items').where('id', id).first()
  if (!row) throw new AppError(ErrorCode.NotFound, 'catalog item not found')
  return row
}

function requireStatus(row: { status: string }, ...allowed: string[]): void {
  if (!allowed.includes(row.status)) throw new AppError(ErrorCode.InvalidState, `item is ${row.status}`, { status: row.status })
}

/** Creates a new item (version 1) or updates one of its drafts. Approved versions are never edited. */
export async function saveDraft(db: Knex, clock: Clock, userId: number, input: SaveDraftInput): Promise<number> {
  const issues = await draftIssues(db, input)
  const now = clock.now()
  if (input.id != null) {
    const row = await requireItem(db, input.id)
    requireStatus(row, CatalogStatus.Draft)
    if (issues.length) throw fieldError(issues)
    await db('catalog_items')
      .where('id', row.id)
      .update({ ...itemColumns(input), updated_at: now })
    await writeFields(db, row.id, input.fields)
    return row.id
  }
  if (await db('catalog_items').where('code', input.code).first('id')) issues.unshift({ path: 'code', message: 'catalog.codeTaken' })
  if (issues.length) throw fieldError(issues)
  const [id] = await db('catalog_items').insert({
    ...itemColumns(input),
    code: input.code,
    version: 1,
    status: CatalogStatus.Draft,
    created_by: userId,
    created_at: now,
    updated_at: now,
  })
  await writeFields(db, id!, input.fields)
  return id!
}

export async function submitItem(db: Knex, clock: Clock, id: number): Promise<void> {
  requireStatus(await requireItem(db, id), CatalogStatus.Draft)
  await db('catalog_items').where('id', id).update({ status: CatalogStatus.Submitted, review_comment: null, updated_at: clock.now() })
}

/**
 * A supervisor approves (the previous approved version becomes superseded) or returns the item to
 * draft with a comment. Nobody reviews an item they drafted themselves (four-eyes principle).
 */
export async function reviewItem(
  db: Knex,
  clock: Clock,
  reviewerId: number,
  id: number,
  decision: 'approve' | 'return',
  comment: string | null,
): Promise<void> {
  const row = await requireItem(db, id)
  requireStatus(row, CatalogStatus.Submitted)
  if (row.created_by === reviewerId) throw new AppError(ErrorCode.SelfReview, 'reviewer drafted this item')
  if (decision === 'return' && !comment) throw fieldError([{ path: 'comment', message: 'catalog.commentRequired' }])
  const now = clock.now()
  if (decision === 'approve') {
    await db('catalog_items')
      .where({ code: row.code, status: CatalogStatus.Approved })
      .update({ status: CatalogStatus.Superseded, updated_at: now })
  }
  await db('catalog_items')
    .where('id', id)
    .update({
      status: decision === 'approve' ? CatalogStatus.Approved : CatalogStatus.Draft,
      reviewed_by: reviewerId,
      reviewed_at: now,
      review_comment: comment,
      updated_at: now,
    })
}

/** Starts the next version of an approved item as a draft copy; only one open version at a time. */
export async function newVersion(db: Knex, clock: Clock, userId: number, id: number): Promise<number> {
  const row = await requireItem(db, id)
  requireStatus(row, CatalogStatus.Approved)
  const open = await db('catalog_items')
    .where('code', row.code)
    .whereIn('status', [CatalogStatus.Draft, CatalogStatus.Submitted])
    .first('id', 'version')
  if (open) throw new AppError(ErrorCode.InvalidState, 'an open version exists', { openId: open.id, openVersion: open.version })
  const latest = await db('catalog_items').where('code', row.code).max({ v: 'version' }).first()
  const full = await requireItem(db, id)
  const now = clock.now()
  const { id: _id, status: _s, version: _v, reviewed_by: _rb, reviewed_at: _ra, review_comment: _rc, ...copy } = full
  const [newId] = await db('catalog_items').insert({
    ...copy,
    version: Number(latest?.v ?? 0) + 1,
    status: CatalogStatus.Draft,
    created_by: userId,
    created_at: now,
    updated_at: now,
  })
  const fields = await db('catalog_fields').where('item_id', id).orderBy('sort_order')
  await writeFields(db, newId!, fields.map(toField))
  return newId!
}

export async function retireItem(db: Knex, clock: Clock, id: number): Promise<void> {
  requireStatus(await requireItem(db, id), CatalogStatus.Approved)
  await db('catalog_items').where('id', id).update({ status: CatalogStatus.Retired, updated_at: clock.now() })
}

const COMPARED: Array<keyof CatalogItem> = [
  'name',
  'categoryName',
  'infoClass',
  'dishonestyLevel',
  'subjectTypes',
  'supplierUnitName',
  'disclosure',
  'updateFrequency',
  'collectionMethod',
  'legalBasis',
  'source',
  'disclosureMonths',
  'retentionYears',
]

// Attributes whose stored values are dictionary codes: compared by their Chinese labels.
const DICT_OF: Partial<Record<keyof CatalogItem, string>> = {
  infoClass: 'info_class',
  dishonestyLevel: 'dishonesty_level',
  subjectTypes: 'subject_type',
  disclosure: 'disclosure',
  updateFrequency: 'update_frequency',
  collectionMethod: 'collection_method',
  source: 'catalog_source',
}

function describeField(f: CatalogField): string {
  const parts = [
    f.name,
    FIELD_TYPE_LABELS[f.type] ?? f.type,
    f.maxLength ? `长度${f.maxLength}` : '',
    f.required ? '必填' : '选填',
    f.dictTypeCode ?? '',
    f.checkRule ?? '',
  ]
  return parts.filter(Boolean).join('，')
}

/** What changed between two versions: item attributes, then data items added, removed or changed. */
export async function compareItems(db: Knex, fromId: number, toId: number) {
  const from = await getCatalogItem(db, fromId)
  const to = await getCatalogItem(db, toId)
  const labels = new Map<string, string>(
    (await db('dict_items').whereIn('type_code', Object.values(DICT_OF)).select('type_code', 'value', 'label')).map((r) => [
      `${r.type_code}:${r.value}`,
      r.label,
    ]),
  )
  const show = (key: keyof CatalogItem, value: unknown): string | null => {
    if (value == null) return null
    const label = (v: unknown) => (DICT_OF[key] ? (labels.get(`${DICT_OF[key]}:${v}`) ?? String(v)) : String(v))
    return Array.isArray(value) ? value.map(label).join('、') : label(value)
  }
  const changes: CatalogChange[] = []
  for (const key of COMPARED) {
    const a = show(key, from[key])
    const b = show(key, to[key])
    if (a !== b) changes.push({ key, kind: 'changed', before: a, after: b })
  }
  const before = new Map(from.fields.map((f) => [f.code, f]))
  const after = new Map(to.fields.map((f) => [f.code, f]))
  for (const [code, f] of after) {
    const old = before.get(code)
    if (!old) changes.push({ key: `field:${code}`, kind: 'added', before: null, after: describeField(f) })
    else if (describeField(old) !== describeField(f))
      changes.push({ key: `field:${code}`, kind: 'changed', before: describeField(old), after: describeField(f) })
  }
  for (const [code, f] of before)
    if (!after.has(code)) changes.push({ key: `field:${code}`, kind: 'removed', before: describeField(f), after: null })
  return { from, to, changes }
}

/** An item as it travels between offices: its content, without local ids or review state. */
export function portableItem(item: CatalogItem): Omit<SaveDraftInput, 'id'> {
  return {
    code: item.code,
    categoryCode: item.categoryCode,
    name: item.name,
    infoClass: item.infoClass,
    dishonestyLevel: item.dishonestyLevel,
    subjectTypes: item.subjectTypes,
    supplierUnitId: null,
    disclosure: item.disclosure,
    updateFrequency: item.updateFrequency,
    collectionMethod: item.collectionMethod,
    legalBasis: item.legalBasis,
    source: item.source,
    disclosureMonths: item.disclosureMonths,
    retentionYears: item.retentionYears,
    fields: item.fields,
  } as Omit<SaveDraftInput, 'id'>
}

export type ReceivedItemOutcome = 'created' | 'version' | 'unchanged' | 'conflict' | 'invalid'

/**
 * A catalog item the city sent. Unless it equals the version in force, it becomes a new version awaiting review here
 * (a supervisor compares and approves it as with any version); an open local draft of the same code is left alone.
 */
export async function receiveItem(db: Knex, clock: Clock, sent: unknown): Promise<ReceivedItemOutcome> {
  const parsed = SaveDraftInput.safeParse({ ...(sent as object), id: null, supplierUnitId: null })
  if (!parsed.success || (await draftIssues(db, parsed.data)).length) return 'invalid'
  const input = parsed.data
  const current = await db('catalog_items').where({ code: input.code, status: CatalogStatus.Approved }).first('id')
  if (current) {
    const { supplierUnitId: _u, ...mine } = portableItem(await getCatalogItem(db, current.id))
    const { supplierUnitId: _v, id: _id, ...theirs } = input
    if (JSON.stringify(mine) === JSON.stringify({ ...theirs, code: input.code })) return 'unchanged'
  }
  if (await db('catalog_items').where('code', input.code).whereIn('status', [CatalogStatus.Draft, CatalogStatus.Submitted]).first('id'))
    return 'conflict'
  const latest = Number((await db('catalog_items').where('code', input.code).max({ v: 'version' }).first())?.v ?? 0)
  const now = clock.now()
  const [id] = await db('catalog_items').insert({
    ...itemColumns(input),
    code: input.code,
    version: latest + 1,
    status: CatalogStatus.Submitted,
    created_by: null,
    created_at: now,
    updated_at: now,
  })
  await writeFields(db, id!, input.fields)
  return current ? 'version' : 'created'
}
