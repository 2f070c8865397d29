// A backup is one moment of the database, whatever runs beside it; and a backup or a restore killed at any moment
// (kill -9, 20 times each) leaves the data folder as it was or wholly restored — never half of either.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { createDb } from '../../db/connection'
import { main } from '../../electron/cli/index'
import { getCatalogItem } from '../../electron/core/catalog/catalog'
import { loadStoreContext } from '../../electron/core/catalog/record-context'
import { importRecords } from '../../electron/core/catalog/records'
import { deriveBackupSecret, newKdf, setBackupPassphrase } from '../../electron/core/backup/backup-key'
import { writeBackupFile } from '../../electron/core/backup/backup-file'
import { tarBytes } from '../../electron/core/exchange/payload'
import { createBackup, restoreBackup, stageRestore, tableCounts } from '../../electron/core/backup/backups'
import { restoreJournal } from '../../electron/core/backup/restore-journal'
import { loadFieldKeys, noProtector } from '../../electron/core/security/key-store'
import { DB_FILE, openDatabase } from '../../electron/core/shared/open-database'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'
import { tempDir } from '../helpers'

const ROOT = join(__dirname, '..', '..')
const PASSPHRASE = 'Backup#2026-county'
const quiet = { log: () => {}, error: () => {} }

async function penaltyWorkbook(rows: number): Promise<string> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('处罚')
  const row = (i: number) => ({
    XDR_MC: `某某食品有限公司${i}`,
    XDR_LB: '法人和非法人组织',
    XDR_SHXYM: '91350100M000100Y43',
    CF_WSH: `罚〔2026〕${i}号`,
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
  })
  ws.addRow(Object.keys(row(0)))
  for (let i = 1; i <= rows; i++) ws.addRow(Object.values(row(i)))
  const path = join(tempDir(), 'in.xlsx')
  await wb.xlsx.writeFile(path)
  return path
}

/** Runs the command line in its own node process (not the tsx launcher, which would leave its child running when killed). */
function cliProcess(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/cli/index.ts'), ...args], { stdio: 'ignore' })
  return { child, exited: new Promise((resolve) => child.once('exit', resolve)) }
}

async function counts(dir: string): Promise<Record<string, number>> {
  const db = createDb(join(dir, DB_FILE))
  try {
    const [health] = await db.raw('PRAGMA quick_check')
    expect(health.quick_check).toBe('ok')
    return await tableCounts(db)
  } finally {
    await db.destroy()
  }
}

