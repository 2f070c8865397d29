import { createHash } from 'node:crypto'
import type ExcelJS from 'exceljs'
import { fieldMessage } from '../../contract/messages.zh-CN'
import type { CatalogItem } from '../../contract/schemas/catalog'
import { ErrorCode } from '../../contract/errors'
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar'
import { AppError } from '../shared/app-error'
import { checkRecord, type CheckContext, type CheckedRecord } from './record-check'
import { readRecordRows, type HeaderMatch, type MergedRange } from './record-workbook'
import { headerRow, writeXlsxStream } from '../shared/xlsx-stream'
import { columnLetter, DICT_SHEET, dictDropDown, type WithValidations } from './record-template'

/** 双公示: decisions must be reported within 7 working days. */
export const REPORTING_WORKING_DAYS = 7
/** Issues kept for the preview; the counts stay exact beyond it. */
const MAX_ISSUES = 10_000

export interface ImportIssue {
  row: number
  column: string
  columnName: string
  reason: string
}

export interface ImportPreview {
  header: HeaderMatch
  rows: number
  validRows: number
  invalidRows: number
  lateRows: number
  issues: ImportIssue[]
  issuesTruncated: boolean
  /** Years the lateness count had no holiday arrangement for (weekends only were counted). */
  calendarGaps: number[]
}

export interface PreviewContext extends CheckContext {
  calendar: WorkingCalendar
  /** The day the data reaches the office: lateness is measured against it. */
  reportedOn: IsoDate
}

export interface PreviewOptions {
  onProgress?: (rowsRead: number) => void
  signal?: AbortSignal
  /**
   * Receives each row that passed every check so far (the import stores them); `reject` marks it
   * bad after all, e.g. when the database already holds the same document.
   */
  onRow?: (
    row: number,
    checked: CheckedRecord,
    reject: (column: string, message: string, params?: Record<string, string | number>) => void,
  ) => void | Promise<void>
  /** Runs after the last row and before the counts are taken, so late rejections still count. */
  beforeFinish?: () => Promise<void>
}

/**
 * Reads a department's workbook and checks every row the way the import will, writing nothing:
 * per-cell checks, merged cells, the same document for the same subject twice in the file, and
 * reports later than 7 working days after the decision (counted, not an error).
 */
export async function previewImport(
  path: string,
  item: CatalogItem,
  ctx: PreviewContext,
  opts: PreviewOptions = {},
): Promise<ImportPreview> {
  const names = new Map(item.fields.map((f) => [f.code, f.name]))
  const docField = item.fields.find((f) => f.checkRule === 'document_number')?.code
  const subjectField = item.fields.find((f) => f.checkRule === 'subject_code')?.code
  const nameField = item.fields.find((f) => f.code === 'XDR_MC')?.code ?? item.fields[0]!.code
  const decisionField = item.fields.find((f) => f.checkRule === 'decision_date')?.code

  const preview: Omit<ImportPreview, 'header'> & { header: HeaderMatch | null } = {
    header: null,
    rows: 0,
    validRows: 0,
    invalidRows: 0,
    lateRows: 0,
    issues: [],
    issuesTruncated: false,
    calendarGaps: [],
  }
  const gaps = new Set<number>()
  const seen = new Map<string, number>()
  const badRows = new Set<number>()
  const add = (row: number, column: string, message: string, params?: Record<string, string | number>) => {
    badRows.add(row)
    if (preview.issues.length >= MAX_ISSUES) return void (preview.issuesTruncated = true)
    preview.issues.push({ row, column, columnName: names.get(column) ?? column, reason: fieldMessage(message, params) })
  }

  let merged: MergedRange[] = []
  let lastRow = 0
  for await (const event of readRecordRows(path, item.fields)) {
    if (opts.signal?.aborted) throw new AppError(ErrorCode.Cancelled, 'preview cancelled')
    if (event.kind === 'end') {
      merged = event.merged
      continue
    }
    if (event.kind === 'header') {
      preview.header = event.header
      if (event.header.missingRequired.length) {
        throw new AppError(ErrorCode.ImportFileRejected, 'required columns missing', {
          reason: 'missing_columns',
          columns: event.header.missingRequired.map((c) => names.get(c) ?? c),
        })
      }
      continue
    }
    preview.rows++
    lastRow = event.row
    const checked = checkRecord(item.fields, event.raw, ctx)
    for (const issue of checked.issues) add(event.row, issue.column, issue.message, issue.params)
    if (docField && checked.values[docField] != null) {
      // A digest, not the text: cell strings are slices of the parser's XML chunks, and keeping them
      // as map keys would keep every chunk alive (memory grew ~1.7 KB per row without this).
      const key = createHash('sha1')
        .update(`${checked.values[docField]}|${checked.values[subjectField ?? nameField] ?? checked.values[nameField] ?? ''}`)
        .digest('base64')
      const first = seen.get(key)
      if (first !== undefined) add(event.row, docField, 'record.duplicateInFile', { row: first })
      else seen.set(key, event.row)
    }
    const decided = decisionField ? checked.values[decisionField] : null
    if (typeof decided === 'string') {
      const deadline = ctx.calendar.addWorkingDays(decided, REPORTING_WORKING_DAYS)
      deadline.yearsWithoutData.forEach((y) => gaps.add(y))
      if (ctx.reportedOn > deadline.value) preview.lateRows++
    }
    if (!badRows.has(event.row))
      await opts.onRow?.(event.row, checked, (column, message, params) => add(event.row, column, message, params))
    if (preview.rows % 1000 === 0) opts.onProgress?.(preview.rows)
  }
  await opts.beforeFinish?.()
  // Only rows that exist: a merge claiming a million rows must not become a million errors.
  const firstDataRow = preview.header!.row + 1
  for (const m of merged) {
    for (let r = Math.max(m.fromRow, firstDataRow); r <= Math.min(m.toRow, lastRow); r++)
      add(r, preview.header!.columns.values().next().value ?? '', 'cell.merged', { range: m.range })
  }
  preview.invalidRows = badRows.size
  preview.validRows = preview.rows - [...badRows].filter((r) => r > preview.header!.row).length
  preview.calendarGaps = [...gaps].sort()
  opts.onProgress?.(preview.rows)
  return preview as ImportPreview
}

