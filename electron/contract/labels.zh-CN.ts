import type { ProcedureName } from './names'
import type { Role } from './roles'
import { REFUSAL_CODES, type ErrorCode } from './errors'
import type { LoginResult } from './schemas/audit'
import type { CommitmentStatus, HitSource, ListSource, ListStatus, SubjectKind, Verdict } from './schemas/credit'

// Names users see for procedures (audit log viewer and its Excel export) and roles.
const PROCEDURE_LABELS: Record<ProcedureName, string> = {
  'setup:complete': '系统初始化',
  'setup:restore': '从备份恢复（新电脑）',
  'recovery:restore': '从备份恢复（数据损坏时）',
  'auth:me': '查询当前用户',
  'auth:login': '登录',
  'auth:logout': '退出登录',
  'auth:change-password': '修改本人密码',
  'auth:unlock': '解除锁屏',
  'auth:heartbeat': '保持会话',
  'home:todo': '查询待办',
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
  'backup:status': '查看备份状态',
  'backup:set-passphrase': '设置备份口令',
  'backup:save-settings': '修改备份设置',
  'backup:export-start': '备份到U盘',
  'backup:job': '查看备份进度',
  'backup:cancel': '取消备份',
  'backup:restore': '从备份恢复',
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
  'records:entry-defaults': '查询录入默认值',
  'records:export': '导出归集数据',
  'records:import-open': '检查导入文件',
  'records:import-job': '查询导入进度',
  'records:import-cancel': '取消导入',
  'records:import-commit': '开始导入归集数据',
  'records:import-errors': '下载导入错误报告',
  'records:file-action': '登记信用修复/异议申请',
  'records:decide-action': '审核信用修复/异议申请',
  'records:batch': '查看导入批次',
  'records:request-rollback': '申请撤销整批导入',
  'records:decide-rollback': '审核撤销整批导入',
  'records:propose-correction': '申请更正归集数据',
  'records:propose-withdrawal': '申请撤回归集数据',
  'records:decide-change': '审核更正/撤回申请',
  'disclosure:rules': '查询公示期限规则',
  'stats:monthly': '查看归集月报',
  'stats:monthly-export': '导出归集月报',
  'stats:monthly-pdf': '导出归集月报通报（PDF）',
  'disclosure:save-rule': '保存公示期限规则',
  'disclosure:remove-rule': '删除公示期限规则',
  'calendar:year': '查询节假日安排',
  'calendar:save-day': '保存节假日安排',
  'calendar:delete-day': '删除节假日安排',
  'calendar:confirm-year': '确认全年节假日安排',
  'people:list': '查询诚信档案人员',
  'people:get': '查看人员概况',
  'people:create': '新建诚信档案',
  'people:update': '修改人员信息',
  'people:import': '批量导入人员',
  'people:template': '下载人员导入模板',
  'archives:request-access': '申请查阅诚信档案',
  'archives:requests': '查询查阅申请',
  'archives:decide-access': '审批查阅申请',
  'archives:open': '查阅诚信档案',
  'archives:reveal-id': '查看完整身份证号',
  'archives:add-entry': '记录档案事项',
  'archives:attach': '上传档案附件',
  'archives:grade-override': '调整诚信等级',
  'archives:rules': '查询分级规则',
  'archives:save-rule': '修改分级规则',
  'archives:recuse': '登记回避',
  'archives:colleagues': '查询档案工作人员',
  'archives:log-print': '打印诚信档案',
  'archives:export-pdf': '导出诚信档案 PDF',
  'archives:import-assessments': '批量导入年度考核结果',
  'archives:attachment': '查看档案附件',
  'archives:save-attachment': '另存档案附件',
  'plans:parse': '分解工作要点',
  'plans:confirm': '确认工作要点任务',
  'plans:list': '查询工作要点',
  'plans:tasks': '查询督办任务',
  'tasks:get': '查看督办任务',
  'tasks:assign': '交办任务',
  'tasks:assign-many': '批量交办任务',
  'tasks:sign': '签收任务',
  'tasks:progress': '反馈任务进展',
  'tasks:request-extension': '申请延期',
  'tasks:decide-extension': '审批延期申请',
  'tasks:submit': '提交办结',
  'tasks:review': '审核办结',
  'tasks:archive': '任务归档',
  'tasks:due': '查询催办清单',
  'tasks:review-queue': '查询待审核事项',
  'letters:issue': '签发提醒函/督办函/通报',
  'letters:get': '查看督办函',
  'letters:export-docx': '导出督办函 Word',
  'letters:log-print': '打印督办函',
  'tasks:attach': '上传办理材料',
  'tasks:attachment': '查看办理材料',
  'tasks:add': '添加督办任务',
  'tasks:split': '拆分督办任务',
  'tasks:review-many': '批量审核通过',
  'plans:drafts': '查询待审核的下发工作要点',
  'plans:draft': '打开待审核的下发工作要点',
  'tasks:edit': '修改督办任务',
  'tasks:delete': '删除督办任务',
  'plans:delete': '删除工作要点',
  'tasks:create': '立项（手工新建督办任务）',
  'tasks:publish': '发布督办任务',
  'tasks:urge': '催办',
  'tasks:log-contact': '登记会议/电话/现场督办',
  'tasks:ledger': '查询督办台账',
  'tasks:export-ledger': '导出督办台账',
  'tasks:feedback-form': '导出单位反馈表',
  'tasks:feedback-preview': '检查单位反馈表',
  'tasks:feedback-import': '导入单位反馈表',
  'letters:register': '查询督办函登记簿',
  'letters:export-register': '导出督办函登记簿',
  'letters:reply': '登记督办函回复',
  'letters:export-pdf': '导出督办函 PDF',
  'supervision:stats': '查看督办统计',
  'supervision:export-circular': '导出督办通报',
  'supervision:settings': '查看督办设置',
  'supervision:save-settings': '修改督办设置（预警、考核权重、文号）',
  'exchange:status': '查看数据交换状态',
  'exchange:import-peer': '导入对方交换公钥',
  'exchange:export-public': '导出本单位交换公钥',
  'exchange:rotate-key': '更换本单位交换密钥',
  'exchange:set-peer-parts': '设置数据包可含内容',
  'exchange:preview': '预览导出数据包',
  'exchange:export-start': '导出数据交换包',
  'exchange:import-start': '导入数据交换包',
  'exchange:job': '查询数据包任务进度',
  'exchange:cancel': '取消数据包任务',
  'lists:list': '查询名单',
  'lists:save': '录入名单',
  'lists:remove': '移出名单',
  'lists:template': '下载名单导入模板',
  'lists:import': '导入名单',
  'checks:run': '信用核查',
  'checks:run-file': '批量信用核查（Excel）',
  'checks:list': '查询核查登记',
  'checks:get': '查看核查结果',
  'checks:export': '导出核查结果 Excel',
  'checks:export-pdf': '导出核查结果单 PDF',
  'checks:log-print': '打印核查结果单',
  'cases:create': '登记联合奖惩案例',
  'cases:feedback': '填写奖惩执行反馈',
  'cases:list': '查询联合奖惩案例',
  'cases:stats': '联合奖惩统计',
  'commitments:list': '查询信用承诺',
  'commitments:create': '登记信用承诺',
  'commitments:attach': '上传承诺书扫描件',
  'commitments:scan': '查看承诺书扫描件',
  'commitments:mark-kept': '标记已履约',
  'commitments:propose-breach': '提出违诺认定',
  'commitments:decide-breach': '审核违诺认定',
  'reports:create': '出具信用报告',
  'reports:get': '查看信用报告',
  'reports:export-pdf': '导出信用报告 PDF',
  'reports:log-print': '打印信用报告',
  'lists:export': '导出名单',
  'cases:export': '导出联合奖惩案例',
  'commitments:export': '导出信用承诺',
  'reports:list': '查询已出具的信用报告',
  'lists:import-errors': '下载名单导入错误报告',
}

