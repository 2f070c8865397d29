// 督查督办 as offices run it (issue #18's acceptance): a supervisor sets up a task from a 领导批示 and a second one
// publishes it → the clerk exports 县发展改革局's 反馈表 → the filled form brings progress for two tasks and a completion
// request for a third (one changed row refused with its reason) → an overdue unit gets a 提醒函, then a 督办函 whose
// reply deadline becomes its deadline → its reply is recorded with a scan → the completion is approved with an
// evaluation → the 台账 is exported and read back → the dashboard's 考核 shows the evaluation.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { Page } from '@playwright/test'
import { test, expect, snap } from './fixtures'
import { createUser, firstLogin, login, logout, pick, setUpOfficeAndLogIn } from './pages'

const CLERK = { username: 'clerk1', displayName: '李业务', roles: ['业务人员'], password: 'Init#2026a' }
const SUP1 = { username: 'sup1', displayName: '周审核', roles: ['审核人员'], password: 'Init#2026b' }
const SUP2 = { username: 'sup2', displayName: '吴审核', roles: ['审核人员'], password: 'Init#2026c' }
const PASSWORD = { clerk1: 'Clerk#2026new', sup1: 'Revw#2026one', sup2: 'Revw#2026two' }
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64')

/** A day counted from today in Beijing (the office's calendar). */
const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10)

