// Benchmark for issue 6 (figures for the notes, not a test):
//   npm run bench:packages -- [--records 200000] [--attachments-mb 500]
//   CREDIT_DESK_PURE_JS_GM=1 npm run bench:packages        (the pure-JS path Electron runs: its BoringSSL has no SM)
// A data folder is seeded (records + city-task progress with sealed 20 MB scans); then the shipped command line
// (out/main/cli.js, as built: its crypto worker threads included) runs, each step its own process so its peak RSS
// is its own: `package export --full` (read rows, open sealed scans, tar, SM4-CTR + HMAC-SM3, write, fsync, read
// back and check) and, on the city side, `package open` (verify pass, decrypt pass, untar to files). Throughput is
// package MB/s, set against the OpenSSL CLI doing SM4-CTR then HMAC-SM3 over a file of the same size.
import { execFileSync, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { storeAttachment } from '../electron/core/attachments/attachment-store'
import { loadStoreContext } from '../electron/core/catalog/record-context'
import { seedDemo } from '../electron/core/demo/demo-seed'
import { randomBytes } from '../electron/core/exchange/gm'
import { currentOwnKey, importPeer } from '../electron/core/exchange/keyring'
import { suiteOf } from '../electron/core/exchange/suites'
import { loadFieldKeys, noProtector } from '../electron/core/security/key-store'
import { systemClock } from '../electron/core/shared/clock'
import { openDatabase } from '../electron/core/shared/open-database'
import { unlockDataDir } from '../electron/core/shared/data-dir-lock'
import { completeSetup } from '../electron/core/system/setup'

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '200000' },
    'attachments-mb': { type: 'string', default: '500' },
    keep: { type: 'boolean', default: false },
  },
})
const SM = suiteOf('SM2-SM3-SM4')!

const ROOT = join(__dirname, '..')

/** Runs the built command line; its time (process start included) and peak RSS. */
function cli(args: string[], mayFail = false): { seconds: number; maxRssMiB: number; stdout: string } {
  const t = Date.now()
  const r = spawnSync(process.execPath, ['--require', join(ROOT, 'bench/report-rss.cjs'), join(ROOT, 'bin/credit-desk.cjs'), ...args], {
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 64 << 20,
  })
  const seconds = (Date.now() - t) / 1000
  if (r.status !== 0 && !mayFail) throw new Error(`credit-desk ${args.join(' ')} failed: ${r.stderr}`)
  return { seconds, maxRssMiB: Number(/max-rss-mib (\d+)/.exec(r.stderr)?.[1]), stdout: r.stdout }
}