/** Procedures invoked outside the app's IPC door (command line) also appear in the audit log. */
const EXTRA_AUDIT_LABELS: Record<string, string> = {
  'cli:user-reset-password': '命令行重置密码',
  'cli:db-migrate': '命令行升级数据库',
  'cli:records-import': '命令行导入归集数据',
  'cli:demo-seed': '命令行生成演示数据',
  'job:records-import': '导入归集数据（完成）',
  'job:package-export': '导出数据交换包（完成）',
  'job:package-import': '导入数据交换包（完成）',
  'cli:package-export': '命令行导出数据交换包',
  'cli:package-import': '命令行导入数据交换包',
  'cli:keys-import-peer': '命令行导入对方交换公钥',
  'cli:keys-rotate': '命令行更换交换密钥',
}

export function procedureLabel(name: string): string {
  return (PROCEDURE_LABELS as Record<string, string>)[name] ?? EXTRA_AUDIT_LABELS[name] ?? name
}

/** Every result code in words, for the audit log (a missing code is a compile error). */
const RESULT_LABELS: Record<ErrorCode | 'INCIDENT', string> = {
  FORBIDDEN: '无权限',
  NOT_AUTHENTICATED: '未登录',
  UNTRUSTED_SENDER: '来源不可信',
  SESSION_LOCKED: '屏幕已锁定',
  VALIDATION: '输入无效',
  INTERNAL: '程序内部错误',
  UNKNOWN_PROCEDURE: '未知操作',
  PASSWORD_CHANGE_REQUIRED: '须先修改密码',
  NOT_FOUND: '对象不存在',
  CONFLICT: '与现有数据冲突',
  SETUP_ALREADY_DONE: '已初始化',
  SETUP_REQUIRED: '尚未初始化',
  LOGIN_FAILED: '用户名或密码错误',
  ACCOUNT_LOCKED: '账户已锁定',
  ACCOUNT_DISABLED: '账户已停用',
  WRONG_PASSWORD: '密码错误',
  SELF_MODIFICATION: '不能修改本人账户',
  LAST_ADMIN: '不能停用最后一个管理员',
  UNIT_IN_USE: '单位仍在使用',
  INVALID_STATE: '当前状态不允许',
  SELF_REVIEW: '不能审核本人提交的内容',
  IMPORT_FILE_REJECTED: '文件无法导入',
  IMPORT_HAS_ERRORS: '数据有错误',
  FIELD_DECRYPT_FAILED: '敏感数据无法解密',
  KEYS_MISSING: '数据密钥缺失',
  KEYS_MISMATCH: '数据密钥不匹配',
  KEYS_UNAVAILABLE: '数据密钥不可用',
  CANCELLED: '已取消',
  FILE_WRITE_FAILED: '文件写入失败',
  DISK_FULL: '磁盘空间不足',
  ATTACHMENT_REJECTED: '附件不符合要求',
  KEY_FILE_REJECTED: '密钥文件无法使用',
  PACKAGE_REJECTED: '数据包被拒绝',
  BACKUP_REJECTED: '备份文件无法使用',
  DB_NEWER_THAN_APP: '数据库版本高于程序',
  DB_CORRUPT: '数据库已损坏',
  DB_LOCKED: '数据库被占用',
  INCIDENT: '安全事件',
}

