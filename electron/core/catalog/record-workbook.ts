// Reading a department's workbook. parseWorkbook runs inside the parse worker (core/untrusted): the zip is looked
// through first (sizes, cell lengths, merged cells), then the first worksheet is streamed row by row. Callers use
// readRecordRows, which runs it there.
import { open, stat } from 'node:fs/promises'
import type ExcelJS from 'exceljs'
import type { CatalogField } from '../../contract/schemas/catalog'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { loadExcel } from '../shared/lazy-libs'
import { FORMULA_WITHOUT_VALUE } from './record-check'
import { limitExceeded } from '../untrusted/limit-error'
import { MAX_ROWS, MAX_WORKBOOK_FILE, WORKBOOK_DEADLINE_MS, XLSX_LIMITS } from '../untrusted/limits'
import { parseInWorker } from '../untrusted/parse-in-worker'
import { inspectZip } from '../untrusted/zip-inspect'

export type WorkbookProblem = 'encrypted' | 'legacy_xls' | 'corrupt' | 'empty' | 'no_header'

function problem(reason: WorkbookProblem, extra: Record<string, unknown> = {}, cause?: unknown): AppError {
  // The parser's own words go into the developer message (and so the log), never to the user.
  const why = cause instanceof Error ? ` (${cause.name}: ${cause.message})` : ''
  return new AppError(ErrorCode.ImportFileRejected, `workbook rejected: ${reason}${why}`, { reason, ...extra })
}

/**
 * Looks at the file before parsing it: an .xlsx is a zip ("PK"); a password-protected .xlsx and an
 * old .xls are both OLE compound files (D0 CF 11 E0), told apart by the EncryptionInfo stream name.
 */
async function sniffWorkbook(path: string): Promise<void> {
  const { size } = await stat(path)
  if (size > MAX_WORKBOOK_FILE) throw limitExceeded('file_size', MAX_WORKBOOK_FILE)
  if (size === 0) throw problem('empty')
  const fh = await open(path, 'r')
  try {
    const head = Buffer.alloc(Math.min(size, 64 * 1024))
    await fh.read(head, 0, head.length, 0)
    if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
      throw problem(head.includes(Buffer.from('EncryptionInfo', 'utf16le')) ? 'encrypted' : 'legacy_xls')
    }
    if (!head.subarray(0, 2).equals(Buffer.from('PK'))) throw problem('corrupt')
  } finally {
    await fh.close()
  }
}

/** A cell as text or a Date/number the record checker understands. */
function cellValue(v: ExcelJS.CellValue): unknown {
  if (v == null) return null
  if (v instanceof Date || typeof v === 'number' || typeof v === 'string') return v
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('')
    if ('result' in v && v.result !== undefined) return cellValue(v.result as ExcelJS.CellValue)
    // A formula the file never calculated (written by a program, not by Excel): there is no value to import.
    if ('formula' in v || 'sharedFormula' in v) return FORMULA_WITHOUT_VALUE
    if ('text' in v) return String(v.text)
    if ('error' in v) return null
  }
  return String(v)
}

function isBlank(v: unknown): boolean {
  return v == null || (typeof v === 'string' && v.trim() === '')
}

export interface HeaderMatch {
  row: number
  /** Column number → field code. */
  columns: Map<number, string>
  missingRequired: string[]
  unknownHeaders: string[]
}

/** A header as people type it: full-width or half-width brackets and digits, stray spaces, a "*" mark. */
function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u00a0]+/g, '')
    .replace(/^\*/, '')
}

/** A header row names the data items by code (template row 2) or by name (row 1, "*" allowed). */
function matchHeader(rowNumber: number, cells: unknown[], fields: CatalogField[], minColumns = 3): HeaderMatch | null {
  const byCode = new Map(fields.map((f) => [f.code, f.code]))
  const byName = new Map(fields.map((f) => [headerKey(f.name), f.code]))
  const columns = new Map<number, string>()
  const unknownHeaders: string[] = []
  cells.forEach((c, i) => {
    if (isBlank(c)) return
    const text = headerKey(String(c))
    const code = byCode.get(text.toUpperCase()) ?? byName.get(text)
    if (code && ![...columns.values()].includes(code)) columns.set(i, code)
    else unknownHeaders.push(text)
  })
  // Three matching names tell a header from a title line or a data row (a list of subjects may have one or two).
  if (columns.size < Math.min(minColumns, fields.length)) return null
  const present = new Set(columns.values())
  return {
    row: rowNumber,
    columns,
    unknownHeaders,
    missingRequired: fields.filter((f) => f.required && !present.has(f.code)).map((f) => f.code),
  }
}

