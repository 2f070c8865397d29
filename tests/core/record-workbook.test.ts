import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { Knex } from 'knex'
import { describe, expect, it } from 'vitest'
import { getCatalogItem } from '../../electron/core/catalog/catalog'
import { checkRecord } from '../../electron/core/catalog/record-check'
import { buildRecordTemplate } from '../../electron/core/catalog/record-template'
import { readRecordRows, type WorkbookEvent } from '../../electron/core/catalog/record-workbook'
import { loadDictEntries } from '../../electron/core/system/dictionaries'
import { freshDb, tempDir } from '../helpers'

async function licenseItem(db: Knex) {
  return getCatalogItem(db, (await db('catalog_items').where('code', 'SGS_XK').first('id'))!.id)
}

const ROW: Record<string, ExcelJS.CellValue> = {
  XDR_MC: '某某餐饮有限公司',
  XDR_LB: '法人和非法人组织',
  XDR_SHXYM: '91350100M000100Y43',
  XK_XKWS: '食品经营许可决定书',
  XK_WSH: '闽食许〔2026〕8号',
  XK_XKLB: '普通',
  XK_NR: '预包装食品销售',
  XK_JDRQ: new Date(Date.UTC(2026, 10, 2)),
  XK_YXQZ: '2026/11/2',
  XK_YXQZI: '2031年11月1日',
  XK_XKJG: '某县市场监督管理局',
  XK_XKJGDM: '91440300708461136T',
  XK_ZT: '有效',
  XK_LYDW: '某县市场监督管理局',
  XK_LYDWDM: '91440300708461136T',
}

async function collect(path: string, fields: Parameters<typeof readRecordRows>[1]): Promise<WorkbookEvent[]> {
  const events: WorkbookEvent[] = []
  for await (const e of readRecordRows(path, fields)) events.push(e)
  return events
}

