// Bulk registration of people from a workbook, the way organisation departments keep rosters: one
// row per person, read with the same reader and cell checks as record imports, all or nothing.
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import { fieldMessage } from '../../contract/messages.zh-CN'
import type { CatalogField } from '../../contract/schemas/catalog'
import type { IsoDate } from '../calendar/working-calendar'
import { checkRecord } from '../catalog/record-check'
import { readRecordRows } from '../catalog/record-workbook'
import type { FieldKeys } from '../security/field-crypto'
import { AppError } from '../shared/app-error'
import { createPerson, personIdIndex } from './people'
import { loadExcel } from '../shared/lazy-libs'

const f = (code: string, name: string, type: CatalogField['type'], required: boolean, maxLength: number | null = null): CatalogField => ({
  code,
  name,
  type,
  required,
  maxLength,
  dictTypeCode: null,
  checkRule: null,
  sensitive: type === 'idcard',
})

const PEOPLE_COLUMNS: CatalogField[] = [
  f('XM', '姓名', 'text', true, 50),
  f('SFZH', '身份证号', 'idcard', true),
  f('DW', '单位', 'text', true, 200),
  f('ZW', '职务', 'text', false, 100),
  f('ZJ', '职级', 'text', false, 50),
  f('ZZMM', '政治面貌', 'text', false, 20),
  f('CJGZRQ', '参加工作日期', 'date', true),
  f('ZT', '状态', 'text', false, 10),
  f('ZTRQ', '状态变更日期', 'date', false),
]

const STATUS: Record<string, string> = { 在职: 'serving', 调离: 'transferred', 退休: 'retired', 离世: 'deceased' }

export interface PeopleImportIssue {
  row: number
  column: string
  columnName: string
  reason: string
}

export async function buildPeopleTemplate(): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook()
  const ws = wb.addWorksheet('人员名单')
  ws.addRow(PEOPLE_COLUMNS.map((c) => (c.required ? `*${c.name}` : c.name))).font = { bold: true }
  ws.addRow(['张三', '11010519491231002X', '县发展和改革局', '科长', '一级主任科员', '中共党员', '2008-07-01', '在职', ''])
  ws.columns.forEach((c) => (c.width = 18))
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** Imports every row or none: any problem (bad ID, unknown unit, duplicate) leaves the registry untouched. */
export async function importPeople(
  db: Knex,
  keys: FieldKeys,
  path: string,
  userId: number,
  now: number,
  today: IsoDate,
): Promise<{ rows: number; imported: number; issues: PeopleImportIssue[] }> {
  const units = new Map<string, number>(
    (await db('org_units').where('enabled', true).select('id', 'name')).map((u: { id: number; name: string }) => [u.name, u.id]),
  )
  const names = new Map(PEOPLE_COLUMNS.map((c) => [c.code, c.name]))
  const issues: PeopleImportIssue[] = []
  const add = (row: number, column: string, message: string, params?: Record<string, string | number>) =>
    issues.push({ row, column, columnName: names.get(column) ?? column, reason: fieldMessage(message, params) })
  const ready: Array<{ row: number; input: Parameters<typeof createPerson>[2] }> = []
  const seen = new Map<string, number>()
  let rows = 0
  for await (const event of readRecordRows(path, PEOPLE_COLUMNS)) {
    if (event.kind === 'end') continue
    if (event.kind === 'header') {
      if (event.header.missingRequired.length)
        throw new AppError(ErrorCode.ImportFileRejected, 'columns missing', {
          reason: 'missing_columns',
          columns: event.header.missingRequired.map((c) => names.get(c)),
        })
      continue
    }
    rows++
    const checked = checkRecord(PEOPLE_COLUMNS, event.raw, { today, dicts: new Map() })
    for (const i of checked.issues) add(event.row, i.column, i.message, i.params)
    const v = checked.values
    const unitId = typeof v.DW === 'string' ? units.get(v.DW) : undefined
    if (typeof v.DW === 'string' && !unitId) add(event.row, 'DW', 'unit.unknown', { name: v.DW })
    const status = v.ZT ? STATUS[String(v.ZT)] : 'serving'
    if (!status) add(event.row, 'ZT', 'person.status')
    if (typeof v.SFZH === 'string' && !checked.issues.some((i) => i.column === 'SFZH')) {
      const first = seen.get(v.SFZH)
      if (first) add(event.row, 'SFZH', 'record.duplicateInFile', { row: first })
      else seen.set(v.SFZH, event.row)
      if (await db('people').where('id_index', personIdIndex(keys, v.SFZH)).first('id')) add(event.row, 'SFZH', 'person.duplicate')
    }
    if (!issues.some((i) => i.row === event.row) && unitId && status) {
      ready.push({
        row: event.row,
        input: {
          name: String(v.XM),
          idNumber: String(v.SFZH),
          unitId,
          post: v.ZW == null ? null : String(v.ZW),
          rank: v.ZJ == null ? null : String(v.ZJ),
          politicalStatus: v.ZZMM == null ? null : String(v.ZZMM),
          entryDate: String(v.CJGZRQ),
          status: status as 'serving',
          statusDate: v.ZTRQ == null ? null : String(v.ZTRQ),
          userId: null,
        },
      })
    }
  }
  if (issues.length) return { rows, imported: 0, issues }
  await db
    .transaction(async (trx) => {
      for (const { row, input } of ready) {
        try {
          await createPerson(trx, keys, input, userId, now, today)
        } catch (err) {
          // Rules that span fields (entry before birth, missing status date) surface here, by row.
          const fields =
            err instanceof AppError
              ? ((err.details?.fields as Array<{ path: string; message: string; params?: Record<string, string | number> }>) ?? [])
              : []
          if (!fields.length) throw err
          const column: Record<string, string> = { idNumber: 'SFZH', entryDate: 'CJGZRQ', statusDate: 'ZTRQ', unitId: 'DW' }
          for (const fe of fields) add(row, column[fe.path] ?? fe.path, fe.message, fe.params)
        }
      }
      if (issues.length) throw new AppError(ErrorCode.ImportHasErrors, 'rows with errors')
    })
    .catch((err) => {
      if (!(err instanceof AppError && err.code === ErrorCode.ImportHasErrors)) throw err
    })
  return { rows, imported: issues.length ? 0 : ready.length, issues }
}
