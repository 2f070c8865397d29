import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { Knex } from 'knex'
import { describe, expect, it } from 'vitest'
import { loadDisclosureRules } from '../../electron/core/catalog/disclosure'
import { packagedCalendar } from '../../electron/core/calendar/working-calendar'
import { getCatalogItem } from '../../electron/core/catalog/catalog'
import { importRecords, type StoreContext } from '../../electron/core/catalog/records'
import { openField } from '../../electron/core/security/field-crypto'
import { loadFieldKeys, noProtector } from '../../electron/core/security/key-store'
import { loadDictEntries } from '../../electron/core/system/dictionaries'
import { freshDb, tempDir } from '../helpers'

const BASE: Record<string, ExcelJS.CellValue> = {
  XDR_MC: '某某食品有限公司',
  XDR_LB: '法人和非法人组织',
  XDR_SHXYM: '91350100M000100Y43',
  ZJHM: null,
  CF_WSH: '罚〔2026〕1号',
  CF_WFXW: '销售过期食品',
  CF_SY: '经查属实',
  CF_YJ: '《食品安全法》',
  CF_CFLB: '罚款',
  CF_NR: '罚款五万元',
  CF_JDRQ: '2026-11-18',
  CF_YXQ: '2027-11-18',
  CF_CFJG: '某县市场监督管理局',
  CF_CFJGDM: '91440300708461136T',
  CF_SJLY: '某县市场监督管理局',
  CF_SJLYDM: '91440300708461136T',
}

async function workbook(rows: Array<Record<string, ExcelJS.CellValue>>): Promise<string> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('处罚')
  const cols = Object.keys(BASE)
  ws.addRow(cols)
  for (const r of rows) ws.addRow(cols.map((c) => r[c] ?? null))
  const path = join(tempDir(), 'in.xlsx')
  await wb.xlsx.writeFile(path)
  return path
}

async function setup() {
  const { db, dataDir } = await freshDb()
  const item = await getCatalogItem(db, (await db('catalog_items').where('code', 'SGS_CF').first('id'))!.id)
  const dicts = new Map([...(await loadDictEntries(db))].map(([k, v]) => [k, new Map(v.map((e) => [e.value, e.label]))]))
  const ctx: StoreContext = {
    today: '2026-11-22',
    reportedOn: '2026-11-22',
    dicts,
    calendar: packagedCalendar(),
    keys: await loadFieldKeys(db, dataDir, noProtector),
    disclosureRules: await loadDisclosureRules(db),
  }
  const opts = { fileName: 'in.xlsx', supplierUnitId: null, createdBy: null, via: 'cli' as const, now: 1 }
  return { db, dataDir, item, ctx, opts }
}

const count = async (db: Knex, table: string) => Number((await db(table).count({ n: '*' }))[0]!.n)
const rowsOf = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ ...BASE, CF_WSH: `罚〔2026〕${from + i + 1}号` }))

