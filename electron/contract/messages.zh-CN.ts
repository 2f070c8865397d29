// Chinese text for field-issue message keys. Shared by the renderer (form errors) and the CLI
// (check-code reasons), so a rule is worded the same everywhere.
const FIELD_MESSAGES: Record<string, string> = {
  required: '此项为必填项',
  tooLong: '内容过长',
  invalid: '格式不正确',
  'username.length': '用户名长度应为 3～32 个字符',
  'username.chars': '用户名只能包含字母、数字、下划线、点和连字符',
  'roles.required': '请至少选择一个角色',
  'password.tooShort': '密码长度至少 8 位',
  'password.classes': '密码须包含大写字母、小写字母、数字、特殊字符中的至少三类',
  'password.containsUsername': '密码不能包含用户名',
  'password.tooLong': '密码长度不能超过 128 位',
  'password.reused': '新密码不能与原密码相同',
  'password.wrong': '原密码不正确',
  'password.mismatch': '两次输入的密码不一致',
  'dict.code': '编码须以小写字母开头，只含小写字母、数字和下划线（2～40 位）',
  'idle.range': '自动锁定时间应为 1～120 分钟',
  'settings.yellowRange': '预警天数应为 1～30 个工作日',
  'settings.weightRange': '权重应为 0～100',
  'settings.prefixRequired': '请填写文号前缀（不超过 10 个字）',
  'settings.prefixChars': '文号前缀只能是汉字或字母',
  'region.length': '行政区划代码应为 6 位数字',
  'region.province': '行政区划代码的前两位不是有效的省级代码',
  'region.notCounty': '请填写县级行政区划代码（末两位不能为 00）',
  'unitRegion.format': '乡镇区划代码应为 9 位数字',
  'code.empty': '代码为空',
  'code.length': '长度不正确：统一社会信用代码和身份证号都应为 18 位',
  'uscc.chars': '统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）',
  'uscc.checkChar': '统一社会信用代码校验位不正确',
  'uscc.region': '统一社会信用代码第 3～8 位应为数字行政区划代码',
  'uscc.dept': '统一社会信用代码第 1 位（登记管理部门）不正确',
  'uscc.category': '统一社会信用代码第 2 位（机构类别）与第 1 位（登记管理部门）不匹配',
  'uscc.province': '统一社会信用代码第 3～4 位不是有效的省级行政区划代码',
  'uscc.orgCode': '统一社会信用代码第 9～17 位（组织机构代码）校验位不正确',
  'idcard.chars': '身份证号格式不正确（前 17 位应为数字，末位为数字或 X）',
  'idcard.birthDate': '身份证号中的出生日期不存在或晚于今天',
  'idcard.checkChar': '身份证号校验位不正确',
  'iddoc.passport': '护照号码格式不正确（应为 5～17 位字母和数字）',
  'iddoc.hkMacao': '港澳居民来往内地通行证号码格式不正确（应为 H 或 M 加 8 位或 10 位数字）',
  'iddoc.taiwan': '台湾居民来往大陆通行证号码格式不正确（应为 8 位或 10 位数字）',
  'iddoc.foreignPermanent': '外国人永久居留身份证号码不正确（应为 9 开头的 18 位号码且校验位正确，或 3 位字母加 12 位数字的旧版号码）',
  'iddoc.other': '证件号码含有不允许的字符或超过 64 位',
  'code.unknownKind': '无法识别：既不是统一社会信用代码也不是身份证号',
  'code.ok': '校验通过',
  'field.code': '数据项编码须以大写字母开头，只含大写字母、数字和下划线',
  'field.duplicate': '数据项编码重复',
  'field.dictMissing': '字典类型的数据项须选择一个已有字典',
  'field.ruleUnknown': '不支持的校验规则',
  'catalog.code': '目录编码须以大写字母开头，只含大写字母、数字和下划线（2～40 位）',
  'catalog.codeTaken': '该目录编码已被使用',
  'catalog.fields': '至少需要一个数据项',
  'catalog.subjectTypes': '请至少选择一种主体类型',
  'catalog.level': '不良信息须选择失信等级；基础和良好信息不填失信等级',
  'catalog.category': '目录分类不存在',
  'catalog.dictValue': '不是字典中的有效值',
  'catalog.commentRequired': '退回时请填写意见',
  'text.tooLong': '超过最大长度 {max} 个字',
  'number.integer': '应为整数',
  'number.format': '应为数字',
  'money.negative': '金额不能为负数（单位：万元）',
  'date.format': '日期无法识别，请写成 2025-09-26 这样的格式',
  'date.future': '日期不能晚于今天',
  'date.before': '不能早于“{other}”',
  'dict.unknown': '不是允许的取值，请从下拉列表中选择',
  'subject.usccRequired': '法人和非法人组织须填写统一社会信用代码',
  'subject.prefix92': '以 92 开头的是个体工商户的代码，与主体类别“法人和非法人组织”不符',
  'subject.notIndividual': '个体工商户的统一社会信用代码应以 92 开头',
  'subject.idRequired': '自然人须填写身份证号',
  'record.duplicateInFile': '与第 {row} 行的文书号和主体相同（重复数据）',
  'record.duplicateInDb': '系统中已有同一主体的同一文书号（重复数据）',
  'unit.unknown': '组织机构中没有名为“{name}”的单位（须与组织机构中的名称完全一致）',
  'person.status': '状态只能是 在职、调离、退休、离世',
  'unit.outOfScope': '您只能为本人档案管理范围内的单位建档',
  'person.notFound': '没有这个身份证号的档案（或不在您的档案管理范围内）',
  'person.nameMismatch': '姓名与档案不符（档案中为“{name}”）',
  'assessment.result': '考核等次只能是 优秀、称职、基本称职、不称职、不定等次',
  'plan.unitUnresolved': '单位“{name}”尚未对应到组织机构：请选择已有单位或新建',
  'plan.duplicatePath': '任务序号 {path} 重复',
  'plan.parentAfterChild': '子任务排在了上级任务之前',
  'plan.noTasks': '没有任务可保存',
  'task.percentBack': '进度不能低于上次反馈的 {percent}%',
  'task.extensionNotLater': '新的期限应晚于当前期限 {current}',
  'task.extensionPast': '新的期限应晚于今天',
  'letter.noUnits': '请选择至少一个未办结的单位',
  'settings.lagRange': '进度滞后幅度应为 5～100 个百分点',
  'settings.evaluationSum': '质量、效率、满意度的权重之和应为 100',
  'settings.levelsDistinct': '三个督办级别不能重复',
  'settings.prefixesDistinct': '三个级别的文号前缀不能相同',
  'task.leadRequired': '请选择牵头单位',
  'task.basisTextRequired': '立项依据选“自定义”时请写明依据',
  'evaluation.range': '评分应为 0～100 分',
  'contact.future': '督办日期不能晚于今天',
  'contact.nextCheckBefore': '下次检查日期应晚于督办日期',
  'feedback.noTaskId': '缺少任务编号',
  'feedback.unknownTask': '任务编号 {id} 不存在（可能被改动）',
  'feedback.titleMismatch': '任务编号 {id} 与督办事项“{title}”不符（编号可能被改动）',
  'feedback.unknownUnit': '单位“{unit}”不在本系统的组织机构中',
  'feedback.otherUnit': '任务 {id} 不是“{unit}”承办的任务（反馈表属于其他单位？）',
  'feedback.closed': '任务 {id} 已办结或已提交办结申请，本行不再导入',
  'feedback.notPublished': '任务 {id} 尚未交办',
  'feedback.percent': '完成百分比应为 0～100 的整数',
  'feedback.percentBack': '完成百分比不能低于上次反馈的 {percent}%',
  'feedback.textRequired': '请填写进展情况',
  'feedback.yesNo': '申请办结请填“是”或“否”',
  'feedback.already': '与上次反馈的进展相同（这份反馈表已导入过？），本行未再导入',
  'feedback.duplicate': '任务 {id} 在表中出现了不止一次',
  'person.duplicate': '该身份证号已建档（一人一档），请在列表中查找此人',
  'person.entryBeforeBirth': '参加工作日期早于出生日期',
  'person.statusDateRequired': '调离、退休或离世须填写日期',
  'person.userTaken': '该登录账号已关联到其他人员',
  'entry.notEmployed': '此人 {from}～{to} 年在职，该年度不在其中',
  'entry.assessmentExists': '此人该年度已有年度考核结果',
  'entry.afterLeaving': '此人已于 {date} {status}，不能记录此后的事项',
  'cell.merged': '含合并单元格（{range}），请取消合并并在每一行填写完整',
  'cell.formulaNoValue': '单元格是公式但没有计算结果：请在 Excel/WPS 中打开、重新计算并保存后再导入（或把公式改为数值）',
  'username.taken': '该用户名已被使用',
  'roles.conflict': '系统管理员与安全审计员不能由同一人兼任（三员分立）',
  'unit.missing': '所选单位不存在或已停用',
  'unit.parentMissing': '上级单位不存在',
  'unit.cycle': '不能把单位移到它自己或它的下级单位之下',
  'unit.nameTaken': '同一上级单位下已有同名单位',
  'dict.typeTaken': '该字典编码已存在',
  'dict.valueTaken': '该字典中已有相同的值',
  'dict.valueFixed': '已保存的字典值不能修改，只能修改名称、别名、排序和启用状态',
  'record.otherUnit': '只能录入本单位（及下级单位）的数据；县信用办人员可为各单位录入',
  'disclosure.minAboveMax': '最短公示期不能长于最长公示期',
  'disclosure.duplicate': '同一施行日期、同一失信等级已有规则，请修改那一条',
  'dict.aliasClash': '“{alias}”与本字典中的“{other}”冲突：同一写法不能对应两个条目',
  'dict.tooManyAliases': '别名最多 20 个',
  'credit.subjectMissing': '请填写主体名称或统一社会信用代码/身份证号',
  'case.needsPunishment': '失信主体应选择惩戒措施（不能选激励措施）',
  'case.needsIncentive': '守信主体应选择激励措施（不能选惩戒措施）',
  'case.measureOrReason': '请选择采取的措施，或填写未采取措施的原因',
  'report.codeRequired': '信用报告须填写统一社会信用代码或身份证号',
  'report.authorisationRequired': '自然人的信用报告须填写本人授权书编号（查询授权）',
}

