import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { getCatalogItem } from '../../electron/core/catalog/catalog'
import { buildRecordTemplate, TEMPLATE_ROWS } from '../../electron/core/catalog/record-template'
import { freshDb } from '../helpers'

describe('record import template', () => {
  it('has names, codes and hints for every data item, text-formatted code columns and dictionary drop-downs', async () => {
    const { db } = await freshDb()
    const item = await getCatalogItem(db, (await db('catalog_items').where('code', 'SGS_CF').first('id'))!.id)
    const dicts = new Map<string, Array<{ value: string; label: string }>>()
    for (const r of await db('dict_items').orderBy('sort_order')) {
      if (!dicts.has(r.type_code)) dicts.set(r.type_code, [])
      dicts.get(r.type_code)!.push({ value: r.value, label: r.label })
    }
    const buffer = await buildRecordTemplate(item, dicts)

    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(buffer as unknown as ArrayBuffer)
    const ws = wb.getWorksheet('行政处罚信息')!
    const codes = (ws.getRow(TEMPLATE_ROWS.codes).values as unknown[]).slice(1)
    expect(codes).toEqual(item.fields.map((f) => f.code))
    expect(ws.getRow(TEMPLATE_ROWS.names).getCell(codes.indexOf('CF_WSH') + 1).value).toBe('*行政处罚决定书文号')
    expect(ws.getRow(TEMPLATE_ROWS.hints).getCell(codes.indexOf('CF_NR_FK') + 1).value).toBe('小数；单位：万元；选填')
    expect(ws.getColumn(codes.indexOf('ZJHM') + 1).numFmt).toBe('@')

    // The drop-down for 处罚类别 points at the 14 labels on the hidden list sheet.
    const zip = await JSZip.loadAsync(buffer)
    const sheetXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string')
    const col = String.fromCharCode(65 + codes.indexOf('CF_CFLB'))
    expect(sheetXml).toMatch(new RegExp(`<dataValidation type="list"[^>]*sqref="${col}4:${col}100003"`))
    const lists = wb.getWorksheet('字典取值')!
    expect(lists.state).toBe('veryHidden')
    const listCol = sheetXml.match(
      new RegExp(`sqref="${col}4:${col}100003"[^]*?<formula1>&apos;字典取值&apos;!\\$([A-Z]+)\\$1:\\$[A-Z]+\\$(\\d+)</formula1>`),
    )!
    expect(listCol[2]).toBe('14')
    expect(lists.getColumn(listCol[1]!).values.slice(1)).toContain('通报批评')
  })
})
