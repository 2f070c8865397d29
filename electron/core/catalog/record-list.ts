// The records list: filters, sort and paging in SQL over indexed columns, never a whole table in
// memory; the detail of one record with its lineage; and an Excel export of the current query.
import dayjs from 'dayjs'
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import type { RecordAction, RecordDetail, RecordQuery, RecordSummary } from '../../contract/schemas/records'
import type { IsoDate } from '../calendar/working-calendar'
import { checkIdCard } from '../codes/idcard'
import { normalizeCode } from '../codes/normalize'
import { checkUscc } from '../codes/uscc'
import type { FieldKeys } from '../security/field-crypto'
import { blindIndex } from '../security/field-crypto'
import { AppError } from '../shared/app-error'
import { countRows } from '../shared/count-rows'
import { loadDictLookup } from '../system/dictionaries'
import { disclosureStatus, expiringBy, whereDisclosure } from './disclosure'
import { recordChanges } from './record-changes'
import { headerRow, writeXlsxStream } from '../shared/xlsx-stream'

const SORT_COLUMNS = {
  decisionDate: 'r.decision_date',
  reportedOn: 'r.reported_on',
  subjectName: 'r.subject_name',
  createdAt: 'r.created_at',
  disclosureEndsOn: 'r.disclosure_ends_on',
} as const

export type RecordFilter = Omit<RecordQuery, 'page' | 'pageSize'>

interface RecordRowDb {
  id: number
  item_code: string
  item_name: string
  subject_name: string
  subject_type: string | null
  subject_code: string | null
  doc_number: string | null
  decision_date: string | null
  deadline_date: string | null
  reported_on: string
  is_late: number | boolean
  repairable_from: string | null
  disclosure_ends_on: string | null
  repaired_on: string | null
  revoked_on: string | null
  supplier_unit_name: string | null
  created_at: number
  data: string
}

export function disclosureOf(
  r: Pick<RecordRowDb, 'repairable_from' | 'disclosure_ends_on' | 'repaired_on' | 'revoked_on'>,
  today: IsoDate,
): RecordSummary['disclosure'] {
  return disclosureStatus(
    { repairableFrom: r.repairable_from, endsOn: r.disclosure_ends_on, repairedOn: r.repaired_on, revokedOn: r.revoked_on },
    today,
  )
}

/** Applies the filters; `keys` lets a typed 身份证号 be found through its blind index. */
function filtered(db: Knex, q: RecordFilter, today: IsoDate, keys: FieldKeys | null): Knex.QueryBuilder {
  const b = db('records as r')
  if (q.itemCode) b.where('r.item_code', q.itemCode)
  if (q.keyword) {
    const kw = q.keyword.normalize('NFKC').trim()
    const upper = kw.toUpperCase()
    if (/^\d{17}[\dX]$/.test(upper) && checkIdCard(upper).valid) {
      b.where('r.subject_id_index', keys ? blindIndex(keys, upper, 'person.id') : '-')
    } else if (/^[0-9A-Z]{18}$/.test(upper) && checkUscc(upper).valid) {
      b.where('r.subject_code', upper)
    } else {
      // Name by its beginning: a range on the indexed column (LIKE would not use a BINARY index). A keyword shaped
      // like a passport or permit number is also looked up by the blind index of sealed document numbers.
      const documentNumber =
        keys && /^(?=.*\d)[0-9A-Z-]{5,20}$/.test(normalizeCode(kw)) ? blindIndex(keys, normalizeCode(kw), 'person.id') : null
      b.where((w) => {
        w.where((n) => n.where('r.subject_name', '>=', kw).andWhere('r.subject_name', '<', `${kw}\u{10FFFF}`)).orWhere('r.doc_number', kw)
        if (documentNumber) w.orWhere('r.subject_id_index', documentNumber)
      })
    }
  }
  if (q.supplierUnitId) b.where('r.supplier_unit_id', q.supplierUnitId)
  if (q.dateFrom) b.where('r.decision_date', '>=', q.dateFrom)
  if (q.dateTo) b.where('r.decision_date', '<=', q.dateTo)
  if (q.reportedFrom) b.where('r.reported_on', '>=', q.reportedFrom)
  if (q.late != null) b.where('r.is_late', q.late)
  if (q.pendingAction)
    b.whereExists((e) => e.select(db.raw('1')).from('record_actions as a').whereRaw('a.record_id = r.id').where('a.status', 'pending'))
  if (q.pendingChange)
    b.whereExists((e) => e.select(db.raw('1')).from('record_changes as c').whereRaw('c.record_id = r.id').where('c.status', 'pending'))
  if (q.rejected) b.whereNotNull('r.rejected_at')
  if (q.batchId) b.where('r.batch_id', q.batchId)
  if (q.disclosure) whereDisclosure(b, q.disclosure, today)
  return b
}

