import type { CatalogField } from '../../contract/schemas/catalog'
import type { IsoDate } from '../calendar/working-calendar'
import { normalizeCode } from '../codes/normalize'
import { checkIdCard } from '../codes/idcard'
import { checkIdentityDocument } from '../codes/identity-document'
import { checkUscc } from '../codes/uscc'
import { matchDictEntry, type AliasIndex } from '../system/dict-match'

export type CellValue = string | number | null

export interface RecordIssue {
  /** The data item's code (the Excel column is found from it). */
  column: string
  /** Message key, see contract/messages.zh-CN.ts. */
  message: string
  params?: Record<string, string | number>
}

export interface CheckContext {
  today: IsoDate
  /** Enabled entries per dictionary type: value → label. */
  dicts: Map<string, Map<string, string>>
  /** Per type, normalised labels and aliases → value (dictionaries.loadDictAliases); without it only exact labels match. */
  aliases?: Map<string, AliasIndex>
}

export interface CheckedRecord {
  values: Record<string, CellValue>
  issues: RecordIssue[]
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30)

/** Outer spaces of any width (incl. NBSP and the ideographic space) removed; the content untouched. */
function trimText(raw: unknown): string {
  if (raw == null) return ''
  return String(raw).replace(/^[\s\u00a0\u3000]+|[\s\u00a0\u3000]+$/g, '')
}

/** Codes, numbers and dates as typed or pasted: full-width letters and digits folded (NFKC), trimmed. */
function cleanText(raw: unknown): string {
  return trimText(trimText(raw).normalize('NFKC'))
}

/**
 * Free text keeps its Chinese punctuation (，（）：stay full-width); only full-width letters and
 * digits fold, so 罚〔２０２６〕１号 and 罚〔2026〕1号 are the same document for the duplicate check.
 */
function cleanFreeText(raw: unknown): string {
  return trimText(raw).replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

/**
 * Reads a date the ways departments write them: a Date, an Excel serial number, 2025-09-26,
 * 2025/9/26, 2025.9.26, 2025年9月26日 or 20250926. Null if it is not a real calendar date.
 */
export function parseDate(raw: unknown): IsoDate | null {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw.toISOString().slice(0, 10)
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw) || raw < 1 || raw > 2958465) return null
    return new Date(EXCEL_EPOCH + raw * 86_400_000).toISOString().slice(0, 10)
  }
  const key = String(raw)
  // A department's file repeats the same few hundred dates across thousands of rows.
  if (parsedDates.has(key)) return parsedDates.get(key)!
  if (parsedDates.size > 10_000) parsedDates.clear()
  const s = cleanText(raw)
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s)
  let iso: IsoDate | null = null
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
    const date = new Date(Date.UTC(y, mo - 1, d))
    if (date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d) iso = date.toISOString().slice(0, 10)
  }
  parsedDates.set(key, iso)
  return iso
}

const parsedDates = new Map<string, IsoDate | null>()

/** Stands for a formula cell without a cached value (a file written by a program, never calculated): a row error. */
export const FORMULA_WITHOUT_VALUE = Object.freeze({ formulaWithoutValue: true as const })
const isFormulaWithoutValue = (v: unknown) =>
  typeof v === 'object' && v !== null && (v as { formulaWithoutValue?: unknown }).formulaWithoutValue === true

function checkCell(field: CatalogField, raw: unknown, ctx: CheckContext): { value: CellValue; issue?: Omit<RecordIssue, 'column'> } {
  if (isFormulaWithoutValue(raw)) return { value: null, issue: { message: 'cell.formulaNoValue' } }
  if (field.type === 'date' && (raw instanceof Date || typeof raw === 'number')) {
    const iso = parseDate(raw)
    return iso ? { value: iso } : { value: null, issue: { message: 'date.format' } }
  }
  const text = field.type === 'text' ? cleanFreeText(raw) : cleanText(raw)
  if (text === '') return { value: null, issue: field.required ? { message: 'required' } : undefined }
  switch (field.type) {
    case 'text':
      return field.maxLength && [...text].length > field.maxLength
        ? { value: text, issue: { message: 'text.tooLong', params: { max: field.maxLength } } }
        : { value: text }
    case 'integer':
      return /^-?\d+$/.test(text) ? { value: Number(text) } : { value: null, issue: { message: 'number.integer' } }
    case 'decimal': {
      const n = text.replace(/,/g, '')
      if (!/^-?\d+(\.\d+)?$/.test(n)) return { value: null, issue: { message: 'number.format' } }
      if (field.checkRule === 'money_wan' && Number(n) < 0) return { value: Number(n), issue: { message: 'money.negative' } }
      return { value: Number(n) }
    }
    case 'date': {
      const iso = parseDate(text)
      return iso ? { value: iso } : { value: null, issue: { message: 'date.format' } }
    }
    case 'uscc': {
      const c = checkUscc(text)
      return c.valid ? { value: c.normalized } : { value: c.normalized, issue: { message: c.reason } }
    }
    case 'idcard': {
      // A number with a 证件类型 beside it is checked against that type once the row is read (documentIssues).
      if (documentTypeField(field)) return { value: normalizeCode(text) }
      const c = checkIdCard(text, new Date(`${ctx.today}T23:59:59Z`))
      return c.valid ? { value: c.normalized } : { value: c.normalized, issue: { message: c.reason } }
    }
    case 'dict': {
      // Departments type the label (罚款) more often than the code (fine), and national or provincial wordings
      // (法人及非法人组织); value, label and aliases are all accepted.
      const type = field.dictTypeCode ?? ''
      const value = matchDictEntry(ctx.dicts.get(type) ?? new Map<string, string>(), ctx.aliases?.get(type), text)
      return value != null ? { value } : { value: text, issue: { message: 'dict.unknown' } }
    }
  }
}

