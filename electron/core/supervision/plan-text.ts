// The text of a work-plan document as the parser reads it: plain text as is (UTF-8, or GB18030 as
// older offices save it), .docx paragraphs from word/document.xml. PDF needs a text layer reader
// that is not part of the app yet: it is refused with a message saying what to do instead.
import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import JSZip from 'jszip'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'

function decodeText(bytes: Buffer): string {
  const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  // Many replacement characters mean the file is not UTF-8: read it as GB18030 (a superset of GBK).
  if ((utf8.match(/\uFFFD/g) ?? []).length > 3) return new TextDecoder('gb18030').decode(bytes)
  return utf8.replace(/^\uFEFF/, '')
}

async function docxText(bytes: Buffer): Promise<string> {
  let xml: string | undefined
  try {
    xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')?.async('string')
  } catch {
    xml = undefined
  }
  if (!xml) throw new AppError(ErrorCode.ImportFileRejected, 'not a docx', { reason: 'corrupt' })
  return xml
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
}

export async function readPlanText(path: string): Promise<string> {
  const bytes = readFileSync(path)
  const ext = extname(path).toLowerCase()
  if (ext === '.docx') return docxText(bytes)
  if (ext === '.pdf' || bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    throw new AppError(ErrorCode.ImportFileRejected, 'pdf not supported yet', { reason: 'pdf' })
  }
  if (ext === '.doc') throw new AppError(ErrorCode.ImportFileRejected, 'legacy doc', { reason: 'legacy_doc' })
  return decodeText(bytes)
}
