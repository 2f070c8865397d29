import { test, expect, snap } from './fixtures'
import { ADMIN, createUser, login, logout, setUpOfficeAndLogIn } from './pages'

test('administrator builds the unit tree, assigns a user to a unit, and edits a dictionary', async ({ app }) => {
  const { page } = app
  await setUpOfficeAndLogIn(page)
  await page.getByTestId('sidebar').getByText('组织机构').click()
  await expect(page.getByText('尚未建立单位')).toBeVisible()

  await page.getByTestId('unit-add-root').click()
  await page.getByTestId('unit-name').fill('县发展和改革局')
  await page.getByTestId('unit-credit-code').fill('11350102MB00000001') // wrong check character (the embedded organisation code is right)
  await page.getByTestId('unit-save').click()
  await expect(page.getByTestId('unit-form')).toContainText('统一社会信用代码校验位不正确')
  await page.getByTestId('unit-credit-code').fill('')
  await page.getByTestId('unit-save').click()
  await expect(page.getByTestId('unit-tree')).toContainText('县发展和改革局')

  await page.getByRole('button', { name: '新增下级单位' }).click()
  await page.getByTestId('unit-name').fill('县信用中心')
  await page.getByTestId('unit-save').click()
  await expect(page.getByTestId('unit-tree')).toContainText('县信用中心')
  await page.getByTestId('unit-add-root').click()
  await page.getByTestId('unit-name').fill('城关镇')
  await page.getByTestId('unit-form').getByText('乡镇（街道）').click()
  await page.getByTestId('unit-save').click()
  await expect(page.getByTestId('unit-tree')).toContainText('城关镇')
  await snap(page, '11-units')

  // A unit with a sub-unit cannot be deleted.
  await page.getByTestId('unit-tree').getByText('县发展和改革局').click()
  await page.getByRole('button', { name: '删除' }).click()
  await page.getByRole('button', { name: '确定' }).click()
  await expect(page.getByText('该单位下还有下级单位或用户，不能删除；可以改为停用')).toBeVisible()

  await createUser(page, { username: 'clerk2', displayName: '陈业务', roles: ['业务人员'], password: 'Init#2026c' })
  await page.getByTestId('users-table').locator('tbody tr').filter({ hasText: 'clerk2' }).getByRole('button', { name: '编辑' }).click()
  await page.getByTestId('user-dialog').locator('.el-select').click()
  await page.locator('.el-tree-select__popper').getByText('县信用中心').click()
  await page.getByTestId('user-save').click()
  await expect(page.getByTestId('users-table').locator('tbody tr').filter({ hasText: 'clerk2' })).toContainText('县信用中心')

  await page.getByTestId('sidebar').getByText('数据字典').click()
  await page.getByTestId('dict-types').getByText('处罚类别').click()
  await expect(page.getByTestId('dict-items')).toContainText('通报批评')
  await expect(page.getByTestId('dict-items').locator('tbody tr')).toHaveCount(14)
  await snap(page, '12-dicts')

  await page.getByTestId('sidebar').getByText('系统设置').click()
  await expect(page.getByTestId('settings-page').locator('input').first()).toHaveValue('示例县社会信用体系建设领导小组办公室')
  await snap(page, '13-settings')
})

test('an idle session shows the lock screen; only the password unlocks it', async ({ app }) => {
  const { page } = app
  await page.clock.install()
  await page.reload()
  await setUpOfficeAndLogIn(page)
  await page.clock.fastForward('16:00') // default idle lock: 15 minutes
  await expect(page.getByTestId('lock-screen')).toBeVisible()
  await expect(page.getByTestId('lock-screen')).toContainText('请输入 王管理 的登录密码解锁')
  await page.getByTestId('unlock-password').fill('Wrong#2026')
  await page.getByTestId('unlock-submit').click()
  await expect(page.getByTestId('lock-screen')).toContainText('密码错误，还可尝试 4 次')
  await snap(page, '14-lock-screen')
  await page.getByTestId('unlock-password').fill(ADMIN.password)
  await page.getByTestId('unlock-submit').click()
  await expect(page.getByTestId('lock-screen')).toBeHidden()
  await expect(page.getByTestId('home-page')).toBeVisible()
  await logout(page)
  await login(page, ADMIN.username, ADMIN.password)
  await expect(page.getByTestId('home-page')).toContainText('上次登录')
})
