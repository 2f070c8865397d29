// 备份与恢复 in the app: the administrator's passphrase, a backup to removable media as a job, the daily backup and
// its generations, a restore that swaps the folder and re-opens it, and the new-PC restore offered instead of setup.
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BackupJob } from '../../electron/contract/schemas/backup'
import { removableBackupOverdue, saveBackupSettings } from '../../electron/core/backup/backup-settings'
import { dailyBackupIfDue } from '../../electron/core/backup/daily-backup'
import { verifyBackup } from '../../electron/core/backup/backups'
import { createDb } from '../../db/connection'
import { DB_FILE } from '../../electron/core/shared/open-database'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'
import { createBackend } from '../../electron/main/compose'
import { memoryLogger } from '../../electron/main/logger'
import { noProtector } from '../../electron/core/security/key-store'
import { adminSession, errorOf, expectOk, freshBackend, SETUP, tempDir, userSession, WINDOW } from '../helpers'

const PASS = { passphrase: 'Backup#2026-county', repeat: 'Backup#2026-county' }
type Call = (name: string, input?: unknown) => Promise<{ ok: boolean; data?: unknown; error?: unknown }>

async function finished(call: Call, job: BackupJob): Promise<BackupJob> {
  for (let i = 0; i < 400 && job.state === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 50))
    job = expectOk(await call('backup:job', { jobId: job.id })) as BackupJob
  }
  return job
}

