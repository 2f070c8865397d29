import ExcelJS from 'exceljs'
import dayjs from 'dayjs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { DISCLOSURE_RULES } from '../db/migrations/20261122100000_create_calendar_and_disclosure_rules'
import { disclosureWindow, type DisclosureRule } from '../electron/core/catalog/disclosure'
import { beijingDate } from '../electron/core/catalog/record-context'
import { test, expect, snap } from './fixtures'
import { changeInitialPassword, createUser, login, logout, pick, setUpOfficeAndLogIn } from './pages'

const CLERK = { username: 'clerk1', displayName: '李业务', roles: ['业务人员'], password: 'Init#2026a' }
const SUPERVISOR = { username: 'sup1', displayName: '周审核', roles: ['审核人员'], password: 'Init#2026b' }
const RULES: DisclosureRule[] = DISCLOSURE_RULES.map((r) => ({
  effectiveFrom: r.effective_from,
  level: r.level as DisclosureRule['level'],
  minMonths: r.min_months,
  maxMonths: r.max_months,
  basis: r.basis,
}))

// Dates are relative to the day the test runs (the app measures lateness against today).
const today = beijingDate(Date.now())
const daysAgo = (n: number) => dayjs(today).subtract(n, 'day').format('YYYY-MM-DD')
/** A decision date whose 一般 disclosure period ends 10–20 days from now, under whichever rule applies. */
function expiringDecision(): string {
  for (let d = dayjs(today).subtract(3, 'month'); ; d = d.subtract(1, 'day')) {
    const w = disclosureWindow(RULES, d.format('YYYY-MM-DD'), 'general')!
    if (w.endsOn <= dayjs(today).add(20, 'day').format('YYYY-MM-DD')) return d.format('YYYY-MM-DD')
  }
}

const ROW = {
  XDR_MC: '',
  XDR_LB: '法人和非法人组织',
  XDR_SHXYM: '91350100M000100Y43',
  CF_WSH: '',
  CF_WFXW: '未按规定明码标价',
  CF_SY: '经查属实',
  CF_YJ: '《价格法》第十三条',
  CF_CFLB: '罚款',
  CF_NR: '罚款人民币五千元',
  CF_NR_FK: 0.5,
  CF_JDRQ: '',
  CF_YXQ: '',
  CF_CFJG: '某县市场监督管理局',
  CF_CFJGDM: '91440300708461136T',
  CF_SJLY: '某县市场监督管理局',
  CF_SJLYDM: '91440300708461136T',
}

async function departmentWorkbook(path: string, rows: number, opts: { badRow?: number; lateRows?: number } = {}) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path })
  const ws = wb.addWorksheet('行政处罚')
  ws.addRow([
    '行政相对人名称',
    '行政相对人类别',
    '统一社会信用代码',
    '行政处罚决定书文号',
    '违法行为类型',
    '违法事实',
    '处罚依据',
    '处罚类别',
    '处罚内容',
    '罚款金额（万元）',
    '处罚决定日期',
    '处罚有效期',
    '处罚机关',
    '处罚机关统一社会信用代码',
    '数据来源单位',
    '数据来源单位统一社会信用代码',
  ]).commit()
  for (let i = 1; i <= rows; i++) {
    const decided = i <= (opts.lateRows ?? 0) ? daysAgo(40) : today
    const r = {
      ...ROW,
      XDR_MC: `某某商贸有限公司${i}`,
      CF_WSH: `县市监罚〔2026〕${i}号`,
      CF_JDRQ: decided,
      CF_YXQ: dayjs(decided).add(1, 'year').format('YYYY-MM-DD'),
    }
    if (i === opts.badRow) r.XDR_SHXYM = '91350100M000100Y44'
    ws.addRow(Object.values(r)).commit()
  }
  ws.commit()
  await wb.commit()
}

