// The text of a work-plan document as the parser reads it: plain text as is (UTF-8, or GB18030 as
// older offices save it), .docx paragraphs from word/document.xml, PDF through its text layer. Extraction runs in
// the parse worker (core/untrusted) with its limits; every scan of the XML is linear in its length.
import { readFileSync, statSync } from 'node:fs'
import { extname } from 'node:path'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { pdfText } from './pdf-text'
import { limitExceeded } from '../untrusted/limit-error'
import { DOCX_LIMITS, MAX_PLAN_CHARS, MAX_PLAN_FILE, PLAN_DEADLINE_MS } from '../untrusted/limits'
import { parsePlan, planTitle, type ParsedPlan } from './plan-parser'
import { parseOnce } from '../untrusted/parse-in-worker'
import { inspectZip } from '../untrusted/zip-inspect'

function decodeText(bytes: Buffer): string {
  const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  // Many replacement characters mean the file is not UTF-8: read it as GB18030 (a superset of GBK).
  if ((utf8.match(/\uFFFD/g) ?? []).length > 3) return new TextDecoder('gb18030').decode(bytes)
  return utf8.replace(/^\uFEFF/, '')
}

const decodeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
// [^<>]: a '<' that never closes costs one step, not a scan to the end of the document for each one.
const stripTags = (xml: string) => xml.replace(/<[^<>]*>/g, '')
const cellText = (xml: string) =>
  decodeXml(stripTags(xml.replace(/<\/w:p>/g, ' ')))
    .replace(/\s+/g, ' ')
    .trim()

/**
 * The elements `<tag>…</tag>` (or `<tag …>`) in order, found with indexOf: linear, unlike a lazy regex, which
 * rescans to the end from every opening tag that has no end. Stops at the first element left open.
 */
function elements(xml: string, tag: string): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = []
  const close = `</${tag}>`
  let at = 0
  for (;;) {
    let start = xml.indexOf(`<${tag}`, at)
    while (start >= 0 && !/[ >]/.test(xml.charAt(start + tag.length + 1))) start = xml.indexOf(`<${tag}`, start + 1)
    if (start < 0) return found
    const stop = xml.indexOf(close, start)
    if (stop < 0) return found
    found.push({ start, end: stop + close.length })
    at = stop + close.length
  }
}
const slices = (xml: string, tag: string) => elements(xml, tag).map((e) => xml.slice(e.start, e.end))

/**
 * A 任务分工表 (序号 | 任务 | 责任单位 | 完成时限) becomes numbered items the parser reads like paragraphs:
 * "1. 任务（责任单位：…）完成时限：…". Other tables are read row by row.
 */
function tableLines(tableXml: string, textBefore: string): string[] {
  const rows = slices(tableXml, 'w:tr').map((r) => slices(r, 'w:tc').map(cellText))
  if (rows.length < 2) return rows.map((r) => r.join(' '))
  const head = rows[0]!
  const col = (re: RegExp) => head.findIndex((h) => re.test(h))
  const unitCol = col(/单位|部门/)
  const taskCol = col(/任务|内容|事项|工作/)
  if (unitCol < 0 || taskCol < 0) return rows.map((r) => r.join(' '))
  const timeCol = col(/时限|时间|期限/)
  const lines = /(^|\n)\s*[一二三四五六七八九十]+、/.test(textBefore) ? [] : ['一、任务分工']
  rows.slice(1).forEach((r, i) => {
    if (!r[taskCol]) return
    const time = timeCol >= 0 ? (r[timeCol] ?? '') : ''
    const due = time ? `完成时限：${time}${/(?:月|日|月底|年底)$/.test(time) ? '前' : ''}。` : ''
    lines.push(`${i + 1}. ${r[taskCol]!.replace(/。?$/, '。')}${due}（责任单位：${r[unitCol] ?? ''}）`)
  })
  return lines
}

async function docxText(path: string): Promise<string> {
  const parts: Buffer[] = []
  await inspectZip(path, DOCX_LIMITS, (part, chunk) => {
    if (part === 'word/document.xml') parts.push(Buffer.from(chunk))
  })
  if (!parts.length) throw new AppError(ErrorCode.ImportFileRejected, 'not a docx', { reason: 'corrupt' })
  const xml = Buffer.concat(parts).toString('utf8')
  const paragraphs = (part: string) => decodeXml(stripTags(part.replace(/<w:tab\/>/g, '\t').replace(/<\/w:p>/g, '\n')))
  let text = ''
  let at = 0
  for (const table of elements(xml, 'w:tbl')) {
    text += paragraphs(xml.slice(at, table.start))
    text += `\n${tableLines(xml.slice(table.start, table.end), text).join('\n')}\n`
    at = table.end
  }
  return text + paragraphs(xml.slice(at))
}

/** Reads the document's text; runs inside the parse worker (callers use readPlanText). */
export async function extractPlanText(path: string): Promise<string> {
  const text = await documentText(path)
  if (text.length > MAX_PLAN_CHARS) throw limitExceeded('characters', MAX_PLAN_CHARS)
  return text
}

async function documentText(path: string): Promise<string> {
  if (statSync(path).size > MAX_PLAN_FILE) throw limitExceeded('file_size', MAX_PLAN_FILE)
  const ext = extname(path).toLowerCase()
  if (ext === '.docx') return docxText(path)
  const bytes = readFileSync(path)
  if (ext === '.pdf' || bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    return pdfText(bytes)
  }
  if (ext === '.doc') throw new AppError(ErrorCode.ImportFileRejected, 'legacy doc', { reason: 'legacy_doc' })
  return decodeText(bytes)
}

/** A work plan's text, read in the parse worker with its limits. */
export function readPlanText(path: string): Promise<string> {
  return parseOnce<string>({ op: 'plan-text', path }, PLAN_DEADLINE_MS)
}

export type PlanFromFile = ParsedPlan & { title: string | null }

/** Decomposes a document's text; in the parse worker, so the parser's patterns never run on the main thread. */
export function planOf(text: string): PlanFromFile {
  return { ...parsePlan(text), title: planTitle(text) }
}

/** A work plan decomposed from its file, read and parsed in the parse worker with its limits. */
export function readPlan(path: string): Promise<PlanFromFile> {
  return parseOnce<PlanFromFile>({ op: 'plan', path }, PLAN_DEADLINE_MS)
}
