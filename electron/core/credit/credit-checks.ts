// 信用核查 (逢办必查): a clerk checks one subject or a workbook of them before deciding. Each check is one numbered row
// of the 核查登记 (who, when, for what, how many, how many hits) with one result per subject, written in one
// transaction; results keep what was found but never a full ID number. A code that fails its check is a result too
// ("代码校验不通过"), never dropped.
import type { Knex } from 'knex'
import type { CatalogField } from '../../contract/schemas/catalog'
import type { CheckDetail, Hit, SubjectResult, Verdict } from '../../contract/schemas/credit'
import { HIT_SOURCE_LABELS, VERDICT_LABELS, checkNumber } from '../../contract/labels.zh-CN'
import { fieldMessage } from '../../contract/messages.zh-CN'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import type { FieldKeys } from '../security/field-crypto'
import { readRecordRows } from '../catalog/record-workbook'
import { headerRow, writeXlsxStream } from '../shared/xlsx-stream'
import { getSettings } from '../system/settings'
import type { CreditCheckResultRow } from '../../../db/tables'
import { findHits } from './credit-hits'
import { cleanName, identifySubject, type Subject } from './subject'
import { verdictOf } from './verdict'
import { knownNames } from './known-names'

/** The most subjects one check may hold (a workbook of suppliers, a list from a tender). */
export const MAX_CHECK_SUBJECTS = 20_000

const field = (code: string, name: string): CatalogField => ({
  code,
  name,
  type: 'text',
  maxLength: 200,
  required: false,
  dictTypeCode: null,
  checkRule: null,
  sensitive: false,
})
/** Headers a subject workbook may use: the list template's, or what supplier lists commonly say. */
const NAME_HEADERS = ['主体名称', '企业名称', '单位名称', '名称', '姓名', '供应商名称']
const CODE_HEADERS = ['统一社会信用代码或证件号码', '统一社会信用代码', '身份证号码', '身份证号', '证件号码', '代码']
export const CHECK_FIELDS: CatalogField[] = [
  ...NAME_HEADERS.map((n, i) => field(`N${i}`, n)),
  ...CODE_HEADERS.map((n, i) => field(`C${i}`, n)),
]

export interface RawSubject {
  name: string | null
  code: string | null
  /** The workbook row, for telling the user which line it was. */
  row?: number
}

/** The subjects of a workbook from outside (read in the parse worker): a name column, a code column, or both. */
export async function readSubjectFile(path: string): Promise<RawSubject[]> {
  const subjects: RawSubject[] = []
  const text = (v: unknown) => (v == null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim() || null)
  for await (const event of readRecordRows(path, CHECK_FIELDS, 1)) {
    if (event.kind !== 'row') continue
    const name = NAME_HEADERS.map((_, i) => text(event.raw[`N${i}`])).find(Boolean) ?? null
    const code = CODE_HEADERS.map((_, i) => text(event.raw[`C${i}`])).find(Boolean) ?? null
    if (!name && !code) continue
    if (subjects.length >= MAX_CHECK_SUBJECTS)
      throw new AppError(ErrorCode.ImportFileRejected, 'too many subjects', { reason: 'too_many_subjects', max: MAX_CHECK_SUBJECTS })
    subjects.push({ name, code, row: event.row })
  }
  if (!subjects.length) throw new AppError(ErrorCode.ImportFileRejected, 'no subjects', { reason: 'no_subjects' })
  return subjects
}

export interface CheckRun {
  purpose: string
  subjects: RawSubject[]
  fileName: string | null
  /** The signed-in user, or (command line) null with the operating-system account in actorName. */
  userId: number | null
  actorName?: string
  unitId: number | null
  now: number
  today: string
}

interface Evaluated {
  name: string
  shown: string | null
  key: string | null
  verdict: Verdict
  nameOnly: boolean
  problem: string | null
  hits: Hit[]
}

/** Checks the subjects against what the office holds; nothing is written. */
export async function evaluateSubjects(db: Knex, keys: FieldKeys, raw: readonly RawSubject[], today: string): Promise<Evaluated[]> {
  const identified = raw.map((r) => identifySubject(keys, r.name, r.code, today))
  const subjects = identified.flatMap((o) => (o.ok ? [o.subject] : []))
  const hits = await findHits(db, subjects, today)
  // Subjects given by code alone are named as the office has them on record.
  const unnamed = identified.flatMap((o, i) => (o.ok && !cleanName(raw[i]!.name) ? [o.subject] : []))
  const names = await knownNames(db, unnamed)
  return identified.map((o, i) => {
    if (!o.ok)
      return {
        name: cleanName(raw[i]!.name) || (o.shown ?? ''),
        shown: o.shown,
        key: null,
        verdict: 'invalid',
        nameOnly: false,
        problem: o.reason,
        hits: [],
      }
    const s: Subject = o.subject
    const found = hits.get(s.key) ?? []
    return {
      name: names.get(s.key) ?? s.name,
      shown: s.shown,
      key: s.key,
      verdict: verdictOf(found),
      nameOnly: !s.code && !s.idNumber,
      problem: null,
      hits: found,
    }
  })
}

