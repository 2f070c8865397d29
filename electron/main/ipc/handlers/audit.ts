// The audit log for the auditor: reading it, exporting it, checking its chain.
import { exportLogToXlsx } from '../../../core/audit/audit-export'
import { verifyAuditTrail } from '../../../core/audit/audit-chain'
import { noteChainCheck } from '../../../core/audit/chain-checks'
import { listAudit, listLogins } from '../../../core/audit/audit-log'
import { saveXlsx, type HandlersOf } from './shared'

export const auditHandlers: HandlersOf<'audit'> = {
  'audit:list': async (query, { db }) => listAudit(db, query),
  'audit:logins': async (query, { db }) => listLogins(db, query),
  'audit:export': async (input, ctx) => {
    const title = input.kind === 'operations' ? '操作日志' : '登录日志'
    const result = await saveXlsx(ctx, `导出${title}`, `${title}-${new Date(ctx.clock.now()).toISOString().slice(0, 10)}.xlsx`, (path) =>
      exportLogToXlsx(ctx.db, input, path),
    )
    if (!result.cancelled) ctx.affected.push(`export:${input.kind}`)
    return result
  },
  'audit:verify': async (_i, { db, clock }) => {
    const check = await verifyAuditTrail(db)
    await noteChainCheck(db, { at: clock.now(), intact: check.intact })
    return check
  },
}