export function fieldMessage(key: string, params?: Record<string, string | number>): string {
  const text = FIELD_MESSAGES[key] ?? FIELD_MESSAGES.invalid ?? key
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params?.[name] ?? ''))
}

/** Why a workbook was refused before any row was read (IMPORT_FILE_REJECTED details.reason). */
const IMPORT_REJECTIONS: Record<string, string> = {
  encrypted: '文件设置了打开密码，请在 Excel/WPS 中取消密码后再导入',
  legacy_xls: '这是旧版 .xls 文件，请在 Excel/WPS 中另存为 .xlsx 后再导入',
  corrupt: '文件已损坏或不是 Excel 工作簿（.xlsx）',
  empty: '文件是空的',
  no_header: '前 10 行中找不到表头：请使用本系统下载的模板，或让表头使用数据项名称',
  missing_columns: '缺少必填列：{columns}',
  no_subjects: '文件中没有可核查的主体：请在表头写“主体名称”和/或“统一社会信用代码或证件号码”',
  too_many_subjects: '一次最多核查 {max} 个主体，请拆分后分批核查',
}

/** A file from outside past one of core/untrusted/limits.ts: which limit, and its value. */
const LIMITS: Record<string, string> = {
  file_size: '文件过大（超过 {max}），请拆分后分批导入',
  entries: '文件内部的部件超过 {max} 个，不是正常的 Office 文档（可能被改动过），未读取任何内容',
  total_size: '文件解压后超过 {max}（可能是“压缩炸弹”或被改动的文件），已停止读取，未导入任何内容',
  part_size: '文件中的部件“{part}”解压后超过 {max}，已停止读取，未导入任何内容',
  cell_length: '文件中有单元格内容超过 {max}（Excel 单元格最多 32767 个字符），可能是被改动的文件，未导入任何内容',
  rows: '工作表超过 {max} 行（Excel 的上限），请拆分后分批导入',
  pages: 'PDF 超过 {max} 页，不像是工作要点文档，未读取',
  memory: '读取文件所需内存超过上限（{max}），已停止读取，程序和数据不受影响，未导入任何内容',
  time: '读取文件超过 {max} 仍未完成，已停止读取，未导入任何内容',
}

