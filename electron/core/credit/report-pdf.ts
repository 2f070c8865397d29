// A 信用报告 as a PDF without a browser (the command line): A4, the same sections and lines as the app's printed
// report, 第 N 页 共 M 页 on every page, the Chinese font embedded (subset) so the file reads on any PC. The font is
// the one given, else the first CJK font found in the usual places of Linux (Noto CJK, 文泉驿) and Windows (黑体, 宋体).
import { createWriteStream, existsSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import type { CreditReport } from '../../contract/schemas/credit'
import { SUBJECT_KIND_LABELS } from '../../contract/labels.zh-CN'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'

const FONT_CANDIDATES = [
  process.env.CREDIT_DESK_PDF_FONT,
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/wqy-microhei/wqy-microhei.ttc',
  'C:\\Windows\\Fonts\\simhei.ttf',
  'C:\\Windows\\Fonts\\simsun.ttc',
  'C:\\Windows\\Fonts\\msyh.ttc',
].filter((p): p is string => !!p)

/** A font file and, for a collection (.ttc), the PostScript name of its Simplified Chinese face. */
async function chineseFont(given?: string): Promise<{ path: string; family?: string }> {
  const path = given ?? FONT_CANDIDATES.find((p) => existsSync(p))
  if (!path || !existsSync(path))
    throw new AppError(ErrorCode.Validation, 'no CJK font', { reason: 'no_font', fields: [{ path: 'font', message: 'report.noFont' }] })
  const fontkit = await import('fontkit')
  const opened = fontkit.openSync(path)
  if (!('fonts' in opened)) return { path }
  const names = opened.fonts.map((f) => f.postscriptName)
  return { path, family: names.find((n) => /SC|sc|SimSun|Hei|MicroHei|YaHei/.test(n)) ?? names[0] }
}

export async function writeReportPdf(report: CreditReport, outPath: string, fontPath?: string): Promise<void> {
  const font = await chineseFont(fontPath)
  const { default: PDFDocument } = await import('pdfkit')
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 57, bottom: 70, left: 51, right: 51 },
    bufferPages: true,
    info: { Title: `信用报告 ${report.number}`, Author: report.officeName, Subject: report.subjectName },
  })
  doc.registerFont('cjk', font.path, font.family)
  doc.font('cjk')
  const temp = `${outPath}.partial`
  const stream = createWriteStream(temp, { mode: 0o600 })
  const written = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve)
    stream.on('error', reject)
  })
  doc.pipe(stream)
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right
  const line = (text: string, size = 10.5, opts: PDFKit.Mixins.TextOptions = {}) => doc.fontSize(size).text(text, opts)

  line('信 用 报 告', 20, { align: 'center' })
  line(report.subjectName, 14, { align: 'center' })
  doc.moveDown(0.5)
  line(`报告编号：${report.number}`)
  line(
    `${SUBJECT_KIND_LABELS[report.subjectType]}\u3000${report.subjectShown ?? ''}\u3000报告期：${report.periodFrom} 至 ${report.periodTo}`,
  )
  line(
    `出具单位：${report.officeName}\u3000出具时间：${new Date(report.producedAt).toLocaleString('zh-CN', { hour12: false })}\u3000出具人：${report.producedBy}`,
  )
  if (report.authorisation) line(`查询授权：${report.authorisation}`)
  doc.moveDown(0.3)
  line(`本报告仅供“${report.purpose}”使用，不得用于其他用途。`, 11)
  for (const section of report.sections) {
    doc.moveDown(0.6)
    line(section.title, 13)
    doc
      .moveTo(doc.page.margins.left, doc.y)
      .lineTo(doc.page.margins.left + width, doc.y)
      .stroke()
    doc.moveDown(0.2)
    if (!section.rows.length) line(section.empty)
    for (const row of section.rows) {
      for (const cell of row) line(`${cell.label}：${cell.value}`, 10, { indent: 12 })
      doc.moveDown(0.3)
    }
  }
  doc.moveDown(0.8)
  line(`本报告依据${report.officeName}信用信息系统中的数据出具，反映报告期内的情况；失信信息仅列公示期内的记录。`, 9)
  const pages = doc.bufferedPageRange()
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i)
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0 // writing into the margin must not start a new page
    doc.fontSize(9).text(`第 ${i + 1} 页 共 ${pages.count} 页`, doc.page.margins.left, doc.page.height - 45, {
      width,
      align: 'center',
      lineBreak: false,
    })
    doc.page.margins.bottom = bottom
  }
  doc.end()
  try {
    await written
    await rename(temp, outPath)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
}
