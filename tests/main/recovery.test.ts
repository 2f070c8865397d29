// A start that finds the database damaged (or its keys gone) does not end in an error box: the app opens in recovery,
// offering only a restore from a backup, which swaps the damaged folder aside and opens the restored one.
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BackupJob } from '../../electron/contract/schemas/backup'
import { createBackend } from '../../electron/main/compose'
import { memoryLogger } from '../../electron/main/logger'
import { trustOrigin } from '../../electron/main/ipc/router'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'
import { adminSession, errorOf, expectOk, freshBackend, ORIGIN, SETUP, tempDir, WINDOW } from '../helpers'

const PASS = { passphrase: 'Backup#2026-county', repeat: 'Backup#2026-county' }

/** An office with one backup on a stick; then its folder is closed, as at the end of a working day. */
async function officeWithBackup() {
  const b = await freshBackend()
  const admin = await adminSession(b)
  expectOk(await admin('backup:set-passphrase', PASS))
  b.savePath.value = join(tempDir(), 'stick.cdbak')
  let job = (expectOk(await admin('backup:export-start')) as { job: BackupJob }).job!
  while (job.state === 'running') {
    await new Promise((r) => setTimeout(r, 50))
    job = expectOk(await admin('backup:job', { jobId: job.id })) as BackupJob
  }
  expect(job.state).toBe('done')
  await b.close()
  unlockDataDir(b.dataDir)
  return { dataDir: b.dataDir, stick: b.savePath.value }
}

async function start(dataDir: string, openPath: string | null) {
  return createBackend({
    dataDir,
    logger: memoryLogger(),
    isTrustedSender: trustOrigin(ORIGIN),
    platform: { chooseSavePath: async () => null, chooseOpenPath: async () => openPath, printToPdf: async () => undefined },
  })
}

describe('starting on a damaged data folder', () => {
  for (const [what, damage, problem] of [
    [
      'a damaged database',
      (dir: string) => writeFileSync(join(dir, 'credit-desk.sqlite'), 'this is not a database, it was overwritten'),
      'DB_CORRUPT',
    ],
    ['lost keys', (dir: string) => rmSync(join(dir, 'keys', 'field-keys.json')), 'KEYS_MISSING'],
  ] as const) {
    it(`with ${what}: only a restore is offered, and it brings the office back`, async () => {
      const { dataDir, stick } = await officeWithBackup()
      damage(dataDir)
      const b = await start(dataDir, stick)
      try {
        const me = expectOk(await b.dispatch(WINDOW, 'auth:me', {})) as { recovery: { problem: string } | null }
        expect(me.recovery).toEqual({ problem, dataDir })
        expect(errorOf(await b.dispatch(WINDOW, 'auth:login', { username: 'admin', password: SETUP.adminPassword })).code).toBe(problem)
        expect(errorOf(await b.dispatch({ ...WINDOW, isMainFrame: false }, 'recovery:restore', { passphrase: PASS.passphrase })).code).toBe(
          'UNTRUSTED_SENDER',
        )
        expect(errorOf(await b.dispatch(WINDOW, 'recovery:restore', { passphrase: 'Wrong#2026-pass' })).details).toMatchObject({
          reason: 'wrong_passphrase',
        })
        const r = expectOk(await b.dispatch(WINDOW, 'recovery:restore', { passphrase: PASS.passphrase })) as { previous: string }
        expect(existsSync(r.previous)).toBe(true) // the damaged folder is kept, for whoever looks into what happened
        expect((expectOk(await b.dispatch(WINDOW, 'auth:me', {})) as { recovery: unknown }).recovery).toBeNull()
        expectOk(await b.dispatch(WINDOW, 'auth:login', { username: 'admin', password: SETUP.adminPassword }))
        expect(await b.db('audit_log').orderBy('id', 'desc').first('procedure', 'actor_name')).toEqual({
          procedure: 'system:restore',
          actor_name: 'recovery',
        })
      } finally {
        await b.close()
        unlockDataDir(dataDir)
      }
    })
  }

  it('a folder that opens has nothing to recover', async () => {
    const b = await freshBackend()
    expect(errorOf(await b.dispatch(WINDOW, 'recovery:restore', { passphrase: PASS.passphrase })).details).toMatchObject({
      reason: 'not_in_recovery',
    })
  })
})
