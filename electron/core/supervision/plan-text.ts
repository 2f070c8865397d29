// The text of a work-plan document as the parser reads it: plain text as is (UTF-8, or GB18030 as
// older offices save it), .docx paragraphs from word/document.xml, PDF through its text layer.
import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { pdfText } from './pdf-text'
import { loadZip } from '../shared/lazy-libs'

function decodeText(bytes: Buffer): string {
  const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  // Many replacement characters mean the file is not UTF-8: read it as GB18030 (a superset of GBK).
  if ((utf8.match(/\uFFFD/g) ?? []).length > 3) return new TextDecoder('gb18030').decode(bytes)
  return utf8.replace(/^\uFEFF/, '')
}

const decodeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
const cellText = (xml: string) => decodeXml(xml.replace(/<\/w:p>/g, ' ').replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim()

/**
 * A 任务分工表 (序号 | 任务 | 责任单位 | 完成时限) becomes numbered items the parser reads like paragraphs:
 * "1. 任务（责任单位：…）完成时限：…". Other tables are read row by row.
 */
function tableLines(tableXml: string, textBefore: string): string[] {
  const rows = [...tableXml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((r) => [...r[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => cellText(c[0])))
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

async function docxText(bytes: Buffer): Promise<string> {
  let xml: string | undefined
  try {
    xml = await (await (await loadZip()).loadAsync(bytes)).file('word/document.xml')?.async('string')
  } catch {
    xml = undefined
  }
  if (!xml) throw new AppError(ErrorCode.ImportFileRejected, 'not a docx', { reason: 'corrupt' })
  const paragraphs = (part: string) => decodeXml(part.replace(/<w:tab\/>/g, '\t').replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, ''))
  let text = ''
  let at = 0
  for (const table of xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)) {
    text += paragraphs(xml.slice(at, table.index))
    text += `\n${tableLines(table[0], text).join('\n')}\n`
    at = table.index + table[0].length
  }
  return text + paragraphs(xml.slice(at))
}

export async function readPlanText(path: string): Promise<string> {
  const bytes = readFileSync(path)
  const ext = extname(path).toLowerCase()
  if (ext === '.docx') return docxText(bytes)
  if (ext === '.pdf' || bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    return pdfText(bytes)
  }
  if (ext === '.doc') throw new AppError(ErrorCode.ImportFileRejected, 'legacy doc', { reason: 'legacy_doc' })
  return decodeText(bytes)
}
