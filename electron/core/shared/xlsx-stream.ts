// Large workbooks (records, error reports, the audit log) are written through exceljs's streaming writer, so memory
// stays flat however many rows go out; like every file we write, under a temporary name and renamed when whole.
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs'
import type ExcelJS from 'exceljs'
import { loadExcel } from './lazy-libs'

export type StreamedWorkbook = ExcelJS.stream.xlsx.WorkbookWriter
export type StreamedSheet = ReturnType<StreamedWorkbook['addWorksheet']>

/** Runs `fill` (which adds sheets and rows and returns how many data rows it wrote), then commits and renames. */
export async function writeXlsxStream(path: string, fill: (wb: StreamedWorkbook) => Promise<number>): Promise<number> {
  const tmp = `${path}.partial`
  const wb = new (await loadExcel()).stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true })
  try {
    const rows = await fill(wb)
    await wb.commit() // (commits any sheet still open)
    const fd = openSync(tmp, 'r+')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, path)
    return rows
  } catch (err) {
    rmSync(tmp, { force: true })
    throw err
  }
}

/** A bold first row. */
export function headerRow(ws: StreamedSheet, cells: ExcelJS.CellValue[]): void {
  const row = ws.addRow(cells)
  row.font = { bold: true }
  row.commit()
}
