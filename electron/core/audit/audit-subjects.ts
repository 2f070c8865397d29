// The objects an audit row names ("user:3", "record:12") as people know them: a user's name, a person's name with the
// masked ID number (never the full one), a record's 文书号, a task's number and title. Looked up in one query per kind
// for a page of rows; what no longer exists, or is not a row (rows:40, file:…), is described by its kind in Chinese.
import type { Knex } from 'knex'

export type SubjectNames = Map<string, string>

/** Chinese names of the id kinds the procedures write. */
const KIND_LABELS: Record<string, string> = {
  user: '用户',
  person: '档案',
  record: '记录',
  unit: '单位',
  catalog: '目录事项',
  task: '任务',
  'task-unit': '任务承办',
  'task-event': '任务记录',
  letter: '督办函',
  plan: '工作要点',
  peer: '交换对象',
  'archive-access': '查阅申请',
  'archive-entry': '档案事项',
  'record-action': '修复/异议申请',
  attachment: '附件',
  batch: '导入批次',
  rows: '行数',
  file: '文件',
  size: '大小',
  sequence: '序号',
  kind: '类型',
  table: '数据表',
  key: '密钥',
  fingerprint: '密钥指纹',
  export: '导出',
  holiday: '节假日',
  'calendar-year': '年度日历',
  dict: '字典',
  'grade-rule': '分级规则',
  grade: '等级',
  decision: '决定',
  parts: '内容',
  mode: '方式',
  view: '查看',
  'import-job': '导入任务',
  'package-job': '数据包任务',
  'backup-job': '备份任务',
  'backup-key': '备份口令',
  'people-import': '人员导入',
  assessments: '考核结果',
  circular: '通报',
  percent: '进度',
  keep: '保留份数',
  'remind-days': '提醒天数',
  regraded: '重新定级',
  'units-created': '新建单位',
  units: '单位数',
  tasks: '任务数',
  settings: '系统设置',
  records: '记录数',
  people: '档案数',
  account: '账号',
  'last-anchored': '锚定的最后一条',
  'last-present': '现存的最后一条',
  personal: '含个人信息',
  full: '全量',
  digest: '摘要',
  field: '数据项',
}

/** A reference described without the database: 行数 40, 文件 备份-2026….cdbak. */
export function describeRef(ref: string): string {
  const at = ref.indexOf(':')
  if (at < 0) return KIND_LABELS[ref] ?? ref
  const kind = ref.slice(0, at)
  const label = KIND_LABELS[kind]
  return label ? `${label} ${ref.slice(at + 1)}` : ref
}

type Lookup = (db: Knex, ids: number[]) => Promise<Array<{ id: number; label: string }>>

const LOOKUPS: Record<string, Lookup> = {
  user: async (db, ids) =>
    (await db('users').whereIn('id', ids).select('id', 'username', 'display_name')).map((u) => ({
      id: u.id,
      label: `${u.display_name}（${u.username}）`,
    })),
  person: async (db, ids) =>
    (await db('people').whereIn('id', ids).select('id', 'name', 'id_masked')).map((p) => ({
      id: p.id,
      label: `${p.name}（${p.id_masked}）`,
    })),
  record: async (db, ids) =>
    (await db('records').whereIn('id', ids).select('id', 'doc_number', 'subject_name')).map((r) => ({
      id: r.id,
      label: r.doc_number ? `${r.doc_number}（${r.subject_name}）` : r.subject_name,
    })),
  unit: async (db, ids) => (await db('org_units').whereIn('id', ids).select('id', 'name')).map((u) => ({ id: u.id, label: u.name })),
  catalog: async (db, ids) =>
    (await db('catalog_items').whereIn('id', ids).select('id', 'name', 'version')).map((c) => ({
      id: c.id,
      label: `${c.name}（第${c.version}版）`,
    })),
  task: async (db, ids) =>
    (await db('tasks').whereIn('id', ids).select('id', 'path', 'title')).map((t) => ({
      id: t.id,
      label: `${t.path.replaceAll('/', '.')} ${t.title}`,
    })),
  'task-unit': async (db, ids) =>
    (
      await db('task_units as tu')
        .join('tasks as t', 't.id', 'tu.task_id')
        .join('org_units as u', 'u.id', 'tu.unit_id')
        .whereIn('tu.id', ids)
        .select<Array<{ id: number; path: string; unit: string }>>('tu.id', 't.path', 'u.name as unit')
    ).map((r) => ({ id: r.id, label: `${r.path.replaceAll('/', '.')} ${r.unit}` })),
  letter: async (db, ids) =>
    (await db('supervision_letters').whereIn('id', ids).select('id', 'doc_number')).map((l) => ({ id: l.id, label: l.doc_number })),
  plan: async (db, ids) => (await db('plans').whereIn('id', ids).select('id', 'title')).map((p) => ({ id: p.id, label: p.title })),
  peer: async (db, ids) => (await db('exchange_peers').whereIn('id', ids).select('id', 'name')).map((p) => ({ id: p.id, label: p.name })),
  'archive-access': async (db, ids) =>
    (
      await db('archive_access as a')
        .join('people as p', 'p.id', 'a.person_id')
        .whereIn('a.id', ids)
        .select<Array<{ id: number; name: string; id_masked: string }>>('a.id', 'p.name', 'p.id_masked')
    ).map((r) => ({ id: r.id, label: `${r.name}（${r.id_masked}）` })),
  'archive-entry': async (db, ids) =>
    (
      await db('archive_entries as e')
        .join('people as p', 'p.id', 'e.person_id')
        .whereIn('e.id', ids)
        .select<Array<{ id: number; title: string; name: string }>>('e.id', 'e.title', 'p.name')
    ).map((r) => ({ id: r.id, label: `${r.name}：${r.title}` })),
  'record-action': async (db, ids) =>
    (
      await db('record_actions as a')
        .join('records as r', 'r.id', 'a.record_id')
        .whereIn('a.id', ids)
        .select<Array<{ id: number; doc_number: string | null; subject_name: string }>>('a.id', 'r.doc_number', 'r.subject_name')
    ).map((r) => ({ id: r.id, label: r.doc_number ?? r.subject_name })),
}

/** Names every reference of a page of audit rows that points at a row still present. */
export async function nameSubjects(db: Knex, refs: string[]): Promise<SubjectNames> {
  const byKind = new Map<string, Set<number>>()
  for (const ref of refs) {
    const m = /^([a-z-]+):(\d{1,12})$/.exec(ref)
    if (!m || !LOOKUPS[m[1]!]) continue
    const ids = byKind.get(m[1]!) ?? new Set<number>()
    ids.add(Number(m[2]))
    byKind.set(m[1]!, ids)
  }
  const names: SubjectNames = new Map()
  for (const [kind, ids] of byKind) {
    for (const { id, label } of await LOOKUPS[kind]!(db, [...ids])) names.set(`${kind}:${id}`, `${KIND_LABELS[kind]} ${label}`)
  }
  return names
}
