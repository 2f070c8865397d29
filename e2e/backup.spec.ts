import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { setBackupPassphrase } from '../electron/core/backup/backup-key'
import { createBackup } from '../electron/core/backup/backups'
import { noProtector } from '../electron/core/security/key-store'
import { unlockDataDir } from '../electron/core/shared/data-dir-lock'
import { createBackend } from '../electron/main/compose'
import { test, expect, snap } from './fixtures'
import { ADMIN, login, setUpOfficeAndLogIn } from './pages'

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
  await setUpOfficeAndLogIn(page)
  // No backup at all yet: the home page says so, with the way there.
  await expect(page.getByTestId('home-backup-warning')).toContainText('尚未设置备份口令')
  await page.getByTestId('home-backup-warning').getByRole('link', { name: '去备份' }).click()
  await expect(page.getByTestId('backup-page')).toBeVisible()
  await expect(page.getByTestId('backup-to-usb')).toBeDisabled()

  await page.getByTestId('backup-passphrase').fill('abcdefgh')
  await page.getByTestId('backup-passphrase-repeat').fill('abcdefgh')
  await page.getByTestId('backup-set-passphrase').click()
  await expect(page.getByText('密码须包含大写字母、小写字母、数字、特殊字符中的至少三类')).toBeVisible()
  await page.getByTestId('backup-passphrase').fill(PASSPHRASE)
  await page.getByTestId('backup-passphrase-repeat').fill(PASSPHRASE)
  await page.getByTestId('backup-set-passphrase').click()
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
