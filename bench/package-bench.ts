// Package benchmark (figures for the notes, not a test); `npm run bench` puts these figures in its table:
//   npm run bench:packages -- [--records 200000] [--attachments-mb 500] [--keep]
//   CREDIT_DESK_PURE_JS_GM=1 npm run bench:packages        (the pure-JS path Electron runs: its BoringSSL has no SM)
// A data folder is seeded (records + city-task progress with sealed 20 MB scans); then the shipped command line
// (out/main/cli.js, as built: its crypto worker threads included) runs, each step its own process so its peak RSS
// is its own: `package export --full` (read rows, open sealed scans, tar, SM4-CTR + HMAC-SM3, write, fsync, read
// back and check) and, on the city side, `package open` (verify pass, decrypt pass, untar to files). Each is set
// against the OpenSSL CLI doing SM4-CTR then HMAC-SM3 over the payload it moves (the opened files as one file: what
// a tool encrypting every byte once would do), and, where `7z` is installed, 7-Zip with a password over the same
// files (default LZMA2 + AES, and store-only).
import { execFileSync, spawnSync } from 'node:child_process'
import { launched } from './launcher'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
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

const SM = suiteOf('SM2-SM3-SM4')!

const ROOT = join(__dirname, '..')

/** Runs the built command line; its time (process start included) and peak RSS. */
function cli(args: string[], mayFail = false): { seconds: number; maxRssMiB: number; stdout: string } {
  const t = Date.now()
  const launcher = launched(['--require', join(ROOT, 'bench/report-rss.cjs')])
  const r = spawnSync(process.execPath, [...launcher.args, ...args], {
    encoding: 'utf8',
    env: launcher.env,
    maxBuffer: 64 << 20,
  })
  const seconds = (Date.now() - t) / 1000
  if (r.status !== 0 && !mayFail) throw new Error(`credit-desk ${args.join(' ')} failed: ${r.stderr}`)
  return { seconds, maxRssMiB: Number(/max-rss-mib (\d+)/.exec(r.stderr)?.[1]), stdout: r.stdout }
}

export interface PackageFigures {
  records: number
  attachmentsMb: number
  packageBytes: number
  /** The payload the package moves (its opened files, decoded). */
  payloadBytes: number
  /** What format 1 (every byte sealed, nothing compressed) would have made of the same payload. */
  format1Bytes: number
  export: { seconds: number; maxRssMiB: number }
  open: { seconds: number; maxRssMiB: number }
  idleRssMiB: number
  opensslSeconds: number
  sevenZip: { defaultSeconds: number; storeSeconds: number } | null
}

const roundUp = (n: number, to: number) => Math.ceil(n / to) * to

/** Bytes under a folder, and the size of a plain ustar archive of its files (what format 1 carried). */
function payloadOf(dir: string): { bytes: number; tarBytes: number } {
  let bytes = 0
  let tarBytes = 1024
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || e.name === 'header.json') continue
    const size = statSync(join(e.parentPath, e.name)).size
    bytes += size
    tarBytes += 512 + roundUp(size, 512)
  }
  return { bytes, tarBytes }
}

export async function packageFigures(o: {
  records: number
  attachmentsMb: number
  keep?: boolean
  log?: (line: string) => void
}): Promise<PackageFigures> {
  const log = o.log ?? console.log
  if (!existsSync(join(ROOT, 'out/main/cli.js'))) throw new Error('build first: npm run build')
  const records = o.records
  const attachMb = o.attachmentsMb
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
  log(`seeded ${records} records in ${((Date.now() - t) / 1000).toFixed(1)} s`)
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
  log(`stored ${attachMb} MB of sealed scans in ${((Date.now() - t) / 1000).toFixed(1)} s`)
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
  log(
    `export (${mode}): ${(size / 1_048_576).toFixed(1)} MiB package, ${ex.seconds.toFixed(1)} s incl. read-back check, peak RSS ${ex.maxRssMiB} MiB (the command line doing nothing: ${idle.maxRssMiB} MiB)`,
  )
  cli(['keys', 'export-public', '--data-dir', dir, '--out', join(dir, 'county.pub.pem')])
  const opened = join(dir, 'opened')
  const op = cli(['package', 'open', pkg, '--key', join(dir, 'city.key.pem'), '--sender', join(dir, 'county.pub.pem'), '--out', opened])
  const payload = payloadOf(opened)
  log(`open on the city side (verify + decrypt + untar to files): ${op.seconds.toFixed(1)} s, peak RSS ${op.maxRssMiB} MiB`)
  // Format 1: every payload byte sealed, a 32-byte tag per MiB; lead, header (~700 bytes) and signature about 1 KiB.
  const format1Bytes = payload.tarBytes + 32 * Math.ceil(payload.tarBytes / 1_048_576) + 1024
  const plain = join(dir, 'plain.bin')
  execFileSync('bash', ['-c', `find ${opened} -type f ! -name header.json -print0 | xargs -0 cat > ${plain}`])
  t = Date.now()
  execFileSync('bash', [
    '-c',
    `openssl enc -sm4-ctr -K 0123456789abcdeffedcba9876543210 -iv 00000000000000000000000000000000 -in ${plain} -out ${plain}.ct && openssl dgst -sm3 -mac HMAC -macopt hexkey:${'ab'.repeat(32)} ${plain}.ct > /dev/null`,
  ])
  const ossl = (Date.now() - t) / 1000
  rmSync(`${plain}.ct`, { force: true })
  rmSync(plain, { force: true })
  log(`OpenSSL CLI sm4-ctr then hmac-sm3 over the ${(payload.bytes / 1_048_576).toFixed(1)} MiB payload: ${ossl.toFixed(1)} s`)
  let sevenZip: PackageFigures['sevenZip'] = null
  if (spawnSync('bash', ['-c', 'command -v 7z']).status === 0) {
    const seven = (args: string) => {
      rmSync(join(dir, 'p.7z'), { force: true })
      const s = Date.now()
      execFileSync('bash', ['-c', `cd ${opened} && 7z a ${args} -pBench#2026 ${join(dir, 'p.7z')} . > /dev/null`])
      return (Date.now() - s) / 1000
    }
    sevenZip = { defaultSeconds: seven('-mhe=on'), storeSeconds: seven('-mx=0') }
    log(
      `7-Zip with a password over the same files: default ${sevenZip.defaultSeconds.toFixed(1)} s, store-only ${sevenZip.storeSeconds.toFixed(1)} s`,
    )
  }
  log(`ratio to OpenSSL (its time / ours): export ${(ossl / ex.seconds).toFixed(2)}, open ${(ossl / op.seconds).toFixed(2)}`)
  if (o.keep) log(`data folder kept: ${dir}`)
  else rmSync(dir, { recursive: true, force: true })
  return {
    records,
    attachmentsMb: attachMb,
    packageBytes: size,
    payloadBytes: payload.bytes,
    format1Bytes,
    export: { seconds: ex.seconds, maxRssMiB: ex.maxRssMiB },
    open: { seconds: op.seconds, maxRssMiB: op.maxRssMiB },
    idleRssMiB: idle.maxRssMiB,
    opensslSeconds: ossl,
    sevenZip,
  }
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '200000' },
      'attachments-mb': { type: 'string', default: '500' },
      keep: { type: 'boolean', default: false },
    },
  })
  void packageFigures({ records: Number(values.records), attachmentsMb: Number(values['attachments-mb']), keep: values.keep })
}
