import { randomBytes } from 'node:crypto'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import JSZip from 'jszip'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { Knex } from 'knex'
import { describe, expect, it } from 'vitest'
import { packagedCalendar } from '../../electron/core/calendar/working-calendar'
import { getCatalogItem } from '../../electron/core/catalog/catalog'
import { previewImport, writeErrorWorkbook, type PreviewContext } from '../../electron/core/catalog/record-import'
import { loadDictEntries } from '../../electron/core/system/dictionaries'
import { freshDb, tempDir } from '../helpers'

async function setup(db: Knex) {
  const item = await getCatalogItem(db, (await db('catalog_items').where('code', 'SGS_CF').first('id'))!.id)
  const dicts = new Map([...(await loadDictEntries(db))].map(([k, v]) => [k, new Map(v.map((e) => [e.value, e.label]))]))
  const ctx: PreviewContext = { today: '2026-11-22', dicts, calendar: packagedCalendar(), reportedOn: '2026-11-22' }
  return { item, ctx }
}

const BASE = {
  XDR_MC: '某某食品有限公司',
  XDR_LB: '法人和非法人组织',
  XDR_SHXYM: '91350100M000100Y43',
  CF_WSH: '闽市监罚〔2026〕12号',
  CF_WFXW: '销售过期食品',
  CF_SY: '经查属实',
  CF_YJ: '《食品安全法》第一百二十四条',
  CF_CFLB: '罚款',
  CF_NR: '罚款五万元',
  CF_JDRQ: '2026-11-18',
  CF_YXQ: '2027-11-18',
  CF_CFJG: '某县市场监督管理局',
  CF_CFJGDM: '91440300708461136T',
  CF_SJLY: '某县市场监督管理局',
  CF_SJLYDM: '91440300708461136T',
}

async function workbook(rows: Array<Record<string, unknown>>, merge?: string): Promise<string> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('处罚')
  const cols = Object.keys(BASE)
  ws.addRow(cols)
  for (const r of rows) ws.addRow(cols.map((c) => (r as Record<string, ExcelJS.CellValue>)[c] ?? null))
  if (merge) ws.mergeCells(merge)
  const path = join(tempDir(), 'in.xlsx')
  await wb.xlsx.writeFile(path)
  return path
}