function limitValue(limit: string, max: number): string {
  if (limit === 'time') return max >= 60_000 ? `${Math.round(max / 60_000)} 分钟` : `${Math.round(max / 1000)} 秒`
  if (limit === 'rows' || limit === 'pages' || limit === 'entries') return max.toLocaleString('zh-CN')
  return max >= 1024 * 1024 ? `${Math.round(max / 1024 / 1024)} MB` : `${Math.round(max / 1024)} KB`
}

export function importRejectionText(details: Record<string, unknown>): string {
  if (details.reason === 'limit') {
    const limit = String(details.limit)
    return (LIMITS[limit] ?? '文件超过读取限制，未导入任何内容')
      .replace('{max}', limitValue(limit, Number(details.max)))
      .replace('{part}', String(details.part ?? ''))
  }
  const text = IMPORT_REJECTIONS[String(details.reason)] ?? '文件无法导入'
  return text
    .replace('{columns}', Array.isArray(details.columns) ? details.columns.join('、') : '')
    .replace('{max}', String(details.max ?? ''))
}

/** Why a work-plan document could not be decomposed (undefined: not a plan-file reason). */
const PLAN_FILE_REJECTIONS: Record<string, string> = {
  no_items: '未能识别出任务：文档中没有“一、（一）1.（1）”这样的编号条目及责任单位。请确认打开的是工作要点正文。',
  pdf_no_text: '这个 PDF 没有文字层（是扫描件或图片）：需要先用 OCR 识别出文字，或向发文单位索取 .docx / .txt 原件。',
  pdf_password: '这个 PDF 设有打开密码：请先在 WPS 或 Acrobat 中去掉密码再打开。',
  legacy_doc: '这是旧版 .doc 文件：请在 WPS 或 Word 中另存为 .docx 后再打开。',
}

