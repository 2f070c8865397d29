// plan import, tasks ledger, tasks feedback-form and tasks feedback-import: the same core as the app's 督查督办 pages,
// for scripting and for offices that work a unit's 反馈表 in bulk.
import { basename } from 'node:path'
import type { Knex } from 'knex'
import { appendAudit } from '../core/audit/audit-log'
import { beijingDate } from '../core/catalog/record-context'
import { officeCalendar } from '../core/calendar/holiday-table'
import { loadFieldKeys, noProtector } from '../core/security/key-store'
import { systemClock } from '../core/shared/clock'
import { importFeedbackForm, writeFeedbackForm } from '../core/supervision/feedback-form'
import { ledgerRows, writeLedger } from '../core/supervision/ledger'
import { savePlan } from '../core/supervision/plan-store'
import { readPlan } from '../core/supervision/plan-text'
import { matchUnits } from '../core/supervision/unit-matching'
import { osActor, withDatabase, type Out } from './cli-context'

export const SUPERVISION_USAGE = `  plan import FILE [--create-units] [--json]     分解工作要点并保存为督办任务（待交办）；组织机构中没有的单位名称须加
                                                --create-units 才新建，否则列出后不保存
  tasks ledger --out FILE.xlsx                  导出督查督办台账（每个任务的每个单位一行）
  tasks feedback-form --unit NAME --out FILE.xlsx
                                                导出单位的督办事项反馈表（NAME 为单位名称或其别名）
  tasks feedback-import FILE.xlsx [--dry-run] [--json]
                                                导入单位填好的反馈表：正确的行记为进展反馈或办结申请（一次事务），
                                                有问题的行逐行说明原因；--dry-run 只检查不写入`

interface Values {
  out?: string
  unit?: string
  json?: boolean
  'dry-run'?: boolean
  'create-units'?: boolean
}

async function audit(db: Knex, procedure: string, affectedIds: string[]): Promise<void> {
  await appendAudit(db, { at: Date.now(), actorUserId: null, actorName: osActor(), procedure, affectedIds, result: 'ok', via: 'cli' })
}

/** Runs a plan or tasks command; null when `sub` is not one of them. */
export async function runSupervision(
  command: string,
  sub: string | undefined,
  rest: string[],
  values: Values,
  dataDir: string,
  out: Out,
): Promise<number | null> {
  const today = beijingDate(Date.now())
  if (command === 'plan' && sub === 'import') {
    const file = rest[0]
    if (!file) {
      out.error('请提供工作要点文件 / give the plan file')
      return 2
    }
    return withDatabase(dataDir, out, async ({ db }) => {
      const plan = await readPlan(file)
      const names = plan.tasks.flatMap((t) => [...t.units.lead, ...t.units.responsible, ...t.units.cooperating])
      const matches = await matchUnits(db, names)
      // Names the office marked "not a unit" before are left out again.
      const unknown = matches.filter((m) => !m.unitId && m.how !== 'ignored').map((m) => m.name)
      if (unknown.length && !values['create-units']) {
        out.error(`以下 ${unknown.length} 个单位名称在组织机构中没有，未保存（加 --create-units 新建）：\n${unknown.join('\n')}`)
        return 1
      }
      const result = await savePlan(
        db,
        systemClock,
        {
          title: plan.title ?? basename(file),
          issuer: plan.issuer,
          docNumber: plan.docNumber,
          year: plan.year ?? Number(today.slice(0, 4)),
          sourceFile: basename(file),
          tasks: plan.tasks,
          resolutions: matches.map((m) => ({
            name: m.name,
            unitId: m.unitId,
            create: !m.unitId && m.how !== 'ignored',
            ignore: m.how === 'ignored',
          })),
        },
        null,
      )
      await audit(db, 'cli:plan-import', [`plan:${result.planId}`, `tasks:${result.tasks}`, `units-created:${result.unitsCreated}`])
      if (values.json) out.log(JSON.stringify(result))
      else out.log(`已保存 ${result.tasks} 项任务（计划 ${result.planId}），新建单位 ${result.unitsCreated} 个；任务待交办`)
      return 0
    })
  }

  if (command === 'tasks' && sub === 'ledger') {
    if (!values.out) {
      out.error('请提供 --out 文件名 / give --out FILE.xlsx')
      return 2
    }
    return withDatabase(dataDir, out, async ({ db }) => {
      const rows = await ledgerRows(db, { planId: null, unitId: null, status: null, light: null }, today, await officeCalendar(db))
      await writeLedger(rows, `督查督办台账（截至 ${today}）`, values.out!)
      await audit(db, 'cli:tasks-ledger', [`rows:${rows.length}`])
      out.log(`已导出台账 ${rows.length} 行：${values.out}`)
      return 0
    })
  }

  if (command === 'tasks' && sub === 'feedback-form') {
    if (!values.unit || !values.out) {
      out.error('请提供 --unit 单位名称 和 --out 文件名 / give --unit NAME and --out FILE.xlsx')
      return 2
    }
    return withDatabase(dataDir, out, async ({ db }) => {
      const [match] = await matchUnits(db, [values.unit!])
      if (!match?.unitId) {
        out.error(`组织机构中没有“${values.unit}”（也不是任何单位的别名）/ no such unit`)
        return 1
      }
      const n = await writeFeedbackForm(db, match.unitId, values.out!, today)
      await audit(db, 'cli:tasks-feedback-form', [`unit:${match.unitId}`, `tasks:${n}`])
      out.log(`已导出${match.unitName}的反馈表，${n} 项未办结任务：${values.out}`)
      return 0
    })
  }

  if (command === 'tasks' && sub === 'feedback-import') {
    const file = rest[0]
    if (!file) {
      out.error('请提供反馈表文件 / give the returned form FILE.xlsx')
      return 2
    }
    return withDatabase(dataDir, out, async ({ db }) => {
      const keys = await loadFieldKeys(db, dataDir, noProtector)
      const dryRun = !!values['dry-run']
      const r = await importFeedbackForm(
        db,
        { db, keys, dataDir },
        file,
        { userId: null, label: osActor(), now: Date.now(), today },
        { dryRun },
      )
      if (!dryRun)
        await audit(db, 'cli:tasks-feedback-import', [
          `file:${basename(file)}`,
          `progress:${r.progress}`,
          `completions:${r.completions}`,
          `refused:${r.issues.length}`,
        ])
      if (values.json) out.log(JSON.stringify({ dryRun, ...r }))
      else {
        out.log(
          `${dryRun ? '检查' : '导入'}完成：${r.rows} 行，进展反馈 ${r.progress} 项，办结申请 ${r.completions} 项，未填写 ${r.skipped} 行，有问题 ${r.issues.length} 行`,
        )
        for (const i of r.issues) out.log(`第 ${i.row} 行\t${i.reason}`)
      }
      return r.issues.length ? 1 : 0
    })
  }
  return null
}
