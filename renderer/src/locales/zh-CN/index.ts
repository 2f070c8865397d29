// All user-facing text of the renderer. Field-rule messages are shared with the CLI
// (electron/contract/messages.zh-CN.ts); procedure and role names in contract/labels.zh-CN.ts.
export { ROLE_LABELS, LOGIN_RESULT_LABELS, procedureLabel } from '../../../../electron/contract/labels.zh-CN'

export const t = {
  app: { name: '信用通', subtitle: '县级社会信用管理系统（离线版）' },
  common: {
    save: '保存', cancel: '取消', confirm: '确定', edit: '编辑', delete: '删除', create: '新增', search: '查询',
    reset: '重置', actions: '操作', enabled: '启用', disabled: '停用', status: '状态', yes: '是', no: '否',
    saved: '已保存', loading: '加载中…', none: '无', all: '全部', export: '导出 Excel', total: '共 {n} 条',
  },
  setup: {
    title: '系统初始化',
    intro: '首次使用，请填写本单位信息并创建第一个系统管理员账户。初始化只能进行一次。',
    stepOrg: '单位信息', stepAdmin: '管理员账户', stepDone: '完成',
    orgName: '单位名称', orgNamePh: '例如：某某县社会信用体系建设领导小组办公室',
    regionCode: '行政区划代码', regionCodePh: '6 位县级代码，例如 350102',
    orgCreditCode: '统一社会信用代码', orgCreditCodePh: '18 位，可输入全角字符',
    adminUsername: '管理员用户名', adminDisplayName: '管理员姓名', adminPassword: '登录密码', adminPasswordConfirm: '确认密码',
    passwordHint: '至少 8 位，包含大写字母、小写字母、数字、特殊字符中的至少三类',
    mismatch: '两次输入的密码不一致',
    next: '下一步', prev: '上一步', submit: '完成初始化',
    done: '初始化完成，请使用管理员账户登录。', toLogin: '前往登录',
  },
  login: {
    title: '用户登录', username: '用户名', password: '密码', submit: '登 录',
    footer: '本系统仅限内部办公网络使用，所有操作均记入审计日志',
  },
  changePassword: {
    title: '修改密码', forcedTitle: '首次登录或密码已被重置，请先修改密码',
    oldPassword: '当前密码', newPassword: '新密码', confirm: '确认新密码', submit: '修改密码', done: '密码已修改',
  },
  lock: { title: '屏幕已锁定', hint: '长时间未操作，已自动锁定。请输入 {name} 的登录密码解锁。', password: '登录密码', unlock: '解 锁', logout: '退出登录' },
  shell: {
    home: '工作台', system: '系统管理', users: '用户管理', units: '组织机构', dicts: '数据字典', settings: '系统设置',
    catalog: '信用目录', catalogItems: '目录事项',
    audit: '安全审计', auditLog: '操作日志', loginLog: '登录日志', changePassword: '修改密码', logout: '退出登录',
  },
  home: {
    welcome: '{name}，您好', org: '本单位', region: '行政区划代码', roles: '您的角色', lastLogin: '上次登录', firstLogin: '这是您第一次登录',
    modules: '可用功能',
  },
  users: {
    title: '用户管理', keyword: '用户名或姓名', role: '角色', username: '用户名', displayName: '姓名', unit: '所属单位',
    roles: '角色', lastLogin: '最近登录', createdAt: '创建时间', locked: '已锁定', mustChange: '待改密',
    create: '新增用户', editTitle: '编辑用户', createTitle: '新增用户', initialPassword: '初始密码',
    initialPasswordHint: '用户首次登录时必须修改此密码',
    resetPassword: '重置密码', resetTitle: '重置 {name} 的密码', newPassword: '临时密码', resetDone: '密码已重置，该用户下次登录须修改密码',
    disable: '停用', enable: '启用', confirmDisable: '确定停用用户 {name}？停用后该用户立即退出且不能登录。',
    created: '用户已创建', noUnit: '（未指定）', active: '正常',
  },
  units: {
    title: '组织机构', tree: '单位树', addRoot: '新增顶级单位', addChild: '新增下级单位', name: '单位名称', kind: '单位类型',
    parent: '上级单位', creditCode: '统一社会信用代码', regionCode: '乡镇区划代码', regionCodePh: '9 位统计用区划代码',
    sortOrder: '排序', enabled: '启用', empty: '尚未建立单位。请先新增县直单位和乡镇，后续督办任务的牵头、责任、配合单位从这里选择。',
    selectHint: '在左侧选择单位查看或编辑', confirmDelete: '确定删除单位 {name}？', root: '（无，顶级单位）',
    kinds: { county_dept: '县直单位', township: '乡镇（街道）', other: '其他' } as Record<string, string>,
  },
  dicts: {
    title: '数据字典', types: '字典', code: '编码', name: '名称', description: '说明', system: '内置', items: '字典项',
    value: '值', label: '显示名称', sortOrder: '排序', addType: '新增字典', addItem: '新增字典项', editItem: '编辑字典项',
    systemHint: '内置字典由系统提供，可以修改显示名称、排序和启用状态，值不可修改。',
  },
  settings: {
    title: '系统设置', org: '单位信息', security: '安全策略', idleLock: '无操作自动锁屏（分钟）',
    passwordPolicy: '密码策略：至少 8 位、三类字符；连续 5 次登录失败锁定 10 分钟；初始或重置的密码须在首次登录时修改。',
  },
  catalog: {
    title: '信用信息目录', menu: '信用目录', items: '目录事项', keyword: '编码或名称', status: '状态', category: '目录分类',
    code: '目录编码', name: '信息名称', version: '版本', infoClass: '信息类别', level: '失信等级', subjectTypes: '主体类型',
    supplier: '提供单位', disclosure: '公开属性', updateFrequency: '更新频率', collectionMethod: '归集方式', legalBasis: '纳入依据',
    source: '目录来源', disclosureMonths: '公示期限（月）', disclosureMonthsHint: '不填则按失信信息公示期限规则表计算',
    retentionYears: '保存期限（年）', fieldCount: '数据项', updatedAt: '更新时间', create: '新增目录事项', pendingOnly: '只看待审核',
    statuses: { draft: '草稿', submitted: '待审核', approved: '已生效', superseded: '已被新版本替代', retired: '已停用' } as Record<string, string>,
    basic: '基本信息', fields: '数据项', addField: '添加数据项', fieldCode: '编码', fieldName: '名称', fieldType: '类型', maxLength: '长度',
    required: '必填', dict: '字典', checkRule: '校验规则', moveUp: '上移', remove: '删除',
    fieldTypes: { text: '文本', integer: '整数', decimal: '小数', date: '日期', uscc: '统一社会信用代码', idcard: '身份证号', dict: '字典' } as Record<string, string>,
    rules: {
      decision_date: '决定日期（不晚于今天，用于7个工作日时限）', document_number: '文书号（与主体一起判重）', subject_code: '主体代码（与主体类型前缀一致）',
      money_wan: '金额（万元）', not_future: '不晚于今天',
    } as Record<string, string>,
    notBefore: '不早于 {field}',
    saveDraft: '保存草稿', submit: '提交审核', approve: '审核通过', return: '退回', returnTitle: '退回意见', newVersion: '新建版本', retire: '停用',
    versions: '版本记录', compare: '与当前版本比较', compareTitle: '第 {from} 版 → 第 {to} 版', noChanges: '两个版本没有差别',
    changeKinds: { added: '新增', removed: '删除', changed: '修改' } as Record<string, string>,
    before: '修改前', after: '修改后', reviewComment: '审核意见', reviewedBy: '审核人', createdBy: '起草人',
    readonlyHint: '已生效的目录事项不能直接修改；如需调整，请“新建版本”，修改后再提交审核。',
    submittedHint: '已提交审核，等待审核人员处理。', saved: '草稿已保存', submitted: '已提交审核', approved: '已审核通过', returned: '已退回',
    confirmRetire: '停用后不再接收该事项的新数据，确定停用？',
  },
  audit: {
    title: '操作日志', loginTitle: '登录日志', time: '时间', actor: '操作人', procedure: '操作', affected: '涉及对象', result: '结果',
    ok: '成功', failed: '失败', range: '时间范围', start: '开始', end: '结束', verify: '校验完整性',
    intact: '日志完整：已校验 {n} 条，哈希链未发现断裂或篡改', broken: '发现异常：第 {id} 条日志与哈希链不符，可能被篡改',
    exported: '已导出 {rows} 条到 {file}', username: '用户名', via: '途径', viaApp: '客户端', viaCli: '命令行', anonymous: '（未登录）',
    appendOnly: '日志只能追加，任何人（包括系统管理员）都不能修改或删除。',
  },
}

/** Fills {name} placeholders. */
export function fmt(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''))
}
