// Benchmark for issue 16 (figures for the notes, not a test):
//   npm run bench:credit -- [--records 1000000] [--lists 50000] [--subjects 10000]
// Builds an office with M records (half of them 失信 in their disclosure period, 400,000 companies, some natural
// persons) and L list entries, writes a workbook of N subjects (codes and ID numbers, a few names only, some on the
// lists), then times `credit-desk check subjects --file` end to end in its own process — the workbook read in the
// parse worker, the lookups, the 核查登记 written — with its peak RSS. Target: N = 10,000 in < 10 s, < 300 MB.
import { spawnSync } from 'node:child_process'
import { launched } from './launcher'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import ExcelJS from 'exceljs'
import { completeUscc } from '../electron/core/codes/uscc'
import { idCardCheckChar } from '../electron/core/codes/idcard'
import { blindIndex } from '../electron/core/security/field-crypto'
import { loadFieldKeys, noProtector } from '../electron/core/security/key-store'
import { openDatabase } from '../electron/core/shared/open-database'
import { unlockDataDir } from '../electron/core/shared/data-dir-lock'
import { manualClock } from '../electron/core/shared/clock'
import { completeSetup } from '../electron/core/system/setup'

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    lists: { type: 'string', default: '50000' },
    subjects: { type: 'string', default: '10000' },
  },
})
const RECORDS = Number(values.records)
const LISTS = Number(values.lists)
const SUBJECTS = Number(values.subjects)
const COMPANIES = Math.min(400_000, Math.max(1, Math.floor(RECORDS * 0.4)))
const PEOPLE = Math.max(1, Math.floor(COMPANIES / 10))
const ROOT = join(__dirname, '..')
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'

function uscc(n: number): string {
  let body = '91350100'
  for (let i = 0, x = n; i < 8; i++, x = Math.floor(x / 31)) body += CHARS[x % 31]
  return completeUscc(body)
}
function idNumber(n: number): string {
  const body = `350102${1960 + (n % 40)}0101${String(n % 1000).padStart(3, '0')}`.slice(0, 17)
  return body + idCardCheckChar(body)
}

function cli(args: string[]): { seconds: number; maxRssMiB: number; stdout: string; stderr: string } {
  const t = Date.now()
  const launcher = launched(['--require', join(ROOT, 'bench/report-rss.cjs')])
  const r = spawnSync(process.execPath, [...launcher.args, ...args], {
    env: launcher.env,
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  })
  if (r.status !== 0) throw new Error(`credit-desk ${args.join(' ')} failed: ${r.stderr}`)
  return {
    seconds: (Date.now() - t) / 1000,
    maxRssMiB: Number(/max-rss-mib (\d+)/.exec(r.stderr)?.[1]),
    stdout: r.stdout,
    stderr: r.stderr,
  }
}

