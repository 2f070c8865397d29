// Benchmarks for issue 3 (figures for the notes, not a test):
//   npm run bench:records -- [--import-rows 100000] [--records 1000000]
// 1. Import of an N-row xlsx (check + insert, one transaction) against exceljs merely reading it; peak RSS.
// 2. A filtered, sorted page over M records: p50/p95 through knex, and the same SQL in the sqlite3 shell.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import ExcelJS from 'exceljs'
import { packagedCalendar } from '../electron/core/calendar/working-calendar'
import { currentItem } from '../electron/core/catalog/catalog'
import { importRecords } from '../electron/core/catalog/records'
import { listRecords, recordPageQuery, recordStats } from '../electron/core/catalog/record-list'
import { seedDemo } from '../electron/core/demo/demo-seed'
import { systemClock } from '../electron/core/shared/clock'
import type { RecordQuery } from '../electron/contract/schemas/records'
import { loadDisclosureRules } from '../electron/core/catalog/disclosure'
import { completeUscc } from '../electron/core/codes/uscc'
import { loadFieldKeys, noProtector } from '../electron/core/security/key-store'
import { DB_FILE, openDatabase } from '../electron/core/shared/open-database'
import { loadDictLookup } from '../electron/core/system/dictionaries'

const { values } = parseArgs({
  options: { 'import-rows': { type: 'string', default: '100000' }, records: { type: 'string', default: '1000000' } },
  strict: false,
})
const IMPORT_ROWS = Number(values['import-rows'])
const RECORDS = Number(values.records)
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'

function uscc(n: number): string {
  let body = '91350100' // registration dept, category, region digits; then the 9-character subject id
  for (let i = 0, x = n; i < 8; i++, x = Math.floor(x / 31)) body += CHARS[x % 31]
  return completeUscc(body)
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

/** A list query over the 处罚 item with nothing filtered, newest decisions first. */
export const BASE_QUERY = {
  page: 1,
  pageSize: 20,
  itemCode: 'SGS_CF',
  keyword: null,
  supplierUnitId: null,
  dateFrom: null,
  dateTo: null,
  late: null,
  reportedFrom: null,
  pendingAction: null,
  pendingChange: null,
  rejected: null,
  disclosure: null,
  batchId: null,
  sort: 'decisionDate',
  order: 'desc',
} as const

export async function writeWorkbook(path: string, rows: number): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path })
  const ws = wb.addWorksheet('处罚')
  const cols = [
    'XDR_MC',
    'XDR_LB',
    'XDR_SHXYM',
    'CF_WSH',
    'CF_WFXW',
    'CF_SY',
    'CF_YJ',
    'CF_CFLB',
    'CF_NR',
    'CF_NR_FK',
    'CF_JDRQ',
    'CF_YXQ',
    'CF_CFJG',
    'CF_CFJGDM',
    'CF_SJLY',
    'CF_SJLYDM',
  ]
  ws.addRow(cols).commit()
  for (let i = 0; i < rows; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0')
    const month = String(1 + (i % 10)).padStart(2, '0')
    ws.addRow([
      `某某商贸有限公司${i}`,
      '法人和非法人组织',
      uscc(i),
      `罚〔2026〕${i}号`,
      '未按规定明码标价',
      '经查，当事人存在违法行为。',
      '《价格法》第十三条',
      '罚款',
      '罚款人民币五千元',
      0.5,
      `2026-${month}-${day}`,
      `2027-${month}-${day}`,
      '某县市场监督管理局',
      '91440300708461136T',
      '某县市场监督管理局',
      '91440300708461136T',
    ]).commit()
  }
  ws.commit()
  await wb.commit()
}