describe('backups under pressure', () => {
  it('a backup taken while an import transaction is open holds the database as it was before that import', async () => {
    const dataDir = tempDir()
    const { db } = await openDatabase(dataDir)
    try {
      const keys = await loadFieldKeys(db, dataDir, noProtector)
      const key = await setBackupPassphrase(dataDir, noProtector, PASSPHRASE, PASSPHRASE, new Date())
      const item = await getCatalogItem(db, (await db('catalog_items').where('code', 'SGS_CF').first('id'))!.id)
      const file = await penaltyWorkbook(300)
      const before = await tableCounts(db)
      // The import on its own connection, held open just before it commits while the backup runs.
      const importer = createDb(join(dataDir, DB_FILE))
      let holding!: () => void
      const held = new Promise<void>((r) => (holding = r))
      let release!: () => void
      const gate = new Promise<void>((r) => (release = r))
      const store = await loadStoreContext(db, '2026-11-22', keys)
      const importing = importRecords(importer, item, file, store, {
        mode: 'all',
        fileName: 'in.xlsx',
        supplierUnitId: null,
        createdBy: null,
        via: 'cli',
        now: Date.now(),
        beforeCommit: async () => {
          holding()
          await gate
        },
      })
      await held
      const backupFile = join(tempDir(), 'during-import.cdbak')
      await createBackup({ db, dataDir, protector: noProtector, key, to: backupFile, reason: 'manual', app: 'test', now: new Date() })
      release()
      expect((await importing).imported).toBe(300)
      await importer.destroy()
      expect((await tableCounts(db)).records).toBe(before.records! + 300)

      const restored = join(tempDir(), 'restored')
      await restoreBackup({ file: backupFile, dataDir: restored, passphrase: PASSPHRASE, now: new Date() })
      expect(await counts(restored)).toEqual(before)
    } finally {
      await db.destroy()
      unlockDataDir(dataDir)
    }
  })

  it('kill -9 during a backup, 20 times: the data folder is intact and no half file takes the name', { timeout: 300_000 }, async () => {
    const dataDir = tempDir()
    expect(await main(['demo', 'seed', '--records', '3000', '--people', '50', '--data-dir', dataDir], quiet)).toBe(0)
    const pass = join(tempDir(), 'pass.txt')
    writeFileSync(pass, PASSPHRASE)
    expect(await main(['backup', 'set-passphrase', '--passphrase-file', pass, '--data-dir', dataDir], quiet)).toBe(0)
    unlockDataDir(dataDir) // (this process took the folder's lock; the child needs it)
    // (A finished run adds its own audit row: the logs are compared apart.)
    const business = (c: Record<string, number>) =>
      JSON.stringify(Object.entries(c).filter(([t]) => t !== 'audit_log' && t !== 'login_log'))
    const before = business(await counts(dataDir))
    const out = tempDir()
    let finished = 0
    for (let i = 0; i < 20; i++) {
      const target = join(out, `k${i}.cdbak`)
      const run = cliProcess(['backup', 'create', '--to', target, '--data-dir', dataDir])
      const timer = setTimeout(() => run.child.kill('SIGKILL'), 300 + i * 300)
      await run.exited
      clearTimeout(timer)
      // Whatever carries the name is a whole backup that verifies.
      if (existsSync(target)) {
        expect(await main(['backup', 'verify', target, '--passphrase-file', pass], quiet), `run ${i}`).toBe(0)
        finished++
      }
      expect(business(await counts(dataDir)), `run ${i}`).toEqual(before)
    }
    expect(finished).toBeGreaterThan(0) // the later runs had time to finish: the check was not empty
    expect(readdirSync(out).filter((n) => !n.endsWith('.cdbak')).length).toBeLessThanOrEqual(20) // at most the killed runs' temporaries
  })

  it(
    'kill -9 during a restore, 20 times: the folder is the old one or the whole backup, never missing or mixed',
    { timeout: 300_000 },
    async () => {
      const source = tempDir()
      expect(await main(['demo', 'seed', '--records', '3000', '--people', '50', '--data-dir', source], quiet)).toBe(0)
      const pass = join(tempDir(), 'pass.txt')
      writeFileSync(pass, PASSPHRASE)
      const backupFile = join(tempDir(), 'b.cdbak')
      expect(await main(['backup', 'create', '--to', backupFile, '--passphrase-file', pass, '--data-dir', source], quiet)).toBe(0)
      const inBackup = await counts(source)
      // The folder being restored over: another, smaller office.
      const target = tempDir()
      expect(await main(['demo', 'seed', '--records', '100', '--people', '5', '--data-dir', target], quiet)).toBe(0)
      unlockDataDir(target)
      const old = await counts(target)
      let restored = 0
      for (let i = 0; i < 20; i++) {
        const run = cliProcess(['backup', 'restore', backupFile, '--passphrase-file', pass, '--data-dir', target])
        const timer = setTimeout(() => run.child.kill('SIGKILL'), 300 + i * 300)
        await run.exited
        clearTimeout(timer)
        // Opening the folder finishes a swap the kill interrupted.
        const { db } = await openDatabase(target)
        await db.destroy()
        unlockDataDir(target)
        // (Opening writes to the logs: they are compared apart from that.)
        const business = (c: Record<string, number>) =>
          JSON.stringify(Object.entries(c).filter(([t]) => t !== 'audit_log' && t !== 'login_log'))
        const now = business(await counts(target))
        expect(now === business(old) || now === business(inBackup), `run ${i}: ${now}`).toBe(true)
        if (now === business(inBackup)) restored++
      }
      expect(restored).toBeGreaterThan(0)
    },
  )

  it('a start after a kill between the two renames of a restore finishes the swap; a start before them cleans up', async () => {
    const source = tempDir()
    const { db } = await openDatabase(source)
    const key = await setBackupPassphrase(source, noProtector, PASSPHRASE, PASSPHRASE, new Date())
    await loadFieldKeys(db, source, noProtector)
    const file = join(tempDir(), 'b.cdbak')
    await createBackup({ db, dataDir: source, protector: noProtector, key, to: file, reason: 'manual', app: 'test', now: new Date() })
    const inBackup = await tableCounts(db)
    await db.destroy()
    unlockDataDir(source)

    // Killed after the old folder moved aside, before the staged one took its place.
    const target = join(tempDir(), 'office')
    const staged = await stageRestore({ file, dataDir: target, passphrase: PASSPHRASE })
    writeFileSync(restoreJournal(target), JSON.stringify({ staged: staged.staged }))
    expect(existsSync(target)).toBe(false)
    const reopened = await openDatabase(target)
    expect(await tableCounts(reopened.db)).toEqual(inBackup)
    await reopened.db.destroy()
    unlockDataDir(target)
    expect(existsSync(restoreJournal(target))).toBe(false)

    // Killed before the swap: the data folder is there; the staged copy is removed, the folder left as it was.
    const again = await stageRestore({ file, dataDir: target, passphrase: PASSPHRASE })
    writeFileSync(restoreJournal(target), JSON.stringify({ staged: again.staged }))
    const before = await counts(target)
    await (await openDatabase(target)).db.destroy()
    unlockDataDir(target)
    expect(existsSync(again.staged)).toBe(false)
    expect(await counts(target)).toEqual(before)
  })
})

