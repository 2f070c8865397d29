import { ErrorCode } from '../contract/errors'
import { AppError } from '../core/shared/app-error'

/** The blocking dialog shown when the database cannot be opened: what happened, and which backup to use. */
export function startupErrorMessage(err: unknown, dataDir: string): { title: string; body: string } {
  const backup = err instanceof AppError ? (err.details?.backup as string | null | undefined) : undefined
  const backupLine = backup ? `最近的备份文件：${backup}` : '未找到备份文件。'
  const where = `数据目录：${dataDir}`
  if (err instanceof AppError) {
    switch (err.code) {
      case ErrorCode.DbNewerThanApp:
        return { title: '数据库版本过新', body: `此数据库由更新版本的信用通创建，当前程序无法打开。\n请安装最新版本后再启动，不要用旧版本修改它。\n${where}\n${backupLine}` }
      case ErrorCode.DbCorrupt:
        return { title: '数据库文件已损坏', body: `数据库文件无法读取，程序不会对它做任何修改。\n请联系管理员用备份文件恢复。\n${where}\n${backupLine}` }
      case ErrorCode.DbLocked:
        return { title: '数据库被占用', body: `数据库正被另一个程序（例如命令行工具）使用。\n请关闭该程序后重新启动信用通。\n${where}\n${backupLine}` }
    }
  }
  return { title: '无法启动', body: `打开数据库时出错，程序已停止，数据未被修改。\n${where}\n${backupLine}` }
}
