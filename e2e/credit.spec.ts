// 信用应用 end to end, as the acceptance reads: the city sends a black list by package → a clerk checks an Excel
// of 20 suppliers → two hits → prints the 核查结果单 (the PDF read back) → records a measure for one and "not applied +
// reason" for the other → a commitment is marked 违诺 by a supervisor and appears as a 失信 record → the subject's
// 信用报告 shows all of it → the next data package carries the cases and the commitment.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { writePackage } from '../electron/core/exchange/envelope'
import { tablesPayload } from '../electron/core/exchange/payload'
import { pdfText } from '../electron/core/supervision/pdf-text'
import { completeUscc } from '../electron/core/codes/uscc'
import { SM, cityOffice } from './city-office'
import { expect, snap, test } from './fixtures'
import { logout, pick } from './pages'

const office = cityOffice()
const { city, signIn } = office
const uscc = (n: number) => completeUscc(`91350102MA${String(n).padStart(6, '0')}`)
const BLACK_A = { name: '某某建设工程有限公司', code: uscc(105) }
const BLACK_B = { name: '某某劳务派遣有限公司', code: uscc(112) }

async function suppliersWorkbook(path: string) {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('供应商')
  ws.addRow(['2026年度政府采购供应商名单'])
  ws.addRow(['序号', '企业名称', '统一社会信用代码'])
  for (let i = 1; i <= 20; i++) {
    const s = i === 5 ? BLACK_A : i === 12 ? BLACK_B : { name: `某某供应商${i}有限公司`, code: uscc(100 + i + 100) }
    ws.addRow([i, s.name, s.code])
  }
  await wb.xlsx.writeFile(path)
}

