import type ExcelJS from 'exceljs'
import type { CatalogField, CatalogItem } from '../../contract/schemas/catalog'
import { FIELD_TYPE_LABELS } from '../../contract/labels.zh-CN'
import { loadExcel } from '../shared/lazy-libs'

/** Template layout: row 1 names (required ones marked *), row 2 field codes (what import matches on), row 3 how to fill, data from row 4. */
export const TEMPLATE_ROWS = { names: 1, codes: 2, hints: 3, firstData: 4 } as const
/** Rows prepared with drop-downs and text formats. */
const PREPARED_ROWS = 100_000
export const DICT_SHEET = '字典取值'

/** The drop-down of a dictionary column: its labels in column `listLetter` of the list sheet (template and error report alike). */
export function dictDropDown(f: CatalogField, listLetter: string, count: number): ExcelJS.DataValidation {
  return {
    type: 'list',
    allowBlank: !f.required,
    formulae: [`'${DICT_SHEET}'!$${listLetter}$1:$${listLetter}$${Math.max(1, count)}`],
    showErrorMessage: true,
    errorTitle: '取值不正确',
    error: `请从下拉列表中选择“${f.name}”`,
  }
}

// exceljs implements worksheet.dataValidations but leaves it out of its type declarations.
export type WithValidations = { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } }

function hint(f: CatalogField): string {
  const parts: string[] = [FIELD_TYPE_LABELS[f.type] ?? f.type]
  if (f.type === 'date') parts.push('如 2025-09-26')
  if (f.type === 'dict') parts.push('从下拉列表选择')
  if (f.maxLength && (f.type === 'text' || f.type === 'uscc')) parts.push(`不超过${f.maxLength}字`)
  if (f.checkRule === 'money_wan') parts.push('单位：万元')
  if (f.checkRule === 'decision_date' || f.checkRule === 'not_future') parts.push('不晚于今天')
  parts.push(f.required ? '必填' : '选填')
  return parts.join('；')
}

export function columnLetter(n: number): string {
  let s = ''
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s
  return s
}

/**
 * Builds the import template for a catalog item: one column per data item, dictionary columns with
 * a drop-down of labels (lists kept on a second sheet, so long lists work), and code columns stored as
 * text so Excel never turns an 18-digit ID number into 1.10105E+17.
 */
export async function buildRecordTemplate(
  item: Pick<CatalogItem, 'name' | 'fields'>,
  dicts: Map<string, Array<{ value: string; label: string }>>,
): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook()
  wb.creator = '信用通'
  const ws = wb.addWorksheet(item.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: TEMPLATE_ROWS.hints }] })
  const lists = wb.addWorksheet(DICT_SHEET, { state: 'veryHidden' })
  let listColumn = 0

  item.fields.forEach((f, i) => {
    const col = i + 1
    const letter = columnLetter(col)
    ws.getColumn(col).width = Math.min(40, Math.max(12, f.name.length * 2 + 4))
    const name = ws.getCell(TEMPLATE_ROWS.names, col)
    name.value = f.required ? `*${f.name}` : f.name
    name.font = { bold: true, color: { argb: f.required ? 'FFC00000' : 'FF000000' } }
    name.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } }
    ws.getCell(TEMPLATE_ROWS.codes, col).value = f.code
    ws.getCell(TEMPLATE_ROWS.codes, col).font = { color: { argb: 'FF808080' }, size: 9 }
    ws.getCell(TEMPLATE_ROWS.hints, col).value = hint(f)
    ws.getCell(TEMPLATE_ROWS.hints, col).font = { italic: true, color: { argb: 'FF808080' }, size: 9 }
    ws.getCell(TEMPLATE_ROWS.hints, col).alignment = { wrapText: true, vertical: 'top' }

    const range = `${letter}${TEMPLATE_ROWS.firstData}:${letter}${TEMPLATE_ROWS.firstData + PREPARED_ROWS - 1}`
    if (f.type === 'text' || f.type === 'uscc' || f.type === 'idcard') ws.getColumn(col).numFmt = '@'
    if (f.type === 'date') ws.getColumn(col).numFmt = 'yyyy-mm-dd'
    if (f.type === 'dict') {
      const entries = dicts.get(f.dictTypeCode ?? '') ?? []
      listColumn++
      const listLetter = columnLetter(listColumn)
      entries.forEach((e, r) => (lists.getCell(r + 1, listColumn).value = e.label))
      ;(ws as unknown as WithValidations).dataValidations.add(range, dictDropDown(f, listLetter, entries.length))
    }
  })
  ws.getRow(TEMPLATE_ROWS.hints).height = 30
  return Buffer.from(await wb.xlsx.writeBuffer())
}
