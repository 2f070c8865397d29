// Benchmark for issue 14 (figures for the notes, not a test):
//   npm run bench:backup -- [--records 200000] [--attachments-mb 500]
//   CREDIT_DESK_PURE_JS_GM=1 npm run bench:backup          (the pure-JS SM path Electron runs)
// Seeds a data folder (records + sealed scans on archive entries), sets a passphrase, then runs the shipped command
// line, each step its own process so its peak RSS is its own: `backup create` (snapshot, tar, SM4-CTR + HMAC-SM3,
// fsync, read back and check), `backup verify`, `backup restore` into an empty folder (verify, decrypt, extract,
// check, swap), and compares `db stats` of the two folders.
import { spawnSync } from 'node:child_process'
import { launched } from './launcher'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { storeAttachment } from '../electron/core/attachments/attachment-store'
import { loadStoreContext } from '../electron/core/catalog/record-context'
import { seedDemo } from '../electron/core/demo/demo-seed'
import { randomBytes } from '../electron/core/exchange/gm'
import { loadFieldKeys, noProtector } from '../electron/core/security/key-store'
import { systemClock } from '../electron/core/shared/clock'
import { openDatabase } from '../electron/core/shared/open-database'
import { unlockDataDir } from '../electron/core/shared/data-dir-lock'

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '200000' },
    'attachments-mb': { type: 'string', default: '500' },
    keep: { type: 'boolean', default: false },
  },
})
const ROOT = join(__dirname, '..')

function cli(args: string[]): { seconds: number; maxRssMiB: number; stdout: string } {
  const t = Date.now()
  const launcher = launched(['--require', join(ROOT, 'bench/report-rss.cjs')])
  const r = spawnSync(process.execPath, [...launcher.args, ...args], {
    encoding: 'utf8',
    env: launcher.env,
    maxBuffer: 64 << 20,
  })
  if (r.status !== 0) throw new Error(`credit-desk ${args.join(' ')} failed: ${r.stderr}`)
  return { seconds: (Date.now() - t) / 1000, maxRssMiB: Number(/max-rss-mib (\d+)/.exec(r.stderr)?.[1]), stdout: r.stdout }
}

async function main() {
  const records = Number(values.records)
  const attachMb = Number(values['attachments-mb'])
  const dir = mkdtempSync(join(tmpdir(), 'backup-bench-'))
  const { db } = await openDatabase(dir)
  const keys = await loadFieldKeys(db, dir, noProtector)
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
  let t = Date.now()
  await seedDemo(db, systemClock, await loadStoreContext(db, today, keys), { records, people: 200, seed: 1, today, regionCode: '350102' })
  console.log(`seeded ${records} records and 200 people in ${((Date.now() - t) / 1000).toFixed(1)} s`)
  t = Date.now()
  const entries = await db('archive_entries').orderBy('id').pluck('id')
  for (let i = 0; i * 20 < attachMb; i++) {
    const file = join(dir, `scan-${i}.pdf`)
    writeFileSync(file, Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(Math.min(20, attachMb - i * 20) * 1_048_576 - 9)]))
    const stored = await storeAttachment(db, keys, dir, file, Date.now())
    await db('entry_attachments').insert({ entry_id: entries[i % entries.length]!, digest: stored.digest, file_name: `scan-${i}.pdf` })
    rmSync(file)
  }
  console.log(`stored ${attachMb} MB of sealed scans in ${((Date.now() - t) / 1000).toFixed(1)} s`)
  await db.destroy()
  unlockDataDir(dir)
  const pass = join(dir, '..', `${dir.split('/').pop()}-pass.txt`)
  writeFileSync(pass, 'Backup#2026-county')
  cli(['backup', 'set-passphrase', '--passphrase-file', pass, '--data-dir', dir])

  const mode = process.env.CREDIT_DESK_PURE_JS_GM === '1' ? 'pure JS' : 'node:crypto'
  const file = join(dir, '..', `${dir.split('/').pop()}.cdbak`)
  const created = cli(['backup', 'create', '--to', file, '--data-dir', dir])
  const size = statSync(file).size
  const mb = size / 1e6
  console.log(
    `backup create (${mode}): ${(size / 1_048_576).toFixed(0)} MiB, ${created.seconds.toFixed(1)} s incl. snapshot and read-back check, ${(mb / created.seconds).toFixed(1)} MB/s, peak RSS ${created.maxRssMiB} MiB`,
  )
  const verified = cli(['backup', 'verify', file, '--passphrase-file', pass])
  console.log(
    `backup verify: ${verified.seconds.toFixed(1)} s, ${(mb / verified.seconds).toFixed(1)} MB/s, peak RSS ${verified.maxRssMiB} MiB`,
  )
  const target = mkdtempSync(join(tmpdir(), 'backup-bench-restored-'))
  rmSync(target, { recursive: true })
  const restored = cli(['backup', 'restore', file, '--passphrase-file', pass, '--data-dir', target])
  console.log(
    `backup restore (new folder): ${restored.seconds.toFixed(1)} s incl. verify, decrypt, checks and swap, ${(mb / restored.seconds).toFixed(1)} MB/s, peak RSS ${restored.maxRssMiB} MiB`,
  )
  const a = JSON.parse(cli(['db', 'stats', '--json', '--data-dir', dir]).stdout)
  const b = JSON.parse(cli(['db', 'stats', '--json', '--data-dir', target]).stdout)
  const same = Object.keys(a).every((k) => k === 'audit_log' || a[k] === b[k])
  console.log(
    `db stats equal (audit log aside: +${b.audit_log - a.audit_log} restore row): ${same}; records ${b.records}, attachments ${b.attachments}`,
  )
  if (!values.keep) for (const p of [dir, target, file, pass]) rmSync(p, { recursive: true, force: true })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
