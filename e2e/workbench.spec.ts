// The 工作台 and the shell, as each role meets them with a demo office's data: every card opens the list it counts
// (same number), a page outside the role says so, the breadcrumb and "back" follow the user, and the screens fit
// the 1366×768 and 1024×768 displays of county office PCs.
import { type Page } from '@playwright/test'
import { main } from '../electron/cli/index'
import { unlockDataDir } from '../electron/core/shared/data-dir-lock'
import { expect, snap, test } from './fixtures'
import { changeInitialPassword, login, logout } from './pages'

const accounts: Record<string, string> = {}
const NEW_PASSWORD = 'Work#2026-desk' // contains no username

/** A demo office (one account per role, one-time passwords) with 600 generated records. */
async function demoOffice(dataDir: string) {
  let out = ''
  const code = await main(['demo', 'seed', '--records', '600', '--data-dir', dataDir, '--json'], {
    log: (s) => void (out += s),
    error: () => {},
  })
  if (code !== 0) throw new Error('demo seed failed')
  for (const a of JSON.parse(out).accounts as Array<{ username: string; password: string }>) accounts[a.username] = a.password
  unlockDataDir(dataDir)
}

async function signIn(page: Page, role: string) {
  await login(page, role, accounts[role]!)
  await changeInitialPassword(page, accounts[role]!, NEW_PASSWORD)
  await expect(page.getByTestId('home-page')).toBeVisible()
}

/** The number a card shows. */
async function cardCount(page: Page, key: string) {
  return Number(await page.getByTestId(`todo-${key}`).locator('.n').textContent())
}

async function pagerTotal(page: Page) {
  const text = (await page.locator('.el-pagination__total').textContent()) ?? ''
  return Number(/(\d+)/.exec(text)?.[1])
}

/** Nothing on the page is wider than the window (no sideways scrolling of the whole page). */
async function expectNoPageOverflow(page: Page) {
  // Measured in the page (the spec's own TypeScript has no DOM types).
  const m = await page.evaluate(() => {
    type Box = { getBoundingClientRect(): { right: number } }
    const d = (
      globalThis as unknown as {
        document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelectorAll(s: string): ArrayLike<Box> }
      }
    ).document
    const panels = Array.from(d.querySelectorAll('.el-main .panel')).map((p) => p.getBoundingClientRect().right)
    return { scroll: d.documentElement.scrollWidth, client: d.documentElement.clientWidth, widest: Math.max(0, ...panels) }
  })
  expect(m.scroll).toBeLessThanOrEqual(m.client)
  expect(m.widest).toBeLessThanOrEqual(m.client)
}

