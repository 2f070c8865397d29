import ExcelJS from 'exceljs'
import { test, expect, snap } from './fixtures'
import { ADMIN, OFFICE, changeInitialPassword, completeSetup, createUser, login, logout, setUpOfficeAndLogIn } from './pages'

const CLERK = { username: 'clerk1', displayName: '李业务', roles: ['业务人员'], password: 'Init#2026a' }
const AUDITOR = { username: 'audit1', displayName: '赵审计', roles: ['安全审计员'], password: 'Init#2026b' }

test('first start: the wizard rejects a wrong 统一社会信用代码, then sets up the office and its administrator', async ({ app }) => {
  const { page } = app
  await snap(page, '01-setup-wizard')
  // Last character changed: the GB 32100 check character no longer matches.
  await completeSetup(page, '91350100M000100Y44')
  await expect(page.getByText('统一社会信用代码校验位不正确')).toBeVisible()
  await expect(page.getByTestId('org-credit-code')).toBeVisible() // sent back to the office step
  await snap(page, '02-setup-wrong-uscc')

  // Full-width input is accepted after normalising.
  await page.getByTestId('org-credit-code').fill('９１３５０１００Ｍ０００１００Ｙ４３')
  await page.getByTestId('setup-next').click()
  await page.getByTestId('setup-submit').click()
  await expect(page.getByText('初始化完成，请使用管理员账户登录。')).toBeVisible()
  await page.getByTestId('to-login').click()
  await expect(page.getByText(OFFICE.orgName)).toBeVisible()
  await snap(page, '03-login')
  await login(page, ADMIN.username, ADMIN.password)
  await expect(page.getByTestId('home-page')).toContainText('王管理，您好')
  await expect(page.getByTestId('sidebar')).toContainText('用户管理')
  await expect(page.getByTestId('sidebar')).not.toContainText('操作日志') // the administrator does not audit
  await snap(page, '04-home-admin')
})

test('a weak initial password and a taken username get field messages; nothing is created', async ({ app }) => {
  const { page } = app
  await setUpOfficeAndLogIn(page)
  await page.getByTestId('sidebar').getByText('用户管理').click()
  await page.getByTestId('user-create').click()
  const dialog = page.getByTestId('user-dialog')
  await dialog.getByTestId('user-username').fill('admin')
  await dialog.getByTestId('user-display-name').fill('重复')
  await dialog.getByTestId('user-roles').getByText('业务人员', { exact: true }).click()
  await dialog.getByTestId('user-initial-password').fill('abcdefgh')
  await page.getByTestId('user-save').click()
  await expect(dialog.getByText('该用户名已被使用')).toBeVisible()
  await expect(dialog.getByText('密码须包含大写字母、小写字母、数字、特殊字符中的至少三类')).toBeVisible()
  await snap(page, '05-user-dialog-errors')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('users-table').locator('tbody tr')).toHaveCount(1)
})