describe('备份与恢复', () => {
  it('only the administrator sets a passphrase, as strong as a password and typed twice; the status says what is missing', async () => {
    const b = await freshBackend()
    const admin = await adminSession(b)
    const clerk = await userSession(b, admin, 'clerk1', ['clerk'])
    expect(errorOf(await clerk('backup:set-passphrase', PASS)).code).toBe('FORBIDDEN')
    expect(errorOf(await clerk('backup:status')).code).toBe('FORBIDDEN')
    let status = expectOk(await admin('backup:status')) as { passphraseSet: boolean; removableOverdue: boolean; kept: unknown[] }
    expect(status).toMatchObject({ passphraseSet: false, removableOverdue: true, kept: [] })
    // Without a passphrase nothing can be encrypted: refused before any dialog opens.
    b.savePath.value = join(tempDir(), 'x.cdbak')
    expect(errorOf(await admin('backup:export-start')).details).toMatchObject({ reason: 'no_passphrase' })
    const weak = errorOf(await admin('backup:set-passphrase', { passphrase: 'abcdefgh', repeat: 'abcdefgh' }))
    expect(weak.details!.fields!.map((f) => f.message)).toContain('password.classes')
    const mismatch = errorOf(await admin('backup:set-passphrase', { passphrase: PASS.passphrase, repeat: `${PASS.passphrase}x` }))
    expect(mismatch.details!.fields).toEqual([{ path: 'repeat', message: 'password.mismatch' }])
    expectOk(await admin('backup:set-passphrase', PASS))
    status = expectOk(await admin('backup:status')) as typeof status
    expect(status.passphraseSet).toBe(true)
    const audit = await b.db('audit_log').where('procedure', 'backup:set-passphrase').pluck('result')
    expect(audit).toEqual(['FORBIDDEN', 'VALIDATION', 'VALIDATION', 'ok'])
  })

  it('backs up to the stick as a job, then restores it: the folder is swapped, re-opened, every session ends', async () => {
    const b = await freshBackend()
    const admin = await adminSession(b)
    expectOk(await admin('backup:set-passphrase', PASS))
    expectOk(
      await admin('units:create', {
        name: '县发展改革局',
        kind: 'county_dept',
        parentId: null,
        creditCode: null,
        regionCode: null,
        sortOrder: 1,
      }),
    )
    const stick = tempDir()
    b.savePath.value = join(stick, '备份.cdbak')
    const started = expectOk(await admin('backup:export-start')) as { job: BackupJob }
    const job = await finished(admin, started.job!)
    expect(job).toMatchObject({ state: 'done', error: null })
    expect(job.done!.rows).toBeGreaterThan(0)
    expect(readdirSync(stick)).toEqual(['备份.cdbak'])
    const status = expectOk(await admin('backup:status')) as { removableOverdue: boolean; lastRemovableAt: number | null }
    expect(status.removableOverdue).toBe(false)
    expect(await b.db('audit_log').where('procedure', 'job:backup-export').pluck('result')).toEqual(['ok'])

    // A change after the backup: the restore takes the folder back to before it.
    expectOk(
      await admin('units:create', {
        name: '县财政局',
        kind: 'county_dept',
        parentId: null,
        creditCode: null,
        regionCode: null,
        sortOrder: 2,
      }),
    )
    b.openPath.value = join(stick, '备份.cdbak')
    expect(errorOf(await admin('backup:restore', { passphrase: 'Wrong#2026-pass' })).details).toMatchObject({ reason: 'wrong_passphrase' })
    expect(await b.db('org_units').pluck('name')).toContain('县财政局') // nothing replaced
    const restored = expectOk(await admin('backup:restore', { passphrase: PASS.passphrase })) as { previous: string; cancelled: boolean }
    expect(restored.cancelled).toBe(false)
    expect(existsSync(join(restored.previous, 'credit-desk.sqlite'))).toBe(true)
    expect(await b.db('org_units').pluck('name')).not.toContain('县财政局')
    expect(await b.db('org_units').pluck('name')).toContain('县发展改革局')
    // Sessions ended with the old folder; the restore is on record in the new one.
    expect((expectOk(await b.dispatch(WINDOW, 'auth:me', {})) as { user: unknown }).user).toBeNull()
    expect(await b.db('audit_log').orderBy('id', 'desc').first('procedure', 'result', 'actor_name')).toEqual({
      procedure: 'system:restore',
      result: 'INCIDENT',
      actor_name: 'admin',
    })
    // The passphrase typed for the restore protects the restored folder's next backups.
    const again = await adminSessionAfterRestore(b)
    expect((expectOk(await again('backup:status')) as { passphraseSet: boolean }).passphraseSet).toBe(true)
  })

  it('a new PC restores instead of setting up; once set up, setup:restore is refused', async () => {
    const office = await freshBackend()
    const admin = await adminSession(office)
    expectOk(await admin('backup:set-passphrase', PASS))
    office.savePath.value = join(tempDir(), 'office.cdbak')
    const job = await finished(admin, (expectOk(await admin('backup:export-start')) as { job: BackupJob }).job!)
    expect(job.state).toBe('done')

    const newPc = await freshBackend()
    newPc.openPath.value = office.savePath.value
    const r = expectOk(await newPc.dispatch(WINDOW, 'setup:restore', { passphrase: PASS.passphrase })) as { previous: string | null }
    expect(r.previous).not.toBeNull() // the empty folder the first start made is kept aside too
    const me = expectOk(await newPc.dispatch(WINDOW, 'auth:me', {})) as { setupDone: boolean; orgName: string }
    expect(me).toMatchObject({ setupDone: true, orgName: '示例县信用办' })
    expectOk(await newPc.dispatch(WINDOW, 'auth:login', { username: 'admin', password: 'Zhang#2026x' }))
    expect(errorOf(await newPc.dispatch(WINDOW, 'setup:restore', { passphrase: PASS.passphrase })).code).toBe('SETUP_ALREADY_DONE')
  })

  it('the daily backup runs once a day once a passphrase is set, and keeps the configured number', async () => {
    const b = await freshBackend()
    const admin = await adminSession(b)
    const ctx = { db: b.db, dataDir: b.dataDir, protector: noProtector, app: 'test' }
    const day = (n: number) => new Date(Date.UTC(2026, 11, 1 + n, 2))
    expect(await dailyBackupIfDue(ctx, day(0))).toBeNull() // no passphrase: nothing to encrypt with
    expectOk(await admin('backup:set-passphrase', PASS))
    await saveBackupSettings(b.db, { keep: 3, remindDays: 7 })
    expect(await dailyBackupIfDue(ctx, day(0))).not.toBeNull()
    expect(await dailyBackupIfDue(ctx, new Date(day(0).getTime() + 23 * 3600_000))).toBeNull() // same day
    for (let n = 1; n <= 4; n++) expect(await dailyBackupIfDue(ctx, day(n))).not.toBeNull()
    const kept = readdirSync(join(b.dataDir, 'backups')).filter((f) => f.endsWith('.cdbak'))
    expect(kept).toHaveLength(3)
    expect(kept.sort()[0]).toContain('20261203') // the oldest two went
    expect(await b.db('audit_log').where('procedure', 'system:backup-daily').count({ n: '*' }).first()).toEqual({ n: 5 })
  })

  it('takes a backup into the data folder before a package import', async () => {
    const b = await freshBackend()
    const admin = await adminSession(b)
    expectOk(await admin('backup:set-passphrase', PASS))
    const clerk = await userSession(b, admin, 'clerk1', ['clerk'])
    const bogus = join(tempDir(), '市回执.cdpkg')
    writeFileSync(bogus, 'not a package')
    b.openPath.value = bogus
    let job = (expectOk(await clerk('exchange:import-start')) as { job: { id: string; state: string } }).job
    for (let i = 0; i < 200 && job.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50))
      job = expectOk(await clerk('exchange:job', { jobId: job.id })) as typeof job
    }
    expect(job.state).toBe('failed')
    expect(readdirSync(join(b.dataDir, 'backups')).filter((f) => f.endsWith('-before-import.cdbak'))).toHaveLength(1)
  })
})