/** An audit row's result in words: 成功, 被拒绝：无权限, 失败：输入无效 (the code itself stays in the exported file). */
export function resultText(code: string): string {
  if (code === 'ok') return '成功'
  const label = (RESULT_LABELS as Record<string, string>)[code] ?? code
  if (code === 'INCIDENT') return label
  return REFUSAL_CODES.includes(code) ? `被拒绝：${label}` : `失败：${label}`
}

export const ENTRY_KIND_LABELS: Record<string, string> = {
  personal_report: '个人有关事项报告',
  integrity: '廉政记录',
  assessment: '年度考核',
  award: '表彰奖励',
  violation: '违法违纪违约',
  accountability: '问责处理',
  commitment: '诚信承诺',
  repair: '信用修复',
}
export const ENTRY_RESULT_LABELS: Record<string, string> = {
  truthful: '如实报告',
  omitted: '漏报',
  concealed: '瞒报',
  excellent: '优秀',
  competent: '称职',
  basically_competent: '基本称职',
  incompetent: '不称职',
  ungraded: '不定等次',
  warning: '警告',
  demerit: '记过',
  major_demerit: '记大过',
  demotion: '降级',
  removal: '撤职',
  dismissal: '开除',
}
export const GRADE_LABELS: Record<string, string> = {
  trustworthy: '守信',
  basically_trustworthy: '基本守信',
  dishonest: '失信',
  seriously_dishonest: '严重失信',
}
export const PERSON_STATUS_LABELS: Record<string, string> = { serving: '在职', transferred: '调离', retired: '退休', deceased: '离世' }

export const FIELD_TYPE_LABELS: Record<string, string> = {
  text: '文本',
  integer: '整数',
  decimal: '小数',
  date: '日期',
  uscc: '统一社会信用代码',
  idcard: '身份证号',
  dict: '字典',
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  clerk: '业务人员',
  supervisor: '审核人员',
  auditor: '安全审计员',
}

/** Every login-log result in words (a missing one is a compile error). */
export const LOGIN_RESULT_LABELS: Record<LoginResult, string> = {
  success: '成功',
  failure: '密码错误或用户不存在',
  locked: '账户锁定',
  disabled: '账户已停用',
  logout: '退出登录',
  idle_lock: '无操作自动锁屏',
  session_end: '会话结束',
}

