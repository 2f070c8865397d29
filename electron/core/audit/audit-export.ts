import type { Knex } from 'knex'
import type { AuditExportInput } from '../../contract/schemas/audit'
import { LOGIN_RESULT_LABELS, procedureLabel, resultText } from '../../contract/labels.zh-CN'
import { auditRows, loginRows } from './audit-log'
import { writeXlsxStream } from '../shared/xlsx-stream'

function formatTime(ms: number): string {
  // Beijing time for the office's records, regardless of the PC's time zone setting.
  return new Date(ms + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19)
}

/**
 * Writes the filtered log to an .xlsx file (streamed; a failure leaves no half file at `path`).
 */
export async function exportLogToXlsx(db: Knex, input: AuditExportInput, path: string): Promise<number> {
  return writeXlsxStream(path, async (wb) => {
    let rows = 0
    if (input.kind === 'operations') {
      const ws = wb.addWorksheet('操作日志')
      ws.columns = [
        { header: '编号', key: 'id', width: 10 },
        { header: '时间（北京时间）', key: 'at', width: 22 },
        { header: '操作人', key: 'actor', width: 16 },
        { header: '操作', key: 'procedure', width: 20 },
        { header: '操作代码', key: 'code', width: 24 },
        { header: '涉及对象', key: 'affected', width: 40 },
        { header: '对象编号', key: 'ids', width: 24 },
        { header: '结果', key: 'result', width: 24 },
        { header: '结果代码', key: 'resultCode', width: 20 },
        { header: '工作站（主机与系统账户）', key: 'workstation', width: 28 },
      ]
      for await (const e of auditRows(db, input.filter)) {
        ws.addRow({
          id: e.id,
          at: formatTime(e.at),
          actor: e.actorName ?? '（未登录）',
          procedure: procedureLabel(e.procedure),
          code: e.procedure,
          affected: e.affected.join('；'),
          ids: e.affectedIds.join(', '),
          result: resultText(e.result),
          resultCode: e.result,
          workstation: e.workstation ?? '',
        }).commit()
        rows++
      }
    } else {
      const ws = wb.addWorksheet('登录日志')
      ws.columns = [
        { header: '编号', key: 'id', width: 10 },
        { header: '时间（北京时间）', key: 'at', width: 22 },
        { header: '用户名', key: 'username', width: 20 },
        { header: '结果', key: 'result', width: 24 },
        { header: '途径', key: 'via', width: 10 },
        { header: '工作站（主机与系统账户）', key: 'workstation', width: 28 },
      ]
      for await (const e of loginRows(db, input.filter)) {
        ws.addRow({
          id: e.id,
          at: formatTime(e.at),
          username: e.username,
          result: LOGIN_RESULT_LABELS[e.result] ?? e.result,
          via: e.via === 'cli' ? '命令行' : '客户端',
          workstation: e.workstation ?? '',
        }).commit()
        rows++
      }
    }
    return rows
  })
}
