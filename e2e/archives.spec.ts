import ExcelJS from 'exceljs'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { inflateSync } from 'node:zlib'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { idCardCheckChar } from '../electron/core/codes/idcard'
import { pdfText } from '../electron/core/supervision/pdf-text'
import { test, expect, snap } from './fixtures'
import { createUser, firstLogin, login, logout, setUpOfficeAndLogIn } from './pages'

const KEEPER = { username: 'keeper', displayName: '陈档案', roles: ['业务人员'], password: 'Init#2026a' }
const SUPERVISOR = { username: 'sup1', displayName: '周审核', roles: ['审核人员'], password: 'Init#2026b' }
const AUDITOR = { username: 'audit1', displayName: '赵审计', roles: ['安全审计员'], password: 'Init#2026c' }

/** 50 people with valid, distinct ID numbers. */
function roster(): Array<[string, string, string, string, string]> {
  const surnames = '王李张刘陈杨黄赵吴周'
  return Array.from({ length: 50 }, (_, i) => {
    const first17 = `350102${1970 + (i % 25)}0${1 + (i % 9)}1${i % 10}${String(100 + i).slice(-3)}`
    return [
      `${surnames[i % 10]}${'明华强芳静'[i % 5]}${i}`,
      first17 + idCardCheckChar(first17),
      i % 2 ? '县发展和改革局' : '县财政局',
      '科员',
      `${1995 + (i % 20)}-07-01`,
    ]
  })
}

async function api(page: Page, name: string, input: unknown = {}) {
  return page.evaluate(
    ([n, i]) =>
      (globalThis as unknown as { api: Record<string, (x: unknown) => Promise<{ ok: boolean; error?: { code: string }; data?: unknown }>> })
        .api[n as string]!(i),
    [name, input] as const,
  )
}

/** The PDF's own objects plus the inflated content of every Flate stream, as text. */
function pdfObjects(pdf: Buffer): string {
  const parts = [pdf.toString('latin1')]
  for (let at = pdf.indexOf('stream'); at >= 0; at = pdf.indexOf('stream', at + 6)) {
    const start = pdf[at + 6] === 0x0d ? at + 8 : at + 7
    const end = pdf.indexOf('endstream', start)
    if (end < 0) break
    try {
      parts.push(inflateSync(pdf.subarray(start, end)).toString('latin1'))
    } catch {
      // not a Flate stream (or an image): skip
    }
    at = end
  }
  return parts.join('\n')
}

