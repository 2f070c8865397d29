import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { loadBackupKey, setBackupPassphrase } from '../electron/core/backup/backup-key'
import { createBackup } from '../electron/core/backup/backups'
import { noProtector } from '../electron/core/security/key-store'
import { unlockDataDir } from '../electron/core/shared/data-dir-lock'
import { createBackend } from '../electron/main/compose'
import { test, expect, snap } from './fixtures'
import { ADMIN, login, OFFICE } from './pages'

const PASSPHRASE = 'Backup#2026-county'
const OFFICE_SETUP = {
  orgName: '示例县信用办（原电脑）',
  regionCode: '350102',
  orgCreditCode: '91350100M000100Y43',
  adminUsername: 'admin',
  adminDisplayName: '王管理',
  adminPassword: ADMIN.password,
}

test('备份与恢复: the administrator sets the passphrase, backs up to the stick, and restores it after a change', async ({ app }) => {
  const { page } = app
  // The 备份口令 is set with the office, in the wizard; a weak one sends the form back.
  await expect(page.getByTestId('setup-wizard')).toBeVisible()
  await page.getByTestId('org-name').fill(OFFICE.orgName)
  await page.getByTestId('region-code').fill(OFFICE.regionCode)
  await page.getByTestId('org-credit-code').fill(OFFICE.creditCode)
  await page.getByTestId('setup-next').click()
  await page.getByTestId('admin-username').fill(ADMIN.username)
  await page.getByTestId('admin-display-name').fill(ADMIN.displayName)
  await page.getByTestId('admin-password').fill(ADMIN.password)
  await page.getByTestId('admin-password-confirm').fill(ADMIN.password)
  await page.getByTestId('setup-backup-passphrase').fill('abcdefgh')
  await page.getByTestId('setup-backup-passphrase-repeat').fill('abcdefgh')
  await page.getByTestId('setup-submit').click()
  await expect(page.getByText('密码须包含大写字母、小写字母、数字、特殊字符中的至少三类')).toBeVisible()
  await page.getByTestId('setup-backup-passphrase').fill(PASSPHRASE)
  await page.getByTestId('setup-backup-passphrase-repeat').fill(PASSPHRASE)
  await page.getByTestId('setup-submit').click()
  await page.getByTestId('to-login').click()
  await login(page, ADMIN.username, ADMIN.password)
  // Nothing on removable media yet: the home page says so, with the way there.
  await expect(page.getByTestId('home-backup-warning')).toContainText('还没有备份到U盘过')
  await page.getByTestId('home-backup-warning').getByRole('link', { name: '去备份' }).click()
  await expect(page.getByTestId('backup-page')).toBeVisible()
  await expect(page.getByTestId('passphrase-state')).toContainText('已设置')

  await page.getByTestId('backup-to-usb').click()
  await expect(page.getByTestId('backup-done')).toContainText('备份完成', { timeout: 60_000 })
  const file = app.savedFile('350102-信用通备份-')
  const saved = readdirSync(dirname(file)).find((n) => n.endsWith('.cdbak'))!
  expect(saved).toMatch(/^350102-信用通备份-\d{4}-\d{2}-\d{2}\.cdbak$/)
  await snap(page, '50-backup')
  await page.setViewportSize({ width: 1024, height: 768 })
  await snap(page, '50-backup-1024')
  await page.setViewportSize({ width: 1366, height: 768 })

  // A change after the backup, then the restore takes the office back to the backup.
  await page.getByTestId('sidebar').getByText('组织机构').click()
  await page.getByTestId('unit-add-root').click()
  await page.getByTestId('unit-name').fill('备份后新增的单位')
  await page.getByTestId('unit-save').click()
  await expect(page.getByTestId('unit-tree')).toContainText('备份后新增的单位')

  await page.getByTestId('sidebar').getByText('备份与恢复').click()
  await app.willOpen(app.savedFile(saved))
  await page.getByTestId('restore-passphrase').fill('Wrong#2026-pass')
  await page.getByTestId('backup-restore').click()
  await page.getByRole('button', { name: '确定' }).click()
  await expect(page.getByText('备份口令不正确')).toBeVisible()

  await page.getByTestId('restore-passphrase').fill(PASSPHRASE)
  await page.getByTestId('backup-restore').click()
  await page.getByRole('button', { name: '确定' }).click()
  await expect(page.getByText(/已恢复 .* 的备份/)).toBeVisible({ timeout: 60_000 })
  await snap(page, '51-restored')
  await page.getByRole('button', { name: '确定' }).click()
  // Every session ended with the old folder: log in again; the unit added after the backup is gone.
  await expect(page.getByTestId('login-username')).toBeVisible()
  await login(page, ADMIN.username, ADMIN.password)
  await page.getByTestId('sidebar').getByText('组织机构').click()
  await expect(page.getByText('尚未建立单位')).toBeVisible()
})

