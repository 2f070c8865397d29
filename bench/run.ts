// The benchmark table (figures for the notes, not a test): `npm run bench -- --quick` (about a minute) or
// `npm run bench` (the sizes the issues name: about 12 minutes, most of it seeding a million records). Every row is a
// measure, our figure, an anchor measured in the same run on the same data, and their ratio; the table goes to
// stdout and bench/results/latest.md, and its last line is `ratio to OpenSSL: export X, open Y`.
//   packages   the shipped command line, pure JS as in Electron (CREDIT_DESK_PURE_JS_GM=1), against the OpenSSL CLI
//              over the payload moved, and 7-Zip with a password over the same files where `7z` is installed
//   import     an N-row 处罚 workbook checked and inserted in one transaction, against exceljs merely reading it
//   lists      the records list, its count and the statistics strip at growing sizes, against the sqlite3 shell
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import ExcelJS from 'exceljs'
import { packagedCalendar } from '../electron/core/calendar/working-calendar'
import { currentItem } from '../electron/core/catalog/catalog'
import { loadDisclosureRules } from '../electron/core/catalog/disclosure'
import { listRecords, recordPageQuery, recordStats } from '../electron/core/catalog/record-list'
import { importRecords } from '../electron/core/catalog/records'
import { seedDemo } from '../electron/core/demo/demo-seed'
import { loadFieldKeys, noProtector } from '../electron/core/security/key-store'
import { systemClock } from '../electron/core/shared/clock'
import { DB_FILE, openDatabase } from '../electron/core/shared/open-database'
import { loadDictLookup } from '../electron/core/system/dictionaries'
import type { RecordQuery } from '../electron/contract/schemas/records'
import { packageFigures } from './package-bench'
import { BASE_QUERY, percentile, writeWorkbook } from './records-bench'

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } })
const QUICK = values.quick
const SIZES = QUICK
  ? { records: 5_000, attachmentsMb: 20, recordsOnly: 20_000, importRows: 10_000, lists: [20_000, 50_000] }
  : { records: 50_000, attachmentsMb: 200, recordsOnly: 200_000, importRows: 100_000, lists: [100_000, 300_000, 1_000_000] }

interface Row {
  measure: string
  ours: string
  anchor: string
  ratio: string
}
const rows: Row[] = []
const fmt = (n: number, digits = 1) => n.toFixed(digits)
const mib = (bytes: number) => `${fmt(bytes / 1_048_576)} MiB`
const log = (line: string) => console.log(`  ${line}`)

async function packages(): Promise<{ exportRatio: number; openRatio: number }> {
  console.log(`packages: ${SIZES.records} records + ${SIZES.attachmentsMb} MB of scans (pure JS)`)
  process.env.CREDIT_DESK_PURE_JS_GM = '1'
  const p = await packageFigures({ records: SIZES.records, attachmentsMb: SIZES.attachmentsMb, log })
  const payload = `${mib(p.payloadBytes)} payload, ${mib(p.packageBytes)} package`
  const exportRatio = p.opensslSeconds / p.export.seconds
  const openRatio = p.opensslSeconds / p.open.seconds
  rows.push(
    {
      measure: `export (${payload})`,
      ours: `${fmt(p.export.seconds)} s`,
      anchor: `OpenSSL sm4-ctr + hmac-sm3: ${fmt(p.opensslSeconds)} s`,
      ratio: fmt(exportRatio, 2),
    },
    {
      measure: 'open on the city side',
      ours: `${fmt(p.open.seconds)} s`,
      anchor: `OpenSSL: ${fmt(p.opensslSeconds)} s`,
      ratio: fmt(openRatio, 2),
    },
    {
      measure: 'peak RSS export / open',
      ours: `${p.export.maxRssMiB} / ${p.open.maxRssMiB} MiB`,
      anchor: `limit 200 MiB (idle command line ${p.idleRssMiB})`,
      ratio: fmt(200 / Math.max(p.export.maxRssMiB, p.open.maxRssMiB), 2),
    },
  )
  if (p.sevenZip)
    rows.push(
      {
        measure: 'export vs 7-Zip default (LZMA2 + AES, password)',
        ours: `${fmt(p.export.seconds)} s`,
        anchor: `${fmt(p.sevenZip.defaultSeconds)} s`,
        ratio: fmt(p.sevenZip.defaultSeconds / p.export.seconds, 2),
      },
      {
        measure: 'export vs 7-Zip store-only (AES, password)',
        ours: `${fmt(p.export.seconds)} s`,
        anchor: `${fmt(p.sevenZip.storeSeconds)} s`,
        ratio: fmt(p.sevenZip.storeSeconds / p.export.seconds, 2),
      },
    )
  console.log(`records-only package: ${SIZES.recordsOnly} records`)
  const r = await packageFigures({ records: SIZES.recordsOnly, attachmentsMb: 0, log })
  rows.push(
    {
      measure: `records-only export, ${SIZES.recordsOnly} records (${mib(r.payloadBytes)} payload)`,
      ours: `${fmt(r.export.seconds)} s, peak RSS ${r.export.maxRssMiB} MiB`,
      anchor: `OpenSSL: ${fmt(r.opensslSeconds)} s`,
      ratio: fmt(r.opensslSeconds / r.export.seconds, 2),
    },
    {
      measure: 'records-only open',
      ours: `${fmt(r.open.seconds)} s, peak RSS ${r.open.maxRssMiB} MiB`,
      anchor: `OpenSSL: ${fmt(r.opensslSeconds)} s`,
      ratio: fmt(r.opensslSeconds / r.open.seconds, 2),
    },
  )
  rows.push({
    measure: `records-only package, ${SIZES.recordsOnly} records`,
    ours: mib(r.packageBytes),
    anchor: `format 1 (nothing compressed): ${mib(r.format1Bytes)}`,
    ratio: fmt(r.format1Bytes / r.packageBytes, 2),
  })
  return { exportRatio, openRatio }
}