test.describe('信用应用', () => {
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's parameters from the pattern
  test.use({ prepareDataDir: async ({}, use) => use(office.prepare) })

  test('black list by package → batch check → 核查结果单 PDF → cases → 违诺 → 信用报告 → the next data package', async ({ app }) => {
    test.setTimeout(150_000)
    const { page } = app

    // The city's black list arrives on the stick.
    const listPackage = join(app.dataDir, 'lists-1.cdpkg')
    await writePackage({
      path: listPackage,
      suite: SM,
      kind: 'lists',
      sequence: 1,
      createdAt: new Date().toISOString(),
      sender: { orgName: '市社会信用信息平台', regionCode: '350100', uscc: '' },
      senderPrivatePem: city.privatePem,
      recipientPublicPem: office.state.countyPub,
      payload: tablesPayload('lists', {
        list_meta: [{ mode: 'full' }],
        list_entries: [BLACK_A, BLACK_B, { name: '外县某公司', code: uscc(999) }].map((s, i) => ({
          externalId: `HB-2026-${i + 1}`,
          subjectName: s.name,
          subjectCode: s.code,
          kind: '严重失信主体名单',
          decidedBy: '市住房和城乡建设局',
          basis: `建信〔2026〕${i + 1}号`,
          listedOn: '2026-09-01',
          validUntil: '2029-08-31',
        })),
      }),
    })
    await signIn(page, 'clerk', true)
    await page.getByTestId('sidebar').getByText('数据交换包').click()
    await app.willOpen(listPackage)
    await page.getByTestId('import-start').click()
    await expect(page.getByTestId('package-done')).toContainText('已导入名单（市社会信用信息平台，序号 1）')
    await expect(page.getByTestId('package-changes')).toContainText('新增名单 3')
    await page.getByTestId('sidebar').getByText('红黑名单').click()
    await expect(page.getByTestId('lists-table').locator('tbody tr')).toHaveCount(3)
    await expect(page.getByTestId('lists-table')).toContainText('市平台下发')
    await snap(page, '80-credit-lists')
    // A department's own list with a wrong code: nothing imported, the reasons shown, the rows back as a workbook.
    const own = join(app.dataDir, '本县红名单.xlsx')
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('名单')
    ws.addRow(['主体名称', '统一社会信用代码或证件号码', '名单类型', '认定单位', '认定依据', '列入日期'])
    ws.addRow(['守信企业一', uscc(301), '红名单', '县税务局', '税信〔2026〕1号', '2026-03-01'])
    ws.addRow([
      '守信企业二',
      `${uscc(302).slice(0, 17)}${uscc(302).endsWith('1') ? '2' : '1'}`,
      '红名单',
      '县税务局',
      '税信〔2026〕2号',
      '2026-03-01',
    ])
    await wb.xlsx.writeFile(own)
    await app.willOpen(own)
    await page.getByTestId('lists-import').click()
    const box = page.locator('.el-message-box')
    await expect(box).toContainText('第 3 行 统一社会信用代码或证件号码：统一社会信用代码校验位不正确')
    await box.getByRole('button', { name: '下载错误报告' }).click()
    await expect(page.getByText('错误报告已保存（1 行）')).toBeVisible()
    await expect(page.getByTestId('lists-table').locator('tbody tr')).toHaveCount(3)

    // 20 suppliers from an Excel file: two are on the black list.
    const suppliers = join(app.dataDir, '供应商名单.xlsx')
    await suppliersWorkbook(suppliers)
    await page.getByTestId('sidebar').getByText('信用核查').click()
    await page.getByTestId('check-purpose').fill('2026年度政府采购供应商资格审查')
    await app.willOpen(suppliers)
    await page.getByTestId('check-run-file').click()
    await expect(page.getByTestId('check-result-page')).toBeVisible()
    await expect(page.getByTestId('check-summary')).toHaveText('共核查 20 个主体，其中 2 个有记录')
    await expect(page.getByTestId('verdict-5')).toHaveText('失信惩戒对象')
    await expect(page.getByTestId('verdict-12')).toHaveText('失信惩戒对象')
    await expect(page.getByTestId('verdict-1')).toHaveText('未发现不良信用记录')
    await expect(page.getByTestId('check-row-5')).toContainText('建信〔2026〕1号')
    const number = ((await page.getByTestId('check-number').textContent()) ?? '').replace('核查编号：', '')
    expect(number).toMatch(/^信核〔\d{4}〕1号$/)
    await snap(page, '81-credit-check-result')
    // Only the subjects that need attention, for a long batch (the Excel keeps all).
    await page.getByTestId('check-only-findings').click()
    await expect(page.getByTestId('check-results').locator('tbody tr')).toHaveCount(2)
    await expect(page.getByTestId('check-filtered-note')).toBeVisible()
    await page.getByTestId('check-only-findings').click()
    await expect(page.getByTestId('check-results').locator('tbody tr')).toHaveCount(20)

    // The 核查结果单 as a PDF, read back.
    await page.getByTestId('check-pdf').click()
    await expect(page.getByText('已导出到').last()).toBeVisible()
    const pdfName = readdirSync(join(app.dataDir, 'exports')).find((f) => f.endsWith('.pdf'))!
    expect(pdfName).toBe(`核查结果单-${number}.pdf`)
    const text = (await pdfText(readFileSync(app.savedFile(pdfName)))).replace(/\s+/g, '')
    expect(text).toContain('信用核查结果单')
    expect(text).toContain(number)
    expect(text).toContain(BLACK_A.name)
    expect(text).toContain('失信惩戒对象')
    expect(text).toMatch(/第1页共\d+页/)

    // A measure for one, "not applied" with the reason for the other.
    await page.getByTestId('case-5').click()
    await pick(page, 'case-measure', '限制参与政府采购')
    await page.getByTestId('case-unit').first().click()
    await page.locator('.el-tree-select__popper:visible').getByText('县住房和城乡建设局', { exact: true }).click()
    await page.getByTestId('case-doc').fill('采购〔2026〕8号')
    await page.getByTestId('case-save').click()
    await expect(page.getByText('已登记联合奖惩案例')).toBeVisible()
    await page.getByTestId('case-12').click()
    await page.getByTestId('case-not-applied').click()
    await page.getByTestId('case-reason').fill('该供应商已退出本次采购，未进入评审')
    await page.getByTestId('case-unit').first().click()
    await page.locator('.el-tree-select__popper:visible').getByText('县住房和城乡建设局', { exact: true }).click()
    await page.getByTestId('case-save').click()
    await expect(page.getByText('已登记联合奖惩案例')).toHaveCount(2)
    await page.getByTestId('sidebar').getByText('联合奖惩').click()
    await expect(page.getByTestId('cases-table').locator('tbody tr')).toHaveCount(2)
    await expect(page.getByTestId('cases-table')).toContainText('限制参与政府采购')
    await expect(page.getByTestId('cases-table')).toContainText('未采取（该供应商已退出本次采购，未进入评审）')
    await snap(page, '82-credit-cases')

    // A commitment of the first subject; the clerk proposes 违诺.
    await page.getByTestId('sidebar').getByText('信用承诺').click()
    await page.getByTestId('commitments-create').click()
    await page.getByTestId('commitment-name').fill(BLACK_A.name)
    await page.getByTestId('commitment-code').fill(BLACK_A.code)
    await page.getByTestId('commitment-reason').fill('建筑工程施工许可容缺受理')
    await page.getByTestId('commitment-unit').first().click()
    await page.locator('.el-tree-select__popper:visible').getByText('县住房和城乡建设局', { exact: true }).click()
    await page.getByTestId('commitment-save').click()
    await expect(page.getByTestId('commitments-table')).toContainText('建筑工程施工许可容缺受理')
    await page.getByTestId('commitments-table').getByRole('button', { name: '违诺认定' }).click()
    await page.getByTestId('breach-facts').fill('承诺 30 日内补齐材料，逾期未补')
    await page.getByTestId('breach-doc').fill('住建认〔2026〕4号')
    await page.getByTestId('commitment-save').click()
    await expect(page.getByTestId('commitments-table')).toContainText('违诺待审核（演示业务人员 提出）')
    await logout(page)

    // The supervisor confirms it; the 失信 record appears.
    await signIn(page, 'supervisor', true)
    // The 工作台 says a 违诺 waits, and opens the list of those waiting.
    await expect(page.getByTestId('todo-breachesToDecide').locator('.n')).toHaveText('1')
    await page.getByTestId('todo-breachesToDecide').click()
    await expect(page.getByTestId('commitments-table').locator('tbody tr')).toHaveCount(1)
    await page.getByTestId('commitments-table').getByRole('button', { name: '审核违诺' }).click()
    await page.getByTestId('breach-approve').click()
    await expect(page.getByText('已生成失信记录')).toBeVisible()
    await expect(page.getByTestId('commitments-table').locator('tbody tr')).toHaveCount(0)
    await page.getByTestId('commitments-pending').click()
    await expect(page.getByTestId('commitments-table').locator('tbody tr')).toHaveCount(1)
    await expect(page.getByTestId('commitments-table')).toContainText('违诺')
    await snap(page, '83-credit-commitments')
    await page.getByTestId('sidebar').getByText('归集数据').click()
    await pick(page, 'records-item', '信用承诺违诺信息（XYCN_WN）')
    await expect(page.getByTestId('records-table').locator('tbody tr')).toHaveCount(1)
    await expect(page.getByTestId('records-table')).toContainText(BLACK_A.name)

    // The subject's 信用报告 shows all of it.
    await page.getByTestId('sidebar').getByText('信用报告').click()
    await page.getByTestId('report-code').fill(BLACK_A.code)
    await page.getByTestId('report-purpose').fill('政府采购资格审查')
    await page.getByTestId('report-produce').click()
    await expect(page.getByTestId('report-page')).toBeVisible()
    await expect(page.getByTestId('report-subject')).toHaveText(BLACK_A.name)
    await expect(page.getByTestId('report-only-for')).toHaveText('本报告仅供“政府采购资格审查”使用，不得用于其他用途。')
    await expect(page.getByTestId('report-section-lists')).toContainText('建信〔2026〕1号')
    await expect(page.getByTestId('report-section-commitments')).toContainText('违诺')
    await expect(page.getByTestId('report-section-other')).toContainText('住建认〔2026〕4号')
    await expect(page.getByTestId('report-section-other')).toContainText('限制参与政府采购')
    await snap(page, '84-credit-report')
    await page.getByTestId('report-pdf').click()
    await expect(page.getByText('已导出到').last()).toBeVisible()
    const reportPdf = readdirSync(join(app.dataDir, 'exports')).find((f) => f.startsWith('信用报告-'))!
    const reportText = (await pdfText(readFileSync(app.savedFile(reportPdf)))).replace(/\s+/g, '')
    expect(reportText).toContain('四、严重失信主体名单信息')
    expect(reportText).toContain('本报告仅供')
    // Reports produced are listed to be opened and printed again.
    await page.getByTestId('sidebar').getByText('信用报告').click()
    await page.getByTestId('reports-table').locator('tbody tr').first().click()
    await expect(page.getByTestId('report-number')).toHaveText(/信报〔\d{4}〕1号/)
    await logout(page)

    // The next data package carries the cases and the commitment.
    await signIn(page, 'clerk', false)
    await page.getByTestId('sidebar').getByText('数据交换包').click()
    await expect(page.getByTestId('export-preview')).toContainText('联合奖惩案例')
    await page.getByTestId('export-start').click()
    const confirm = page.locator('.el-message-box').filter({ hasText: '个人信息将离开本单位' })
    if (await confirm.isVisible().catch(() => false)) await confirm.getByRole('button', { name: '确认导出' }).click()
    await expect(page.getByTestId('package-done')).toContainText('已导出并读回校验')
    const packageFile = readdirSync(join(app.dataDir, 'exports')).find((f) => f.endsWith('.cdpkg'))!
    const { tables } = await office.open(app.savedFile(packageFile))
    expect(tables.sanction_cases).toHaveLength(2)
    expect(tables.sanction_cases!.map((c) => c.measureName).sort()).toEqual([null, '限制参与政府采购'])
    expect(tables.commitments).toEqual([
      expect.objectContaining({ subjectCode: BLACK_A.code, status: 'breached', breachDoc: '住建认〔2026〕4号' }),
    ])
  })
})
