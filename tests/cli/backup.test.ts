// 容灾备份 through the command line: a backup of a whole data folder restores on a "new PC" (an empty folder) with
// every row, every scan and the sealed ID numbers still opening; bad files and wrong passphrases change nothing.
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/index'
import { revealIdNumber } from '../../electron/core/archives/people'
import { readAttachment } from '../../electron/core/attachments/attachment-store'
import { attachScan } from '../../electron/core/attachments/scan-links'
import { loadBackupKey } from '../../electron/core/backup/backup-key'
import { createBackup } from '../../electron/core/backup/backups'
import { loadFieldKeys, noProtector } from '../../electron/core/security/key-store'
import { openDatabase } from '../../electron/core/shared/open-database'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'
import { tempDir } from '../helpers'
import { countyWithCity } from './county-fixture'

const PASSPHRASE = 'Backup#2026-county'

function capture() {
  const lines: string[] = []
  const errors: string[] = []
  return { lines, errors, out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) } }
}

async function cli(...args: string[]) {
  const c = capture()
  const code = await main(args, c.out)
  return { code, ...c }
}

async function stats(dir: string): Promise<Record<string, number>> {
  const r = await cli('db', 'stats', '--json', '--data-dir', dir)
  expect(r.code).toBe(0)
  return JSON.parse(r.lines[0]!)
}

/** A seeded county with two stamped scans on archive entries, and a passphrase set. */
async function county() {
  const dir = tempDir()
  expect((await cli('demo', 'seed', '--records', '200', '--people', '20', '--data-dir', dir, '--json')).code).toBe(0)
  const { db } = await openDatabase(dir)
  const keys = await loadFieldKeys(db, dir, noProtector)
  const entries = await db('archive_entries').orderBy('id').limit(2).pluck('id')
  const scans: Buffer[] = []
  for (const [i, entryId] of entries.entries()) {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(300_000 + i)])
    const file = join(tempDir(), `盖章扫描件${i}.pdf`)
    writeFileSync(file, bytes)
    await attachScan({ db, keys, dataDir: dir }, { kind: 'entry', entryId }, file, Date.now())
    scans.push(bytes)
  }
  const people = await db('people').orderBy('id').pluck('id')
  const ids = await Promise.all(people.map((id) => revealIdNumber(db, keys, id)))
  await db.destroy()
  unlockDataDir(dir)
  const pass = join(tempDir(), 'passphrase.txt')
  writeFileSync(pass, `${PASSPHRASE}\n`)
  expect((await cli('backup', 'set-passphrase', '--passphrase-file', pass, '--data-dir', dir)).code).toBe(0)
  return { dir, pass, ids, scans }
}