/** 信用核查 verdicts as the 核查结果单 words them. */
export const VERDICT_LABELS: Record<Verdict, string> = {
  punish: '失信惩戒对象',
  watch: '重点关注对象',
  reward: '守信激励对象',
  clean: '未发现不良信用记录',
  invalid: '代码校验不通过，未核查',
}
export const LIST_STATUS_LABELS: Record<ListStatus, string> = { active: '有效', expired: '已到期', removed: '已移出' }
export const LIST_SOURCE_LABELS: Record<ListSource, string> = { city: '市平台下发', local: '本地录入', import: 'Excel 导入' }
export const COMMITMENT_STATUS_LABELS: Record<CommitmentStatus, string> = { keeping: '履约中', kept: '已履约', breached: '违诺' }
export const HIT_SOURCE_LABELS: Record<HitSource, string> = { list: '名单', record: '失信记录', commitment: '信用承诺' }
export const SUBJECT_KIND_LABELS: Record<SubjectKind, string> = {
  legal: '法人和非法人组织',
  individual_business: '个体工商户',
  natural_person: '自然人',
  unknown: '未提供代码',
}

/** 核查结果单 and 信用报告 numbers, as printed. */
export function checkNumber(year: number, seq: number): string {
  return `信核〔${year}〕${seq}号`
}
export function reportNumber(year: number, seq: number): string {
  return `信报〔${year}〕${seq}号`
}
export const DISHONESTY_LEVEL_LABELS: Record<string, string> = { minor: '轻微失信', general: '一般失信', serious: '严重失信' }

/** How each figure of the 归集月报 is counted: under the table on the page, in the 通报 and in the workbook. */
export const MONTHLY_DEFINITIONS = [
  '统计口径：报送条数为当月报送（入库）的记录数；及时率 = 决定后 7 个工作日内报送的条数 ÷ 报送条数；',
  '合规率 = 未经更正、未被市平台退回的条数 ÷ 报送条数；公示率 = 社会公开事项中已获市平台回执确认（由市平台公示）的条数 ÷ 社会公开事项条数；',
  '更正、撤回为当月审核通过的申请数；市平台退回为当月回执退回的记录数。',
  '排名依次按及时率、合规率、报送条数；当月无报送的单位列在最后，不参加排名。',
]

/** A plan's monthly 归集 duty (武汉 "每月 22 日前 … 报送"): its task page links to the 归集月报. */
export function isMonthlyCollectionTask(task: { title: string; source: string; recurring: string | null }): boolean {
  return /^monthly/.test(task.recurring ?? '') && /归集|报送|信用信息|双公示/.test(task.title + task.source)
}

// 督查督办: the words the screens, the 台账, the 反馈表 and the letter register share.
export const TASK_ROLE_LABELS: Record<string, string> = { lead: '牵头', responsible: '责任', cooperating: '配合' }
export const UNIT_STATUS_LABELS: Record<string, string> = {
  pending: '待交办',
  assigned: '待签收',
  signed: '已签收',
  in_progress: '办理中',
  submitted: '待审核',
  returned: '已退回',
  done: '已办结',
}
export const LIGHT_LABELS: Record<string, string> = { green: '正常', yellow: '预警', red: '逾期', done: '已办结', none: '无期限' }
export const TASK_STATUS_LABELS: Record<string, string> = {
  draft: '草稿',
  awaiting_publish: '待审核发布',
  created: '待交办',
  assigned: '已交办',
  in_progress: '办理中',
  completed: '已办结',
  archived: '已归档',
}
export const BASIS_LABELS: Record<string, string> = {
  instruction: '领导批示',
  meeting: '会议议定',
  superior: '上级交办',
  public: '群众反映',
  other: '自定义',
}
export const SUPERVISION_TYPE_LABELS: Record<string, string> = { routine: '常规督办', special: '专项督办', key: '重点督办' }
export const URGENCY_LABELS: Record<string, string> = { normal: '一般', urgent: '紧急', very_urgent: '特急' }
export const LETTER_STATE_LABELS: Record<string, string> = { awaiting: '待回复', replied: '已回复', overdue: '逾期未回复' }
export const LETTER_COLOUR_LABELS: Record<string, string> = { blue: '蓝色', yellow: '黄色', red: '红色' }
export const CONTACT_KIND_LABELS: Record<string, string> = { meeting: '会议督办', phone: '电话督办', onsite: '现场督办' }