function withColumns(b: Knex.QueryBuilder) {
  return b
    .join('catalog_items as i', 'i.id', 'r.item_id')
    .leftJoin('org_units as u', 'u.id', 'r.supplier_unit_id')
    .select<Array<RecordRowDb & { subject_id_index: string | null }>>(
      'r.id',
      'r.item_code',
      'i.name as item_name',
      'r.subject_name',
      'r.subject_type',
      'r.subject_code',
      'r.doc_number',
      'r.decision_date',
      'r.deadline_date',
      'r.reported_on',
      'r.is_late',
      'r.repairable_from',
      'r.disclosure_ends_on',
      'r.repaired_on',
      'r.revoked_on',
      'u.name as supplier_unit_name',
      'r.created_at',
      'r.data',
      'r.subject_id_index',
    )
}

function toSummary(
  r: RecordRowDb & { subject_id_index?: string | null },
  today: IsoDate,
  subjectTypes: Map<string, string>,
  idFields: (itemCode: string) => string[],
): RecordSummary {
  let code = r.subject_code
  if (!code && r.subject_id_index) {
    const data: Record<string, unknown> = JSON.parse(r.data)
    code =
      idFields(r.item_code)
        .map((f) => data[f])
        .find((v): v is string => typeof v === 'string') ?? null
  }
  return {
    id: r.id,
    itemCode: r.item_code,
    itemName: r.item_name,
    subjectName: r.subject_name,
    subjectType: r.subject_type ? (subjectTypes.get(r.subject_type) ?? r.subject_type) : null,
    subjectCode: code,
    docNumber: r.doc_number,
    decisionDate: r.decision_date,
    deadlineDate: r.deadline_date,
    reportedOn: r.reported_on,
    isLate: Boolean(r.is_late),
    disclosure: disclosureOf(r, today),
    repairableFrom: r.repairable_from,
    disclosureEndsOn: r.disclosure_ends_on,
    supplierUnitName: r.supplier_unit_name,
    createdAt: Number(r.created_at),
  }
}

async function labelsFor(db: Knex) {
  const subjectTypes = new Map<string, string>(
    (await db('dict_items').where('type_code', 'subject_type').select('value', 'label')).map((d: { value: string; label: string }) => [
      d.value,
      d.label,
    ]),
  )
  const idFieldRows = await db('catalog_fields').where('type', 'idcard').distinct('code')
  const idCodes = idFieldRows.map((f) => f.code)
  return { subjectTypes, idFields: () => idCodes }
}

/** The SQL of one page of the list (exported for the benchmark, which also runs it in the sqlite3 shell). */
export function recordPageQuery(db: Knex, q: RecordQuery, today: IsoDate, keys: FieldKeys | null) {
  const order = [
    { column: SORT_COLUMNS[q.sort], order: q.order },
    { column: 'r.id', order: q.order },
  ]
  // Choose the page by sort key and id alone, then read the 20 full rows: sorting whole rows (with
  // their JSON) when no index gives the order made a filtered page several times slower.
  const ids = filtered(db, q, today, keys)
    .select('r.id')
    .orderBy(order)
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
  return withColumns(db('records as r').whereIn('r.id', ids)).orderBy(order)
}

/** Counting stops here: past it the pager says "10000+" and the user narrows the filter. */
const COUNT_CAP = 10_000

/** The matches a list counts: at most one past COUNT_CAP (counting 700,000 costs 40 ms and says no more than "10000+"). */
export function recordCountQuery(db: Knex, q: RecordFilter, today: IsoDate, keys: FieldKeys | null): Knex.QueryBuilder {
  return filtered(db, q, today, keys)
    .select(db.raw('1'))
    .limit(COUNT_CAP + 1)
}

export async function listRecords(
  db: Knex,
  q: RecordQuery,
  today: IsoDate,
  keys: FieldKeys | null,
): Promise<{ items: RecordSummary[]; total: number; capped: boolean }> {
  const counted = await countRows(db.from(recordCountQuery(db, q, today, keys).as('c')))
  const total = Math.min(counted, COUNT_CAP)
  const rows = await recordPageQuery(db, q, today, keys)
  const { subjectTypes, idFields } = await labelsFor(db)
  return { items: rows.map((r) => toSummary(r, today, subjectTypes, idFields)), total, capped: counted > COUNT_CAP }
}

/**
 * The statistics strip. Totals, late, rejected and the per-unit table come from counters the database keeps in the
 * same transaction as every write to records (migration 20261207090000_record_counters); in disclosure and expiring
 * sum live rows per last day of disclosure, plus the few repaired with a date still ahead. Cost: the number of items,
 * units and days, not of records.
 */