async function main() {
  if (!existsSync(join(ROOT, 'out/main/cli.js'))) throw new Error('build first: npm run build')
  const records = Number(values.records)
  const attachMb = Number(values['attachments-mb'])
  const dir = mkdtempSync(join(tmpdir(), 'package-bench-'))
  const { db } = await openDatabase(dir)
  const keys = await loadFieldKeys(db, dir, noProtector)
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
  const user = await completeSetup(db, systemClock, {
    orgName: '基准测试县信用办',
    regionCode: '350102',
    orgCreditCode: '91350100M000100Y43',
    adminUsername: 'admin',
    adminDisplayName: '管理员',
    adminPassword: 'Bench#2026x',
  })
  let t = Date.now()
  if (records)
    await seedDemo(db, systemClock, await loadStoreContext(db, today, keys), { records, people: 0, seed: 1, today, regionCode: '350102' })
  console.log(`seeded ${records} records in ${((Date.now() - t) / 1000).toFixed(1)} s`)
  const [planId] = await db('plans').insert({ uid: randomUUID(), title: 'bench', year: 2026, external_id: 'P', created_at: 0 })
  const [taskId] = await db('tasks').insert({
    uid: randomUUID(),
    plan_id: planId,
    path: '一',
    number: '一',
    title: 'bench',
    section: '',
    source_text: '',
    status: 'assigned',
    external_id: 'P#一',
    sort_order: 0,
    created_at: 0,
  })
  t = Date.now()
  for (let i = 0; i * 20 < attachMb; i++) {
    const file = join(dir, `scan-${i}.pdf`)
    writeFileSync(file, Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(Math.min(20, attachMb - i * 20) * 1_048_576 - 9)]))
    const stored = await storeAttachment(db, keys, dir, file, Date.now())
    const [eventId] = await db('task_events').insert({
      task_id: taskId,
      kind: 'progress',
      text: `scan ${i}`,
      status: 'done',
      actor_id: user,
      at: Date.now(),
    })
    await db('task_event_attachments').insert({ event_id: eventId, digest: stored.digest, file_name: `scan-${i}.pdf` })
    rmSync(file)
  }
  console.log(`stored ${attachMb} MB of sealed scans in ${((Date.now() - t) / 1000).toFixed(1)} s`)
  const city = SM.generate()
  writeFileSync(join(dir, 'city.key.pem'), city.privatePem)
  await importPeer(db, systemClock, { name: 'city', pemText: city.publicPem }, null)
  await currentOwnKey(db, keys, systemClock)
  await db.destroy()
  unlockDataDir(dir) // the command lines below take the folder

  const mode = process.env.CREDIT_DESK_PURE_JS_GM === '1' ? 'pure JS' : 'node:crypto'
  const pkg = join(dir, 'bench.cdpkg')
  const idle = cli(['--help'], true) // (usage, exit 2: the modules loaded, nothing done)
  const ex = cli(['package', 'export', '--data-dir', dir, '--to', pkg, '--full', '--include', 'archives', '--confirm-personal'])
  const size = statSync(pkg).size
  console.log(
    `export (${mode}): ${(size / 1_048_576).toFixed(0)} MiB package, ${ex.seconds.toFixed(1)} s incl. read-back check, ${(size / 1e6 / ex.seconds).toFixed(1)} MB/s, peak RSS ${ex.maxRssMiB} MiB (the command line doing nothing: ${idle.maxRssMiB} MiB)`,
  )
  console.log(ex.stdout.trim())
  cli(['keys', 'export-public', '--data-dir', dir, '--out', join(dir, 'county.pub.pem')])
  const op = cli([
    'package',
    'open',
    pkg,
    '--key',
    join(dir, 'city.key.pem'),
    '--sender',
    join(dir, 'county.pub.pem'),
    '--out',
    join(dir, 'opened'),
  ])
  console.log(
    `open on the city side (verify + decrypt + untar to files): ${op.seconds.toFixed(1)} s, ${(size / 1e6 / op.seconds).toFixed(1)} MB/s, peak RSS ${op.maxRssMiB} MiB`,
  )
  rmSync(join(dir, 'opened'), { recursive: true, force: true })
  const plain = join(dir, 'plain.bin')
  execFileSync('bash', ['-c', `head -c ${size} /dev/urandom > ${plain}`])
  t = Date.now()
  execFileSync('bash', [
    '-c',
    `openssl enc -sm4-ctr -K 0123456789abcdeffedcba9876543210 -iv 00000000000000000000000000000000 -in ${plain} -out ${plain}.ct && openssl dgst -sm3 -mac HMAC -macopt hexkey:${'ab'.repeat(32)} ${plain}.ct > /dev/null`,
  ])
  const ossl = (Date.now() - t) / 1000
  console.log(
    `OpenSSL CLI sm4-ctr then hmac-sm3 over ${(size / 1_048_576).toFixed(0)} MiB: ${ossl.toFixed(1)} s, ${(size / 1e6 / ossl).toFixed(1)} MB/s`,
  )
  console.log(`ratio to OpenSSL (its time / ours): export ${(ossl / ex.seconds).toFixed(2)}, open ${(ossl / op.seconds).toFixed(2)}`)
  if (values.keep) console.log(`data folder kept: ${dir}`)
  else rmSync(dir, { recursive: true, force: true })
}

void main()