describe('reading department workbooks', () => {
  it('reads the filled-in template: header by code row, hint row skipped, rows keyed by field code', async () => {
    const { db } = await freshDb()
    const item = await licenseItem(db)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await buildRecordTemplate(item, await loadDictEntries(db))) as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    const codes = item.fields.map((f) => f.code)
    ws.getRow(4).values = codes.map((c) => ROW[c] ?? null)
    ws.getRow(6).values = codes.map((c) => (c === 'XDR_MC' ? '另一家公司' : (ROW[c] ?? null))) // row 5 left blank
    const path = join(tempDir(), '许可.xlsx')
    await wb.xlsx.writeFile(path)

    const events = await collect(path, item.fields)
    expect(events[0]).toMatchObject({ kind: 'header', header: { row: 2, missingRequired: [], unknownHeaders: [] } })
    const rows = events.filter((e) => e.kind === 'row')
    expect(rows.map((r) => r.row)).toEqual([4, 6])
    const ctx = {
      today: '2026-11-22',
      dicts: new Map([...(await loadDictEntries(db))].map(([k, v]) => [k, new Map(v.map((e) => [e.value, e.label]))])),
    }
    const checked = checkRecord(item.fields, rows[0]!.raw, ctx)
    expect(checked.issues).toEqual([])
    expect(checked.values).toMatchObject({
      XK_JDRQ: '2026-11-02',
      XK_YXQZ: '2026-11-02',
      XK_YXQZI: '2031-11-01',
      XK_XKLB: 'general',
      XK_ZT: 'valid',
    })
  })

  it("reads a department's own sheet with Chinese column names, and reports missing required columns", async () => {
    const { db } = await freshDb()
    const item = await licenseItem(db)
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Sheet1')
    ws.addRow(['2026年11月行政许可信息报送表']) // a title row above the header
    // Headers typed by hand: a space inside, a required mark.
    ws.addRow(['行政相对人 名称', '*统一社会信用代码', '行政许可决定文书号', '许可决定日期', '经办人'])
    ws.addRow(['某某餐饮有限公司 ', '９１３５０１００Ｍ０００１００Ｙ４３', '闽食许〔2026〕8号', 46328, '张三'])
    const path = join(tempDir(), 'dept.xlsx')
    await wb.xlsx.writeFile(path)
    const events = await collect(path, item.fields)
    const header = events[0]!.kind === 'header' ? events[0]!.header : null
    expect(header!.row).toBe(2)
    expect(header!.unknownHeaders).toEqual(['经办人'])
    expect(header!.missingRequired).toEqual(expect.arrayContaining(['XDR_LB', 'XK_XKWS', 'XK_XKLB', 'XK_NR']))
    expect(events[1]).toEqual({
      kind: 'row',
      row: 3,
      raw: { XDR_MC: '某某餐饮有限公司 ', XDR_SHXYM: '９１３５０１００Ｍ０００１００Ｙ４３', XK_WSH: '闽食许〔2026〕8号', XK_JDRQ: 46328 },
    })
  })

  it('matches a header written with half-width brackets to a name with full-width ones', async () => {
    const { db } = await freshDb()
    const penalty = await getCatalogItem(db, (await db('catalog_items').where('code', 'SGS_CF').first('id'))!.id)
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('Sheet1').addRow(['行政相对人名称', '行政处罚决定书文号', '罚款金额(万元)', '处罚决定日期'])
    const path = join(tempDir(), 'dept.xlsx')
    await wb.xlsx.writeFile(path)
    const [first] = await collect(path, penalty.fields)
    const header = first!.kind === 'header' ? first!.header : null
    expect([...header!.columns.values()]).toEqual(['XDR_MC', 'CF_WSH', 'CF_NR_FK', 'CF_JDRQ'])
    expect(header!.unknownHeaders).toEqual([])
  })

  it('rejects a sheet without a recognisable header', async () => {
    const { db } = await freshDb()
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Sheet1')
    for (let i = 0; i < 12; i++) ws.addRow(['序号', '名称', '金额'])
    const path = join(tempDir(), 'wrong.xlsx')
    await wb.xlsx.writeFile(path)
    await expect(collect(path, (await licenseItem(db)).fields)).rejects.toMatchObject({
      code: 'IMPORT_FILE_REJECTED',
      details: { reason: 'no_header' },
    })
  })

  it('tells a corrupt file, a password-protected workbook and an old .xls apart', async () => {
    const { db } = await freshDb()
    const { fields } = await licenseItem(db)
    const dir = tempDir()
    const reason = async (name: string, bytes: Buffer) => {
      writeFileSync(join(dir, name), bytes)
      return collect(join(dir, name), fields).then(
        () => 'ok',
        (e: { details: { reason: string } }) => e.details.reason,
      )
    }
    const cfb = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)])
    // Encrypted OOXML is a compound file holding an "EncryptionInfo" stream (its name in UTF-16LE).
    expect(await reason('locked.xlsx', Buffer.concat([cfb, Buffer.from('EncryptionInfo', 'utf16le'), Buffer.alloc(512)]))).toBe('encrypted')
    expect(await reason('old.xls', Buffer.concat([cfb, Buffer.from('Workbook', 'utf16le'), Buffer.alloc(512)]))).toBe('legacy_xls')
    expect(await reason('text.xlsx', Buffer.from('姓名,代码\n张三,123\n'))).toBe('corrupt')
    expect(await reason('truncated.xlsx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(2000, 7)]))).toBe('corrupt')
    expect(await reason('empty.xlsx', Buffer.alloc(0))).toBe('empty')
  })

  it('finds merged cells that reach into the data rows', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Sheet1')
    ws.addRow(['行政相对人名称', '行政许可决定文书号'])
    ws.addRow(['甲公司', '文1'])
    ws.addRow(['', '文2'])
    ws.mergeCells('A2:A3')
    ws.mergeCells('C1:D1')
    const path = join(tempDir(), 'merged.xlsx')
    await wb.xlsx.writeFile(path)
    const events: WorkbookEvent[] = []
    for await (const e of readRecordRows(path, [
      {
        code: 'XDR_MC',
        name: '行政相对人名称',
        type: 'text',
        required: true,
        maxLength: 200,
        dictTypeCode: null,
        checkRule: null,
        sensitive: false,
      },
      {
        code: 'XK_WSH',
        name: '行政许可决定文书号',
        type: 'text',
        required: true,
        maxLength: 64,
        dictTypeCode: null,
        checkRule: null,
        sensitive: false,
      },
    ]))
      events.push(e)
    expect(events.at(-1)).toEqual({
      kind: 'end',
      merged: [
        { range: 'C1:D1', fromRow: 1, toRow: 1 },
        { range: 'A2:A3', fromRow: 2, toRow: 3 },
      ],
    })
  })
})

