// Page objects: how a person drives each screen, in one place for all specs.
import { expect, type Page } from '@playwright/test'

export const OFFICE = { orgName: '示例县社会信用体系建设领导小组办公室', regionCode: '350102', creditCode: '91350100M000100Y43' }
export const ADMIN = { username: 'admin', displayName: '王管理', password: 'Zhang#2026x' }

export async function completeSetup(page: Page, creditCode = OFFICE.creditCode): Promise<void> {
  await expect(page.getByTestId('setup-wizard')).toBeVisible()
  await page.getByTestId('org-name').fill(OFFICE.orgName)
  await page.getByTestId('region-code').fill(OFFICE.regionCode)
  await page.getByTestId('org-credit-code').fill(creditCode)
  await page.getByTestId('setup-next').click()
  await page.getByTestId('admin-username').fill(ADMIN.username)
  await page.getByTestId('admin-display-name').fill(ADMIN.displayName)
  await page.getByTestId('admin-password').fill(ADMIN.password)
  await page.getByTestId('admin-password-confirm').fill(ADMIN.password)
  await page.getByTestId('setup-submit').click()
}

export async function login(page: Page, username: string, password: string): Promise<void> {
  await expect(page.getByTestId('login-page')).toBeVisible()
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

export async function logout(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click()
  await page.getByTestId('logout').click()
  await expect(page.getByTestId('login-page')).toBeVisible()
}

export async function setUpOfficeAndLogIn(page: Page): Promise<void> {
  await completeSetup(page)
  await page.getByTestId('to-login').click()
  await login(page, ADMIN.username, ADMIN.password)
  await expect(page.getByTestId('home-page')).toBeVisible()
}

export async function createUser(
  page: Page,
  user: { username: string; displayName: string; roles: string[]; password: string },
): Promise<void> {
  await page.getByTestId('sidebar').getByText('用户管理').click()
  await page.getByTestId('user-create').click()
  const dialog = page.getByTestId('user-dialog')
  await dialog.getByTestId('user-username').fill(user.username)
  await dialog.getByTestId('user-display-name').fill(user.displayName)
  for (const role of user.roles) await dialog.getByTestId('user-roles').getByText(role, { exact: true }).click()
  await dialog.getByTestId('user-initial-password').fill(user.password)
  await page.getByTestId('user-save').click()
  await expect(page.getByTestId('users-table').getByText(user.username, { exact: true })).toBeVisible()
}

/** First login of a user an administrator created: log in, then the forced password change. */
export async function firstLogin(page: Page, user: { username: string; password: string }, newPassword: string): Promise<void> {
  await login(page, user.username, user.password)
  await changeInitialPassword(page, user.password, newPassword)
}

/** Picks an option of an Element Plus select by its visible text. */
export async function pick(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click()
  await page.locator('.el-select-dropdown:visible').getByText(option, { exact: true }).click()
}

export async function changeInitialPassword(page: Page, oldPassword: string, newPassword: string): Promise<void> {
  await expect(page.getByText('首次登录或密码已被重置，请先修改密码')).toBeVisible()
  await page.getByTestId('old-password').fill(oldPassword)
  await page.getByTestId('new-password').fill(newPassword)
  await page.getByTestId('confirm-password').fill(newPassword)
  await page.getByTestId('change-password-submit').click()
  await expect(page.getByTestId('home-page')).toBeVisible()
}