export function planFileText(reason: unknown): string | undefined {
  return PLAN_FILE_REJECTIONS[String(reason)]
}

/** Why a transfer package was refused, in Chinese and English (the command line prints both). */
const PACKAGE_REJECTIONS: Record<string, [string, string]> = {
  not_package: ['文件不是数据交换包（可能是改了扩展名的其他文件）', 'not a transfer package'],
  newer_version: ['数据包格式版本（{version}）比本程序新，请先升级程序', 'package format version {version} is newer than this program'],
  bad_header: ['数据包头已损坏', 'the package header is damaged'],
  truncated: [
    '数据包不完整（拷贝中断或 U 盘被拔出）或末尾已损坏，请重新拷贝',
    'the package is incomplete (cut short) or its end is damaged',
  ],
  chunk: [
    '数据包第 {chunk} 块校验失败：文件被改动、损坏、块顺序被打乱，或拷贝不完整',
    'chunk {chunk} failed its check: altered, damaged, reordered or cut short',
  ],
  signature: ['签名验证失败：数据包不是由所声称的发送方生成，或已被改动', 'the signature does not verify'],
  wrong_recipient: ['这个数据包不是发给本单位的（接收方密钥不符）', 'not addressed to this installation’s key'],
  unknown_sender: ['发送方“{orgName}”的公钥尚未导入，无法确认来源', 'unknown sender key ({orgName})'],
  retired_sender: ['发送方“{orgName}”的这把密钥已被替换停用，请对方用新密钥重新生成', 'the sender’s key ({orgName}) has been rotated out'],
  unwrap_failed: ['无法用本单位私钥解开数据包', 'the package key cannot be unwrapped with this installation’s key'],
  replay: [
    '序号 {sequence} 的数据包已导入过（已收到的最新序号为 {last}），疑似重放或顺序颠倒',
    'sequence {sequence} already seen (latest {last}): replayed or out of order',
  ],
  bad_lists: [
    '名单数据包中有 {count} 条名单不合格（第 {rows} 条：代码校验不通过、名单类型未知、缺少认定单位/依据/日期或日期格式不对），整包未导入',
    '{count} list entries fail their checks (entries {rows}); nothing was imported',
  ],
  wrong_kind: ['本单位不能导入这类数据包（{kind}）', 'this kind of package ({kind}) cannot be imported here'],
  bad_payload: ['数据包内容与其清单不符', 'the payload does not match its manifest'],
  receipt_unknown: [
    '回执对应的数据包（序号 {sequence}）在本机没有导出记录',
    'receipt for a package (sequence {sequence}) this installation did not send',
  ],
  receipt_unknown_records: [
    '回执退回了 {count} 条本机没有的记录（{uids}），整份回执未导入',
    'the receipt rejects {count} records this installation does not have ({uids}); nothing was applied',
  ],
  archive_exists: [
    '本机已有“{name}”的诚信档案，调动档案包未导入（同一人不能有两份档案）',
    'an archive for {name} already exists here; nothing was imported',
  ],
  unknown_unit: [
    '接收单位“{unit}”在本机的单位列表中不存在，请先在“单位管理”中建立或核对名称后再导入',
    'the receiving unit “{unit}” does not exist here',
  ],
  unsafe_name: [
    '数据包中的文件名“{name}”不安全（指向解包目录之外），已停止，未留下任何文件',
    'unsafe entry name “{name}” (outside the output folder): nothing was written',
  ],
}