describe('backup and restore', () => {
  it('restores a whole folder on a new PC: every table row for row, the scans, and the sealed ID numbers open', async () => {
    const c = await county()
    const before = await stats(c.dir)
    const file = join(tempDir(), '县信用办-备份.cdbak')
    const made = await cli('backup', 'create', '--to', file, '--data-dir', c.dir, '--json')
    expect(made.code, made.errors.join('\n')).toBe(0)
    // The passphrase is not in the file, nor any ID number in clear.
    const raw = readFileSync(file)
    expect(raw.includes(Buffer.from(PASSPHRASE))).toBe(false)
    for (const id of c.ids) expect(raw.includes(Buffer.from(id))).toBe(false)

    const verified = await cli('backup', 'verify', file, '--passphrase-file', c.pass, '--json')
    expect(verified.code).toBe(0)
    expect(JSON.parse(verified.lines[0]!)).toMatchObject({ valid: true, counts: before, attachments: 2 })

    const newPc = join(tempDir(), '新电脑', 'credit-desk')
    const restored = await cli('backup', 'restore', file, '--passphrase-file', c.pass, '--data-dir', newPc, '--json')
    expect(restored.code, restored.errors.join('\n')).toBe(0)
    expect(JSON.parse(restored.lines[0]!)).toMatchObject({ previous: null, counts: before })
    const after = await stats(newPc)
    // Every table as it was; the audit log has one row more: the restore itself, as an incident.
    expect({ ...after, audit_log: after.audit_log! - 1 }).toEqual(before)

    const { db } = await openDatabase(newPc)
    try {
      const incident = await db('audit_log').orderBy('id', 'desc').first()
      expect(incident).toMatchObject({ procedure: 'system:restore', result: 'INCIDENT' })
      const keys = await loadFieldKeys(db, newPc, noProtector)
      const people = await db('people').orderBy('id').pluck('id')
      expect(await Promise.all(people.map((id) => revealIdNumber(db, keys, id)))).toEqual(c.ids)
      const digests = await db('entry_attachments').orderBy('entry_id').pluck('digest')
      expect(digests.map((d) => readAttachment(keys, newPc, d))).toEqual(c.scans)
    } finally {
      await db.destroy()
      unlockDataDir(newPc)
    }
    // Both the passphrase and the backup are on record in the office's own log (taken by the OS account).
    const office = await openDatabase(c.dir)
    try {
      const logged = await office
        .db('audit_log')
        .where('via', 'cli')
        .where('procedure', 'like', 'cli:backup-%')
        .select('procedure', 'actor_name')
      expect(logged.map((l) => l.procedure)).toEqual(['cli:backup-set-passphrase', 'cli:backup-create'])
      expect(logged.every((l) => String(l.actor_name).startsWith('os:'))).toBe(true)
    } finally {
      await office.db.destroy()
      unlockDataDir(c.dir)
    }
    // The derived key is not in the backup; the restore stores it again from the passphrase just typed.
    expect(loadBackupKey(newPc, noProtector)).not.toBeNull()
  })

  it('restoring over a folder in use keeps the old data beside it', async () => {
    const c = await county()
    const file = join(tempDir(), 'b.cdbak')
    expect((await cli('backup', 'create', '--to', file, '--data-dir', c.dir)).code).toBe(0)
    const r = await cli('backup', 'restore', file, '--passphrase-file', c.pass, '--data-dir', c.dir, '--json')
    expect(r.code, r.errors.join('\n')).toBe(0)
    const { previous } = JSON.parse(r.lines[0]!)
    expect(previous).toMatch(/credit-desk|\.before-restore-\d{8}-\d{6}$/)
    expect(existsSync(join(previous, 'credit-desk.sqlite'))).toBe(true)
    expect(existsSync(join(c.dir, 'credit-desk.sqlite'))).toBe(true)
  })

  it('refuses a wrong passphrase, a cut, altered, foreign or newer file with a Chinese reason, and changes nothing', async () => {
    const c = await county()
    const file = join(tempDir(), 'good.cdbak')
    expect((await cli('backup', 'create', '--to', file, '--data-dir', c.dir)).code).toBe(0)
    const good = readFileSync(file)
    const before = await stats(c.dir)
    const variant = (name: string, bytes: Buffer) => {
      const p = join(tempDir(), name)
      writeFileSync(p, bytes)
      return p
    }
    const flipped = Buffer.from(good)
    flipped[Math.floor(good.length / 2)]! ^= 0x10
    const newer = Buffer.from(good)
    newer.writeUInt16BE(2, 8)
    const wrongPass = join(tempDir(), 'wrong.txt')
    writeFileSync(wrongPass, 'Wrong#2026-pass\n')
    const cases: Array<[string, string, string, RegExp]> = [
      ['wrong passphrase', file, wrongPass, /备份口令不正确/],
      ['cut short', variant('cut.cdbak', good.subarray(0, good.length - 1000)), c.pass, /不完整|校验失败/],
      ['cut at a chunk', variant('cut2.cdbak', good.subarray(0, good.length - 40)), c.pass, /不完整|校验失败/],
      ['a flipped bit', variant('flip.cdbak', flipped), c.pass, /第 \d+ 块校验失败/],
      ['not a backup', variant('other.cdbak', randomBytes(5000)), c.pass, /不是信用通备份文件/],
      ['newer format', variant('newer.cdbak', newer), c.pass, /更新版本的程序/],
    ]
    for (const [what, path, pass, message] of cases) {
      const verify = await cli('backup', 'verify', path, '--passphrase-file', pass)
      expect(verify.code, what).toBe(1)
      expect(verify.errors.join('\n'), what).toMatch(message)
      const restore = await cli('backup', 'restore', path, '--passphrase-file', pass, '--data-dir', c.dir)
      expect(restore.code, what).toBe(1)
      expect(restore.errors.join('\n'), what).toMatch(message)
    }
    expect(await stats(c.dir)).toEqual(before)
    const mine = basename(c.dir)
    expect(
      readdirSync(dirname(c.dir)).filter((n) => n.includes(mine) && (n.includes('before-restore') || n.includes('restoring'))),
    ).toEqual([])
  })

  it('a full disk or a pulled stick leaves no file and no temporary file', async () => {
    const c = await county()
    const { db } = await openDatabase(c.dir)
    const out = tempDir()
    try {
      const key = loadBackupKey(c.dir, noProtector)!
      const to = join(out, 'full.cdbak')
      await expect(
        createBackup({
          db,
          dataDir: c.dir,
          protector: noProtector,
          key,
          to,
          reason: 'manual',
          app: 'test',
          now: new Date(),
          writeLimit: 200_000,
        }),
      ).rejects.toMatchObject({ code: 'DISK_FULL' })
      expect(readdirSync(out)).toEqual([])
      // No snapshot is left behind in the data folder either.
      expect(readdirSync(join(c.dir, 'backups')).filter((n) => n.startsWith('.snapshot'))).toEqual([])
      const ok = await createBackup({ db, dataDir: c.dir, protector: noProtector, key, to, reason: 'manual', app: 'test', now: new Date() })
      expect(statSync(to).size).toBe(ok.size)
    } finally {
      await db.destroy()
      unlockDataDir(c.dir)
    }
  })
})

