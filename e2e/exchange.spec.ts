// The round trip across the air gap in the browser: the admin imports the city's key and reads the fingerprint (and
// sees no export: 三员分立),
// the clerk exports to the "stick", the city (same core, its own keys) opens it and answers with a receipt and an
// issue of tasks, the clerk imports both; a tampered package is refused with its reason.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { main } from '../electron/cli/index'
import { openPackage, writePackage } from '../electron/core/exchange/envelope'
import { receiptRows } from '../electron/core/exchange/packages'
import { payloadReader, tablesPayload } from '../electron/core/exchange/payload'
import { suiteOf } from '../electron/core/exchange/suites'
import { parsePlan } from '../electron/core/supervision/plan-parser'
import { PLAN } from '../tests/fixtures/sample-plan'
import { test, expect, snap } from './fixtures'
import { createUser, firstLogin, logout, pick, setUpOfficeAndLogIn } from './pages'

const CLERK = { username: 'clerk1', displayName: '李业务', roles: ['业务人员'], password: 'Init#2026a' }

const SM = suiteOf('SM2-SM3-SM4')!

async function cityPackage(
  path: string,
  kind: 'receipt' | 'tasks',
  sequence: number,
  city: { privatePem: string },
  countyPub: string,
  tables: Record<string, unknown[]>,
) {
  await writePackage({
    path,
    suite: SM,
    kind,
    sequence,
    createdAt: new Date().toISOString(),
    sender: { orgName: '市社会信用信息平台', regionCode: '350100', uscc: '' },
    senderPrivatePem: city.privatePem,
    recipientPublicPem: countyPub,
    payload: tablesPayload(kind, tables as Record<string, Array<Record<string, unknown>>>),
  })
}

test('county → city → receipt and issued tasks → county, through the 数据交换 page', async ({ app }) => {
  test.setTimeout(120_000)
  const { page } = app
  await setUpOfficeAndLogIn(page)
  // Records to send: the demo seed writes 120 of them into this data folder.
  expect(await main(['demo', 'seed', '--records', '120', '--data-dir', app.dataDir, '--json'], { log: () => {}, error: () => {} })).toBe(0)

  await page.getByTestId('sidebar').getByText('数据交换包').click()
  await expect(page.getByTestId('own-fingerprint')).toHaveText(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/)
  // The administrator keeps keys and peers; sending business data is the clerk's.
  await expect(page.getByTestId('export-panel')).toHaveCount(0)

  // The city's public key, from the stick; the fingerprint is read out by phone.
  const city = SM.generate()
  const cityPub = join(app.dataDir, 'city.pub.pem')
  writeFileSync(cityPub, city.publicPem)
  await app.willOpen(cityPub)
  await page.getByTestId('import-peer').click()
  await page
    .locator('.el-message-box')
    .getByRole('button', { name: /确定|OK/ })
    .click()
  const spoken = (SM.fingerprint(city.publicPem).slice(0, 32).toUpperCase().match(/.{4}/g) ?? []).join(' ')
  const alert = page.locator('.el-message-box').filter({ hasText: '请与对方电话核对指纹' })
  await expect(alert).toContainText(spoken)
  await alert.getByRole('button', { name: /确定|OK/ }).click()
  await expect(page.getByTestId('peers')).toContainText('市社会信用信息平台')
  await page.getByTestId('export-public').click()
  await expect(page.getByText('已导出到').filter({ hasText: '交换公钥' })).toBeVisible()
  const countyPub = readFileSync(app.savedFile('350102-交换公钥.pub.pem'), 'utf8')
  await expect(page.getByTestId('peers')).toContainText('数据包可含内容')
  await createUser(page, CLERK)
  await logout(page)
  await firstLogin(page, CLERK, 'Clerk#2026new')
  await page.getByTestId('sidebar').getByText('数据交换包').click()

  await expect(page.getByTestId('export-preview')).toContainText('双公示记录')
  await expect(page.getByTestId('export-preview')).toContainText('120')
  // Natural persons' ID numbers leave in full: named on the preview, confirmed before the stick is chosen.
  await expect(page.getByTestId('export-personal')).toContainText('含完整证件号码的归集记录')
  await snap(page, '50-exchange')
  await page.getByTestId('export-start').click()
  const confirm = page.locator('.el-message-box').filter({ hasText: '个人信息将离开本单位' })
  await expect(confirm).toContainText('市社会信用信息平台')
  await confirm.getByRole('button', { name: '确认导出' }).click()
  await expect(page.getByTestId('package-done')).toContainText('已导出并读回校验：序号 1')
  const packageFile = readdirSync(join(app.dataDir, 'exports')).find((f) => f.endsWith('.cdpkg'))!
  expect(packageFile).toMatch(/^350102-增量-00001-\d{4}-\d{2}-\d{2}\.cdpkg$/)
  expect(readdirSync(join(app.dataDir, 'exports')).filter((f) => f.includes('partial'))).toEqual([])

  // The city opens it with its own key and the county's public key.
  let manifest: { counts: Record<string, number> } | null = null
  const reader = payloadReader((name, data) => {
    if (name === 'manifest.json') manifest = JSON.parse(data.toString('utf8'))
  })
  const opened = await openPackage(
    app.savedFile(packageFile),
    {
      ownKeys: new Map([[SM.fingerprint(city.publicPem), city.privatePem]]),
      senders: new Map([[SM.fingerprint(countyPub), { publicPem: countyPub, retired: false }]]),
    },
    (p) => reader.write(p),
  )
  await reader.end()
  expect(manifest!.counts.records).toBe(120)

  // Back come a receipt and an issue of tasks.
  const receipt = join(app.dataDir, 'receipt-1.cdpkg')
  await cityPackage(receipt, 'receipt', 1, city, countyPub, {
    receipts: receiptRows(opened.header, opened.digest, manifest!.counts, new Date().toISOString()),
  })
  await app.willOpen(receipt)
  await page.getByTestId('import-start').click()
  await expect(page.getByTestId('package-done')).toContainText('已导入回执（市社会信用信息平台，序号 1）')
  await expect(page.getByTestId('package-changes')).toContainText('确认的记录 120')
  await expect(page.getByTestId('package-log').locator('tbody tr').filter({ hasText: '导出' })).not.toContainText('—')
  // Each record shows it reached the city.
  await page.getByTestId('sidebar').getByText('归集数据').click()
  await pick(page, 'records-item', '行政处罚信息（SGS_CF）')
  await page.getByTestId('records-table').locator('tbody tr').first().click()
  await expect(page.getByTestId('record-drawer').getByTestId('record-reported')).toContainText('已报送市社会信用信息平台（数据包序号 1')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('record-drawer')).toBeHidden()
  await page.getByTestId('sidebar').getByText('数据交换包').click()

  const plan = parsePlan(PLAN)
  const tasks = join(app.dataDir, 'tasks-1.cdpkg')
  await cityPackage(tasks, 'tasks', 1, city, countyPub, {
    plans: [
      {
        externalId: 'P-2026-3',
        title: '某某县2026年社会信用体系建设工作要点',
        issuer: plan.issuer,
        docNumber: plan.docNumber,
        year: plan.year,
      },
    ],
    tasks: plan.tasks.map(({ source: _s, ...t }) => ({ ...t, externalId: `P-2026-3#${t.path.join('.')}`, planExternalId: 'P-2026-3' })),
  })
  await app.willOpen(tasks)
  await page.getByTestId('import-start').click()
  await expect(page.getByTestId('package-done')).toContainText('已导入任务下发')
  // It names units this office lacks (各乡（镇、街道）…): held for the same review as a parsed document.
  await expect(page.getByTestId('package-changes')).toContainText('待核对单位的工作要点（见“工作要点”） 1')
  await snap(page, '51-exchange-imported')
  // The same package again changes nothing.
  await page.getByTestId('import-start').click()
  await expect(page.getByTestId('package-done')).toContainText('已经导入过，没有任何改动')

  // Tampered on the stick: refused with the reason, nothing applied.
  const bytes = readFileSync(tasks)
  bytes[bytes.length - 150]! ^= 0x20
  const tampered = join(app.dataDir, 'tasks-2.cdpkg')
  writeFileSync(tampered, bytes)
  await app.willOpen(tampered)
  await page.getByTestId('import-start').click()
  await expect(page.getByTestId('package-error')).toContainText(/校验失败|签名验证失败/)

  // The issued plan waits on 工作要点: the clerk matches its units (here, creates the rest) and it becomes tasks.
  await page.getByTestId('sidebar').getByText('工作要点').click()
  await expect(page.getByTestId('plan-drafts')).toContainText('某信用〔2026〕3号')
  await page.getByTestId('plan-drafts').getByRole('button', { name: '核对' }).click()
  await expect(page.getByTestId('plan-units')).toContainText('各乡（镇、街道）')
  await page.getByTestId('plan-create-all').click()
  await page.getByTestId('plan-confirm').click()
  await expect(page.getByText('已保存 6 项任务')).toBeVisible()
  await expect(page.getByTestId('plans-table')).toContainText('某信用〔2026〕3号')
  await expect(page.getByTestId('plan-drafts')).toHaveCount(0)
})
