import type { IpcError } from '../../../../electron/contract'
import {
  backupRejectionText,
  importRejectionText,
  keyFileRejectionText,
  packageRejectionText,
  planFileText,
} from '../../../../electron/contract/messages.zh-CN'
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
  SELF_REVIEW: '不能审核自己起草或登记的内容，请由其他审核人员审核',
  'INVALID_STATE:batch_sent': '这批数据已有记录报送市平台，不能整批撤销；请对有误的记录申请更正或撤回',
  'INVALID_STATE:batch_in_use': '这批数据中已有记录办理了修复、异议、更正或撤回，不能整批撤销',
  'INVALID_STATE:rolled_back': '这批导入已撤销',
  'INVALID_STATE:rollback_pending': '这批导入已申请撤销，等待审核',
  'INVALID_STATE:withdrawn': '该记录已撤回，不能再更正或撤回',
  'INVALID_STATE:change_pending': '该记录已有待审核的更正/撤回申请，请先审核',
  'INVALID_STATE:shipped_rule': '随软件提供的国家规则不能修改或删除；如本地另有规定，请新增一条规则（写明依据文号和施行日期）',
  'INVALID_STATE:no_peer': '尚未导入市平台的交换公钥：请系统管理员先在“数据交换”页导入',
  'INVALID_STATE:choose_peer': '有多个接收方，请选择发给哪一方',
  'INVALID_STATE:job_running': '另一个数据包任务正在进行，请等它完成',
  'INVALID_STATE:too_early': '尚未达到最短公示期，{repairableFrom} 起方可申请信用修复',
  'INVALID_STATE:expired': '公示期已满，该信息已不再公示，无需信用修复',
  'INVALID_STATE:closed': '该记录已修复或已撤销公示',
  'INVALID_STATE:pending': '该记录已有待审核的申请，请先审核',
  'INVALID_STATE:not_disclosed': '只有公示中的失信（不良）信息才能办理信用修复或异议',
  'INVALID_STATE:decided': '该申请已审核，不能重复审核',
  'INVALID_STATE:no_units': '以下任务还没有承办单位，不能交办（本次未交办任何任务）：{tasks}',
  'INVALID_STATE:already_assigned': '该任务已交办',
  'INVALID_STATE:has_errors': '文件中有错误行：请修改后重新导入，或选择“只导入正确的行”',
  'INVALID_STATE:nothing_valid': '文件中没有可导入的正确行',
  'INVALID_STATE:busy': '另一个导入正在进行，请等待其完成后再试',
  'INVALID_STATE:file_changed': '文件在预览后被修改过，请重新选择文件并预览',
  'INVALID_STATE:no_errors': '没有错误行，无需下载错误报告',
  'INVALID_STATE:not_previewed': '请先完成文件检查',
  IMPORT_HAS_ERRORS: '有 {invalidRows} 行数据有错误。按“全部导入或全部不导入”的规则，本次未导入任何数据',
  DISK_FULL: '磁盘空间不足，操作未完成，已写入的数据已全部撤回（事件编号 {incidentId}）',
  KEYS_MISSING: '数据加密密钥文件缺失或损坏（{dir}），请从备份恢复 keys 文件夹',
  KEYS_MISMATCH: '数据加密密钥与数据库不匹配（{dir}），请恢复与该数据库配套的 keys 文件夹',
  KEYS_UNAVAILABLE: '数据加密密钥受操作系统保护，只能在本机桌面程序中使用',
  'ATTACHMENT_REJECTED:too_large': '文件超过 {limitMb} MB，请压缩或分页扫描后再上传',
  'ATTACHMENT_REJECTED:empty': '文件是空的',
  'ATTACHMENT_REJECTED:unsupported': '只能上传 PDF、JPG、PNG、TIF 格式的扫描件',
  'ATTACHMENT_REJECTED:mismatch': '文件内容与扩展名（{claimed}）不符，可能不是真正的扫描件，已拒绝',
  'FORBIDDEN:no_grant': '查阅完整档案须先提出申请，并经审核人员批准（已记录此次尝试）',
  'FORBIDDEN:self': '不能查阅或处理本人的档案（已记录）',
  'FORBIDDEN:recused': '您已登记回避该人员的档案（已记录）',
  'INVALID_STATE:granted': '您已获准查阅该档案，无需重复申请',
  FIELD_DECRYPT_FAILED: '加密保存的数据无法解密，可能已被改动或损坏，操作未完成',
  'FIELD_DECRYPT_FAILED:scan': '扫描件“{fileName}”无法解密，可能已被改动或损坏，数据包未生成。请从备份恢复附件后重试',
  CANCELLED: '操作已取消',
  FILE_WRITE_FAILED: '文件写入失败（{reason}），请检查磁盘空间或选择其他位置',
  DB_NEWER_THAN_APP: '数据库版本比程序新，请升级程序',
  DB_CORRUPT: '数据库文件已损坏',
  DB_LOCKED: '数据库被其他程序占用',
  'INVALID_STATE:no_passphrase': '尚未设置备份口令：请先在“备份与恢复”页设置',
  'KEYS_UNAVAILABLE:backup_key': '备份口令受本机桌面程序保护，请在桌面程序中操作',
  'KEYS_MISSING:backup_key': '备份密钥文件已损坏，请重新设置备份口令',
}

/** Chinese text for an error from main, filled from its details (never string concatenation of codes). */
export function errorText(error: IpcError): string {
  const details = error.details ?? {}
  if (error.code === 'PACKAGE_REJECTED') return packageRejectionText(details)
  if (error.code === 'BACKUP_REJECTED') return backupRejectionText(details)
  if (error.code === 'KEY_FILE_REJECTED' || (error.code === 'CONFLICT' && details.reason === 'peer_exists'))
    return keyFileRejectionText(details)
  if (error.code === 'IMPORT_FILE_REJECTED')
    return planFileText(details.reason) ?? importRejectionText(details as { reason?: unknown; columns?: unknown })
  // A state refusal says which state: INVALID_STATE with details.reason picks its own sentence.
  const template = TEXT[`${error.code}:${String(details.reason)}`] ?? TEXT[error.code] ?? TEXT.INTERNAL!
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = details[key]
    if (key === 'retryAt' && typeof value === 'number') return formatTime(value)
    if (Array.isArray(value)) return value.join('；')
    return value == null ? '—' : String(value)
  })
}
