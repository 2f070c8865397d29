import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import JSZip from 'jszip'
import { join } from 'node:path'
import { PLAN } from '../tests/fixtures/sample-plan'
import { test, expect, snap } from './fixtures'
import { createUser, firstLogin, logout, setUpOfficeAndLogIn } from './pages'

const SUPERVISOR = { username: 'sup1', displayName: '周审核', roles: ['审核人员'], password: 'Init#2026b' }
const CLERK = { username: 'clerk1', displayName: '李业务', roles: ['业务人员'], password: 'Init#2026a' }

test('a work plan becomes reviewed tasks: parsed, units matched or created, confirmed', async ({ app }) => {
  const { page } = app
  await setUpOfficeAndLogIn(page)
  // The office's tree spells one unit in full; the plan prints its short name.
  const created = await page.evaluate(() =>
    (globalThis as unknown as { api: Record<string, (x: unknown) => Promise<{ ok: boolean }>> }).api['units:create']!({
      parentId: null,
      name: '县发展和改革局',
      kind: 'county_dept',
      sortOrder: 1,
    }),
  )
  expect(created.ok).toBe(true)
  // The administrator sets up the people; the business is theirs (三员分立).
  await createUser(page, CLERK)
  await createUser(page, SUPERVISOR)
  await logout(page)
  await firstLogin(page, CLERK, 'Clerk#2026new')
  const file = join(app.dataDir, '某某县2026年工作要点.txt')
  writeFileSync(file, PLAN)
  await app.willOpen(file)

  await page.getByTestId('sidebar').getByText('工作要点').click()
  await page.getByTestId('plan-new').click()
  await page.getByTestId('plan-choose').click()
  await expect(page.getByText('识别出 6 项任务')).toBeVisible()
  await expect(page.getByTestId('plan-title').locator('input').or(page.getByTestId('plan-title'))).toHaveValue(
    '某某县2026年社会信用体系建设工作要点',
  )
  const unitPanel = page.getByTestId('plan-units')
  await expect(unitPanel).toContainText('县发展改革局')
  await expect(unitPanel).toContainText('简称') // matched to 县发展和改革局 by its normalised name
  await expect(page.getByTestId('plan-confirm')).toBeDisabled()
  await snap(page, '40-plan-review')
  // Every other name is new to this office: create them, in one click.
  await expect(page.getByTestId('plan-create-all')).toHaveText(/^其余 \d+ 个全部新建$/)
  await page.getByTestId('plan-create-all').click()
  await expect(page.getByTestId('plan-create-all')).toHaveCount(0)
  await page.getByTestId('plan-confirm').click()
  await expect(page.getByText('已保存 6 项任务')).toBeVisible()
  await expect(page.getByTestId('plans-table')).toContainText('某信用〔2026〕3号')
  const tasks = page.getByTestId('plan-tasks')
  await expect(tasks.locator('tbody tr')).toHaveCount(6)
  await expect(tasks.locator('tbody tr').first()).toContainText('县发展和改革局')
  await expect(tasks.locator('tbody tr').first()).toContainText('每月22日前')
  await snap(page, '41-plan-tasks')

  // The loop for the first task: 交办, the lead unit signs, reports progress, submits; a supervisor returns it once, then passes it.
  await tasks.locator('tbody tr').first().click()
  await page.getByTestId('task-assign').click()
  await expect(page.getByTestId('task-status')).toHaveText('已交办')
  const units = page.getByTestId('task-units')
  const lead = units.locator('tbody tr').first()
  await lead.getByRole('button', { name: '签收', exact: true }).click()
  await lead.getByRole('button', { name: '反馈进展' }).click()
  await page.getByTestId('task-text').fill('已完成平台升级方案评审')
  await page.getByTestId('task-confirm').click()
  await expect(lead).toContainText('办理中')
  // The stamped scan behind the report.
  const scan = join(app.dataDir, '进展情况（盖章）.png')
  writeFileSync(
    scan,
    Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64'),
  )
  await app.willOpen(scan)
  await page.getByTestId('task-history').getByRole('button', { name: '上传盖章扫描件' }).click()
  await page.getByTestId('task-file-进展情况（盖章）.png').click()
  await expect(page.getByTestId('attachment-preview').locator('img')).toBeVisible()
  await page.getByTestId('attachment-preview').getByRole('button', { name: '关闭', exact: true }).click()
  // More time is asked for (reason, a later date); the supervisor decides below.
  const later = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10)
  await lead.getByRole('button', { name: '申请延期' }).click()
  await page.getByTestId('task-dialog').locator('input[placeholder]').first().fill(later)
  await page.getByTestId('task-dialog').locator('input[placeholder]').first().press('Enter')
  await page.getByTestId('task-text').fill('设备到货延迟')
  await page.getByTestId('task-confirm').click()
  await expect(page.getByTestId('task-history')).toContainText('申请延期')
  await lead.getByRole('button', { name: '提交办结' }).click()
  await page.getByTestId('task-text').fill('平台已升级上线，附验收报告')
  await page.getByTestId('task-confirm').click()
  await expect(lead).toContainText('待审核')
  await expect(page.getByTestId('task-light')).toBeVisible()
  const taskUrl = page.url()
  // 二.2 was due by 10月前 (30 Sep 2026): assigned now, it is overdue at once.
  // "Back" goes where the user came from: here the plan's page (工作要点).
  await expect(page.getByTestId('back-link')).toHaveText('← 返回工作要点')
  await page.getByTestId('back-link').click()
  await page.getByTestId('plan-tasks').locator('tbody tr').filter({ hasText: '规范双公示' }).click()
  await page.getByTestId('task-assign').click()
  await expect(page.getByTestId('task-light')).toHaveText('逾期')
  // Red, not merely labelled: Element Plus's danger tag.
  await expect(page.getByTestId('task-light')).toHaveClass(/el-tag--danger/)
  await expect(page.getByTestId('task-light')).toHaveCSS('color', 'rgb(245, 108, 108)')
  await logout(page)
  await firstLogin(page, SUPERVISOR, 'Revw#2026new')
  // The supervisor opens the task from the 审核队列 (its completion card leads there, filtered), and comes back to it.
  await page.getByTestId('todo-completionsToReview').click()
  await expect(page.getByTestId('reviews-table').locator('tbody tr')).toHaveCount(1)
  await page.getByTestId('reviews-table').getByRole('button', { name: '处理' }).click()
  await expect(page.getByTestId('breadcrumb')).toHaveText(/工作台\s*\/\s*督查督办\s*\/\s*工作要点\s*\/\s*任务详情/)
  await expect(page.getByTestId('back-link')).toHaveText('← 返回审核队列')
  await page.getByTestId('back-link').click()
  await expect(page.getByTestId('reviews-page')).toBeVisible()
  await page.goto(taskUrl)
  await page.getByRole('button', { name: '审批' }).click()
  await page.getByTestId('task-text').fill('同意延期')
  await page.getByTestId('task-confirm').click()
  await expect(units.locator('tbody tr').first()).toContainText(later)
  await units.locator('tbody tr').first().getByRole('button', { name: '审核', exact: true }).click()
  await page.getByTestId('task-dialog').getByText('退回').click()
  await page.getByTestId('task-text').fill('缺少验收报告盖章页')
  await page.getByTestId('task-confirm').click()
  await expect(units.locator('tbody tr').first()).toContainText('已退回')
  const history = page.getByTestId('task-history')
  for (const step of ['交办', '签收', '进展反馈', '申请延期', '延期审批', '提交办结', '审核']) await expect(history).toContainText(step)
  await expect(history).toContainText('缺少验收报告盖章页')
  await snap(page, '42-task-loop')

  // 催办: the overdue units, and a 督办函 with the year's first number, printable and as Word.
  await page.getByTestId('sidebar').getByText('催办清单').click()
  // (Rows of other tasks appear here too once their own deadlines pass; the plan is dated 2026.)
  const overdue = page.getByTestId('due-table').locator('tbody tr').filter({ hasText: '规范双公示' })
  await expect(overdue).toHaveCount(2)
  await overdue.first().getByRole('button', { name: '发函' }).click()
  // A 督办函 (not the default first step, a 提醒函), to both overdue units of the task.
  const letterDialog = page.getByTestId('letter-dialog')
  await letterDialog.getByTestId('letter-level-letter').click()
  await letterDialog.getByTestId('letter-recipients').getByText('县直有关部门').click()
  const deadline = new Date(Date.now() + 14 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10)
  await page.locator('[data-field="newDeadline"] input').fill(deadline)
  await page.locator('[data-field="newDeadline"] input').press('Enter')
  await page.getByTestId('letter-issue').click()
  const officeYear = new Date(Date.now() + 8 * 3600_000).getUTCFullYear() // the letter is numbered in Beijing's year
  await expect(page.getByTestId('letter-number')).toHaveText(`信用督〔${officeYear}〕1号`)
  await expect(page.getByTestId('letter-page')).toContainText('各乡（镇、街道）、县直有关部门')
  // Laid out as a 公文: the issuing office in the red head, 主送 first, the date written out, 版记 with 抄送 if given.
  await expect(page.getByTestId('letter-office')).toHaveText('示例县社会信用体系建设领导小组办公室')
  await expect(page.getByTestId('letter-to')).toHaveText('各乡（镇、街道）、县直有关部门：')
  await expect(page.getByTestId('letter-date')).toHaveText(/^\d{4}年\d{1,2}月\d{1,2}日$/)
  await expect(page.getByTestId('letter-colophon-copy')).toHaveCount(0)
  await page.getByTestId('letter-copy-to').fill('县人民政府督查室')
  await expect(page.getByTestId('letter-colophon-copy')).toHaveText('抄送：县人民政府督查室。')
  await snap(page, '43-letter')
  await expect(page.getByTestId('back-link')).toHaveText('← 返回催办清单')
  await page.getByTestId('letter-docx').click()
  await expect(page.getByText('已导出到').filter({ hasText: '督办函' })).toBeVisible()
  const docx = readdirSync(join(app.dataDir, 'exports')).find((f) => f.endsWith('.docx'))!
  const xml = await (await JSZip.loadAsync(readFileSync(join(app.dataDir, 'exports', docx)))).file('word/document.xml')!.async('string')
  expect(xml).toContain('督 办 函')

  // The supervisor's picture: charts drawn, units ranked, the 通报 as Excel.
  await page.getByTestId('sidebar').getByText('督办统计').click()
  await expect(page.getByTestId('dashboard-page').locator('canvas')).toHaveCount(4)
  await expect(page.getByTestId('scores-table')).toContainText('县发展和改革局')
  await page.getByTestId('export-circular').click()
  await expect(page.getByText('已导出到').filter({ hasText: '督办通报' })).toBeVisible()
  await snap(page, '44-dashboard')
  // The supervisor tunes the yellow light and the 考核 weights.
  await page.getByTestId('supervision-settings').click()
  const dialog = page.getByTestId('settings-dialog')
  await expect(dialog.locator('input').first()).toHaveValue('5')
  await dialog.locator('input').first().fill('8')
  await dialog.getByTestId('weight-return').locator('input').fill('3')
  await snap(page, '45-supervision-settings')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('dashboard-page')).toContainText('退回次数 × 3')
  expect(readdirSync(join(app.dataDir, 'exports')).some((f) => f.startsWith('督办通报-'))).toBe(true)

  // The rest of the plan goes out in one step: 全部交办, confirmed, and no task is left waiting.
  await page.getByTestId('sidebar').getByText('工作要点').click()
  const waiting = page.getByTestId('plan-tasks').locator('tbody tr').filter({ hasText: '待交办' })
  const count = await waiting.count()
  expect(count).toBeGreaterThan(0)
  await expect(page.getByTestId('plan-assign-all')).toHaveText(`全部交办（${count} 项待交办）`)
  await page.getByTestId('plan-assign-all').click()
  await page.locator('.el-message-box').getByRole('button', { name: '交办' }).click()
  await expect(page.getByText(`已交办 ${count} 项任务`)).toBeVisible()
  await expect(waiting).toHaveCount(0)
  await expect(page.getByTestId('plan-assign-all')).toBeDisabled()
  await snap(page, '46-plan-assigned')
})
