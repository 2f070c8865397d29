// The acceptance run on a real city plan (梧政发〔2016〕46号, from the shared fixtures beside the project, not
// copied into the repository): open it, review and confirm, then the whole supervision loop across two roles.
// Run with `npm run test:acceptance` where the fixtures are present (the same loop on a made-up plan is in
// supervision.spec.ts, part of `npm test`).
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { test, expect, snap } from './fixtures'
import { ADMIN, createUser, firstLogin, login, logout, setUpOfficeAndLogIn } from './pages'

const FIXTURES = resolve(process.env.PLAN_FIXTURES ?? join(__dirname, '../../shared/fixtures/plans'))
const WUZHOU = join(FIXTURES, 'wuzhou-2016.txt')
const SUPERVISOR = { username: 'sup2', displayName: '李督查', roles: ['审核人员'], password: 'Init#2026c' }
const SUP_PASSWORD = 'Revw#2026two'

async function openTask(page: Page, title: string): Promise<string> {
  await page.getByTestId('sidebar').getByText('工作要点').click()
  await page.getByTestId('plans-table').locator('tbody tr').first().click()
  await page.getByTestId('plan-tasks').locator('tbody tr').filter({ hasText: title }).first().click()
  await expect(page.getByTestId('task-page')).toContainText(title)
  return page.url()
}

if (!existsSync(WUZHOU)) throw new Error(`the shared plan fixtures are not at ${FIXTURES}: set PLAN_FIXTURES`)

