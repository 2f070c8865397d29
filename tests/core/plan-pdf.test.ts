// PDFs made the way offices make them (a browser's print to PDF, CJK font embedded with its ToUnicode map),
// read back through the app's text-layer reader. Debian's Chromium prints them.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from '@playwright/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/index'
import { parsePlan } from '../../electron/core/supervision/plan-parser'
import { readPlanText } from '../../electron/core/supervision/plan-text'
import { tempDir } from '../helpers'
import { PLAN } from '../fixtures/sample-plan'

let browser: Browser
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' })
})
afterAll(async () => {
  await browser?.close()
})

async function printPdf(path: string, html: string): Promise<void> {
  const page = await browser.newPage()
  await page.setContent(html)
  await page.pdf({ path, format: 'A4', margin: { top: '25mm', bottom: '25mm', left: '28mm', right: '26mm' } })
  await page.close()
}

const asHtml = (text: string) =>
  `<pre style="white-space:pre-wrap;font:16px 'Noto Serif CJK SC',serif">${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>`

describe('work plans as PDF', () => {
  it('reads the text layer: wrapped lines joined, radicals the font maps read as ideographs, same tasks as the text file', async () => {
    const dir = tempDir()
    const pdf = join(dir, '工作要点.pdf')
    // A narrow column wraps every unit clause across lines, as a printed page does.
    await printPdf(pdf, `<div style="width:260px">${asHtml(PLAN)}</div>`)
    const text = await readPlanText(pdf)
    expect(text).not.toMatch(/[\u2E80-\u2FDF]/)
    const fromPdf = parsePlan(text)
    const fromText = parsePlan(PLAN)
    const view = (p: typeof fromText) => p.tasks.map(({ path, units, deadline, recurring }) => ({ path, units, deadline, recurring }))
    expect(view(fromPdf)).toEqual(view(fromText))
    expect(fromPdf.tasks).toHaveLength(6)
    expect(fromPdf.docNumber).toBe('某信用〔2026〕3号')
    const lines: string[] = []
    expect(await main(['plan', 'parse', pdf, '--json'], { log: (l) => lines.push(l), error: () => {} })).toBe(0)
    expect(JSON.parse(lines.join('\n')).tasks).toHaveLength(6)
  })

  it('refuses a scanned PDF (pages without text) saying it needs OCR', async () => {
    const dir = tempDir()
    const pdf = join(dir, '扫描件.pdf')
    // A page that is only a picture: a canvas drawn in grey.
    await printPdf(
      pdf,
      '<canvas id="c" width="600" height="800"></canvas><script>const c=document.getElementById("c").getContext("2d");c.fillStyle="#888";c.fillRect(20,20,560,760)</script>',
    )
    await expect(readPlanText(pdf)).rejects.toMatchObject({ code: 'IMPORT_FILE_REJECTED', details: { reason: 'pdf_no_text' } })
    const errors: string[] = []
    expect(await main(['plan', 'parse', pdf], { log: () => {}, error: (l) => errors.push(l) })).toBe(1)
    expect(errors[0]).toContain('OCR')
  })

  it('refuses a damaged PDF as damaged', async () => {
    const dir = tempDir()
    const pdf = join(dir, 'broken.pdf')
    writeFileSync(pdf, '%PDF-1.7\n1 0 obj <<')
    await expect(readPlanText(pdf)).rejects.toMatchObject({ details: { reason: 'corrupt' } })
  })
})
