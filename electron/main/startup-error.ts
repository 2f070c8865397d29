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
        return {
          title: '数据库版本过新',
          body: `此数据库由更新版本的信用通创建，当前程序无法打开。\n请安装最新版本后再启动，不要用旧版本修改它。\n${where}\n${backupLine}`,
        }
      case ErrorCode.DbCorrupt:
        return {
          title: '数据库文件已损坏',
          body: `数据库文件无法读取，程序不会对它做任何修改。\n请联系管理员用备份文件恢复。\n${where}\n${backupLine}`,
        }
      case ErrorCode.KeysMissing:
        return {
          title: '数据加密密钥缺失',
          body: `数据库中的身份证号等敏感信息需要 keys 文件夹中的密钥才能读取，但密钥文件不存在或已损坏。\n请从备份恢复数据目录下的 keys 文件夹，程序不会生成新密钥覆盖它。\n${where}`,
        }
      case ErrorCode.KeysMismatch:
        return {
          title: '数据加密密钥不匹配',
          body: `keys 文件夹中的密钥不属于这个数据库（可能只恢复了数据库或只恢复了密钥）。\n请恢复与该数据库配套的 keys 文件夹。\n${where}`,
        }
      case ErrorCode.KeysUnavailable:
        return {
          title: '无法读取数据加密密钥',
          body: `密钥受操作系统账户保护，只能由创建它的 Windows/Linux 用户在本机桌面程序中读取。\n${where}`,
        }
      case ErrorCode.DbLocked:
        return {
          title: '数据库被占用',
          body: `${lockHolderText(err.details?.holder)}\n请关闭该程序后重新启动信用通。\n${where}\n${backupLine}`,
        }
    }
  }
  return { title: '无法启动', body: `打开数据库时出错，程序已停止，数据未被修改。\n${where}\n${backupLine}` }
}

/** Who holds the data folder, as the lock file says (core/shared/data-dir-lock.ts). */
function lockHolderText(holder: unknown): string {
  const h = holder as { program?: string; pid?: number; host?: string; user?: string; since?: number } | null | undefined
  if (!h?.pid) return '数据库正被另一个程序（例如命令行工具）使用。'
  const program = h.program === 'app' ? '信用通桌面程序' : '信用通命令行工具'
  const since = h.since ? new Date(h.since).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : ''
  return `数据目录正被${program}使用（计算机 ${h.host ?? ''}，用户 ${h.user ?? ''}，进程号 ${h.pid}${since ? `，自 ${since} 起` : ''}）。`
}