test('integrity archives: import 50 people, request and approve access, record entries, grade, print, and the auditor sees it all', async ({
  app,
}) => {
  test.setTimeout(180_000)
  const { page } = app
  await setUpOfficeAndLogIn(page)
  for (const [name, sortOrder] of [
    ['县发展和改革局', 1],
    ['县财政局', 2],
  ] as const) {
    expect((await api(page, 'units:create', { parentId: null, name, kind: 'county_dept', sortOrder })).ok).toBe(true)
  }
  await createUser(page, KEEPER)
  await createUser(page, SUPERVISOR)
  await createUser(page, AUDITOR)
  // Both work on every unit's archives (the administrator sets the scope per user).
  const users = (await api(page, 'users:list', { page: 1, pageSize: 50 })).data as {
    items: Array<{ id: number; username: string; displayName: string; roles: string[] }>
  }
  for (const u of users.items.filter((x) => ['keeper', 'sup1'].includes(x.username))) {
    expect(
      (await api(page, 'users:update', { id: u.id, displayName: u.displayName, roles: u.roles, unitId: null, archiveScope: 'all' })).ok,
    ).toBe(true)
  }
  // The administrator (三员) has no archives menu.
  await expect(page.getByTestId('sidebar')).not.toContainText('诚信档案')
  await logout(page)

  // The keeper imports the roster.
  await firstLogin(page, KEEPER, 'Keep#2026new')
  const people = roster()
  const file = join(app.dataDir, '2026年公务员名单.xlsx')
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('名单')
  ws.addRow(['姓名', '身份证号', '单位', '职务', '参加工作日期'])
  people.forEach((p) => ws.addRow(p))
  await wb.xlsx.writeFile(file)
  await page.getByTestId('sidebar').getByText('人员档案').click()
  await app.willOpen(file)
  await page.getByTestId('people-import').click()
  await expect(page.getByText('已导入 50 人')).toBeVisible()
  await expect(page.locator('.el-pagination')).toContainText('共 50 条')
  await expect(page.getByTestId('people-table')).toContainText('350102********')
  await snap(page, '30-people-list')

  // Without an approved request the archive stays closed, in the UI and through the router.
  const [name, idNumber] = people[1]!
  await page.getByTestId('people-keyword').fill(idNumber)
  await page.getByTestId('people-search').click()
  await expect(page.getByTestId('people-table').locator('tbody tr')).toHaveCount(1)
  await page.getByTestId('people-table').getByText(name, { exact: true }).click()
  await expect(page.getByTestId('access-panel')).toBeVisible()
  const personId = Number(page.url().split('/').pop())
  expect(await api(page, 'archives:open', { personId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  await page.getByTestId('access-reason').fill('干部任用前考察')
  await page.getByTestId('access-request').click()
  await expect(page.getByTestId('access-pending')).toBeVisible()
  await logout(page)

  await firstLogin(page, SUPERVISOR, 'Revw#2026new')
  await page.getByTestId('sidebar').getByText('查阅审批').click()
  await expect(page.getByTestId('requests-table')).toContainText('干部任用前考察')
  await page.getByTestId('requests-table').getByText('同意').first().click()
  await page.getByRole('button', { name: '确定' }).click()
  await expect(page.getByTestId('requests-table').locator('tbody tr')).toHaveCount(0) // the pending queue is empty
  // The keeper is related to another person on the roster: the supervisor records the recusal.
  await page.getByTestId('sidebar').getByText('人员档案').click()
  await page.getByTestId('people-keyword').fill(people[2]![1])
  await page.getByTestId('people-search').click()
  await page.getByTestId('people-table').getByText(people[2]![0], { exact: true }).click()
  await page.getByTestId('recuse-open').click()
  await page.getByTestId('recuse-user').click()
  await page.locator('.el-select-dropdown:visible').getByText(KEEPER.displayName, { exact: true }).click()
  await page.getByTestId('recuse-reason').fill('近亲属')
  await page.getByTestId('recuse-save').click()
  await expect(page.getByText('已保存')).toBeVisible()
  await logout(page)

  // The keeper opens the archive, records a 记过, and the grade follows the rules.
  await login(page, KEEPER.username, 'Keep#2026new')
  await page.getByTestId('sidebar').getByText('人员档案').click()
  await page.getByTestId('people-keyword').fill(name)
  await page.getByTestId('people-search').click()
  await page.getByTestId('people-table').getByText(name, { exact: true }).click()
  await expect(page.getByTestId('entries-table')).toBeVisible()
  await expect(page.getByTestId('person-grade')).toHaveText('守信')
  await page.getByTestId('entry-add').click()
  await page.getByTestId('entry-kind').click()
  await page.locator('.el-select-dropdown:visible').getByText('违法违纪违约', { exact: true }).click()
  await page.getByTestId('entry-result').getByText('记过').click()
  await page.getByTestId('entry-title').fill('违反工作纪律')
  await page.getByTestId('entry-doc-number').fill('县纪〔2026〕12号')
  await page.locator('[data-field="docDate"] input').fill('2026-05-12')
  await page.locator('[data-field="docDate"] input').press('Enter')
  await page.getByTestId('entry-issuer').fill('县纪委监委')
  await page.getByTestId('entry-save').click()
  await expect(page.getByTestId('person-grade')).toHaveText('基本守信')
  await expect(page.getByTestId('grade-reasons')).toContainText('受到警告、记过处分：2026-05-12 违反工作纪律')
  // A stamped scan behind the entry: stored sealed, shown back from main.
  const scan = join(app.dataDir, '处分决定书.png')
  writeFileSync(
    scan,
    Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64'),
  )
  await app.willOpen(scan)
  await page.getByTestId('entries-table').getByText('上传扫描件').click()
  await expect(page.getByText('已上传 处分决定书.png')).toBeVisible()
  await page.getByTestId('file-处分决定书.png').click()
  await expect(page.getByTestId('attachment-preview').locator('img')).toBeVisible()
  await snap(page, '31a-scan-preview')
  await page.getByTestId('attachment-preview').getByRole('button', { name: '关闭', exact: true }).click()
  await page.getByTestId('reveal-id').click()
  await expect(page.getByTestId('person-id-number')).toHaveText(idNumber)
  await snap(page, '31-person-archive')

  // The report: printed (logged first) and exported as a PDF with its Chinese font embedded.
  await page.getByTestId('archive-report').click()
  await expect(page.getByTestId('report-grade')).toHaveText('基本守信')
  await expect(page.getByTestId('archive-report')).toContainText('公务员诚信情况报告')
  await page.evaluate(() => ((globalThis as unknown as { print: () => void }).print = () => {})) // the OS print dialog is not ours to drive
  await page.getByTestId('report-print').click()
  await page.getByTestId('report-pdf').click()
  await expect(page.getByText('已导出到')).toBeVisible()
  await snap(page, '32-archive-report')
  const pdfName = readdirSync(join(app.dataDir, 'exports')).find((f) => f.endsWith('.pdf'))!
  const pdf = readFileSync(join(app.dataDir, 'exports', pdfName))
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  // Chromium (Skia) embeds the CJK font as Type 3 glyph programs (or as a FontFile for other fonts),
  // with a ToUnicode map so the text stays searchable: no font has to exist on the reader's PC.
  const objects = pdfObjects(pdf)
  expect(objects).toMatch(/\/Subtype \/Type3|\/FontFile/)
  expect(objects).toContain('/ToUnicode')
  const fonts = objects.match(/\/Type \/Font\b[\s\S]*?>>/g) ?? []
  expect(fonts.length).toBeGreaterThan(0)
  for (const font of fonts) expect(font.includes('/Type3') || font.includes('/FontDescriptor') || font.includes('/Type0')).toBe(true)
  // A document that leaves the office: numbered pages, the seal's place, the date written out, and who printed it.
  const text = (await pdfText(pdf)).replace(/\s+/g, '')
  expect(text).toMatch(/第1页共\d+页/)
  expect(text).toContain('（盖章处）')
  expect(text).toMatch(/出具日期：\d{4}年\d{1,2}月\d{1,2}日/)
  expect(text).toContain('陈档案（keeper）') // the watermark names the clerk who opened it
  // The recused archive says so in the list, and stays closed through the router.
  await page.getByTestId('sidebar').getByText('人员档案').click()
  await page.getByTestId('people-keyword').fill(people[2]![1])
  await page.getByTestId('people-search').click()
  await expect(page.getByTestId('people-table')).toContainText('已回避')
  // A different person: still no access through the router.
  const other = (
    (await api(page, 'people:list', { page: 1, pageSize: 1, keyword: people[2]![1] })).data as { items: Array<{ id: number }> }
  ).items[0]!.id
  expect(await api(page, 'archives:open', { personId: other })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  await logout(page)

  // The auditor sees every step, including the refused reads.
  await firstLogin(page, AUDITOR, 'Audit#2026new')
  await page.getByTestId('sidebar').getByText('操作日志').click()
  const audit = page.getByTestId('audit-table')
  for (const step of [
    '批量导入人员',
    '申请查阅诚信档案',
    '审批查阅申请',
    '查阅诚信档案',
    '查看完整身份证号',
    '记录档案事项',
    '上传档案附件',
    '查看档案附件',
    '打印诚信档案',
    '导出诚信档案 PDF',
  ]) {
    await expect(audit).toContainText(step)
  }
  await expect(audit.locator('tbody tr').filter({ hasText: '查阅诚信档案' }).filter({ hasText: '被拒绝：无权限' })).toHaveCount(2)
  // Objects by name: the person's name with the masked ID number, never raw ids.
  await expect(audit.locator('tbody tr').filter({ hasText: '查阅诚信档案' }).first()).toContainText(/档案 \S+（\d{6}\*{8}\d{3}[\dX]）/)
  await expect(audit).not.toContainText('person:')
  await snap(page, '33-audit-archives')

  // No ID number is in the database files in plain text.
  const files = readdirSync(app.dataDir).filter((f) => f.startsWith('credit-desk.sqlite'))
  const bytes = Buffer.concat(files.map((f) => readFileSync(join(app.dataDir, f))))
  for (const [, id] of people) expect(bytes.includes(Buffer.from(id))).toBe(false)
})
