// Chinese text for field-issue message keys. Shared by the renderer (form errors) and the CLI
// (check-code reasons), so a rule is worded the same everywhere.
export const FIELD_MESSAGES: Record<string, string> = {
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
  'idcard.chars': '身份证号格式不正确（前 17 位应为数字，末位为数字或 X）',
  'idcard.birthDate': '身份证号中的出生日期不存在或晚于今天',
  'idcard.checkChar': '身份证号校验位不正确',
  'code.unknownKind': '无法识别：既不是统一社会信用代码也不是身份证号',
  'code.ok': '校验通过',
  'username.taken': '该用户名已被使用',
  'roles.conflict': '系统管理员与安全审计员不能由同一人兼任（三员分立）',
  'unit.missing': '所选单位不存在或已停用',
  'unit.parentMissing': '上级单位不存在',
  'unit.cycle': '不能把单位移到它自己或它的下级单位之下',
  'unit.nameTaken': '同一上级单位下已有同名单位',
  'dict.typeTaken': '该字典编码已存在',
  'dict.valueTaken': '该字典中已有相同的值',
  'dict.valueFixed': '已保存的字典值不能修改，只能修改名称、排序和启用状态',
}

export function fieldMessage(key: string, params?: Record<string, string | number>): string {
  const text = FIELD_MESSAGES[key] ?? FIELD_MESSAGES.invalid ?? key
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params?.[name] ?? ''))
}
