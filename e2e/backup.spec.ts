import { readdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { test, expect, snap } from './fixtures'
import { ADMIN, login, setUpOfficeAndLogIn } from './pages'

const PASSPHRASE = 'Backup#2026-county'

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
