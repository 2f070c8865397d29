// 年度考核 results for a whole year from one workbook (the 考核结果通报 as the organisation department
// keeps it): each row names a person by 身份证号 and gives the 等次. All rows or none.
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import { fieldMessage } from '../../contract/messages.zh-CN'
import { ENTRY_RESULTS } from '../../contract/schemas/archives'
import { ENTRY_RESULT_LABELS } from '../../contract/labels.zh-CN'
import type { CatalogField } from '../../contract/schemas/catalog'
import type { IsoDate } from '../calendar/working-calendar'
import { checkRecord } from '../catalog/record-check'
import { readRecordRows } from '../catalog/record-workbook'
import type { FieldKeys } from '../security/field-crypto'
import { AppError } from '../shared/app-error'
import { addEntry } from './entries'
import { personIdIndex } from './people'
import type { PeopleImportIssue } from './people-import'

const COLUMNS: CatalogField[] = [
  { code: 'XM', name: '姓名', type: 'text', required: false, maxLength: 50, dictTypeCode: null, checkRule: null, sensitive: false },
  { code: 'SFZH', name: '身份证号', type: 'idcard', required: true, maxLength: null, dictTypeCode: null, checkRule: null, sensitive: true },
  { code: 'DC', name: '考核等次', type: 'text', required: true, maxLength: 10, dictTypeCode: null, checkRule: null, sensitive: false },
]

export interface AssessmentBatch {
  year: number
  docNumber: string | null
  docDate: IsoDate
  issuer: string
}

/** Imports one year's assessments; `inScope` says whether the importing keeper may write to a unit. */
export async function importAssessments(
  db: Knex,
  keys: FieldKeys,
  path: string,
  batch: AssessmentBatch,
  inScope: (unitId: number) => boolean,
  userId: number,
  now: number,
  today: IsoDate,
): Promise<{ rows: number; imported: number; issues: PeopleImportIssue[] }> {
  const names = new Map(COLUMNS.map((c) => [c.code, c.name]))
  const byLabel = new Map(ENTRY_RESULTS.assessment.map((r) => [ENTRY_RESULT_LABELS[r]!, r]))
  const issues: PeopleImportIssue[] = []
  const add = (row: number, column: string, message: string, params?: Record<string, string | number>) =>
    issues.push({ row, column, columnName: names.get(column) ?? column, reason: fieldMessage(message, params) })
  const ready: Array<{ row: number; personId: number; result: string }> = []
  let rows = 0
  for await (const event of readRecordRows(path, COLUMNS)) {
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
    const checked = checkRecord(COLUMNS, event.raw, { today, dicts: new Map() })
    for (const i of checked.issues) add(event.row, i.column, i.message, i.params)
    const result = typeof checked.values.DC === 'string' ? byLabel.get(checked.values.DC) : undefined
    if (checked.values.DC && !result) add(event.row, 'DC', 'assessment.result')
    if (typeof checked.values.SFZH !== 'string' || checked.issues.some((i) => i.column === 'SFZH')) continue
    const person = await db('people').where('id_index', personIdIndex(keys, checked.values.SFZH)).first('id', 'name', 'unit_id')
    if (!person || !inScope(person.unit_id)) add(event.row, 'SFZH', 'person.notFound')
    else if (checked.values.XM && checked.values.XM !== person.name) add(event.row, 'XM', 'person.nameMismatch', { name: person.name })
    else if (result) ready.push({ row: event.row, personId: person.id, result })
  }
  if (issues.length) return { rows, imported: 0, issues }
  await db
    .transaction(async (trx) => {
      for (const r of ready) {
        try {
          await addEntry(
            trx,
            {
              personId: r.personId,
              kind: 'assessment',
              year: batch.year,
              result: r.result,
              title: `${batch.year}年度考核`,
              docNumber: batch.docNumber,
              docDate: batch.docDate,
              issuer: batch.issuer,
              details: null,
              effectUntil: null,
            },
            userId,
            now,
            today,
          )
        } catch (err) {
          const fields =
            err instanceof AppError
              ? ((err.details?.fields as Array<{ path: string; message: string; params?: Record<string, string | number> }>) ?? [])
              : []
          if (!fields.length) throw err
          for (const f of fields) add(r.row, f.path === 'year' ? 'SFZH' : f.path, f.message, f.params)
        }
      }
      if (issues.length) throw new AppError(ErrorCode.ImportHasErrors, 'rows with errors')
    })
    .catch((err) => {
      if (!(err instanceof AppError && err.code === ErrorCode.ImportHasErrors)) throw err
    })
  return { rows, imported: issues.length ? 0 : ready.length, issues }
}