test('a new PC: the setup wizard restores the office from its backup instead of starting afresh', async ({ app }) => {
  const { page } = app
  // The office's old PC, headless: set up, a passphrase, one backup file.
  const oldPc = mkdtempSync(join(tmpdir(), 'credit-desk-old-pc-'))
  const backend = await createBackend({
    dataDir: oldPc,
    isTrustedSender: () => true,
    platform: { chooseSavePath: async () => null, chooseOpenPath: async () => null, printToPdf: async () => undefined },
  })
  const call = (name: string, input: unknown = {}) =>
    backend.dispatch({ id: 'old', url: 'app://credit-desk/', isMainFrame: true }, name, input)
  expect((await call('setup:complete', { ...OFFICE_SETUP })).ok).toBe(true)
  const file = join(oldPc, '..', `${basename(oldPc)}-office.cdbak`)
  try {
    const key = await setBackupPassphrase(oldPc, noProtector, PASSPHRASE, PASSPHRASE, new Date())
    await createBackup({
      db: backend.db,
      dataDir: oldPc,
      protector: noProtector,
      key,
      to: file,
      reason: 'manual',
      app: 'e2e',
      now: new Date(),
    })
  } finally {
    await backend.close()
    unlockDataDir(oldPc)
  }

  await page.getByTestId('setup-restore').click()
  await app.willOpen(file)
  await page.getByTestId('setup-restore-passphrase').fill(PASSPHRASE)
  await page.getByTestId('setup-restore-submit').click()
  await expect(page.getByTestId('setup-restored')).toContainText(OFFICE_SETUP.orgName, { timeout: 60_000 })
  await snap(page, '52-setup-restored')
  await page.getByTestId('restored-to-login').click()
  await login(page, OFFICE_SETUP.adminUsername, OFFICE_SETUP.adminPassword)
  await expect(page.getByTestId('home-page')).toContainText('王管理，您好')
  rmSync(oldPc, { recursive: true, force: true })
  rmSync(file, { force: true })
})

/** Yesterday the office was set up with a passphrase and one backup on the stick; overnight its database file failed. */
async function damagedOfficeWithBackup(dataDir: string, exportDir: string): Promise<void> {
  // Yesterday: the office set up with a passphrase and one backup on the stick.
  const backend = await createBackend({
    dataDir,
    isTrustedSender: () => true,
    platform: { chooseSavePath: async () => null, chooseOpenPath: async () => null, printToPdf: async () => undefined },
  })
  try {
    const setup = { ...OFFICE_SETUP, backupPassphrase: PASSPHRASE, backupPassphraseRepeat: PASSPHRASE }
    expect((await backend.dispatch({ id: 'old', url: 'app://credit-desk/', isMainFrame: true }, 'setup:complete', setup)).ok).toBe(true)
    const key = loadBackupKey(dataDir, noProtector)!
    await createBackup({
      db: backend.db,
      dataDir,
      protector: noProtector,
      key,
      to: join(exportDir, 'stick.cdbak'),
      reason: 'manual',
      app: 'e2e',
      now: new Date(),
    })
  } finally {
    await backend.close()
    unlockDataDir(dataDir)
  }
  // Overnight the disk failed under the database file.
  writeFileSync(join(dataDir, 'credit-desk.sqlite'), 'overwritten by a failing disk')
}

test.describe('a start on a damaged database', () => {
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's parameters from the pattern
  test.use({ prepareDataDir: async ({}, use) => use(damagedOfficeWithBackup) })

  test('the app opens on the recovery page and restores the office from the stick', async ({ app }) => {
    const { page } = app
    await expect(page.getByTestId('recovery-problem')).toContainText('数据库文件已损坏')
    await snap(page, '53-recovery')
    await app.willOpen(app.savedFile('stick.cdbak'))
    await page.getByTestId('recovery-passphrase').fill('Wrong#2026-pass')
    await page.getByTestId('recovery-submit').click()
    await expect(page.getByText('备份口令不正确')).toBeVisible()
    await page.getByTestId('recovery-passphrase').fill(PASSPHRASE)
    await page.getByTestId('recovery-submit').click()
    await expect(page.getByTestId('recovery-restored')).toContainText('已恢复', { timeout: 60_000 })
    await page.getByTestId('recovery-to-login').click()
    await login(page, OFFICE_SETUP.adminUsername, OFFICE_SETUP.adminPassword)
    await expect(page.getByTestId('home-page')).toContainText(OFFICE_SETUP.orgName)
  })
})