async function adminSessionAfterRestore(b: Awaited<ReturnType<typeof freshBackend>>) {
  expectOk(await b.dispatch(WINDOW, 'auth:login', { username: 'admin', password: 'Zhang#2026x' }))
  return (name: string, input: unknown = {}) => b.dispatch(WINDOW, name, input)
}

describe('the reminder to back up to removable media', () => {
  it('is due when there is none, and from the moment the last is more than remindDays old', () => {
    const day = 86_400_000
    const s = { keep: 10, remindDays: 7, lastAutoAt: null }
    expect(removableBackupOverdue({ ...s, lastRemovableAt: null }, 0)).toBe(true)
    expect(removableBackupOverdue({ ...s, lastRemovableAt: 1_000 }, 1_000 + 7 * day)).toBe(false)
    expect(removableBackupOverdue({ ...s, lastRemovableAt: 1_000 }, 1_000 + 7 * day + 1)).toBe(true)
    expect(removableBackupOverdue({ ...s, remindDays: 1, lastRemovableAt: 1_000 }, 1_000 + day + 1)).toBe(true)
  })
})

describe('the passphrase at setup', () => {
  it('may be set with the office; a weak one sends the form back and sets nothing up', async () => {
    const b = await freshBackend()
    const weak = errorOf(
      await b.dispatch(WINDOW, 'setup:complete', { ...SETUP, backupPassphrase: 'abcdefgh', backupPassphraseRepeat: 'abcdefgh' }),
    )
    expect(weak.details!.fields!.map((f) => f.path)).toEqual(['backupPassphrase'])
    const mismatch = errorOf(
      await b.dispatch(WINDOW, 'setup:complete', {
        ...SETUP,
        backupPassphrase: PASS.passphrase,
        backupPassphraseRepeat: 'Other#2026-pass',
      }),
    )
    expect(mismatch.details!.fields!.map((f) => f.path)).toEqual(['backupPassphraseRepeat'])
    expect((expectOk(await b.dispatch(WINDOW, 'auth:me', {})) as { setupDone: boolean }).setupDone).toBe(false)
    expectOk(
      await b.dispatch(WINDOW, 'setup:complete', { ...SETUP, backupPassphrase: PASS.passphrase, backupPassphraseRepeat: PASS.passphrase }),
    )
    expectOk(await b.dispatch(WINDOW, 'auth:login', { username: 'admin', password: SETUP.adminPassword }))
    expect((expectOk(await b.dispatch(WINDOW, 'backup:status', {})) as { passphraseSet: boolean }).passphraseSet).toBe(true)
  })
})

describe('before a schema upgrade', () => {
  it('takes an encrypted backup of the old database, which restores as it was', async () => {
    const b = await freshBackend()
    const admin = await adminSession(b)
    expectOk(await admin('backup:set-passphrase', PASS))
    await b.close()
    unlockDataDir(b.dataDir)
    // The last migration rolled back: the folder is as an older app left it.
    const old = createDb(join(b.dataDir, DB_FILE))
    await old.migrate.down()
    const lastBefore = (await old('knex_migrations').orderBy('name', 'desc').first('name'))!.name
    await old.destroy()
    const upgraded = await createBackend({
      dataDir: b.dataDir,
      logger: memoryLogger(),
      isTrustedSender: () => true,
      platform: { chooseSavePath: async () => null, chooseOpenPath: async () => null, printToPdf: async () => undefined },
    })
    try {
      const taken = readdirSync(join(b.dataDir, 'backups')).filter((f) => f.endsWith('-before-migrate.cdbak'))
      expect(taken).toHaveLength(1)
      const { header } = await verifyBackup(join(b.dataDir, 'backups', taken[0]!), PASS.passphrase)
      expect(header).toMatchObject({ reason: 'before-migrate', schema: lastBefore })
    } finally {
      await upgraded.close()
      unlockDataDir(b.dataDir)
    }
  })
})