/**
 * The workbook a department gets back: each rejected row as they sent it, with its Excel row number and every reason in
 * one extra column; the cells at fault shaded red, the header frozen, and the template's drop-downs on dictionary
 * columns, so the rows can be corrected in place and imported again. Written under a temporary name, then renamed.
 */
export async function writeErrorWorkbook(
  sourcePath: string,
  item: Pick<CatalogItem, 'fields'>,
  preview: Pick<ImportPreview, 'issues' | 'header'>,
  outPath: string,
  dicts: Map<string, Array<{ value: string; label: string }>>,
): Promise<number> {
  const reasons = new Map<number, string[]>()
  const badCells = new Map<number, Set<string>>()
  for (const i of preview.issues) {
    reasons.set(i.row, [...(reasons.get(i.row) ?? []), `${i.columnName}：${i.reason}`])
    badCells.set(i.row, (badCells.get(i.row) ?? new Set()).add(i.column))
  }
  const codes = [...preview.header.columns.values()]
  const fields = codes.map((c) => item.fields.find((f) => f.code === c))
  return writeXlsxStream(outPath, async (wb) => {
    const ws = wb.addWorksheet('错误数据', { views: [{ state: 'frozen', ySplit: 1 }] })
    headerRow(ws, ['原行号', ...codes.map((c, k) => fields[k]?.name ?? c), '错误说明'])
    codes.forEach((c, k) => {
      const f = fields[k]
      // Code and ID columns stay text, so 18 digits never turn into 1.10105E+17 when edited.
      if (f && (f.type === 'text' || f.type === 'uscc' || f.type === 'idcard')) ws.getColumn(k + 2).numFmt = '@'
      ws.getColumn(k + 2).width = Math.min(40, Math.max(12, (f?.name.length ?? 6) * 2 + 4))
    })
    ws.getColumn(codes.length + 2).width = 60
    let written = 0
    for await (const event of readRecordRows(sourcePath, item.fields)) {
      if (event.kind !== 'row' || !reasons.has(event.row)) continue
      const cells = codes.map((c) => {
        const v = event.raw[c]
        return v instanceof Date ? v.toISOString().slice(0, 10) : (v as ExcelJS.CellValue)
      })
      const row = ws.addRow([event.row, ...cells, reasons.get(event.row)!.join('；')])
      const bad = badCells.get(event.row)!
      codes.forEach((c, k) => {
        if (bad.has(c)) row.getCell(k + 2).fill = BAD_CELL
      })
      row.commit()
      written++
    }
    // The template's drop-downs over the written rows; the label lists on a very hidden sheet, one column each.
    const dictColumns = codes.flatMap((c, k) => {
      const f = fields[k]
      return f?.type === 'dict' ? [{ col: k + 2, f, labels: (dicts.get(f.dictTypeCode ?? '') ?? []).map((e) => e.label) }] : []
    })
    dictColumns.forEach(({ col, f, labels }, n) => {
      const range = `${columnLetter(col)}2:${columnLetter(col)}${Math.max(2, written + 1)}`
      ;(ws as unknown as WithValidations).dataValidations.add(range, dictDropDown(f, columnLetter(n + 1), labels.length))
    })
    await ws.commit()
    if (dictColumns.length) {
      const lists = wb.addWorksheet(DICT_SHEET, { state: 'veryHidden' })
      const depth = Math.max(...dictColumns.map((d) => d.labels.length))
      for (let r = 0; r < depth; r++) lists.addRow(dictColumns.map((d) => d.labels[r] ?? null)).commit()
    }
    return written
  })
}

/** Shading of a cell the checks rejected. */
const BAD_CELL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } }
