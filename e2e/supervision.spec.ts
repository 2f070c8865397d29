import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PLAN } from '../tests/fixtures/sample-plan'
import { test, expect, snap } from './fixtures'
import { setUpOfficeAndLogIn } from './pages'

test('a work plan becomes reviewed tasks: parsed, units matched or created, confirmed', async ({ app }) => {
  const { page } = app
  await setUpOfficeAndLogIn(page)
  // The office's tree spells one unit in full; the plan prints its short name.
  const created = await page.evaluate(() =>
    (globalThis as unknown as { api: Record<string, (x: unknown) => Promise<{ ok: boolean }>> }).api['units:create']!({ parentId: null, name: '县发展和改革局', kind: 'county_dept', sortOrder: 1 }),
  )
  expect(created.ok).toBe(true)
  const file = join(app.dataDir, '某某县2026年工作要点.txt')
  writeFileSync(file, PLAN)
  await app.willOpen(file)

  await page.getByTestId('sidebar').getByText('工作要点').click()
  await page.getByTestId('plan-new').click()
  await page.getByTestId('plan-choose').click()
  await expect(page.getByText('识别出 6 项任务')).toBeVisible()
  await expect(page.getByTestId('plan-title').locator('input').or(page.getByTestId('plan-title'))).toHaveValue('某某县2026年社会信用体系建设工作要点')
  const units = page.getByTestId('plan-units')
  await expect(units).toContainText('县发展改革局')
  await expect(units).toContainText('简称') // matched to 县发展和改革局 by its normalised name
  await expect(page.getByTestId('plan-confirm')).toBeDisabled()
  await snap(page, '40-plan-review')
  // Every other name is new to this office: create them.
  for (const box of await units.locator('label.el-checkbox:not(.is-disabled)').all()) await box.click()
  await page.getByTestId('plan-confirm').click()
  await expect(page.getByText('已保存 6 项任务')).toBeVisible()
  await expect(page.getByTestId('plans-table')).toContainText('某信用〔2026〕3号')
  const tasks = page.getByTestId('plan-tasks')
  await expect(tasks.locator('tbody tr')).toHaveCount(6)
  await expect(tasks.locator('tbody tr').first()).toContainText('县发展和改革局')
  await expect(tasks.locator('tbody tr').first()).toContainText('每月22日前')
  await snap(page, '41-plan-tasks')
})
