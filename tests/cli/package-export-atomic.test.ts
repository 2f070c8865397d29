// An exported package is logged before it takes its name, under a sequence number reserved in the same database
// as the log: two exports never share a number, a failed one leaves nothing and frees its number, and a process
// killed at any moment never leaves a package that verifies but was never logged.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openPackage, removeStalePartials } from '../../electron/core/exchange/envelope'
import { exportPackage, packageLog } from '../../electron/core/exchange/packages'
import { loadFieldKeys, noProtector } from '../../electron/core/security/key-store'
import { systemClock } from '../../electron/core/shared/clock'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'
import { openDatabase } from '../../electron/core/shared/open-database'
import { tempDir } from '../helpers'
import { countyWithCity } from './county-fixture'
import { readFileSync } from 'node:fs'
import { suiteOf } from '../../electron/core/exchange/suites'

const ROOT = join(__dirname, '..', '..')

const county = () => countyWithCity({ records: 200, people: 5 })

async function withDb<T>(dataDir: string, fn: (ctx: Parameters<typeof exportPackage>[0]) => Promise<T>): Promise<T> {
  const { db } = await openDatabase(dataDir)
  try {
    return await fn({ db, keys: await loadFieldKeys(db, dataDir, noProtector), dataDir, clock: systemClock })
  } finally {
    await db.destroy()
    unlockDataDir(dataDir)
  }
}

/** Whether a file is a package the city can open (structure, every chunk, the signature). */
async function verifies(path: string, keysDir: string): Promise<string | null> {
  const SM = suiteOf('SM2-SM3-SM4')!
  const city = readFileSync(join(keysDir, 'city.key.pem'), 'utf8')
  const countyPub = readFileSync(join(keysDir, 'county.pub.pem'), 'utf8')
  try {
    const opened = await openPackage(path, {
      ownKeys: new Map([[SM.fingerprint(SM.publicFromPrivate(city)), city]]),
      senders: new Map([[SM.fingerprint(countyPub), { publicPem: countyPub, retired: false }]]),
    })
    return opened.digest
  } catch {
    return null
  }
}

describe('package export is logged before it is named', () => {
  it('two exports at once take different sequence numbers, both logged, both verifying', async () => {
    const { dataDir, keysDir } = await county()
    const out = tempDir()
    const results = await withDb(dataDir, (ctx) =>
      Promise.all(
        [1, 2].map((n) => exportPackage(ctx, { path: join(out, `p${n}.cdpkg`), full: true, userId: null, confirmPersonal: true })),
      ),
    )
    expect(results.map((r) => r.sequence).sort()).toEqual([1, 2])
    for (const r of results) expect(await verifies(join(out, r.fileName), keysDir)).toBe(r.digest)
    const log = await withDb(dataDir, (ctx) => packageLog(ctx.db))
    expect(log.map((p) => [p.sequence, p.state]).sort()).toEqual([
      [1, 'done'],
      [2, 'done'],
    ])
  })

  it('a failed export leaves no file, no temporary file and no log row, and its number is taken by the next', async () => {
    const { dataDir } = await county()
    const out = tempDir()
    await withDb(dataDir, async (ctx) => {
      await expect(
        exportPackage(ctx, { path: join(out, 'full.cdpkg'), full: true, userId: null, writeLimit: 2000, confirmPersonal: true }),
      ).rejects.toMatchObject({ code: 'DISK_FULL' })
      expect(readdirSync(out)).toEqual([])
      expect(await ctx.db('exchange_packages').count({ n: '*' })).toEqual([{ n: 0 }])
      expect((await exportPackage(ctx, { path: join(out, 'full.cdpkg'), full: true, userId: null, confirmPersonal: true })).sequence).toBe(
        1,
      )
    })
  })

  it('removes only our own temporary files, and only stale ones', async () => {
    const dir = tempDir()
    const old = Date.now() / 1000 - 3600
    for (const name of ['.a.cdpkg.0123abcd.partial', '.b.cdpkg.89abcdef.partial', 'notes.partial', '.c.cdpkg.xyz.partial'])
      writeFileSync(join(dir, name), 'x')
    for (const name of ['.a.cdpkg.0123abcd.partial', 'notes.partial', '.c.cdpkg.xyz.partial']) utimesSync(join(dir, name), old, old)
    expect(await removeStalePartials(dir)).toEqual(['.a.cdpkg.0123abcd.partial'])
    expect(readdirSync(dir).sort()).toEqual(['.b.cdpkg.89abcdef.partial', '.c.cdpkg.xyz.partial', 'notes.partial'])
  })

  it('kill -9 at any moment: a package that verifies under its name is always in the log', { timeout: 180_000 }, async () => {
    const { dataDir, keysDir } = await county()
    const out = tempDir()
    const delays = [300, 700, 1000, 1300, 1600, 1900, 2300, 3000]
    let verified = 0
    for (const [i, delay] of delays.entries()) {
      const target = join(out, `k${i}.cdpkg`)
      // node itself (not the tsx launcher, which would leave its child running when killed)
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
      const exited = new Promise((resolve) => child.once('exit', resolve))
      const timer = setTimeout(() => child.kill('SIGKILL'), delay)
      await exited
      clearTimeout(timer)
      const digest = existsSync(target) ? await verifies(target, keysDir) : null
      if (digest) verified++
      const logged = await withDb(dataDir, async (ctx) => (await packageLog(ctx.db)).filter((p) => p.state === 'done').map((p) => p.digest))
      if (digest) expect(logged, `run ${i} (${delay} ms)`).toContain(digest)
    }
    // The runs that finished show the check was not empty; the last one had time to finish.
    expect(verified).toBeGreaterThan(0)
    const log = await withDb(dataDir, (ctx) => packageLog(ctx.db))
    expect(log.every((p) => p.state !== 'writing')).toBe(true)
    expect(new Set(log.map((p) => p.sequence)).size).toBe(log.length)
  })
})
