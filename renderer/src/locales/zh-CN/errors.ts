import type { IpcError } from '../../../../electron/contract'
import { formatTime } from '../../utils/format'

const TEXT: Record<string, string> = {
  VALIDATION: '输入有误，请检查标红的项目',
  INTERNAL: '操作失败，请联系管理员（事件编号 {incidentId}）',
  UNKNOWN_PROCEDURE: '不支持的操作',
  UNTRUSTED_SENDER: '请求来源不可信，已拒绝并记录',
  NOT_AUTHENTICATED: '登录已失效，请重新登录',
  SESSION_LOCKED: '屏幕已锁定，请输入密码解锁',
  PASSWORD_CHANGE_REQUIRED: '请先修改初始密码',
  FORBIDDEN: '您没有执行此操作的权限，已记录',
  NOT_FOUND: '要操作的记录不存在，可能已被删除',
  CONFLICT: '数据已被他人修改，请刷新后重试',
  SETUP_ALREADY_DONE: '系统已完成初始化，不能重复初始化',
  SETUP_REQUIRED: '系统尚未初始化',
  LOGIN_FAILED: '用户名或密码错误',
  ACCOUNT_LOCKED: '登录失败次数过多，账户已锁定，请于 {retryAt} 后再试或联系管理员',
  ACCOUNT_DISABLED: '账户已停用，请联系管理员',
  WRONG_PASSWORD: '密码错误，还可尝试 {remaining} 次',
  SELF_MODIFICATION: '不能停用自己的账户或取消自己的管理员角色',
  LAST_ADMIN: '这是最后一个可用的系统管理员，不能停用或取消其管理员角色',
  UNIT_IN_USE: '该单位下还有下级单位或用户，不能删除；可以改为停用',
  INVALID_STATE: '当前状态下不能执行此操作，请刷新后重试',
  SELF_REVIEW: '不能审核自己起草的目录事项，请由其他审核人员审核',
  CANCELLED: '操作已取消',
  FILE_WRITE_FAILED: '文件写入失败（{reason}），请检查磁盘空间或选择其他位置',
  DB_NEWER_THAN_APP: '数据库版本比程序新，请升级程序',
  DB_CORRUPT: '数据库文件已损坏',
  DB_LOCKED: '数据库被其他程序占用',
}

/** Chinese text for an error from main, filled from its details (never string concatenation of codes). */
export function errorText(error: IpcError): string {
  const details = error.details ?? {}
  const template = TEXT[error.code] ?? TEXT.INTERNAL!
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = details[key]
    if (key === 'retryAt' && typeof value === 'number') return formatTime(value)
    return value == null ? '—' : String(value)
  })
}
