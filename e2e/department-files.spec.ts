// 归集 as departments live with it, end to end (issue 17's acceptance): a department's file in the national wording
// (法人及非法人组织) with a passport row imports clean → the city rejects two records by receipt → they wait in 问题数据
// with the city's reason → the clerk files corrections → a supervisor approves them → the next package carries the
// corrected versions and the version chain → the month's 归集月报 shows the unit's 及时率 and the corrections.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import dayjs from 'dayjs'
import ExcelJS from 'exceljs'
import { writePackage } from '../electron/core/exchange/envelope'
import { receiptRows } from '../electron/core/exchange/packages'
import { tablesPayload } from '../electron/core/exchange/payload'
import { SM, cityOffice } from './city-office'
import { expect, snap, test } from './fixtures'
import { logout, pick } from './pages'

const office = cityOffice()
const DECIDED = dayjs().subtract(1, 'day').format('YYYY-MM-DD')
const AUTHORITY = {
  处罚机关: '县市场监督管理局',
  处罚机关统一社会信用代码: '91440300708461136T',
  数据来源单位: '县市场监督管理局',
  数据来源单位统一社会信用代码: '91440300708461136T',
}
const ROWS: Array<Record<string, string>> = [
  {
    行政相对人名称: '某某餐饮管理有限公司',
    行政相对人类别: '法人及非法人组织',
    统一社会信用代码: '91350100M000100Y43',
    行政处罚决定书文号: '县市监罚〔2026〕501号',
    失信等级: '严重失信',
  },
  {
    行政相对人名称: '某某食品商行有限公司',
    行政相对人类别: '法人及非法人组织',
    统一社会信用代码: '9135010026017703XW',
    行政处罚决定书文号: '县市监罚〔2026〕502号',
    失信等级: '',
  },
  {
    行政相对人名称: 'John Smith',
    行政相对人类别: '自然人',
    统一社会信用代码: '',
    证件类型: '护照号',
    证件号码: 'E12345678',
    行政处罚决定书文号: '县市监罚〔2026〕503号',
    失信等级: '',
  },
]

async function departmentFile(path: string) {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('行政处罚')
  const columns = [
    '行政相对人名称',
    '行政相对人类别',
    '统一社会信用代码',
    '证件类型',
    '证件号码',
    '行政处罚决定书文号',
    '违法行为类型',
    '违法事实',
    '处罚依据',
    '处罚类别',
    '处罚内容',
    '处罚决定日期',
    '处罚有效期',
    '处罚机关',
    '处罚机关统一社会信用代码',
    '数据来源单位',
    '数据来源单位统一社会信用代码',
    '失信等级',
  ]
  ws.addRow(columns)
  for (const r of ROWS) {
    const row: Record<string, string> = {
      违法行为类型: '销售过期食品',
      违法事实: '经查，当事人销售超过保质期的食品。',
      处罚依据: '《食品安全法》',
      处罚类别: '罚款',
      处罚内容: '罚款人民币五千元',
      处罚决定日期: DECIDED,
      处罚有效期: dayjs(DECIDED).add(1, 'year').format('YYYY-MM-DD'),
      ...AUTHORITY,
      ...r,
    }
    ws.addRow(columns.map((c) => row[c] ?? ''))
  }
  await wb.xlsx.writeFile(path)
}