describe('record import', () => {
  it('all or nothing: one bad row and nothing is stored', async () => {
    const { db, item, ctx, opts } = await setup()
    const path = await workbook([...rowsOf(3), { ...BASE, CF_WSH: '罚〔2026〕9号', CF_CFJGDM: 'bad' }])
    const r = await importRecords(db, item, path, ctx, { ...opts, mode: 'all' })
    expect(r).toMatchObject({ batchId: null, imported: 0, preview: { rows: 4, invalidRows: 1 } })
    expect(await count(db, 'records')).toBe(0)
    expect(await count(db, 'import_batches')).toBe(0)
  })

  it('valid rows only: stores the good ones with their lineage and reports the rest', async () => {
    const { db, item, ctx, opts } = await setup()
    const path = await workbook([
      ...rowsOf(3),
      { ...BASE, CF_WSH: '罚〔2026〕9号', CF_CFJGDM: 'bad' },
      { ...BASE, CF_WSH: '罚〔2026〕10号', CF_JDRQ: '2026-09-26', CF_YXQ: '2027-09-26' },
    ])
    const r = await importRecords(db, item, path, ctx, { ...opts, mode: 'valid_only' })
    expect(r.imported).toBe(4)
    expect(r.preview.issues.map((i) => i.row)).toEqual([5])
    const batch = await db('import_batches').first()
    expect(batch).toMatchObject({ rows: 5, imported: 4, rejected: 1, late: 1, item_code: 'SGS_CF', via: 'cli' })
    const late = await db('records').where('is_late', true).first()
    expect(late).toMatchObject({
      doc_number: '罚〔2026〕10号',
      decision_date: '2026-09-26',
      deadline_date: '2026-10-12',
      batch_id: batch!.id,
    })
  })

  it('the same documents again are duplicates, and nothing changes', async () => {
    const { db, item, ctx, opts } = await setup()
    const path = await workbook(rowsOf(3))
    expect((await importRecords(db, item, path, ctx, { ...opts, mode: 'all' })).imported).toBe(3)
    const again = await importRecords(db, item, path, ctx, { ...opts, mode: 'all' })
    expect(again.imported).toBe(0)
    expect(again.preview.invalidRows).toBe(3)
    expect(again.preview.issues.map((i) => i.reason)).toEqual(Array(3).fill('系统中已有同一主体的同一文书号（重复数据）'))
    expect(await count(db, 'records')).toBe(3)
  })

  it('all or nothing also holds when the only problem is a duplicate in the last batch', async () => {
    const { db, item, ctx, opts } = await setup()
    expect((await importRecords(db, item, await workbook(rowsOf(1, 1000)), ctx, { ...opts, mode: 'all' })).imported).toBe(1)
    // 1,001 rows: the first 1,000 are written as a batch, the duplicate (row 1,002) is in the final one.
    const r = await importRecords(db, item, await workbook(rowsOf(1001)), ctx, { ...opts, mode: 'all' })
    expect(r).toMatchObject({ imported: 0, preview: { rows: 1001, invalidRows: 1 } })
    expect(r.preview.issues).toEqual([expect.objectContaining({ row: 1002, reason: '系统中已有同一主体的同一文书号（重复数据）' })])
    expect(await count(db, 'records')).toBe(1)
  })

  it('several batches written while the next are read: every row once, in file order, duplicates in any batch left out', async () => {
    const { db, item, ctx, opts } = await setup()
    const before = (await db.raw<Array<{ cache_size: number }>>('PRAGMA cache_size'))[0]!.cache_size
    expect((await importRecords(db, item, await workbook([rowsOf(1, 1499)[0]!]), ctx, { ...opts, mode: 'all' })).imported).toBe(1)
    expect((await db.raw<Array<{ cache_size: number }>>('PRAGMA cache_size'))[0]!.cache_size).toBe(before)
    const r = await importRecords(db, item, await workbook(rowsOf(3500)), ctx, { ...opts, mode: 'valid_only' })
    expect(r.imported).toBe(3499)
    expect(r.preview.issues).toEqual([expect.objectContaining({ row: 1501, reason: '系统中已有同一主体的同一文书号（重复数据）' })])
    const stored = await db('records').where('batch_id', r.batchId!).orderBy('id').select('doc_number', 'uid', 'subject_name', 'is_late')
    const expected = rowsOf(3500)
      .map((x) => x.CF_WSH)
      .filter((d) => d !== '罚〔2026〕1500号')
    expect(stored.map((x) => x.doc_number)).toEqual(expected)
    expect(stored[0]).toMatchObject({ subject_name: '某某食品有限公司', is_late: 0 })
    // Time-ordered uids (RFC 9562 version 7): each new record goes to the end of the uid index.
    expect(stored.every((x) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(x.uid))).toBe(true)
    expect(stored.map((x) => x.uid)).toEqual(stored.map((x) => x.uid).sort())
    // The import's larger page cache is handed back, after a success and after a refusal.
    expect((await db.raw<Array<{ cache_size: number }>>('PRAGMA cache_size'))[0]!.cache_size).toBe(before)
    await importRecords(db, item, await workbook([{ ...BASE, CF_CFJGDM: 'bad' }]), ctx, { ...opts, mode: 'all' })
    expect((await db.raw<Array<{ cache_size: number }>>('PRAGMA cache_size'))[0]!.cache_size).toBe(before)
  })

  it('never stores a natural person’s ID number in plain text', async () => {
    const { db, dataDir, item, ctx, opts } = await setup()
    const person = { ...BASE, XDR_LB: '自然人', XDR_MC: '张三', XDR_SHXYM: null, ZJHM: '11010519491231002x' }
    const r = await importRecords(db, item, await workbook([person]), ctx, { ...opts, mode: 'all' })
    expect(r.imported).toBe(1)
    const row = await db('records').first()
    expect(JSON.parse(row!.data).ZJHM).toBe('110105********002X')
    expect(openField(ctx.keys, JSON.parse(row!.sealed!).ZJHM, 'records.ZJHM')).toBe('11010519491231002X')
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
    expect(readFileSync(join(dataDir, 'credit-desk.sqlite')).includes(Buffer.from('11010519491231002X'))).toBe(false)
  })

  it('a cancel part-way leaves nothing behind', async () => {
    const { db, item, ctx, opts } = await setup()
    const path = await workbook(rowsOf(2500))
    const abort = new AbortController()
    const err = await importRecords(db, item, path, ctx, {
      ...opts,
      mode: 'valid_only',
      signal: abort.signal,
      onProgress: () => abort.abort(),
    }).catch((e) => e)
    expect(err).toMatchObject({ code: 'CANCELLED' })
    expect(await count(db, 'records')).toBe(0)
    expect(await count(db, 'import_batches')).toBe(0)
  })
})