test.describe('with a demo office', () => {
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's parameters from the pattern
  test.use({ prepareDataDir: async ({}, use) => use(demoOffice) })

  test("the clerk's cards open the lists they count; a page outside the role says 无权访问", async ({ app }) => {
    const { page } = app
    await signIn(page, 'clerk')
    await expect(page.getByTestId('home-todo')).toBeVisible()
    for (const key of ['lateThisMonth', 'expiringSoon', 'tasksOverdue', 'tasksDueSoon', 'tasksReturned', 'tasksToAssign'])
      await expect(page.getByTestId(`todo-${key}`)).toBeVisible()
    await expect(page.getByTestId('todo-repairsToDecide')).toHaveCount(0) // the supervisor's
    await expect(page.getByTestId('home-monthly-chart')).toBeVisible()
    await snap(page, '60-home-clerk')

    const expiring = await cardCount(page, 'expiringSoon')
    expect(expiring).toBeGreaterThan(0)
    await page.getByTestId('todo-expiringSoon').click()
    await expect(page.getByTestId('records-page')).toBeVisible()
    await expect(page.getByTestId('records-disclosure')).toContainText('30 天内到期')
    await expect.poll(() => pagerTotal(page)).toBe(expiring)
    await expect(page.getByTestId('breadcrumb')).toHaveText(/工作台\s*\/\s*信用目录\s*\/\s*归集数据/)

    // 公示中的失信信息: the figure and its list are one definition.
    const open = Number(await page.getByTestId('stat-open').textContent())
    await page.getByTestId('stat-open').click()
    await expect(page.getByTestId('records-disclosure')).toContainText('公示期内')
    await expect.poll(() => pagerTotal(page)).toBe(Math.min(open, 10_000))

    await page.goto(page.url().replace(/#.*$/, '#/system/users'))
    await expect(page.getByTestId('forbidden-page')).toContainText('无权访问')
    await expect(page.getByTestId('forbidden-page')).toContainText('您的角色（业务人员）不能使用“用户管理”')
    await snap(page, '61-forbidden')
    await page.getByText('返回工作台').click()
    await expect(page.getByTestId('home-page')).toBeVisible()
  })

  test("the supervisor's 修复/异议 card opens the 待审核 list, and the auditor sees today's refusals", async ({ app }) => {
    const { page } = app
    await signIn(page, 'supervisor')
    await expect(page.getByTestId('home-lights-chart')).toBeVisible()
    await expect(page.getByTestId('todo-lateThisMonth')).toHaveCount(0) // the clerk's
    const waiting = await cardCount(page, 'repairsToDecide')
    await page.getByTestId('todo-repairsToDecide').click()
    await expect(page.getByTestId('chip-pending')).toBeVisible()
    await expect(page.getByTestId('records-table').locator('tbody tr')).toHaveCount(waiting)
    await snap(page, '62-home-supervisor-pending')
    // Refused on purpose: a supervisor opening the users page in the address bar.
    await page.goto(page.url().replace(/#.*$/, '#/system/users'))
    await expect(page.getByTestId('forbidden-page')).toBeVisible()
    await logout(page)

    await signIn(page, 'auditor')
    await expect(page.getByTestId('todo-chain')).toContainText('尚未校验')
    await expect(page.getByTestId('todo-loginFailuresToday')).toBeVisible()
    await snap(page, '63-home-auditor')
    await page.getByTestId('todo-loginFailuresToday').click()
    await expect(page.getByTestId('login-log-page')).toBeVisible()
  })

  // Every page of every role at 1024×768, the narrowest office screen: nothing wider than the window.
  const PAGES: Record<string, string[]> = {
    clerk: [
      '/catalog/items',
      '/records',
      '/supervision/plans',
      '/supervision/due',
      '/supervision/dashboard',
      '/exchange',
      '/archives/people',
      '/archives/requests',
      '/credit/check',
      '/credit/checks',
      '/credit/lists',
      '/credit/cases',
      '/credit/commitments',
      '/credit/reports/new',
      '/records/monthly',
      '/catalog/disclosure-rules',
    ],
    supervisor: [
      '/supervision/reviews',
      '/archives/rules',
      '/credit/commitments',
      '/credit/cases',
      '/catalog/disclosure-rules',
      '/records/monthly',
    ],
    admin: ['/system/users', '/system/units', '/system/dicts', '/system/holidays', '/system/settings', '/system/backup'],
    auditor: ['/audit/operations', '/audit/logins'],
  }
  for (const [role, paths] of Object.entries(PAGES)) {
    test(`every page of the ${role} fits 1024×768`, async ({ app }) => {
      const { page } = app
      await page.setViewportSize({ width: 1024, height: 768 })
      await page.reload()
      await signIn(page, role)
      for (const path of paths) {
        await page.goto(page.url().replace(/#.*$/, `#${path}`))
        await expect(page.getByTestId('breadcrumb')).not.toHaveText(/^工作台$/)
        await page.waitForLoadState('networkidle')
        await expectNoPageOverflow(page)
        await snap(page, `70-${role}${path.replaceAll('/', '-')}-1024`)
      }
    })
  }

  for (const size of [
    { width: 1366, height: 768 },
    { width: 1024, height: 768 },
  ]) {
    test(`the clerk's screens fit ${size.width}×${size.height}; the menu folds and its last item can be reached`, async ({ app }) => {
      const { page } = app
      await page.setViewportSize(size)
      await page.reload()
      await signIn(page, 'clerk')
      await expectNoPageOverflow(page)
      await snap(page, `64-home-${size.width}`)
      // At 1024 the menu starts folded to icons, at 1366 open; the toggle switches, and both ways fit.
      const folded = size.width < 1200
      await expect(page.getByTestId('sidebar')).toHaveClass(folded ? /el-menu--collapse/ : /^((?!el-menu--collapse).)*$/)
      if (folded) await page.getByTestId('menu-toggle').click()
      // The brand stays; the menu scrolls to its last item.
      const last = page.getByTestId('sidebar').locator('.el-menu-item').last()
      await last.scrollIntoViewIfNeeded()
      await expect(last).toBeInViewport()
      await page.getByTestId('sidebar').getByText('归集数据').click()
      await expect(page.getByTestId('records-table').locator('tbody tr').first()).toBeVisible()
      await expectNoPageOverflow(page)
      await snap(page, `65-records-${size.width}-menu-open`)
      await page.getByTestId('menu-toggle').click()
      await expect(page.getByTestId('sidebar')).toHaveClass(/el-menu--collapse/)
      await expectNoPageOverflow(page)
      await snap(page, `66-records-${size.width}-menu-folded`)
    })
  }
})