test.describe('department files', () => {
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's parameters from the pattern
  test.use({ prepareDataDir: async ({}, use) => use(office.prepare) })

  test('national wording and a passport import clean → the city rejects two → corrected and approved → sent again → 归集月报', async ({
    app,
  }) => {
    test.setTimeout(180_000)
    const { page } = app
    await office.signIn(page, 'clerk', true)

    // The department's file: no error, although it says 法人及非法人组织 and carries a passport.
    const file = join(app.dataDir, '县市场监管局-行政处罚.xlsx')
    await departmentFile(file)
    await page.getByTestId('sidebar').getByText('归集数据').click()
    await pick(page, 'records-item', '行政处罚信息（SGS_CF）')
    await app.willOpen(file)
    await page.getByTestId('records-import').click()
    await page.getByTestId('import-choose').click()
    await expect(page.getByTestId('import-counts')).toContainText('共 3 行')
    await expect(page.getByTestId('import-counts')).toContainText('错误 0 行')
    await expect(page.getByTestId('import-counts')).toContainText('正确 3 行')
    await page.getByTestId('import-supplier').first().click()
    await page.locator('.el-tree-select__popper:visible').getByText('县市场监督管理局', { exact: true }).click()
    await snap(page, '90-department-file-preview')
    await page.getByTestId('import-start').click()
    await expect(page.getByTestId('import-done')).toContainText('已导入 3 条')
    await page.getByTestId('import-close').click()

    // To the city; it sends two of the three back.
    await page.getByTestId('sidebar').getByText('数据交换包').click()
    await page.getByTestId('export-start').click()
    await page.locator('.el-message-box').filter({ hasText: '个人信息将离开本单位' }).getByRole('button', { name: '确认导出' }).click()
    await expect(page.getByTestId('package-done')).toContainText('已导出并读回校验：序号 1')
    const first = await office.open(app.savedFile(readdirSync(join(app.dataDir, 'exports')).find((f) => f.endsWith('.cdpkg'))!))
    const uidOf = (name: string) => String(first.tables.records!.find((r) => r.subjectName === name)!.uid)
    const passport = first.tables.records!.find((r) => r.subjectName === 'John Smith')!
    expect(passport.data).toMatchObject({ ZJLX: 'passport', ZJHM: 'E12345678' })
    expect(first.tables.records!.find((r) => r.subjectName === ROWS[0]!.行政相对人名称)).toMatchObject({ dishonestyLevel: 'serious' })
    const receipt = join(app.dataDir, 'receipt-1.cdpkg')
    await writePackage({
      path: receipt,
      suite: SM,
      kind: 'receipt',
      sequence: 1,
      createdAt: new Date().toISOString(),
      sender: { orgName: '市社会信用信息平台', regionCode: '350100', uscc: '' },
      senderPrivatePem: office.city.privatePem,
      recipientPublicPem: office.state.countyPub,
      payload: tablesPayload('receipt', {
        receipts: receiptRows(first.header, first.digest, first.counts, new Date().toISOString(), [
          { recordUid: uidOf(ROWS[0]!.行政相对人名称!), code: 'Q101', reason: '处罚依据未写明具体条款' },
          { recordUid: uidOf(ROWS[1]!.行政相对人名称!), code: 'Q101', reason: '处罚依据未写明具体条款' },
        ]),
      }),
    })
    await app.willOpen(receipt)
    await page.getByTestId('import-start').click()
    await expect(page.getByTestId('package-done')).toContainText('已导入回执')
    await expect(page.getByTestId('package-changes')).toContainText('退回的记录（见问题数据） 2')

    // 问题数据: the two records with the city's reason; the clerk corrects both.
    await page.getByTestId('sidebar').getByText('工作台').click()
    await expect(page.getByTestId('todo-recordsRejected').locator('.n')).toHaveText('2')
    await page.getByTestId('todo-recordsRejected').click()
    await expect(page.getByTestId('records-table').locator('tbody tr')).toHaveCount(2)
    await snap(page, '91-problem-data')
    for (let i = 0; i < 2; i++) {
      await page.getByTestId('records-table').locator('tbody tr').nth(i).click()
      const drawer = page.getByTestId('record-drawer')
      await expect(drawer.getByTestId('record-rejection')).toContainText('处罚依据未写明具体条款')
      await drawer.getByTestId('record-correct').click()
      await page.getByTestId('field-CF_YJ').fill('《中华人民共和国食品安全法》第一百二十四条第一款')
      await page.getByTestId('correction-reason').fill('按市平台退回意见补全处罚依据条款')
      if (i === 0) await snap(page, '92-correction-form')
      await page.getByTestId('record-save').click()
      await expect(page.getByText('更正申请已登记').last()).toBeVisible()
      await expect(drawer.getByTestId('record-changes')).toContainText('待审核')
      await drawer.locator('.el-drawer__close-btn').click()
    }
    await logout(page)

    // The supervisor approves both from the 工作台.
    await office.signIn(page, 'supervisor', true)
    await expect(page.getByTestId('todo-changesToDecide').locator('.n')).toHaveText('2')
    await page.getByTestId('todo-changesToDecide').click()
    await expect(page.getByTestId('records-table').locator('tbody tr')).toHaveCount(2)
    for (let i = 0; i < 2; i++) {
      await page.getByTestId('records-table').locator('tbody tr').first().click()
      const drawer = page.getByTestId('record-drawer')
      await expect(drawer.getByTestId('record-changes')).toContainText(
        '处罚依据：《食品安全法》 → 《中华人民共和国食品安全法》第一百二十四条第一款',
      )
      await drawer.getByTestId('change-approve').click()
      await expect(drawer.getByTestId('record-version')).toHaveText('第 2 版')
      if (i === 0) await snap(page, '93-correction-approved')
      await drawer.locator('.el-drawer__close-btn').click()
      await page.getByTestId('records-search').click()
    }
    await expect(page.getByTestId('records-table').locator('tbody tr')).toHaveCount(0)
    await logout(page)

    // The next package carries the two corrected versions and their chain, not the rest again.
    await office.signIn(page, 'clerk', false)
    await expect(page.getByTestId('todo-recordsRejected').locator('.n')).toHaveText('0')
    await page.getByTestId('sidebar').getByText('数据交换包').click()
    await page.getByTestId('export-start').click()
    const confirm = page.locator('.el-message-box').filter({ hasText: '个人信息将离开本单位' })
    if (await confirm.isVisible().catch(() => false)) await confirm.getByRole('button', { name: '确认导出' }).click()
    await expect(page.getByTestId('package-done')).toContainText('已导出并读回校验：序号 2')
    const second = await office.open(
      app.savedFile(readdirSync(join(app.dataDir, 'exports')).find((f) => f.endsWith('.cdpkg') && f.includes('00002'))!),
    )
    expect(second.tables.records!.map((r) => [r.subjectName, r.version, (r.data as Record<string, string>).CF_YJ]).sort()).toEqual(
      [
        [ROWS[0]!.行政相对人名称, 2, '《中华人民共和国食品安全法》第一百二十四条第一款'],
        [ROWS[1]!.行政相对人名称, 2, '《中华人民共和国食品安全法》第一百二十四条第一款'],
      ].sort(),
    )
    // The record's own 失信等级 survives the correction (the form sends it back as it stood).
    expect(second.tables.records!.find((r) => r.subjectName === ROWS[0]!.行政相对人名称)).toMatchObject({
      dishonestyLevel: 'serious',
      data: expect.objectContaining({ SXDJ: 'serious' }),
    })
    expect(second.tables.record_changes).toHaveLength(2)
    expect(second.tables.record_changes![0]).toMatchObject({ kind: 'correction', version: 2, reason: '按市平台退回意见补全处罚依据条款' })

    // This month's 归集月报: the unit's 及时率 and its two corrections.
    await page.getByTestId('sidebar').getByText('归集月报').click()
    const month = dayjs().format('YYYY-MM')
    await page.goto(page.url().replace(/#.*$/, `#/records/monthly?month=${month}`))
    const row = page.getByTestId('monthly-table').locator('tr[data-unit="县市场监督管理局"]')
    await expect(row.locator('[data-col="corrected"]')).toHaveText('2')
    await expect(row.locator('[data-col="onTimeRate"]')).toHaveText(/%$/)
    await expect(page.getByTestId('monthly-summary')).toContainText('审核通过更正 2 条')
    await snap(page, '94-monthly-report')
    await page.setViewportSize({ width: 1024, height: 768 })
    await snap(page, '94-monthly-report-1024')
    await page.getByTestId('monthly-xlsx').click()
    await expect(page.getByText('已导出到').last()).toBeVisible()
  })
})