export async function recordStats(db: Knex, itemCode: string | null, today: IsoDate) {
  const ofItem = (q: Knex.QueryBuilder, column: string) => (itemCode ? q.where(column, itemCode) : q)
  const totals = await ofItem(db('record_counts'), 'item_code').first<{
    total: number | null
    late: number | null
    rejected: number | null
  }>(db.raw('sum(total) as total'), db.raw('sum(late) as late'), db.raw('sum(rejected) as rejected'))
  const byUnit = await ofItem(db('record_counts as c'), 'c.item_code')
    .leftJoin('org_units as u', 'u.id', 'c.unit_id')
    .groupBy('c.unit_id', 'u.name')
    .havingRaw('sum(c.total) > 0')
    .select<Array<{ unitName: string | null; total: number; late: number }>>(
      'u.name as unitName',
      db.raw('sum(c.total) as total'),
      db.raw('sum(c.late) as late'),
    )
    .orderBy([
      { column: 'total', order: 'desc' },
      { column: 'c.unit_id', order: 'asc' },
    ])
    .limit(50)
  /** Live rows whose disclosure ends after today and no later than `until`. */
  const live = async (until: IsoDate | null) => {
    const days = ofItem(db('record_disclosure_days'), 'item_code').where('ends_on', '>', today)
    const repairedAhead = ofItem(db('records as r'), 'r.item_code')
      .where('r.repaired_on', '>', today)
      .whereNull('r.revoked_on')
      .where('r.disclosure_ends_on', '>', today)
    if (until) {
      days.where('ends_on', '<=', until)
      repairedAhead.where('r.disclosure_ends_on', '<=', until)
    }
    const summed = await days.first<{ n: number | null }>(db.raw('sum(n) as n'))
    return Number(summed?.n ?? 0) + (await countRows(repairedAhead))
  }
  const pending = db('record_actions as a').join('records as r', 'r.id', 'a.record_id').where('a.status', 'pending')
  if (itemCode) pending.where('r.item_code', itemCode)
  return {
    total: Number(totals?.total ?? 0),
    late: Number(totals?.late ?? 0),
    disclosed: await live(null),
    expiringSoon: await live(expiringBy(today)),
    pendingActions: await countRows(pending),
    rejected: Number(totals?.rejected ?? 0),
    byUnit: byUnit.map((u) => ({ unitName: u.unitName, total: Number(u.total), late: Number(u.late) })),
  }
}

export async function getRecord(db: Knex, id: number, today: IsoDate): Promise<RecordDetail> {
  const row = await withColumns(db('records as r').where('r.id', id))
    .leftJoin('import_batches as b', 'b.id', 'r.batch_id')
    .leftJoin('users as cu', 'cu.id', 'r.created_by')
    .leftJoin('exchange_packages as x', 'x.id', 'r.acknowledged_in')
    .select(
      'r.item_id',
      'i.version as item_version',
      'r.dishonesty_level',
      'r.batch_id',
      'b.file_name as batch_file_name',
      'cu.display_name as created_by_name',
      'x.sequence as reported_sequence',
      'x.acknowledged_at as reported_acknowledged_at',
      'x.peer_name as reported_to',
      'r.version',
      'r.withdrawn_on',
      'r.withdrawal_doc',
      'r.rejected_code',
      'r.rejected_reason',
      'r.rejected_at',
    )
    .first<
      | (RecordRowDb & {
          item_id: number
          item_version: number
          dishonesty_level: string | null
          batch_id: number | null
          batch_file_name: string | null
          created_by_name: string | null
          reported_sequence: number | null
          reported_acknowledged_at: number | null
          reported_to: string | null
          version: number
          withdrawn_on: string | null
          withdrawal_doc: string | null
          rejected_code: string | null
          rejected_reason: string | null
          rejected_at: number | null
        })
      | undefined
    >()
  if (!row) throw new AppError(ErrorCode.NotFound, 'record not found')
  const fields = await db('catalog_fields')
    .where('item_id', row.item_id)
    .orderBy('sort_order')
    .select<RecordDetail['fields']>('code', 'name', 'type', 'dict_type_code as dictTypeCode')
  const { subjectTypes } = await labelsFor(db)
  const idCodes = fields.filter((f) => f.type === 'idcard').map((f) => f.code)
  return {
    ...toSummary(row, today, subjectTypes, () => idCodes),
    itemId: row.item_id,
    itemVersion: row.item_version,
    values: JSON.parse(row.data),
    fields,
    dishonestyLevel: row.dishonesty_level,
    repairedOn: row.repaired_on,
    revokedOn: row.revoked_on,
    batchId: row.batch_id,
    batchFileName: row.batch_file_name,
    createdByName: row.created_by_name,
    reported:
      row.reported_sequence != null
        ? { to: row.reported_to!, sequence: Number(row.reported_sequence), acknowledgedAt: Number(row.reported_acknowledged_at) }
        : null,
    actions: await listActions(db, id),
    version: row.version,
    withdrawnOn: row.withdrawn_on,
    withdrawalDoc: row.withdrawal_doc,
    rejection: row.rejected_at ? { code: row.rejected_code ?? '', reason: row.rejected_reason ?? '', at: Number(row.rejected_at) } : null,
    changes: await recordChanges(db, id),
  }
}

