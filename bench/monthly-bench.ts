// Benchmark for issue 17 (figures for the notes, not a test): the 归集月报 over a large table.
//   npm run bench:monthly -- [--records 1000000] [--data-dir DIR]   (DIR: a folder this bench filled before, reused as is)
// Fills a data folder with demo records (realistic units, dates, lateness), adds corrections and city rejections,
// then times `stats monthly` for the busiest month: the core call (p50/p95 of 10) and the whole command-line
// process as a user runs it (node start, migrations check, query, JSON out).
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { packagedCalendar } from '../electron/core/calendar/working-calendar'
import { loadDisclosureRules } from '../electron/core/catalog/disclosure'
import { monthlyReport } from '../electron/core/catalog/monthly-report'
import { seedDemo } from '../electron/core/demo/demo-seed'
import { loadFieldKeys, noProtector } from '../electron/core/security/key-store'
import { systemClock } from '../electron/core/shared/clock'
import { openDatabase } from '../electron/core/shared/open-database'
import { unlockDataDir } from '../electron/core/shared/data-dir-lock'
import { loadCheckDicts } from '../electron/core/system/dictionaries'
import { completeSetup } from '../electron/core/system/setup'

const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' }, 'data-dir': { type: 'string' } } })
const RECORDS = Number(values.records)

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

async function main() {
  const reuse = values['data-dir']
  const dir = reuse ?? mkdtempSync(join(tmpdir(), 'credit-desk-monthly-'))
  const { db } = await openDatabase(dir)
  const today = '2026-11-22'
  const ctx = {
    today,
    reportedOn: today,
    ...(await loadCheckDicts(db)),
    calendar: packagedCalendar(),
    keys: await loadFieldKeys(db, dir, noProtector),
    disclosureRules: await loadDisclosureRules(db),
  }
  let t = performance.now()
  const [busiest] = await (async () => {
    if (!reuse) {
      await seedDemo(db, systemClock, ctx, { records: RECORDS, seed: 7, today, regionCode: '350102' })
      console.log(`seeded ${RECORDS} records in ${((performance.now() - t) / 1000).toFixed(1)} s`)

      const [busiest] = (await db.raw(
        'SELECT substr(reported_on, 1, 7) AS month, count(*) AS n FROM records GROUP BY month ORDER BY n DESC LIMIT 1',
      )) as Array<{ month: string; n: number }>
      if (!busiest) throw new Error('no records')
      // 2% of that month's records corrected, 1% rejected by the city: the subqueries have rows to look at.
      const ids = await db('records').where('reported_on', 'like', `${busiest.month}%`).pluck('id')
      const user = await completeSetup(db, systemClock, {
        orgName: '基准测试县信用办',
        regionCode: '350102',
        orgCreditCode: '91350100M000100Y43',
        adminUsername: 'admin',
        adminDisplayName: '管理员',
        adminPassword: 'Bench#2026x',
      })
      const monthStart = Date.parse(`${busiest.month}-15T10:00:00+08:00`)
      const [receipt] = await db('exchange_packages').insert({
        direction: 'in',
        kind: 'receipt',
        sequence: 1,
        peer_name: 'city',
        peer_fingerprint: 'city',
        digest: 'x',
        file_name: 'r',
        size: 1,
        full: false,
        counts: '{}',
        created_at: monthStart,
        state: 'done',
      })
      await db.transaction(async (trx) => {
        for (let i = 0; i < ids.length; i += 50) {
          await trx('record_changes').insert({
            record_id: ids[i],
            kind: 'correction',
            status: 'approved',
            reason: 'bench',
            filed_by: user,
            filed_at: monthStart,
            decided_by: user,
            decided_at: monthStart,
            version: 2,
          })
          if (i % 100 === 0)
            await trx('record_rejections').insert({ record_id: ids[i], receipt_id: receipt, code: 'E1', reason: 'bench', at: monthStart })
        }
      })
    }
    return (await db.raw(
      'SELECT substr(reported_on, 1, 7) AS month, count(*) AS n FROM records GROUP BY month ORDER BY n DESC LIMIT 1',
    )) as Array<{ month: string; n: number }>
  })()
  if (!busiest) throw new Error('no records')
  await db.raw('ANALYZE')
  const changes = Number((await db('record_changes').count({ n: '*' }))[0]!.n)
  const rejections = Number((await db('record_rejections').count({ n: '*' }))[0]!.n)
  console.log(`busiest month ${busiest.month}: ${busiest.n} records; ${changes} corrections, ${rejections} rejections`)

  const times: number[] = []
  let units = 0
  for (let i = 0; i < 10; i++) {
    t = performance.now()
    const r = await monthlyReport(db, busiest.month)
    times.push(performance.now() - t)
    units = r.units.length
  }
  console.log(
    `monthlyReport (core, ${units} units): p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms`,
  )
  const quiet = await monthlyReport(db, '2026-12')
  t = performance.now()
  await monthlyReport(db, '2026-12')
  console.log(`an empty month (${quiet.total.records} records): ${(performance.now() - t).toFixed(0)} ms`)
  await db.destroy()
  unlockDataDir(dir)

  const cli = join(__dirname, '../bin/credit-desk.cjs')
  const runs: number[] = []
  for (let i = 0; i < 3; i++) {
    t = performance.now()
    execFileSync('node', [cli, 'stats', 'monthly', '--month', busiest.month, '--data-dir', dir, '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    runs.push(performance.now() - t)
  }
  console.log(
    `stats monthly --json (whole CLI process, ${RECORDS} records): best ${Math.min(...runs).toFixed(0)} ms, worst ${Math.max(...runs).toFixed(0)} ms`,
  )
}

void main()
