// The 工作台 through the router: each role sees its own counts and no one else's, each count equals the list it links
// to (same filters, same unit scope), and the day and month boundaries are Beijing's.
import { describe, expect, it } from 'vitest'
import type { Workbench } from '../../electron/contract/schemas/auth'
import type { Sender } from '../../electron/main/ipc/context'
import { adminSession, errorOf, expectOk, freshBackend, userSession, WINDOW, PENALTY } from '../helpers'

// freshBackend's clock: 2026-11-22 10:00 Beijing.
const BEIJING = (iso: string) => Date.parse(`${iso}+08:00`)
// Decided 2023-12-01 under the 2023 regime (一般: at most 36 months): disclosed until 2026-12-01, within 30 days of
// 2026-11-22, and reported years late.
const OLD_PENALTY = { ...PENALTY, CF_WSH: '罚〔2023〕9号', CF_JDRQ: '2023-12-01', CF_YXQ: '2024-12-01' }

type Call = (name: string, input?: unknown) => Promise<{ ok: boolean; data?: unknown; error?: unknown }>
const bench = async (call: Call) => expectOk(await call('home:todo')) as Workbench
const total = async (call: Call, q: object) =>
  (expectOk(await call('records:list', { page: 1, pageSize: 20, ...q })) as { total: number }).total

async function office() {
  const b = await freshBackend()
  const admin = await adminSession(b)
  const unit = async (name: string, sortOrder: number) =>
    (expectOk(await admin('units:create', { parentId: null, name, kind: 'county_dept', sortOrder })) as { id: number }).id
  const market = await unit('县市场监督管理局', 1)
  const health = await unit('县卫生健康局', 2)
  const county = await userSession(b, admin, 'county', ['clerk'])
  // A department clerk: the account belongs to the market regulator.
  const sender: Sender = { ...WINDOW, id: 'window-dept' }
  expectOk(
    await admin('users:create', { username: 'dept', displayName: '部门', roles: ['clerk'], unitId: market, initialPassword: 'Init#2026b' }),
  )
  expectOk(await b.dispatch(sender, 'auth:login', { username: 'dept', password: 'Init#2026b' }))
  expectOk(await b.dispatch(sender, 'auth:change-password', { oldPassword: 'Init#2026b', newPassword: 'Work#2026cc' }))
  const dept: Call = (name, input = {}) => b.dispatch(sender, name, input)
  const supervisor = await userSession(b, admin, 'boss', ['supervisor'])
  const auditor = await userSession(b, admin, 'audit', ['auditor'])
  const add = async (values: object, unitId: number) =>
    (expectOk(await county('records:create', { itemCode: 'SGS_CF', supplierUnitId: unitId, values })) as { id: number }).id
  return { b, admin, county, dept, supervisor, auditor, market, health, add }
}