/**
 * Checks one record against its catalog item's data items: each cell by type, length, dictionary
 * and check rule, then the rules that span cells (date order, subject code vs. subject type).
 * Every problem is reported, not just the first, so a department can fix a row in one go.
 */
export function checkRecord(fields: CatalogField[], raw: Record<string, unknown>, ctx: CheckContext): CheckedRecord {
  const values: Record<string, CellValue> = {}
  const issues: RecordIssue[] = []
  for (const field of fields) {
    const { value, issue } = checkCell(field, raw[field.code], ctx)
    values[field.code] = value
    if (issue) issues.push({ column: field.code, ...issue })
  }
  const failed = new Set(issues.map((i) => i.column))
  for (const field of fields) {
    const v = values[field.code]
    if (v == null || failed.has(field.code)) continue
    const rule = field.checkRule ?? ''
    if ((rule === 'decision_date' || rule === 'not_future') && typeof v === 'string' && v > ctx.today) {
      issues.push({ column: field.code, message: 'date.future' })
    }
    const before = /^not_before:(.+)$/.exec(rule)?.[1]
    const other = before ? values[before] : null
    if (before && typeof other === 'string' && typeof v === 'string' && v < other) {
      issues.push({ column: field.code, message: 'date.before', params: { other: fields.find((f) => f.code === before)?.name ?? before } })
    }
  }
  issues.push(...documentIssues(fields, values, failed, ctx))
  issues.push(...subjectIssues(fields, values, failed))
  return { values, issues }
}

/** The field holding a number's 证件类型, from its check rule `id_doc:<code>`. */
function documentTypeField(field: CatalogField): string | null {
  return /^id_doc:(.+)$/.exec(field.checkRule ?? '')?.[1] ?? null
}

/**
 * Each 证件号码 against its 证件类型: 身份证 by GB 11643, 护照, 通行证 and 永久居留证 by their own shapes. With the
 * type left empty the number is read as a 居民身份证 number; with a type that failed its own check nothing more is said.
 */
function documentIssues(fields: CatalogField[], values: Record<string, CellValue>, failed: Set<string>, ctx: CheckContext): RecordIssue[] {
  const issues: RecordIssue[] = []
  for (const field of fields) {
    const typeCode = documentTypeField(field)
    const number = values[field.code]
    if (!typeCode || typeof number !== 'string' || failed.has(field.code) || failed.has(typeCode)) continue
    const docType = values[typeCode]
    const c = checkIdentityDocument(typeof docType === 'string' ? docType : null, number, new Date(`${ctx.today}T23:59:59Z`))
    values[field.code] = c.normalized
    if (!c.valid) {
      issues.push({ column: field.code, message: c.reason })
      failed.add(field.code)
    }
  }
  return issues
}

/**
 * The subject's identifying code must fit its type: 法人和非法人组织 need a 统一社会信用代码 (a 92 prefix
 * would be an 个体工商户), 个体工商户 codes start with 92, and a 自然人 is identified by ID number.
 */
function subjectIssues(fields: CatalogField[], values: Record<string, CellValue>, failed: Set<string>): RecordIssue[] {
  const typeField = fields.find((f) => f.dictTypeCode === 'subject_type')
  const codeField = fields.find((f) => f.checkRule === 'subject_code')
  if (!typeField || !codeField || failed.has(typeField.code) || failed.has(codeField.code)) return []
  const type = values[typeField.code]
  const code = values[codeField.code]
  const idField = fields.find((f) => f.type === 'idcard')
  if (type === 'legal') {
    if (code == null) return [{ column: codeField.code, message: 'subject.usccRequired' }]
    if (String(code).startsWith('92')) return [{ column: codeField.code, message: 'subject.prefix92' }]
  }
  if (type === 'individual_business' && code != null && !String(code).startsWith('92')) {
    return [{ column: codeField.code, message: 'subject.notIndividual' }]
  }
  if (type === 'natural_person' && idField && values[idField.code] == null && !failed.has(idField.code)) {
    return [{ column: idField.code, message: 'subject.idRequired' }]
  }
  return []
}