describe('import preview', () => {
  it('counts valid, invalid and late rows and lists every problem with row and column', async () => {
    const { db } = await freshDb()
    const { item, ctx } = await setup(db)
    const path = await workbook([
      BASE, // decided 2026-11-18, reported 11-22: in time
      { ...BASE, CF_WSH: '闽市监罚〔2026〕3号', CF_JDRQ: '2026-09-26', CF_YXQ: '2027-09-26' }, // 7th working day was 10-13: late
      { ...BASE, CF_CFJGDM: '91440300708461136X' },
      { ...BASE, CF_JDRQ: '2026-13-01' },
    ])
    const progress: number[] = []
    const p = await previewImport(path, item, ctx, { onProgress: (n) => progress.push(n) })
    expect(p).toMatchObject({ rows: 4, validRows: 2, invalidRows: 2, lateRows: 1, calendarGaps: [] })
    expect(p.issues).toEqual([
      { row: 4, column: 'CF_CFJGDM', columnName: '处罚机关统一社会信用代码', reason: '统一社会信用代码校验位不正确' },
      { row: 4, column: 'CF_WSH', columnName: '行政处罚决定书文号', reason: '与第 2 行的文书号和主体相同（重复数据）' },
      { row: 5, column: 'CF_JDRQ', columnName: '处罚决定日期', reason: '日期无法识别，请写成 2025-09-26 这样的格式' },
      { row: 5, column: 'CF_WSH', columnName: '行政处罚决定书文号', reason: '与第 2 行的文书号和主体相同（重复数据）' },
    ])
    expect(progress.at(-1)).toBe(4)
  })

  it('refuses a file missing required columns, naming them', async () => {
    const { db } = await freshDb()
    const { item, ctx } = await setup(db)
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('x').addRow(['行政相对人名称', '行政处罚决定书文号', '处罚决定日期'])
    const path = join(tempDir(), 'short.xlsx')
    await wb.xlsx.writeFile(path)
    const err = await previewImport(path, item, ctx).catch((e) => e)
    expect(err).toMatchObject({ code: 'IMPORT_FILE_REJECTED', details: { reason: 'missing_columns' } })
    expect(err.details.columns).toEqual(expect.arrayContaining(['行政相对人类别', '违法事实', '处罚机关']))
  })

  it('flags rows covered by merged cells and stops when cancelled', async () => {
    const { db } = await freshDb()
    const { item, ctx } = await setup(db)
    const path = await workbook([BASE, { ...BASE, CF_WSH: '文2', XDR_MC: null }], 'A2:A3')
    const p = await previewImport(path, item, ctx)
    expect(p.issues.filter((i) => i.reason.startsWith('含合并单元格')).map((i) => i.row)).toEqual([2, 3])
    expect(p.validRows).toBe(0)
    const abort = new AbortController()
    abort.abort()
    await expect(previewImport(path, item, ctx, { signal: abort.signal })).rejects.toMatchObject({ code: 'CANCELLED' })
  })

  it('writes the rejected rows back with their row numbers and reasons, bad cells shaded, drop-downs kept; fixed, it imports', async () => {
    const { db } = await freshDb()
    const { item, ctx } = await setup(db)
    const path = await workbook([BASE, { ...BASE, CF_WSH: '文2', CF_CFLB: '批评教育', CF_NR_FK: '-1' }])
    const p = await previewImport(path, item, ctx)
    const out = join(tempDir(), '错误数据.xlsx')
    expect(await writeErrorWorkbook(path, item, p, out, await loadDictEntries(db))).toBe(1)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(out)
    const ws = wb.getWorksheet('错误数据')!
    expect(ws.getRow(1).getCell(1).value).toBe('原行号')
    expect(ws.getRow(2).getCell(1).value).toBe(3)
    const reasonCell = ws.getRow(2).getCell(ws.getRow(1).cellCount).value
    expect(reasonCell).toBe('处罚类别：不是允许的取值，请从下拉列表中选择')
    // The header stays in view; the cell at fault is shaded, its neighbours are not.
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    const header = (ws.getRow(1).values as unknown[]).slice(1)
    const category = header.indexOf('处罚类别') + 1
    expect(ws.getRow(2).getCell(category).fill).toMatchObject({ pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } })
    expect((ws.getRow(2).getCell(header.indexOf('违法事实') + 1).fill as { pattern?: string } | undefined)?.pattern).not.toBe('solid')
    // 处罚类别 keeps the template's drop-down, its labels on the very hidden list sheet.
    const xml = await (await JSZip.loadAsync(readFileSync(out))).file('xl/worksheets/sheet1.xml')!.async('string')
    const col = String.fromCharCode(64 + category)
    const listCol = xml.match(new RegExp(`sqref="${col}2:${col}2"[^]*?<formula1>&apos;字典取值&apos;!\\$([A-Z]+)\\$1:`))!
    const lists = wb.getWorksheet('字典取值')!
    expect(lists.state).toBe('veryHidden')
    expect(lists.getColumn(listCol[1]!).values).toContain('通报批评')

    // The department picks a value from the list and sends the file back: it imports.
    ws.getRow(2).getCell(category).value = '罚款'
    await wb.xlsx.writeFile(out)
    const again = await previewImport(out, item, ctx)
    expect({ valid: again.validRows, invalid: again.invalidRows }).toEqual({ valid: 1, invalid: 0 })
  })
})

describe('large and empty files', () => {
  it('reads a 50 MB workbook row by row and reports over-long text per row', async () => {
    const { db } = await freshDb()
    const { item, ctx } = await setup(db)
    const path = join(tempDir(), 'big.xlsx')
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path })
    const ws = wb.addWorksheet('处罚')
    ws.addRow([...Object.keys(BASE), '附件说明']).commit()
    // Incompressible text makes the file large on disk: 2,600 rows × ~20 KB compressed of a 附件说明 column the
    // item does not have (ignored), and every 100th row's 违法事实 over its 5,000-character limit.
    for (let i = 1; i <= 2600; i++) {
      const row = { ...BASE, CF_WSH: `罚〔2026〕${i}号`, CF_SY: i % 100 === 0 ? '查'.repeat(5001) : '经查属实' }
      ws.addRow([...Object.values(row), randomBytes(20_000).toString('base64')]).commit()
    }
    ws.commit()
    await wb.commit()
    expect(statSync(path).size).toBeGreaterThan(50e6)
    const preview = await previewImport(path, item, ctx)
    expect(preview).toMatchObject({ rows: 2600, invalidRows: 26, validRows: 2574 })
    expect(preview.header.unknownHeaders).toEqual(['附件说明'])
    expect(preview.issues[0]).toMatchObject({ row: 101, columnName: '违法事实', reason: '超过最大长度 5000 个字' })
  }, 120_000)

  it('refuses an empty workbook and a zero-byte file in plain words', async () => {
    const { db } = await freshDb()
    const { item, ctx } = await setup(db)
    const blank = join(tempDir(), 'blank.xlsx')
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('Sheet1')
    await wb.xlsx.writeFile(blank)
    await expect(previewImport(blank, item, ctx)).rejects.toMatchObject({ code: 'IMPORT_FILE_REJECTED', details: { reason: 'no_header' } })
    const zero = join(tempDir(), 'zero.xlsx')
    writeFileSync(zero, '')
    await expect(previewImport(zero, item, ctx)).rejects.toMatchObject({ code: 'IMPORT_FILE_REJECTED', details: { reason: 'empty' } })
  })
})