async function main() {
  const pageP95: number[] = []
  const dir = mkdtempSync(join(tmpdir(), 'credit-desk-bench-'))
  const { db } = await openDatabase(dir)
  const item = await currentItem(db, 'SGS_CF')
  const dicts = await loadDictLookup(db)
  const ctx = {
    today: '2026-11-22',
    reportedOn: '2026-11-22',
    dicts,
    calendar: packagedCalendar(),
    keys: await loadFieldKeys(db, dir, noProtector),
    disclosureRules: await loadDisclosureRules(db),
  }

  // 1. Import
  const file = join(dir, 'import.xlsx')
  let t = performance.now()
  await writeWorkbook(file, IMPORT_ROWS)
  console.log(
    `import file: ${IMPORT_ROWS} rows, ${(statSync(file).size / 1e6).toFixed(1)} MB, written in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  )
  t = performance.now()
  let n = 0
  for await (const ws of new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', styles: 'cache' }))
    for await (const _row of ws) n++
  const readS = (performance.now() - t) / 1000
  console.log(`exceljs streaming read only: ${n} rows in ${readS.toFixed(2)} s`)
  let peak = process.memoryUsage().rss
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
  t = performance.now()
  const gc = (globalThis as { gc?: () => void }).gc
  const r = await importRecords(db, item, file, ctx, {
    mode: 'all',
    fileName: 'import.xlsx',
    supplierUnitId: null,
    createdBy: null,
    via: 'cli',
    now: Date.now(),
    // With --expose-gc: live heap after collection every 20,000 rows (should stay flat).
    onProgress: gc
      ? (rows) =>
          rows % 20_000 === 0 &&
          (gc(), console.log(`  ${rows} rows: live heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`))
      : undefined,
  })
  const importS = (performance.now() - t) / 1000
  clearInterval(sampler)
  if (r.preview.invalidRows) console.log('first problem:', r.preview.issues[0])
  console.log(
    `import (check + insert, one transaction): ${r.imported} rows in ${importS.toFixed(2)} s = ${(r.imported / importS).toFixed(0)} rows/s; ratio to read-only ${(importS / readS).toFixed(2)}x; peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`,
  )

  // 2. The records list over many records: fill with `demo seed` data (realistic names, codes, dates,
  // units), then time the app's own list call (count + page + labels) for the filters users combine,
  // and the page SQL alone, through knex and in the sqlite3 shell on the same file.
  t = performance.now()
  const have = Number((await db('records').count({ n: '*' }))[0]!.n)
  await seedDemo(
    db,
    systemClock,
    { ...ctx, disclosureRules: await loadDisclosureRules(db) },
    { records: Math.max(0, RECORDS - have), seed: 7, today: ctx.today, regionCode: '350102' },
  )
  await db.raw('ANALYZE')
  console.log(`filled to ${RECORDS} records with demo seed data in ${((performance.now() - t) / 1000).toFixed(1)} s`)

  const base = BASE_QUERY
  const unit = (await db('org_units').where('name', '县市场监督管理局').first('id'))!.id
  const cases: Array<[string, RecordQuery]> = [
    ['late in 2025, newest first, page 11', { ...base, late: true, dateFrom: '2025-01-01', dateTo: '2025-12-31', page: 11 }],
    ['one unit, sorted by report date', { ...base, supplierUnitId: unit, sort: 'reportedOn' }],
    ['name beginning 华美', { ...base, keyword: '华美' }],
    ['disclosure ending within 30 days', { ...base, disclosure: 'expiring', sort: 'disclosureEndsOn', order: 'asc' }],
    ['whole item, page 1', { ...base }],
  ]
  const shellSql: string[] = []
  for (const [name, q] of cases) {
    const times: number[] = []
    let total = 0
    for (let i = 0; i < 120; i++) {
      const s = performance.now()
      total = (await listRecords(db, q, ctx.today, ctx.keys)).total
      if (i >= 20) times.push(performance.now() - s) // the first 20 warm the cache
    }
    const pageTimes: number[] = []
    const pageQuery = recordPageQuery(db, q, ctx.today, ctx.keys)
    for (let i = 0; i < 120; i++) {
      const s = performance.now()
      await pageQuery.clone()
      if (i >= 20) pageTimes.push(performance.now() - s)
    }
    shellSql.push(pageQuery.toString())
    console.log(
      `  ${name}: ${total} matching; list call (count + page) p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms; page SQL via knex p95 ${percentile(pageTimes, 95).toFixed(2)} ms`,
    )
    pageP95.push(percentile(pageTimes, 95))
  }
  const statTimes: number[] = []
  for (let i = 0; i < 30; i++) {
    const s = performance.now()
    await recordStats(db, 'SGS_CF', ctx.today)
    if (i >= 5) statTimes.push(performance.now() - s)
  }
  console.log(
    `  statistics panel (total, late, in disclosure, expiring, pending, per unit): p50 ${percentile(statTimes, 50).toFixed(1)} ms, p95 ${percentile(statTimes, 95).toFixed(1)} ms`,
  )
  await db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
  await db.destroy()
  for (const [i, sql] of shellSql.entries()) {
    const shell = execFileSync('sqlite3', [join(dir, DB_FILE)], {
      input: `.timer on\n${Array(120)
        .fill(sql.replace(/\s+/g, ' ') + ';')
        .join('\n')}\n`,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    })
    const shellMs = [...shell.matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]) * 1000).slice(20)
    console.log(
      `  ${cases[i]![0]}: sqlite3 shell p95 ${percentile(shellMs, 95).toFixed(2)} ms (timer resolves 1 ms); knex page p95 / shell p95 = ${(pageP95[i]! / Math.max(percentile(shellMs, 95), 1)).toFixed(2)} (shell floored at 1 ms)`,
    )
  }
  console.log(`data folder: ${dir}`)
}

if (require.main === module)
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