async function main() {
  if (!existsSync(join(ROOT, 'out/main/cli.js'))) throw new Error('build first: npm run build')
  const dir = mkdtempSync(join(tmpdir(), 'credit-bench-'))
  const { db } = await openDatabase(dir)
  await completeSetup(db, manualClock(Date.now()), {
    orgName: '基准测试县信用办',
    regionCode: '350102',
    orgCreditCode: '91350100M000100Y43',
    adminUsername: 'admin',
    adminDisplayName: '管理员',
    adminPassword: 'Bench#2026xx',
  })
  const keys = await loadFieldKeys(db, dir, noProtector)
  const t = Date.now()
  // Subjects: companies by USCC, people by the blind index of their ID number (computed once each).
  await db.schema.createTable('bench_subjects', (tb) => {
    tb.integer('i').primary()
    tb.string('code')
    tb.string('id_index')
  })
  for (let i = 0; i < COMPANIES + PEOPLE; i += 5000) {
    const rows: Array<{ i: number; code: string | null; id_index: string | null }> = []
    for (let j = i; j < Math.min(i + 5000, COMPANIES + PEOPLE); j++)
      rows.push(
        j < COMPANIES
          ? { i: j, code: uscc(j), id_index: null }
          : { i: j, code: null, id_index: blindIndex(keys, idNumber(j), 'person.id') },
      )
    await db.batchInsert('bench_subjects', rows, 400)
  }
  const items = Object.fromEntries(
    (await db('catalog_items').whereIn('code', ['SGS_CF', 'SGS_XK']).where('status', 'approved').select('code', 'id')).map((r) => [
      r.code,
      Number(r.id),
    ]),
  )
  const all = COMPANIES + PEOPLE
  // Half the records are penalties in their period (一般 or, one in ten, 严重); half are licences.
  await db.raw(
    `INSERT INTO records (uid, item_code, item_id, subject_name, subject_type, subject_code, subject_id_index, subject_key, doc_number,
       decision_date, reported_on, is_late, data, created_at, dishonesty_level, repairable_from, disclosure_ends_on)
     WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k + 1 < ?)
     SELECT 'bench-' || k, CASE WHEN k % 2 = 0 THEN 'SGS_CF' ELSE 'SGS_XK' END, CASE WHEN k % 2 = 0 THEN ? ELSE ? END,
       '主体' || s.i, CASE WHEN s.code IS NULL THEN 'natural_person' ELSE 'legal' END, s.code, s.id_index,
       coalesce(s.code, 'id:' || s.id_index), '文' || k, '2026-06-01', '2026-06-05', 0, '{}', 0,
       CASE WHEN k % 2 = 0 THEN CASE WHEN k % 20 = 0 THEN 'serious' ELSE 'general' END END,
       CASE WHEN k % 2 = 0 THEN '2026-09-01' END, CASE WHEN k % 2 = 0 THEN '2029-06-01' END
     FROM n JOIN bench_subjects s ON s.i = (k * 7919) % ?`,
    [RECORDS, Number(items.SGS_CF), Number(items.SGS_XK), all],
  )
  await db.raw(
    `INSERT INTO credit_list_entries (subject_name, subject_type, subject_code, subject_key, list_kind, decided_by, basis, listed_on,
       valid_until, source, created_at, updated_at)
     WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k + 1 < ?)
     SELECT '主体' || s.i, 'legal', s.code, s.code, CASE k % 3 WHEN 0 THEN 'black' WHEN 1 THEN 'red' ELSE 'watch' END, '市发改委',
       '依据' || k, '2026-01-01', CASE WHEN k % 5 = 0 THEN '2026-06-30' END, 'city', 0, 0
     FROM n JOIN bench_subjects s ON s.i = (k * 104729) % ?`,
    [LISTS, COMPANIES],
  )
  await db.schema.dropTable('bench_subjects')
  await db.raw('ANALYZE')
  const built = (Date.now() - t) / 1000
  await db.destroy()
  unlockDataDir(dir)

  // The workbook: mostly codes, one in ten an ID number, one in fifty a name only.
  const file = join(dir, 'subjects.xlsx')
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file })
  const ws = wb.addWorksheet('主体')
  ws.addRow(['主体名称', '统一社会信用代码或证件号码']).commit()
  for (let k = 0; k < SUBJECTS; k++) {
    const i = (k * 7919 + 13) % all
    if (k % 50 === 0) ws.addRow([`主体${i}`, null]).commit()
    else if (i >= COMPANIES) ws.addRow([`主体${i}`, idNumber(i)]).commit()
    else ws.addRow([`主体${i}`, uscc(i)]).commit()
  }
  await ws.commit()
  await wb.commit()

  const run = cli(['check', 'subjects', '--file', file, '--purpose', '基准测试', '--json', '--data-dir', dir])
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { verdict: string })
  const verdicts = lines.reduce<Record<string, number>>((m, l) => ((m[l.verdict] = (m[l.verdict] ?? 0) + 1), m), {})
  console.log('\n| figure | value |\n|---|---|')
  console.log(
    `| office built (records, lists) | ${RECORDS.toLocaleString()} records, ${LISTS.toLocaleString()} list entries in ${built.toFixed(1)} s |`,
  )
  console.log(
    `| subjects checked | ${lines.length.toLocaleString()} (${Object.entries(verdicts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}) |`,
  )
  console.log(`| check subjects --file, whole process | ${run.seconds.toFixed(2)} s (target < 10 s) |`)
  console.log(`| peak RSS of that process | ${run.maxRssMiB} MiB (target < 300 MB) |`)
  console.log(`| ${run.stderr.split('\n').find((l) => l.includes('核查')) ?? ''} | |`)
  rmSync(dir, { recursive: true, force: true })
}

main().catch((err) => {
  console.error(String(err instanceof Error ? err.message : err).slice(0, 2000))
  process.exit(1)
})