/** Calls the app's own API from the page, as the signed-in user (setup steps the spec does not walk through). */
async function api<T>(page: Page, name: string, input: unknown = {}): Promise<T> {
  const r = await page.evaluate(
    ([n, i]) =>
      (globalThis as unknown as { api: Record<string, (x: unknown) => Promise<{ ok: boolean; data?: unknown; error?: unknown }>> }).api[n]!(
        i,
      ),
    [name, input] as const,
  )
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`)
  return r.data as T
}

async function signInAs(page: Page, user: typeof CLERK) {
  await logout(page)
  await login(page, user.username, PASSWORD[user.username as keyof typeof PASSWORD])
  await expect(page.getByTestId('home-page')).toBeVisible()
}

/** Types a date into the picker of the form item marked data-field. */
async function setDate(page: Page, field: string, value: string) {
  const input = page.locator(`[data-field="${field}"]:visible input`)
  await input.fill(value)
  await input.press('Enter')
}

test('督查督办 as offices run it: 立项, 反馈表, letters, replies, evaluation, 台账 and 考核', async ({ app }) => {
  test.setTimeout(240_000)
  const { page } = app
  await setUpOfficeAndLogIn(page)
  for (const [i, name] of ['县发展改革局', '县数据局', '县财政局'].entries())
    await api(page, 'units:create', { parentId: null, name, kind: 'county_dept', sortOrder: i + 1 })
  for (const u of [CLERK, SUP1, SUP2]) await createUser(page, u)
  await logout(page)
  for (const u of [CLERK, SUP2, SUP1]) {
    await firstLogin(page, u, PASSWORD[u.username as keyof typeof PASSWORD])
    if (u !== SUP1) await logout(page)
  }

  // 1. 立项 from a 领导批示, by 周审核.
  await page.getByTestId('sidebar').getByText('督办台账').click()
  await page.getByTestId('ledger-new-task').click()
  await page.getByTestId('nt-title').fill('落实县长批示：清理历史失信被执行人名单')
  await page.getByTestId('nt-basis-kind').getByText('领导批示').click()
  await page.getByTestId('nt-basis-text').fill('县长张某某在《信用工作专报》第5期上的批示')
  await page.getByTestId('nt-basis-doc').fill('县领导批示〔2026〕12号')
  await page.getByTestId('nt-content').fill('请县发展改革局牵头，会同县数据局，于限期内完成历史失信被执行人名单清理并报送结果。')
  await pick(page, 'nt-type', '重点督办')
  // Multiple selects stay open after a pick: Escape closes each before the next.
  for (const [testId, unit] of [
    ['nt-lead', '县发展改革局'],
    ['nt-cooperating', '县数据局'],
  ]) {
    await pick(page, testId!, unit!)
    await page.keyboard.press('Escape')
    await expect(page.locator('.el-select-dropdown:visible')).toHaveCount(0)
  }
  await setDate(page, 'deadline', day(60))
  await snap(page, '100-new-task')
  await page.getByTestId('nt-save').click()
  await expect(page.getByTestId('task-status')).toHaveText('草稿')
  await expect(page.getByTestId('task-basis')).toContainText('县领导批示〔2026〕12号')
  await page.getByTestId('task-publish').click()
  await expect(page.getByTestId('task-status')).toHaveText('待审核发布')
  await expect(page.getByTestId('task-publish')).toHaveCount(0) // not by the one who asked
  const manualTaskUrl = page.url()

  // 2. 吴审核 publishes it from the 工作台; and brings in three plan items for the same unit (one already overdue).
  await signInAs(page, SUP2)
  await page.getByTestId('todo-publishToDecide').click()
  await page.getByTestId('reviews-table').getByRole('button', { name: '处理' }).click()
  await page.getByTestId('task-publish').click()
  await expect(page.getByTestId('task-status')).toHaveText('已交办')
  await expect(page.getByTestId('task-units')).toContainText('待签收')
  const plan = (over: object) => ({
    section: '重点任务',
    deadlineText: null,
    recurring: null,
    source: '',
    units: { lead: ['县发展改革局'], responsible: [], cooperating: [] },
    ...over,
  })
  const units = await api<{ units: Array<{ id: number; name: string }> }>(page, 'units:tree')
  const { planId } = await api<{ planId: number }>(page, 'plans:confirm', {
    title: '某某县2026年社会信用体系建设工作要点',
    issuer: null,
    docNumber: '某信用〔2026〕3号',
    year: 2026,
    sourceFile: null,
    tasks: [
      plan({ path: ['1'], number: '1', title: '推进信用平台升级', deadline: day(45) }),
      plan({ path: ['2'], number: '2', title: '制定信用承诺实施办法', deadline: day(30) }),
      plan({
        path: ['3'],
        number: '3',
        title: '规范双公示目录',
        deadline: day(-3),
        units: { lead: ['县发展改革局'], responsible: ['县财政局'], cooperating: [] },
      }),
    ],
    resolutions: units.units.map((u) => ({ name: u.name, unitId: u.id, create: false })),
  })
  const planTasks = await api<Array<{ id: number; title: string }>>(page, 'plans:tasks', { planId })
  await api(page, 'tasks:assign-many', { taskIds: planTasks.map((t) => t.id) })

  // 3. The clerk exports 县发展改革局's 反馈表 …
  await signInAs(page, CLERK)
  await page.getByTestId('sidebar').getByText('督办台账').click()
  await expect(page.getByTestId('ledger-table').locator('tbody tr')).toHaveCount(6)
  await page.getByTestId('feedback-form').click()
  await pick(page, 'feedback-form-unit', '县发展改革局')
  await page.getByTestId('feedback-form-save').click()
  await expect(page.getByText('已导出到').filter({ hasText: '反馈表' })).toBeVisible()
  const day0 = day(0)
  const form = app.savedFile(`县发展改革局-督办事项反馈表-${day0}.xlsx`)
  // … the unit fills it in (two progress reports, one completion request) and changes one task number by mistake.
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.readFile(form)
  const ws = wb.worksheets[0]!
  const rowOf = (title: string) => ws.getRows(4, ws.rowCount - 3)!.find((r) => String(r.getCell(3).value).includes(title))!
  rowOf('清理历史失信').getCell(6).value = '已完成 2019 年以前名单的清理'
  rowOf('清理历史失信').getCell(7).value = 30
  rowOf('推进信用平台升级').getCell(6).value = '升级方案已批复，设备已到货'
  rowOf('推进信用平台升级').getCell(7).value = 50
  rowOf('制定信用承诺实施办法').getCell(6).value = '实施办法已印发'
  rowOf('制定信用承诺实施办法').getCell(9).value = '是'
  const changed = rowOf('规范双公示目录')
  changed.getCell(1).value = '99999'
  changed.getCell(6).value = '目录已梳理'
  changed.getCell(7).value = 40
  await wb.xlsx.writeFile(form)
  await app.willOpen(form)
  await page.getByTestId('feedback-import').click()
  const preview = page.getByTestId('feedback-preview')
  await expect(page.getByTestId('feedback-summary')).toHaveText(
    '共 4 行：进展反馈 2 项、办结申请 1 项可以导入；未填写 0 行；有问题 1 行（不导入）。',
  )
  await expect(page.getByTestId('feedback-issues')).toContainText('任务编号 99999 不存在（可能被改动）')
  await snap(page, '101-feedback-preview')
  await preview.getByTestId('feedback-confirm').click()
  await expect(page.getByText('已导入：进展反馈 2 项、办结申请 1 项')).toBeVisible()
  await page.getByTestId('ledger-status').click()
  await page.locator('.el-select-dropdown:visible').getByText('办理中', { exact: true }).click()
  await expect(page.getByTestId('ledger-table').locator('tbody tr')).toHaveCount(2)
  await page.goto(manualTaskUrl)
  await expect(page.getByTestId('task-history')).toContainText('反馈表')
  await expect(page.getByTestId('task-history')).toContainText('已完成 2019 年以前名单的清理')

  // 4. The overdue unit: a 提醒函 from the 催办 list, then a 督办函 from the task; the reply deadline is its deadline.
  await signInAs(page, SUP1)
  await page.getByTestId('sidebar').getByText('催办清单').click()
  const overdue = page
    .getByTestId('due-table')
    .locator('tbody tr')
    .filter({ hasText: '规范双公示目录' })
    .filter({ hasText: '县发展改革局' })
  await overdue.getByRole('button', { name: '发函' }).click()
  const dialog = page.getByTestId('letter-dialog')
  await expect(dialog.getByTestId('letter-level').locator('.is-active')).toContainText('提醒函')
  await expect(dialog.getByTestId('letter-recipients').locator('label.is-checked')).toHaveCount(1) // only the unit chosen
  await setDate(page, 'newDeadline', day(5))
  await snap(page, '102-letter-dialog')
  await dialog.getByTestId('letter-issue').click()
  const year = day(0).slice(0, 4)
  await expect(page.getByTestId('letter-number')).toHaveText(`信用提〔${year}〕1号`)
  await expect(page.getByTestId('letter-title')).toHaveText('提 醒 函')
  await expect(page.getByTestId('letter-to')).toHaveText('县发展改革局：')
  await page.getByTestId('sidebar').getByText('督办台账').click()
  await page.getByTestId('ledger-table').getByRole('button', { name: '3 规范双公示目录' }).first().click()
  const lead = page.getByTestId('task-units').locator('tbody tr').filter({ hasText: '县发展改革局' })
  await expect(lead).toContainText(day(5))
  await expect(lead).toContainText(`信用提〔${year}〕1号`)
  await lead.getByRole('button', { name: '发函' }).click()
  await expect(dialog.getByTestId('letter-level').locator('.is-active')).toContainText('督办函') // one level up
  await setDate(page, 'newDeadline', day(10))
  await dialog.getByTestId('letter-issue').click()
  await expect(page.getByTestId('letter-number')).toHaveText(`信用督〔${year}〕1号`)
  await expect(page.getByTestId('letter-title')).toHaveText('督 办 函')
  await snap(page, '103-letter')
  await page.goBack()
  await expect(lead).toContainText(day(10))
  await expect(page.getByTestId('task-history')).toContainText(`督办函 信用督〔${year}〕1号`)
  // A 现场督办 is logged on the same task.
  await page.getByTestId('task-contact').click()
  await page.getByTestId('contact-dialog').getByText('现场督办', { exact: true }).click()
  await page.getByTestId('contact-held-by').fill('县信用办 周审核')
  await page.getByTestId('contact-counterpart').fill('县发展改革局 办公室')
  await page.getByTestId('contact-agreed').fill('一周内补齐目录缺项')
  await page.getByTestId('contact-save').click()
  await expect(page.getByTestId('task-history')).toContainText('现场督办（')
  await snap(page, '104-task-letters')

  // 5. The clerk records the unit's reply to the 督办函, with its stamped scan.
  await signInAs(page, CLERK)
  await page.getByTestId('sidebar').getByText('督办函登记簿').click()
  const register = page.getByTestId('register-table')
  await expect(register.locator('tbody tr')).toHaveCount(2)
  const row = register.locator('tbody tr').filter({ hasText: `信用督〔${year}〕1号` })
  await expect(row).toContainText('待回复')
  const scan = join(app.dataDir, '整改报告（盖章）.png')
  writeFileSync(scan, PNG)
  await app.willOpen(scan)
  await row.getByRole('button', { name: '登记回复' }).click()
  await page.getByTestId('reply-text').fill('目录缺项已补齐，整改报告（盖章）附后。')
  await page.getByTestId('reply-save').click()
  await expect(page.getByText('整改报告（盖章）.png')).toBeVisible()
  await expect(row).toContainText('已回复')
  await snap(page, '105-register')

  // 6. 周审核 approves the completion request with an evaluation: 95 / 90 / 100 → 94.5.
  await signInAs(page, SUP1)
  await page.getByTestId('todo-completionsToReview').click()
  await page
    .getByTestId('reviews-table')
    .locator('tbody tr')
    .filter({ hasText: '制定信用承诺实施办法' })
    .getByRole('button', { name: '处理' })
    .click()
  await page.getByTestId('task-units').getByRole('button', { name: '审核', exact: true }).click()
  await page.getByTestId('review-quality').locator('input').fill('95')
  await page.getByTestId('review-efficiency').locator('input').fill('90')
  await page.getByTestId('review-satisfaction').locator('input').fill('100')
  await page.getByTestId('task-text').fill('实施办法已印发，材料齐全')
  await snap(page, '106-review-evaluation')
  await page.getByTestId('task-confirm').click()
  await expect(page.getByTestId('unit-evaluation')).toHaveText('办结评价 94.5')

  // 7. The 台账, exported and read back.
  await page.getByTestId('sidebar').getByText('督办台账').click()
  await page.getByTestId('ledger-export').click()
  await expect(page.getByText('已导出到').filter({ hasText: '督查督办台账' })).toBeVisible()
  const ledger = new ExcelJS.Workbook()
  await ledger.xlsx.readFile(app.savedFile(`督查督办台账-${day0}.xlsx`))
  const rows = (ledger.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]).slice(2)
  expect(rows).toHaveLength(6)
  const done = rows.find((r) => r[4] === '制定信用承诺实施办法')!
  expect([done[5], done[8], done[14]]).toEqual(['县发展改革局', '已办结', 94.5])
  expect(rows.find((r) => r[4] === '规范双公示目录' && r[5] === '县发展改革局')![13]).toBe(`信用提〔${year}〕1号、信用督〔${year}〕1号`)
  await snap(page, '107-ledger')

  // 8. The dashboard's 考核 reflects the evaluation: 县发展改革局 has one item due (done, on time) evaluated 94.5.
  await page.getByTestId('sidebar').getByText('督办统计').click()
  const scored = page.getByTestId('scores-table').locator('tbody tr').filter({ hasText: '县发展改革局' })
  await expect(scored).toContainText('94.5')
  await expect(scored).toContainText('98.4') // 100 % × 70 + 94.5 % × 30
  await expect(page.getByTestId('scores-table').locator('tbody tr').filter({ hasText: '县数据局' })).toContainText('暂无应办结事项')
  await expect(page.getByTestId('score-method')).toContainText('只计应办结事项')
  await expect(page.getByTestId('contact-totals')).toContainText('现场督办 1 次')
  await snap(page, '108-dashboard')

  // The task set up by hand is split: 县数据局 gets a task of its own.
  await page.goto(manualTaskUrl)
  await page.getByTestId('task-split').click()
  await page.getByTestId('split-title').fill('县数据局负责的数据比对')
  await page.getByTestId('split-units').getByText('县数据局').click()
  await page.getByTestId('split-save').click()
  await expect(page.getByTestId('task-page')).toContainText('1之2 县数据局负责的数据比对')
  await expect(page.getByTestId('task-units').locator('tbody tr')).toHaveCount(1)
  await expect(page.getByTestId('task-units')).toContainText('县数据局')
  await expect(page.getByTestId('task-history')).toContainText('由 1 拆分而来')

  // The new pages at 1024×768, as a county PC shows them.
  await page.setViewportSize({ width: 1024, height: 768 })
  for (const [menu, shot] of [
    ['督办台账', '109-ledger-1024'],
    ['督办函登记簿', '110-register-1024'],
    ['督办统计', '111-dashboard-1024'],
  ]) {
    await page.getByTestId('sidebar').getByText(menu!).click()
    await snap(page, shot!)
  }
  await page.getByTestId('scores-table').scrollIntoViewIfNeeded()
  await snap(page, '111-scores-1024')
  await page.goto(manualTaskUrl)
  await expect(page.getByTestId('task-page')).toBeVisible()
  await snap(page, '112-task-1024')
})
