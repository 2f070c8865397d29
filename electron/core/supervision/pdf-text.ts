// The text layer of a PDF through pdf.js (Mozilla's reader, run in Node without a canvas). Lines come from the
// reader's end-of-line marks and baseline changes; radicals that PDF writers put in place of ideographs are mapped
// back. A PDF without text (a scan) or with a password is refused with its reason: OCR is not part of the app.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { unifyCjkRadicals } from '../shared/cjk-radicals'
import { limitExceeded } from '../untrusted/limit-error'
import { MAX_PDF_PAGES } from '../untrusted/limits'

// Fewer readable characters than this per page on average means the pages are pictures.
const MIN_CHARS_PER_PAGE = 20

interface TextPiece {
  str?: string
  hasEOL?: boolean
  transform?: number[]
  width?: number
  height?: number
}

// A numbered item (一、 （一） (一) 1. （1）) or a list/heading remnant begins a new line even after a full one.
const STARTS_ITEM = /^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[-*#•])/

interface Line {
  text: string
  right: number
  size: number
}

function pdfjsAssets(): { cMapUrl: string; standardFontDataUrl: string } {
  const root = dirname(createRequire(__filename).resolve('pdfjs-dist/package.json'))
  return { cMapUrl: join(root, 'cmaps') + '/', standardFontDataUrl: join(root, 'standard_fonts') + '/' }
}

function pageLines(items: TextPiece[]): Line[] {
  const lines: Line[] = []
  let line: Line | undefined
  let lastY: number | undefined
  for (const item of items) {
    if (item.str === undefined) continue
    const [, , , , x = 0, y] = item.transform ?? []
    if (line && lastY !== undefined && y !== undefined && Math.abs(y - lastY) > 2) line = undefined
    line ??= lines[lines.push({ text: '', right: 0, size: 0 }) - 1]!
    line.text += unifyCjkRadicals(item.str)
    line.right = Math.max(line.right, x + (item.width ?? 0))
    line.size = Math.max(line.size, item.height ?? 0)
    if (item.hasEOL) line = undefined
    if (y !== undefined) lastY = y
  }
  return lines.filter((l) => l.text.trim())
}

/**
 * A line that runs to the right edge of the text block was wrapped by the layout, not ended by the author:
 * it is joined to the next one, as the text file would have it (a unit clause may wrap anywhere, even inside 责任部门).
 */
function unwrap(lines: Line[]): string {
  const edge = Math.max(0, ...lines.map((l) => l.right))
  const wrapped = (l: Line, next: Line | undefined) =>
    next !== undefined && l.right >= edge - 1.5 * (l.size || 12) && !STARTS_ITEM.test(next.text)
  return lines.map((l, i) => l.text + (wrapped(l, lines[i + 1]) ? '' : '\n')).join('')
}

const HAN = '\\p{Script=Han}'
const FULL_WIDTH: Record<string, string> = { ',': '，', ';': '；', ':': '：', '!': '！', '?': '？' }

/**
 * Fonts that share glyphs between ，and , give the text layer ASCII punctuation: after Chinese it is read
 * full-width. Brackets are left as they come (a unit name may be printed either way; matching folds them).
 */
function chinesePunctuation(text: string): string {
  return text.replace(new RegExp(`(?<=${HAN}[)》”]?)[,;:!?]`, 'gu'), (c) => FULL_WIDTH[c] ?? c)
}

export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  let doc
  try {
    doc = await pdfjs.getDocument({
      data: new Uint8Array(bytes), // pdf.js takes ownership of the buffer it is given
      ...pdfjsAssets(),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise
  } catch (error) {
    const name = (error as { name?: string }).name
    if (name === 'PasswordException') throw new AppError(ErrorCode.ImportFileRejected, 'pdf has a password', { reason: 'pdf_password' })
    throw new AppError(ErrorCode.ImportFileRejected, 'pdf unreadable', { reason: 'corrupt' })
  }
  try {
    // A 600 KB file may claim 100,000 pages; a 工作要点 has a few dozen.
    if (doc.numPages > MAX_PDF_PAGES) throw limitExceeded('pages', MAX_PDF_PAGES)
    const pages: string[] = []
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n)
      pages.push(unwrap(pageLines((await page.getTextContent()).items as TextPiece[])))
      page.cleanup()
    }
    const text = chinesePunctuation(pages.join('\n'))
    const readable = text.replace(/[\s\p{P}\d]/gu, '').length
    if (readable < MIN_CHARS_PER_PAGE * doc.numPages)
      throw new AppError(ErrorCode.ImportFileRejected, 'pdf without text layer', { reason: 'pdf_no_text' })
    return text
  } finally {
    await doc.destroy()
  }
}