describe('the 工作台', () => {
  it('shows each role its own counts and nothing of the others', async () => {
    const { admin, county, supervisor, auditor } = await office()
    const clerkKeys = [
      'lateThisMonth',
      'expiringSoon',
      'recordsRejected',
      'tasksDueSoon',
      'tasksOverdue',
      'tasksReturned',
      'tasksToAssign',
      'plansToReview',
      'monthly',
    ]
    const supervisorKeys = [
      'catalogToReview',
      'accessToDecide',
      'repairsToDecide',
      'changesToDecide',
      'extensionsToDecide',
      'publishToDecide',
      'completionsToReview',
      'breachesToDecide',
      'overdueUnits',
      'lights',
      'tasksToAssign',
      'plansToReview',
    ]
    const adminKeys = ['lockedAccounts', 'ownKeys', 'peerKeys']
    const auditorKeys = ['refusalsToday', 'failuresToday', 'loginFailuresToday']
    const present = (w: Workbench) =>
      Object.entries(w)
        .filter(([, v]) => v !== null)
        .map(([k]) => k)
        .sort()
    expect(present(await bench(county))).toEqual([...clerkKeys].sort())
    expect(present(await bench(supervisor))).toEqual([...supervisorKeys].sort())
    expect(present(await bench(admin))).toEqual([...adminKeys].sort())
    // The chain was never checked: the auditor's card says so (null) rather than vanish.
    expect(present(await bench(auditor))).toEqual([...auditorKeys].sort())
  })

  it("counts a clerk's late and expiring records in the clerk's own unit, as the linked lists filter them", async () => {
    const { b, county, dept, market, health, add } = await office()
    // Moving the clock trips the idle lock: both clerks unlock, as they would.
    const at = async (time: string) => {
      b.clock.set(BEIJING(time))
      for (const call of [county, dept]) await call('auth:unlock', { password: 'Work#2026cc' })
    }
    // Reported 2026-10-31 23:30 Beijing: late, but last month.
    await at('2026-10-31T23:30:00')
    await add({ ...OLD_PENALTY, CF_WSH: '罚〔2023〕1号' }, market)
    await at('2026-11-22T10:00:00')
    await add(PENALTY, market) // on time
    await add(OLD_PENALTY, market) // late, expiring
    await add({ ...OLD_PENALTY, CF_WSH: '罚〔2023〕2号' }, health) // late, expiring, another unit

    expect(await bench(dept)).toMatchObject({ lateThisMonth: 1, expiringSoon: 2 })
    expect(await bench(county)).toMatchObject({ lateThisMonth: 2, expiringSoon: 3 })
    // The card's count is its list's total.
    expect(await total(dept, { late: true, reportedFrom: '2026-11-01', supplierUnitId: market })).toBe(1)
    expect(await total(dept, { disclosure: 'expiring', supplierUnitId: market })).toBe(2)
    expect(await total(county, { late: true, reportedFrom: '2026-11-01' })).toBe(2)
    expect(await total(county, { disclosure: 'expiring' })).toBe(3)
    // Six months of reports, this one last; 2026-10 holds the late one of the 31st.
    const monthly = (await bench(county)).monthly!
    expect(monthly.map((m) => m.month)).toEqual(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'])
    expect(monthly.at(-1)).toEqual({ month: '2026-11', onTime: 1, late: 2 })
    expect(monthly.at(-2)).toEqual({ month: '2026-10', onTime: 0, late: 1 })

    // The month's last minute still counts November; Beijing midnight starts December with nothing late, and one
    // reported on its first day counts.
    await at('2026-11-30T23:59:00')
    expect(await bench(county)).toMatchObject({ lateThisMonth: 2 })
    await at('2026-12-01T00:00:00')
    expect(await bench(county)).toMatchObject({ lateThisMonth: 0 })
    await add({ ...OLD_PENALTY, CF_WSH: '罚〔2023〕3号' }, health)
    expect(await bench(county)).toMatchObject({ lateThisMonth: 1 })
    expect(await total(county, { late: true, reportedFrom: '2026-12-01' })).toBe(1)
  })

  it("counts the supervisor's waiting 修复/异议 as the records list's 待审核 filter lists them", async () => {
    const { county, supervisor, market, add } = await office()
    const first = await add(PENALTY, market)
    await add({ ...PENALTY, CF_WSH: '罚〔2026〕2号' }, market)
    const file = (recordId: number) =>
      county('records:file-action', {
        recordId,
        kind: 'objection',
        applicant: '某某食品有限公司',
        reason: '主体错误',
        documents: '异议申请书',
      })
    expectOk(await file(first))
    expect(await bench(supervisor)).toMatchObject({ repairsToDecide: 1 })
    expect(await total(supervisor, { pendingAction: true })).toBe(1)
    expect(await total(supervisor, {})).toBe(2)
  })

  it('tells the administrator how many accounts are locked, until the lock runs out', async () => {
    const { b, admin } = await office()
    const other: Sender = { ...WINDOW, id: 'window-x' }
    for (let i = 0; i < 5; i++) errorOf(await b.dispatch(other, 'auth:login', { username: 'county', password: 'Wrong#2026zz' }))
    // A name that is no account is throttled too, but there is nothing to unlock: not counted.
    for (let i = 0; i < 5; i++) errorOf(await b.dispatch(other, 'auth:login', { username: 'nobody', password: 'Wrong#2026zz' }))
    // Setup made the office's own exchange key; no city key is imported yet.
    expect(await bench(admin)).toMatchObject({ lockedAccounts: 1, ownKeys: 1, peerKeys: 0 })
    b.clock.advance(31 * 60_000)
    expectOk(await admin('auth:unlock', { password: 'Zhang#2026x' })) // idle for 31 minutes
    expect(await bench(admin)).toMatchObject({ lockedAccounts: 0 })
  })

  it("tells the auditor today's refusals, failures and failed logins (Beijing day) and when the chain was last checked", async () => {
    const { b, county, auditor } = await office()
    errorOf(await county('users:list', { page: 1, pageSize: 20 })) // refused: not an administrator
    errorOf(await county('records:create', { itemCode: 'SGS_CF', supplierUnitId: null, values: { ...PENALTY, XDR_SHXYM: '123' } })) // failed
    errorOf(await b.dispatch({ ...WINDOW, id: 'w' }, 'auth:login', { username: 'county', password: 'Wrong#2026zz' }))
    expect(await bench(auditor)).toMatchObject({ refusalsToday: 1, failuresToday: 1, loginFailuresToday: 1, chainCheck: null })
    expect(expectOk(await auditor('audit:verify'))).toMatchObject({ intact: true })
    expect((await bench(auditor)).chainCheck).toEqual({ at: b.clock.now(), intact: true })
    // Midnight in Beijing starts a new day.
    b.clock.set(BEIJING('2026-11-23T00:00:00'))
    expectOk(await auditor('auth:unlock', { password: 'Work#2026cc' })) // the idle lock came first
    expect(await bench(auditor)).toMatchObject({ refusalsToday: 0, failuresToday: 0, loginFailuresToday: 0 })
  })
})