describe('after a restore, the city still gets the same ID numbers', () => {
  it('a package exported from the restored folder carries exactly what one from the original would', { timeout: 120_000 }, async () => {
    const { dataDir, keysDir } = await countyWithCity({ records: 120, people: 10 })
    const pass = join(tempDir(), 'pass.txt')
    writeFileSync(pass, PASSPHRASE)
    const file = join(tempDir(), 'county.cdbak')
    expect((await cli('backup', 'create', '--to', file, '--passphrase-file', pass, '--data-dir', dataDir)).code).toBe(0)
    const newPc = join(tempDir(), 'new-pc')
    expect((await cli('backup', 'restore', file, '--passphrase-file', pass, '--data-dir', newPc)).code).toBe(0)
    unlockDataDir(dataDir)
    unlockDataDir(newPc)

    const idNumbers = async (folder: string) => {
      const pkg = join(tempDir(), 'p.cdpkg')
      const exported = await cli(
        'package',
        'export',
        '--to',
        pkg,
        '--full',
        '--include',
        'archives',
        '--confirm-personal',
        '--data-dir',
        folder,
      )
      expect(exported.code, exported.errors.join('\n')).toBe(0)
      const opened = join(tempDir(), 'opened')
      const args = [
        'package',
        'open',
        pkg,
        '--key',
        join(keysDir, 'city.key.pem'),
        '--sender',
        join(keysDir, 'county.pub.pem'),
        '--out',
        opened,
      ]
      expect((await cli(...args)).code).toBe(0)
      const rows = (table: string) =>
        readdirSync(join(opened, 'tables', table)).flatMap((part) =>
          readFileSync(join(opened, 'tables', table, part), 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as Record<string, unknown>),
        )
      const inRecords = rows('records').flatMap((r) => Object.values(r.data as object).filter((v) => /^\d{17}[\dX]$/.test(String(v))))
      const inPeople = rows('people').map((p) => p.idNumber)
      return { inRecords: inRecords.sort(), inPeople: inPeople.sort() }
    }
    const original = await idNumbers(dataDir)
    expect(original.inPeople.length).toBe(10)
    expect(original.inRecords.length).toBeGreaterThan(0)
    expect(await idNumbers(newPc)).toEqual(original)
  })
})
