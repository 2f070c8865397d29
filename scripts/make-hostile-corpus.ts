// Builds tests/fixtures/hostile/: small files that try to take the app down when imported or parsed (each tried
// by tests/core/hostile-files.test.ts). Run with `npx tsx scripts/make-hostile-corpus.ts`; the files are committed.
// Bombs are deflated as they are generated, so building them never holds their expanded size in memory.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate'

const OUT = join(__dirname, '..', 'tests', 'fixtures', 'hostile')
const MiB = 1024 * 1024

type Part = { name: string; text?: string; repeat?: { head: string; body: string; times: number; tail: string } }

/** A zip whose parts are written piece by piece (a repeated body deflates to almost nothing). */
function zip(parts: Part[], store = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const out: Uint8Array[] = []
    const z = new Zip((err, chunk, final) => {
      if (err) return reject(err)
      out.push(chunk)
      if (final) resolve(Buffer.concat(out))
    })
    for (const p of parts) {
      const entry = store ? new ZipPassThrough(p.name) : new ZipDeflate(p.name, { level: 9 })
      z.add(entry)
      if (p.text !== undefined) entry.push(strToU8(p.text), true)
      else {
        const r = p.repeat!
        entry.push(strToU8(r.head))
        const block = strToU8(r.body.repeat(Math.max(1, Math.floor(MiB / r.body.length))))
        const per = block.length / r.body.length
        let done = 0
        for (; done + per <= r.times; done += per) entry.push(block)
        if (done < r.times) entry.push(strToU8(r.body.repeat(r.times - done)))
        entry.push(strToU8(r.tail), true)
      }
    }
    z.end()
  })
}

const CT = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`
const RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
const WB = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`
const WB_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const HEADER_ROW = `<row r="1"><c r="A1" t="inlineStr"><is><t>行政相对人名称</t></is></c><c r="B1" t="inlineStr"><is><t>行政许可决定文书号</t></is></c><c r="C1" t="inlineStr"><is><t>许可内容</t></is></c></row>`

function workbook(
  sheetBody: Part['repeat'] | string,
  sharedStrings: Part['repeat'] | string = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
  extra: Part[] = [],
): Promise<Buffer> {
  const part = (name: string, v: Part['repeat'] | string): Part => (typeof v === 'string' ? { name, text: v } : { name, repeat: v })
  return zip([
    { name: '[Content_Types].xml', text: CT },
    { name: '_rels/.rels', text: RELS },
    { name: 'xl/workbook.xml', text: WB },
    { name: 'xl/_rels/workbook.xml.rels', text: WB_RELS },
    part('xl/sharedStrings.xml', sharedStrings),
    part('xl/worksheets/sheet1.xml', sheetBody),
    ...extra,
  ])
}

const DOCX_CT = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`
const DOC_HEAD = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`
const docx = (document: Part['repeat'] | string, extra: Part[] = []) =>
  zip([
    { name: '[Content_Types].xml', text: DOCX_CT },
    typeof document === 'string' ? { name: 'word/document.xml', text: document } : { name: 'word/document.xml', repeat: document },
    ...extra,
  ])