test('梧州 plan: opened, reviewed, confirmed; progress with a scan, extension approved, a return and resubmission, a 督办函, the dashboard', async ({
  app,
}) => {
  test.setTimeout(240_000)
  const { page } = app
  await setUpOfficeAndLogIn(page)
  const file = join(app.dataDir, 'wuzhou-2016.txt')
  copyFileSync(WUZHOU, file)
  await app.willOpen(file)
  await page.getByTestId('sidebar').getByText('工作要点').click()
  await page.getByTestId('plan-new').click()
  await page.getByTestId('plan-choose').click()
  await expect(page.getByText('识别出 66 项任务')).toBeVisible()
  await expect(page.getByTestId('plan-title').locator('input').or(page.getByTestId('plan-title'))).toHaveValue(
    /梧州市人民政府关于贯彻落实社会信用体系建设规划纲要/,
  )
  const unitPanel = page.getByTestId('plan-units')
  await expect(unitPanel).toContainText('人民银行梧州市中支')
  await snap(page, '45-wuzhou-review')
  // A new office: every printed unit is created, in one click (the 84 separate picks the issue counted).
  await page.getByTestId('plan-create-all').click()
  await page.getByTestId('plan-confirm').click()
  await expect(page.getByText('已保存 66 项任务')).toBeVisible()
  await expect(page.getByTestId('plans-table')).toContainText('梧政发〔2016〕46号')

  const units = page.getByTestId('task-units')
  const firstUnit = units.locator('tbody tr').first()
  // A: 三.(一).2, due 2017-06-30 — the unit signs, reports progress with a stamped scan, asks for more time.
  const taskA = await openTask(page, '依据现行的法律法规')
  await page.getByTestId('task-assign').click()
  await expect(page.getByTestId('task-status')).toHaveText('已交办')
  await expect(page.getByTestId('task-light')).toHaveText('逾期')
  await firstUnit.getByRole('button', { name: '签收', exact: true }).click()
  await firstUnit.getByRole('button', { name: '反馈进展' }).click()
  await page.getByTestId('task-text').fill('征信异议处理制度已起草，正在征求意见')
  await page.getByTestId('task-confirm').click()
  await expect(firstUnit).toContainText('办理中')
  const scan = join(app.dataDir, '征信异议处理制度（盖章）.png')
  writeFileSync(
    scan,
    Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64'),
  )
  await app.willOpen(scan)
  await page.getByTestId('task-history').getByRole('button', { name: '上传盖章扫描件' }).click()
  await expect(page.getByTestId('task-file-征信异议处理制度（盖章）.png')).toBeVisible()
  const later = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10)
  await firstUnit.getByRole('button', { name: '申请延期' }).click()
  await page.getByTestId('task-dialog').locator('input[placeholder]').first().fill(later)
  await page.getByTestId('task-dialog').locator('input[placeholder]').first().press('Enter')
  await page.getByTestId('task-text').fill('需经市政府常务会议审议')
  await page.getByTestId('task-confirm').click()
  await expect(page.getByTestId('task-history')).toContainText('申请延期')
  // B: 三.(一).3 — submitted as done (the supervisor will return it).
  const taskB = await openTask(page, '完善地方、部门信用管理制度')
  await page.getByTestId('task-assign').click()
  await firstUnit.getByRole('button', { name: '签收', exact: true }).click()
  await firstUnit.getByRole('button', { name: '提交办结' }).click()
  await page.getByTestId('task-text').fill('已出台政务领域信用记录建设办法')
  await page.getByTestId('task-confirm').click()
  await expect(firstUnit).toContainText('待审核')
  // C: 三.(二).3 — assigned and left alone: overdue.
  await openTask(page, '行业信用信息系统建设')
  await page.getByTestId('task-assign').click()
  await expect(page.getByTestId('task-light')).toHaveText('逾期')
  await createUser(page, SUPERVISOR)
  await logout(page)

  // The supervisor: approves A's extension, returns B, sends a 督办函 for C.
  await firstLogin(page, SUPERVISOR, SUP_PASSWORD)
  await page.getByTestId('sidebar').getByText('审核队列').click()
  const queue = page.getByTestId('reviews-table').locator('tbody tr')
  await expect(queue).toHaveCount(2)
  await expect(queue.filter({ hasText: '延期审批' })).toContainText(`2017-06-30 → ${later}`)
  await expect(queue.filter({ hasText: '办结审核' })).toContainText('已出台政务领域信用记录建设办法')
  await snap(page, '47-review-queue')
  await queue.filter({ hasText: '延期审批' }).getByRole('button', { name: '处理' }).click()
  await expect(page).toHaveURL(taskA)
  await page.getByRole('button', { name: '审批' }).click()
  await page.getByTestId('task-text').fill('同意延期')
  await page.getByTestId('task-confirm').click()
  await expect(firstUnit).toContainText(later)
  await expect(page.getByTestId('task-light')).not.toHaveText('逾期')
  await page.getByTestId('sidebar').getByText('审核队列').click()
  await expect(queue).toHaveCount(1)
  await queue.getByRole('button', { name: '处理' }).click()
  await expect(page).toHaveURL(taskB)
  await firstUnit.getByRole('button', { name: '审核', exact: true }).click()
  await page.getByTestId('task-dialog').getByText('退回').click()
  await page.getByTestId('task-text').fill('请附办法文本及印发通知')
  await page.getByTestId('task-confirm').click()
  await expect(firstUnit).toContainText('已退回')
  await page.getByTestId('sidebar').getByText('催办清单').click()
  const overdue = page.getByTestId('due-table').locator('tbody tr').filter({ hasText: '行业信用信息系统建设' })
  await expect(overdue.first()).toContainText('逾期')
  await overdue.first().getByRole('button', { name: '发督办函' }).click()
  const newDeadline = new Date(Date.now() + 14 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10)
  await page.locator('[data-field="newDeadline"] input').fill(newDeadline)
  await page.locator('[data-field="newDeadline"] input').press('Enter')
  await page.getByTestId('letter-issue').click()
  await expect(page.getByTestId('letter-number')).toHaveText(/^信用督〔\d{4}〕1号$/)
  await expect(page.getByTestId('letter-page')).toContainText('行业信用信息系统建设')
  await page.getByTestId('letter-docx').click()
  await expect(page.getByText('已导出到').filter({ hasText: '督办函' })).toBeVisible()
  expect(readdirSync(join(app.dataDir, 'exports')).some((f) => f.endsWith('.docx'))).toBe(true)
  await logout(page)

  // The unit answers the return and resubmits; the supervisor passes it.
  await login(page, ADMIN.username, ADMIN.password)
  await expect(page.getByText('王管理，您好')).toBeVisible()
  await page.goto(taskB)
  await expect(firstUnit).toContainText('已退回')
  await firstUnit.getByRole('button', { name: '提交办结' }).click()
  await page.getByTestId('task-text').fill('已补充办法文本及印发通知')
  await page.getByTestId('task-confirm').click()
  await expect(firstUnit).toContainText('待审核')
  await logout(page)
  await login(page, SUPERVISOR.username, SUP_PASSWORD)
  await expect(page.getByText('李督查，您好')).toBeVisible()
  await page.goto(taskB)
  await firstUnit.getByRole('button', { name: '审核', exact: true }).click()
  await page.getByTestId('task-dialog').getByText('通过').click()
  await page.getByTestId('task-text').fill('材料齐全')
  await page.getByTestId('task-confirm').click()
  await expect(firstUnit).toContainText('已办结')
  // The other units of B have not finished: the task as a whole stays open.
  await expect(page.getByTestId('task-status')).toHaveText('已交办')
  const history = page.getByTestId('task-history')
  for (const step of ['交办', '签收', '提交办结', '审核']) await expect(history).toContainText(step)
  await expect(history).toContainText('请附办法文本及印发通知')

  // The numbers: 3 tasks assigned, 1 completed; the units ranked; the circular as Excel.
  await page.getByTestId('sidebar').getByText('督办统计').click()
  await expect(page.getByTestId('dashboard-page').locator('canvas')).toHaveCount(4)
  // 市发展改革委 leads B (done after one return) and C (overdue).
  const ndrc = page.getByTestId('scores-table').locator('tbody tr').filter({ hasText: '市发展改革委' }).first()
  await expect(ndrc.locator('td').nth(3)).toHaveText('1') // 完成
  await expect(ndrc.locator('td').nth(6)).toHaveText('1') // 逾期
  await expect(ndrc.locator('td').nth(7)).toHaveText('1') // 退回
  await snap(page, '46-wuzhou-dashboard')
  await page.getByTestId('export-circular').click()
  await expect(page.getByText('已导出到').filter({ hasText: '督办通报' })).toBeVisible()
})