async function fillDate(page: Page, field: string, date: string) {
  const input = page.locator(`[data-field="${field}"] input`)
  await input.fill(date)
  await input.press('Enter')
}

async function enterPenalty(page: Page, v: { name: string; code: string; doc: string; decided: string }) {
  await page.getByTestId('records-add').click()
  const form = page.getByTestId('record-form')
  await expect(form).toBeVisible()
  await form.getByTestId('field-XDR_MC').fill(v.name)
  await pick(page, 'field-XDR_LB', '法人和非法人组织')
  await form.getByTestId('field-XDR_SHXYM').fill(v.code)
  await form.getByTestId('field-CF_WSH').fill(v.doc)
  await form.getByTestId('field-CF_WFXW').fill('销售过期食品')
  await form.getByTestId('field-CF_SY').fill('经查，当事人销售超过保质期的食品。')
  await form.getByTestId('field-CF_YJ').fill('《中华人民共和国食品安全法》第一百二十四条')
  await pick(page, 'field-CF_CFLB', '罚款')
  await form.getByTestId('field-CF_NR').fill('罚款人民币伍万元')
  await form.getByTestId('field-CF_NR_FK').fill('5')
  await fillDate(page, 'CF_JDRQ', v.decided)
  await fillDate(page, 'CF_YXQ', dayjs(v.decided).add(1, 'year').format('YYYY-MM-DD'))
  await form.getByTestId('field-CF_CFJG').fill('某县市场监督管理局')
  await form.getByTestId('field-CF_CFJGDM').fill('91440300708461136T')
  await form.getByTestId('field-CF_SJLY').fill('某县市场监督管理局')
  await form.getByTestId('field-CF_SJLYDM').fill('91440300708461136T')
  await page.getByTestId('record-save').click()
}

/** Keys pressed besides the typed text (Tab, Enter, Ctrl+Enter, Esc), for the note's keystroke count. */
const pressed = { tabs: 0 }

/** Presses Tab until the focus is inside the named data item (the keyboard is all the user has). */
async function tabTo(page: Page, field: string) {
  for (let i = 0; i < 40; i++) {
    const inside = await page
      .locator(`[data-field="${field}"]`)
      .evaluate((el) => el.contains((el.ownerDocument as unknown as { activeElement: unknown }).activeElement as never))
    if (inside) return
    await page.keyboard.press('Tab')
    pressed.tabs++
  }
  throw new Error(`Tab never reached ${field}`)
}

async function typeInto(page: Page, field: string, text: string, confirm = false) {
  await tabTo(page, field)
  await page.keyboard.type(text)
  if (confirm) await page.keyboard.press('Enter') // a dictionary select picks the first match; a date is taken
}