test('clerk: forced password change, lockout after 5 wrong passwords, and the auditor sees all of it', async ({ app }) => {
  const { page } = app
  await setUpOfficeAndLogIn(page)
  await createUser(page, CLERK)
  await createUser(page, AUDITOR)
  await snap(page, '06-users')
  await logout(page)

  // The clerk's first login goes straight to the forced password change.
  await login(page, CLERK.username, CLERK.password)
  await snap(page, '07-forced-change')
  await changeInitialPassword(page, CLERK.password, 'Clerk#2026new')
  await expect(page.getByTestId('sidebar')).not.toContainText('系统管理')
  await logout(page)

  // Wrong passwords: the same generic message for four, the fifth locks the account.
  for (let i = 1; i <= 4; i++) {
    await login(page, CLERK.username, `Wrong#${i}pass`)
    await expect(page.getByTestId('login-error')).toHaveText('用户名或密码错误')
  }
  await login(page, CLERK.username, 'Wrong#5pass')
  await expect(page.getByTestId('login-error')).toContainText('账户已锁定')
  // Locked means locked: even the right password is refused now.
  await login(page, CLERK.username, 'Clerk#2026new')
  await expect(page.getByTestId('login-error')).toContainText('账户已锁定')
  await snap(page, '08-locked')
  // An unknown name gets the same message as a wrong password.
  await login(page, 'nobody', 'Wrong#1pass')
  await expect(page.getByTestId('login-error')).toHaveText('用户名或密码错误')

  // The auditor (after the forced change) sees every step.
  await login(page, AUDITOR.username, AUDITOR.password)
  await changeInitialPassword(page, AUDITOR.password, 'Audit#2026new')
  await expect(page.getByTestId('sidebar')).not.toContainText('用户管理')
  await page.getByTestId('sidebar').getByText('操作日志').click()
  const audit = page.getByTestId('audit-table')
  await expect(audit).toContainText('系统初始化')
  await expect(audit.locator('tbody tr').filter({ hasText: '新增用户' })).toHaveCount(2)
  await expect(audit.locator('tbody tr').filter({ hasText: '修改本人密码' })).toHaveCount(2)
  await expect(audit.locator('tbody tr').filter({ hasText: '新增用户' }).first()).toContainText('admin')
  await page.getByTestId('audit-verify').click()
  await expect(page.getByText(/日志完整：已校验 \d+ 条/)).toBeVisible()
  await snap(page, '09-audit-log')

  await page.getByTestId('sidebar').getByText('登录日志').click()
  await page.getByTestId('login-log-username').fill(CLERK.username)
  await page.getByTestId('login-log-search').click()
  const logins = page.getByTestId('login-log-table')
  await expect(logins.locator('tbody tr').filter({ hasText: '密码错误或用户不存在' })).toHaveCount(4)
  await expect(logins.locator('tbody tr').filter({ hasText: '账户锁定' })).toHaveCount(2)
  await expect(logins.locator('tbody tr').filter({ hasText: '成功' })).toHaveCount(1)
  // Signing out is logged too: the clerk's one session ended with 退出登录.
  await expect(logins.locator('tbody tr').filter({ hasText: '退出登录' })).toHaveCount(1)
  await snap(page, '10-login-log')

  // Export the filtered login log to Excel and read the real file back.
  await page.getByTestId('login-log-export').click()
  await expect(page.getByText(/已导出 8 条到/)).toBeVisible()
  const wb = new ExcelJS.Workbook()
  const day = new Date().toISOString().slice(0, 10)
  await wb.xlsx.readFile(app.savedFile(`登录日志-${day}.xlsx`))
  const sheet = wb.getWorksheet('登录日志')!
  expect(sheet.getRow(1).values).toContain('用户名')
  expect(sheet.rowCount).toBe(9)
  expect(sheet.getColumn(3).values.filter((v) => v === CLERK.username)).toHaveLength(8)
})

test('the router refuses what the UI would not offer, and the auditor sees the attempt', async ({ app }) => {
  const { page } = app
  await setUpOfficeAndLogIn(page)
  await createUser(page, AUDITOR)
  await logout(page)
  await login(page, AUDITOR.username, AUDITOR.password)
  await changeInitialPassword(page, AUDITOR.password, 'Audit#2026new')

  // Straight through window.api, as injected script would: an auditor may not list users,
  // a malformed payload is refused, and an unknown name does not even exist on the door.
  const results = await page.evaluate(async () => {
    const api = (globalThis as unknown as { api: Record<string, (i: unknown) => Promise<{ ok: boolean; error?: { code: string } }>> }).api
    const forbidden = await api['users:list']!({ page: 1, pageSize: 20 })
    const malformed = await api['audit:list']!({ page: 'one' })
    return { forbidden: forbidden.error?.code, malformed: malformed.error?.code, generic: typeof api['send'], frozen: Object.isFrozen(api) }
  })
  expect(results).toEqual({ forbidden: 'FORBIDDEN', malformed: 'VALIDATION', generic: 'undefined', frozen: true })

  await page.getByTestId('sidebar').getByText('操作日志').click()
  const audit = page.getByTestId('audit-table')
  // Results in words, a refusal told apart from a failure; the code is in the tooltip and the export.
  await expect(audit.locator('tbody tr').filter({ hasText: '查询用户' })).toContainText('被拒绝：无权限')
  await expect(audit.locator('tbody tr').filter({ hasText: '查询操作日志' })).toContainText('失败：输入无效')
  await expect(audit.locator('tbody tr').first()).toContainText(/（.+）/) // the workstation: host（OS account）
})
