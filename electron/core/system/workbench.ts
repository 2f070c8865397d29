// The 工作台: what waits for this user today, per role, each count the size of a filtered list the renderer links to
// (the same filters those lists apply). A count is null where it is not this user's business.
import dayjs from 'dayjs'
import type { Knex } from 'knex'
import { Role } from '../../contract/roles'
import { lastChainCheck } from '../audit/chain-checks'
import { countAudit, countLogins } from '../audit/audit-log'
import type { IsoDate, WorkingCalendar } from '../calendar/working-calendar'
import { whereDisclosure } from '../catalog/disclosure'
import { whereBreachPending } from '../credit/commitments'
import { countRows } from '../shared/count-rows'
import { unitLights } from '../supervision/letters'

export interface WorkbenchUser {
  roles: Role[]
  /** The user's own unit: a department clerk sees its records and tasks; the county office (null) sees all. */
  unitId: number | null
  /** Publication requests are someone else's to decide. */
  userId: number | null
}

const LIGHTS = ['red', 'yellow', 'green', 'none'] as const

export async function workbench(db: Knex, user: WorkbenchUser, now: number, today: IsoDate, calendar: WorkingCalendar) {
  const is = (r: Role) => user.roles.includes(r)
  const clerk = is(Role.Clerk)
  const supervisor = is(Role.Supervisor)
  const admin = is(Role.Admin)
  const auditor = is(Role.Auditor)
  const when = async <T>(cond: boolean, f: () => Promise<T>): Promise<T | null> => (cond ? f() : null)

  const records = () => {
    const b = db('records as r')
    if (user.unitId !== null) b.where('r.supplier_unit_id', user.unitId)
    return b
  }
  const monthStart = dayjs(today).startOf('month').format('YYYY-MM-DD')
  const lights = clerk || supervisor ? await unitLights(db, today, calendar) : []
  const mine = lights.filter((l) => user.unitId === null || l.unitId === user.unitId)
  // Today in the office's time (Beijing), as `today` is.
  const dayStart = Date.parse(`${today}T00:00:00+08:00`)

  return {
    // 业务人员
    lateThisMonth: await when(clerk, () => countRows(records().where('r.is_late', true).where('r.reported_on', '>=', monthStart))),
    expiringSoon: await when(clerk, () => countRows(whereDisclosure(records(), 'expiring', today))),
    /** 问题数据: records the city sent back, waiting to be corrected. */
    recordsRejected: await when(clerk, () => countRows(records().whereNotNull('r.rejected_at'))),
    tasksDueSoon: clerk ? mine.filter((l) => l.light === 'yellow').length : null,
    tasksOverdue: clerk ? mine.filter((l) => l.light === 'red').length : null,
    tasksReturned: clerk ? mine.filter((l) => l.status === 'returned').length : null,
    tasksToAssign: await when(clerk || supervisor, () => countRows(db('tasks').where('status', 'created').whereNull('parent_id'))),
    /** Plans the city issued that name units this office has not matched yet. */
    plansToReview: await when(clerk || supervisor, () => countRows(db('plan_drafts'))),
    /** Reported per month over the last six months (this one included), on time and late. */
    monthly: await when(clerk, () => monthlyReports(db, records(), today)),
    // 审核人员
    catalogToReview: await when(supervisor, () => countRows(db('catalog_items').where('status', 'submitted'))),
    accessToDecide: await when(supervisor, () => countRows(db('archive_access').where('status', 'pending'))),
    repairsToDecide: await when(supervisor, () => countRows(db('record_actions').where('status', 'pending'))),
    changesToDecide: await when(supervisor, () => countRows(db('record_changes').where('status', 'pending'))),
    extensionsToDecide: await when(supervisor, () => countRows(db('task_events').where({ kind: 'extension', status: 'pending' }))),
    completionsToReview: await when(supervisor, () => countRows(db('task_units').where('status', 'submitted'))),
    publishToDecide: await when(supervisor, () =>
      countRows(
        db('tasks')
          .where('status', 'awaiting_publish')
          .whereNot('publish_requested_by', user.userId ?? 0),
      ),
    ),
    breachesToDecide: await when(supervisor, () => countRows(whereBreachPending(db('commitments as c')))),
    overdueUnits: supervisor ? new Set(lights.filter((l) => l.light === 'red').map((l) => l.unitId)).size : null,
    lights: supervisor ? LIGHTS.map((light) => ({ light, count: lights.filter((l) => l.light === light).length })) : null,
    // 系统管理员
    // Lockouts are kept per typed name; only those of real accounts are accounts to unlock (as the users list shows).
    lockedAccounts: await when(admin, () =>
      countRows(
        db('login_throttle as t')
          .whereExists((e) => e.select(db.raw('1')).from('users as u').whereRaw('lower(u.username) = t.username_key'))
          .where('t.locked_until', '>', now),
      ),
    ),
    ownKeys: await when(admin, () => countRows(db('exchange_keys').whereNull('retired_at'))),
    peerKeys: await when(admin, () => countRows(db('exchange_peers').whereNull('retired_at'))),
    // 安全审计员
    refusalsToday: await when(auditor, () => countAudit(db, { from: dayStart, result: 'refused' })),
    failuresToday: await when(auditor, () => countAudit(db, { from: dayStart, result: 'failed' })),
    loginFailuresToday: await when(auditor, () => countLogins(db, { from: dayStart, result: 'unsuccessful' })),
    chainCheck: auditor ? await lastChainCheck(db) : null,
  }
}

async function monthlyReports(db: Knex, records: Knex.QueryBuilder, today: IsoDate) {
  const first = dayjs(today).startOf('month').subtract(5, 'month')
  const rows = await records
    .where('r.reported_on', '>=', first.format('YYYY-MM-DD'))
    .where('r.reported_on', '<=', today)
    .groupByRaw('substr(r.reported_on, 1, 7)')
    .select<Array<{ month: string; late: number | null; total: number }>>(
      db.raw('substr(r.reported_on, 1, 7) as month'),
      db.raw('count(*) as total'),
      db.raw('sum(CASE WHEN r.is_late THEN 1 ELSE 0 END) as late'),
    )
  return Array.from({ length: 6 }, (_, i) => {
    const month = first.add(i, 'month').format('YYYY-MM')
    const row = rows.find((r) => r.month === month)
    const late = Number(row?.late ?? 0)
    return { month, onTime: Number(row?.total ?? 0) - late, late }
  })
}