describe('a backup whose content disagrees with itself', () => {
  it('is refused before the folder is touched: the database must hold the rows its manifest names', async () => {
    const source = tempDir()
    const { db } = await openDatabase(source)
    const snapshot = join(tempDir(), 'snapshot.sqlite')
    await db.raw('VACUUM INTO ?', [snapshot])
    const counts = await tableCounts(db)
    await db.destroy()
    unlockDataDir(source)
    const kdf = newKdf()
    const key = { kdf, secret: await deriveBackupSecret(PASSPHRASE, kdf) }
    // Written by someone holding the passphrase, with a manifest that claims one record more than the database has.
    const manifest = Buffer.from(
      JSON.stringify({
        createdAt: new Date().toISOString(),
        counts: { ...counts, records: counts.records! + 1 },
        attachments: 0,
        bytes: 0,
      }),
    )
    async function* entries() {
      yield { name: 'manifest.json', size: manifest.length, pieces: [manifest] }
      yield { name: 'database.sqlite', size: statSync(snapshot).size, pieces: [readFileSync(snapshot)] }
    }
    const file = join(tempDir(), 'inconsistent.cdbak')
    await writeBackupFile({
      path: file,
      header: {
        createdAt: new Date().toISOString(),
        app: 'test',
        schema: '',
        installation: { orgName: '', regionCode: '', fieldKeyFingerprint: '' },
        reason: 'manual',
        kdf: key.kdf,
      },
      secret: key.secret,
      payload: tarBytes(entries()),
    })
    const target = join(tempDir(), 'office')
    await expect(restoreBackup({ file, dataDir: target, passphrase: PASSPHRASE, now: new Date() })).rejects.toMatchObject({
      code: 'BACKUP_REJECTED',
      details: { reason: 'bad_content', entry: 'counts' },
    })
    expect(existsSync(target)).toBe(false)
  })
})