export { ROW }

describe('Chinese text survives the streaming reader', () => {
  // exceljs decoded each compressed-stream chunk separately, so a character split across two chunks
  // came back as U+FFFD (about 1 row in 4,000); patches/exceljs+4.4.0.patch decodes across chunks.
  it('reads 30,000 rows of Chinese text back exactly', async () => {
    const { db } = await freshDb()
    const { fields } = await licenseItem(db)
    const path = join(tempDir(), 'many.xlsx')
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path })
    const ws = wb.addWorksheet('许可')
    ws.addRow(['XDR_MC', 'XDR_LB', 'XK_WSH']).commit()
    for (let i = 0; i < 30_000; i++) ws.addRow([`某某商贸有限公司${i}`, '法人和非法人组织', `闽许〔2026〕${i}号`]).commit()
    ws.commit()
    await wb.commit()
    let rows = 0
    const damaged: number[] = []
    for await (const e of readRecordRows(path, fields)) {
      if (e.kind !== 'row') continue
      rows++
      const i = e.row - 2
      if (e.raw.XDR_MC !== `某某商贸有限公司${i}` || e.raw.XDR_LB !== '法人和非法人组织' || e.raw.XK_WSH !== `闽许〔2026〕${i}号`)
        damaged.push(e.row)
    }
    expect(rows).toBe(30_000)
    expect(damaged).toEqual([])
  })
})

describe('no copy of a workbook is left behind', () => {
  // exceljs's streaming reader writes a worksheet that comes before the shared strings (Excel's own order, and the
  // streaming writer's) to a temporary file, and removes it only after reading the whole workbook.
  it('the parse worker’s temporary files go when it does: read whole, stopped part-way, or refused', async () => {
    const { db } = await freshDb()
    const item = await licenseItem(db)
    const path = join(tempDir(), 'stream-written.xlsx')
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path })
    const ws = wb.addWorksheet('许可')
    ws.addRow(Object.keys(ROW)).commit()
    for (let i = 0; i < 3000; i++)
      ws.addRow(Object.values(ROW).map((v) => (v === '闽食许〔2026〕8号' ? `闽食许〔2026〕${i}号` : v))).commit()
    await wb.commit()

    const temp = mkdtempSync(join(tmpdir(), 'workbook-temp-'))
    const saved = process.env.TMPDIR
    process.env.TMPDIR = temp
    try {
      const leftovers = () => readdirSync(temp, { recursive: true })
      let seenDuringRead: unknown[] = []
      let rows = 0
      for await (const e of readRecordRows(path, item.fields)) {
        if (e.kind !== 'row') continue
        if (++rows === 1) seenDuringRead = leftovers()
      }
      expect(rows).toBe(3000)
      expect(seenDuringRead.some((f) => /tmp-/.test(String(f)))).toBe(true) // the copy exists while it is read
      expect(leftovers()).toEqual([])
      for await (const e of readRecordRows(path, item.fields)) if (e.kind === 'row') break // a cancel
      expect(leftovers()).toEqual([])
      const strict = await (async () => {
        for await (const _ of readRecordRows(path, item.fields, 99)); // no row has 99 matching names: no header
      })().catch((err: unknown) => err)
      expect(strict).toMatchObject({ code: 'IMPORT_FILE_REJECTED' })
      expect(leftovers()).toEqual([])
    } finally {
      process.env.TMPDIR = saved
      if (saved === undefined) delete process.env.TMPDIR
    }
  })
})
