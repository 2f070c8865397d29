import type { ProcedureName } from './names'
import type { Role } from './roles'

// Names users see for procedures (audit log viewer and its Excel export) and roles.
export const PROCEDURE_LABELS: Record<ProcedureName, string> = {
  'setup:status': '查询初始化状态',
  'setup:complete': '系统初始化',
  'auth:me': '查询当前用户',
  'auth:login': '登录',
  'auth:logout': '退出登录',
  'auth:change-password': '修改本人密码',
  'auth:unlock': '解除锁屏',
  'auth:heartbeat': '保持会话',
  'users:list': '查询用户',
  'users:create': '新增用户',
  'users:update': '修改用户',
  'users:set-disabled': '启用/停用用户',
  'users:reset-password': '重置用户密码',
  'units:tree': '查询组织机构',
  'units:create': '新增单位',
  'units:update': '修改单位',
  'units:delete': '删除单位',
  'dicts:types': '查询字典',
  'dicts:items': '查询字典项',
  'dicts:create-type': '新增字典',
  'dicts:save-item': '保存字典项',
  'settings:get': '查询系统设置',
  'settings:update': '修改系统设置',
  'audit:list': '查询操作日志',
  'audit:logins': '查询登录日志',
  'audit:export': '导出日志',
  'audit:verify': '校验日志完整性',
  'catalog:categories': '查询目录分类',
  'catalog:list': '查询信用信息目录',
  'catalog:get': '查看目录事项',
  'catalog:versions': '查看目录事项版本',
  'catalog:save-draft': '保存目录事项草稿',
  'catalog:submit': '提交目录事项审核',
  'catalog:review': '审核目录事项',
  'catalog:new-version': '新建目录事项版本',
  'catalog:retire': '停用目录事项',
  'catalog:compare': '比较目录事项版本',
  'records:list': '查询归集数据',
  'records:stats': '查询归集统计',
  'records:get': '查看归集数据',
  'records:create': '录入归集数据',
  'records:template': '下载导入模板',
  'records:export': '导出归集数据',
  'records:import-open': '检查导入文件',
  'records:import-job': '查询导入进度',
  'records:import-cancel': '取消导入',
  'records:import-commit': '开始导入归集数据',
  'records:import-errors': '下载导入错误报告',
  'records:file-action': '登记信用修复/异议申请',
  'records:decide-action': '审核信用修复/异议申请',
  'calendar:year': '查询节假日安排',
  'calendar:save-day': '保存节假日安排',
  'calendar:delete-day': '删除节假日安排',
  'calendar:confirm-year': '确认全年节假日安排',
}

/** Procedures invoked outside the app's IPC door (command line) also appear in the audit log. */
export const EXTRA_AUDIT_LABELS: Record<string, string> = {
  'cli:user-reset-password': '命令行重置密码',
  'cli:db-migrate': '命令行升级数据库',
  'cli:records-import': '命令行导入归集数据',
  'cli:demo-seed': '命令行生成演示数据',
  'job:records-import': '导入归集数据（完成）',
}

export function procedureLabel(name: string): string {
  return (PROCEDURE_LABELS as Record<string, string>)[name] ?? EXTRA_AUDIT_LABELS[name] ?? name
}

export const FIELD_TYPE_LABELS: Record<string, string> = {
  text: '文本', integer: '整数', decimal: '小数', date: '日期', uscc: '统一社会信用代码', idcard: '身份证号', dict: '字典',
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  clerk: '业务人员',
  supervisor: '审核人员',
  auditor: '安全审计员',
}

export const LOGIN_RESULT_LABELS: Record<string, string> = {
  success: '成功',
  failure: '密码错误或用户不存在',
  locked: '账户锁定',
  disabled: '账户已停用',
}