/** Runs a check and enters it in the 核查登记, in one transaction (with `beforeCommit`, e.g. the audit row). */
export async function runCheck(
  db: Knex,
  keys: FieldKeys,
  run: CheckRun,
  beforeCommit?: (trx: Knex.Transaction, checkId: number) => Promise<void>,
): Promise<number> {
  if (!run.subjects.length)
    throw new AppError(ErrorCode.Validation, 'no subjects', { fields: [{ path: 'subjects', message: 'credit.subjectMissing' }] })
  const results = await evaluateSubjects(db, keys, run.subjects, run.today)
  const year = Number(run.today.slice(0, 4))
  return db.transaction(async (trx) => {
    const seq = Number((await trx('credit_checks').where('year', year).max({ m: 'seq' }).first())?.m ?? 0) + 1
    const [checkId] = await trx('credit_checks').insert({
      year,
      seq,
      purpose: run.purpose,
      file_name: run.fileName,
      subject_count: results.length,
      hit_count: results.filter((r) => r.hits.some((h) => h.active)).length,
      checked_by: run.userId,
      checked_by_name: run.userId ? null : (run.actorName ?? null),
      unit_id: run.unitId,
      checked_at: run.now,
    })
    const rows = results.map((r, i) => ({
      check_id: checkId!,
      seq: i + 1,
      subject_name: r.name,
      subject_shown: r.shown,
      subject_key: r.key,
      verdict: r.verdict,
      name_only: r.nameOnly,
      problem: r.problem,
      hits: JSON.stringify(r.hits),
    }))
    for (let i = 0; i < rows.length; i += 500) await trx('credit_check_results').insert(rows.slice(i, i + 500))
    await beforeCommit?.(trx, checkId!)
    return checkId!
  })
}

interface CheckHead {
  id: number
  year: number
  seq: number
  purpose: string
  file_name: string | null
  subject_count: number
  hit_count: number
  checked_at: number
  checker: string
  unit_name: string | null
}

const checkHead = (db: Knex) =>
  db('credit_checks as c')
    .leftJoin('users as u', 'u.id', 'c.checked_by')
    .leftJoin('org_units as o', 'o.id', 'c.unit_id')
    .select(
      'c.id',
      'c.year',
      'c.seq',
      'c.purpose',
      'c.file_name',
      'c.subject_count',
      'c.hit_count',
      'c.checked_at',
      db.raw('coalesce(u.display_name, c.checked_by_name) as checker'),
      'o.name as unit_name',
    )

function summaryOf(h: CheckHead) {
  return {
    id: h.id,
    number: checkNumber(h.year, h.seq),
    purpose: h.purpose,
    fileName: h.file_name,
    subjectCount: h.subject_count,
    hitCount: h.hit_count,
    checkedBy: h.checker,
    unitName: h.unit_name,
    checkedAt: h.checked_at,
  }
}

export function resultOf(r: CreditCheckResultRow): SubjectResult {
  return {
    id: r.id,
    seq: r.seq,
    subjectName: r.subject_name,
    subjectShown: r.subject_shown,
    verdict: r.verdict,
    nameOnly: Boolean(r.name_only),
    problem: r.problem ? fieldMessage(r.problem) : null,
    hits: JSON.parse(r.hits),
  }
}

export async function getCheck(db: Knex, checkId: number): Promise<CheckDetail> {
  const head = await checkHead(db).where('c.id', checkId).first<CheckHead | undefined>()
  if (!head) throw new AppError(ErrorCode.NotFound, 'no such check')
  const results = await db('credit_check_results').where('check_id', checkId).orderBy('seq')
  return { ...summaryOf(head), officeName: (await getSettings(db)).orgName, results: results.map(resultOf) }
}

/** The 核查登记: newest first; a keyword finds the purpose or the file. */
export async function listChecks(db: Knex, q: { keyword: string | null; page: number; pageSize: number }) {
  const filtered = (b: Knex.QueryBuilder) =>
    q.keyword ? b.where((w) => w.where('c.purpose', 'like', `%${q.keyword}%`).orWhere('c.file_name', 'like', `%${q.keyword}%`)) : b
  const total = Number((await filtered(db('credit_checks as c')).count({ n: '*' }).first())?.n ?? 0)
  const heads: CheckHead[] = await filtered(checkHead(db))
    .orderBy('c.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
  return { items: heads.map(summaryOf), total }
}

/** The results as a workbook: one row per subject, every hit and its basis in words (ID numbers stay masked). */
export async function writeCheckWorkbook(db: Knex, checkId: number, path: string): Promise<number> {
  const check = await getCheck(db, checkId)
  return writeXlsxStream(path, async (wb) => {
    const ws = wb.addWorksheet('核查结果', { views: [{ state: 'frozen', ySplit: 1 }] })
    headerRow(ws, ['序号', '主体名称', '统一社会信用代码/证件号码', '核查结论', '匹配方式', '命中情况'])
    ;[6, 30, 24, 18, 12, 90].forEach((w, i) => (ws.getColumn(i + 1).width = w))
    for (const r of check.results) {
      ws.addRow([
        r.seq,
        r.subjectName,
        r.subjectShown ?? '',
        VERDICT_LABELS[r.verdict],
        r.problem ?? (r.nameOnly ? '仅按名称' : '按代码'),
        r.hits
          .map(
            (h) =>
              `【${HIT_SOURCE_LABELS[h.source]}·${h.kind}·${h.state}】${h.basis}${h.by ? `（${h.by}）` : ''}${h.date ? ` ${h.date}` : ''}`,
          )
          .join('\n'),
      ]).commit()
    }
    const foot = ws.addRow([])
    foot.commit()
    ws.addRow([
      [check.number, `核查事项：${check.purpose}`, `核查人：${check.checkedBy}`, `出具单位：${check.officeName}`].join('\u3000'),
    ]).commit()
    await ws.commit()
    return check.results.length
  })
}
