// kill -9 during package export, many times: prints how each run ended and checks the one rule that matters —
// no file under a package name verifies unless the database logged it. `npx tsx bench/export-kill.ts [--runs 40]`
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { main } from '../electron/cli/index'
import { openPackage } from '../electron/core/exchange/envelope'
import { packageLog } from '../electron/core/exchange/packages'
import { suiteOf } from '../electron/core/exchange/suites'
import { unlockDataDir } from '../electron/core/shared/data-dir-lock'
import { openDatabase } from '../electron/core/shared/open-database'

const ROOT = join(__dirname, '..')
const SM = suiteOf('SM2-SM3-SM4')!
const quiet = { log: () => {}, error: () => {} }

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '40' }, records: { type: 'string', default: '3000' } } })
  const dataDir = mkdtempSync(join(tmpdir(), 'export-kill-'))
  const keysDir = mkdtempSync(join(tmpdir(), 'export-kill-keys-'))
  const out = mkdtempSync(join(tmpdir(), 'export-kill-out-'))
  await main(['demo', 'seed', '--records', values.records!, '--people', '20', '--data-dir', dataDir], quiet)
  await main(['keys', 'generate', '--out', keysDir, '--name', 'city'], quiet)
  await main(['keys', 'import-peer', join(keysDir, 'city.pub.pem'), '--name', '市信用办', '--data-dir', dataDir], quiet)
  await main(['keys', 'export-public', '--out', join(keysDir, 'county.pub.pem'), '--data-dir', dataDir], quiet)
  unlockDataDir(dataDir)
  const city = readFileSync(join(keysDir, 'city.key.pem'), 'utf8')
  const countyPub = readFileSync(join(keysDir, 'county.pub.pem'), 'utf8')
  const keys = {
    ownKeys: new Map([[SM.fingerprint(SM.publicFromPrivate(city)), city]]),
    senders: new Map([[SM.fingerprint(countyPub), { publicPem: countyPub, retired: false }]]),
  }

  // One uninterrupted export first: how long a run takes, so kills land all along it.
  const timed = Date.now()
  await exportOnce(dataDir, join(out, 'full.cdpkg'), null)
  const span = Date.now() - timed
  const outcomes = { verifiedAndLogged: 0, verifiedNotLogged: 0, noFile: 0, finishedBeforeKill: 0 }
  for (let i = 0; i < Number(values.runs); i++) {
    const target = join(out, `k${i}.cdpkg`)
    const delay = Math.floor(Math.random() * span * 1.6)
    const killed = await exportOnce(dataDir, target, delay)
    if (!killed) outcomes.finishedBeforeKill++
    const digest = existsSync(target)
      ? await openPackage(target, keys).then(
          (o) => o.digest,
          () => null,
        )
      : null
    const { db } = await openDatabase(dataDir)
    const logged = (await packageLog(db, 10_000)).filter((p) => p.state === 'done').map((p) => p.digest)
    await db.destroy()
    unlockDataDir(dataDir)
    if (!digest) outcomes.noFile++
    else if (logged.includes(digest)) outcomes.verifiedAndLogged++
    else outcomes.verifiedNotLogged++
  }
  const { db } = await openDatabase(dataDir)
  const log = await packageLog(db, 10_000)
  await db.destroy()
  const partials = readdirSync(out).filter((f) => f.endsWith('.partial')).length
  console.log(
    JSON.stringify({
      runs: Number(values.runs),
      exportMs: span,
      ...outcomes,
      abandonedReservations: log.filter((p) => p.state === 'abandoned').length,
      partialFilesLeft: partials,
      distinctSequences: new Set(log.map((p) => p.sequence)).size === log.length,
    }),
  )
  if (outcomes.verifiedNotLogged) process.exitCode = 1
}

/** Runs `package export` in a child process, killed with SIGKILL after `delay` ms; true when the kill landed. */
function exportOnce(dataDir: string, target: string, delay: number | null): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'electron/cli/index.ts'),
        'package',
        'export',
        '--data-dir',
        dataDir,
        '--to',
        target,
        '--full',
        '--confirm-personal',
      ],
      { stdio: 'ignore' },
    )
    let killed = false
    const timer = delay == null ? null : setTimeout(() => ((killed = child.kill('SIGKILL')), undefined), delay)
    child.once('exit', (_code, signal) => {
      if (timer) clearTimeout(timer)
      resolve(killed && signal === 'SIGKILL')
    })
  })
}

void run()