test('a clerk enters two records from the keyboard alone: grouped form, 自然人 switches its items, 保存并继续 keeps the authority', async ({
  app,
}) => {
  const { page } = app
  await setUpOfficeAndLogIn(page)
  await createUser(page, CLERK)
  await logout(page)
  await login(page, CLERK.username, CLERK.password)
  await changeInitialPassword(page, CLERK.password, 'Clerk#2026new')
  await page.goto(page.url().replace(/#.*$/, '#/records?item=SGS_CF'))
  await expect(page.getByTestId('records-page')).toBeVisible()

  let keys = 0
  const press = async (key: string) => {
    keys++
    await page.keyboard.press(key)
  }
  await page.getByTestId('records-add').focus()
  await press('Enter')
  const form = page.getByTestId('record-form')
  await expect(form).toBeVisible()
  await expect(form.locator('[data-section]')).toHaveText([/^行政相对人/, /^决定内容/, /^决定机关与数据来源/, /^其他/])
  await expect(page.getByTestId('field-XDR_MC')).toBeFocused() // focus starts on the first item

  const decision = async (doc: string) => {
    await typeInto(page, 'CF_WSH', doc)
    await typeInto(page, 'CF_WFXW', '未按规定明码标价')
    await typeInto(page, 'CF_SY', '经查属实')
    await typeInto(page, 'CF_YJ', '《价格法》第十三条')
    await typeInto(page, 'CF_CFLB', '罚款', true)
    await typeInto(page, 'CF_NR', '罚款人民币五千元')
    await typeInto(page, 'CF_NR_FK', '0.5')
    await typeInto(page, 'CF_JDRQ', today, true)
    await typeInto(page, 'CF_YXQ', dayjs(today).add(1, 'year').format('YYYY-MM-DD'), true)
  }
  // First record: a company.
  await page.keyboard.type('某某商贸有限公司')
  await typeInto(page, 'XDR_LB', '法人', true)
  await typeInto(page, 'XDR_SHXYM', '91350100M000100Y43')
  await decision('县市监罚〔2026〕201号')
  await typeInto(page, 'CF_CFJG', '某县市场监督管理局')
  await typeInto(page, 'CF_CFJGDM', '91440300708461136T')
  await typeInto(page, 'CF_SJLY', '某县市场监督管理局')
  await typeInto(page, 'CF_SJLYDM', '91440300708461136T')
  await snap(page, '67-record-form-keyboard')
  await page.keyboard.press('Control+Enter') // 保存并继续
  await expect(page.getByTestId('record-saved-count')).toHaveText('本次已保存 1 条')

  // Second record: the authority is kept, the rest is empty again, focus is back on the first item.
  await expect(page.getByTestId('field-CF_CFJG')).toHaveValue('某县市场监督管理局')
  await expect(page.getByTestId('field-CF_WSH')).toHaveValue('')
  await expect(page.getByTestId('field-XDR_MC')).toBeFocused()
  await page.keyboard.type('张某某')
  await typeInto(page, 'XDR_LB', '自然人', true)
  // A natural person has no USCC or 法定代表人; the ID items show instead.
  await expect(page.locator('[data-field="XDR_SHXYM"]')).toHaveCount(0)
  await expect(page.locator('[data-field="FRDB"]')).toHaveCount(0)
  await typeInto(page, 'ZJLX', '居民身份证', true)
  await typeInto(page, 'ZJHM', '11010519491231002X')
  await decision('县市监罚〔2026〕202号')
  await page.keyboard.press('Control+Enter')
  await expect(page.getByTestId('record-saved-count')).toHaveText('本次已保存 2 条')
  await press('Escape') // nothing typed since: closes without asking
  await expect(form).toBeHidden()
  await expect(page.getByTestId('records-table').locator('tbody tr')).toHaveCount(2)
  await expect(page.getByTestId('records-table')).toContainText('110105********002X') // masked on screen
  expect(keys).toBe(2) // the two presses counted here besides typing and Tab: open, close
  test.info().annotations.push({ type: 'keystrokes', description: `two records: ${pressed.tabs} Tab presses, 0 mouse clicks` })

  // Back on 归集数据 later in the session: the clerk's item is still chosen (one pick a visit saved).
  await page.getByTestId('sidebar').getByText('工作台').click()
  await page.getByTestId('sidebar').getByText('归集数据').click()
  await expect(page.getByTestId('records-item')).toContainText('行政处罚信息')
  await expect(page.getByTestId('records-table').locator('tbody tr')).toHaveCount(2)

  // Typed but not saved: Esc asks before anything is thrown away.
  await page.getByTestId('records-add').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('field-XDR_MC')).toBeFocused()
  await page.keyboard.type('某某未保存公司')
  await page.keyboard.press('Escape')
  await expect(page.locator('.el-message-box')).toContainText('已填写的内容尚未保存，确定放弃吗？')
  await page.locator('.el-message-box').getByRole('button', { name: '继续填写' }).click()
  await expect(page.getByTestId('field-XDR_MC')).toHaveValue('某某未保存公司')
})

test('a clerk enters and imports 行政处罚 records, sees late and expiring ones, exports the list; a supervisor approves a 信用修复', async ({
  app,
}) => {
  test.setTimeout(180_000) // a 20,000-row file is read, checked and partly imported
  const { page } = app
  await setUpOfficeAndLogIn(page)
  await createUser(page, CLERK)
  await createUser(page, SUPERVISOR)
  await logout(page)
  await login(page, CLERK.username, CLERK.password)
  await changeInitialPassword(page, CLERK.password, 'Clerk#2026new')

  await page.getByTestId('sidebar').getByText('归集数据').click()
  await pick(page, 'records-item', '行政处罚信息（SGS_CF）')

  // The generated form checks the code's check character and names the field.
  await enterPenalty(page, { name: '某某食品有限公司', code: '91350100M000100Y44', doc: '县市监罚〔2026〕101号', decided: today })
  await expect(page.locator('[data-field="XDR_SHXYM"]')).toContainText('统一社会信用代码校验位不正确')
  await snap(page, '20-record-form-error')
  await page.getByTestId('field-XDR_SHXYM').fill('91350100M000100Y43')
  await page.getByTestId('record-save').click()
  await expect(page.getByText('已保存。')).toBeVisible()

  // A decision 40 days old is past the 7-working-day limit: saved, but flagged late.
  await enterPenalty(page, { name: '某某餐饮有限公司', code: '91350100M000100Y43', doc: '县市监罚〔2026〕88号', decided: daysAgo(40) })
  await expect(page.getByText('已超过 7 个工作日报送时限')).toBeVisible()
  // One whose disclosure period ends within 30 days.
  await enterPenalty(page, { name: '某某建材经营部', code: '91350100M000100Y43', doc: '县市监罚〔2023〕7号', decided: expiringDecision() })
  await expect(page.getByTestId('records-table').locator('tbody tr')).toHaveCount(3)
  // (The old decision is late as well: it is reported years after it was made.)
  await expect(page.getByTestId('stat-late')).toHaveText('2')
  await expect(page.getByTestId('stat-expiring')).toHaveText('1')

  // Import a department's workbook: one bad row, two late ones; preview, error report, valid rows only.
  const file = join(app.dataDir, '县市场监管局-2026年11月行政处罚.xlsx')
  await departmentWorkbook(file, 40, { badRow: 7, lateRows: 2 })
  await app.willOpen(file)
  await page.getByTestId('records-import').click()
  await page.getByTestId('import-choose').click()
  await expect(page.getByTestId('import-counts')).toContainText('共 40 行')
  await expect(page.getByTestId('import-counts')).toContainText('错误 1 行')
  await expect(page.getByTestId('import-counts')).toContainText('逾期报送 2 行')
  await expect(page.getByTestId('import-issues')).toContainText('统一社会信用代码校验位不正确')
  await expect(page.getByTestId('import-issues').locator('tbody tr').first()).toContainText('8') // Excel row 8 = data row 7
  await expect(page.getByTestId('import-start')).toBeDisabled() // all-or-nothing refuses a file with errors
  await expect(page.getByTestId('import-blocked')).toContainText('有 1 行错误：“全部导入或全部不导入”时不能开始')
  await snap(page, '21-import-preview')
  await page.getByTestId('import-errors').click()
  await expect(page.getByText('错误报告已保存到')).toBeVisible()
  const errors = new ExcelJS.Workbook()
  await errors.xlsx.readFile(app.savedFile('县市场监管局-2026年11月行政处罚-错误数据.xlsx'))
  expect(String((errors.worksheets[0]!.getRow(2).values as unknown[]).at(-1))).toContain('统一社会信用代码校验位不正确')
  await page.getByTestId('import-mode').getByText('只导入正确的行').click()
  await expect(page.getByTestId('import-blocked')).toHaveCount(0)
  await page.getByTestId('import-start').click()
  await expect(page.getByTestId('import-done')).toContainText('已导入 39 条')
  await snap(page, '22-import-done')
  await page.getByTestId('import-close').click()
  await expect(page.getByTestId('stat-late')).toHaveText('4')

  // A larger file, cancelled while importing: nothing of it stays.
  const big = join(app.dataDir, 'big.xlsx')
  await departmentWorkbook(big, 20000)
  await app.willOpen(big)
  await page.getByTestId('records-import').click()
  await page.getByTestId('import-choose').click()
  await expect(page.getByTestId('import-counts')).toContainText('共 20000 行', { timeout: 30_000 })
  await page.getByTestId('import-mode').getByText('只导入正确的行').click()
  await page.getByTestId('import-start').click()
  await expect(page.getByTestId('import-progress')).toBeVisible()
  await snap(page, '23-import-progress')
  // Esc (like ×) while importing asks first; 继续导入 leaves it running.
  await page.keyboard.press('Escape')
  await expect(page.locator('.el-message-box')).toContainText('关闭将取消本次导入')
  await page.locator('.el-message-box').getByRole('button', { name: '继续导入' }).click()
  await expect(page.getByTestId('import-dialog')).toBeVisible()
  await page.getByTestId('import-cancel').click()
  await expect(page.getByTestId('import-cancelled')).toBeVisible({ timeout: 30_000 })
  await page.getByTestId('import-close').click()
  await expect(page.getByTestId('records-stats')).toContainText('42')

  // Late ones, filtered in SQL, exported as the current query.
  await page.getByTestId('stat-late').click()
  await expect(page.getByTestId('records-table').locator('tbody tr')).toHaveCount(4)
  await snap(page, '24-records-late')
  await page.getByTestId('records-export').click()
  await expect(page.getByText('已导出 4 条')).toBeVisible()
  const exported = new ExcelJS.Workbook()
  await exported.xlsx.readFile(app.savedFile(`行政处罚信息-${today}.xlsx`))
  expect(exported.worksheets[0]!.rowCount).toBe(5)

  // The expiring one can be repaired: the clerk files, the supervisor decides.
  await page.getByTestId('records-disclosure').click()
  await page.locator('.el-select-dropdown:visible').getByText('30 天内到期').click()
  await page.getByTestId('records-search').click()
  await expect(page.getByTestId('records-table').locator('tbody tr')).toHaveCount(1)
  await page.getByTestId('records-table').getByText('某某建材经营部').click()
  const drawer = page.getByTestId('record-drawer')
  await expect(drawer.getByTestId('record-disclosure')).toContainText('可申请修复')
  await drawer.getByTestId('file-repair').click()
  await drawer.getByTestId('action-applicant').fill('某某建材经营部')
  await drawer.getByTestId('action-reason').fill('已缴清罚款并完成整改')
  await drawer.getByTestId('action-documents').fill('缴款凭证；整改报告；信用承诺书')
  await drawer.getByTestId('action-submit').click()
  await expect(drawer.getByTestId('record-actions')).toContainText('待审核')
  await snap(page, '25-record-repair-filed')
  await page.keyboard.press('Escape')
  await expect(drawer).toBeHidden()
  await logout(page)

  await login(page, SUPERVISOR.username, SUPERVISOR.password)
  await changeInitialPassword(page, SUPERVISOR.password, 'Revw#2026new')
  await page.getByTestId('sidebar').getByText('归集数据').click()
  await pick(page, 'records-item', '行政处罚信息（SGS_CF）')
  await page.getByTestId('records-keyword').fill('某某建材')
  await page.getByTestId('records-search').click()
  await page.getByTestId('records-table').getByText('某某建材经营部').click()
  await drawer.getByTestId('action-comment').fill('材料齐全，同意修复')
  await drawer.getByTestId('action-approve').click()
  await expect(drawer.getByTestId('record-disclosure')).toContainText('已修复')
  await expect(drawer.getByTestId('record-actions')).toContainText('周审核')
  await snap(page, '26-record-repaired')
})
