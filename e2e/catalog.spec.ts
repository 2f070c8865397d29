import { test, expect, snap } from './fixtures'
import { createUser, firstLogin, login, logout, pick, setUpOfficeAndLogIn } from './pages'
import type { Page } from '@playwright/test'

const CLERK = { username: 'clerk1', displayName: '李业务', roles: ['业务人员'], password: 'Init#2026a' }
const SUPERVISOR = { username: 'sup1', displayName: '周审核', roles: ['审核人员'], password: 'Init#2026b' }

/** The office set up, a clerk and a supervisor created, and the clerk logged in for the first time. */
async function officeWithClerkAndSupervisor(page: Page) {
  await setUpOfficeAndLogIn(page)
  await createUser(page, CLERK)
  await createUser(page, SUPERVISOR)
  await logout(page)
  await firstLogin(page, CLERK, 'Clerk#2026new')
}

test('a clerk defines a catalog item, the supervisor returns and then approves it, and versions can be compared', async ({ app }) => {
  const { page } = app
  await officeWithClerkAndSupervisor(page)
  await page.getByTestId('sidebar').getByText('目录事项').click()
  await expect(page.getByTestId('catalog-table')).toContainText('行政处罚信息')
  await expect(page.getByTestId('catalog-table')).toContainText('行政许可信息')
  await snap(page, '15-catalog-list')

  await page.getByTestId('catalog-create').click()
  await page.getByTestId('catalog-code').fill('XY_CN')
  await page.getByTestId('catalog-name').fill('信用承诺履约信息')
  await pick(page, 'catalog-category', '信用承诺及履行情况信息')
  await page.getByTestId('catalog-info-class').getByText('良好信息').click()
  await page.getByTestId('catalog-subject-types').getByText('法人和非法人组织').click()
  await page.getByTestId('field-code-0').fill('XDR_MC')
  await page.getByTestId('field-name-0').fill('主体名称')
  await page.getByTestId('catalog-add-field').click()
  await page.getByTestId('field-code-1').fill('XDR_MC') // duplicate on purpose
  await page.getByTestId('field-name-1').fill('统一社会信用代码')
  await page.getByTestId('catalog-save').click()
  await expect(page.getByTestId('catalog-fields')).toContainText('数据项编码重复')
  await page.getByTestId('field-code-1').fill('XDR_SHXYM')
  await page.getByTestId('catalog-submit').click()
  await expect(page.getByTestId('catalog-item-status')).toHaveText('待审核')
  await snap(page, '16-catalog-item-submitted')
  await logout(page)

  await firstLogin(page, SUPERVISOR, 'Revw#2026new')
  await page.getByTestId('sidebar').getByText('目录事项').click()
  await expect(page.getByTestId('catalog-table').locator('tbody tr')).toHaveCount(1) // the review queue
  await page.getByTestId('catalog-table').getByText('信用承诺履约信息').click()
  await page.getByTestId('catalog-return').click()
  await page.locator('.el-message-box input').fill('请补充纳入依据')
  await page.getByRole('button', { name: '确定' }).click()
  await expect(page.getByTestId('catalog-item-status')).toHaveText('草稿')
  await logout(page)

  await login(page, CLERK.username, 'Clerk#2026new')
  await page.getByTestId('sidebar').getByText('目录事项').click()
  await page.getByTestId('catalog-table').getByText('信用承诺履约信息').click()
  await expect(page.getByText('审核意见：请补充纳入依据')).toBeVisible()
  await page.getByTestId('catalog-form').locator('textarea').fill('《某县信用承诺管理办法》第五条')
  await page.getByTestId('catalog-submit').click()
  await expect(page.getByTestId('catalog-item-status')).toHaveText('待审核')
  await logout(page)

  await login(page, SUPERVISOR.username, 'Revw#2026new')
  await page.getByTestId('sidebar').getByText('目录事项').click()
  await page.getByTestId('catalog-table').getByText('信用承诺履约信息').click()
  await page.getByTestId('catalog-approve').click()
  await expect(page.getByTestId('catalog-item-status')).toHaveText('已生效')
  await logout(page)

  // A change to an approved item is a new version, compared side by side with the old one.
  await login(page, CLERK.username, 'Clerk#2026new')
  await page.getByTestId('sidebar').getByText('目录事项').click()
  await page.getByTestId('catalog-table').getByText('信用承诺履约信息').click()
  await expect(page.getByText('已生效的目录事项不能直接修改')).toBeVisible()
  await page.getByTestId('catalog-new-version').click()
  await expect(page.getByTestId('catalog-item-status')).toHaveText('草稿')
  await page.getByTestId('catalog-add-field').click()
  await page.getByTestId('field-code-2').fill('CNRQ')
  await page.getByTestId('field-name-2').fill('承诺日期')
  await page.getByTestId('catalog-save').click()
  await page.getByTestId('compare-v1').click()
  await expect(page.getByTestId('catalog-diff')).toContainText('数据项 CNRQ')
  await expect(page.getByTestId('catalog-diff')).toContainText('新增')
  await snap(page, '17-catalog-compare')
})

test('records are entered through a form generated from a newly approved item', async ({ app }) => {
  const { page } = app
  await officeWithClerkAndSupervisor(page)
  await page.getByTestId('sidebar').getByText('目录事项').click()
  await page.getByTestId('catalog-create').click()
  await page.getByTestId('catalog-code').fill('XY_HMD')
  await page.getByTestId('catalog-name').fill('守信激励对象名单')
  await pick(page, 'catalog-category', '信用承诺及履行情况信息')
  await page.getByTestId('catalog-info-class').getByText('良好信息').click()
  await page.getByTestId('catalog-subject-types').getByText('法人和非法人组织').click()
  await page.getByTestId('field-code-0').fill('ZTMC')
  await page.getByTestId('field-name-0').fill('主体名称')
  await page.getByTestId('field-required-0').click()
  await page.getByTestId('catalog-add-field').click()
  await page.getByTestId('field-code-1').fill('LRYY')
  await page.getByTestId('field-name-1').fill('列入原因')
  await page.getByTestId('catalog-submit').click()
  await expect(page.getByTestId('catalog-item-status')).toHaveText('待审核')
  await logout(page)

  await firstLogin(page, SUPERVISOR, 'Revw#2026new')
  await page.getByTestId('sidebar').getByText('目录事项').click()
  await page.getByTestId('catalog-table').getByText('守信激励对象名单').click()
  await page.getByTestId('catalog-approve').click()
  await expect(page.getByTestId('catalog-item-status')).toHaveText('已生效')
  await logout(page)

  await login(page, CLERK.username, 'Clerk#2026new')
  await page.getByTestId('sidebar').getByText('归集数据').click()
  await pick(page, 'records-item', '守信激励对象名单（XY_HMD）')
  await page.getByTestId('records-add').click()
  const form = page.getByTestId('record-form')
  // Grouped: the subject first, then what was decided, then who supplies it.
  await expect(form.locator('.el-form-item__label')).toContainText(['主体名称', '列入原因', '报送单位'])
  await page.getByTestId('record-save').click()
  await expect(form.locator('[data-field="ZTMC"]')).toContainText('此项为必填项')
  await form.getByTestId('field-ZTMC').fill('某某农业专业合作社')
  await form.getByTestId('field-LRYY').fill('连续三年纳税信用A级')
  await page.getByTestId('record-save').click()
  await expect(page.getByTestId('records-table')).toContainText('某某农业专业合作社')
  await snap(page, '19-records-custom-item')
})