async function listActions(db: Knex, recordId: number): Promise<RecordAction[]> {
  const rows = await db('record_actions as a')
    .join('users as f', 'f.id', 'a.filed_by')
    .leftJoin('users as d', 'd.id', 'a.decided_by')
    .where('a.record_id', recordId)
    .orderBy('a.id')
    .select('a.*', 'f.display_name as filed_by_name', 'd.display_name as decided_by_name')
  return rows.map((a) => ({
    id: a.id,
    kind: a.kind,
    status: a.status,
    reason: a.reason,
    documents: a.documents,
    applicant: a.applicant,
    filedByName: a.filed_by_name,
    filedAt: Number(a.filed_at),
    decidedByName: a.decided_by_name ?? null,
    decidedAt: a.decided_at == null ? null : Number(a.decided_at),
    decisionComment: a.decision_comment ?? null,
  }))
}

const EXPORT_CHUNK = 2000

/**
 * Writes the records matching the filter to an xlsx: the item's data items (ID numbers masked, as
 * on screen) and then the lineage and status columns. Streamed in chunks; written under a
 * temporary name and renamed, so a failure leaves no half file behind.
 */
export async function exportRecords(db: Knex, q: RecordFilter, today: IsoDate, keys: FieldKeys | null, outPath: string): Promise<number> {
  const itemFields = q.itemCode
    ? await db('catalog_fields as f')
        .join('catalog_items as i', 'i.id', 'f.item_id')
        .where('i.code', q.itemCode)
        .whereIn('i.status', ['approved', 'retired', 'superseded'])
        .orderBy([{ column: 'i.version', order: 'desc' }, { column: 'f.sort_order' }])
        .select<Array<{ code: string; name: string; dict_type_code: string | null; version: number }>>(
          'f.code',
          'f.name',
          'f.dict_type_code',
          'i.version',
        )
    : []
  const latest = itemFields[0]?.version
  const fields = itemFields.filter((f) => f.version === latest)
  const lineage = ['报送日期', '报送期限', '是否逾期', '公示状态', '公示截止', '报送单位', '入库时间']
  const head = fields.length
    ? [...fields.map((f) => f.name), ...lineage]
    : ['目录事项', '主体名称', '主体类型', '主体代码', '文书号', '决定日期', ...lineage]
  const { subjectTypes, idFields } = await labelsFor(db)
  const dicts = await loadDictLookup(db)
  return writeXlsxStream(outPath, async (wb) => {
    const ws = wb.addWorksheet('归集数据', { views: [{ state: 'frozen', ySplit: 1 }] })
    headerRow(ws, head)
    let written = 0
    for (let offset = 0; ; offset += EXPORT_CHUNK) {
      const rows = await withColumns(filtered(db, q, today, keys))
        .orderBy([
          { column: SORT_COLUMNS[q.sort], order: q.order },
          { column: 'r.id', order: q.order },
        ])
        .limit(EXPORT_CHUNK)
        .offset(offset)
      for (const r of rows) {
        const s = toSummary(r, today, subjectTypes, idFields)
        const tail = [
          s.reportedOn,
          s.deadlineDate,
          s.isLate ? '逾期' : '按时',
          s.disclosure ?? '',
          s.disclosureEndsOn ?? '',
          s.supplierUnitName ?? '',
          dayjs(s.createdAt).format('YYYY-MM-DD HH:mm'),
        ]
        if (fields.length) {
          const data: Record<string, string | number | null> = JSON.parse(r.data)
          // Dictionary values go out as their labels (罚款, not fine), as departments typed them.
          ws.addRow([
            ...fields.map(
              (f) => (f.dict_type_code ? (dicts.get(f.dict_type_code)?.get(String(data[f.code])) ?? data[f.code]) : data[f.code]) ?? null,
            ),
            ...tail,
          ]).commit()
        } else {
          ws.addRow([s.itemName, s.subjectName, s.subjectType, s.subjectCode, s.docNumber, s.decisionDate, ...tail]).commit()
        }
        written++
      }
      if (rows.length < EXPORT_CHUNK) break
    }
    return written
  })
}