const fill = (text: string, details: Record<string, unknown>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(details[k] ?? ''))

export function packageRejectionText(details: Record<string, unknown>, language: 'zh' | 'en' = 'zh'): string {
  const entry = PACKAGE_REJECTIONS[String(details.reason)]
  if (!entry) return language === 'zh' ? '数据包无法导入' : 'package rejected'
  return fill(language === 'zh' ? entry[0] : entry[1], details)
}

/** Why a key file was refused. */
const KEY_FILE_REJECTIONS: Record<string, [string, string]> = {
  not_pem: ['不是 PEM 格式的密钥文件', 'not a PEM key file'],
  not_spki: ['不是公钥文件（SubjectPublicKeyInfo）', 'not a public key (SPKI)'],
  not_sm2: ['不是 SM2 密钥', 'not an SM2 key'],
  bad_point: ['公钥无效（不在 SM2 曲线上）', 'invalid public key (not on the SM2 curve)'],
  not_pkcs8: ['不是 PKCS#8 私钥文件', 'not a PKCS#8 private key'],
  encrypted_pem: ['私钥文件设有口令，请先解密导出', 'the private key file is password-protected'],
  private_key: [
    '这是私钥文件：请导入对方的公钥文件（.pub.pem），私钥不要离开本机',
    'this is a private key: import the peer’s public key file',
  ],
  not_public_key: ['不是可识别的公钥文件（SM2，或 X25519 + Ed25519）', 'not a recognised public key file (SM2, or X25519 + Ed25519)'],
  own_key: ['这是本单位自己的公钥', 'this is this installation’s own key'],
  peer_exists: ['这把公钥已经导入过', 'this public key has already been imported'],
}

export function keyFileRejectionText(details: Record<string, unknown>, language: 'zh' | 'en' = 'zh'): string {
  const entry = KEY_FILE_REJECTIONS[String(details.reason)]
  if (!entry) return language === 'zh' ? '密钥文件无法使用' : 'key file rejected'
  return language === 'zh' ? entry[0] : entry[1]
}

/** Why a backup file was refused (nothing was replaced in any of these cases). */
const BACKUP_REJECTIONS: Record<string, [string, string]> = {
  not_backup: ['不是信用通备份文件', 'not a credit-desk backup'],
  newer_version: ['备份文件由更新版本的程序生成，请先升级程序', 'made by a newer version: upgrade first'],
  bad_header: ['备份文件头已损坏', 'the backup header is damaged'],
  truncated: ['备份文件不完整（可能复制中断或 U 盘被拔出）', 'the backup is incomplete (copy cut short)'],
  chunk: ['备份文件第 {chunk} 块校验失败：文件已损坏或被改动', 'chunk {chunk} failed its check: damaged or altered'],
  wrong_passphrase: ['备份口令不正确', 'wrong passphrase'],
  bad_content: ['备份内容不完整或不一致（{entry}）', 'the backup content is incomplete or inconsistent ({entry})'],
  newer_schema: ['备份中的数据库比本程序新，请先升级程序', 'the database in the backup is newer than this app'],
}

export function backupRejectionText(details: Record<string, unknown>, language: 'zh' | 'en' = 'zh'): string {
  const entry = BACKUP_REJECTIONS[String(details.reason)]
  if (!entry) return language === 'zh' ? '备份文件无法使用' : 'backup rejected'
  return fill(language === 'zh' ? entry[0] : entry[1], details)
}