export interface MergedRange {
  range: string
  fromRow: number
  toRow: number
}

export type WorkbookEvent =
  | { kind: 'header'; header: HeaderMatch }
  | { kind: 'row'; row: number; raw: Record<string, unknown> }
  /** Last: the merged ranges of the first worksheet (a merge makes one value stand for several rows). */
  | { kind: 'end'; merged: MergedRange[] }

/** Finds <mergeCell ref="A3:B5"/> in the worksheets as they are inflated; the streaming reader skips merges. */
class MergeCollector {
  private readonly bySheet = new Map<string, { ranges: MergedRange[]; carry: string }>()

  visit = (part: string, chunk: Uint8Array): void => {
    if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(part)) return
    const sheet = this.bySheet.get(part) ?? { ranges: [], carry: '' }
    this.bySheet.set(part, sheet)
    const text = sheet.carry + Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1')
    if (text.includes('<mergeCell')) {
      for (const m of text.matchAll(/<mergeCell ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"/g)) {
        sheet.ranges.push({ range: `${m[1]}${m[2]}:${m[3]}${m[4]}`, fromRow: Number(m[2]), toRow: Number(m[4]) })
      }
    }
    sheet.carry = text.slice(-64)
  }

  /** The first worksheet's merges (sheet1.xml, or the first sheet part met). */
  first(): MergedRange[] {
    const sheet = this.bySheet.get('xl/worksheets/sheet1.xml') ?? [...this.bySheet.values()][0]
    return [...new Map((sheet?.ranges ?? []).map((r) => [r.range, r])).values()]
  }
}

/**
 * Streams the first worksheet (bounded memory): finds the header within the first 10 rows, skips the
 * template's hint row and blank rows, and yields each data row keyed by field code with its Excel row
 * number. Throws an import-file error for unreadable files, missing headers and files past a limit.
 * Runs inside the parse worker: callers use readRecordRows.
 */
export async function* parseWorkbook(path: string, fields: CatalogField[], minColumns?: number): AsyncGenerator<WorkbookEvent> {
  await sniffWorkbook(path)
  const merges = new MergeCollector()
  await inspectZip(path, XLSX_LIMITS, merges.visit)
  let header: HeaderMatch | null = null
  let announced = false
  try {
    const reader = new (await loadExcel()).stream.xlsx.WorkbookReader(path, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'ignore',
      hyperlinks: 'ignore',
    })
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        if (row.number > MAX_ROWS) throw limitExceeded('rows', MAX_ROWS)
        const cells = (row.values as ExcelJS.CellValue[]).map(cellValue)
        if (!header || (!announced && row.number === header.row + 1)) {
          // The template has names in row 1 and codes in row 2: a second header row right under the
          // first replaces it, so the code row is never read as data.
          const candidate = matchHeader(row.number, cells, fields, minColumns)
          if (candidate && (!header || candidate.columns.size >= header.columns.size)) {
            header = candidate
            continue
          }
          if (!header) {
            if (row.number >= 10) throw problem('no_header')
            continue
          }
        }
        if (!announced) {
          announced = true
          yield { kind: 'header', header }
        }
        const values = [...header.columns].map(([col]) => cells[col])
        if (values.every(isBlank)) continue
        // The template's hint row ("日期；如 2025-09-26；必填"), directly under the code row.
        if (row.number === header.row + 1 && values.every((v) => isBlank(v) || /[必选]填$/.test(String(v)))) continue
        const raw: Record<string, unknown> = {}
        for (const [col, code] of header.columns) raw[code] = cells[col]
        yield { kind: 'row', row: row.number, raw }
      }
      break // only the first worksheet holds data
    }
  } catch (err) {
    if (err instanceof AppError) throw err
    throw problem('corrupt', {}, err)
  }
  if (!header) throw problem('no_header')
  if (!announced) yield { kind: 'header', header } // a header and no data rows
  yield { kind: 'end', merged: merges.first() }
}

/** The rows of a workbook from outside, read in the parse worker with its limits (see parseWorkbook). */
export function readRecordRows(path: string, fields: CatalogField[], minColumns?: number): AsyncGenerator<WorkbookEvent> {
  return parseInWorker<WorkbookEvent>({ op: 'workbook', path, fields, minColumns }, WORKBOOK_DEADLINE_MS)
}