function pdf(objects: string[]): Buffer {
  let body = '%PDF-1.7\n'
  const offsets: number[] = []
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'))
    body += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = Buffer.byteLength(body, 'latin1')
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true })
  const files: Record<string, Buffer | Promise<Buffer>> = {
    // One shared string of 400 MB (the 415 KB file of the report).
    'shared-string-400mb.xlsx': workbook(
      `${SHEET_HEAD}${HEADER_ROW}<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>`,
      {
        head: '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>',
        body: 'A',
        times: 400 * MiB,
        tail: '</t></si></sst>',
      },
    ),
    // The same string in 64-byte rich-text runs: no single run is long, the string is.
    'shared-string-runs.xlsx': workbook(`${SHEET_HEAD}${HEADER_ROW}<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>`, {
      head: '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si>',
      body: `<r><t>${'B'.repeat(53)}</t></r>`,
      times: 2 * 1024 * 1024,
      tail: '</si></sst>',
    }),
    // One inline cell of 600 MB.
    'cell-600mb.xlsx': workbook({
      head: `${SHEET_HEAD}${HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>`,
      body: '甲',
      times: 200 * MiB,
      tail: '</t></is></c></row></sheetData></worksheet>',
    }),
    // More parts than an Office file has.
    'entries-6000.xlsx': workbook(
      `${SHEET_HEAD}${HEADER_ROW}</sheetData></worksheet>`,
      undefined,
      Array.from({ length: 6000 }, (_, i) => ({ name: `xl/media/pad${i}.xml`, text: '<a/>' })),
    ),
    // A row numbered past Excel's last row.
    'row-2000000.xlsx': workbook(
      `${SHEET_HEAD}${HEADER_ROW}<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>某某公司</t></is></c></row></sheetData></worksheet>`,
    ),
    // A merge that claims a million rows under a two-row sheet.
    'merge-million-rows.xlsx': workbook(
      `${SHEET_HEAD}${HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>某某公司</t></is></c><c r="B2" t="inlineStr"><is><t>文1号</t></is></c><c r="C2" t="inlineStr"><is><t>内容</t></is></c></row></sheetData><mergeCells count="1"><mergeCell ref="A2:A1000000"/></mergeCells></worksheet>`,
    ),
    // Entities declared in a DTD (billion laughs): the XML readers must not expand them.
    'entities.xlsx': workbook(
      `<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>&g;</t></is></c></row></sheetData></worksheet>`,
    ),
    'truncated.xlsx': workbook(`${SHEET_HEAD}${HEADER_ROW}</sheetData></worksheet>`).then((b) => b.subarray(0, Math.floor(b.length / 2))),
    'random.xlsx': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)),
    'pk-garbage.xlsx': Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(4092, 0xff)]),
    // A docx whose body inflates to 400 MB (the report's was 3.2 GB; past 32 MB it makes no difference).
    'docx-bomb.docx': docx({ head: DOC_HEAD, body: ' ', times: 400 * MiB, tail: '</w:body></w:document>' }),
    // Many small parts whose sum passes the total.
    'docx-many-parts.docx': docx(
      `${DOC_HEAD}<w:p><w:r><w:t>一、总体要求</w:t></w:r></w:p></w:body></w:document>`,
      Array.from({ length: 10 }, (_, i) => ({
        name: `word/media/pad${i}.xml`,
        repeat: { head: '<a>', body: ' ', times: 15 * MiB, tail: '</a>' },
      })),
    ),
    // 200,000 tables opened and never closed: a lazy regex per opening made this 3 KB file take 79 s.
    'docx-unclosed-tables.docx': docx({ head: DOC_HEAD, body: '<w:tbl><w:tr><w:tc>', times: 200_000, tail: '</w:body></w:document>' }),
    // '<' without '>' 900,000 times (a tag-stripping regex that scans to the end from each).
    'docx-open-brackets.docx': docx({
      head: `${DOC_HEAD}<w:p><w:r><w:t>`,
      body: '<',
      times: 900_000,
      tail: '</w:t></w:r></w:p></w:body></w:document>',
    }),
    'docx-not-zip.docx': Buffer.from('这不是一个 Word 文档'),
    // A PDF claiming 100,000 pages (one page object referenced 100,000 times).
    'pdf-100000-pages.pdf': pdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      `<< /Type /Pages /Count 100000 /Kids [${'3 0 R '.repeat(100_000)}] >>`,
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    ]),
    'pdf-truncated.pdf': Buffer.from(
      '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Count 1 /Kids [3 0 R',
    ),
    // A plain-text plan of 1.1 million characters, one unterminated numbering after another.
    'plan-1m-chars.txt': Buffer.from('(1'.repeat(550_001)),
    'plan-binary.txt': Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 31) % 256)),
  }
  // A formula the file never calculated: ExcelJS writes <f> without <v>.
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('Sheet1')
  ws.addRow(['行政相对人名称', '行政许可决定文书号', '许可内容'])
  ws.addRow(['某某公司', { formula: 'CONCATENATE("文","1号")' }, '内容'])
  files['formula-without-value.xlsx'] = Buffer.from(await wb.xlsx.writeBuffer())

  for (const [name, data] of Object.entries(files)) {
    const bytes = await data
    writeFileSync(join(OUT, name), bytes)
    console.log(`${name}\t${bytes.length} bytes`)
  }
}

void main()