async function importAndLists(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'credit-desk-bench-'))
  const { db } = await openDatabase(dir)
  const today = '2026-11-22'
  const keys = await loadFieldKeys(db, dir, noProtector)
  const ctx = {
    today,
    reportedOn: today,
    dicts: await loadDictLookup(db),
    calendar: packagedCalendar(),
    keys,
    disclosureRules: await loadDisclosureRules(db),
  }
  console.log(`import: ${SIZES.importRows} rows`)
  const file = join(dir, 'import.xlsx')
  await writeWorkbook(file, SIZES.importRows)
  let t = performance.now()
  for await (const ws of new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', styles: 'cache' }))
    for await (const _ of ws);
  const readS = (performance.now() - t) / 1000
  t = performance.now()
  const item = await currentItem(db, 'SGS_CF')
  const r = await importRecords(db, item, file, ctx, {
    mode: 'all',
    fileName: 'import.xlsx',
    supplierUnitId: null,
    createdBy: null,
    via: 'cli',
    now: Date.now(),
  })
  const importS = (performance.now() - t) / 1000
  log(`imported ${r.imported} rows in ${fmt(importS, 2)} s; exceljs read alone ${fmt(readS, 2)} s`)
  rows.push({
    measure: `import ${SIZES.importRows} rows (check + insert, one transaction)`,
    ours: `${fmt(importS)} s`,
    anchor: `exceljs read only: ${fmt(readS)} s`,
    ratio: fmt(readS / importS, 2),
  })

  const base: RecordQuery = BASE_QUERY
  const cases: Array<[string, RecordQuery]> = [
    ['whole item, page 1', base],
    ['late in 2025, page 11', { ...base, late: true, dateFrom: '2025-01-01', dateTo: '2025-12-31', page: 11 }],
    ['disclosure ending within 30 days', { ...base, disclosure: 'expiring', sort: 'disclosureEndsOn', order: 'asc' }],
  ]
  for (const size of SIZES.lists) {
    const have = Number((await db('records').count({ n: '*' }))[0]!.n)
    t = performance.now()
    await seedDemo(db, systemClock, ctx, { records: Math.max(0, size - have), seed: size, today, regionCode: '350102' })
    await db.raw('ANALYZE')
    console.log(`lists at ${size} records (filled in ${fmt((performance.now() - t) / 1000)} s)`)
    const timed = async (f: () => Promise<unknown>, n = 60) => {
      const xs: number[] = []
      for (let i = 0; i < n + 10; i++) {
        const s = performance.now()
        await f()
        if (i >= 10) xs.push(performance.now() - s)
      }
      return percentile(xs, 95)
    }
    const sqls: string[] = []
    const ours: number[] = []
    for (const [name, q] of cases) {
      ours.push(await timed(() => listRecords(db, q, today, keys)))
      sqls.push(recordPageQuery(db, q, today, keys).toString())
      log(`${name}: list call p95 ${fmt(ours[ours.length - 1]!, 2)} ms`)
    }
    const stats = await timed(() => recordStats(db, 'SGS_CF', today), 30)
    log(`statistics strip p95 ${fmt(stats, 2)} ms`)
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
    for (const [i, sql] of sqls.entries()) {
      const shell = execFileSync('sqlite3', [join(dir, DB_FILE)], {
        input: `.timer on\n${Array(40)
          .fill(sql.replace(/\s+/g, ' ') + ';')
          .join('\n')}\n`,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      })
      const shellMs = Math.max(1, percentile([...shell.matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]) * 1000).slice(10), 95))
      rows.push({
        measure: `list (count + page), ${cases[i]![0]}, ${size} records`,
        ours: `p95 ${fmt(ours[i]!, 1)} ms`,
        anchor: `sqlite3 shell, page SQL: ${fmt(shellMs, 1)} ms (1 ms resolution)`,
        ratio: fmt(shellMs / ours[i]!, 2),
      })
    }
    rows.push({
      measure: `statistics strip (totals, late, in disclosure, expiring, pending, per unit), ${size} records`,
      ours: `p95 ${fmt(stats, 1)} ms`,
      anchor: 'target 50 ms',
      ratio: fmt(50 / stats, 2),
    })
  }
  await db.destroy()
  rmSync(dir, { recursive: true, force: true })
}

async function main() {
  const started = Date.now()
  const { exportRatio, openRatio } = await packages()
  await importAndLists()
  const table = [
    `# Benchmarks (${QUICK ? 'quick' : 'full'} run, ${new Date().toISOString().slice(0, 16)}Z, ${fmt((Date.now() - started) / 1000, 0)} s)`,
    '',
    "Ratio: the anchor's time over ours (above 1: we are faster), or the limit over our figure.",
    '',
    '| measure | ours | anchor (same run) | ratio |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.measure} | ${r.ours} | ${r.anchor} | ${r.ratio} |`),
    '',
    `ratio to OpenSSL: export ${fmt(exportRatio, 2)}, open ${fmt(openRatio, 2)}`,
  ].join('\n')
  mkdirSync(join(__dirname, 'results'), { recursive: true })
  writeFileSync(join(__dirname, 'results/latest.md'), table + '\n')
  console.log(`\n${table}`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
